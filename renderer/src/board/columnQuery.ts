import Dexie, { type Collection } from 'dexie';
import { answeredKeys, answerThreadKey, conversationKeyOf, isPrivateChannel, messageState, summarizeConversation, type ConversationSummary, type MessageState, type StateMessage } from '../../../shared/conversation.js';
import { compileFilter, type ColumnFilter, type FilterContext, type Matcher, type MessageMark } from '../../../shared/filter.js';
import type { Channel, Message } from '../../../shared/model.js';
import type { WebcareDb } from '../db/db';
import type { ThreadItem } from '../db/threads';

export interface ColumnItem {
  message: Message;
  mark: MessageMark | undefined;
  /** Where it stands (shared/conversation.ts); for a private conversation's card, the conversation's. */
  state: MessageState;
  /** X DMs and Messenger: the card stands for its whole conversation, shown by its newest message the column matches. */
  conversation?: ConversationCard;
}

export interface ConversationCard {
  /** The customer's open messages since our last reply. */
  unanswered: number;
  /** The oldest of them: when its clock started. */
  waitingSince: number | null;
}

export interface ColumnData {
  /** Newest first, at most `limit`. */
  items: ColumnItem[];
  /** More matches exist (or may, past the scan budget) beyond `items`. */
  more: boolean;
}

export interface ReadOptions {
  limit: number;
  /** Most messages one read looks at: a rare filter over a year of history stops here instead of reading it all. */
  maxScan: number;
  /** Continue after this message (the last one of an earlier read) instead of from the newest. Not for a column read from marks. */
  after?: Pick<Message, 'createdAt' | 'key'>;
  /** Private conversations already shown (answerThreadKey), when continuing: each is one card, never a second one further down. */
  shownConversations?: ReadonlySet<string>;
}

export const DEFAULT_READ: ReadOptions = { limit: 500, maxScan: 20_000 };

const FIRST_PAGE = 200;
// Pages stay small: each is deserialised in one task on the UI thread, and a long one costs a frame.
const MAX_PAGE = 250;

/**
 * A column's messages, newest first, read through an index and stopped as
 * soon as enough match: one channel walks `[channel+createdAt]` backwards,
 * several walk `createdAt`. Each page of messages is joined with its marks by
 * key. A column of one colleague or department tag starts from the (sparse)
 * marks instead. Nothing here reads the whole table.
 */
export async function readColumn(db: WebcareDb, filter: ColumnFilter, ctx: FilterContext, opts: ReadOptions = DEFAULT_READ): Promise<ColumnData> {
  const match = compileFilter(filter, ctx);
  return db.transaction('r', db.messages, db.marks, db.threads, async () => {
    const threads = new ThreadFacts(db);
    const shownConversations = new Set(opts.shownConversations);
    // The first (newest) match of a private conversation is its card; its older messages are in it.
    const itemOf = (message: Message, mark: MessageMark | undefined): ColumnItem | null => {
      if (!isPrivateChannel(message.channel)) return { message, mark, state: threads.stateOf(message, mark) };
      const key = answerThreadKey(message);
      if (shownConversations.has(key)) return null;
      shownConversations.add(key);
      const summary = threads.summaryOf(message);
      return { message, mark, state: summary?.state ?? threads.stateOf(message, mark), conversation: { unanswered: summary?.unanswered ?? 0, waitingSince: summary?.waitingSince ?? null } };
    };
    const sparse = sparseMarks(db, filter, ctx);
    if (sparse) {
      const marks = await sparse.limit(opts.maxScan).toArray();
      const messages = await db.messages.bulkGet(marks.map((m) => m.key));
      const matched: { message: Message; mark: MessageMark }[] = [];
      marks.forEach((mark, i) => {
        const message = messages[i];
        if (message && match(message, mark)) matched.push({ message, mark });
      });
      matched.sort((a, b) => b.message.createdAt - a.message.createdAt);
      const items: ColumnItem[] = [];
      // Only what is shown needs its thread: the column's first `limit` cards.
      let visited = 0;
      for (let i = 0; i < matched.length && items.length < opts.limit; i += MAX_PAGE) {
        const page = matched.slice(i, i + MAX_PAGE);
        await threads.load(page);
        for (const { message, mark } of page) {
          if (items.length >= opts.limit) break;
          visited++;
          const item = itemOf(message, mark);
          if (item) items.push(item);
        }
      }
      return { items, more: visited < matched.length || marks.length >= opts.maxScan };
    }

    const items: ColumnItem[] = [];
    const matches = new Set<string>();
    const walked = await walk(
      db,
      filter,
      'newest',
      opts.after,
      opts.maxScan,
      opts.limit,
      (message, mark) => {
        if (!matches.has(message.key)) return true;
        const item = itemOf(message, mark);
        if (item) items.push(item);
        return items.length < opts.limit;
      },
      (rows, marks, looked) => {
        threads.know(looked, marks);
        return threads.load(matchedRows(rows, marks, match, matches));
      },
      (rows) => cardMarks(db, rows, match, shownConversations),
    );
    return { items, more: walked.rest };
  });
}

