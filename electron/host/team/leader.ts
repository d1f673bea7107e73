import pg from 'pg';
import type { StreamStatus } from '../../../shared/model.js';
import { TeamDbError, teamError } from './pgErrors.js';
import type { TeamLink } from './link.js';

export interface LeaderTiming {
  /** Followers try the locks of accounts nobody polls this often. */
  tryMs: number;
  /** The lock-holding connection is asked for a sign of life this often... */
  pingMs: number;
  /** ...and counts as gone when it does not answer within this. */
  answerMs: number;
  /** A console whose presence is older than this polls nothing any more (as TeamActions counts it gone). */
  presenceTimeoutMs: number;
}

export const LEADER_TIMING: LeaderTiming = { tryMs: 5000, pingMs: 5000, answerMs: 4000, presenceTimeoutMs: 30_000 };

export interface LeaderOptions {
  link: TeamLink;
  log(line: string): void;
  timing?: Partial<LeaderTiming>;
  /** Accounts this console could poll now: it holds their tokens. */
  eligible(): string[];
  /** The account's lock is ours: start polling it. A failure gives the lock back. */
  gained(accountId: string): Promise<void>;
  /** These accounts are no longer ours: stop polling them now. */
  lost(accountIds: string[]): void;
  /** Who polls what changed (for the status). */
  changed(): void;
}

/** The advisory lock of an account's polling, the same key on every console. */
const LOCK = "hashtextextended('webcare:poll:' || $1::text, 0)";

/**
 * Exactly one console polls each account: the one holding its PostgreSQL
 * advisory lock. The locks are session locks on one connection of their own,
 * so they last exactly as long as that session: a console that quits, crashes
 * or loses the network loses its session and with it every lock (the server
 * notices a silent peer by TCP keepalives within about 11 s), and a follower
 * takes over at its next try, from the cursors in the database.
 *
 * That connection is also the fence: everything the leader writes about what it
 * polled (messages, cursors) goes through it (`write`). Once it is gone nothing
 * more can be written under a lock this console no longer holds, even by a poll
 * that was still under way. The leader pings it, and on any error stops every
 * stream it polls at once: it cannot store what it would read.
 */
export class Leader {
  private readonly timing: LeaderTiming;
  private client: pg.Client | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly led = new Set<string>();
  private tryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private connecting = false;
  private trying = false;
  private stopped = false;
  private offState: (() => void) | null = null;
  /** Per account: the login whose console polls it (from the consoles' presence). */
  private pollerOf: Record<string, string> = {};
  /** Stream statuses published by the consoles that poll accounts this one does not. */
  private remote: StreamStatus[] = [];

  constructor(private readonly opts: LeaderOptions) {
    this.timing = { ...LEADER_TIMING, ...opts.timing };
  }

  start(): void {
    this.offState = this.opts.link.onState((online) => {
      if (online) void this.connect();
      else this.dropAll('the team database is out of reach');
    });
    if (this.opts.link.online) void this.connect();
  }

  leads(accountId: string): boolean {
    return this.led.has(accountId);
  }

  leading(): string[] {
    return [...this.led].sort();
  }

  pollers(): Record<string, string> {
    const me = this.opts.link.me?.login;
    const out = { ...this.pollerOf };
    for (const id of this.led) if (me) out[id] = me;
    return out;
  }

  remoteStreams(): StreamStatus[] {
    return this.remote.filter((s) => !this.led.has(s.accountId));
  }

  /** Try now (an account was added, or its tokens became readable). */
  poke(): void {
    void this.round();
  }

