import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type pg from 'pg';
import { TeamRoleSchema, type TeamRole } from '../../../shared/team.js';
import { TeamDbError, teamError } from './pgErrors.js';

export interface NewMember {
  login: string;
  /** Absent: an existing login keeps its password. */
  password?: string;
  name: string;
  role: TeamRole;
  departments?: string[];
}

export interface MemberRow {
  login: string;
  name: string;
  role: TeamRole;
  departments: string[];
}

const ROLE_GROUPS: Record<TeamRole, string> = {
  agent: 'webcare_agent',
  specialist: 'webcare_specialist',
  lead: 'webcare_lead',
  admin: 'webcare_admin',
  department: 'webcare_department',
};

/**
 * Logins become part of URLs and of the audit trail: plain lower-case names
 * only, and never a name PostgreSQL or the team's group roles reserve.
 */
const LOGIN = /^[a-z_][a-z0-9_.-]{0,62}$/;

export function checkLogin(login: string): void {
  const problem = loginProblem(login);
  if (problem === 'shape') {
    throw new TeamDbError('other', 'a login is 1 to 63 lower-case letters, digits, "_", "." or "-", starting with a letter or "_"');
  }
  if (problem === 'reserved') throw new TeamDbError('other', `the login "${login}" is reserved`);
}

/** Why a login cannot be a team login: not of the allowed shape, or a name PostgreSQL or the console keeps. */
export function loginProblem(login: string): 'shape' | 'reserved' | null {
  if (!LOGIN.test(login)) return 'shape';
  if (login.startsWith('pg_') || login.startsWith('webcare_') || login === 'public' || login === 'postgres') return 'reserved';
  return null;
}

const pbkdf2Async = promisify(pbkdf2);

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password, made here so the
 * password itself never reaches the server (where statement logging could keep
 * it). The password is used as given, as node-pg does when it logs in.
 */
export async function scramVerifier(password: string, iterations = 4096): Promise<string> {
  const salt = randomBytes(16);
  const salted = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Adds a team login, or changes one: its database role (CREATE ROLE ... LOGIN),
 * the one group role of its team role (a changed role loses the old group), and
 * its row in webcare.members. One transaction: a half-added member cannot stay.
 * `admin` must be a login with CREATEROLE (the team's admin login or a superuser).
 */
export async function addMember(admin: pg.ClientBase, m: NewMember): Promise<{ created: boolean }> {
  checkLogin(m.login);
  const parsedRole = TeamRoleSchema.safeParse(m.role);
  if (!parsedRole.success) throw new TeamDbError('other', `the role is one of ${TeamRoleSchema.options.join(', ')}`);
  const role = parsedRole.data;
  const name = m.name.trim();
  if (!name || name.length > 100) throw new TeamDbError('other', 'a name is 1 to 100 characters');
  const departments = [...new Set((m.departments ?? []).map((d) => d.trim()).filter(Boolean))];
  if (departments.some((d) => d.length > 60)) throw new TeamDbError('other', 'a department name is at most 60 characters');
  if (role === 'department' && departments.length === 0) {
    throw new TeamDbError('other', 'a department login needs at least one department');
  }
  if (m.password !== undefined && m.password.length < 8) throw new TeamDbError('other', 'a password has at least 8 characters');

  const ident = admin.escapeIdentifier(m.login);
  await admin.query('BEGIN');
  try {
    const existing = await admin.query<{ rolcanlogin: boolean }>('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [m.login]);
    const created = existing.rowCount === 0;
    const password = m.password === undefined ? '' : ` PASSWORD ${admin.escapeLiteral(await scramVerifier(m.password))}`;
    if (created) {
      if (m.password === undefined) throw new TeamDbError('other', 'a new login needs a password');
      await admin.query(`CREATE ROLE ${ident} LOGIN${password}`);
    } else {
      // An existing role that is not yet a team member is adopted, as an admin
      // may have created it by hand first.
      await admin.query(`ALTER ROLE ${ident} LOGIN${password}`);
    }
    const groups = await admin.query<{ group: string }>(
      `SELECT g.rolname AS group FROM pg_auth_members am
         JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles u ON u.oid = am.member
        WHERE u.rolname = $1 AND g.rolname = ANY($2)`,
      [m.login, Object.values(ROLE_GROUPS)],
    );
    const want = ROLE_GROUPS[role];
    for (const { group } of groups.rows) {
      if (group !== want) await admin.query(`REVOKE ${admin.escapeIdentifier(group)} FROM ${ident}`);
    }
    if (!groups.rows.some((g) => g.group === want)) await admin.query(`GRANT ${admin.escapeIdentifier(want)} TO ${ident}`);
    await admin.query(
      `INSERT INTO webcare.members (login, display_name, role, departments) VALUES ($1, $2, $3, $4)
       ON CONFLICT (login) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, departments = EXCLUDED.departments`,
      [m.login, name, role, departments],
    );
    await admin.query('COMMIT');
    return { created };
  } catch (e) {
    await admin.query('ROLLBACK').catch(() => undefined);
    if (e instanceof TeamDbError) throw e;
    const { kind, detail } = teamError(e);
    throw new TeamDbError(kind, detail);
  }
}

export async function listMembers(client: pg.ClientBase): Promise<MemberRow[]> {
  const r = await client.query<{ login: string; display_name: string; role: TeamRole; departments: string[] }>(
    'SELECT login, display_name, role, departments FROM webcare.members ORDER BY lower(display_name), login',
  );
  return r.rows.map((row) => ({ login: row.login, name: row.display_name, role: row.role, departments: row.departments }));
}
