import { answerThreadKey, isPrivateChannel } from './conversation.js';
import { ALL_CHANNELS, SENTIMENTS, type Channel, type Message, type Sentiment } from './model.js';
import type { Episode, EpisodeOptions, ReportMark } from './reports.js';
import { countedMs } from './sla.js';

/**
 * What the reports read of every stored message, kept beside the messages in
 * compact chunks: one chunk per write of messages, its fields as columns of
 * numbers (ids as 53-bit hashes, names through a small dictionary). Reading a
 * record of the store costs about 30 µs in Chromium whatever its size, so
 * months of messages (250,000 records, 7 s) are read as a few hundred chunks
 * instead, in a fraction of a second. The text is not in them: the words of a
 * report are read from the newest messages themselves, after its figures.
 *
 * A chunk holds the messages one write stored, in the same transaction; a later
 * write of the same message (a batch sent again, a colleague's name added)
 * comes in a later chunk and wins, and a removal writes a chunk of tombstones.
 */
export interface FactsChunk {
  id?: number;
  /** The newest createdAt in it (a report reads the chunks whose newest message may fall in its range); tombstones: MAX_SAFE_INTEGER. */
  to: number;
  n: number;
  /** hash53 of the message key, its thread (answerThreadKey), platformId, inReplyToId (0: none), author id, `${channel}:${conversationId}`. */
  key: Float64Array;
  thread: Float64Array;
  pid: Float64Array;
  reply: Float64Array;
  author: Float64Array;
  conv: Float64Array;
  at: Float64Array;
  /** bit 0 fromUs, bit 1 privately, bits 2–4 channel (index in ALL_CHANNELS), bits 5–6 sentiment (0 none, then SENTIMENTS + 1). */
  flags: Uint8Array;
  /** Index into `names` (0: none) of the account id, the colleague who wrote it (`by`) and its department. */
  account: Uint16Array;
  by: Uint16Array;
  dept: Uint16Array;
  names: string[];
  /** Keys (hash53) removed. */
  gone?: Float64Array;
}

