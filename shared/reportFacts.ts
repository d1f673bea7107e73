import { answerThreadKey, isPrivateChannel } from './conversation.js';
import { ALL_CHANNELS, SENTIMENTS, type Channel, type Message, type Sentiment } from './model.js';
import { finishEpisode, type Episode, type EpisodeOptions, type ReportMark, type SentimentRow } from './reports.js';
import { F64Index } from './f64Index.js';
import { offsetAt } from './sla.js';

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
  /** Index into `names` of the account id, the colleague who wrote it and its department ('' is 0). */
  account: Uint32Array;
  by: Uint32Array;
  dept: Uint32Array;
  names: string[];
}

/** Folds chunks (in the order they were written: by id) into the table of messages created at or after `since`. */
export function foldFacts(chunks: readonly FactsChunk[], since: number): FactTable {
  const sorted = [...chunks].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  let total = 0;
  for (const c of sorted) total += c.n;
  // Each version as a chunk number and row (refs), and each key's last one; a tombstone clears it.
  const chunkOf = new Int32Array(total);
  const rowOf = new Int32Array(total);
  const last = new F64Index(total);
  let refs = 0;
  sorted.forEach((c, ci) => {
    if (c.gone) for (const k of c.gone) last.set(k, -1);
    const at = c.at;
    const key = c.key;
    for (let i = 0; i < c.n; i++) {
      if ((at[i] as number) < since) continue;
      last.set(key[i] as number, refs);
      chunkOf[refs] = ci;
      rowOf[refs] = i;
      refs++;
    }
  });
  // The versions that are their key's last, in the order they were written.
  const live = new Int32Array(refs);
  let n = 0;
  for (let r = 0; r < refs; r++) {
    const c = sorted[chunkOf[r] as number] as FactsChunk;
    if (last.get(c.key[rowOf[r] as number] as number) === r) live[n++] = r;
  }
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
    account: new Uint32Array(n),
    by: new Uint32Array(n),
    dept: new Uint32Array(n),
    names: [''],
  };
  // Each chunk's names as indices of the table's (made once per chunk, a handful of names each).
  const nameIndex = new Map<string, number>([['', 0]]);
  const global = sorted.map((c) =>
    Uint32Array.from(c.names, (v) => {
      let i = nameIndex.get(v);
      if (i === undefined) {
        i = t.names.length;
        t.names.push(v);
        nameIndex.set(v, i);
      }
      return i;
    }),
  );
  for (let j = 0; j < n; j++) {
    const r = live[j] as number;
    const c = sorted[chunkOf[r] as number] as FactsChunk;
    const tr = global[chunkOf[r] as number] as Uint32Array;
    const i = rowOf[r] as number;
    t.key[j] = c.key[i] as number;
    t.thread[j] = c.thread[i] as number;
    t.pid[j] = c.pid[i] as number;
    t.reply[j] = c.reply[i] as number;
    t.author[j] = c.author[i] as number;
    t.conv[j] = c.conv[i] as number;
    t.at[j] = c.at[i] as number;
    t.flags[j] = c.flags[i] as number;
    t.account[j] = tr[c.account[i] as number] ?? 0;
    t.by[j] = tr[c.by[i] as number] ?? 0;
    t.dept[j] = tr[c.dept[i] as number] ?? 0;
  }
  return t;
}

/**
 * One chunk for a run of chunks written one after the other (none of them
 * tombstones): each message's last version. Put in the place of the run's last
 * chunk, it reads the same as the run; many small chunks (a poll stores a few
 * messages at a time) read far slower than a few large ones.
 */
export function mergeChunks(run: readonly FactsChunk[]): FactsChunk {
  if (run.some((c) => c.gone)) throw new Error('a run of chunks to merge holds no tombstones');
  const t = foldFacts(run, -Infinity);
  // A chunk names at most 65,536 (more would be a run of that many accounts, agents and departments).
  const fits = t.names.length <= 65_536;
  const narrow = (a: Uint32Array) => Uint16Array.from(a, (v) => (fits ? v : 0));
  const [account, by, dept] = [narrow(t.account), narrow(t.by), narrow(t.dept)];
  const names = fits ? t.names : [''];
  let to = -Infinity;
  for (let i = 0; i < t.n; i++) if ((t.at[i] as number) > to) to = t.at[i] as number;
  return { to, n: t.n, key: t.key, thread: t.thread, pid: t.pid, reply: t.reply, author: t.author, conv: t.conv, at: t.at, flags: t.flags, account, by, dept, names };
}

