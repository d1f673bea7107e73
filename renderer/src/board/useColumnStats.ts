import { useEffect, useMemo, useRef, useState } from 'react';
import type { ColumnFilter, FilterContext } from '../../../shared/filter.js';
import type { WebcareDb } from '../db/db';
import { readColumnStats, statsOf, type ColumnData, type ColumnStats, type OldestProgress } from './columnQuery';

/** A column's figures are read again at most this often while its messages keep changing... */
export const STATS_REFRESH_MS = 2_000;
/** ...and a slow read (a long search back for the oldest waiting) waits this many times its cost. */
const STATS_COST_FACTOR = 20;
/**
 * How long "nothing older waits" is trusted. A message reopened by hand, or one
 * older than any the column held (a late DM), is found after at most this long.
 */
export const STATS_RECHECK_MS = 120_000;
const STATS_FIRST_DELAY_MS = 300;

/**
 * The header's unread count and oldest waiting message over all that the
 * column matches (see readColumnStats). A column whose rows are all read is
 * counted from them at once; a longer one shows what its rows say until the
 * store has answered.
 */
export function useColumnStats(db: WebcareDb, filter: ColumnFilter, ctx: FilterContext, data: ColumnData | undefined, seenAt: number): ColumnStats | null {
  const filterId = JSON.stringify(filter);
  const me = ctx.me;
  const local = useMemo(() => (data ? { ...statsOf(data.items, seenAt), unreadMore: false } : null), [data, seenAt]);
  const id = `${filterId}\u0000${me ?? ''}`;
  const [read, setRead] = useState<{ id: string; seenAt: number; stats: ColumnStats } | null>(null);
  const progress = useRef<{ id: string; since: number; value: OldestProgress } | null>(null);
  const last = useRef(0);
  const cost = useRef(0);
  // The rows shown when the read starts (the latest, not those of the change that asked for it).
  const current = useRef(data);
  useEffect(() => {
    current.current = data;
  });
  // Reading further down keeps the first rows (the same objects); any change in the store reads
  // them afresh. So only a change, not scrolling, asks for the figures again.
  const first = data?.items[0];
  const more = data?.more ?? false;

  useEffect(() => {
    if (!more) return;
    let alive = true;
    const timer = setTimeout(
      () => {
        const shown = current.current;
        if (!shown) return;
        const started = (last.current = Date.now());
        const kept = progress.current;
        const fresh = kept !== null && kept.id === id && Date.now() - kept.since < STATS_RECHECK_MS ? kept : null;
        readColumnStats(db, JSON.parse(filterId) as ColumnFilter, { me }, shown, seenAt, fresh?.value).then(
          (answer) => {
            cost.current = Date.now() - started;
            progress.current = { id, since: fresh?.since ?? Date.now(), value: answer.progress };
            if (alive) setRead({ id, seenAt, stats: answer.stats });
          },
          // The rows shown still give figures; the next change tries again.
          (e: unknown) => console.warn('column figures not read', e),
        );
      },
      // Not in the way of the board's first frames, and at most every STATS_REFRESH_MS.
      Math.max(STATS_FIRST_DELAY_MS, last.current + Math.max(STATS_REFRESH_MS, cost.current * STATS_COST_FACTOR) - Date.now()),
    );
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [db, id, filterId, me, first, more, seenAt]);

  if (!more) return local;
  // The figures of the last read of this filter; a moment behind at most, and better than the rows alone.
  if (read === null || read.id !== id || read.seenAt !== seenAt) return local;
  return read.stats;
}
