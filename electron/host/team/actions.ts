import { err, ok, type AppError, type Result } from '../../../shared/contract.js';
import { CLAIM_LEASE_MS, type AuditRow, type Claim, type LostRace, type MarkAction, type Presence, type TeamMember, type TeamRole } from '../../../shared/team.js';
import { teamError } from './pgErrors.js';
import type { TeamConn } from './types.js';

/** A team database failure as the error a command returns. */
export function teamErr(e: unknown): AppError {
  const { kind, detail } = teamError(e);
  return detail === undefined ? { kind: 'team', team: kind } : { kind: 'team', team: kind, detail };
}

/** Colleagues' display names by login, as replies and lost races show them. */
export class MemberNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly conn: TeamConn) {}

  note(login: string, name: string): void {
    this.names.set(login, name);
  }

  known(login: string): string | undefined {
    return this.names.get(login);
  }

  /** The name of a login (the login itself when it is no member, or the database cannot say). */
  async of(login: string): Promise<string> {
    const known = this.names.get(login);
    if (known !== undefined) return known;
    try {
      const r = await this.conn.query<{ display_name: string }>('SELECT display_name FROM webcare.members WHERE login = $1', [login]);
      const name = r.rows[0]?.display_name;
      if (name === undefined) return login;
      this.names.set(login, name);
      return name;
    } catch {
      return login;
    }
  }
}

/** Runs `fn` once at a time; calls while it runs fold into one more run after it. */
class Coalesced {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly fn: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.fn();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}

interface MemberRow {
  login: string;
  name: string;
  role: TeamRole;
  departments: string[];
  /** Newest heartbeat of any of their consoles, by state (epoch ms, the database's clock). */
  seen?: number;
  onlineSeen?: number;
  awaySeen?: number;
}

/** A member's presence from their consoles' newest heartbeats: a console silent for `timeoutMs` is gone. */
export function presenceOf(m: Pick<MemberRow, 'onlineSeen' | 'awaySeen'>, dbNow: number, timeoutMs: number): Presence {
  if (m.onlineSeen !== undefined && m.onlineSeen > dbNow - timeoutMs) return 'online';
  if (m.awaySeen !== undefined && m.awaySeen > dbNow - timeoutMs) return 'away';
  return 'offline';
}

/** The mark as it stands after a race was lost: what the winner's mark says about what this action wanted to change. */
export function lostWhat(patch: MarkAction['patch'], winner: { status: string; tag: string | null; assignee: string | null; hidden: boolean; sentiment?: string | null }): string {
  let what: string;
  if (patch.status !== undefined) what = winner.status;
  else if (patch.assignee !== undefined) what = winner.assignee ?? 'unassigned';
  else if (patch.tag !== undefined) what = winner.tag ?? 'untagged';
  else if (patch.hidden !== undefined) what = winner.hidden ? 'hidden' : 'shown';
  else if (patch.sentiment !== undefined) what = winner.sentiment ?? 'detected';
  else what = winner.status;
  return what.slice(0, 60);
}

/**
 * An audit search as SQL: every word must appear (case-insensitively) in the
 * login, action, subject or detail. Words are matched literally (% and _ escaped).
 */