/**
 * A page's marks for a column of cards: a private conversation is one card, shown
 * by its newest message the column matches, so the marks of its older messages are
 * not needed once that one is found. Read for every other row, for the newest
 * row of each conversation not shown yet, then (a second read) for the other
 * rows of the conversations whose newest one did not match. Rows left out are
 * visited without their mark and show nothing (their conversation has its card).
 */
async function cardMarks(db: WebcareDb, rows: readonly Message[], match: Matcher, shown: ReadonlySet<string>): Promise<{ marks: (MessageMark | undefined)[]; looked: Message[] }> {
  const byKey = new Map<string, MessageMark>();
  const read = async (ms: readonly Message[]) => {
    if (ms.length === 0) return;
    for (const mark of await db.marks.bulkGet(ms.map((m) => m.key))) if (mark) byKey.set(mark.key, mark);
  };
  const first: Message[] = [];
  const later: Message[] = [];
  const seen = new Set<string>();
  for (const m of rows) {
    if (!isPrivateChannel(m.channel)) first.push(m);
    else {
      const key = answerThreadKey(m);
      if (shown.has(key)) continue;
      (seen.has(key) ? later : first).push(m);
      seen.add(key);
    }
  }
  await read(first);
  const carded = new Set<string>();
  for (const m of first) if (isPrivateChannel(m.channel) && match(m, byKey.get(m.key))) carded.add(answerThreadKey(m));
  const rest = later.filter((m) => !carded.has(answerThreadKey(m)));
  await read(rest);
  const looked = [...first, ...rest];
  return { marks: rows.map((m) => byKey.get(m.key)), looked };
}

/** The rows of a page the filter matches (their keys added to `into`), for reading their threads before they are visited. */
function matchedRows(rows: readonly Message[], marks: readonly (MessageMark | undefined)[], match: Matcher, into: Set<string>): Marked[] {
  const out: Marked[] = [];
  rows.forEach((message, i) => {
    const mark = marks[i];
    if (match(message, mark)) {
      into.add(message.key);
      out.push({ message, mark });
    }
  });
  return out;
}

interface Marked {
  message: Message;
  mark: MessageMark | undefined;
}

/**
 * What the threads of a read's messages say about them: which customer
 * messages a reply of ours follows, and for a private conversation its
 * summary (shared/conversation.ts). Read from each thread's row (db/threads.ts),
 * by key, all of a page's at once, only for the messages that need it: a private
 * conversation's, or a customer's open message (ours, done and archived ones
 * need no thread); each thread once per read. A private conversation whose row
 * lacks a message shown (stored other than through this database) is read whole.
 */
class ThreadFacts {
  private readonly known = new Map<string, KnownThread>();
  /** Customer messages of public threads found answered. */
  private readonly answered = new Set<string>();
  /** Marks the read has already read (undefined: the message has none). */
  private readonly marks = new Map<string, MessageMark | undefined>();

  constructor(private readonly db: WebcareDb) {}

  private needs(m: Message, mark: MessageMark | undefined): boolean {
    return isPrivateChannel(m.channel) || (!m.fromUs && (mark?.status ?? 'open') === 'open');
  }

