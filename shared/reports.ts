import { answerThreadKey, audienceOf, byTime, isPrivateChannel, type StateMessage } from './conversation.js';
import type { MessageStatus } from './filter.js';
import { SENTIMENTS, type Channel, type Message, type Sentiment } from './model.js';
import { countedMs, offsetAt, wall, type BusinessHours, type Targets } from './sla.js';
import { topWords } from './storm.js';

/**
 * The figures of the reports screen, as pure functions of what the console
 * stores: messages, the agents' marks, the team's workflow (specialist asks)
 * and the canned replies inserted. Nothing here reads a clock of its own; `now`
 * is passed in, so a report of the same data is the same report.
 *
 * **A conversation** (one row of what the figures count) starts with a
 * customer's message that nothing of theirs waits before, and takes in what
 * they write until a reply of ours answers them (shared/conversation.ts decides
 * whom a reply answers: in a private channel the person, in a public thread the
 * person replied to or the whole thread). Three messages and then one reply are
 * one conversation with one response time. The next message after that reply
 * starts a new one.
 *
 * - **First response time (FRT)**: from the conversation's first message to the
 *   reply that answers it, counted in business hours (time outside them does not
 *   count) and less the time it waited on a specialist, which is shown apart.
 *   A reply on another channel (a DM to someone who posted in public) answers
 *   nothing in the public thread: the two are separate conversations.
 * - **Agent**: who wrote the reply (a colleague's name in team mode). A reply
 *   made on the platform itself (x.com, Meta Business Suite) has no name and is
 *   grouped as "elsewhere".
 * - **Within target**: answered in at most the channel's target. A conversation
 *   still waiting past its target counts as missed; one still waiting within it,
 *   and one an agent closed without a reply (marked done), are not judged.
 * - **Resolution time**: from the first message to when an agent marked the
 *   conversation done (the last mark of its messages), in business hours.
 * - **Median** is the middle value (the mean of the two middle ones for an even
 *   count); **p90** the nearest-rank 90th percentile: the smallest value at least
 *   90 % of the conversations are at or under.
 */

/** What a report reads of a message. */
export type ReportMessage = StateMessage &
  Pick<Message, 'accountId' | 'text'> &
  Partial<Pick<Message, 'by' | 'department' | 'sentiment' | 'lang'>> & { author: Pick<Message['author'], 'id' | 'name'> };

/** What a report reads of a mark: the agent's status, tag (department) and sentiment, and when it was set. */
export interface ReportMark {
  status: MessageStatus;
  hidden?: boolean;
  tag?: string;
  sentiment?: Sentiment;
  at: number;
}

/** One conversation as the report counts it. */
export interface Episode {
  /** The first message's key. */
  key: string;
  channel: Channel;
  accountId: string;
  /** `${channel}:${conversationId}` of the first message (the workflow's conversation key). */
  conversationKey: string;
  department: string | undefined;
  /** When the first message came in. */
  start: number;
  /** The customer's messages in it. */
  messages: number;
  /** When the reply that answered it was sent; absent while unanswered. */
  replyAt?: number;
  /** Who wrote that reply: a colleague's name, or '' for a reply made on the platform. */
  by?: string;
  /** First response time in business hours, less the specialist's part (answered only). */
  frtMs?: number;
  /** Time waiting on a specialist before the reply (or until `now`), in business hours. */
  specialistMs: number;
  /** Marked done (or archived) by an agent: when. */
  doneAt?: number;
  /** From start to done, in business hours. */
  resolutionMs?: number;
  /** Judged against the channel's target: met, missed, or not judged (still within it, or closed without a reply). */
  target: 'met' | 'missed' | 'open' | 'none';
}

export interface EpisodeOptions {
  hours: BusinessHours;
  targets: Targets;
  now: number;
  /** Time a conversation waited on a specialist between two instants, in business hours (the team workflow); none without it. */
  specialist?: (conversationKey: string, from: number, to: number) => number;
}