export function auditQuery(q: string | undefined, limit: number): { sql: string; params: unknown[] } {
  const words = (q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8);
  const params: unknown[] = [];
  const where = words.map((w) => {
    params.push(`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const p = `$${params.length}`;
    return `(login ILIKE ${p} OR action ILIKE ${p} OR coalesce(subject, '') ILIKE ${p} OR coalesce(detail, '') ILIKE ${p})`;
  });
  params.push(limit);
  const sql = `SELECT id::text AS id, round(extract(epoch FROM at) * 1000)::float8 AS at, login, action, subject, detail
    FROM webcare.audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY webcare.audit.id DESC LIMIT $${params.length}`;
  return { sql, params };
}

const RETRYABLE = new Set(['40P01', '40001']);
const LOST_KEEP = 200;

export interface TeamActionsOptions {
  conn: TeamConn;
  /** Accounts this console polls now, told to colleagues with every heartbeat. */
  leading?: () => string[];
  names?: MemberNames;
  /** Heartbeat (and members refresh) interval; default 10 s. */
  heartbeatMs?: number;
  /** A console without a heartbeat for this long is offline; default 30 s. */
  presenceTimeoutMs?: number;
  /** Claim lease; default CLAIM_LEASE_MS. */
  leaseMs?: number;
  log?: (line: string) => void;
}

/**
 * What agents do together, through the team database: claims on
 * conversations, shared marks (which never silently overwrite a colleague's),
 * presence, and the audit trail. Keeps what Status.team shows (claims,
 * members, lost races) current from the database's notices and says so
 * through `onChange`.
 */
export class TeamActions {
  private readonly conn: TeamConn;
  private readonly names: MemberNames;
  private readonly heartbeatMs: number;
  private readonly presenceTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly claimsByKey = new Map<string, Claim>();
  private memberRows: MemberRow[] = [];
  private lost: LostRace[] = [];
  private presence: 'online' | 'away' = 'online';
  private readonly listeners = new Set<() => void>();
  private readonly offs: Array<() => void> = [];
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private membersTimer: NodeJS.Timeout | null = null;
  private membersAt = 0;
  private started = false;
  private readonly claimsRefresh: Coalesced;
  private readonly membersRefresh: Coalesced;

  constructor(private readonly opts: TeamActionsOptions) {
    this.conn = opts.conn;
    this.names = opts.names ?? new MemberNames(opts.conn);
    this.heartbeatMs = opts.heartbeatMs ?? 10_000;
    this.presenceTimeoutMs = opts.presenceTimeoutMs ?? 30_000;
    this.leaseMs = opts.leaseMs ?? CLAIM_LEASE_MS;
    this.claimsRefresh = new Coalesced(() => this.loadClaims());
    this.membersRefresh = new Coalesced(() => this.loadMembers());
  }

  /** Listens for colleagues' changes and starts the heartbeat. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.offs.push(
      this.conn.onNotice((n) => {
        // A failed read is retried by the next notice or the reconnect's refresh.
        if (n.t === 'claim') this.claimsRefresh.run().catch((e: unknown) => this.log(`team claims: ${(e as Error).message}`));
        else if (n.t === 'presence') this.membersSoon();
      }),
      this.conn.onState((online) => {
        // Back online: what changed meanwhile is read again, and colleagues see us at once.
        if (online) void this.refresh();
      }),
    );
    this.heartbeatTimer = setInterval(() => void this.tick(), this.heartbeatMs);
    this.heartbeatTimer.unref();
    if (this.conn.online) void this.refresh();
  }

  /** Stops; colleagues see this console gone at once rather than after the timeout. */
  async stop(): Promise<void> {
    this.started = false;
    for (const off of this.offs.splice(0)) off();
    for (const t of [this.heartbeatTimer, this.expiryTimer, this.membersTimer]) if (t) clearTimeout(t);
    this.heartbeatTimer = this.expiryTimer = this.membersTimer = null;
    if (this.conn.online) await this.conn.query('DELETE FROM webcare.presence WHERE console_id = $1', [this.conn.consoleId]).catch(() => undefined);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Heartbeat, claims and members, all at once (on start and after a reconnect). */
  async refresh(): Promise<void> {
    await Promise.all([this.heartbeat(), this.claimsRefresh.run(), this.membersRefresh.run()]).catch((e: unknown) => this.log(`team refresh failed: ${(e as Error).message}`));
  }

  // ── claims ────────────────────────────────────────────────────────────────

  /** Takes (or renews) the claim on a conversation, or with `release` gives it up. */
  async claim(conversationKey: string, release = false): Promise<Result<{ won: boolean; claim: Claim | null }>> {
    const me = this.conn.me?.login;
    try {
      if (release) {
        await this.conn.query('SELECT webcare.release($1)', [conversationKey]);
        const held = this.claimsByKey.get(conversationKey);
        if (held?.mine) {
          this.claimsByKey.delete(conversationKey);
          this.changed();
        }
        return ok({ won: true, claim: null });
      }
      const r = await this.conn.query<{ login: string; expires: number; won: boolean; display_name: string | null }>(
        `SELECT c.login, round(extract(epoch FROM c.expires_at) * 1000)::float8 AS expires, c.won, m.display_name
           FROM webcare.claim($1, $2) c LEFT JOIN webcare.members m ON m.login = c.login`,
        [conversationKey, this.leaseMs],
      );
      const row = r.rows[0];
      if (!row) return ok({ won: false, claim: null });
      const claim: Claim = { conversationKey, login: row.login, name: row.display_name ?? row.login, expiresAt: row.expires, mine: row.login === me };
      this.claimsByKey.set(conversationKey, claim);
      this.scheduleExpiry();
      this.changed();
      return ok({ won: row.won, claim });
    } catch (e) {
      return err(teamErr(e));
    }
  }

  /** Unexpired claims, as every console shows them. */
  claims(): Claim[] {
    const dbNow = Date.now() + this.conn.skewMs;
    return [...this.claimsByKey.values()].filter((c) => c.expiresAt > dbNow);
  }

  private async loadClaims(): Promise<void> {
    if (!this.conn.online) return;
    const me = this.conn.me?.login;
    const r = await this.conn.query<{ key: string; login: string; expires: number; display_name: string | null }>(
      `SELECT c.conversation_key AS key, c.login, round(extract(epoch FROM c.expires_at) * 1000)::float8 AS expires, m.display_name
         FROM webcare.claims c LEFT JOIN webcare.members m ON m.login = c.login
        WHERE c.expires_at > clock_timestamp()`,
    );
    this.claimsByKey.clear();
    for (const row of r.rows) {
      this.claimsByKey.set(row.key, { conversationKey: row.key, login: row.login, name: row.display_name ?? row.login, expiresAt: row.expires, mine: row.login === me });
    }
    this.scheduleExpiry();
    this.changed();
  }

  /** An expired claim leaves the list when it expires; the database says nothing then. */
  private scheduleExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (!this.started) return;
    const next = Math.min(...[...this.claimsByKey.values()].map((c) => c.expiresAt));
    if (!Number.isFinite(next)) return;
    const wait = Math.max(0, next - (Date.now() + this.conn.skewMs)) + 5;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      const dbNow = Date.now() + this.conn.skewMs;
      let gone = false;
      for (const [k, c] of this.claimsByKey) {
        if (c.expiresAt <= dbNow) {
          this.claimsByKey.delete(k);
          gone = true;
        }
      }
      this.scheduleExpiry();
      if (gone) this.changed();
    }, Math.min(wait, 2 ** 31 - 1));
    this.expiryTimer.unref();
  }

  // ── marks ─────────────────────────────────────────────────────────────────

  /**
   * Applies a mark action to each of its messages in one transaction. A mark a
   * colleague changed since the agent saw it (its `at` differs from the
   * action's base) is left as it is: that key is a lost race, returned and kept
   * for Status.team.lostRaces. Replaying an action (same id) is harmless: what
   * it already applied counts as applied.
   */
  async mark(action: MarkAction): Promise<Result<{ applied: string[]; lost: LostRace[] }>> {
    // One lock order for every console: two actions on the same messages never deadlock.
    const keys = [...new Set(action.keys)].sort();
    const bases = keys.map((k) => action.base?.[k] ?? null);
    const p = action.patch;
    const params = [
      action.id,
      keys,
      bases,
      p.status ?? null,
      p.tag ?? null,
      p.tag === null,
      p.assignee ?? null,
      p.assignee === null,
      p.hidden ?? null,
      p.sentiment ?? null,
      p.sentiment === null,
      Math.round(action.at),
    ];
    type Row = { key: string; applied: boolean; status: string; tag: string | null; assignee: string | null; hidden: boolean; sentiment: string | null; at: number; by_login: string; display_name: string | null };
    let rows: Row[];
    try {
      rows = await this.retrying(() =>
        this.conn.tx(async (c) => {
          const r = await c.query<Row>(
            `WITH done AS MATERIALIZED (
               SELECT u.key, u.ord, r.applied, r.status, r.tag, r.assignee, r.hidden, r.sentiment, r.at::float8 AS at, r.by_login
                 FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS u(key, base, ord)
                 CROSS JOIN LATERAL webcare.apply_mark_v2($1::uuid, u.key, $4, $5, $6, $7, $8, $9, $10, $11, u.base, $12) AS r
             )
             SELECT done.*, m.display_name FROM done LEFT JOIN webcare.members m ON m.login = done.by_login ORDER BY done.ord`,
            params,
          );
          return r.rows;
        }),
      );
    } catch (e) {
      return err(teamErr(e));
    }
    const applied: string[] = [];
    const lost: LostRace[] = [];
    for (const row of rows) {
      if (row.applied) {
        applied.push(row.key);
        continue;
      }
      if (row.display_name) this.names.note(row.by_login, row.display_name);
      lost.push({ id: action.id, kind: 'mark', key: row.key, by: (row.display_name ?? row.by_login).slice(0, 100), what: lostWhat(p, row), at: row.at });
    }
    if (lost.length) this.addLostRaces(lost);
    return ok({ applied, lost });
  }

  /** Lost races to show (newest last). */
  lostRaces(): LostRace[] {
    return [...this.lost];
  }

  /** Keeps races lost elsewhere (a reply held back on replay) with the marks' ones. */
  addLostRaces(races: readonly LostRace[]): void {
    const key = (r: LostRace) => `${r.id}\n${r.key}`;
    const fresh = new Set(races.map(key));
    this.lost = [...this.lost.filter((r) => !fresh.has(key(r))), ...races].slice(-LOST_KEEP);
    this.changed();
  }

  /** The agent read these (by action id). */
  dismiss(ids: readonly string[]): void {
    const gone = new Set(ids);
    const before = this.lost.length;
    this.lost = this.lost.filter((r) => !gone.has(r.id));
    if (this.lost.length !== before) this.changed();
  }

  // ── presence and members ──────────────────────────────────────────────────

  /** This agent is at the console or away; told to colleagues now (and with every heartbeat). */
  async setPresence(state: 'online' | 'away'): Promise<Result<Record<string, never>>> {
    this.presence = state;
    try {
      await this.heartbeat();
    } catch (e) {
      const error = teamErr(e);
      // Out of reach: the next heartbeat after the reconnect carries it.
      if (error.kind === 'team' && error.team === 'unreachable') return ok({});
      return err(error);
    }
    this.membersSoon();
    return ok({});
  }

  /** Colleagues, each with the presence of their liveliest console. */
  members(): TeamMember[] {
    const dbNow = Date.now() + this.conn.skewMs;
    return this.memberRows.map((m) => ({
      login: m.login,
      name: m.name,
      role: m.role,
      departments: m.departments,
      presence: presenceOf(m, dbNow, this.presenceTimeoutMs),
      ...(m.seen === undefined ? {} : { seenAt: m.seen }),
    }));
  }

  private async heartbeat(): Promise<void> {
    if (!this.conn.online) return;
    const leading = this.opts.leading?.() ?? [];
    await this.conn.query(
      `INSERT INTO webcare.presence (console_id, state, seen_at, "leading") VALUES ($1, $2, clock_timestamp(), $3)
       ON CONFLICT (console_id) DO UPDATE SET state = EXCLUDED.state, seen_at = EXCLUDED.seen_at, "leading" = EXCLUDED."leading"`,
      [this.conn.consoleId, this.presence, leading],
    );
  }

  private async tick(): Promise<void> {
    if (!this.conn.online) return;
    await this.heartbeat().catch((e: unknown) => this.log(`team heartbeat failed: ${(e as Error).message}`));
    // Presence goes stale without any notice (a console that died says nothing).
    await this.membersRefresh.run().catch(() => undefined);
  }

  /**
   * Presence notices come with every heartbeat of every console: members are
   * read again at most once a second however many arrive.
   */
  private membersSoon(): void {
    if (this.membersTimer) return;
    const wait = Math.max(0, this.membersAt + 1000 - Date.now());
    this.membersTimer = setTimeout(() => {
      this.membersTimer = null;
      void this.membersRefresh.run().catch(() => undefined);
    }, wait);
    this.membersTimer.unref();
  }

  private async loadMembers(): Promise<void> {
    if (!this.conn.online) return;
    this.membersAt = Date.now();
    const r = await this.conn.query<{
      login: string;
      display_name: string;
      role: TeamRole;
      departments: string[];
      seen: number | null;
      online_seen: number | null;
      away_seen: number | null;
    }>(
      `SELECT m.login, m.display_name, m.role, m.departments,
              (extract(epoch FROM max(p.seen_at)) * 1000)::float8 AS seen,
              (extract(epoch FROM max(p.seen_at) FILTER (WHERE p.state = 'online')) * 1000)::float8 AS online_seen,
              (extract(epoch FROM max(p.seen_at) FILTER (WHERE p.state = 'away')) * 1000)::float8 AS away_seen
         FROM webcare.members m LEFT JOIN webcare.presence p ON p.login = m.login
        GROUP BY m.login ORDER BY m.display_name, m.login`,
    );
    this.memberRows = r.rows.map((row) => {
      this.names.note(row.login, row.display_name);
      return {
        login: row.login,
        name: row.display_name,
        role: row.role,
        departments: row.departments,
        seen: row.seen === null ? undefined : Math.round(row.seen),
        onlineSeen: row.online_seen ?? undefined,
        awaySeen: row.away_seen ?? undefined,
      };
    });
    this.changed();
  }

  // ── audit ─────────────────────────────────────────────────────────────────

  /** The audit trail, newest first; only leads and admins may read it (the database refuses others). */
  async auditSearch(q?: string, limit = 200): Promise<Result<{ rows: AuditRow[] }>> {
    const { sql, params } = auditQuery(q, Math.max(1, Math.min(1000, Math.floor(limit))));
    try {
      const r = await this.conn.query<{ id: string; at: number; login: string; action: string; subject: string | null; detail: string | null }>(sql, params);
      return ok({
        rows: r.rows.map((row) => ({
          id: row.id,
          at: row.at,
          login: row.login,
          action: row.action,
          ...(row.subject === null ? {} : { subject: row.subject }),
          ...(row.detail === null ? {} : { detail: row.detail }),
        })),
      });
    } catch (e) {
      return err(teamErr(e));
    }
  }

  // ──────────────────────────────────────────────────────────────────────────

  /** A deadlock or serialization failure is the database asking to try again. */
  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (attempt >= 4 || typeof code !== 'string' || !RETRYABLE.has(code)) throw e;
        await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
      }
    }
  }

  private changed(): void {
    for (const fn of this.listeners) {
      try {
        fn();
      } catch (e) {
        this.log(`team change listener failed: ${(e as Error).message}`);
      }
    }
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }
}
