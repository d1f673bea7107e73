import Dexie, { type DBCore, type DBCoreMutateRequest, type DBCoreMutateResponse, type DBCoreTable, type DBCoreTransaction, type Middleware, type Transaction } from 'dexie';
import { answerThreadKey, isPrivateChannel } from '../../../shared/conversation.js';
import type { Message } from '../../../shared/model.js';

/**
 * What a column needs of a thread to tell where its cards stand (shared/conversation.ts),
 * kept per thread (answerThreadKey) so that a column reads one row per thread by key
 * instead of the whole thread by the conversationId index: a ranged index read per
 * conversation cost a 500-card column several times its own read.
 *
 * - A private conversation (X DMs, Messenger): every message, ours and theirs; with the
 *   messages' marks that is all summarizeConversation reads.
 * - Any other thread: our messages only, with what they reply to. Whom a reply answers
 *   is decided from them, the posts they reply to (read by key) and the card's own
 *   message, by the same answeredKeys as a whole thread; a thread without a row has no
 *   message of ours, so nothing in it is answered.
 *
 * Every write of a message keeps its thread's row in the same transaction (the
 * middleware below, for every writer: the ingest, the outbox's copy of a sent reply,
 * the merge of X posts and its deletes); the version that added the table filled it
 * from the messages stored before. A message's channel, conversation and author
 * (fromUs) never change under its key.
 */
export interface ThreadRecord {
  /** answerThreadKey of its messages. */
  key: string;
  items: ThreadItem[];
}

/** One message of a thread as its row keeps it. */
export interface ThreadItem {
  /** The message's key, `${channel}:${platformId}`. */
  key: string;
  /** createdAt. */
  at: number;
  /** fromUs. */
  us: boolean;
  /** inReplyToId (our messages in public threads). */
  to?: string;
  /** privately (a Facebook private reply). */
  priv?: true;
}

/** Whether a message has a place in its thread's row. */
export function kept(m: Pick<Message, 'channel' | 'fromUs'>): boolean {
  return m.fromUs || isPrivateChannel(m.channel);
}

export function threadItem(m: Message): ThreadItem {
  const item: ThreadItem = { key: m.key, at: m.createdAt, us: m.fromUs };
  if (!isPrivateChannel(m.channel)) {
    if (m.inReplyToId !== undefined) item.to = m.inReplyToId;
    if (m.privately) item.priv = true;
  }
  return item;
}

/**
 * Rows after messages were stored (`put`) and removed (`removed`): pure. Returns
 * the rows to write and the keys of rows left empty. `rows` holds the current row
 * (or undefined) of every thread the messages belong to.
 */
export function applyToThreads(rows: ReadonlyMap<string, ThreadRecord | undefined>, put: readonly Message[], removed: readonly Message[]): { write: ThreadRecord[]; drop: string[] } {
  const changed = new Map<string, Map<string, ThreadItem>>();
  const itemsOf = (thread: string) => {
    let items = changed.get(thread);
    if (!items) changed.set(thread, (items = new Map((rows.get(thread)?.items ?? []).map((i) => [i.key, i]))));
    return items;
  };
  for (const m of removed) if (kept(m)) itemsOf(answerThreadKey(m)).delete(m.key);
  for (const m of put) if (kept(m)) itemsOf(answerThreadKey(m)).set(m.key, threadItem(m));
  const write: ThreadRecord[] = [];
  const drop: string[] = [];
  for (const [key, items] of changed) {
    if (items.size > 0) write.push({ key, items: [...items.values()] });
    else if (rows.get(key)) drop.push(key);
  }
  return { write, drop };
}

/** The version that added the rows: fills them from every message stored before, in the upgrade's transaction. */
export async function fillThreads(tx: Transaction): Promise<void> {
  const messages: Message[] = [];
  await tx
    .table('messages')
    .toCollection()
    .each((m: Message) => {
      if (kept(m)) messages.push(m);
    });
  const { write } = applyToThreads(new Map(), messages, []);
  await tx.table('threads').bulkPut(write);
}

/**
 * Runs a middleware's steps as Dexie's own hooks do: in the transaction's scope and
 * holding its write lock, so the caller's next request waits for them and Dexie keeps
 * the transaction across the steps.
 */
