import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chmod, chown, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { TeamRoleSchema, type TeamRole } from '../shared/team.js';
import { defaultDataDir } from './host/config.js';
import { addMember, checkLogin, scramVerifier } from './host/team/members.js';
import { migrate } from './host/team/migrate.js';
import { parseTeamUrl, redactUrl, teamError, type TeamDbError } from './host/team/pgErrors.js';

/**
 * Team mode for admins, from a terminal:
 *   npm run team:db          a local PostgreSQL to try team mode with (foreground, Ctrl-C stops it)
 *   npm run team:add-agent -- --db URL --login anna --name "Anna" --role agent [--departments a,b] [--password X]
 */

const run = promisify(execFile);
const ADMIN_LOGIN = 'teamadmin';
const DATABASE = 'webcare';

class CliError extends Error {}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** Debian's server binaries: 15 when there, else the newest installed. */
async function pgBinDir(): Promise<string> {
  if (process.env.WEBCARE_PG_BIN) return process.env.WEBCARE_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = (await readdir(root).catch(() => [] as string[])).filter((v) => /^\d+$/.test(v));
  const usable: string[] = [];
  for (const v of versions) if (await exists(path.join(root, v, 'bin', 'initdb'))) usable.push(v);
  usable.sort((a, b) => (a === '15' ? -1 : b === '15' ? 1 : Number(b) - Number(a)));
  if (usable[0]) return path.join(root, usable[0], 'bin');
  throw new CliError(
    'The PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/initdb).\n' +
      'On Debian or Ubuntu: sudo apt-get install postgresql   (or set WEBCARE_PG_BIN to its bin folder)',
  );
}