  /** A statement on the lock-holding connection: fails when this console may no longer write as the poller. */
  async write<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    const client = this.client;
    if (!client) throw new TeamDbError('unreachable', 'not polling: the lock connection is gone');
    try {
      return await this.on<R>(client, sql, params);
    } catch (e) {
      if (teamError(e).kind === 'unreachable' && this.client === client) this.dropAll('the lock connection broke');
      throw e;
    }
  }

  /**
   * A transaction on the lock-holding connection (the poller stores a page and
   * routes what is new in it together): nothing else runs on that connection
   * meanwhile, and like `write` it fails once this console may no longer write
   * as the poller. `fn` must use only the client it is given.
   */
  async tx<T>(fn: (c: pg.ClientBase) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client) throw new TeamDbError('unreachable', 'not polling: the lock connection is gone');
    const run = this.queue.then(async () => {
      await client.query('BEGIN');
      try {
        const value = await fn(client);
        await client.query('COMMIT');
        return value;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      return await run;
    } catch (e) {
      if (teamError(e).kind === 'unreachable' && this.client === client) this.dropAll('the lock connection broke');
      throw e;
    }
  }

  /** A line for the console's log (what the poller's own parts have to say). */
  log(line: string): void {
    this.opts.log(line);
  }

  /**
   * One statement at a time on the lock connection (rounds, pings and the
   * streams' writes all share it; node-pg is retiring its own queue).
   */
  private on<R extends pg.QueryResultRow = pg.QueryResultRow>(client: pg.Client, sql: string, params?: unknown[]): Promise<pg.QueryResult<R>> {
    const run = this.queue.then(() => client.query<R>(sql, params));
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Gives one account back (it was removed, or its tokens are gone): its streams stop first. */
  async release(accountId: string): Promise<void> {
    if (!this.led.delete(accountId)) return;
    this.opts.lost([accountId]);
    this.opts.changed();
    if (this.client) await this.on(this.client, `SELECT pg_advisory_unlock(${LOCK})`, [accountId]).catch(() => undefined);
    void this.publish();
  }

  /** Leaves cleanly: the caller stopped the streams; the locks go back at once so a colleague takes over now. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.offState?.();
    this.clearTimers();
    const client = this.client;
    this.client = null;
    const ids = [...this.led];
    this.led.clear();
    if (ids.length) this.opts.lost(ids);
    if (client) {
      await this.on(client, 'SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await client.end().catch(() => undefined);
    }
    await this.opts.link
      .query(`UPDATE webcare.presence SET "leading" = '{}' WHERE console_id = $1`, [this.opts.link.consoleId])
      .catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.client || this.connecting) return;
    this.connecting = true;
    const client = new pg.Client(this.opts.link.dedicatedConfig());
    client.on('error', (e) => {
      if (this.client === client) this.dropAll(`the lock connection broke (${teamError(e).detail ?? 'error'})`);
    });
    client.on('end', () => {
      if (this.client === client) this.dropAll('the lock connection closed');
    });
    try {
      await client.connect();
      if (this.stopped || !this.opts.link.online) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.queue = Promise.resolve();
      this.tryTimer = setInterval(() => void this.round(), this.timing.tryMs);
      this.pingTimer = setInterval(() => void this.ping(), this.timing.pingMs);
      void this.round();
    } catch (e) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      this.opts.log(`team: the lock connection failed (${teamError(e).kind}); trying again with the link`);
      // The link's own reconnects bring us back here; until then nothing is polled.
      if (this.opts.link.online && !this.stopped) setTimeout(() => void this.connect(), this.timing.tryMs).unref();
    } finally {
      this.connecting = false;
    }
  }

  private async ping(): Promise<void> {
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.on(client, 'SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the lock connection did not answer')), this.timing.answerMs))),
      ]);
    } catch (e) {
      if (this.client === client) this.dropAll((e as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every lock is gone with the session: stop polling everything now, then reconnect when the link is back. */
  private dropAll(reason: string): void {
    const client = this.client;
    if (!client && this.led.size === 0) return;
    this.client = null;
    this.clearTimers();
    const ids = [...this.led];
    this.led.clear();
    if (ids.length) {
      this.opts.log(`team: stopped polling ${ids.join(', ')}: ${reason}`);
      this.opts.lost(ids);
      this.opts.changed();
    }
    if (client) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      // No goodbye: the socket may be dead, and ending the session is what frees the locks if it is not.
      client.connection.stream.destroy();
    }
    if (!this.stopped && this.opts.link.online) setTimeout(() => void this.connect(), this.timing.tryMs).unref();
  }

  private clearTimers(): void {
    if (this.tryTimer) clearInterval(this.tryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.tryTimer = this.pingTimer = null;
  }

  /** One round: try the free locks, say what this console polls, learn who polls the rest. */
  private async round(): Promise<void> {
    const client = this.client;
    if (!client || this.trying || this.stopped) return;
    this.trying = true;
    try {
      const wanted = this.opts.eligible().filter((id) => !this.led.has(id));
      if (wanted.length) {
        const r = await this.on<{ id: string; got: boolean }>(
          client,
          `SELECT id, pg_try_advisory_lock(hashtextextended('webcare:poll:' || id, 0)) AS got FROM unnest($1::text[]) AS id`,
          [wanted],
        );
        for (const { id, got } of r.rows) if (got && this.client === client) await this.take(client, id);
      }
      await this.learn();
    } catch (e) {
      if (teamError(e).kind === 'unreachable' && this.client === client) this.dropAll('the lock connection broke');
    } finally {
      this.trying = false;
    }
  }

  private async take(client: pg.Client, id: string): Promise<void> {
    this.led.add(id);
    this.opts.changed();
    try {
      await this.opts.gained(id);
    } catch (e) {
      this.opts.log(`team: could not start polling ${id}: ${(e as Error).message}`);
      if (this.led.delete(id)) {
        this.opts.lost([id]);
        await this.on(client, `SELECT pg_advisory_unlock(${LOCK})`, [id]).catch(() => undefined);
      }
      this.opts.changed();
      return;
    }
    this.opts.log(`team: this console now polls ${id}`);
    // Lost while starting: make sure what just started stops again.
    if (!this.led.has(id)) this.opts.lost([id]);
    else void this.publish();
  }

  /**
   * Tells colleagues at once which accounts this console polls now. The
   * presence heartbeat (TeamActions) repeats it and keeps the row fresh; this
   * only spares them waiting for the next beat after a change.
   */
  private async publish(): Promise<void> {
    await this.opts.link
      .query(
        `INSERT INTO webcare.presence (console_id, state, "leading") VALUES ($1, 'online', $2)
         ON CONFLICT (console_id) DO UPDATE SET "leading" = EXCLUDED."leading", seen_at = clock_timestamp()`,
        [this.opts.link.consoleId, this.leading()],
      )
      .catch(() => undefined);
  }

  /** Who polls each account (the freshest console that says so), and the statuses their streams published. */
  private async learn(): Promise<void> {
    const staleS = this.timing.presenceTimeoutMs / 1000;
    const link = this.opts.link;
    try {
      const r = await link.query<{ login: string; leading: string[] }>(
        `SELECT login, "leading" FROM webcare.presence
         WHERE seen_at > clock_timestamp() - make_interval(secs => $1) AND console_id <> $2 ORDER BY seen_at`,
        [staleS, link.consoleId],
      );
      const pollers: Record<string, string> = {};
      for (const row of r.rows) for (const id of row.leading ?? []) pollers[id] = row.login;
      this.pollerOf = pollers;
    } catch {
      // Presence is a courtesy; polling goes on without it.
    }
    if (link.me?.role === 'department') return;
    try {
      const s = await link.query<{ status: StreamStatus }>('SELECT status FROM webcare.stream_status WHERE NOT (account_id = ANY($1::text[]))', [this.leading()]);
      this.remote = s.rows.map((row) => row.status).filter((st) => st && typeof st.id === 'string');
    } catch {
      this.remote = [];
    }
    this.opts.changed();
  }

  /** The statuses of the streams this console polls, for the health view of the others. */
  async publishStatuses(statuses: StreamStatus[]): Promise<void> {
    const mine = statuses.filter((s) => this.led.has(s.accountId));
    if (!mine.length || !this.opts.link.online) return;
    await this.opts.link
      .query(
        `INSERT INTO webcare.stream_status (stream_id, account_id, status)
         SELECT s->>'id', s->>'accountId', s FROM jsonb_array_elements($1::jsonb) AS s
         ON CONFLICT (stream_id) DO UPDATE SET account_id = EXCLUDED.account_id, status = EXCLUDED.status, updated_at = now()`,
        [JSON.stringify(mine)],
      )
      .catch(() => undefined);
  }
}
