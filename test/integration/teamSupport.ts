import http from 'node:http';
import net from 'node:net';
import pg from 'pg';
import type { TeamRole } from '../../shared/team';
import type { HostCore, SandboxEndpoints } from '../../electron/host/hostCore';
import { TeamCipher } from '../../electron/host/team/crypto';
import { addMember } from '../../electron/host/team/members';
import { migrate } from '../../electron/host/team/migrate';
import type { TeamTiming } from '../../electron/host/team/session';
import { startPg, SUPERUSER_PASSWORD, type PgServer } from '../support/pgServer';
import type { CoreOptions, FakeRenderer, World } from './harness';

/**
 * What team-mode integration tests share: a throwaway team database with
 * logins and a team key, a TCP relay in front of it that a test can cut (a
 * crash or a pulled cable, as the server sees it), and an HTTP relay per
 * console in front of the sandbox that records which console asked what.
 */

export const TEAM_KEY = 'correct horse battery staple';
export const PASSWORD = 'throwaway-password';

/** Every interval of team mode, short: the defaults are seconds, the tests want hundreds of ms. */
export const FAST_TEAM: TeamTiming = {
  // Generous answers: a test machine under load must not look like a dead server.
  link: { reconnectMinMs: 200, reconnectMaxMs: 1000, pingMs: 500, answerMs: 3000 },
  leader: { tryMs: 500, pingMs: 500, answerMs: 3000 },
  sync: { everyMs: 1000, holdMs: 1500 },
  drainMs: 500,
  outbox: { waitMs: 10_000, pollMs: 200 },
  actions: { heartbeatMs: 1000, presenceTimeoutMs: 5000 },
};

