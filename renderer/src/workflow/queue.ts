import type { CommandOutput } from '../../../shared/contract.js';
import type { WorkflowAction, WorkflowActionInput } from '../../../shared/workflow.js';
import { WorkflowActionSchema } from '../../../shared/workflow.js';
import type { HostApi } from '../api/host';
import type { StatusSource } from '../api/status';
import type { WebcareDb } from '../db/db';
import { applyCannedRecords, hasCannedRecords } from '../canned/teamLibrary';
import { SerialRun } from '../serialRun';
import { backoffMs, waitsForTeam } from '../team/markSync';

export interface WorkflowDrainOptions {
  now?: () => number;
  locks?: LockManager | null;
  /** A colleague got there first, or the team refused the action (shown to the agent). */
  onFailed?: (action: WorkflowAction, failed: { what: string; by?: string }) => void;
}

/**
 * The team workflow's actions made at this console, sent to the host oldest
 * first, one at a time. An action is queued in the local store first (so the
 * console shows it at once as pending, and it survives a closed window or a
 * lost database) and leaves the queue when the team's log holds it (the sync
 * brings the record; see db/ingest.ts) or the host answered that it cannot be
 * applied (kept then, marked failed, for the agent to read).
 */
export class WorkflowDrain {
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private blockedUntil = 0;
  private wasOnline = false;
  private readonly offs: Array<() => void> = [];
  private readonly now: () => number;
  private readonly run: SerialRun;

  constructor(
    private readonly host: HostApi,
    private readonly db: WebcareDb,
    private readonly status: StatusSource | null,
    private readonly opts: WorkflowDrainOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.run = new SerialRun('webcare-team-workflow', () => this.loop(), 'team workflow not replayed', opts.locks);
  }

  canSend(): boolean {
    return this.host.connection === 'open' && this.status?.get()?.team?.state === 'online';
  }

  start(): void {
    this.wasOnline = this.canSend();
    this.offs.push(this.host.onConnection(() => this.onChange()));
    if (this.status) this.offs.push(this.status.subscribe(() => this.onChange()));
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    for (const off of this.offs) off();
    if (this.timer) clearTimeout(this.timer);
  }

  /**
   * Queues an action made by `me` (the team login and name the host reports)
   * and sends it as soon as the team can take it. Answers the action as queued.
   */
  async act(input: WorkflowActionInput, me: { login: string; name: string }): Promise<WorkflowAction> {
    const action = WorkflowActionSchema.parse(input);
    await this.db.workflowQueue.add({ id: action.id, action, by: me.login, byName: me.name, offline: !this.canSend(), attempts: 0 });
    this.kick();
    return action;
  }

  kick(): void {
    if (!this.stopped) this.run.kick();
  }

  idle(): Promise<void> {
    return this.run.idle();
  }

  private onChange(): void {
    const online = this.canSend();
    const back = online && !this.wasOnline;
    this.wasOnline = online;
    if (!back) return;
    this.failures = 0;
    this.blockedUntil = 0;
    this.kick();
  }

  private async loop(): Promise<void> {
    const { db } = this;
    for (;;) {
      this.run.startOver();
      if (this.stopped || !this.canSend() || this.now() < this.blockedUntil) break;
      const queue = await db.workflowQueue.orderBy(':id').toArray();
      const head = queue.find((r) => !r.failed);
      if (!head || head.n === undefined) break;
      const result = await this.host.call('act', head.action).catch((): CommandOutput<'act'> => ({ ok: false, error: { kind: 'offline' } }));
      if (result.ok) {
        this.failures = 0;
        const { applied, record, lost } = result.value;
        if (applied && record) {
          // The record as the team has it; the sync brings it too (bulkPut: the same row).
          const canned = hasCannedRecords([record]) ? [db.canned, db.cannedUses] : [];
          await db.transaction('rw', [db.workflow, db.workflowQueue, ...canned], async () => {
            await applyCannedRecords(db, [record]);
            await db.workflow.put(record);
            await db.workflowQueue.delete(head.n!);
          });
        } else {
          const failed = { what: lost?.what ?? 'lost', ...(lost?.by ? { by: lost.by } : {}) };
          await db.workflowQueue.update(head.n, { failed });
          this.opts.onFailed?.(head.action, failed);
        }
        continue;
      }
      if (waitsForTeam(result.error) || !this.canSend()) {
        await db.workflowQueue.update(head.n, { offline: true, attempts: head.attempts + 1 });
        this.failures++;
        this.blockedUntil = this.now() + backoffMs(this.failures);
        this.schedule();
        break;
      }
      // Refused by the team itself (not allowed, invalid): kept, marked, never holding later actions back.
      const failed = { what: result.error.kind === 'team' ? `team:${result.error.team}` : result.error.kind };
      await db.workflowQueue.update(head.n, { failed });
      this.opts.onFailed?.(head.action, failed);
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, Math.max(50, this.blockedUntil - this.now()));
  }
}
