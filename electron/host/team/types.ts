import type pg from 'pg';
import type { TeamErrorKind, TeamRole } from '../../../shared/team.js';

/** A notification on the `webcare` channel: minimal, since it reaches every listener whatever their rights. */
export interface TeamNotice {
  /** msg, mark, claim, outbox, presence, account */
  t: string;
  /** outbox: the account whose poller should send. */
  a?: string;
}

export interface TeamMe {
  login: string;
  name: string;
  role: TeamRole;
  departments: string[];
}

/**
 * The console's link to the team database, as the team parts (sync, leader,
 * outbox, actions) use it. Queries run as this console's login, under its
 * grants and row-level security. A query while the database is out of reach
 * throws a TeamDbError of kind 'unreachable'; the link reconnects by itself
 * and says so through `onState`.
 */
export interface TeamConn {
  readonly online: boolean;
  /** Who this console is logged in as (set once online). */
  readonly me: TeamMe | undefined;
  /** This console's id (presence, and which console leads). */
  readonly consoleId: string;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** One transaction on one connection; rolled back when `fn` throws. */
  tx<T>(fn: (c: pg.ClientBase) => Promise<T>): Promise<T>;
  onNotice(fn: (n: TeamNotice) => void): () => void;
  /** The database became reachable (true) or not (false). */
  onState(fn: (online: boolean) => void): () => void;
  /** The database's clock minus ours, in ms (claims and the collision guard use its time). */
  readonly skewMs: number;
}

export type { TeamErrorKind };