  /** Marks the walk read (`marks` in the order of `rows`, of which `looked` were read): not read again for a conversation. */
  know(looked: readonly Message[], marks: readonly (MessageMark | undefined)[]): void {
    const byKey = new Map<string, MessageMark>();
    for (const mark of marks) if (mark) byKey.set(mark.key, mark);
    for (const m of looked) this.marks.set(m.key, byKey.get(m.key));
  }

  /** Call in a read transaction over messages, marks and threads, with the rows about to be visited. */
  async load(rows: readonly Marked[]): Promise<void> {
    const need = new Map<string, Message[]>();
    for (const { message, mark } of rows) {
      if (!this.needs(message, mark)) continue;
      const key = answerThreadKey(message);
      let list = need.get(key);
      if (!list) need.set(key, (list = []));
      list.push(message);
    }
    const fresh = [...need.keys()].filter((k) => !this.known.has(k));
    if (fresh.length > 0) await this.read(fresh, need);
    // A public thread's customer message: answered by the same rules as over the whole thread, from our
    // messages in it, the posts they reply to and the message itself (nothing else there decides it).
    for (const [key, messages] of need) {
      const around = this.known.get(key)?.around;
      if (around === undefined || around.length === 0) continue;
      const thread = new Map<string, StateMessage>(around.map((m) => [m.key, m]));
      for (const m of messages) thread.set(m.key, m);
      for (const k of answeredKeys([...thread.values()])) this.answered.add(k);
    }
  }

  private async read(keys: readonly string[], need: ReadonlyMap<string, readonly Message[]>): Promise<void> {
    const rows = await this.db.threads.bulkGet([...keys]);
    const conversations: { key: string; items: StateMessage[] }[] = [];
    const whole: { key: string; conversationId: string }[] = [];
    const publics: { key: string; ours: StateMessage[] }[] = [];
    const targetKeys = new Set<string>();
    keys.forEach((key, i) => {
      const row = rows[i];
      const shown = need.get(key) ?? [];
      const first = shown[0] as Message;
      if (isPrivateChannel(first.channel)) {
        const has = new Set(row?.items.map((item) => item.key));
        if (row && shown.every((m) => has.has(m.key))) conversations.push({ key, items: row.items.map(fromItem) });
        else whole.push({ key, conversationId: first.conversationId });
        return;
      }
      // No row: no message of ours in the thread.
      const ours = (row?.items ?? []).map(fromItem);
      publics.push({ key, ours });
      const ids = new Set(ours.map((m) => m.platformId));
      for (const m of ours) if (m.inReplyToId !== undefined && !ids.has(m.inReplyToId)) for (const channel of threadChannels(key)) targetKeys.add(`${channel}:${m.inReplyToId}`);
    });
    const [targets, wholeThreads] = await Promise.all([
      targetKeys.size > 0 ? this.db.messages.bulkGet([...targetKeys]) : [],
      // One ranged read per conversation, all at once: `anyOf` steps a cursor with continue(key), which
      // an in-memory IndexedDB (Chromium's for a fresh profile, the tests') walks entry by entry.
      Promise.all(whole.map(({ key, conversationId }) => this.db.messages.where('conversationId').equals(conversationId).toArray().then((all) => ({ key, items: all.filter((m) => answerThreadKey(m) === key) as StateMessage[] })))),
    ]);
    const privateThreads = [...conversations, ...wholeThreads];
    const marksOf = await conversationMarks(this.db, privateThreads, this.marks);
    for (const { key, items } of privateThreads) this.known.set(key, { answered: answeredKeys(items), summary: summarizeConversation(items, (k) => marksOf.get(k)) });
    const byThread = new Map<string, Message[]>();
    for (const t of targets) {
      if (!t) continue;
      const key = answerThreadKey(t);
      let list = byThread.get(key);
      if (!list) byThread.set(key, (list = []));
      list.push(t);
    }
    for (const { key, ours } of publics) this.known.set(key, { around: [...ours, ...(byThread.get(key) ?? [])] });
  }

