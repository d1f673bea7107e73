import type pg from 'pg';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { TeamDbError, teamError } from './pgErrors.js';

/**
 * Our own small runner rather than a migration library: the migrations are
 * strings in the bundle (a packaged app has no migrations folder to read), and
 * every console runs this on connect, so it must be cheap when nothing is pending.
 */

/** The same key for every console: migrations of one database never interleave. */
const MIGRATE_LOCK = "hashtextextended('webcare:migrate', 0)";

/** The database's schema version; 0 before the first migration. */
export async function schemaVersion(client: pg.ClientBase): Promise<number> {
  try {
    const exists = await client.query<{ present: boolean }>("SELECT to_regclass('webcare.schema_version') IS NOT NULL AS present");
    if (!exists.rows[0]?.present) return 0;
    const r = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM webcare.schema_version');
    return r.rows[0]?.v ?? 0;
  } catch (e) {
    const { kind, detail } = teamError(e);
    throw new TeamDbError(kind, detail);
  }
}

/**
 * Whether this login could apply migrations: a superuser, the owner of the
 * schema, or (before the first one) a login that may create schemas here and
 * the group roles.
 */
async function mayMigrate(client: pg.ClientBase): Promise<boolean> {
  const r = await client.query<{ superuser: boolean; createrole: boolean; owns: boolean | null; create: boolean; groups: boolean }>(`
    SELECT r.rolsuper AS superuser, r.rolcreaterole AS createrole,
      (SELECT pg_has_role(current_user, n.nspowner, 'USAGE') FROM pg_namespace n WHERE n.nspname = 'webcare') AS owns,
      has_database_privilege(current_database(), 'CREATE') AS create,
      (SELECT count(*) = 7 FROM pg_roles WHERE rolname LIKE 'webcare\\_%' AND rolname IN
        ('webcare_member', 'webcare_staff', 'webcare_agent', 'webcare_specialist', 'webcare_lead', 'webcare_admin', 'webcare_department')) AS groups
    FROM pg_roles r WHERE r.rolname = current_user`);
  const row = r.rows[0];
  if (!row) return false;
  if (row.superuser) return true;
  if (row.owns !== null) return row.owns;
  return row.create && (row.createrole || row.groups);
}

const RIGHTS = 'the team database needs updating, which only its admin can do: an admin connects once first';

/**
 * Brings the database up to this console's schema. Each migration runs in its
 * own transaction while this connection holds an advisory lock, and re-reads
 * the version first, so consoles starting together apply each migration once.
 * `to` stops early (tests use it to leave migrations pending).
 */
export async function migrate(client: pg.ClientBase, opts: { to?: number } = {}): Promise<{ from: number; to: number }> {
  const from = await schemaVersion(client);
  if (from > SCHEMA_VERSION) {
    throw new TeamDbError('newerSchema', `the database is at version ${from}; this console knows up to ${SCHEMA_VERSION}`);
  }
  const target = Math.min(opts.to ?? SCHEMA_VERSION, SCHEMA_VERSION);
  const pending = MIGRATIONS.filter((m) => m.version > from && m.version <= target);
  if (pending.length === 0) return { from, to: from };
  let allowed: boolean;
  try {
    allowed = await mayMigrate(client);
  } catch (e) {
    const { kind, detail } = teamError(e);
    throw new TeamDbError(kind, detail);
  }
  if (!allowed) throw new TeamDbError('rights', RIGHTS);

  // A session lock, taken before each migration's transaction begins: a lock
  // taken inside the transaction would come after its catalog caches, which can
  // still say the schema another console just created is missing.
  await client.query(`SELECT pg_advisory_lock(${MIGRATE_LOCK})`);
  let to = from;
  try {
    for (const m of pending) {
      await client.query('BEGIN');
      try {
        const now = await schemaVersion(client);
        if (now > SCHEMA_VERSION) {
          throw new TeamDbError('newerSchema', `the database is at version ${now}; this console knows up to ${SCHEMA_VERSION}`);
        }
        if (now >= m.version) {
          // Another console applied it while we waited for the lock.
          await client.query('COMMIT');
          to = now;
          continue;
        }
        await client.query(m.sql);
        await client.query('INSERT INTO webcare.schema_version (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
        to = m.version;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (e instanceof TeamDbError) throw e;
        const { kind, detail } = teamError(e);
        throw new TeamDbError(kind, kind === 'rights' ? `${RIGHTS} (${detail ?? ''})` : `migration ${m.version} (${m.name}): ${detail ?? ''}`);
      }
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${MIGRATE_LOCK})`).catch(() => undefined);
  }
  return { from, to };
}
