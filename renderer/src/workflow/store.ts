import { liveQuery, type Subscription } from 'dexie';
import { useSyncExternalStore } from 'react';
import type { WorkflowAction, WorkflowActionInput, WorkflowRecord } from '../../../shared/workflow.js';
import { emptyWorkflow, reduceWorkflow, type WorkflowState } from '../../../shared/workflowState.js';
import type { HostApi } from '../api/host';
import type { StatusSource } from '../api/status';
import type { WebcareDb, WorkflowQueueRecord } from '../db/db';
import { WorkflowDrain } from './queue';

/** Pending records sort after every record of the log, in the order they were made. */
const PENDING_SEQ = 1e15;

/** A queued action as the record it will become (by this agent), so the console shows it at once. */
export function pendingRecord(q: WorkflowQueueRecord): WorkflowRecord {
  const { id, kind, at, ...rest } = q.action as WorkflowAction & { conversationKey?: string };
  const conversationKey = rest.conversationKey;
  delete (rest as { conversationKey?: string }).conversationKey;
  return {
    id,
    kind,
    seq: PENDING_SEQ + (q.n ?? 0),
    ...(conversationKey ? { conversationKey } : {}),
    by: q.by,
    byName: q.byName,
    at,
    clientAt: at,
    data: rest as Record<string, unknown>,
  };
}

export interface WorkflowView {
  state: WorkflowState;
  /** Ids of this console's actions not yet in the team's log. */
  pending: ReadonlySet<string>;
  /** This console's actions the team did not apply, with why. */
  failed: ReadonlyArray<{ action: WorkflowAction; what: string; by?: string }>;
  /** The log's records, oldest first (notifications look at what is new). */
  records: readonly WorkflowRecord[];
}

const EMPTY: WorkflowView = { state: emptyWorkflow(), pending: new Set(), failed: [], records: [] };

let view: WorkflowView = EMPTY;
const listeners = new Set<() => void>();
let subscription: Subscription | null = null;
let drain: WorkflowDrain | null = null;
let status: StatusSource | null = null;

/** Derives the workflow state from the local log and queue whenever either changes (one reducer run for every reader). */
export function startWorkflow(host: HostApi, db: WebcareDb, source: StatusSource, opts: ConstructorParameters<typeof WorkflowDrain>[3] = {}): WorkflowDrain {
  if (drain) return drain;
  status = source;
  drain = new WorkflowDrain(host, db, source, opts);
  drain.start();
  subscription = liveQuery(async () => {
    const [records, queue] = await Promise.all([db.workflow.orderBy('seq').toArray(), db.workflowQueue.orderBy(':id').toArray()]);
    return { records, queue };
  }).subscribe({
    next: ({ records, queue }) => {
      const live = queue.filter((q) => !q.failed);
      view = {
        state: reduceWorkflow([...records, ...live.map(pendingRecord)]),
        pending: new Set(live.map((q) => q.id)),
        failed: queue.filter((q) => q.failed).map((q) => ({ action: q.action, what: q.failed!.what, ...(q.failed!.by ? { by: q.failed!.by } : {}) })),
        records,
      };
      for (const fn of listeners) fn();
    },
    error: (e: unknown) => console.warn('team workflow view failed', e),
  });
  return drain;
}

export function stopWorkflow(): void {
  subscription?.unsubscribe();
  subscription = null;
  drain?.stop();
  drain = null;
  view = EMPTY;
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function workflowView(): WorkflowView {
  return view;
}

/** The team workflow as this console knows it (the log, plus its own pending actions). */
export function useWorkflow(): WorkflowView {
  return useSyncExternalStore(subscribe, workflowView, workflowView);
}

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An action as a component makes it: the id and time are added here. */
export type NewAction = Without<WorkflowActionInput, 'id' | 'at'> & { id?: string; at?: number };

/**
 * Makes a workflow action as the team login this console is connected as;
 * refused (false) when the console is not in a team.
 */
export async function act(input: NewAction): Promise<WorkflowAction | null> {
  const me = status?.get()?.team?.me;
  if (!drain || !me) return null;
  return drain.act({ ...input, id: input.id ?? crypto.randomUUID(), at: input.at ?? Date.now() } as WorkflowActionInput, { login: me.login, name: me.name });
}

/** Forgets a failed action the agent has read. */
export async function dismissFailed(db: WebcareDb, id: string): Promise<void> {
  await db.workflowQueue.where('id').equals(id).delete();
}

/**
 * A part of the workflow view, for components there are many of (cards): the
 * component renders again only when what `select` answers changes (compared
 * with Object.is, so answer a string, number or boolean, or a value kept stable).
 */
export function useWorkflowSelect<T>(select: (v: WorkflowView) => T): T {
  const get = () => select(view);
  return useSyncExternalStore(subscribe, get, get);
}
