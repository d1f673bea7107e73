import { CHANNELS, type Channel } from '../../../shared/model.js';

/**
 * A column is data, rendered through the registry of kinds in Board.tsx. The
 * walking skeleton has one kind (everything of one channel); saved filters
 * (a department, "assigned to me", a keyword set) are further kinds.
 */
export interface ChannelColumn {
  id: string;
  kind: 'channel';
  channel: Channel;
}
export type ColumnDef = ChannelColumn;

export const DEFAULT_COLUMNS: readonly ColumnDef[] = CHANNELS.map((channel) => ({ id: `channel:${channel}`, kind: 'channel', channel }));

/** At most this many messages per column are read; history stays in Dexie for search. */
export const COLUMN_LIMIT = 500;