/** PostgreSQL refuses to run as root: as root its programs run as the postgres user. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new CliError('Running as root, but there is no "postgres" user to run the server as (installing Debian\'s postgresql package creates it).');
  }
}

async function ownForPostgres(p: string): Promise<void> {
  if (!isRoot()) return;
  const { uid, gid } = await postgresIds();
  await chown(p, uid, gid);
}

function describe(e: unknown, url?: string): string {
  const { kind, detail } = teamError(e);
  const where = url ? redactUrl(url) : 'the team database';
  const text: Record<typeof kind, string> = {
    badUrl: 'That is not a PostgreSQL URL. It looks like postgres://login:password@host:5432/database',
    unreachable: `No PostgreSQL server answers at ${where}. Is it running (npm run team:db), and are host and port right?`,
    auth: `The server refused that login or password (${where}).`,
    rights: 'This login may not do that: use the team\'s admin login (the one npm run team:db prints; adding logins needs CREATEROLE).',
    newerSchema: 'The team database was set up by a newer version of the console: update this one first.',
    key: 'The team key does not fit.',
    tls: `TLS failed (${where}): check the certificate, or the URL's sslmode.`,
    other: 'The database said no.',
  };
  return detail ? `${text[kind]}\n  (${detail})` : text[kind];
}

async function waitReady(dataDir: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new CliError('PostgreSQL stopped while starting (its messages are above). Is another server using this data folder or port?');
    const status = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
    if (status.split('\n')[7]?.trim() === 'ready') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new CliError('PostgreSQL did not start within 30 s.');
}

async function postmasterPid(dataDir: string): Promise<number | null> {
  const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function teamDb(): Promise<void> {
  const bin = await pgBinDir();
  const home = path.join(defaultDataDir(process.env), 'team-db');
  const dataDir = path.join(home, 'data');
  const socketDir = path.join(home, 'run');
  const passwordFile = path.join(home, 'admin-password');
  const port = Number(process.env.WEBCARE_TEAM_DB_PORT ?? 54329);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError('WEBCARE_TEAM_DB_PORT must be a port number (1 to 65535).');
  const listen = process.env.WEBCARE_TEAM_DB_LISTEN ?? '127.0.0.1';

  if (isRoot()) {
    // Checked before anything is created: the nearest folder that exists must be reachable.
    let probe = home;
    while (!(await exists(probe)) && path.dirname(probe) !== probe) probe = path.dirname(probe);
    const { stdout } = await run('runuser', ['-u', 'postgres', '--', 'sh', '-c', 'test -x "$1" && echo ok', 'sh', probe]).catch(() => ({ stdout: '' }));
    if (stdout.trim() !== 'ok') {
      throw new CliError(
        `PostgreSQL runs as the postgres user, which cannot reach ${home} (a folder above it is closed to other users, as /root is).\n` +
          'Set WEBCARE_DATA_DIR to a folder it can reach, e.g. WEBCARE_DATA_DIR=/srv/webcare npm run team:db',
      );
    }
  }
  await mkdir(home, { recursive: true, mode: 0o755 });
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  await ownForPostgres(socketDir);

  const fresh = !(await exists(path.join(dataDir, 'PG_VERSION')));
  let password: string;
  if (fresh) {
    console.log(`Creating a PostgreSQL cluster in ${dataDir} …`);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await ownForPostgres(dataDir);
    const [cmd, args] = asPostgres(path.join(bin, 'initdb'), [
      '-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--no-instructions',
      // The socket folder is closed to others; over TCP every login gives its password.
      '--auth-local=trust', '--auth-host=scram-sha-256',
    ]);
    try {
      await run(cmd, args);
    } catch (e) {
      throw new CliError(`initdb failed:\n${(e as { stderr?: string }).stderr ?? String(e)}`);
    }
    password = randomBytes(18).toString('base64url');
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
    await chmod(passwordFile, 0o600);
  } else {
    password = (await readFile(passwordFile, 'utf8').catch(() => {
      throw new CliError(`${passwordFile} is missing: the admin password of this cluster is lost. Move ${home} away to start afresh.`);
    })).trim();
  }

  const [cmd, args] = asPostgres(path.join(bin, 'postgres'), [
    '-D', dataDir, '-p', String(port), '-k', socketDir,
    '-c', `listen_addresses=${listen}`, '-c', 'unix_socket_permissions=0700', '-c', 'log_min_messages=warning',
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping PostgreSQL …');
    const pid = await postmasterPid(dataDir);
    // Fast shutdown: sessions end, data is kept.
    if (pid) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // Already gone.
      }
    }
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    await waitReady(dataDir, child);

    if (fresh) {
      // The first connection is the superuser over the closed socket; the team is then run by a
      // login that may create logins and owns the database, but is not a superuser.
      const su = new pg.Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
      await su.connect();
      try {
        await su.query(`CREATE ROLE ${ADMIN_LOGIN} LOGIN CREATEROLE PASSWORD ${su.escapeLiteral(await scramVerifier(password))}`);
        await su.query(`CREATE DATABASE ${DATABASE} OWNER ${ADMIN_LOGIN}`);
      } finally {
        await su.end();
      }
    }

    const host = listen === '*' || listen === '0.0.0.0' ? '127.0.0.1' : listen.split(',')[0]!.trim();
    const url = `postgres://${ADMIN_LOGIN}:${encodeURIComponent(password)}@${host.includes(':') ? `[${host}]` : host}:${port}/${DATABASE}?sslmode=disable`;
    const admin = new pg.Client(parseTeamUrl(url));
    await admin.connect();
    try {
      const m = await migrate(admin);
      if (m.to !== m.from) console.log(`Schema brought from version ${m.from} to ${m.to}.`);
    } finally {
      await admin.end();
    }

    console.log(`
Team database running on port ${port} (data: ${dataDir}).

Admin URL (it creates logins; it is not a console login itself):
  ${url}

Add each person, yourself included; each gets a login and a URL of their own, which
they paste into Settings > Team of their console (or start it with WEBCARE_TEAM_DB=…):
  npm run team:add-agent -- --db "${url}" --login anna --name "Anna" --role agent
Roles: agent, specialist, lead, admin, department (with --departments billing,shipping).

The admin password is kept in ${passwordFile}. Ctrl-C stops the server.`);
  } catch (e) {
    console.error(e instanceof CliError ? e.message : describe(e));
    await stop(1);
  }
}

async function addAgent(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      login: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'agent' },
      departments: { type: 'string' },
      password: { type: 'string' },
    },
    strict: true,
  });
  const url = values.db ?? process.env.WEBCARE_TEAM_DB;
  if (!url) throw new CliError('Which database? Give --db "postgres://teamadmin:…@host:port/webcare" or set WEBCARE_TEAM_DB.');
  if (!values.login) throw new CliError('Give the new login with --login (e.g. --login anna).');
  try {
    checkLogin(values.login);
  } catch (e) {
    throw new CliError(`--login: ${(e as TeamDbError).detail ?? String(e)}`);
  }
  const role = TeamRoleSchema.safeParse(values.role);
  if (!role.success) throw new CliError(`--role must be one of: ${TeamRoleSchema.options.join(', ')}.`);
  const departments = (values.departments ?? '').split(',').map((d) => d.trim()).filter(Boolean);
  if (role.data === 'department' && departments.length === 0) throw new CliError('A department login needs --departments (e.g. --departments billing,shipping).');
  const name = values.name ?? values.login;
  const generated = values.password === undefined ? randomBytes(15).toString('base64url') : undefined;
  const password = values.password ?? generated!;

  let config: pg.ClientConfig;
  try {
    config = parseTeamUrl(url);
  } catch (e) {
    throw new CliError(describe(e, url));
  }
  const admin = new pg.Client({ ...config, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
    await migrate(admin);
    const { created } = await addMember(admin, { login: values.login, password, name, role: role.data as TeamRole, departments });
    console.log(`${created ? 'Added' : 'Updated'} ${values.login} (${name}) as ${role.data}${departments.length ? ` for ${departments.join(', ')}` : ''}.`);
    if (generated) console.log(`Password (shown only now): ${generated}`);
    const theirs = new URL(url);
    theirs.username = encodeURIComponent(values.login);
    theirs.password = encodeURIComponent(password);
    console.log(`Their team URL (give it to ${name} privately):\n  ${theirs.toString()}`);
  } catch (e) {
    throw new CliError(describe(e, url));
  } finally {
    await admin.end().catch(() => undefined);
  }
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'db') await teamDb();
  else if (command === 'add-agent') await addAgent(rest);
  else throw new CliError('Usage: teamCli.js db | add-agent --db URL --login LOGIN --name NAME --role ROLE [--departments a,b] [--password X]');
} catch (e) {
  console.error(e instanceof CliError ? e.message : e instanceof Error && /Unknown option|argument/.test(e.message) ? e.message : describe(e));
  process.exit(1);
}
