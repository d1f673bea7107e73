import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chmod, chown, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { TeamRoleSchema, type TeamRole } from '../shared/team.js';
import { defaultDataDir } from './host/config.js';
import { addMember, loginProblem, scramVerifier } from './host/team/members.js';
import { migrate } from './host/team/migrate.js';
import { parseTeamUrl, redactUrl, teamError } from './host/team/pgErrors.js';
import { cliText } from './cliText.js';

/**
 * Team mode for admins, from a terminal:
 *   npm run team:db          a local PostgreSQL to try team mode with (foreground, Ctrl-C stops it)
 *   npm run team:add-agent -- --db URL --login anna --name "Anna" --role agent [--departments a,b] [--password X]
 */

const run = promisify(execFile);
const text = cliText();
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
  throw new CliError(text.pgMissing);
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
    throw new CliError(text.noPostgresUser);
  }
}

async function ownForPostgres(p: string): Promise<void> {
  if (!isRoot()) return;
  const { uid, gid } = await postgresIds();
  await chown(p, uid, gid);
}

function describe(e: unknown, url?: string): string {
  const { kind, detail } = teamError(e);
  const said = text.teamError(kind, url ? redactUrl(url) : undefined);
  return detail ? `${said}\n  (${detail})` : said;
}

async function waitReady(dataDir: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new CliError(text.pgStopped);
    const status = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
    if (status.split('\n')[7]?.trim() === 'ready') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new CliError(text.pgSlow);
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
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError(text.teamDbPort);
  const listen = process.env.WEBCARE_TEAM_DB_LISTEN ?? '127.0.0.1';

  if (isRoot()) {
    // Checked before anything is created: the nearest folder that exists must be reachable.
    let probe = home;
    while (!(await exists(probe)) && path.dirname(probe) !== probe) probe = path.dirname(probe);
    const { stdout } = await run('runuser', ['-u', 'postgres', '--', 'sh', '-c', 'test -x "$1" && echo ok', 'sh', probe]).catch(() => ({ stdout: '' }));
    if (stdout.trim() !== 'ok') {
      throw new CliError(text.unreachableHome(home));
    }
  }
  await mkdir(home, { recursive: true, mode: 0o755 });
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  await ownForPostgres(socketDir);

  const fresh = !(await exists(path.join(dataDir, 'PG_VERSION')));
  let password: string;
  if (fresh) {
    console.log(text.creatingCluster(dataDir));
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
      throw new CliError(text.initdbFailed((e as { stderr?: string }).stderr ?? String(e)));
    }
    password = randomBytes(18).toString('base64url');
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
    await chmod(passwordFile, 0o600);
  } else {
    password = (await readFile(passwordFile, 'utf8').catch(() => {
      throw new CliError(text.passwordLost(passwordFile, home));
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
    console.log(text.stoppingPg);
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
      if (m.to !== m.from) console.log(text.schemaMigrated(m.from, m.to));
    } finally {
      await admin.end();
    }

    console.log(text.teamDbRunning({ port, dataDir, url, passwordFile }));
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
  if (!url) throw new CliError(text.whichDb);
  if (!values.login) throw new CliError(text.giveLogin);
  const problem = loginProblem(values.login);
  if (problem) throw new CliError(text.badLogin(problem, values.login));
  const role = TeamRoleSchema.safeParse(values.role);
  if (!role.success) throw new CliError(text.badRole(TeamRoleSchema.options.join(', ')));
  const departments = (values.departments ?? '').split(',').map((d) => d.trim()).filter(Boolean);
  if (role.data === 'department' && departments.length === 0) throw new CliError(text.needsDepartments);
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
    console.log(text.added({ created, login: values.login, name, role: role.data, departments }));
    if (generated) console.log(text.generatedPassword(generated));
    const theirs = new URL(url);
    theirs.username = encodeURIComponent(values.login);
    theirs.password = encodeURIComponent(password);
    console.log(text.theirUrl(name, theirs.toString()));
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
  else throw new CliError(text.usage);
} catch (e) {
  // Node's own words for a mistyped option (English), then the usage in the terminal's language.
  const badArgs = typeof (e as { code?: unknown }).code === 'string' && (e as { code: string }).code.startsWith('ERR_PARSE_ARGS_');
  console.error(e instanceof CliError ? e.message : badArgs ? `${(e as Error).message}\n${text.usage}` : describe(e));
  process.exit(1);
}
