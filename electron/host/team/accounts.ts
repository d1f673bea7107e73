import path from 'node:path';
import type { AccountRecord } from '../connectors/types.js';
import { ReconnectNeeded, type RefreshGuard, type XTokens } from '../connectors/x/api.js';
import type { XSecret } from '../connectors/x/index.js';
import { readJson, writeJson } from '../jsonFile.js';
import { TeamCipher, tokenAad, WrongTeamKey } from './crypto.js';
import { TeamDbError } from './pgErrors.js';
import type { TeamConn } from './types.js';

/**
 * Where this console stands with the team key:
 *   none     this login never holds tokens (a department login), no key needed
 *   needed   no key entered here, or the team has none yet and only an admin may set it
 *   wrong    the key entered does not open the team's check value
 *   ok       tokens can be read and written
 */
export type KeyState = 'none' | 'needed' | 'wrong' | 'ok';

export interface TeamAccountsOptions {
  conn: TeamConn;
  dataDir: string;
  now: () => number;
  log(line: string): void;
  /** The API bases this console was started with (its sandbox, or WEBCARE_X_API_URL / WEBCARE_GRAPH_API_URL): see `load`. */
  apiBase?: { x?: string; graph?: string };
}

interface Held {
  secret: unknown;
  version: number;
}

/** A sandbox account's API base as this console reaches it. */
function ownApiUrl(record: AccountRecord, base: TeamAccountsOptions['apiBase']): string | undefined {
  if (!record.sandbox) return record.apiUrl;
  return (record.platform === 'x' ? base?.x : base?.graph) ?? record.apiUrl;
}

/**
 * The team's accounts: records in webcare.accounts (no secrets, readable by
 * every member), tokens in webcare.tokens sealed with the team key (readable
 * by staff only). Tokens are held in memory only, never in this console's
 * vault: without the database this console does not poll anyway. The records
 * are also kept in team-accounts.json so the accounts still show while the
 * database is out of reach.
 */
export class TeamAccounts {
  private cipher: TeamCipher | null = null;
  private cipherFor: { key: string; salt: string } | null = null;
  private _keyState: KeyState = 'needed';
  private records = new Map<string, AccountRecord>();
  private readonly secrets = new Map<string, Held>();

  constructor(private readonly opts: TeamAccountsOptions) {}

  private get cacheFile(): string {
    return path.join(this.opts.dataDir, 'team-accounts.json');
  }

  get keyState(): KeyState {
    return this._keyState;
  }

  /** This login may hold tokens and the key opens them. */
  get canHoldTokens(): boolean {
    return this._keyState === 'ok';
  }

  /**
   * Checks `key` against the team's check value. With no team key yet, an
   * admin's key becomes the team key (the first one to commit wins; a second
   * admin racing with another key is told it is wrong).
   */
  async unlock(key: string | undefined): Promise<KeyState> {
    const { conn } = this.opts;
    const role = conn.me?.role;
    if (!role || role === 'department') return this.setKeyState('none');
    let row = (await conn.query<{ salt: string; check_value: string }>('SELECT salt, check_value FROM webcare.team_key WHERE id = 1')).rows[0];
    if (!key) return this.setKeyState('needed');
    if (!row) {
      if (role !== 'admin') return this.setKeyState('needed');
      const made = await TeamCipher.create(key);
      await conn.query('INSERT INTO webcare.team_key (id, salt, check_value) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING', [made.salt, made.checkValue]);
      row = (await conn.query<{ salt: string; check_value: string }>('SELECT salt, check_value FROM webcare.team_key WHERE id = 1')).rows[0];
      if (!row) throw new TeamDbError('other', 'the team key could not be stored');
      if (row.salt === made.salt) this.opts.log('team: the team key was set');
    }
    if (!this.cipher || this.cipherFor?.key !== key || this.cipherFor.salt !== row.salt) {
      this.cipher = await TeamCipher.derive(key, row.salt);
      this.cipherFor = { key, salt: row.salt };
    }
    if (!this.cipher.verifies(row.check_value)) {
      this.cipher = null;
      this.cipherFor = null;
      return this.setKeyState('wrong');
    }
    return this.setKeyState('ok');
  }

  private setKeyState(s: KeyState): KeyState {
    this._keyState = s;
    if (s !== 'ok') this.secrets.clear();
    return s;
  }

  /** The records as last seen (while the database is out of reach). */
  async cached(): Promise<AccountRecord[]> {
    const list = await readJson<AccountRecord[]>(this.cacheFile, []);
    this.records = new Map(list.map((r) => [r.id, { ...r, apiUrl: ownApiUrl(r, this.opts.apiBase) }]));
    return [...this.records.values()];
  }

  /**
   * The team's accounts, and their tokens where this login may read them. A
   * sandbox account is reached through this console's own sandbox URL: the URL
   * the adding console saw (127.0.0.1 of its machine) may mean nothing here.
   */
  async load(): Promise<AccountRecord[]> {
    const { conn } = this.opts;
    const r = await conn.query<{ id: string; record: AccountRecord; department: string | null }>('SELECT id, record, department FROM webcare.accounts ORDER BY added_at, id');
    const records = r.rows.map(({ id, record, department }) => {
      const { department: _stale, ...rest } = record;
      return department ? { ...rest, id, department } : { ...rest, id };
    });
    this.records = new Map(records.map((rec) => [rec.id, { ...rec, apiUrl: ownApiUrl(rec, this.opts.apiBase) }]));
    await writeJson(this.cacheFile, records).catch(() => undefined);
    this.secrets.clear();
    if (this.canHoldTokens) {
      const t = await conn.query<{ account_id: string; sealed: string; version: string }>('SELECT account_id, sealed, version FROM webcare.tokens');
      for (const row of t.rows) this.keep(row.account_id, row.sealed, Number(row.version));
    }
    return [...this.records.values()];
  }

