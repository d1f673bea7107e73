import Dexie, { type Collection } from 'dexie';
import { compileFilter, type ColumnFilter, type FilterContext, type MessageMark } from '../../../shared/filter.js';
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
const MAX_PAGE = 500;

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

    const only = filter.channels.length === 1 ? filter.channels[0] : undefined;
    // Newest first from `at` (inclusive; its ties come too): every page is one ranged read, never a
    // cursor stepping over what earlier pages read (offset), whose cost grows with the depth.
    const source = (at: number | undefined): Collection<Message, string> =>
      only !== undefined
        ? db.messages.where('[channel+createdAt]').between([only, Dexie.minKey], [only, at ?? Dexie.maxKey], true, true).reverse()
        : at === undefined
          ? db.messages.orderBy('createdAt').reverse()
          : db.messages.where('createdAt').belowOrEqual(at).reverse();

    const items: ColumnItem[] = [];
    let scanned = 0;
    let page = Math.min(FIRST_PAGE, Math.max(1, opts.limit));
    // The last row read: the next page starts there. Rows of its createdAt come in descending key
    // order, so those with a key at or above it were read already.
    let after = opts.after;
    let skip = 0;
    for (;;) {
      const raw = await source(after?.createdAt).limit(page + skip).toArray();
      const a = after;
      const rows = a === undefined ? raw : raw.filter((m) => m.createdAt !== a.createdAt || m.key < a.key);
      const end = raw.length < page + skip;
      if (rows.length === 0) {
        if (end) return { items, more: false };
        // More rows of one millisecond than the page: read further past them.
        skip = skip * 2 + page;
        continue;
      }
      const marks = await db.marks.bulkGet(rows.map((m) => m.key));
      for (let i = 0; i < rows.length; i++) {
        const message = rows[i] as Message;
        const mark = marks[i];
        if (!match(message, mark)) continue;
        items.push({ message, mark });
        if (items.length >= opts.limit) return { items, more: i < rows.length - 1 || !end };
      }
      scanned += rows.length;
      if (end) return { items, more: false };
      if (scanned >= opts.maxScan) return { items, more: true };
      const last = rows[rows.length - 1] as Message;
      after = { createdAt: last.createdAt, key: last.key };
      skip = 0;
      for (let i = rows.length - 1; i >= 0 && rows[i]?.createdAt === last.createdAt; i--) skip++;
      page = Math.min(MAX_PAGE, page * 2, opts.maxScan - scanned);
    }
  });
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
