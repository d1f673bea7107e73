import { randomUUID } from 'node:crypto';
import type { MessageBatch } from '../../../shared/contract.js';
import type { Message, StreamStatus } from '../../../shared/model.js';
import type { TeamErrorKind, TeamStatus } from '../../../shared/team.js';
import type { Accounts, AccountsTeam } from '../accounts.js';
import type { FittedBatch } from '../overflow.js';
import type { SandboxEndpoints } from '../sandboxAccounts.js';
import type { Sending } from '../sending.js';
import { TeamAccounts, type KeyState } from './accounts.js';
import { MemberNames, TeamActions } from './actions.js';
import type { TeamJournal } from './journal.js';
import { Leader, type LeaderTiming } from './leader.js';
import { TeamLink, type LinkTiming } from './link.js';
import { teamError } from './pgErrors.js';
import { TeamOutbox } from './outbox.js';
import { TeamStore } from './teamStore.js';
import { TeamSync, type SyncTiming } from './sync.js';
import { workflowHandlers } from './wf/handlers.js';
import { TeamWorkflow } from './wf/workflow.js';
import type { AccountRecord } from '../connectors/types.js';

/** Two records of one account that differ at most in their department. */
function sameBut(a: AccountRecord, b: AccountRecord): boolean {
  return JSON.stringify({ ...a, department: undefined }) === JSON.stringify({ ...b, department: undefined });
}

/** Test knobs; every default is what a console uses. */
export interface TeamTiming {
  link?: Partial<LinkTiming>;
  leader?: Partial<LeaderTiming>;
  sync?: Partial<SyncTiming>;
  /** The leader sends what waits in the outbox of its accounts this often, besides the notices. */
  drainMs?: number;
  outbox?: { waitMs?: number; pollMs?: number; staleMs?: number };
  actions?: { heartbeatMs?: number; presenceTimeoutMs?: number; leaseMs?: number };
}

export interface TeamSessionOptions {
  url: string;
  key: string | undefined;
  consoleId: string;
  dataDir: string;
  accounts: Accounts;
  /** Batches to the renderer (and what a batch could not hand over whole). */
  delivery: {
    deliver(batch: MessageBatch, opts: { learnOnly: boolean }): Promise<void>;
    setAside(batch: MessageBatch, fit: FittedBatch): Promise<void>;
  };
  journal: TeamJournal;
  /** Sends a reply for an account this console polls (exactly once, with the team journal). */
  sending: Pick<Sending, 'sendReply'>;
  transforms: ReadonlyArray<(messages: Message[]) => Message[] | null>;
  storeId(): string | undefined;
  sandbox?: SandboxEndpoints;
  /** Where this console reaches the sandbox's accounts (see TeamAccounts). */
  apiBase?: { x?: string; graph?: string };
  /** Connects the sandbox's practice accounts (to the team, through Accounts.add). */
  signInSandbox?(): Promise<void>;
  now: () => number;
  log(line: string): void;
  changed(): void;
  timing?: TeamTiming;
}

/**
 * One console's part in a team: the link to the database, the team's accounts
 * and tokens, the locks that say who polls what, the copy of the team's changes
 * into the local store, the shared outbox, and what agents do together.
 *
 * The console keeps working while the database is out of reach: the local
 * store is there, accounts still show (from a local copy of their records), a
 * reply waits in the renderer's outbox; nothing is polled, because what would
 * be read could not be stored for the team.
 */
export class TeamSession {
  readonly link: TeamLink;
  readonly teamAccounts: TeamAccounts;
  readonly leader: Leader;
  readonly store: TeamStore;
  readonly sync: TeamSync;
  readonly outbox: TeamOutbox;
  readonly actions: TeamActions;
  readonly workflow: TeamWorkflow;
  private readonly offs: Array<() => void> = [];
  /** Per account, changes to its session one after another (starting and stopping its polling). */
  private readonly chains = new Map<string, Promise<void>>();
  private drainTimer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> | null = null;
  private reloadAgain = false;
  private stopped = false;
  private readyPromise: Promise<void> = Promise.resolve();