  record(id: string): AccountRecord | undefined {
    return this.records.get(id);
  }

  all(): AccountRecord[] {
    return [...this.records.values()];
  }

  secret(id: string): unknown {
    return this.secrets.get(id)?.secret;
  }

  version(id: string): number | undefined {
    return this.secrets.get(id)?.version;
  }

  /** Reads an account's token again (before polling it: a colleague's console may have refreshed it). */
  async reloadSecret(id: string): Promise<unknown> {
    if (!this.canHoldTokens) return undefined;
    const r = await this.opts.conn.query<{ sealed: string; version: string }>('SELECT sealed, version FROM webcare.tokens WHERE account_id = $1', [id]);
    const row = r.rows[0];
    if (!row) this.secrets.delete(id);
    else this.keep(id, row.sealed, Number(row.version));
    return this.secret(id);
  }

  private keep(id: string, sealed: string, version: number): void {
    if (!this.cipher) return;
    try {
      this.secrets.set(id, { secret: JSON.parse(this.cipher.open(sealed, tokenAad(id))), version });
    } catch (e) {
      // One unreadable token (sealed under another key, altered) leaves that account to its reconnect.
      this.secrets.delete(id);
      this.opts.log(`team: the token of ${id} cannot be opened${e instanceof WrongTeamKey ? ' with this team key' : ''}`);
    }
  }

  /** Connects (or reconnects) an account for the whole team: its record and its sealed token, in one transaction. */
  async put(record: AccountRecord, secret: unknown): Promise<void> {
    const cipher = this.cipher;
    if (!cipher || this._keyState !== 'ok') throw new TeamDbError('key', 'the team key is needed to add an account');
    const sealed = cipher.seal(JSON.stringify(secret), tokenAad(record.id));
    const version = await this.opts.conn.tx(async (c) => {
      await c.query(
        `INSERT INTO webcare.accounts (id, platform, record) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record`,
        // The department is the column's (a lead's choice), not the connecting console's.
        [record.id, record.platform, JSON.stringify({ ...record, department: undefined })],
      );
      const t = await c.query<{ version: string }>(
        `INSERT INTO webcare.tokens (account_id, sealed) VALUES ($1, $2)
         ON CONFLICT (account_id) DO UPDATE SET sealed = EXCLUDED.sealed, version = webcare.tokens.version + 1, updated_by = session_user, updated_at = now()
         RETURNING version`,
        [record.id, sealed],
      );
      return Number(t.rows[0]?.version ?? 1);
    });
    this.records.set(record.id, { ...record, apiUrl: ownApiUrl(record, this.opts.apiBase) });
    this.secrets.set(record.id, { secret, version });
  }

  async remove(id: string): Promise<void> {
    await this.opts.conn.query('DELETE FROM webcare.accounts WHERE id = $1', [id]);
    this.records.delete(id);
    this.secrets.delete(id);
  }

  /** The records in the local cache (after a change here; the database has them already). */
  async saveCache(): Promise<void> {
    await writeJson(this.cacheFile, [...this.records.values()]);
  }

  /**
   * An X token refresh for the whole team. X refresh tokens are single use, and
   * any console holding the account may need a fresh access token (the poller
   * most often; a colleague moderating now and then). In ONE transaction the
   * stored pair is locked (FOR UPDATE): when it is no longer the pair this
   * session holds, a colleague's console refreshed it already, and the stored
   * pair is used without asking X; otherwise X is asked with the stored refresh
   * token and the new pair is written before the lock is let go. A console
   * waiting on the lock meanwhile then finds the new pair. Should the commit
   * fail after X answered, the rotated pair is lost and the account must be
   * reconnected: the one window this cannot close.
   */
  refreshGuard(record: AccountRecord): RefreshGuard | undefined {
    if (record.platform !== 'x') return undefined;
    const id = record.id;
    return async (held: XTokens, exchange) => {
      const cipher = this.cipher;
      if (!cipher) throw new TeamDbError('key', 'the team key is needed to refresh a token');
      let version = 0;
      let secret: XSecret | undefined;
      const tokens = await this.opts.conn.tx(async (c) => {
        const r = await c.query<{ sealed: string; version: string }>('SELECT sealed, version FROM webcare.tokens WHERE account_id = $1 FOR UPDATE', [id]);
        const row = r.rows[0];
        if (!row) throw new ReconnectNeeded('the account was removed from the team');
        const stored = JSON.parse(cipher.open(row.sealed, tokenAad(id))) as XSecret;
        version = Number(row.version);
        const s = stored.tokens;
        if (s.accessToken !== held.accessToken && s.expiresAt - 60_000 > this.opts.now()) {
          secret = stored;
          return s;
        }
        if (!s.refreshToken) throw new ReconnectNeeded('access token expired and no refresh token');
        const next = await exchange(s.refreshToken);
        secret = { ...stored, tokens: next };
        await c.query(`UPDATE webcare.tokens SET sealed = $2, version = version + 1, updated_by = session_user, updated_at = now() WHERE account_id = $1`, [
          id,
          cipher.seal(JSON.stringify(secret), tokenAad(id)),
        ]);
        version++;
        return next;
      });
      if (secret) this.secrets.set(id, { secret, version });
      return tokens;
    };
  }
}