export function inWriteLock(work: () => Promise<DBCoreMutateResponse>): Promise<DBCoreMutateResponse> {
  const dx = Dexie.currentTransaction as (Transaction & { _promise?: (mode: 'readwrite', fn: () => Promise<DBCoreMutateResponse>, writeLock: boolean) => Promise<DBCoreMutateResponse> }) | null;
  return dx?._promise ? dx._promise('readwrite', work, true) : work();
}

/** DBCoreRangeType.Any (a const enum, not importable here): the whole table, as `clear()` asks. */
const ANY_RANGE = 3;

const threadKeysOf = (ms: readonly Message[]) => [...new Set(ms.filter(kept).map(answerThreadKey))];

/** Writes the rows of `keys` (as `found`) after `put` and `removed`. */
function writeRows(threads: DBCoreTable, trans: DBCoreTransaction, keys: readonly string[], found: readonly unknown[], put: readonly Message[], removed: readonly Message[]): Promise<unknown> {
  const { write, drop } = applyToThreads(new Map(keys.map((k, i) => [k, found[i] as ThreadRecord | undefined])), put, removed);
  return Dexie.Promise.all([
    write.length ? threads.mutate({ trans, type: 'put', values: write }) : undefined,
    drop.length ? threads.mutate({ trans, type: 'delete', keys: drop }) : undefined,
  ]);
}

/** Messages a mutation stores (of those it was given, the ones it did not fail on). */
export function storedOf(req: DBCoreMutateRequest, res: DBCoreMutateResponse): Message[] {
  if (req.type !== 'put' && req.type !== 'add') return [];
  const failed = res.failures;
  return (req.values as Message[]).filter((_, i) => failed[i] === undefined);
}

/**
 * Keeps `threads` in step with `messages` inside every transaction that writes
 * messages (the table is added to its scope). Installed on the database class.
 */
export const threadsMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'threads',
  create(down) {
    if (!down.schema.tables.some((t) => t.name === 'threads')) return down;
    return {
      ...down,
      transaction(stores, mode, options) {
        const scope = mode === 'readwrite' && stores.includes('messages') && !stores.includes('threads') ? [...stores, 'threads'] : stores;
        return down.transaction(scope, mode, options);
      },
      table(name) {
        const table = down.table(name);
        if (name !== 'messages') return table;
        const threads = down.table('threads');
        return {
          ...table,
          mutate(req) {
            const { trans } = req;
            if ((req.type === 'put' || req.type === 'add') && !(req.values as Message[]).some(kept)) return table.mutate(req);
            // Every message cleared: every row with them, without reading what was there.
            if (req.type === 'deleteRange' && (req.range.type as number) === ANY_RANGE) return Dexie.Promise.all([table.mutate(req), threads.mutate({ trans, type: 'deleteRange', range: req.range })]).then(([res]) => res);
            const work = (): Promise<DBCoreMutateResponse> => {
              if (req.type === 'put' || req.type === 'add') {
                const keys = threadKeysOf(req.values as Message[]);
                return Dexie.Promise.all([table.mutate(req), threads.getMany({ trans, keys })]).then(([res, found]) => writeRows(threads, trans, keys, found, storedOf(req, res), []).then(() => res));
              }
              // Removing: what was there decides which rows lose an item; read by requests issued before the removal's.
              const before: Promise<Message[]> =
                req.type === 'delete'
                  ? table.getMany({ trans, keys: req.keys }).then((found) => (found as (Message | undefined)[]).filter((m): m is Message => m !== undefined))
                  : table.query({ trans, values: true, query: { index: table.schema.primaryKey, range: req.range } }).then((r) => r.result as Message[]);
              return Dexie.Promise.all([before, table.mutate(req)]).then(([removed, res]) => {
                const keys = threadKeysOf(removed);
                if (keys.length === 0) return res;
                return threads.getMany({ trans, keys }).then((found) => writeRows(threads, trans, keys, found, [], removed).then(() => res));
              });
            };
            return inWriteLock(work);
          },
        };
      },
    };
  },
};
