import Dexie, { type Collection } from 'dexie';
import { compileFilter, isWaiting, type ColumnFilter, type FilterContext, type MessageMark } from '../../../shared/filter.js';
import type { Message } from '../../../shared/model.js';
import type { WebcareDb } from '../db/db';

export interface ColumnItem {
  message: Message;
  mark: MessageMark | undefined;
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
  return db.transaction('r', db.messages, db.marks, async () => {
    const sparse = sparseMarks(db, filter, ctx);
    if (sparse) {
      const marks = await sparse.limit(opts.maxScan).toArray();
      const messages = await db.messages.bulkGet(marks.map((m) => m.key));
      const items: ColumnItem[] = [];
      marks.forEach((mark, i) => {
        const message = messages[i];
        if (message && match(message, mark)) items.push({ message, mark });
      });
      items.sort((a, b) => b.message.createdAt - a.message.createdAt);
      return { items: items.slice(0, opts.limit), more: items.length > opts.limit || marks.length >= opts.maxScan };
    }

    const items: ColumnItem[] = [];
    const walked = await walk(db, filter, 'newest', opts.after, opts.maxScan, opts.limit, (message, mark) => {
      if (!match(message, mark)) return true;
      items.push({ message, mark });
      return items.length < opts.limit;
    });
    return { items, more: walked.rest };
  });
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
    const marks = await db.marks.bulkGet(rows.map((m) => m.key));
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
  /** Waiting messages newer than the column was last seen. */
  unread: number;
  /** More may be unread than `unread`: every row read is newer than "seen", and more rows exist. */
  unreadMore: boolean;
  /** When the longest-waiting message arrived; null when none waits (or none was found yet). */
  oldest: number | null;
}

/** Where the search for the oldest waiting message got to: up to and including `clear`, nothing waits. */
export interface OldestProgress {
  clear: Cursor | undefined;
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
): Promise<{ stats: ColumnStats; progress: OldestProgress; complete: boolean; beyond: boolean }> {
  const match = compileFilter(filter, ctx);
  const fromShown = statsOfShown(shown, seenAt);
  if (!shown.more) return { stats: fromShown, progress: { clear: undefined }, complete: true, beyond: false };
  if (readsFromMarks(filter)) {
    // A colleague's or a department's marks: few enough to read all of them (see sparseMarks).
    const all = await readColumn(db, filter, ctx, { limit: DEFAULT_READ.maxScan, maxScan: DEFAULT_READ.maxScan });
    return { stats: { ...statsOf(all.items, seenAt), unreadMore: all.more }, progress: { clear: undefined }, complete: true, beyond: false };
  }
  const lastShown = shown.items[shown.items.length - 1]?.message;
  if (lastShown === undefined) return { stats: fromShown, progress: { clear: undefined }, complete: true, beyond: false };
  return db.transaction('r', db.messages, db.marks, async () => {
    // From where the last call found nothing waiting: normally that is just before the oldest
    // waiting message, found again at once; once it is answered, the walk goes on past it.
    let clear = progress?.clear;
    let found: number | null = null;
    let reached = false;
    const walked = await walk(db, filter, 'oldest', clear, maxScan, 20, (message, mark) => {
      // The rows shown begin here (rows of lastShown's millisecond with a lower key were not shown).
      if (message.createdAt > lastShown.createdAt || (message.createdAt === lastShown.createdAt && message.key >= lastShown.key)) {
        reached = true;
        return false;
      }
      if (match(message, mark) && isWaiting(message, mark)) {
        found = message.createdAt;
        return false;
      }
      clear = { createdAt: message.createdAt, key: message.key };
      return true;
    });
    // Not found before the rows shown (or not yet, within the budget): the oldest among those shown.
    return {
      stats: { ...fromShown, oldest: found ?? fromShown.oldest },
      progress: { clear },
      complete: found !== null || reached || !walked.rest,
      // The oldest waiting lies before the rows shown.
      beyond: found !== null,
    };
  });
}

/** The figures the rows shown give on their own: unread says "N+" when they are all newer than seen and more exist. */
export function statsOfShown(shown: ColumnData, seenAt: number): ColumnStats {
  const last = shown.items[shown.items.length - 1]?.message;
  return { ...statsOf(shown.items, seenAt), unreadMore: shown.more && last !== undefined && last.createdAt > seenAt };
}

/** Unread and oldest waiting among these rows. */
export function statsOf(items: readonly ColumnItem[], seenAt: number): { unread: number; oldest: number | null } {
  let unread = 0;
  let oldest: number | null = null;
  for (const { message, mark } of items) {
    if (!isWaiting(message, mark)) continue;
    if (message.createdAt > seenAt) unread++;
    if (oldest === null || message.createdAt < oldest) oldest = message.createdAt;
  }
  return { unread, oldest };
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