  /** A message's state; one whose thread was not read (ours, or marked) needs none. */
  stateOf(m: Message, mark: MessageMark | undefined): MessageState {
    const known = this.known.get(answerThreadKey(m));
    return messageState(m, mark, (known?.answered ?? this.answered).has(m.key));
  }

  summaryOf(m: Pick<Message, 'channel' | 'conversationId'>): ConversationSummary<StateMessage> | undefined {
    return this.known.get(answerThreadKey(m))?.summary;
  }
}

/**
 * The marks a private conversation's summary depends on: what the agent marked
 * counts (done, archived, deleted from the view), but only from our last reply
 * that is not deleted from the view on (what lies before it is neither waiting
 * nor the newest). Read from the newest reply of ours back, one more step only
 * where that reply was deleted from the view; a conversation without one is read
 * whole. Marks of messages before it are left out (not read).
 */
async function conversationMarks(db: WebcareDb, threads: readonly { items: readonly StateMessage[] }[], known: ReadonlyMap<string, MessageMark | undefined>): Promise<Map<string, MessageMark>> {
  const marks = new Map<string, MessageMark>();
  let open = threads.map((t) => ({ items: t.items, below: Infinity, from: -Infinity }));
  while (open.length > 0) {
    const keys: string[] = [];
    for (const c of open) {
      c.from = -Infinity;
      for (const m of c.items) if (m.fromUs && m.createdAt < c.below && m.createdAt > c.from) c.from = m.createdAt;
      for (const m of c.items) {
        if (m.createdAt < c.from || m.createdAt >= c.below) continue;
        if (!known.has(m.key)) keys.push(m.key);
        else {
          const mark = known.get(m.key);
          if (mark) marks.set(m.key, mark);
        }
      }
    }
    if (keys.length > 0) for (const mk of await db.marks.bulkGet(keys)) if (mk) marks.set(mk.key, mk);
    // Every reply of ours of that millisecond deleted from the view: the one before it decides.
    open = open.filter((c) => c.from !== -Infinity && !c.items.some((m) => m.fromUs && m.createdAt === c.from && !marks.get(m.key)?.hidden));
    for (const c of open) c.below = c.from;
  }
  return marks;
}

/** A thread as a read found it. */
interface KnownThread {
  /** A private conversation: its customer messages a reply of ours follows, and its summary. */
  answered?: ReadonlySet<string>;
  summary?: ConversationSummary<StateMessage>;
  /** A public thread: our messages in it and the posts of it they reply to (empty: none of ours). */
  around?: readonly StateMessage[];
}

/** A thread row's message, with what the state rules read of it (a private conversation's author is one person). */
function fromItem(item: ThreadItem): StateMessage {
  const cut = item.key.indexOf(':');
  const m: StateMessage = {
    key: item.key,
    platformId: item.key.slice(cut + 1),
    channel: item.key.slice(0, cut) as Channel,
    conversationId: '',
    createdAt: item.at,
    fromUs: item.us,
    author: { id: '' },
  };
  if (item.to !== undefined) m.inReplyToId = item.to;
  if (item.priv) m.privately = true;
  return m;
}

/** The channels whose messages share a thread key (answerThreadKey): the two X post channels, or the one. */
function threadChannels(threadKey: string): Channel[] {
  const prefix = threadKey.slice(0, threadKey.indexOf(':'));
  return prefix === 'x_post' ? ['x_mention', 'x_search'] : [prefix as Channel];
}

/** A place in a column's order: the row read last. */
export type Cursor = Pick<Message, 'createdAt' | 'key'>;

interface Walked {
  /** Rows exist past where the walk stopped (it was stopped, or ran out of budget, before the end). */
  rest: boolean;
  /** The last row visited. */
  last: Cursor | undefined;
}

/**
 * Visits a column's messages with their marks in time order (newest or oldest
 * first), continuing after `after`, until `visit` says stop, the end, or
 * `maxScan` rows. One channel walks `[channel+createdAt]`, several walk
 * `createdAt`. Every page is one ranged read, never a cursor stepping over
 * what earlier pages read (offset), whose cost grows with the depth. Call in
 * a read transaction over messages and marks.
 */
