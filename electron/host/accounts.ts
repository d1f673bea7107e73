import path from 'node:path';
import type { Account, SavedSearch, StreamStatus } from '../../shared/model.js';
import { readJson, writeJson } from './jsonFile.js';
import { StreamRunner, type RunnerHooks, type StreamSource } from './poller.js';
import type { Spending } from './spending.js';
import type { Vault } from './vault.js';
import type { AccountRecord, AccountSession, Connector } from './connectors/types.js';

/** One account as the host holds it while running. */
export interface LiveAccount {
  record: AccountRecord;
  state: Account['state'];
  reason?: string;
  /** Absent when the account must be reconnected before it can do anything. */
  session?: AccountSession;
  /** Team mode: a colleague's console polls it and this one holds no token for it (not broken, just not here). */
  remote?: boolean;
}

/**
 * Team mode: the account records and tokens live in the team database, and a
 * console polls only the accounts whose lock it holds. Solo has none of this.
 */
export interface AccountsTeam {
  /** The account's token as the team keeps it, where this login may read it. */
  secret(accountId: string): unknown;
  /** This console polls the account now. */
  polls(accountId: string): boolean;
  put(record: AccountRecord, secret: unknown): Promise<void>;
  remove(accountId: string): Promise<void>;
  save(): Promise<void>;
}

export interface AccountsOptions {
  dataDir: string;
  vault: Vault;
  connectors: readonly Connector[];
  /** What X accounts may spend on reads; each paid stream's spending is recorded here. */
  spending: Spending;
  /** Gives up the unacknowledged batches of streams that stop. */
  abandon(streamIds: ReadonlySet<string>): void;
  /** Batches and cursors, for every stream runner. */
  delivery: Pick<RunnerHooks, 'deliver' | 'ahead' | 'loadCursor' | 'saveCursor'>;
  /** The saved searches of an account, polled as streams of their own. */
  searchesOf(accountId: string): SavedSearch[];
  now: () => number;
  intervalMs?: RunnerHooks['intervalMs'];
  log(line: string): void;
  /** Accounts, streams or connectivity changed. */
  changed(): void;
}

/**
 * The connected accounts (accounts.json, tokens in the vault) and the streams
 * each one polls. Platform specifics stay in the connectors.
 */
export class Accounts {
  private readonly live = new Map<string, LiveAccount>();
  private readonly runners = new Map<string, StreamRunner>();
  private online = true;
  private team: AccountsTeam | null = null;

  constructor(private readonly opts: AccountsOptions) {}

  /** Enters (or with null, leaves) team mode; the caller detached every account first. */
  setTeam(team: AccountsTeam | null): void {
    this.team = team;
  }

  private get file(): string {
    return path.join(this.opts.dataDir, 'accounts.json');
  }

  loadRecords(): Promise<AccountRecord[]> {
    return readJson<AccountRecord[]>(this.file, []);
  }

  get(accountId: string): LiveAccount | undefined {
    return this.live.get(accountId);
  }

  has(accountId: string): boolean {
    return this.live.has(accountId);
  }

  isOnline(): boolean {
    return this.online;
  }

  connector(platform: Account['platform']): Connector {
    const c = this.opts.connectors.find((k) => k.platform === platform);
    if (!c) throw new Error(`no connector for ${platform}`);
    return c;
  }

  describeAll(): Account[] {
    return [...this.live.values()].map((l) => this.describe(l));
  }

  streamStatuses(): StreamStatus[] {
    return [...this.runners.values()].map((r) => ({ ...r.status }));
  }

  statusOf(streamId: string): StreamStatus | undefined {
    return this.runners.get(streamId)?.status;
  }

  private describe({ record, state, reason, session, remote }: LiveAccount): Account {
    const granted = session?.granted() ?? (record.platform === 'facebook' ? (record.tasks ?? []) : []);
    return {
      id: record.id,
      platform: record.platform,
      platformUserId: record.platformUserId,
      name: record.name,
      handle: record.handle,
      avatarUrl: record.avatarUrl,
      state,
      sandbox: record.sandbox,
      expiresAt: session?.expiresAt(),
      granted,
      // What a token lacks is known only where the token is.
      missing: remote ? [] : this.connector(record.platform).required.filter((r) => !granted.includes(r)),
      reason: state === 'reconnect' ? (reason ?? session?.deadReason()) : undefined,
      ...(record.platform === 'x' ? { spending: this.opts.spending.describe(record.id) } : {}),
      ...(record.department ? { department: record.department } : {}),
    };
  }

  /** The same account with another department (team mode): what it shows changes, its streams run on. */
  relabel(record: AccountRecord): void {
    const live = this.live.get(record.id);
    if (!live) return;
    live.record = record;
    this.opts.changed();
  }

  /** Builds the live session and streams of a stored account (not started). */
  attach(record: AccountRecord): void {
    const live: LiveAccount = { record, state: 'connected' };
    this.live.set(record.id, live);
    this.opts.spending.setSandbox(record.id, record.sandbox);
    const team = this.team;
    const secret = team ? team.secret(record.id) : this.opts.vault.get<unknown>(record.id);
    const session = secret ? this.connector(record.platform).open(record, secret) : null;
    if (!session) {
      if (team && !team.polls(record.id) && secret === undefined) live.remote = true;
      else live.state = 'reconnect';
      return;
    }
    live.session = session;
    // Team mode: only the console holding the account's lock polls it.
    if (team && !team.polls(record.id)) return;
    for (const s of session.streams()) this.addStream(s);
    for (const search of this.opts.searchesOf(record.id)) this.addSearchStream(record.id, search);
  }

