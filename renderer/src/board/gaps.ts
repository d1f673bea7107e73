import type { ColumnFilter } from '../../../shared/filter.js';
import type { Channel, Gap, StreamKind, StreamStatus } from '../../../shared/model.js';

/**
 * Which stretches the host could not read (gaps on a stream's status) concern
 * a column, and how the column words them. Pure: no React, no i18n instance.
 */

/** The channel a stream's messages arrive in. */
export const STREAM_CHANNEL: Readonly<Record<StreamKind, Channel>> = {
  x_mentions: 'x_mention',
  // Our own posts are shown with the mentions: the thread around them.
  x_own: 'x_mention',
  x_dms: 'x_dm',
  x_search: 'x_search',
  fb_comments: 'fb_comment',
  fb_visitor_posts: 'fb_comment',
  fb_messages: 'fb_message',
};

/**
 * Whether messages of this stream could show in a column with this filter.
 * Only what the stream itself tells is asked: its channel, its account and,
 * for a search, which search. A message the host has not read yet carries no
 * mark, so it would arrive open, unassigned and untagged: a column that only
 * shows done or archived messages, an agent's messages or tagged ones would
 * never show it, and its gaps do not concern that column.
 */
export function streamFeedsColumn(stream: Pick<StreamStatus, 'kind' | 'accountId' | 'searchId'>, filter: ColumnFilter): boolean {
  const channel = STREAM_CHANNEL[stream.kind];
  if (filter.channels.length > 0 && !filter.channels.includes(channel)) return false;
  if (filter.accounts.length > 0 && !filter.accounts.includes(stream.accountId)) return false;
  if (filter.searchId !== undefined && (stream.kind !== 'x_search' || stream.searchId !== filter.searchId)) return false;
  if (filter.statuses.length > 0 && !filter.statuses.includes('open')) return false;
  if (filter.assignee !== undefined && filter.assignee !== 'unassigned') return false;
  if (filter.tags.length > 0) return false;
  return true;
}

/** Every gap of the streams that feed the column, with the stream it belongs to. */
export function columnGaps(filter: ColumnFilter, streams: readonly StreamStatus[]): Array<{ stream: StreamStatus; gap: Gap }> {
  const out: Array<{ stream: StreamStatus; gap: Gap }> = [];
  for (const stream of streams) {
    if (!stream.gaps || stream.gaps.length === 0 || !streamFeedsColumn(stream, filter)) continue;
    for (const gap of stream.gaps) out.push({ stream, gap });
  }
  return out;
}

export type ColumnGapKey =
  | 'gaps.column.filling'
  | 'gaps.column.fillingBefore'
  | 'gaps.column.unreachable'
  | 'gaps.column.unreachableBefore'
  | 'gaps.column.mixed'
  | 'gaps.column.mixedBefore';

export interface ColumnGapNotice {
  /** The sentence to show, with `from` (when there is one) and `to` formatted into it. */
  key: ColumnGapKey;
  state: 'filling' | 'unreachable' | 'mixed';
  /** The earliest start of the gaps; absent when any gap's start is unknown ("before …"). */
  from?: number;
  /** The latest end of the gaps. */
  to: number;
  /** How many gaps the notice sums up. */
  count: number;
}

/**
 * One slim line for the column: the gaps of every stream that feeds it, summed
 * up as the stretch that holds them all. Null when none does.
 */
export function columnGapNotice(filter: ColumnFilter, streams: readonly StreamStatus[]): ColumnGapNotice | null {
  const found = columnGaps(filter, streams);
  if (found.length === 0) return null;
  let from: number | undefined = Infinity;
  let to = -Infinity;
  let filling = 0;
  for (const { gap } of found) {
    from = from === undefined || gap.from === undefined ? undefined : Math.min(from, gap.from);
    to = Math.max(to, gap.to);
    if (gap.state === 'filling') filling++;
  }
  const state = filling === found.length ? 'filling' : filling === 0 ? 'unreachable' : 'mixed';
  const key: ColumnGapKey = `gaps.column.${state}${from === undefined ? 'Before' : ''}`;
  return from === undefined ? { key, state, to, count: found.length } : { key, state, from, to, count: found.length };
}