async function walk(
  db: WebcareDb,
  filter: ColumnFilter,
  order: 'newest' | 'oldest',
  from: Cursor | undefined,
  maxScan: number,
  want: number,
  visit: (message: Message, mark: MessageMark | undefined) => boolean,
  /** Before a page is visited: read what its visits need (their threads), for the whole page at once; `looked`: the rows whose marks were read. */
  prepare?: (rows: readonly Message[], marks: readonly (MessageMark | undefined)[], looked: readonly Message[]) => Promise<void>,
  /** Reads a page's marks (default: all of them); `looked`: the rows whose marks it read, the others are visited without. */
  marksOf: (rows: readonly Message[]) => Promise<{ marks: (MessageMark | undefined)[]; looked: readonly Message[] }> = async (rows) => ({ marks: await db.marks.bulkGet(rows.map((m) => m.key)), looked: rows }),
): Promise<Walked> {
  const only = filter.channels.length === 1 ? filter.channels[0] : undefined;
  const newest = order === 'newest';
  // From `at` (inclusive; its ties come too), in walking order.
  const source = (at: number | undefined): Collection<Message, string> => {
    if (only !== undefined) {
      const range = newest
        ? db.messages.where('[channel+createdAt]').between([only, Dexie.minKey], [only, at ?? Dexie.maxKey], true, true)
        : db.messages.where('[channel+createdAt]').between([only, at ?? Dexie.minKey], [only, Dexie.maxKey], true, true);
      return newest ? range.reverse() : range;
    }
    if (at === undefined) return newest ? db.messages.orderBy('createdAt').reverse() : db.messages.orderBy('createdAt');
    return newest ? db.messages.where('createdAt').belowOrEqual(at).reverse() : db.messages.where('createdAt').aboveOrEqual(at);
  };
  // Rows of one createdAt come in key order (descending newest first, ascending oldest first):
  // those at or before the cursor's key in that order were read already.
  const unread = (m: Message, a: Cursor) => m.createdAt !== a.createdAt || (newest ? m.key < a.key : m.key > a.key);

  let scanned = 0;
  let page = Math.min(FIRST_PAGE, Math.max(1, want));
  let after = from;
  let skip = 0;
  for (;;) {
    const raw = await source(after?.createdAt).limit(page + skip).toArray();
    const a = after;
    const rows = a === undefined ? raw : raw.filter((m) => unread(m, a));
    const end = raw.length < page + skip;
    if (rows.length === 0) {
      if (end) return { rest: false, last: after };
      // More rows of one millisecond than the page: read further past them.
      skip = skip * 2 + page;
      continue;
    }
    const { marks, looked } = await marksOf(rows);
    if (prepare) await prepare(rows, marks, looked);
    for (let i = 0; i < rows.length; i++) {
      const message = rows[i] as Message;
      if (!visit(message, marks[i])) return { rest: i < rows.length - 1 || !end, last: message };
    }
    scanned += rows.length;
    const last = rows[rows.length - 1] as Message;
    if (end) return { rest: false, last };
    if (scanned >= maxScan) return { rest: true, last };
    after = { createdAt: last.createdAt, key: last.key };
    skip = 0;
    for (let i = rows.length - 1; i >= 0 && rows[i]?.createdAt === last.createdAt; i--) skip++;
    page = Math.min(MAX_PAGE, page * 2, maxScan - scanned);
  }
}

export interface ColumnStats {
  /** Waiting cards newer than the column was last seen. */
  unread: number;
  /** More may be unread than `unread`: every row read is newer than "seen", and more rows exist. */
  unreadMore: boolean;
  /** When the longest-waiting message arrived; null when none waits (or none was found yet). */
  oldest: number | null;
  /** Its conversation (`${channel}:${conversationId}`, as the team workflow keys it), for a clock paused while a specialist is asked. */
  oldestConversation: string | null;
  /**
   * Waiting conversations a specialist was asked about (`paused` given to the read): their clock
   * stood still meanwhile, so the oldest of them need not be the longest running. They are left
   * out of `oldest` and listed here (each from its oldest waiting message), to be counted apart.
   */
  paused?: PausedWaiting[];
}

