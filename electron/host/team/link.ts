import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { TeamErrorKind, TeamRole } from '../../../shared/team.js';
import { migrate } from './migrate.js';
import { parseTeamUrl, redactUrl, TeamDbError, teamError } from './pgErrors.js';
import type { TeamConn, TeamMe, TeamNotice } from './types.js';

/** How the link waits between attempts, and how often it checks the server is still there. */
export interface LinkTiming {
  /** First wait after losing the database; doubles up to `reconnectMaxMs`. */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** The listening connection asks the server for a sign of life this often. */
  pingMs: number;
  /** A connect or a ping without an answer by then counts as the server being gone. */
  answerMs: number;
}

export const LINK_TIMING: LinkTiming = { reconnectMinMs: 1000, reconnectMaxMs: 10_000, pingMs: 5000, answerMs: 5000 };

export interface TeamLinkOptions {
  /** postgres://login:password@host/db; never logged, never shown (see `redacted`). */
  url: string;
  consoleId: string;
  log(line: string): void;
  timing?: Partial<LinkTiming>;
  /** Pool size for queries (the listening and the lock-holding connections come on top). */
  poolMax?: number;
}

export type LinkState = 'connecting' | 'online' | 'offline' | 'error';

/** Kinds where only a changed setting helps; the link still tries again now and then (a password changed on the server). */
const SETTING_KINDS: ReadonlySet<TeamErrorKind> = new Set(['badUrl', 'auth', 'rights', 'newerSchema', 'tls', 'other']);

const ROLES: ReadonlySet<string> = new Set(['agent', 'specialist', 'lead', 'admin', 'department']);

/**
 * The console's link to the team database: a small pool for queries, and one
 * connection of its own that LISTENs on the `webcare` channel and pings the
 * server. That connection is the link's pulse: when it breaks (or a ping goes
 * unanswered) the link is offline, every user of it hears so at once, and it
 * reconnects with a growing pause (1 s up to 10 s). On each connect it brings
 * the schema up to date (migrate) and reads who this login is.
 */
export class TeamLink implements TeamConn {
  readonly redacted: string;
  private readonly timing: LinkTiming;
  private readonly events = new EventEmitter();
  private config: pg.ClientConfig | null = null;
  private pool: pg.Pool | null = null;
  /** The pool's connections, so a lost link can cut them all (a query on a dead socket would otherwise hang for minutes). */
  private readonly pooled = new Set<pg.PoolClient>();
  private listener: pg.Client | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private pinging = false;
  private stopped = false;
  private _state: LinkState = 'connecting';
  private _error: { kind: TeamErrorKind; detail?: string } | undefined;
  private _me: TeamMe | undefined;
  private _skewMs = 0;
  /** Resolves once the first attempt ended, either way. */
  private readonly firstAttempt: Promise<void>;
  private settleFirst: () => void = () => undefined;

  constructor(private readonly opts: TeamLinkOptions) {
    this.timing = { ...LINK_TIMING, ...opts.timing };
    this.redacted = redactUrl(opts.url);
    this.events.setMaxListeners(50);
    this.firstAttempt = new Promise((r) => (this.settleFirst = r));
  }

  get consoleId(): string {
    return this.opts.consoleId;
  }

  get online(): boolean {
    return this._state === 'online';
  }

  get state(): LinkState {
    return this._state;
  }

  /** Why the link is offline or in error, as the console explains it. */
  get error(): { kind: TeamErrorKind; detail?: string } | undefined {
    return this._error;
  }

  get me(): TeamMe | undefined {
    return this._me;
  }

  get skewMs(): number {
    return this._skewMs;
  }

  /** Starts connecting; resolves when the first attempt succeeded or failed (the link keeps trying either way). */
  start(): Promise<void> {
    try {
      this.config = parseTeamUrl(this.opts.url);
    } catch (e) {
      this.fail(e, false);
      this.settleFirst();
      return this.firstAttempt;
    }
    void this.attempt();
    return this.firstAttempt;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.close(true);
    this.events.removeAllListeners();
  }