  constructor(private readonly opts: TeamSessionOptions) {
    const { log } = opts;
    const timing = opts.timing ?? {};
    this.link = new TeamLink({ url: opts.url, consoleId: opts.consoleId, log, timing: timing.link });
    this.teamAccounts = new TeamAccounts({ conn: this.link, dataDir: opts.dataDir, now: opts.now, log, apiBase: opts.apiBase });
    this.leader = new Leader({
      link: this.link,
      log,
      timing: { ...timing.leader, ...(timing.actions?.presenceTimeoutMs ? { presenceTimeoutMs: timing.actions.presenceTimeoutMs } : {}) },
      eligible: () => this.eligible(),
      gained: (id) => this.gained(id),
      lost: (ids) => this.lost(ids),
      changed: opts.changed,
    });
    this.store = new TeamStore({ leader: this.leader, transforms: opts.transforms, setAside: (b, f) => opts.delivery.setAside(b, f) });
    this.sync = new TeamSync({
      link: this.link,
      team: this.link.redacted,
      dataDir: opts.dataDir,
      storeId: opts.storeId,
      deliver: (batch) => opts.delivery.deliver(batch, { learnOnly: true }),
      log,
      timing: timing.sync,
    });
    const names = new MemberNames(this.link);
    this.outbox = new TeamOutbox({ conn: this.link, journal: opts.journal, names, ...timing.outbox, log });
    this.actions = new TeamActions({ conn: this.link, leading: () => this.leader.leading(), names, ...timing.actions, log });
    this.workflow = new TeamWorkflow({ conn: this.link, names, handlers: workflowHandlers, log });
  }

  /** What Accounts asks of the team (tokens, who polls, where records go). */
  accountsSeam(): AccountsTeam {
    return {
      secret: (id) => this.teamAccounts.secret(id),
      polls: (id) => this.leader.leads(id),
      put: async (record, secret) => {
        await this.teamAccounts.put(record, secret);
        // Polled once this console (or a colleague's) takes its lock.
        setTimeout(() => this.leader.poke(), 0);
      },
      remove: async (id) => {
        await this.leader.release(id);
        await this.teamAccounts.remove(id);
      },
      save: () => this.teamAccounts.saveCache(),
    };
  }

  /**
   * Shows the accounts known from last time, then connects. Resolves once the
   * first attempt is over (and, when it succeeded, the team's accounts are attached);
   * the link keeps trying in the background either way.
   */
  async start(): Promise<void> {
    for (const r of await this.teamAccounts.cached()) if (!this.opts.accounts.has(r.id)) this.opts.accounts.attach(r);
    await this.sync.load();
    this.opts.journal.setConn(this.link);
    this.offs.push(
      this.link.onState((online) => {
        if (online) this.readyPromise = this.online();
      }),
      this.link.onNotice((n) => {
        if (n.t === 'account') void this.accountsChanged();
        else if (n.t === 'outbox' && n.a && this.leader.leads(n.a)) void this.drain(n.a);
      }),
      this.link.onChange(() => this.opts.changed()),
      this.actions.onChange(() => this.opts.changed()),
    );
    this.leader.start();
    this.sync.start();
    this.actions.start();
    this.drainTimer = setInterval(() => {
      for (const id of this.leader.leading()) void this.drain(id);
    }, this.opts.timing?.drainMs ?? 5000);
    await this.link.start();
    await this.readyPromise;
  }