export const channelOfFlags = (f: number): Channel => ALL_CHANNELS[(f >> 2) & 7] ?? 'x_mention';
export const sentimentOfFlags = (f: number): Sentiment | undefined => SENTIMENTS[((f >> 5) & 3) - 1];
const FROM_US = 1;
const PRIVATELY = 2;

/**
 * The heatmap (weekday × hour) and the sentiment trend by day, week and month of
 * the customers' messages in [from, to), straight from the table: what
 * volumeHeatmap and sentimentTrend (shared/reports.ts) give for the same messages, counted per
 * local day first and named once per day.
 */
export function tableFigures(
  t: FactTable,
  markOf: (keyHash: number) => ReportMark | undefined,
  from: number,
  to: number,
  timeZone: string,
): { heatmap: number[][]; sentiment: Record<'day' | 'week' | 'month', SentimentRow[]> } {
  const heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  // Per local day: positive, neutral, negative, unknown.
  const days = new Map<number, [number, number, number, number]>();
  for (let i = 0; i < t.n; i++) {
    const f = t.flags[i] as number;
    const at = t.at[i] as number;
    if (f & FROM_US || at < from || at >= to) continue;
    const mark = markOf(t.key[i] as number);
    if (mark?.hidden) continue;
    const local = at + offsetAt(at, timeZone);
    const day = Math.floor(local / 86_400_000);
    (heatmap[(((day + 3) % 7) + 7) % 7] as number[])[Math.floor((local - day * 86_400_000) / 3_600_000)]!++;
    let c = days.get(day);
    if (!c) days.set(day, (c = [0, 0, 0, 0]));
    const s = mark?.sentiment ?? sentimentOfFlags(f);
    c[s === 'positive' ? 0 : s === 'neutral' ? 1 : s === 'negative' ? 2 : 3]++;
  }
  const sentiment = { day: new Map<string, SentimentRow>(), week: new Map<string, SentimentRow>(), month: new Map<string, SentimentRow>() };
  for (const [day, c] of days) {
    const date = new Date(day * 86_400_000);
    const dayKey = date.toISOString().slice(0, 10);
    const monday = new Date(date);
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    for (const [p, key] of [['day', dayKey], ['week', monday.toISOString().slice(0, 10)], ['month', dayKey.slice(0, 7)]] as const) {
      let row = sentiment[p].get(key);
      if (!row) sentiment[p].set(key, (row = { period: key, positive: 0, neutral: 0, negative: 0, unknown: 0 }));
      row.positive += c[0];
      row.neutral += c[1];
      row.negative += c[2];
      row.unknown += c[3];
    }
  }
  const sorted = (m: Map<string, SentimentRow>) => [...m.values()].sort((a, b) => (a.period < b.period ? -1 : 1));
  return { heatmap, sentiment: { day: sorted(sentiment.day), week: sorted(sentiment.week), month: sorted(sentiment.month) } };
}

/** An episode with the key (hash) of its first message, and the keys of all its customers' messages (for the marks). */
export type FactEpisode = Omit<Episode, 'key'> & { key: string; keyHash: number };

/**
 * The conversations in a table, as episodesOf finds them among messages (the
 * same rules, shared/reports.ts), over the columns: the messages are put by
 * thread, each thread walked in time order. `markOf` is by key hash. In
 * thread order, not by start.
 */