  /**
   * Settings for another connection to the same database as this login (the
   * leader's lock-holding one), with TCP keepalives on both ends: the server
   * then notices a console that vanished without closing (a cable pulled, a
   * laptop lid shut) within seconds, and releases what that session held.
   */
  dedicatedConfig(): pg.ClientConfig {
    if (!this.config) throw new TeamDbError('badUrl');
    const keepalives = '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3';
    return {
      ...this.config,
      options: this.config.options ? `${this.config.options} ${keepalives}` : keepalives,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5000,
      connectionTimeoutMillis: this.timing.answerMs,
      application_name: 'webcare-console (polling)',
    };
  }

  onNotice(fn: (n: TeamNotice) => void): () => void {
    this.events.on('notice', fn);
    return () => this.events.off('notice', fn);
  }

  onState(fn: (online: boolean) => void): () => void {
    this.events.on('state', fn);
    return () => this.events.off('state', fn);
  }

  /** Any change of state, error or identity (for the status the renderer sees). */
  onChange(fn: () => void): () => void {
    this.events.on('change', fn);
    return () => this.events.off('change', fn);
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>> {
    const pool = this.usablePool();
    try {
      return await pool.query<R>(sql, params);
    } catch (e) {
      throw this.mapped(e);
    }
  }

  async tx<T>(fn: (c: pg.ClientBase) => Promise<T>): Promise<T> {
    const pool = this.usablePool();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw this.mapped(e);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const value = await fn(client);
      await client.query('COMMIT');
      return value;
    } catch (e) {
      if (teamError(e).kind === 'unreachable') broken = e as Error;
      else await client.query('ROLLBACK').catch((r: unknown) => (broken = r as Error));
      throw this.mapped(e);
    } finally {
      // A connection that broke mid-transaction is thrown away, never handed to the next caller.
      client.release(broken);
    }
  }

  /** A query while offline fails at once: the caller keeps its work locally and replays it later. */
  private usablePool(): pg.Pool {
    if (this._state !== 'online' || !this.pool) throw new TeamDbError('unreachable', 'the team database is out of reach');
    return this.pool;
  }

  /**
   * A connection failure becomes TeamDbError('unreachable') and makes the link
   * check its pulse now; the server's own refusals (a constraint, a right) keep
   * their SQLSTATE for the caller.
   */
  private mapped(e: unknown): unknown {
    if (e instanceof TeamDbError) return e;
    const t = teamError(e);
    if (t.kind !== 'unreachable') return e;
    void this.ping();
    return new TeamDbError('unreachable', t.detail);
  }

  private async attempt(): Promise<void> {
    if (this.stopped || !this.config) return;
    const client = new pg.Client({
      ...this.config,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5000,
      connectionTimeoutMillis: this.timing.answerMs,
      application_name: 'webcare-console',
    });
    // Errors of an idle connection arrive as events; without a listener they would end the process.
    client.on('error', (e) => this.lost(e));
    client.on('end', () => this.lost(new TeamDbError('unreachable', 'Connection terminated')));
    this.listener = client;
    try {
      await client.connect();
      await migrate(client);
      const me = await client.query<{ login: string; display_name: string; role: string; departments: string[] }>(
        'SELECT login, display_name, role, departments FROM webcare.members WHERE login = session_user',
      );
      const row = me.rows[0];
      if (!row || !ROLES.has(row.role)) throw new TeamDbError('rights', 'this login is not a member of the team: an admin adds it first');
      const skew = await measureSkew(client);
      await client.query('LISTEN webcare');
      client.on('notification', (n) => this.notice(n.payload));
      if (this.stopped || this.listener !== client) {
        await client.end().catch(() => undefined);
        return;
      }
      this._me = { login: row.login, name: row.display_name, role: row.role as TeamRole, departments: row.departments ?? [] };
      this._skewMs = skew;
      const pool = new pg.Pool({
        ...this.config,
        max: this.opts.poolMax ?? 4,
        keepAlive: true,
        keepAliveInitialDelayMillis: 5000,
        connectionTimeoutMillis: this.timing.answerMs,
        idleTimeoutMillis: 30_000,
        application_name: 'webcare-console',
      });
      pool.on('error', () => void this.ping());
      pool.on('connect', (c) => {
        this.pooled.add(c);
        c.on('end', () => this.pooled.delete(c));
      });
      this.pool = pool;
      this.attempts = 0;
      this._error = undefined;
      this.setState('online');
      this.pingTimer = setInterval(() => void this.ping(), this.timing.pingMs);
      this.opts.log(`team database: connected to ${this.redacted} as ${row.login} (${row.role})`);
    } catch (e) {
      if (this.listener === client) this.listener = null;
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      this.fail(e, true);
    } finally {
      this.settleFirst();
    }
  }

