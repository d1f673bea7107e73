import type { AppError, CommandOutput } from '../../../shared/contract.js';
import type { MessageMark } from '../../../shared/filter.js';
import type { LostRace, MarkAction } from '../../../shared/team.js';
import type { HostApi } from '../api/host';
import type { StatusSource } from '../api/status';
import type { WebcareDb } from '../db/db';
import type { MarkPatch } from '../board/marks';
import type { TeamMarkSink } from './sink';
import { SerialRun } from '../serialRun';

/** The most message keys one action may carry (the contract's limit); a larger selection becomes several. */
export const MARK_ACTION_KEYS_MAX = 5000;

/** The patch as the team database takes it: the same trimming and limits as the local mark (applyMark). */
export function teamPatch(patch: MarkPatch): MarkAction['patch'] {
  const out: MarkAction['patch'] = {};
  if (patch.status !== undefined) out.status = patch.status;
  if (patch.tag !== undefined) out.tag = patch.tag === null || patch.tag.trim() === '' ? null : patch.tag.trim().slice(0, 60);
  if (patch.assignee !== undefined) out.assignee = patch.assignee === null || patch.assignee.trim() === '' ? null : patch.assignee.trim().slice(0, 100);
  if (patch.hidden !== undefined) out.hidden = patch.hidden;
  if (patch.sentiment !== undefined) out.sentiment = patch.sentiment;
  return out;
}

/**
 * The actions for one change of the board: which marks the agent saw (`base`: each
 * key's mark version, 0 when it had none), so a mark a colleague changed since is
 * not overwritten by this one.
 */
export function markActions(keys: readonly string[], prev: ReadonlyArray<MessageMark | undefined>, patch: MarkPatch, at: number): MarkAction[] {
  const actions: MarkAction[] = [];
  const p = teamPatch(patch);
  for (let i = 0; i < keys.length; i += MARK_ACTION_KEYS_MAX) {
    const chunk = keys.slice(i, i + MARK_ACTION_KEYS_MAX);
    const base: Record<string, number> = {};
    chunk.forEach((key, j) => {
      base[key] = prev[i + j]?.at ?? 0;
    });
    actions.push({ id: crypto.randomUUID(), keys: [...chunk], patch: p, base, at });
  }
  return actions;
}

/**
 * Failures that mean "the team database cannot take it now", not "this action is wrong":
 * the action stays queued, in its place, until the team is online again.
 */
export function waitsForTeam(error: AppError): boolean {
  if (error.kind === 'offline' || error.kind === 'sendUnknown') return true;
  return error.kind === 'team' && error.team !== 'rights' && error.team !== 'other';
}

/** Waits after failures while the host still says the team is online: 2 s, 4 s … at most a minute. */
export function backoffMs(failures: number): number {
  return Math.min(60_000, 2000 * 2 ** Math.max(0, failures - 1));
}

export interface TeamActionDrainOptions {
  now?: () => number;
  /** The Web Locks API keeps two windows from replaying at once (the database applies an id once anyway). */
  locks?: LockManager | null;
  /** Actions that lost a race; `offline` when they were made or replayed after the team was out of reach. */
  onLost?: (races: LostRace[], offline: boolean) => void;
}

/**
 * Sends the queued mark actions to the host, oldest first, one at a time. Each
 * is removed only once the host answered for it, so a closed window or a lost
 * database replays it later, under the same id. An action that waits keeps
 * the ones behind it waiting: a later change never overtakes an earlier one.
 */
export class TeamActionDrain implements TeamMarkSink {
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
    private readonly opts: TeamActionDrainOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.run = new SerialRun('webcare-team-actions', () => this.loop(), 'team actions not replayed', opts.locks);
  }

  active(): boolean {
    return Boolean(this.status?.get()?.team);
  }

  /** Connected to the host, and the host is in step with the team database. */
  canSend(): boolean {
    return this.host.connection === 'open' && this.status?.get()?.team?.state === 'online';
  }

  offline(): boolean {
    return !this.canSend();
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

  /** The team came back online: replay at once, whatever the backoff said. */
  private onChange(): void {
    const online = this.canSend();
    const back = online && !this.wasOnline;
    this.wasOnline = online;
    if (!back) return;
    this.failures = 0;
    this.blockedUntil = 0;
    this.kick();
  }

  kick(): void {
    if (!this.stopped) this.run.kick();
  }

  /** Resolves once nothing more can be sent now (tests). */
  idle(): Promise<void> {
    return this.run.idle();
  }

  private async loop(): Promise<void> {
    const { db } = this;
    for (;;) {
      this.run.startOver();
      if (this.stopped || !this.canSend() || this.now() < this.blockedUntil) break;
      const head = await db.teamActions.orderBy(':id').first();
      if (!head || head.n === undefined) break;
      const result = await this.host.call('mark', head.action).catch((): CommandOutput<'mark'> => ({ ok: false, error: { kind: 'offline' } }));
      if (result.ok) {
        await db.teamActions.delete(head.n);
        this.failures = 0;
        // Nothing more is applied locally: the team's mark arrives in a batch and wins.
        if (result.value.lost.length > 0) this.opts.onLost?.(result.value.lost, head.offline);
        continue;
      }
      if (waitsForTeam(result.error) || !this.canSend()) {
        await db.teamActions.update(head.n, { offline: true, attempts: head.attempts + 1 });
        this.failures++;
        this.blockedUntil = this.now() + backoffMs(this.failures);
        this.schedule();
        break;
      }
      // The team is there and refused this action itself (invalid, not allowed): sending it again
      // cannot help, and keeping it would hold every later action back.
      console.warn('team refused a mark action; it stays local only', result.error);
      await db.teamActions.delete(head.n);
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