  /** A saved search's stream (not started); false when the account cannot poll it now. */
  addSearchStream(accountId: string, search: SavedSearch): boolean {
    const live = this.live.get(accountId);
    if (!live?.session?.searchStream || live.state !== 'connected') return false;
    if (this.team && !this.team.polls(accountId)) return false;
    const source = live.session.searchStream(search, () => Math.max(1, this.opts.searchesOf(accountId).length));
    if (!source) return false;
    this.addStream(source);
    return true;
  }

  startStream(streamId: string): void {
    this.runners.get(streamId)?.start();
  }

  async removeStream(streamId: string): Promise<void> {
    const r = this.runners.get(streamId);
    this.runners.delete(streamId);
    const stopping = r?.stop();
    this.opts.abandon(new Set([streamId]));
    await stopping;
  }

  startAll(): void {
    for (const r of this.runners.values()) r.start();
  }

  pokeAccount(accountId: string): void {
    if (this.live.get(accountId)?.state !== 'connected') return;
    for (const r of this.runners.values()) if (r.source.accountId === accountId) r.poke();
  }

  pokeAll(): void {
    for (const r of this.runners.values()) r.poke();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
  }

  /** Keeps an account's tokens and (re)attaches it: a reconnect replaces the old session and resumes its streams from their cursors. */
  async add(record: AccountRecord, secret: unknown): Promise<void> {
    if (this.team) await this.team.put(record, secret);
    else await this.opts.vault.set(record.id, secret, { sandbox: record.sandbox });
    await this.detach(record.id);
    this.attach(record);
    for (const r of this.runners.values()) if (r.source.accountId === record.id) r.start();
    await this.save();
    this.opts.changed();
  }

  async detach(accountId: string): Promise<void> {
    await this.unhook(accountId);
  }

  /** Takes an account's runners and entry away at once; resolves when the runners have stopped. */
  private unhook(accountId: string): Promise<void> {
    const stopping: Promise<void>[] = [];
    const ids = new Set<string>();
    for (const [id, r] of this.runners) {
      if (r.source.accountId !== accountId) continue;
      this.runners.delete(id);
      ids.add(id);
      stopping.push(r.stop());
    }
    this.live.delete(accountId);
    this.opts.abandon(ids);
    return Promise.all(stopping).then(() => undefined);
  }

  /**
   * Builds an account's session and streams again from its record and current
   * token (team mode: this console began or stopped polling it, or its token
   * was replaced); its streams start when this console polls it.
   */
  async reattach(accountId: string, record?: AccountRecord): Promise<void> {
    const live = this.live.get(accountId);
    const rec = record ?? live?.record;
    if (!rec) return;
    // The account stays shown throughout; new streams start only once the old ones have ended.
    const stopping = this.unhook(accountId);
    this.attach(rec);
    this.opts.changed();
    await stopping;
    if (this.live.get(accountId)?.record !== rec) return;
    for (const r of this.runners.values()) if (r.source.accountId === accountId) r.start();
  }

  /** Stops and forgets every live account (their records and tokens stay where they are kept). */
  async detachAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.detach(id)));
    this.opts.changed();
  }

  /** Forgets an account and its tokens (its cached messages stay). */
  async remove(accountId: string): Promise<void> {
    await this.detach(accountId);
    if (this.team) await this.team.remove(accountId);
    else await this.opts.vault.delete(accountId);
    await this.save();
    this.opts.changed();
  }

  save(): Promise<void> {
    // Team records live in the team database (and its local cache), never in this console's accounts.json.
    if (this.team) return this.team.save();
    return writeJson(
      this.file,
      [...this.live.values()].map((a) => a.record),
    );
  }

  needsReconnect(accountId: string, reason?: string): void {
    const live = this.live.get(accountId);
    if (!live || live.state === 'reconnect') return;
    live.state = 'reconnect';
    live.reason = reason;
    for (const r of this.runners.values()) if (r.source.accountId === accountId) r.park('reconnectNeeded');
    this.opts.log(`account ${accountId} needs to be reconnected`);
  }

  setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    // The network is back: every waiting stream catches up from its cursor now.
    if (online) this.pokeAll();
  }

  private addStream(source: StreamSource): void {
    const runner = new StreamRunner(source, {
      ...this.opts.delivery,
      onOutcome: (r, outcome) => {
        if (outcome.ok) {
          this.setOnline(true);
        } else {
          const { classified } = outcome;
          if (classified.error.kind === 'offline') this.setOnline(false);
          if (classified.action === 'reconnect') this.needsReconnect(r.source.accountId, r.status.lastError);
          this.opts.log(`stream ${r.source.id}: ${r.status.lastError}`);
        }
        this.opts.changed();
      },
      onSpend: (r, usd, at) => this.opts.spending.record(r.source.accountId, usd, at),
      now: this.opts.now,
      intervalMs: this.opts.intervalMs,
    });
    this.runners.set(source.id, runner);
  }
}