  /** The listening connection answers, or the link is offline. */
  private async ping(): Promise<void> {
    const client = this.listener;
    // One ping at a time (the timer and a failed query may both ask).
    if (!client || this._state !== 'online' || this.pinging) return;
    this.pinging = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new TeamDbError('unreachable', 'the team database did not answer')), this.timing.answerMs))),
      ]);
    } catch (e) {
      if (teamError(e).kind === 'unreachable' && this.listener === client) this.lost(e);
    } finally {
      clearTimeout(timer);
      this.pinging = false;
    }
  }

  private notice(payload: string | undefined): void {
    if (!payload) return;
    let n: unknown;
    try {
      n = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof n !== 'object' || n === null || typeof (n as TeamNotice).t !== 'string') return;
    this.events.emit('notice', n as TeamNotice);
  }

  /** The pulse stopped: offline now, everyone told, and a reconnect scheduled. */
  private lost(e: unknown): void {
    if (this.stopped || this._state !== 'online') return;
    const { detail } = teamError(e);
    this.opts.log(`team database: lost (${detail ?? 'connection closed'}); working locally and reconnecting`);
    this._error = { kind: 'unreachable', ...(detail ? { detail } : {}) };
    void this.close(false);
    this.setState('offline');
    this.schedule();
  }

  private fail(e: unknown, retry: boolean): void {
    const { kind, detail } = teamError(e);
    this._error = { kind, ...(detail ? { detail } : {}) };
    const state: LinkState = SETTING_KINDS.has(kind) ? 'error' : 'offline';
    if (this._state !== state || this.attempts === 0) this.opts.log(`team database: ${kind}${detail ? ` (${detail})` : ''}`);
    this.setState(state, true);
    if (retry && kind !== 'badUrl') this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.retryTimer) return;
    const { reconnectMinMs: min, reconnectMaxMs: max } = this.timing;
    const wait = Math.min(max, min * 2 ** Math.min(this.attempts, 10));
    this.attempts++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.attempt();
    }, wait);
  }

  /** Ends both the pool and the listening connection; `clean` waits for them to say goodbye. */
  private async close(clean: boolean): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    const { pool, listener } = this;
    this.pool = null;
    this.listener = null;
    if (listener) {
      listener.removeAllListeners('end');
      listener.removeAllListeners('notification');
      listener.on('error', () => undefined);
    }
    const pooled = [...this.pooled];
    this.pooled.clear();
    if (clean) {
      await Promise.all([pool?.end().catch(() => undefined), listener?.end().catch(() => undefined)]);
    } else {
      // The server is gone or silent: drop the sockets rather than wait for a goodbye that never comes.
      listener?.connection.stream.destroy();
      for (const c of pooled) c.connection.stream.destroy();
      void pool?.end().catch(() => undefined);
    }
  }

  private setState(state: LinkState, always = false): void {
    const was = this._state;
    this._state = state;
    if (was !== state) {
      if (state === 'online') this.events.emit('state', true);
      else if (was === 'online') this.events.emit('state', false);
    }
    if (was !== state || always) this.events.emit('change');
  }
}

/**
 * The database's clock minus ours, as NTP reckons it: of a few round trips the
 * quickest counts (least distorted by a busy moment), and a difference smaller
 * than its own uncertainty (half that round trip) is taken as none, so a server
 * on the same clock reads as exactly 0 however loaded the machine is.
 */
async function measureSkew(client: pg.Client): Promise<number> {
  let best: { rtt: number; skew: number } | null = null;
  for (let i = 0; i < 3; i++) {
    const before = Date.now();
    const r = await client.query<{ t: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS t');
    const after = Date.now();
    const t = r.rows[0]?.t;
    if (typeof t !== 'number') continue;
    const sample = { rtt: after - before, skew: t - (before + after) / 2 };
    if (!best || sample.rtt < best.rtt) best = sample;
  }
  if (!best || Math.abs(best.skew) <= best.rtt / 2 + 1) return 0;
  return Math.round(best.skew);
}
