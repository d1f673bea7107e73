import { z } from 'zod';
import { ColumnFilterSchema, type ColumnFilterInput } from '../../../shared/filter.js';
import { CHANNELS, type Channel } from '../../../shared/model.js';

/**
 * A column is data: a saved filter with its place, width and switches. The
 * functions here are the layout operations, pure (no store, no clock): each
 * takes the ordered list and answers the new one, orders renumbered 0..n-1.
 */
export const ColumnKindSchema = z.enum(['filter', 'search']);
export type ColumnKind = z.infer<typeof ColumnKindSchema>;

export const MIN_COLUMN_WIDTH = 240;
export const MAX_COLUMN_WIDTH = 720;
export const DEFAULT_COLUMN_WIDTH = 340;

export const ColumnDefSchema = z.object({
  id: z.string().min(1).max(100),
  order: z.number(),
  /** `filter`: a saved filter over the store; `search`: the hits of a platform search stream (filter.searchId). */
  kind: ColumnKindSchema.default('filter'),
  /** Empty: named after its channel. */
  title: z.string().max(100).default(''),
  filter: ColumnFilterSchema,
  width: z.number().int().min(MIN_COLUMN_WIDTH).max(MAX_COLUMN_WIDTH).default(DEFAULT_COLUMN_WIDTH),
  collapsed: z.boolean().default(false),
  notify: z.boolean().default(false),
  sound: z.boolean().default(false),
  /** The newest message the agent has acknowledged: newer waiting ones count as unread. */
  seenAt: z.number().default(0),
  /** Its own response target in minutes; absent: the strictest of its channels' (see insight/slaSettings.ts). */
  targetMin: z.number().int().min(1).max(10_080).optional(),
  /** Newest first, or high priority first (then newest; see shared/priority.ts). */
  sort: z.enum(['time', 'priority']).default('time'),
  /** Only high-priority messages (of those the column reads), or every one. */
  onlyHigh: z.boolean().default(false),
  /** The preset it was added from, if any. */
  preset: z.string().max(100).optional(),
});
export type ColumnDef = z.infer<typeof ColumnDefSchema>;
export type ColumnDefInput = z.input<typeof ColumnDefSchema>;

/** The seed of a new store: one column per channel, ids equal to the channel. */
export function defaultColumns(): ColumnDef[] {
  return CHANNELS.map((channel, order) => ColumnDefSchema.parse({ id: channel, order, filter: { channels: [channel], statuses: ['open'] } }));
}

/** The channel a column is named after when it has no title of its own. */
export function soleChannel(column: Pick<ColumnDef, 'filter'>): Channel | null {
  return column.filter.channels.length === 1 ? (column.filter.channels[0] ?? null) : null;
}

export function sortColumns(list: readonly ColumnDef[]): ColumnDef[] {
  return [...list].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function renumber(list: readonly ColumnDef[]): ColumnDef[] {
  return list.map((c, order) => (c.order === order ? c : { ...c, order }));
}

/** Moves a column to `toIndex` (clamped); unknown ids change nothing. */
export function moveColumn(list: readonly ColumnDef[], id: string, toIndex: number): ColumnDef[] {
  const sorted = sortColumns(list);
  const from = sorted.findIndex((c) => c.id === id);
  if (from < 0) return renumber(sorted);
  const [col] = sorted.splice(from, 1);
  const to = Math.max(0, Math.min(sorted.length, Math.round(toIndex)));
  sorted.splice(to, 0, col as ColumnDef);
  return renumber(sorted);
}

/** One step left (-1) or right (+1), as the keyboard moves it. */
export function moveColumnBy(list: readonly ColumnDef[], id: string, delta: number): ColumnDef[] {
  const from = sortColumns(list).findIndex((c) => c.id === id);
  return from < 0 ? renumber(sortColumns(list)) : moveColumn(list, id, from + delta);
}

export function clampWidth(width: number): number {
  if (!Number.isFinite(width)) return DEFAULT_COLUMN_WIDTH;
  return Math.max(MIN_COLUMN_WIDTH, Math.min(MAX_COLUMN_WIDTH, Math.round(width)));
}

export function resizeColumn(list: readonly ColumnDef[], id: string, width: number): ColumnDef[] {
  return renumber(sortColumns(list).map((c) => (c.id === id ? { ...c, width: clampWidth(width) } : c)));
}

/** A copy right after the original, with a new id and title; its unread mark starts where the original's is. */
export function duplicateColumn(list: readonly ColumnDef[], id: string, newId: string, title: string): ColumnDef[] {
  const sorted = sortColumns(list);
  const i = sorted.findIndex((c) => c.id === id);
  const original = sorted[i];
  if (!original) return renumber(sorted);
  const copy: ColumnDef = { ...original, id: newId, title, preset: undefined, filter: structuredClone(original.filter) };
  if (copy.preset === undefined) delete copy.preset;
  sorted.splice(i + 1, 0, copy);
  return renumber(sorted);
}

export function removeColumn(list: readonly ColumnDef[], id: string): ColumnDef[] {
  return renumber(sortColumns(list).filter((c) => c.id !== id));
}

/** A new column at the end. */
export function appendColumn(list: readonly ColumnDef[], input: Omit<ColumnDefInput, 'order'>): ColumnDef[] {
  const sorted = sortColumns(list);
  return renumber([...sorted, ColumnDefSchema.parse({ ...input, order: sorted.length })]);
}

export function patchColumn(list: readonly ColumnDef[], id: string, patch: Partial<Omit<ColumnDef, 'id' | 'order'>>): ColumnDef[] {
  return renumber(sortColumns(list).map((c) => (c.id === id ? ColumnDefSchema.parse({ ...c, ...patch }) : c)));
}

/** A department preset: one step adds a column with these keywords, channels and tag. */
export type PresetId = 'binnendienst' | 'klantenservice' | 'complaints' | 'influencers' | 'mine' | 'private';

export interface ColumnPreset {
  id: PresetId;
  filter: ColumnFilterInput;
}

/** "Assigned to me": the preset, and the column every agent of a team has (columns.ts). */
export const MINE_PRESET_FILTER: ColumnFilterInput = { assignee: 'mine', statuses: ['open'] };

/**
 * Presets shown in the column editor. Their names are i18n keys (`preset.<id>`);
 * the keywords are Dutch and English, as the traffic is.
 */
export const PRESETS: readonly ColumnPreset[] = [
  {
    id: 'binnendienst',
    filter: { text: 'bestelling OR factuur OR offerte OR levering OR order OR invoice OR quote', channels: ['x_mention', 'x_dm', 'fb_comment', 'fb_message'] },
  },
  {
    id: 'klantenservice',
    filter: { text: 'pakket OR zending OR bezorg OR track OR parcel OR delivery OR klacht OR complaint', channels: ['x_mention', 'x_dm', 'fb_comment', 'fb_message'] },
  },
  {
    id: 'complaints',
    filter: { text: 'klacht OR boos OR slecht OR schandalig OR complaint OR angry OR terrible OR worst', statuses: ['open'] },
  },
  {
    id: 'influencers',
    filter: { minFollowers: 10_000 },
  },
  {
    id: 'mine',
    filter: MINE_PRESET_FILTER,
  },
  {
    id: 'private',
    filter: { channels: ['x_dm', 'fb_message'] },
  },
];
