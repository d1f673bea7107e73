import Dexie, { type DBCore, type DBCoreTransaction, type Middleware, type ObservabilitySet } from 'dexie';
import type { MessageMark } from '../../../shared/filter.js';
import type { Message } from '../../../shared/model.js';
import type { WorkflowRecord } from '../../../shared/workflow.js';

/**
 * What a committed write stored, told in the window, so that a column re-reads
 * only for a change it shows. Dexie's own change notice (storagemutated) says
 * only which tables changed, and for a write of 50 rows or more not even which
 * keys: every column re-read on every stored batch of a burst.
 *
 * A writer that knows what it stored says so once its transaction committed
 * (publishStored: the ingest, the marks set at this console). Every other change
 * to messages or marks is still told, as `unknown`, and a column re-reads for
 * it as before: a write in another window or tab (Dexie passes those on), a
 * write in this window nobody described (the outbox's copy of a sent reply), and
 * one that deleted (the merge of X posts). A write of this window is recognised
 * by its transaction (storedMiddleware follows every read-write transaction over
 * messages or marks); publishStored takes its place only when the transaction
 * wrote nothing but what the notice names, and only until the next task: a
 * notice that comes later, or never, leaves it `unknown`.
 */
export interface StoredBatch {
  messages: readonly Message[];
  /** Marks it stored (team mode's, or set at this console). */
  marks?: readonly MessageMark[];
  /** The team's workflow records it stored. */
  workflow?: readonly WorkflowRecord[];
}

export type StoredChange = ({ kind: 'stored' } & StoredBatch) | { kind: 'unknown' };

type Listener = (change: StoredChange) => void;

const listeners = new Map<string, Set<Listener>>();

/** A read-write transaction of this window over messages or marks, and the keys it put there. */
interface Write {
  db: string;
  trans: DBCoreTransaction;
  /** `${table}:${key}` of every message and mark it put. */
  keys: Set<string>;
  /** It deleted, or wrote in a way that names no rows: only a re-read tells what changed. */
  unlisted: boolean;
}

/** Transactions under way or just committed, until Dexie's notice of their change came. */
const open = new Set<Write>();
/** Committed, their change notice come: waiting for the writer's publishStored until the next task. */
const held = new Set<Write>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;

function emit(db: string, change: StoredChange): void {
  for (const fn of listeners.get(db) ?? []) {
    try {
      fn(change);
    } catch (e) {
      console.warn('stored change listener failed', e);
    }
  }
}

/** Held writes no notice took: told as unknown, once per database. */
function flush(): void {
  flushTimer = undefined;
  const dbs = new Set([...held].map((w) => w.db));
  held.clear();
  for (const db of dbs) emit(db, { kind: 'unknown' });
}

/** Dexie's notice of a committed change: in this window (after the transaction's completion) or from another one. */
function onMutated(parts: ObservabilitySet): void {
  for (const db of listeners.keys()) {
    const prefixes = [`idb://${db}/messages/`, `idb://${db}/marks/`];
    if (!Object.keys(parts).some((part) => prefixes.some((p) => part.startsWith(p)))) continue;
    // Dexie passes on the set its observability layer gathered on the transaction itself: that
    // identity tells a write of this window from one of another (which arrives as a copy).
    let local: Write | undefined;
    for (const w of open) if (w.db === db && (w.trans as { mutatedParts?: unknown }).mutatedParts === parts) local = w;
    if (local) open.delete(local);
    if (local && !local.unlisted) {
      held.add(local);
      flushTimer ??= setTimeout(flush, 0);
    } else emit(db, { kind: 'unknown' });
  }
}

let subscribed = false;

/** Listens to what is stored in `db` from now on; returns the unsubscribe. */
export function onStored(db: Dexie, listener: Listener): () => void {
  if (!subscribed) {
    subscribed = true;
    Dexie.on('storagemutated', onMutated);
  }
  let set = listeners.get(db.name);
  if (!set) listeners.set(db.name, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && listeners.get(db.name) === set) listeners.delete(db.name);
  };
}

/**
 * Call after the transaction that stored `batch` committed (not inside it): tells
 * the listeners, and stands in for Dexie's notice of that transaction when the
 * batch names everything it wrote to messages and marks.
 */
export function publishStored(db: Dexie, batch: StoredBatch): void {
  const keys = new Set<string>();
  for (const m of batch.messages) keys.add(`messages:${m.key}`);
  for (const m of batch.marks ?? []) keys.add(`marks:${m.key}`);
  for (const w of held) {
    if (w.db !== db.name) continue;
    let covered = true;
    for (const k of w.keys) {
      if (!keys.has(k)) {
        covered = false;
        break;
      }
    }
    if (covered) held.delete(w);
  }
  emit(db.name, { kind: 'stored', messages: batch.messages, marks: batch.marks ?? [], workflow: batch.workflow ?? [] });
}

const writes = new WeakMap<DBCoreTransaction, Write>();

/** Follows this window's read-write transactions over messages or marks: which keys each put (see above). */
export const storedMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'storedNotices',
  create(down) {
    const db = down.schema.name;
    return {
      ...down,
      transaction(stores, mode, options) {
        const trans = down.transaction(stores, mode, options);
        if (mode === 'readwrite' && (stores.includes('messages') || stores.includes('marks'))) {
          const w: Write = { db, trans, keys: new Set(), unlisted: false };
          writes.set(trans, w);
          open.add(w);
          // Dexie tells the change from its own completion handler; one without a change to tell is let go after it.
          const done = () => setTimeout(() => open.delete(w), 0);
          const target = trans as unknown as Partial<EventTarget>;
          for (const type of ['complete', 'abort']) target.addEventListener?.(type, done);
        }
        return trans;
      },
      table(name) {
        const table = down.table(name);
        if (name !== 'messages' && name !== 'marks') return table;
        const keyOf = table.schema.primaryKey.extractKey;
        return {
          ...table,
          mutate(req) {
            const w = writes.get(req.trans);
            if (w) {
              if ((req.type === 'put' || req.type === 'add') && keyOf) for (const v of req.values) w.keys.add(`${name}:${String(keyOf(v))}`);
              else w.unlisted = true;
            }
            return table.mutate(req);
          },
        };
      },
    };
  },
};