export function episodesOfFacts(t: FactTable, markOf: (keyHash: number) => ReportMark | undefined, from: number, to: number, opts: EpisodeOptions): FactEpisode[] {
  // Threads in the order first seen (a group number per thread), each thread's messages by time, a
  // customer's message before ours of the same millisecond (as byTime), then by key hash (byTime
  // orders such ties by key). The rows are laid out thread by thread in one array (a counting sort).
  const groupOf = new F64Index(t.n);
  const group = new Int32Array(t.n);
  const sizes = new Int32Array(t.n + 1);
  let groups = 0;
  for (let i = 0; i < t.n; i++) {
    if (markOf(t.key[i] as number)?.hidden) {
      group[i] = -1;
      continue;
    }
    const th = t.thread[i] as number;
    let g = groupOf.get(th);
    if (g < 0) groupOf.set(th, (g = groups++));
    group[i] = g;
    sizes[g + 1]!++;
  }
  const starts = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) starts[g + 1] = (starts[g] as number) + (sizes[g + 1] as number);
  const order = new Int32Array(starts[groups] as number);
  const fill = starts.slice(0, groups);
  for (let i = 0; i < t.n; i++) {
    const g = group[i] as number;
    if (g >= 0) order[fill[g]!++] = i;
  }
  const inThread = (a: number, b: number) => {
    const d = (t.at[a] as number) - (t.at[b] as number);
    if (d !== 0) return d;
    const ua = (t.flags[a] as number) & FROM_US;
    const ub = (t.flags[b] as number) & FROM_US;
    return ua - ub || (t.key[a] as number) - (t.key[b] as number);
  };
  // The conversation (its hash as text) matters only to the specialist's time: not made otherwise.
  const convKey = opts.specialist ? (i: number) => String(t.conv[i]) : () => '';
  const single = [0];
  const out: FactEpisode[] = [];
  const open = new Map<number, { ep: FactEpisode; keys: number[] }>();
  const finish = (ep: FactEpisode, keys: number[]) => finishEpisode(ep, keys, markOf, opts);
  const close = (who: number, reply: number) => {
    const o = open.get(who);
    if (!o) return;
    open.delete(who);
    o.ep.replyAt = t.at[reply] as number;
    o.ep.by = t.names[t.by[reply] as number] ?? '';
    finish(o.ep, o.keys);
  };
  const flush = () => {
    for (const o of open.values()) finish(o.ep, o.keys);
    open.clear();
  };
  let byPid: Map<number, number> | null = null;
  const idx = order;
  for (let g = 0; g < groups; g++) {
    const s = starts[g] as number;
    const e = starts[g + 1] as number;
    if (e - s === 1 && !((t.flags[idx[s] as number] as number) & FROM_US)) {
      // A customer's message alone in its thread: a conversation nobody answered yet.
      const i = idx[s] as number;
      const k = t.key[i] as number;
      const mark = markOf(k);
      const ep: FactEpisode = {
        key: '',
        keyHash: k,
        channel: channelOfFlags(t.flags[i] as number),
        accountId: t.names[t.account[i] as number] ?? '',
        conversationKey: convKey(i),
        department: mark?.tag ?? (t.names[t.dept[i] as number] || undefined),
        start: t.at[i] as number,
        messages: 1,
        specialistMs: 0,
        target: 'open',
      };
      out.push(ep);
      single[0] = k;
      finish(ep, single);
      continue;
    }
    if (e - s > 1) idx.subarray(s, e).sort(inThread);
    byPid = null;
    for (let p = s; p < e; p++) {
      const i = idx[p] as number;
      const f = t.flags[i] as number;
      const channel = channelOfFlags(f);
      const priv = isPrivateChannel(channel);
      if (f & FROM_US) {
        if (priv) {
          if (open.size) for (const who of [...open.keys()]) close(who, i);
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
            if (open.size) for (const who of [...open.keys()]) close(who, i);
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
        if (target === undefined) {
          if (open.size) for (const who of [...open.keys()]) close(who, i);
        } else if (!((t.flags[target] as number) & FROM_US)) close(t.author[target] as number, i);
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
        accountId: t.names[t.account[i] as number] ?? '',
        conversationKey: convKey(i),
        department: mark?.tag ?? (t.names[t.dept[i] as number] || undefined),
        start: t.at[i] as number,
        messages: 1,
        specialistMs: 0,
        target: 'open',
      };
      out.push(ep);
      open.set(who, { ep, keys: [t.key[i] as number] });
    }
    flush();
  }
  // In thread order: the figures do not depend on it (episodesOf sorts by start for its callers).
  return out.filter((ep) => ep.start >= from && ep.start < to);
}