/** A waiting conversation whose clock a specialist wait may have paused. */
export interface PausedWaiting {
  conversation: string;
  since: number;
}

/** No conversation is paused (solo, or nobody asked a specialist). */
const NONE: ReadonlySet<string> = new Set();

/** `list` with `more` added, one entry per conversation (its earliest). */
export function joinPaused(list: readonly PausedWaiting[] | undefined, more: ReadonlyMap<string, number>): PausedWaiting[] | undefined {
  const by = new Map((list ?? []).map((p) => [p.conversation, p.since]));
  for (const [conversation, since] of more) by.set(conversation, Math.min(since, by.get(conversation) ?? Infinity));
  return by.size ? [...by].map(([conversation, since]) => ({ conversation, since })) : undefined;
}

/**
 * Where the search for the oldest waiting message got to: up to and including `clear`, nothing
 * waits but the conversations a specialist was asked about that it passed (`paused`).
 */
export interface OldestProgress {
  clear: Cursor | undefined;
  paused?: PausedWaiting[];
}

/**
 * A column's header figures over everything it matches, not only the rows it
 * has read: a customer forgotten behind 500 newer, handled messages is the one
 * the response target is about. What is shown (`shown`, newest first) is
 * counted directly. Unread past them is not read: when every row shown is
 * newer than `seenAt` the count says "N+" (a count past hundreds tells an
 * agent nothing more, and reading it during a burst halved the ingest). The
 * oldest waiting message is read from the store within a budget: oldest
 * first, from where an earlier call got to (`progress`), until the first
 * waiting message or the rows shown. Returns the figures and how far that
 * walk got, for the next call.
 */
export async function readColumnStats(
  db: WebcareDb,
  filter: ColumnFilter,
  ctx: FilterContext,
  shown: ColumnData,
  seenAt: number,
  progress: OldestProgress | undefined,
  maxScan = 5_000,
  paused: ReadonlySet<string> = NONE,
): Promise<{ stats: ColumnStats; progress: OldestProgress; complete: boolean; beyond: boolean; pausedBeyond?: PausedWaiting[] }> {
  const match = compileFilter(filter, ctx);
  const fromShown = statsOfShown(shown, seenAt, paused);
  if (!shown.more) return { stats: fromShown, progress: { clear: undefined }, complete: true, beyond: false };
  if (readsFromMarks(filter)) {
    // A colleague's or a department's marks: few enough to read all of them (see sparseMarks).
    const all = await readColumn(db, filter, ctx, { limit: DEFAULT_READ.maxScan, maxScan: DEFAULT_READ.maxScan });
    return { stats: { ...statsOf(all.items, seenAt, paused), unreadMore: all.more }, progress: { clear: undefined }, complete: true, beyond: false };
  }
  const lastShown = shown.items[shown.items.length - 1]?.message;
  if (lastShown === undefined) return { stats: fromShown, progress: { clear: undefined }, complete: true, beyond: false };
  return db.transaction('r', db.messages, db.marks, db.threads, async () => {
    // From where the last call found nothing waiting: normally that is just before the oldest
    // waiting message, found again at once; once it is answered, the walk goes on past it.
    let clear = progress?.clear;
    let found: Message | null = null;
    let reached = false;
    // Waiting conversations a specialist was asked about, passed on the way (and by the calls
    // before, up to `clear`): the walk goes on past them, and the next call carries them along.
    const pausedFound = new Map((progress?.paused ?? []).map((p) => [p.conversation, p.since]));
    const threads = new ThreadFacts(db);
    const matches = new Set<string>();
    const walked = await walk(
      db,
      filter,
      'oldest',
      clear,
      maxScan,
      20,
      (message, mark) => {
        // The rows shown begin here (rows of lastShown's millisecond with a lower key were not shown).
        if (message.createdAt > lastShown.createdAt || (message.createdAt === lastShown.createdAt && message.key >= lastShown.key)) {
          reached = true;
          return false;
        }
        // The same test as a card's: open, the customer's, and no reply of ours after it.
        if (matches.has(message.key) && !mark?.hidden && threads.stateOf(message, mark) === 'waiting') {
          const conversation = conversationKeyOf(message);
          if (!paused.has(conversation)) {
            found = message;
            return false;
          }
          if (!pausedFound.has(conversation)) pausedFound.set(conversation, message.createdAt);
        }
        clear = { createdAt: message.createdAt, key: message.key };
        return true;
      },
      // Only the page's rows before those shown can be the answer: threads are read for those.
      (rows, marks) => threads.load(matchedRows(rows, marks, match, matches).filter(({ message: m }) => m.createdAt <= lastShown.createdAt)),
    );
    const oldest = found as Message | null;
    // Not found before the rows shown (or not yet, within the budget): the oldest among those shown.
    const stats: ColumnStats = oldest ? { ...fromShown, oldest: oldest.createdAt, oldestConversation: conversationKeyOf(oldest) } : { ...fromShown };
    const pausedAll = joinPaused(fromShown.paused, pausedFound);
    if (pausedAll) stats.paused = pausedAll;
    const pausedBeyond = joinPaused(undefined, pausedFound);
    return {
      stats,
      // Those found before the rows shown (the rows shown may change before the answer is used).
      ...(pausedBeyond ? { pausedBeyond } : {}),
      progress: pausedBeyond ? { clear, paused: pausedBeyond } : { clear },
      complete: found !== null || reached || !walked.rest,
      // The oldest waiting lies before the rows shown.
      beyond: found !== null,
    };
  });
}

