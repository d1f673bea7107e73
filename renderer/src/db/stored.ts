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
 *
 * The ingest writes in a worker (ingestWorker.ts). There publishStored reports
 * to the page what it stored, with the parts of Dexie's notice of the write, and
 * the page tells that as stored in the place of the notice's copy it receives
 * (relayStored: whichever of the two comes first waits for the other).
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
  /** Dexie's notice of its change, once it came (what another context of this window receives a copy of). */
  parts?: ObservabilitySet;
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
  // The databases listened to, and those written here (a worker's, whose reports need their notices).
  for (const db of new Set([...listeners.keys(), ...[...open].map((w) => w.db)])) {
    const prefixes = [`idb://${db}/messages/`, `idb://${db}/marks/`];
    if (!Object.keys(parts).some((part) => prefixes.some((p) => part.startsWith(p)))) continue;
    // Dexie passes on the set its observability layer gathered on the transaction itself: that
    // identity tells a write of this window from one of another (which arrives as a copy).
    let local: Write | undefined;
    for (const w of open) if (w.db === db && (w.trans as { mutatedParts?: unknown }).mutatedParts === parts) local = w;
    if (local) open.delete(local);
    if (local && !local.unlisted) {
      local.parts = parts;
      held.add(local);
      flushTimer ??= setTimeout(flush, 0);
    } else if (!local && relaying) awaitReport(db, parts);
    else emit(db, { kind: 'unknown' });
  }
}

/**
 * The ingest writes in a worker of this window (ingestWorker.ts). Its writes reach this
 * window as Dexie's notices from another context (their parts, copied), and what it
 * stored as its report (relayStored), in either order. A notice of messages or marks
 * from elsewhere waits this long for a report with the same parts; one that gets none
 * (a write of another tab, or one the worker did not describe) is told as unknown.
 */
export const REPORT_WAIT_MS = 250;
/** A report whose notice has not come is kept this long. */
const REPORT_KEEP_MS = 5_000;
let relaying = false;
/** Notices from elsewhere waiting for their report, by database and parts. */
const waitingNotices = new Map<string, Array<ReturnType<typeof setTimeout>>>();
/** Reports that came before their notice, by database and parts. */
const earlyReports = new Map<string, Array<ReturnType<typeof setTimeout>>>();

/** A write's parts as both contexts see them (the notice is a structured copy: the same JSON). */
export function partsKey(db: string, parts: ObservabilitySet): string {
  return `${db}\n${JSON.stringify(parts)}`;
}

function takeOne(from: Map<string, Array<ReturnType<typeof setTimeout>>>, key: string): boolean {
  const list = from.get(key);
  const timer = list?.shift();
  if (list?.length === 0) from.delete(key);
  if (timer === undefined) return false;
  clearTimeout(timer);
  return true;
}

function keepOne(into: Map<string, Array<ReturnType<typeof setTimeout>>>, key: string, ms: number, expired: () => void): void {
  let list = into.get(key);
  if (!list) into.set(key, (list = []));
  const timer: ReturnType<typeof setTimeout> = setTimeout(() => {
    const l = into.get(key);
    const i = l?.indexOf(timer) ?? -1;
    if (l && i >= 0) l.splice(i, 1);
    if (l?.length === 0) into.delete(key);
    expired();
  }, ms);
  list.push(timer);
}

function awaitReport(db: string, parts: ObservabilitySet): void {
  const key = partsKey(db, parts);
  if (takeOne(earlyReports, key)) return;
  keepOne(waitingNotices, key, REPORT_WAIT_MS, () => emit(db, { kind: 'unknown' }));
}

/** This window's ingest writes in a worker that reports what it stored (relayStored): notices from elsewhere wait for the reports. */
export function expectReports(on = true): void {
  relaying = on;
}

/**
 * A worker's report of a committed write (what its publishStored was told, and the
 * parts of the transactions that covered): told to the listeners as stored, and it
 * takes the place of Dexie's notices of those transactions.
 */
export function relayStored(db: string, batch: StoredBatch, parts: readonly string[]): void {
  for (const key of parts) if (!takeOne(waitingNotices, key)) keepOne(earlyReports, key, REPORT_KEEP_MS, () => undefined);
  emit(db, { kind: 'stored', messages: batch.messages, marks: batch.marks ?? [], workflow: batch.workflow ?? [] });
}

/** In the worker: where publishStored's reports go (with the parts of the writes each covered). */
let reportTo: ((db: string, batch: StoredBatch, parts: string[]) => void) | null = null;
export function reportStoredTo(fn: typeof reportTo): void {
  reportTo = fn;
  // The parts of a write are known from its notice: without following them, no report would name any.
  if (fn) subscribe();
}

let subscribed = false;

/** Follows Dexie's notices from now on: a listener's, or the worker's reports, need them. */
function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  Dexie.on('storagemutated', onMutated);
}

/** Listens to what is stored in `db` from now on; returns the unsubscribe. */
export function onStored(db: Dexie, listener: Listener): () => void {
  subscribe();
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
  const parts: string[] = [];
  for (const w of held) {
    if (w.db !== db.name) continue;
    let covered = true;
    for (const k of w.keys) {
      if (!keys.has(k)) {
        covered = false;
        break;
      }
    }
    if (covered) {
      held.delete(w);
      if (w.parts) parts.push(partsKey(db.name, w.parts));
    }
  }
  reportTo?.(db.name, batch, parts);
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