  /** Leaves the team cleanly: streams stop, locks are given back, colleagues see this console go. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
    if (this.drainTimer) clearInterval(this.drainTimer);
    this.outbox.stop();
    await Promise.all([...this.chains.values()]);
    await this.leader.stop();
    await Promise.all([...this.chains.values()]);
    await this.sync.stop();
    await this.actions.stop();
    this.opts.journal.setConn(null);
    await this.link.stop();
  }

  get keyState(): KeyState {
    return this.teamAccounts.keyState;
  }

  status(): TeamStatus {
    const link = this.link;
    const key = this.teamAccounts.keyState;
    const keyError = link.online && key === 'wrong' ? { kind: 'key' as const, detail: 'the team key entered here does not open the team’s tokens' } : undefined;
    const me = link.me;
    return {
      state: link.state,
      url: link.redacted,
      ...(keyError ? { error: keyError } : link.error && !link.online ? { error: link.error } : {}),
      ...(me ? { me: { login: me.login, name: me.name, role: me.role, departments: me.departments } } : {}),
      members: this.actions.members(),
      claims: this.actions.claims(),
      pollers: this.leader.pollers(),
      leading: this.leader.leading(),
      keyNeeded: key === 'needed' || key === 'wrong',
      queued: 0,
      lostRaces: this.actions.lostRaces(),
    };
  }

  /** Streams polled by colleagues' consoles, as they published them (the health view). */
  remoteStreams(): StreamStatus[] {
    return this.leader.remoteStreams();
  }

  publishStatuses(statuses: StreamStatus[]): void {
    void this.leader.publishStatuses(statuses);
  }

  /** Back online: the key, the sandbox accounts (first console only), then the team's accounts. */
  private async online(): Promise<void> {
    try {
      const key = await this.teamAccounts.unlock(this.opts.key);
      if (key === 'wrong') this.opts.log('team: the team key does not fit: this console reads the team but polls and sends nothing');
      if (key === 'ok') await this.ensureSandboxAccounts();
      await this.reloadAccounts();
      this.leader.poke();
    } catch (e) {
      if (!this.stopped) this.opts.log(`team: joining failed: ${(e as Error).message}`);
    }
  }