/**
 * A conversation's figures once it is answered (`replyAt` set) or the thread
 * ends unanswered: the specialist's part, first response time and whether it
 * met its target, and its resolution when an agent closed all of its messages
 * (`keys`, by whatever key `markOf` takes).
 */
export function finishEpisode<K>(ep: Episode, keys: readonly K[], markOf: (key: K) => ReportMark | undefined, opts: EpisodeOptions): void {
  const measure = (from: number, to: number) => countedMs(from, to, opts.hours);
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
}

/**
 * The conversations in one thread (every stored message of one answerThreadKey,
 * any order). Deleted-from-view messages are left out, as the board does.
 */
export function episodesOfThread(thread: readonly ReportMessage[], markOf: (key: string) => ReportMark | undefined, opts: EpisodeOptions): Episode[] {
  const sorted = thread.filter((m) => !markOf(m.key)?.hidden).sort(byTime);
  const byId = new Map<string, StateMessage>(sorted.map((m) => [m.platformId, m]));
  const out: Episode[] = [];
  // Open conversations in this thread: by author in a public thread, one ('*') in a private one.
  const open = new Map<string, { ep: Episode; keys: string[] }>();
  const close = (who: string, reply: ReportMessage) => {
    const o = open.get(who);
    if (!o) return;
    open.delete(who);
    o.ep.replyAt = reply.createdAt;
    o.ep.by = reply.by ?? '';
    finish(o.ep, o.keys);
  };
  const finish = (ep: Episode, keys: string[]) => finishEpisode(ep, keys, markOf, opts);
  for (const m of sorted) {
    if (m.fromUs) {
      const audience = audienceOf(m, byId);
      if (audience === null) continue;
      if ('all' in audience) for (const who of [...open.keys()]) close(who, m);
      else close(isPrivateChannel(m.channel) ? '*' : audience.author, m);
      continue;
    }
    const who = isPrivateChannel(m.channel) ? '*' : m.author.id;
    const o = open.get(who);
    if (o) {
      o.ep.messages++;
      o.keys.push(m.key);
      continue;
    }
    const mark = markOf(m.key);
    const ep: Episode = {
      key: m.key,
      channel: m.channel,
      accountId: m.accountId,
      conversationKey: `${m.channel}:${m.conversationId}`,
      department: mark?.tag ?? m.department,
      start: m.createdAt,
      messages: 1,
      specialistMs: 0,
      target: 'open',
    };
    out.push(ep);
    open.set(who, { ep, keys: [m.key] });
  }
  for (const o of open.values()) finish(o.ep, o.keys);
  return out;
}

/** Every conversation that starts in [from, to) among the messages (which should reach a little before `from`, so one started earlier is not cut in two). */
export function episodesOf(messages: readonly ReportMessage[], markOf: (key: string) => ReportMark | undefined, from: number, to: number, opts: EpisodeOptions): Episode[] {
  const threads = new Map<string, ReportMessage[]>();
  for (const m of messages) {
    const k = answerThreadKey(m);
    let t = threads.get(k);
    if (!t) threads.set(k, (t = []));
    t.push(m);
  }
  const out: Episode[] = [];
  for (const t of threads.values()) for (const ep of episodesOfThread(t, markOf, opts)) if (ep.start >= from && ep.start < to) out.push(ep);
  return out.sort((a, b) => a.start - b.start || (a.key < b.key ? -1 : 1));
}

// ── statistics ──────────────────────────────────────────────────────────────

/** The middle value of a sorted list (the mean of the two middle ones for an even count). */
export function median(sorted: ArrayLike<number>): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile of a sorted list: the smallest value at least `p` of the values are at or under. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] as number;
}

// ── grouping ────────────────────────────────────────────────────────────────

export const GROUPINGS = ['day', 'week', 'month', 'channel', 'account', 'column', 'department', 'agent'] as const;
export type Grouping = (typeof GROUPINGS)[number];
export const PERIODS: readonly Grouping[] = ['day', 'week', 'month'];

const pad = (n: number) => String(n).padStart(2, '0');

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: number, timeZone: string): string {
  const w = wall(at, timeZone);
  return `${w.y}-${pad(w.m)}-${pad(w.d)}`;
}

