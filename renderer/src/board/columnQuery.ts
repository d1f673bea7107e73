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
    const source = (): Collection<Message, string> =>
      only !== undefined
        ? db.messages.where('[channel+createdAt]').between([only, Dexie.minKey], [only, Dexie.maxKey], true, true).reverse()
        : db.messages.orderBy('createdAt').reverse();

    const items: ColumnItem[] = [];
    let scanned = 0;
    let page = FIRST_PAGE;
    for (;;) {
      const rows = await source().offset(scanned).limit(page).toArray();
      if (rows.length === 0) return { items, more: false };
      const marks = await db.marks.bulkGet(rows.map((m) => m.key));
      for (let i = 0; i < rows.length; i++) {
        const message = rows[i] as Message;
        const mark = marks[i];
        if (!match(message, mark)) continue;
        items.push({ message, mark });
        if (items.length >= opts.limit) return { items, more: i < rows.length - 1 || rows.length === page };
      }
      scanned += rows.length;
      if (rows.length < page) return { items, more: false };
      if (scanned >= opts.maxScan) return { items, more: true };
      page = Math.min(MAX_PAGE, page * 2, opts.maxScan - scanned);
    }
  });
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
