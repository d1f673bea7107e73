import Dexie, { type DBCore, type DBCoreMutateResponse, type Middleware } from 'dexie';
import { factsOf, goneOf } from '../../../shared/reportFacts.js';
import { inWriteLock, storedOf } from './threads';

/**
 * Keeps the reports' facts (shared/reportFacts.ts) in step with `messages`:
 * every write of messages adds one chunk of what it stored, every removal a
 * chunk of tombstones, in the same transaction (the table joins its scope), for
 * every writer: the ingest, the outbox's copy of a sent reply, the merge of X
 * posts. Clearing the messages clears the facts. Messages stored before the
 * table existed are added once by the reports (reports/compute.ts).
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
