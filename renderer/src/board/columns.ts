import type { ColumnRecord, WebcareDb } from '../db/db';
import {
  appendColumn,
  MINE_PRESET_FILTER,
  ColumnDefSchema,
  defaultColumns,
  duplicateColumn,
  moveColumn,
  moveColumnBy,
  patchColumn,
  removeColumn,
  resizeColumn,
  sortColumns,
  type ColumnDef,
  type ColumnDefInput,
} from './layout';

export type { ColumnDef, ColumnDefInput } from './layout';

/** At most this many messages per column are read; history stays in Dexie for search. */
export const COLUMN_LIMIT = 500;

/** Set once the default columns were written: a team that deletes them all does not get them back. */
const SEEDED_KEY = 'columnsSeeded';

/** Set once the "Assigned to me" column was added in team mode: deleted, it stays deleted. */
const MINE_SEEDED_KEY = 'mineColumnSeeded';
export const MINE_COLUMN_ID = 'mine';

/** Stored columns, in order; a record that does not parse (a newer version's, a broken one) is left out. */
export async function loadColumns(db: WebcareDb): Promise<ColumnDef[]> {
  const rows = await db.columns.toArray();
  const parsed: ColumnDef[] = [];
  for (const row of rows) {
    const r = ColumnDefSchema.safeParse(row);
    if (r.success) parsed.push(r.data);
  }
  return sortColumns(parsed);
}

/** The first start of a store gets the four channel columns. */
export async function ensureColumns(db: WebcareDb): Promise<void> {
  await db.transaction('rw', db.columns, db.settings, async () => {
    if ((await db.settings.get(SEEDED_KEY))?.value === true) return;
    // Unread counts what arrives from now on, not the history a new store is filled with.
    const now = Date.now();
    if ((await db.columns.count()) === 0) await db.columns.bulkPut(defaultColumns().map((c) => ({ ...c, seenAt: now })) as unknown as ColumnRecord[]);
    await db.settings.put({ key: SEEDED_KEY, value: true });
  });
}

/**
 * In a team every agent has an "Assigned to me" column (what colleagues, a lead
 * or routing gave them): added once, at the end, when the console first works
 * in a team, unless the layout already has a column asking for "mine". The
 * title is written in the agent's language of that moment, as a preset's is.
 */
export async function ensureMineColumn(db: WebcareDb, title: string): Promise<boolean> {
  // A new store gets its channel columns first: a layout that is not empty is never seeded.
  await ensureColumns(db);
  return db.transaction('rw', db.columns, db.settings, async () => {
    if ((await db.settings.get(MINE_SEEDED_KEY))?.value === true) return false;
    const list = await loadColumns(db);
    const has = list.some((c) => c.filter.assignee === 'mine');
    if (!has) {
      const after = appendColumn(list, { id: MINE_COLUMN_ID, title, filter: MINE_PRESET_FILTER, preset: 'mine', seenAt: Date.now() });
      const added = after.find((c) => c.id === MINE_COLUMN_ID);
      if (added) await db.columns.put(added as unknown as ColumnRecord);
    }
    await db.settings.put({ key: MINE_SEEDED_KEY, value: true });
    return !has;
  });
}

/** Reads, changes and writes the whole layout in one transaction: two windows never interleave halves. */
async function change(db: WebcareDb, fn: (list: ColumnDef[]) => ColumnDef[]): Promise<ColumnDef[]> {
  return db.transaction('rw', db.columns, async () => {
    const before = await loadColumns(db);
    const after = fn(before);
    const keep = new Set(after.map((c) => c.id));
    const gone = before.filter((c) => !keep.has(c.id)).map((c) => c.id);
    if (gone.length > 0) await db.columns.bulkDelete(gone);
    const prev = new Map(before.map((c) => [c.id, c]));
    const dirty = after.filter((c) => prev.get(c.id) !== c);
    if (dirty.length > 0) await db.columns.bulkPut(dirty as unknown as ColumnRecord[]);
    return after;
  });
}

export function newColumnId(): string {
  return `col-${crypto.randomUUID()}`;
}

/**
 * Adds a column at the end and answers its id. Search uses this to save a
 * search as a column: `addColumn(db, { title, filter: { text, channels, statuses } })`.
 */
export async function addColumn(db: WebcareDb, def: Omit<ColumnDefInput, 'order' | 'id'> & { id?: string }): Promise<string> {
  const id = def.id ?? newColumnId();
  await change(db, (list) => appendColumn(list, { seenAt: Date.now(), ...def, id }));
  return id;
}

export async function updateColumn(db: WebcareDb, id: string, patch: Partial<Omit<ColumnDef, 'id' | 'order'>>): Promise<void> {
  await change(db, (list) => patchColumn(list, id, patch));
}

export async function deleteColumn(db: WebcareDb, id: string): Promise<void> {
  await change(db, (list) => removeColumn(list, id));
}

export async function duplicateColumnIn(db: WebcareDb, id: string, title: string): Promise<string> {
  const newId = newColumnId();
  await change(db, (list) => duplicateColumn(list, id, newId, title));
  return newId;
}

export async function moveColumnTo(db: WebcareDb, id: string, toIndex: number): Promise<void> {
  await change(db, (list) => moveColumn(list, id, toIndex));
}

export async function moveColumnStep(db: WebcareDb, id: string, delta: number): Promise<void> {
  await change(db, (list) => moveColumnBy(list, id, delta));
}

export async function resizeColumnIn(db: WebcareDb, id: string, width: number): Promise<void> {
  await change(db, (list) => resizeColumn(list, id, width));
}