/** The figures the rows shown give on their own: unread says "N+" when they are all newer than seen and more exist. */
export function statsOfShown(shown: ColumnData, seenAt: number, paused: ReadonlySet<string> = NONE): ColumnStats {
  const last = shown.items[shown.items.length - 1]?.message;
  return { ...statsOf(shown.items, seenAt, paused), unreadMore: shown.more && last !== undefined && last.createdAt > seenAt };
}

/**
 * Unread and oldest waiting among these cards (a conversation's clock runs from its oldest
 * unanswered message); conversations in `paused` are listed apart (ColumnStats.paused).
 */
export function statsOf(
  items: readonly ColumnItem[],
  seenAt: number,
  paused: ReadonlySet<string> = NONE,
): { unread: number; oldest: number | null; oldestConversation: string | null; paused?: PausedWaiting[] } {
  let unread = 0;
  let oldest: number | null = null;
  let oldestConversation: string | null = null;
  const waitingPaused = new Map<string, number>();
  for (const { message, state, conversation } of items) {
    if (state !== 'waiting') continue;
    if (message.createdAt > seenAt) unread++;
    const since = conversation?.waitingSince ?? message.createdAt;
    const key = conversationKeyOf(message);
    if (paused.has(key)) waitingPaused.set(key, Math.min(since, waitingPaused.get(key) ?? Infinity));
    else if (oldest === null || since < oldest) {
      oldest = since;
      oldestConversation = key;
    }
  }
  const list = joinPaused(undefined, waitingPaused);
  return { unread, oldest, oldestConversation, ...(list ? { paused: list } : {}) };
}

/** Whether the column is read from the marks (assignee or department tag) rather than walked newest first: see sparseMarks. */
export function readsFromMarks(filter: ColumnFilter): boolean {
  return filter.assignee === 'mine' || typeof filter.assignee === 'object' || filter.tags.length > 0;
}

/** Marks of one assignee or department tag: far fewer than messages, so the read starts there. */
function sparseMarks(db: WebcareDb, filter: ColumnFilter, ctx: FilterContext): Collection<MessageMark, string> | null {
  const a = filter.assignee;
  const name = a === 'mine' ? ctx.me : typeof a === 'object' ? a.name : null;
  if (a === 'mine' && name === null) return db.marks.where('assignee').equals('\u0000never');
  if (name !== null && name !== undefined) return db.marks.where('assignee').equalsIgnoreCase(name);
  if (filter.tags.length > 0) return db.marks.where('tag').anyOfIgnoreCase(filter.tags);
  return null;
}