export interface TeamDbFixture {
  server: PgServer;
  /** The superuser on this test's database, for looking behind the consoles' backs. */
  admin: pg.Client;
  url(login: string, password?: string): string;
  addMember(login: string, name: string, role?: TeamRole, departments?: string[]): Promise<void>;
  /** Sets the team key as an admin would (the check value sealed with it). */
  setKey(key?: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One cluster per test file (starting one takes seconds), one fresh database per
 * test (a copy of the migrated schema takes a fraction of that). Advisory locks,
 * notifications and every table are per database; only the logins are shared.
 */
let cluster: Promise<{ server: PgServer; template: string }> | null = null;
let databases = 0;

async function sharedCluster(): Promise<{ server: PgServer; template: string }> {
  cluster ??= (async () => {
    const server = await startPg();
    const c = new pg.Client({ connectionString: server.urlFor('postgres', SUPERUSER_PASSWORD, 'postgres') });
    await c.connect();
    await c.query('CREATE DATABASE team_template');
    await c.end();
    const t = new pg.Client({ connectionString: server.urlFor('postgres', SUPERUSER_PASSWORD, 'team_template') });
    await t.connect();
    await migrate(t);
    await t.end();
    return { server, template: 'team_template' };
  })();
  return cluster;
}

/** Stops the file's cluster (afterAll). */
export async function stopTeamCluster(): Promise<void> {
  const c = cluster;
  cluster = null;
  if (c) await (await c).server.stop();
}

export async function teamDbFixture(): Promise<TeamDbFixture> {
  const { server, template } = await sharedCluster();
  const name = `team_${++databases}`;
  const su = new pg.Client({ connectionString: server.urlFor('postgres', SUPERUSER_PASSWORD, 'postgres') });
  await su.connect();
  await su.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await su.end();
  const admin = new pg.Client({ connectionString: server.urlFor('postgres', SUPERUSER_PASSWORD, name) });
  await admin.connect();
  return {
    server,
    admin,
    url: (login, password = PASSWORD) => server.urlFor(login, password, name),
    async addMember(login, name_, role = 'agent', departments = []) {
      await addMember(admin, { login, password: PASSWORD, name: name_, role, departments });
    },
    async setKey(key = TEAM_KEY) {
      const made = await TeamCipher.create(key);
      await admin.query('INSERT INTO webcare.team_key (id, salt, check_value) VALUES (1, $1, $2)', [made.salt, made.checkValue]);
    },
    async stop() {
      await admin.end().catch(() => undefined);
    },
  };
}

/**
 * A TCP relay to a port. `cut()` destroys every connection through it at once
 * (both ends see the connection gone, no goodbye) and refuses new ones until
 * `mend()`: to the server, the console behind it has crashed.
 */
export interface TcpRelay {
  port: number;
  cuts: number;
  open: number;
  cut(): void;
  mend(): void;
  close(): Promise<void>;
}

export async function tcpRelay(targetPort: number): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const relay: TcpRelay = {
    port,
    cuts: 0,
    get open() {
      return sockets.size / 2;
    },
    cut() {
      refusing = true;
      relay.cuts++;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    mend() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return relay;
}

/** The URL of a login through a relay instead of straight to the server. */
export function viaRelay(url: string, relay: TcpRelay): string {
  const u = new URL(url);
  u.port = String(relay.port);
  return u.toString();
}

export interface Seen {
  method: string;
  path: string;
  query: string;
  /** The Authorization header (which token the console used). */
  auth?: string;
  at: number;
  /** When the answer went back (undefined while held). */
  doneAt?: number;
}

/**
 * An HTTP relay in front of the world's sandbox for one console: the sandbox's
 * own request log cannot tell consoles apart (they use the same token), this
 * can. `hold` keeps matching requests waiting (a poll under way), `delayMs`
 * slows matching ones down.
 */
export interface SandboxRelay {
  endpoints: SandboxEndpoints;
  seen: Seen[];
  /** Requests of polled streams (reads of mentions, posts, DMs, Page feeds, comments and conversations). */
  polls(since?: number): Seen[];
  hold(match: (method: string, path: string) => boolean): void;
  release(): void;
  held: number;
  delay(match: (method: string, path: string) => boolean, ms: number): void;
  close(): Promise<void>;
}

/** GETs a poll makes; sign-in, profile and sandbox inspection calls are not polls. */
export function isPoll(method: string, path: string): boolean {
  if (method !== 'GET') return false;
  if (/^\/x\/2\/(users\/[^/]+\/(mentions|tweets)|dm_events)/.test(path)) return true;
  return /^\/graph\/(v[\d.]+\/)?[^/]+\/(feed|posts|published_posts|comments|conversations|messages)\b/.test(path);
}

export async function sandboxRelay(w: World): Promise<SandboxRelay> {
  const seen: Seen[] = [];
  let holdMatch: ((m: string, p: string) => boolean) | null = null;
  const waiting: Array<() => void> = [];
  const delays: Array<{ match: (m: string, p: string) => boolean; ms: number }> = [];
  const target = () => new URL(w.sandbox.url);
  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    const entry: Seen = { method, path, query, auth: req.headers.authorization, at: Date.now() };
    seen.push(entry);
    const forward = () => {
      const t = target();
      const up = http.request(
        { host: t.hostname, port: t.port, method, path: req.url, headers: { ...req.headers, host: t.host } },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
          upRes.on('end', () => (entry.doneAt = Date.now()));
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    const delay = delays.find((d) => d.match(method, path))?.ms ?? 0;
    const go = () => (delay ? setTimeout(forward, delay) : forward());
    if (holdMatch?.(method, path)) waiting.push(go);
    else go();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    endpoints: { url: base, xApiUrl: `${base}/x`, graphApiUrl: `${base}/graph` },
    seen,
    polls: (since = 0) => seen.filter((s) => s.at >= since && isPoll(s.method, s.path)),
    hold(match) {
      holdMatch = match;
    },
    release() {
      holdMatch = null;
      for (const go of waiting.splice(0)) go();
    },
    get held() {
      return waiting.length;
    },
    delay(match, ms) {
      delays.push({ match, ms });
    },
    close: () =>
      new Promise<void>((resolve) => {
        holdMatch = null;
        for (const go of waiting.splice(0)) go();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every message key in the team database, with how often each platform id is stored (once, if all is well). */
export async function storedMessages(admin: pg.Client): Promise<{ keys: Set<string>; perPlatformId: Map<string, number> }> {
  const r = await admin.query<{ key: string; pid: string }>("SELECT key, data->>'platformId' AS pid FROM webcare.messages");
  const perPlatformId = new Map<string, number>();
  for (const row of r.rows) perPlatformId.set(`${row.key.split(':')[0]}:${row.pid}`, (perPlatformId.get(`${row.key.split(':')[0]}:${row.pid}`) ?? 0) + 1);
  return { keys: new Set(r.rows.map((row) => row.key)), perPlatformId };
}

/**
 * A console in team mode on the world's sandbox (through a relay of its own),
 * with a data folder of its own, logged in with `url`. `relays` collects the
 * relay for the test's cleanup.
 */
export async function teamConsole(
  w: World,
  url: string,
  renderer: FakeRenderer | undefined,
  relays: SandboxRelay[],
  extra: CoreOptions & { key?: string | null; label?: string } = {},
): Promise<{ core: HostCore; relay: SandboxRelay }> {
  const { key = TEAM_KEY, label = new URL(url).username, config, ...rest } = extra;
  const relay = await sandboxRelay(w);
  relays.push(relay);
  const core = await w.core({
    config: { teamDb: url, ...(key === null ? {} : { teamKey: key }), ...config },
    dataDir: await w.tempDir(),
    sandbox: relay.endpoints,
    renderer,
    teamTiming: FAST_TEAM,
    log: process.env.TEAM_LOG ? (l: string) => console.log(`[${label}] ${l}`) : () => undefined,
    ...rest,
  });
  return { core, relay };
}
