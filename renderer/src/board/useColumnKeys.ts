import Dexie, { type ObservabilitySet } from 'dexie';
import { useEffect, useState } from 'react';
import type { Channel } from '../../../shared/model.js';
import type { WebcareDb } from '../db/db';
import { COLUMN_LIMIT } from './columns';

/** During a burst of arrivals a column reads the store at most this often. */
export const COLUMN_REFRESH_MS = 250;

export interface ColumnKeys {
  /** Newest first, at most COLUMN_LIMIT. */
  keys: string[];
  total: number;
}

type State = { status: 'loading' } | { status: 'ready'; data: ColumnKeys } | { status: 'failed'; error: unknown };

/**
 * The keys of one channel's messages, newest first, and how many there are,
 * kept current like a live query but throttled. A plain live query re-reads
 * after every stored batch, and each read transaction on the store holds up
 * the next write: during a backlog after a reconnect that halves the ingest.
 * Here a quiet change shows at once and a burst at most every 250 ms. Keys
 * only: each visible row reads its own message (cost follows what is visible).
 * A failed read is thrown to the column's error boundary.
 */
export function useColumnKeys(db: WebcareDb, channel: Channel): ColumnKeys | undefined {
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let again = false;
    let last = 0;
    const prefix = `idb://${db.name}/messages/`;

    const read = () =>
      db.transaction('r', db.messages, async () => {
        const range = () => db.messages.where('[channel+createdAt]').between([channel, Dexie.minKey], [channel, Dexie.maxKey], true, true);
        const [keys, total] = await Promise.all([range().reverse().limit(COLUMN_LIMIT).primaryKeys(), range().count()]);
        return { keys, total };
      });

    const run = async () => {
      timer = undefined;
      if (running) {
        again = true;
        return;
      }
      running = true;
      last = Date.now();
      try {
        const data = await read();
        if (alive) setState({ status: 'ready', data });
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
      timer = setTimeout(() => void run(), Math.max(0, last + COLUMN_REFRESH_MS - Date.now()));
    };

    // Fired after every committed write, in this window and (through Dexie) in others.
    const onMutated = (parts: ObservabilitySet) => {
      for (const part of Object.keys(parts)) {
        if (part.startsWith(prefix)) {
          schedule();
          return;
        }
      }
    };

    Dexie.on('storagemutated', onMutated);
    void run();
    return () => {
      alive = false;
      if (timer !== undefined) clearTimeout(timer);
      Dexie.on.storagemutated.unsubscribe(onMutated);
    };
  }, [db, channel]);

  if (state.status === 'failed') throw state.error;
  return state.status === 'ready' ? state.data : undefined;
}