/**
 * A function from an instant to its period's key in a time zone, keeping the
 * keys of the days it has seen (a report asks for the same few days again and
 * again, a hundred thousand times).
 */
export function periodKeyer(period: 'day' | 'week' | 'month', timeZone: string): (at: number) => string {
  const cache = new Map<number, string>();
  return (at) => {
    const day = Math.floor((at + offsetAt(at, timeZone)) / 86_400_000);
    let key = cache.get(day);
    if (key === undefined) {
      const date = new Date(day * 86_400_000);
      if (period === 'week') date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
      key = period === 'month' ? date.toISOString().slice(0, 7) : date.toISOString().slice(0, 10);
      cache.set(day, key);
    }
    return key;
  };
}

const keyers = new Map<string, (at: number) => string>();

/** The period an instant falls in: its local date, the Monday of its week, or its month (YYYY-MM). */
export function periodOf(at: number, period: 'day' | 'week' | 'month', timeZone: string): string {
  const name = `${period}|${timeZone}`;
  let keyer = keyers.get(name);
  if (!keyer) {
    if (keyers.size > 100) keyers.clear();
    keyers.set(name, (keyer = periodKeyer(period, timeZone)));
  }
  return keyer(at);
}

/** Every period from the one `from` falls in to the one before `to` (a chart shows quiet days as quiet, not as missing). */
export function periodsBetween(from: number, to: number, period: 'day' | 'week' | 'month', timeZone: string): string[] {
  const out: string[] = [];
  if (!(to > from)) return out;
  const first = periodOf(from, period, timeZone);
  const last = periodOf(to - 1, period, timeZone);
  const step = (key: string): string => {
    if (period === 'month') {
      const [y, m] = key.split('-').map(Number) as [number, number];
      return m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`;
    }
    return new Date(Date.parse(`${key}T00:00:00Z`) + (period === 'week' ? 7 : 1) * 86_400_000).toISOString().slice(0, 10);
  };
  for (let k = first, guard = 0; k <= last && guard < 5000; k = step(k), guard++) out.push(k);
  return out;
}

/** One row of a grouped report. */
export interface ReportRow {
  /** The group's key: a period, a channel, an account id, a column id, a department, an agent's name ('' = elsewhere, '-' = unanswered). */
  group: string;
  conversations: number;
  /** Customers' messages in those conversations. */
  messages: number;
  answered: number;
  frtMedianMs: number | null;
  frtP90Ms: number | null;
  /** Share met of the judged (met + missed); null when none were judged. */
  withinTarget: number | null;
  met: number;
  missed: number;
  resolved: number;
  resolutionMedianMs: number | null;
  /** Conversations that waited on a specialist, and the median of that wait. */
  withSpecialist: number;
  specialistMedianMs: number | null;
}

export interface GroupContext {
  timeZone: string;
  /** Grouping by column: the ids of the columns a conversation's first message shows in. */
  columnsOf?: (ep: Episode) => readonly string[];
}

/** The groups one conversation counts in (a conversation shows in several columns; an unanswered one has no agent). */
export function groupsOf(ep: Episode, grouping: Grouping, ctx: GroupContext): readonly string[] {
  switch (grouping) {
    case 'day':
    case 'week':
    case 'month':
      return [periodOf(ep.start, grouping, ctx.timeZone)];
    case 'channel':
      return [ep.channel];
    case 'account':
      return [ep.accountId];
    case 'department':
      return [ep.department ?? ''];
    case 'agent':
      return [ep.by ?? '-'];
    case 'column':
      return ctx.columnsOf?.(ep) ?? [];
  }
}

function rowOf(group: string, eps: readonly Episode[]): ReportRow {
  // Typed arrays: sorted numerically without a comparator, several times faster over months of conversations.
  const frtAll = new Float64Array(eps.length);
  const resAll = new Float64Array(eps.length);
  const specAll = new Float64Array(eps.length);
  let nf = 0;
  let nr = 0;
  let ns = 0;
  let messages = 0;
  let met = 0;
  let missed = 0;
  for (const ep of eps) {
    messages += ep.messages;
    if (ep.frtMs !== undefined) frtAll[nf++] = ep.frtMs;
    if (ep.resolutionMs !== undefined) resAll[nr++] = ep.resolutionMs;
    if (ep.specialistMs > 0) specAll[ns++] = ep.specialistMs;
    if (ep.target === 'met') met++;
    else if (ep.target === 'missed') missed++;
  }
  const frt = frtAll.subarray(0, nf).sort();
  const res = resAll.subarray(0, nr).sort();
  const spec = specAll.subarray(0, ns).sort();
  return {
    group,
    conversations: eps.length,
    messages,
    answered: frt.length,
    frtMedianMs: median(frt),
    frtP90Ms: percentile(frt, 0.9),
    withinTarget: met + missed > 0 ? met / (met + missed) : null,
    met,
    missed,
    resolved: res.length,
    resolutionMedianMs: median(res),
    withSpecialist: spec.length,
    specialistMedianMs: median(spec),
  };
}

/** Rows for every period of a range, in order: the grouped rows, and an empty row for a period without conversations. */
export function fillPeriods(rows: readonly ReportRow[], keys: readonly string[]): ReportRow[] {
  const by = new Map(rows.map((r) => [r.group, r]));
  return keys.map((k) => by.get(k) ?? rowOf(k, []));
}

/** The whole range as one row. */
export function totalRow(eps: readonly Episode[]): ReportRow {
  return rowOf('', eps);
}

/** Rows by a grouping: periods in time order, every other grouping by most conversations first. */
export function groupRows(eps: readonly Episode[], grouping: Grouping, ctx: GroupContext): ReportRow[] {
  const groups = new Map<string, Episode[]>();
  if (grouping === 'day' || grouping === 'week' || grouping === 'month') {
    const keyOf = periodKeyer(grouping, ctx.timeZone);
    for (const ep of eps) {
      const g = keyOf(ep.start);
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push(ep);
    }
    return [...groups.entries()].map(([g, list]) => rowOf(g, list)).sort((a, b) => (a.group < b.group ? -1 : 1));
  }
  for (const ep of eps) {
    for (const g of groupsOf(ep, grouping, ctx)) {
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push(ep);
    }
  }
  const rows = [...groups.entries()].map(([g, list]) => rowOf(g, list));
  if (PERIODS.includes(grouping)) return rows.sort((a, b) => (a.group < b.group ? -1 : 1));
  return rows.sort((a, b) => b.conversations - a.conversations || (a.group < b.group ? -1 : 1));
}

// ── volume, sentiment, words ────────────────────────────────────────────────

/**
 * Customers' messages by local weekday (Monday 0) and hour: 7 rows of 24. With
 * sentimentTrend, the definition the reports' facts are held to (tableFigures in
 * shared/reportFacts.ts is tested equal to both).
 */
export function volumeHeatmap(messages: readonly Pick<ReportMessage, 'createdAt' | 'fromUs'>[], from: number, to: number, timeZone: string): number[][] {
  const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const m of messages) {
    if (m.fromUs || m.createdAt < from || m.createdAt >= to) continue;
    const w = wall(m.createdAt, timeZone);
    const weekday = (new Date(Date.UTC(w.y, w.m - 1, w.d)).getUTCDay() + 6) % 7;
    (grid[weekday] as number[])[w.h]!++;
  }
  return grid;
}

export interface SentimentRow {
  period: string;
  positive: number;
  neutral: number;
  negative: number;
  /** Not read (too short, or stored before the console read sentiment). */
  unknown: number;
}

/** Customers' messages per period by how they sound: the agent's reading where there is one, else the console's. */
export function sentimentTrend(
  messages: readonly ReportMessage[],
  markOf: (key: string) => ReportMark | undefined,
  from: number,
  to: number,
  period: 'day' | 'week' | 'month',
  timeZone: string,
): SentimentRow[] {
  const rows = new Map<string, SentimentRow>();
  for (const m of messages) {
    if (m.fromUs || m.createdAt < from || m.createdAt >= to) continue;
    const mark = markOf(m.key);
    if (mark?.hidden) continue;
    const p = periodOf(m.createdAt, period, timeZone);
    let row = rows.get(p);
    if (!row) rows.set(p, (row = { period: p, positive: 0, neutral: 0, negative: 0, unknown: 0 }));
    const s = mark?.sentiment ?? m.sentiment;
    if (s !== undefined && SENTIMENTS.includes(s)) row[s]++;
    else row.unknown++;
  }
  return [...rows.values()].sort((a, b) => (a.period < b.period ? -1 : 1));
}

/** The words and two-word phrases most customers' messages share (each counted once per message). */
export function topTerms(texts: readonly string[], n = 15): { words: { word: string; count: number }[]; phrases: { phrase: string; count: number }[] } {
  const words = topWords(texts, n);
  const counts = new Map<string, number>();
  for (const text of texts) {
    const clean = text.replace(/https?:\/\/\S+|www\.\S+/giu, ' ').replace(/[@#]\S+/gu, ' ');
    const tokens = clean
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 2 && !/\p{N}/u.test(w));
    const seen = new Set<string>();
    for (let i = 0; i + 1 < tokens.length; i++) {
      const a = tokens[i] as string;
      const b = tokens[i + 1] as string;
      if (PHRASE_STOP.has(a) || PHRASE_STOP.has(b)) continue;
      seen.add(`${a} ${b}`);
    }
    for (const p of seen) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const phrases = [...counts.entries()]
    .filter(([, c]) => c >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([phrase, count]) => ({ phrase, count }));
  return { words, phrases };
}

/** Words that make no phrase alone (articles, pronouns, auxiliaries) in Dutch and English. */
const PHRASE_STOP = new Set(
  (
    'de het een en of in op te van voor met aan bij is zijn was ik je jij u we wij ze zij hij dit dat die er niet nog al ook maar dan als om uit naar mijn jullie ons onze wel geen heb hebt heeft kan wil moet' +
    ' the a an and or in on to of for with at by is are was were i you we they he she it this that there not no yet also but then if as my your our do does did have has had can will would be been'
  ).split(' '),
);

// ── canned replies ──────────────────────────────────────────────────────────

/** A canned reply put into a reply: which, by whom, when. */
export interface CannedUse {
  cannedId: string;
  by: string;
  at: number;
}

export interface CannedUsageRow {
  cannedId: string;
  uses: number;
  /** Agents who used it, most uses first. */
  agents: { by: string; uses: number }[];
}

export function cannedUsage(uses: readonly CannedUse[], from: number, to: number): CannedUsageRow[] {
  const rows = new Map<string, Map<string, number>>();
  for (const u of uses) {
    if (u.at < from || u.at >= to) continue;
    let byAgent = rows.get(u.cannedId);
    if (!byAgent) rows.set(u.cannedId, (byAgent = new Map()));
    byAgent.set(u.by, (byAgent.get(u.by) ?? 0) + 1);
  }
  return [...rows.entries()]
    .map(([cannedId, byAgent]) => ({
      cannedId,
      uses: [...byAgent.values()].reduce((a, b) => a + b, 0),
      agents: [...byAgent.entries()].map(([by, n]) => ({ by, uses: n })).sort((a, b) => b.uses - a.uses || (a.by < b.by ? -1 : 1)),
    }))
    .sort((a, b) => b.uses - a.uses || (a.cannedId < b.cannedId ? -1 : 1));
}

// ── CSV ─────────────────────────────────────────────────────────────────────

/**
 * RFC 4180 CSV (CRLF, quotes doubled). A cell that a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) gets a leading
 * apostrophe: customer text and names are untrusted (OWASP, CSV injection).
 * Numbers are written as they are.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null): string => {
    if (v === null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    const safe = /^[=+\-@\t\r]/u.test(v) ? `'${v}` : v;
    return /[",\r\n]/u.test(safe) ? `"${safe.replace(/"/gu, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
