import Dexie, { type DBCore, type DBCoreMutateResponse, type Middleware } from 'dexie';
import { factsOf, goneOf, mergeChunks, type FactsChunk } from '../../../shared/reportFacts.js';
import type { WebcareDb } from './db';
import { inWriteLock, storedOf } from './threads';

/**
 * Keeps the reports' facts (shared/reportFacts.ts) in step with `messages`:
 * every write of messages adds one chunk of what it stored, every removal a
 * chunk of tombstones, in the same transaction (the table joins its scope), for
 * every writer: the ingest, the outbox's copy of a sent reply, the merge of X
 * posts. Clearing the messages clears the facts. Messages stored before the
 * table existed are added once by the reports (reports/compute.ts). The small
 * chunks of the ingest are merged into large ones while the console runs
 * (compactFacts below).
 */

/** DBCoreRangeType.Any: the whole table, as `clear()` asks. */
const ANY_RANGE = 3;

export const factsMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'reportFacts',
  create(down) {
    if (!down.schema.tables.some((t) => t.name === 'reportFacts')) return down;
    return {
      ...down,
      transaction(stores, mode, options) {
        const scope = mode === 'readwrite' && stores.includes('messages') && !stores.includes('reportFacts') ? [...stores, 'reportFacts'] : stores;
        return down.transaction(scope, mode, options);
      },
      table(name) {
        const table = down.table(name);
        if (name !== 'messages') return table;
        const facts = down.table('reportFacts');
        return {
          ...table,
          mutate(req) {
            const { trans } = req;
            if (req.type === 'deleteRange' && (req.range.type as number) === ANY_RANGE) {
              return Dexie.Promise.all([table.mutate(req), facts.mutate({ trans, type: 'deleteRange', range: req.range })]).then(([res]) => res);
            }
            const work = (): Promise<DBCoreMutateResponse> => {
              if (req.type === 'put' || req.type === 'add') {
                return table.mutate(req).then((res) => {
                  const stored = storedOf(req, res);
                  if (stored.length === 0) return res;
                  return facts.mutate({ trans, type: 'add', values: [factsOf(stored)] }).then(() => res);
                });
              }
              const keys: Promise<string[]> =
                req.type === 'delete'
                  ? Dexie.Promise.resolve(req.keys as string[])
                  : table.query({ trans, values: false, query: { index: table.schema.primaryKey, range: req.range } }).then((r) => r.result as string[]);
              return Dexie.Promise.all([keys, table.mutate(req)]).then(([removed, res]) => {
                if (removed.length === 0) return res;
                return facts.mutate({ trans, type: 'add', values: [goneOf(removed)] }).then(() => res);
              });
            };
            return inWriteLock(work);
          },
        };
      },
    };
  },
};

/** Chunks are merged up to about this many messages (IndexedDB reads a few large records far faster than many small ones). */
export const COMPACT_ROWS = 10_000;
/** Chunks looked at in one merge (one short transaction: the ingest waits for it). */
const COMPACT_PAGE = 500;
/** The id of the last chunk merged (or passed): everything up to it is compact. */
export const FACTS_COMPACTED_KEY = 'reportFactsCompacted';

/**
 * Merges the small chunks the ingest writes (one per stored batch) into chunks
 * of about COMPACT_ROWS messages, a run at a time, each run in a transaction of
 * its own: its merged chunk takes the run's last id, so what was written after
 * the run still wins over it. A tombstone chunk or a large one ends a run; the
 * newest chunks wait until they make a full run. `stop` is asked between runs.
 * Answers how many chunks were merged away.
 */
export async function compactFacts(db: WebcareDb, stop: () => boolean = () => false, size = { rows: COMPACT_ROWS, page: COMPACT_PAGE }): Promise<number> {
  let merged = 0;
  for (let guard = 0; guard < 10_000 && !stop(); guard++) {
    const step = await db.transaction('rw', db.reportFacts, db.settings, async () => {
      const after = Number((await db.settings.get(FACTS_COMPACTED_KEY))?.value ?? 0);
      // Read up to the chunk that ends the run (not the whole page: the chunks may be large).
      let rowsRead = 0;
      let read = 0;
      const page: FactsChunk[] = await db.reportFacts
        .where(':id')
        .above(after)
        .until((c) => {
          read++;
          if (c.gone || c.n >= size.rows) return true;
          rowsRead += c.n;
          return rowsRead >= size.rows || read >= size.page;
        }, true)
        .toArray();
      const run: FactsChunk[] = [];
      let rows = 0;
      let passed = after;
      let ended = false;
      for (const c of page) {
        if (c.gone || c.n >= size.rows) {
          ended = true;
          if (run.length === 0) passed = c.id ?? passed;
          break;
        }
        run.push(c);
        rows += c.n;
        if (rows >= size.rows) {
          ended = true;
          break;
        }
      }
      // The newest chunks, not yet a full run: left until more are written.
      if (!ended && page.length < size.page) return { done: true, merged: 0 };
      const last = run[run.length - 1];
      if (last && run.length > 1) {
        await db.reportFacts.bulkDelete(run.slice(0, -1).map((c) => c.id as number));
        await db.reportFacts.put({ ...mergeChunks(run), id: last.id });
      }
      await db.settings.put({ key: FACTS_COMPACTED_KEY, value: last?.id ?? passed });
      return { done: false, merged: run.length > 1 ? run.length - 1 : 0 };
    });
    merged += step.merged;
    if (step.done) break;
  }
  return merged;
}

/** The first merge this long after the console starts (its first minutes are the board's), then every COMPACT_EVERY_MS. */
const COMPACT_FIRST_MS = 15_000;
const COMPACT_EVERY_MS = 5 * 60_000;

/** Keeps the facts compact while the console runs (the reports worker also merges when it is idle). Returns a stop function. */
export function startFactsCompaction(db: WebcareDb): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout>;
  const run = () => {
    compactFacts(db, () => stopped)
      .catch((e: unknown) => console.warn('report facts not compacted', e))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, COMPACT_EVERY_MS);
      });
  };
  timer = setTimeout(run, COMPACT_FIRST_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
