import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster for one test file: its own temp folder, a free
 * port on 127.0.0.1, durability off (it is thrown away). Tests only ever talk to
 * servers they started here.
 */
export interface PgServer {
  /** The superuser `postgres` on database `postgres`. */
  url: string;
  port: number;
  dir: string;
  /** `postgres://login[:password]@127.0.0.1:port/database`. */
  urlFor(login: string, password?: string, database?: string): string;
  stop(): Promise<void>;
}

export interface PgServerOptions {
  /**
   * Check passwords on TCP (scram-sha-256; the superuser's is SUPERUSER_PASSWORD).
   * Without it every TCP login is trusted, so a wrong password is not noticed.
   */
  passwordAuth?: boolean;
}

export const SUPERUSER_PASSWORD = 'throwaway-superuser';

/** Debian's server binaries: 15 when there, else the newest installed. */
export function pgBinDir(): string {
  const fromEnv = process.env.WEBCARE_PG_BIN;
  if (fromEnv) {
    if (!existsSync(path.join(fromEnv, 'initdb'))) throw new Error(`WEBCARE_PG_BIN=${fromEnv} holds no initdb.`);
    return fromEnv;
  }
  const root = '/usr/lib/postgresql';
  const has = (v: string) => existsSync(path.join(root, v, 'bin', 'initdb'));
  if (has('15')) return path.join(root, '15', 'bin');
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && has(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0]) return path.join(root, versions[0], 'bin');
  throw new Error(
    'PostgreSQL server binaries not found (looked for /usr/lib/postgresql/*/bin/initdb). ' +
      'Install them (Debian: apt-get install postgresql; .ci/run does) or set WEBCARE_PG_BIN.',
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** initdb and postgres refuse to run as root: as root they run as the postgres user. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Line 8 of postmaster.pid says "ready" once connections are accepted (PostgreSQL 10+). */
async function waitReady(dataDir: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}):\n${log()}`);
    try {
      if (readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim() === 'ready') return;
    } catch {
      // Not written yet.
    }
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`postgres did not start within 15 s:\n${log()}`);
}

/** A folder for `initdb`'s work, owned by the user the server runs as. */
function serverDir(parent: string, prefix: string): string {
  const dir = mkdtempSync(path.join(parent, prefix));
  if (isRoot()) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  return dir;
}

/** Runs initdb into `dataDir` (in `dir`, which also holds the superuser's password file when asked for). */
function initdb(bin: string, dir: string, dataDir: string, opts: PgServerOptions): void {
  const pwFile = path.join(dir, 'pw');
  const initArgs = ['-D', dataDir, '-U', 'postgres', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C'];
  if (opts.passwordAuth) {
    writeFileSync(pwFile, SUPERUSER_PASSWORD + '\n', { mode: 0o600 });
    if (isRoot()) chownSync(pwFile, postgresIds().uid, postgresIds().gid);
    initArgs.push('--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwFile}`);
  } else {
    initArgs.push('--auth=trust');
  }
  const [initCmd, initCmdArgs] = asPostgres(path.join(bin, 'initdb'), initArgs);
  try {
    execFileSync(initCmd, initCmdArgs, { stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${err.stderr?.toString() || err.message}`);
  }
}

/**
 * A new cluster's data folder. With WEBCARE_PG_TEMPLATES (a folder the test runner's
 * global setup makes for one run, see pgTemplates.ts), initdb runs once per set of
 * options in that run and every cluster starts from a copy of its output: a copy takes
 * a fraction of a second, initdb seconds. Without it, initdb for each cluster.
 */
function makeDataDir(bin: string, dir: string, dataDir: string, opts: PgServerOptions): void {
  const templates = process.env.WEBCARE_PG_TEMPLATES;
  if (!templates || !existsSync(templates)) return initdb(bin, dir, dataDir, opts);
  const template = path.join(templates, `${path.basename(path.dirname(bin))}-${opts.passwordAuth ? 'password' : 'trust'}`);
  if (!existsSync(path.join(template, 'PG_VERSION'))) {
    // Made aside and renamed into place whole: a worker that finds it finds all of it.
    const staging = serverDir(templates, 'staging-');
    try {
      initdb(bin, staging, path.join(staging, 'data'), opts);
      try {
        renameSync(path.join(staging, 'data'), template);
      } catch {
        // Another worker put its own there first: the same thing.
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  // -a: the server's user keeps owning it, with the modes it insists on.
  execFileSync('cp', ['-a', template, dataDir], { stdio: 'pipe' });
}

export async function startPg(opts: PgServerOptions = {}): Promise<PgServer> {
  const bin = pgBinDir();
  const dir = serverDir(os.tmpdir(), 'webcare-pg-');
  const dataDir = path.join(dir, 'data');
  try {
    makeDataDir(bin, dir, dataDir, opts);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  // A free port can be taken between our probe and postgres' bind: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const [cmd, args] = asPostgres(path.join(bin, 'postgres'), [
      '-D', dataDir, '-p', String(port), '-k', dir,
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      '-c', 'max_connections=200', '-c', 'shared_buffers=16MB',
      // Tests provoke errors on purpose: the server need not echo them.
      '-c', 'log_min_messages=fatal', '-c', 'log_min_error_statement=panic',
    ]);
    let log = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => {
      // Only start-up failures are shown; the rest would grow for the whole run.
      if (log.length < 20_000) log += d.toString();
    });
    try {
      await waitReady(dataDir, child, () => log);
    } catch (e) {
      lastError = e;
      const pid = postmasterPid(dataDir);
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
      continue;
    }
    return running(dir, dataDir, port, child);
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

function running(dir: string, dataDir: string, port: number, child: ChildProcess): PgServer {
  const pid = postmasterPid(dataDir);
  // A test worker that dies must not leave a server behind.
  const onExit = () => {
    if (pid && alive(pid)) process.kill(pid, 'SIGQUIT');
  };
  process.once('exit', onExit);
  const base = `127.0.0.1:${port}`;
  let stopped = false;
  return {
    url: `postgres://postgres:${encodeURIComponent(SUPERUSER_PASSWORD)}@${base}/postgres`,
    port,
    dir,
    urlFor(login, password, database = 'postgres') {
      const auth = password === undefined ? encodeURIComponent(login) : `${encodeURIComponent(login)}:${encodeURIComponent(password)}`;
      return `postgres://${auth}@${base}/${encodeURIComponent(database)}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      // Immediate shutdown: nothing here needs to survive.
      if (pid && alive(pid)) process.kill(pid, 'SIGQUIT');
      else child.kill('SIGQUIT');
      const deadline = Date.now() + 10_000;
      while (((pid && alive(pid)) || child.exitCode === null) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
