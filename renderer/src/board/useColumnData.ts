import Dexie, { type ObservabilitySet } from 'dexie';
import { useEffect, useRef, useState } from 'react';
import { answerThreadKey } from '../../../shared/conversation.js';
import type { ColumnFilter, FilterContext } from '../../../shared/filter.js';
import type { WebcareDb } from '../db/db';
import { DEFAULT_READ, readColumn, readsFromMarks, type ColumnData } from './columnQuery';

/** The first read of a column fills one screen (about 8 cards and the overscan); the full read follows at once. */
const FIRST_SCREEN = 20;

/** During a burst of arrivals a column reads the store at most this often... */
export const COLUMN_REFRESH_MS = 250;
/** ...and the board spends at most about a fifth of the time reading: slow reads (a rare filter, many columns) wait longer. */
const READ_SHARE = 5;

/**
 * The last refresh cost of every open column. The share is the board's, not each column's: four
 * columns each reading a fifth of the time would leave the ingest little of the UI thread and the store.
 */
const refreshCosts = new Map<object, number>();
const boardCost = () => {
  let sum = 0;
  for (const c of refreshCosts.values()) sum += c;
  return sum;
};

type State = { status: 'loading' } | { status: 'ready'; data: ColumnData } | { status: 'failed'; error: unknown };

/**
 * A column's matching messages with their marks, kept current like a live
 * query but throttled. A plain live query re-reads after every stored batch,
 * and each read transaction holds up the next write: during a backlog after a
 * reconnect that halves the ingest. Here a quiet change shows at once and a
 * burst at most every 250 ms (longer when a read is slow). A failed read is
 * thrown to the column's error boundary.
 */
export function useColumnData(db: WebcareDb, filter: ColumnFilter, ctx: FilterContext, limit: number): ColumnData | undefined {
  const [state, setState] = useState<State>({ status: 'loading' });
  // The filter object is new on every render of the layout; its content decides.
  const filterId = JSON.stringify(filter);
  const me = ctx.me;
  // Reading further down (a larger limit) keeps what is shown; only a first read goes screen first.
  const shown = useRef(false);
  // What is shown and which filter it was read for: reading further down continues after its last row.
  const current = useRef<{ id: string; data: ColumnData } | null>(null);
  // The store changed since the last full read began: what is shown may be stale, so no continuing it.
  const changed = useRef(false);

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let again = false;
    let last = 0;
    let cost = 0;
    const token = {};
    let firstScreen = !shown.current && limit > FIRST_SCREEN;
    const parsed = JSON.parse(filterId) as ColumnFilter;
    const id = `${filterId}\u0000${me ?? ''}`;
    // A larger limit for the same column (the agent scrolled near the end): read only what comes
    // after the last row shown, not everything again. A change in the store reads it all afresh.
    const shownBefore = current.current;
    let extend = shownBefore !== null && shownBefore.id === id && shownBefore.data.more && shownBefore.data.items.length < limit && !readsFromMarks(parsed);
    const prefixes = [`idb://${db.name}/messages/`, `idb://${db.name}/marks/`];

    const run = async () => {
      timer = undefined;
      if (running) {
        again = true;
        return;
      }
      running = true;
      last = Date.now();
      try {
        const n = firstScreen ? FIRST_SCREEN : limit;
        const base = extend ? shownBefore?.data : undefined;
        const lastShown = base?.items[base.items.length - 1]?.message;
        extend = false;
        let data: ColumnData;
        if (base !== undefined && lastShown !== undefined && !changed.current) {
          const rest = n - base.items.length;
          // A private conversation already shown as a card is not shown again by an older message of it.
          const shownConversations = new Set(base.items.filter((i) => i.conversation !== undefined).map((i) => answerThreadKey(i.message)));
          const next = await readColumn(db, parsed, { me }, { limit: rest, maxScan: Math.max(DEFAULT_READ.maxScan, rest * 4), after: lastShown, shownConversations });
          data = { items: base.items.concat(next.items), more: next.more };
        } else {
          changed.current = false;
          data = await readColumn(db, parsed, { me }, { limit: n, maxScan: Math.max(DEFAULT_READ.maxScan, n * 4) });
        }
        cost = Date.now() - last;
        if (alive) refreshCosts.set(token, cost);
        if (alive) {
          shown.current = true;
          current.current = { id, data };
          setState({ status: 'ready', data });
        }
        if (firstScreen) {
          firstScreen = false;
          again = true;
          cost = 0;
          refreshCosts.set(token, 0);
        }
      } catch (error) {
        if (alive) setState({ status: 'failed', error });
      } finally {
        running = false;
        if (again && alive) {
          again = false;
          schedule();
        }
      }
    };

    const schedule = () => {
      if (timer !== undefined) return;
      const gap = Math.max(COLUMN_REFRESH_MS, Math.max(cost, boardCost()) * READ_SHARE);
      timer = setTimeout(() => void run(), Math.max(0, last + gap - Date.now()));
    };

    // Fired after every committed write, in this window and (through Dexie) in others.
    const onMutated = (parts: ObservabilitySet) => {
      for (const part of Object.keys(parts)) {
        if (prefixes.some((p) => part.startsWith(p))) {
          changed.current = true;
          schedule();
          return;
        }
      }
    };

    Dexie.on('storagemutated', onMutated);
    void run();
    return () => {
      alive = false;
      refreshCosts.delete(token);
      if (timer !== undefined) clearTimeout(timer);
      Dexie.on.storagemutated.unsubscribe(onMutated);
    };
  }, [db, filterId, me, limit]);

  if (state.status === 'failed') throw state.error;
  return state.status === 'ready' ? state.data : undefined;
}