  /**
   * With the embedded sandbox, a team without accounts gets the sandbox's
   * practice accounts, once: the consoles take turns under an advisory lock,
   * and a console finding the accounts there does not connect a second copy.
   */
  private async ensureSandboxAccounts(): Promise<void> {
    const signIn = this.opts.signInSandbox;
    if (!this.opts.sandbox || !signIn) return;
    await this.link.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtextextended('webcare:sandbox-sign-in', 0))");
      const r = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM webcare.accounts');
      if ((r.rows[0]?.n ?? 0) > 0) return;
      try {
        await signIn();
      } catch (e) {
        this.opts.log(`team: signing in the sandbox accounts failed: ${(e as Error).message}`);
      }
    });
  }

  /**
   * Accounts were added, changed or removed. A console waiting for the team key
   * (an admin had not set it yet) looks again first: an admin sets the key
   * before adding the team's first account.
   */
  private async accountsChanged(): Promise<void> {
    if (this.teamAccounts.keyState === 'needed' && this.opts.key) {
      await this.teamAccounts.unlock(this.opts.key).catch(() => undefined);
    }
    await this.reloadAccounts();
    this.leader.poke();
  }

  /** The team's accounts as the database has them now: new ones attached, removed ones stopped, repaired ones rebuilt. */
  reloadAccounts(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          await this.reloadOnce();
        } while (this.reloadAgain && !this.stopped);
      } catch (e) {
        if (!this.stopped) this.opts.log(`team: reading the accounts failed: ${(e as Error).message}`);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  private async reloadOnce(): Promise<void> {
    if (!this.link.online || this.stopped) return;
    const { accounts } = this.opts;
    const records = await this.teamAccounts.load();
    const ids = new Set(records.map((r) => r.id));
    for (const a of accounts.describeAll()) {
      if (ids.has(a.id)) continue;
      await this.serial(a.id, async () => {
        await this.leader.release(a.id);
        await accounts.detach(a.id);
      });
    }
    for (const r of records) {
      await this.serial(r.id, async () => {
        const live = accounts.get(r.id);
        if (!live) return accounts.attach(r);
        const hasSecret = this.teamAccounts.secret(r.id) !== undefined;
        // A lead gave it another department: nothing to rebuild for that.
        if (live.record.department !== r.department && sameBut(live.record, r)) accounts.relabel(r);
        // Rebuilt when the record changed, a token became readable here, or a colleague
        // reconnected an account whose token had died (its session here is dead too).
        const stale = JSON.stringify(live.record) !== JSON.stringify(r) || (live.remote && hasSecret) || (!live.remote && !live.session && hasSecret) || live.state === 'reconnect';
        if (stale) await accounts.reattach(r.id, r);
        else if (!hasSecret && live.session && !this.leader.leads(r.id)) await accounts.reattach(r.id, r);
      });
    }
    await this.teamAccounts.saveCache().catch(() => undefined);
    this.opts.changed();
  }

  private eligible(): string[] {
    if (!this.teamAccounts.canHoldTokens) return [];
    return this.opts.accounts
      .describeAll()
      .filter((a) => a.state === 'connected' && this.teamAccounts.secret(a.id) !== undefined)
      .map((a) => a.id);
  }

  /** The lock is ours: the freshest token, the stored cursors, then the streams. */
  private gained(id: string): Promise<void> {
    return this.serial(id, async () => {
      if (!(await this.teamAccounts.reloadSecret(id))) throw new Error('its token cannot be read here');
      await this.store.loadCursors(id);
      const record = this.teamAccounts.record(id);
      if (!this.leader.leads(id)) return;
      await this.opts.accounts.reattach(id, record);
      void this.drain(id);
    });
  }

  /** Not ours any more: the streams stop at once (their writes are fenced anyway), the account stays shown. */
  private lost(ids: string[]): void {
    for (const id of ids) {
      this.background(id, async () => {
        if (this.leader.leads(id)) return;
        if (this.stopped) await this.opts.accounts.detach(id);
        else await this.opts.accounts.reattach(id);
      });
    }
  }

  private drain(accountId: string): Promise<number> {
    if (!this.link.online || !this.leader.leads(accountId)) return Promise.resolve(0);
    return this.outbox.drain(accountId, (input) => this.opts.sending.sendReply(input));
  }

  /** Runs `fn` after the account's earlier changes; its failure reaches the caller, never the chain. */
  private serial(id: string, fn: () => Promise<void> | void): Promise<void> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const run = prev.then(fn);
    const settled = run.catch(() => undefined);
    this.chains.set(id, settled);
    void settled.then(() => {
      if (this.chains.get(id) === settled) this.chains.delete(id);
    });
    return run;
  }

  /** As `serial`, for callers that only log a failure. */
  private background(id: string, fn: () => Promise<void> | void): void {
    this.serial(id, fn).catch((e: unknown) => {
      if (!this.stopped) this.opts.log(`team: ${id}: ${(e as Error).message}`);
    });
  }
}

/**
 * Tries a team URL and key before a console keeps them: connects (which
 * brings the schema up to date when an admin connects), checks the login is a
 * member and that the key opens the team's tokens (an admin's key becomes the
 * team key when there is none yet). Null when all is well.
 */
export async function probeTeam(url: string, key: string | undefined): Promise<{ kind: TeamErrorKind; detail?: string } | null> {
  const link = new TeamLink({ url, consoleId: randomUUID(), log: () => undefined, timing: { reconnectMinMs: 3_600_000, reconnectMaxMs: 3_600_000 } });
  try {
    await link.start();
    if (!link.online) return link.error ?? { kind: 'unreachable' };
    const accounts = new TeamAccounts({ conn: link, dataDir: '', now: Date.now, log: () => undefined });
    if ((await accounts.unlock(key)) === 'wrong') return { kind: 'key', detail: 'this is not the team key' };
    return null;
  } catch (e) {
    const { kind, detail } = teamError(e);
    return { kind, ...(detail ? { detail } : {}) };
  } finally {
    await link.stop();
  }
}