/** cyrb53 (Bryc, public domain): a 53-bit string hash; two ids of a store colliding is about 1 in 10^10 at 250,000. */
export function hash53(str: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

const CHANNEL_INDEX = new Map<Channel, number>(ALL_CHANNELS.map((c, i) => [c, i]));
const SENTIMENT_INDEX = new Map<Sentiment, number>(SENTIMENTS.map((s, i) => [s, i + 1]));

/** The chunk of messages one write stored. */
export function factsOf(messages: readonly Message[]): FactsChunk {
  const n = messages.length;
  const names: string[] = [''];
  const nameIndex = new Map<string, number>([['', 0]]);
  const name = (v: string | undefined) => {
    if (v === undefined || v === '') return 0;
    let i = nameIndex.get(v);
    if (i === undefined) {
      i = names.length;
      if (i > 65_535) return 0;
      names.push(v);
      nameIndex.set(v, i);
    }
    return i;
  };
  const c: FactsChunk = {
    to: -Infinity,
    n,
    key: new Float64Array(n),
    thread: new Float64Array(n),
    pid: new Float64Array(n),
    reply: new Float64Array(n),
    author: new Float64Array(n),
    conv: new Float64Array(n),
    at: new Float64Array(n),
    flags: new Uint8Array(n),
    account: new Uint16Array(n),
    by: new Uint16Array(n),
    dept: new Uint16Array(n),
    names,
  };
  messages.forEach((m, i) => {
    c.key[i] = hash53(m.key);
    c.thread[i] = hash53(answerThreadKey(m));
    c.pid[i] = hash53(m.platformId);
    c.reply[i] = m.inReplyToId === undefined ? 0 : hash53(m.inReplyToId);
    c.author[i] = hash53(m.author.id);
    c.conv[i] = hash53(`${m.channel}:${m.conversationId}`);
    c.at[i] = m.createdAt;
    c.flags[i] = (m.fromUs ? 1 : 0) | (m.privately ? 2 : 0) | ((CHANNEL_INDEX.get(m.channel) ?? 0) << 2) | ((m.sentiment ? (SENTIMENT_INDEX.get(m.sentiment) ?? 0) : 0) << 5);
    c.account[i] = name(m.accountId);
    c.by[i] = name(m.by);
    c.dept[i] = name(m.department);
    if (m.createdAt > c.to) c.to = m.createdAt;
  });
  return c;
}

/** A chunk of tombstones: these messages were removed. */
export function goneOf(keys: readonly string[]): FactsChunk {
  const empty = factsOf([]);
  return { ...empty, to: Number.MAX_SAFE_INTEGER, gone: Float64Array.from(keys.map((k) => hash53(k))) };
}

/** Every message the chunks hold now (the last write of each, none removed), as parallel columns. */
export interface FactTable {
  n: number;
  key: Float64Array;
  thread: Float64Array;
  pid: Float64Array;
  reply: Float64Array;
  author: Float64Array;
  conv: Float64Array;
  at: Float64Array;
  flags: Uint8Array;
  account: string[];
  by: string[];
  dept: string[];
}

/** Folds chunks (in the order they were written: by id) into the table of messages created at or after `since`. */
export function foldFacts(chunks: readonly FactsChunk[], since: number): FactTable {
  const sorted = [...chunks].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  // Where each key's last version is: chunk and row; a tombstone clears it.
  const last = new Map<number, number>();
  const refs: [FactsChunk, number][] = [];
  for (const c of sorted) {
    if (c.gone) for (const k of c.gone) last.delete(k);
    for (let i = 0; i < c.n; i++) {
      if ((c.at[i] as number) < since) continue;
      last.set(c.key[i] as number, refs.length);
      refs.push([c, i]);
    }
  }
  const n = last.size;
  const t: FactTable = {
    n,
    key: new Float64Array(n),
    thread: new Float64Array(n),
    pid: new Float64Array(n),
    reply: new Float64Array(n),
    author: new Float64Array(n),
    conv: new Float64Array(n),
    at: new Float64Array(n),
    flags: new Uint8Array(n),
    account: new Array<string>(n),
    by: new Array<string>(n),
    dept: new Array<string>(n),
  };
  let j = 0;
  for (const r of last.values()) {
    const [c, i] = refs[r] as [FactsChunk, number];
    t.key[j] = c.key[i] as number;
    t.thread[j] = c.thread[i] as number;
    t.pid[j] = c.pid[i] as number;
    t.reply[j] = c.reply[i] as number;
    t.author[j] = c.author[i] as number;
    t.conv[j] = c.conv[i] as number;
    t.at[j] = c.at[i] as number;
    t.flags[j] = c.flags[i] as number;
    t.account[j] = c.names[c.account[i] as number] ?? '';
    t.by[j] = c.names[c.by[i] as number] ?? '';
    t.dept[j] = c.names[c.dept[i] as number] ?? '';
    j++;
  }
  return t;
}

export const channelOfFlags = (f: number): Channel => ALL_CHANNELS[(f >> 2) & 7] ?? 'x_mention';
export const sentimentOfFlags = (f: number): Sentiment | undefined => SENTIMENTS[((f >> 5) & 3) - 1];
const FROM_US = 1;
const PRIVATELY = 2;

/** An episode with the key (hash) of its first message, and the keys of all its customers' messages (for the marks). */
export type FactEpisode = Omit<Episode, 'key'> & { key: string; keyHash: number };

/**
 * The conversations in a table, as episodesOf finds them among messages (the
 * same rules, shared/reports.ts), over the columns: the table is ordered by
 * thread and time once, and each thread walked in that order. `markOf` is by
 * key hash.
 */
export function episodesOfFacts(t: FactTable, markOf: (keyHash: number) => ReportMark | undefined, from: number, to: number, opts: EpisodeOptions): FactEpisode[] {
  const measure = (a: number, b: number) => countedMs(a, b, opts.hours);
  const idx: number[] = [];
  for (let i = 0; i < t.n; i++) if (!markOf(t.key[i] as number)?.hidden) idx.push(i);
  // By thread, then time; a customer's message before ours of the same millisecond; then key (as byTime).
  idx.sort((a, b) => {
    const d = (t.thread[a] as number) - (t.thread[b] as number) || (t.at[a] as number) - (t.at[b] as number);
    if (d !== 0) return d;
    const ua = (t.flags[a] as number) & FROM_US;
    const ub = (t.flags[b] as number) & FROM_US;
    return ua - ub || (t.key[a] as number) - (t.key[b] as number);
  });
  const out: FactEpisode[] = [];
  const open = new Map<number, { ep: FactEpisode; keys: number[] }>();
  const finish = (ep: FactEpisode, keys: number[]) => {
    const until = ep.replyAt ?? opts.now;
    ep.specialistMs = opts.specialist ? opts.specialist(ep.conversationKey, ep.start, until) : 0;
    const target = opts.targets[ep.channel] * 60_000;
    if (ep.replyAt !== undefined) {
      ep.frtMs = Math.max(0, measure(ep.start, ep.replyAt) - ep.specialistMs);
      ep.target = ep.frtMs <= target ? 'met' : 'missed';
    }
    let doneAt: number | undefined;
    let allClosed = true;
    for (const k of keys) {
      const mark = markOf(k);
      if (mark && mark.status !== 'open') doneAt = Math.max(doneAt ?? 0, mark.at);
      else allClosed = false;
    }
    if (allClosed && doneAt !== undefined) {
      ep.doneAt = doneAt;
      ep.resolutionMs = measure(ep.start, doneAt);
    }
    if (ep.replyAt === undefined) {
      if (ep.doneAt !== undefined) ep.target = 'none';
      else ep.target = measure(ep.start, opts.now) - ep.specialistMs > target ? 'missed' : 'open';
    }
  };
  const close = (who: number, reply: number) => {
    const o = open.get(who);
    if (!o) return;
    open.delete(who);
    o.ep.replyAt = t.at[reply] as number;
    o.ep.by = t.by[reply] ?? '';
    finish(o.ep, o.keys);
  };
  const flush = () => {
    for (const o of open.values()) finish(o.ep, o.keys);
    open.clear();
  };
  let byPid: Map<number, number> | null = null;
  let s = 0;
  while (s < idx.length) {
    const thread = t.thread[idx[s] as number] as number;
    let e = s;
    while (e < idx.length && t.thread[idx[e] as number] === thread) e++;
    byPid = null;
    for (let p = s; p < e; p++) {
      const i = idx[p] as number;
      const f = t.flags[i] as number;
      const channel = channelOfFlags(f);
      const priv = isPrivateChannel(channel);
      if (f & FROM_US) {
        if (priv) {
          for (const who of [...open.keys()]) close(who, i);
          continue;
        }
        if (!byPid) {
          byPid = new Map();
          for (let q = s; q < e; q++) byPid.set(t.pid[idx[q] as number] as number, idx[q] as number);
        }
        // Whom it answers (audienceOf): a Facebook public reply all; a private one its commenter; an X reply up past our own posts.
        let target: number | undefined;
        if (channel === 'fb_comment') {
          if (!(f & PRIVATELY)) {
            for (const who of [...open.keys()]) close(who, i);
            continue;
          }
          target = t.reply[i] ? byPid.get(t.reply[i] as number) : undefined;
          if (target !== undefined && !((t.flags[target] as number) & FROM_US)) close(t.author[target] as number, i);
          continue;
        }
        target = t.reply[i] ? byPid.get(t.reply[i] as number) : undefined;
        for (let hops = 0; target !== undefined && (t.flags[target] as number) & FROM_US && hops < 50; hops++) {
          const up = t.reply[target] as number;
          target = up ? byPid.get(up) : undefined;
        }
        if (target === undefined) for (const who of [...open.keys()]) close(who, i);
        else if (!((t.flags[target] as number) & FROM_US)) close(t.author[target] as number, i);
        continue;
      }
      const who = priv ? 0 : (t.author[i] as number);
      const o = open.get(who);
      if (o) {
        o.ep.messages++;
        o.keys.push(t.key[i] as number);
        continue;
      }
      const mark = markOf(t.key[i] as number);
      const ep: FactEpisode = {
        key: '',
        keyHash: t.key[i] as number,
        channel,
        accountId: t.account[i] ?? '',
        conversationKey: String(t.conv[i]),
        department: mark?.tag ?? (t.dept[i] || undefined),
        start: t.at[i] as number,
        messages: 1,
        specialistMs: 0,
        target: 'open',
      };
      out.push(ep);
      open.set(who, { ep, keys: [t.key[i] as number] });
    }
    flush();
    s = e;
  }
  return out.filter((ep) => ep.start >= from && ep.start < to).sort((a, b) => a.start - b.start || a.keyHash - b.keyHash);
}
