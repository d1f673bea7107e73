import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addMember, listMembers } from '../../electron/host/team/members.js';
import { migrate } from '../../electron/host/team/migrate.js';
import { TeamDbError, parseTeamUrl, redactUrl, teamError } from '../../electron/host/team/pgErrors.js';
import { SUPERUSER_PASSWORD, freePort, startPg, type PgServer } from '../support/pgServer.js';

/**
 * Each way a team URL can fail, provoked for real (a server that checks
 * passwords, a port nobody listens on, a server without TLS), and the kind the
 * console is told; then adding and changing team logins.
 */

let server: PgServer;
const clients: pg.Client[] = [];

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ ...parseTeamUrl(url), connectionTimeoutMillis: 5000 });
  c.on('error', () => undefined);
  await c.connect();
  clients.push(c);
  return c;
}

/** Connects and returns what failed; the test fails if the connection succeeds. */
async function failure(url: string): Promise<unknown> {
  const c = new pg.Client({ ...parseTeamUrl(url), connectionTimeoutMillis: 5000 });
  c.on('error', () => undefined);
  const e = await c.connect().then(
    () => null,
    (x: unknown) => x,
  );
  await c.end().catch(() => undefined);
  expect(e, 'the connection should have failed').not.toBeNull();
  return e;
}

beforeAll(async () => {
  server = await startPg({ passwordAuth: true });
  const su = await connect(server.url);
  await su.query('CREATE DATABASE team');
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await server?.stop();
});

describe('teamError, on real failures', () => {
  test('a wrong password: auth', async () => {
    const e = await failure(server.urlFor('postgres', 'not-the-password'));
    expect((e as { code?: string }).code).toBe('28P01');
    expect(teamError(e)).toMatchObject({ kind: 'auth' });
    // The password typed is nowhere in what the console shows.
    expect(JSON.stringify(teamError(e))).not.toMatch(/not-the-password/);
  });

  test('an unknown login: auth', async () => {
    const e = await failure(server.urlFor('nobody', 'whatever1'));
    expect((e as { code?: string }).code).toBe('28P01');
    expect(teamError(e).kind).toBe('auth');
  });

  test('a port nobody listens on: unreachable', async () => {
    const port = await freePort();
    const e = await failure(`postgres://postgres:x@127.0.0.1:${port}/postgres`);
    expect((e as { code?: string }).code).toBe('ECONNREFUSED');
    expect(teamError(e).kind).toBe('unreachable');
  });

  test('a host that does not exist: unreachable', async () => {
    const e = await failure('postgres://postgres:x@no-such-host.invalid:5432/postgres');
    expect((e as { code?: string }).code).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(teamError(e).kind).toBe('unreachable');
  });

  test('sslmode=require against a server without TLS: tls', async () => {
    const e = await failure(`${server.url}?sslmode=require`);
    expect((e as Error).message).toMatch(/does not support SSL/);
    expect(teamError(e)).toMatchObject({ kind: 'tls' });
  });

  test('a database that does not exist: other, naming it', async () => {
    const e = await failure(server.urlFor('postgres', SUPERUSER_PASSWORD, 'nosuchdb'));
    expect((e as { code?: string }).code).toBe('3D000');
    expect(teamError(e)).toEqual({ kind: 'other', detail: expect.stringContaining('nosuchdb') });
  });

  test('a connection cut by the server: unreachable', async () => {
    const victim = await connect(server.url);
    const killer = await connect(server.url);
    const pid = (await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await killer.query('SELECT pg_terminate_backend($1)', [pid]);
    const e = await victim.query('SELECT 1').then(
      () => null,
      (x: unknown) => x,
    );
    expect(e, 'the query on a terminated connection should fail').not.toBeNull();
    expect(teamError(e).kind).toBe('unreachable');
  });

  test('errors of our own pass through; anything else is other with the message', () => {
    expect(teamError(new TeamDbError('key', 'wrong team key'))).toEqual({ kind: 'key', detail: 'wrong team key' });
    expect(teamError(new Error('something odd'))).toEqual({ kind: 'other', detail: 'something odd' });
    expect(teamError(Object.assign(new Error('permission denied for table tokens'), { code: '42501' })).kind).toBe('rights');
  });
});

describe('parseTeamUrl and redactUrl', () => {
  test('anything but a postgres URL, or an unknown sslmode: badUrl', () => {
    for (const bad of ['mysql://a:b@h/db', 'db.example:5432', '', 'http://h/db', 'postgres://a:b@h/db?sslmode=sometimes', 'postgres://']) {
      let e: unknown = null;
      try {
        parseTeamUrl(bad);
      } catch (x) {
        e = x;
      }
      expect(e, `${bad} should be refused`).toBeInstanceOf(TeamDbError);
      expect((e as TeamDbError).kind).toBe('badUrl');
      expect(teamError(e).kind).toBe('badUrl');
    }
  });

  test('postgres:// and postgresql://, with sslmode as node-pg reads it', () => {
    expect(parseTeamUrl('postgresql://anna:p%40ss@db.example:6543/webcare')).toMatchObject({
      user: 'anna', password: 'p@ss', host: 'db.example', port: 6543, database: 'webcare',
    });
    expect(parseTeamUrl('postgres://anna:x@db.example/webcare?sslmode=disable').ssl).toBe(false);
    for (const mode of ['require', 'verify-ca', 'verify-full', 'prefer']) {
      const ssl = parseTeamUrl(`postgres://anna:x@db.example/webcare?sslmode=${mode}`).ssl;
      // node-pg verifies the certificate for each of these.
      expect(typeof ssl).toBe('object');
      expect((ssl as { rejectUnauthorized?: boolean }).rejectUnauthorized).not.toBe(false);
    }
    expect(parseTeamUrl('postgres://anna@/webcare?host=/run/postgresql')).toMatchObject({ host: '/run/postgresql', database: 'webcare' });
  });

  test('the password never survives redaction', () => {
    expect(redactUrl('postgres://anna:s3cret@db.example:5432/webcare?sslmode=require')).toBe('postgres://anna@db.example:5432/webcare?sslmode=require');
    expect(redactUrl('postgresql://anna:p@ss/w:rd@db.example/webcare')).toBe('postgresql://anna@db.example/webcare');
    expect(redactUrl('postgres://db.example/webcare?user=anna&password=s3cret')).toBe('postgres://db.example/webcare?user=anna&password=***');
    expect(redactUrl('postgres://anna@db.example/webcare')).toBe('postgres://anna@db.example/webcare');
  });
});

describe('team logins', () => {
  test('added with a password that works, changed role loses the old group, listed', async () => {
    const owner = await connect(server.urlFor('postgres', SUPERUSER_PASSWORD, 'team'));
    await migrate(owner);
    expect(await addMember(owner, { login: 'anna', password: "it's-a \"quoted\" pw", name: 'Anna', role: 'agent' })).toEqual({ created: true });
    const anna = await connect(server.urlFor('anna', "it's-a \"quoted\" pw", 'team'));
    expect((await anna.query('SELECT webcare.my_role() AS r')).rows[0].r).toBe('agent');
    expect((await anna.query("SELECT pg_has_role('anna', 'webcare_staff', 'USAGE') AS s")).rows[0].s).toBe(true);

    // The password never reached the server as text: only its SCRAM verifier is stored.
    const stored = (await owner.query("SELECT rolpassword FROM pg_authid WHERE rolname = 'anna'")).rows[0].rolpassword as string;
    expect(stored).toMatch(/^SCRAM-SHA-256\$4096:/);

    expect(await addMember(owner, { login: 'anna', name: 'Anna B.', role: 'department', departments: ['billing', 'billing', ' shipping '] })).toEqual({ created: false });
    const groups = (await owner.query(
      "SELECT g.rolname FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles u ON u.oid = am.member WHERE u.rolname = 'anna' ORDER BY 1",
    )).rows.map((r) => r.rolname);
    expect(groups).toEqual(['webcare_department']);
    // Her old password still works, and she is now department-only.
    const again = await connect(server.urlFor('anna', "it's-a \"quoted\" pw", 'team'));
    const denied = await again.query('SELECT * FROM webcare.tokens').then(
      () => null,
      (x: unknown) => x,
    );
    expect((denied as { code?: string }).code).toBe('42501');
    expect(await listMembers(owner)).toEqual([{ login: 'anna', name: 'Anna B.', role: 'department', departments: ['billing', 'shipping'] }]);

    const audit = (await owner.query("SELECT action, subject, detail FROM webcare.audit WHERE subject = 'anna' ORDER BY id")).rows;
    expect(audit).toEqual([
      { action: 'member.add', subject: 'anna', detail: 'agent' },
      { action: 'member.change', subject: 'anna', detail: 'department departments=billing,shipping' },
    ]);
  });

  test('unsafe logins, unknown roles and a department login without a department are refused before any SQL runs', async () => {
    const owner = await connect(server.urlFor('postgres', SUPERUSER_PASSWORD, 'team'));
    const cases = [
      { login: 'Robert"; DROP ROLE postgres; --', password: 'longenough', name: 'x', role: 'agent' as const },
      { login: 'pg_monitor', password: 'longenough', name: 'x', role: 'agent' as const },
      { login: 'webcare_admin', password: 'longenough', name: 'x', role: 'agent' as const },
      { login: 'zed', password: 'longenough', name: 'x', role: 'boss' as unknown as 'agent' },
      { login: 'zed', password: 'longenough', name: 'x', role: 'department' as const },
      { login: 'zed', password: 'short', name: 'x', role: 'agent' as const },
    ];
    for (const c of cases) {
      const e = await addMember(owner, c).catch((x: unknown) => x);
      expect(e, JSON.stringify(c)).toBeInstanceOf(TeamDbError);
    }
    expect((await owner.query("SELECT count(*)::int AS n FROM pg_roles WHERE rolname IN ('zed', 'Robert\"; DROP ROLE postgres; --')")).rows[0].n).toBe(0);
  });

  test('a login that is not a team member: rights, on a migrated database too', async () => {
    const owner = await connect(server.urlFor('postgres', SUPERUSER_PASSWORD, 'team'));
    await migrate(owner);
    await owner.query("CREATE ROLE outsider LOGIN PASSWORD 'outsider-pw'");
    const outsider = await connect(server.urlFor('outsider', 'outsider-pw', 'team'));
    const e = await migrate(outsider).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TeamDbError);
    expect((e as TeamDbError).kind).toBe('rights');
    const read = await outsider.query('SELECT * FROM webcare.messages').catch((x: unknown) => x);
    expect((read as { code?: string }).code).toBe('42501');
  });

  test('a login that may not create roles cannot add one: rights, and nothing half-done stays', async () => {
    const owner = await connect(server.urlFor('postgres', SUPERUSER_PASSWORD, 'team'));
    await addMember(owner, { login: 'lea', password: 'lea-password', name: 'Lea', role: 'lead' });
    const lea = await connect(server.urlFor('lea', 'lea-password', 'team'));
    const e = await addMember(lea, { login: 'eve', password: 'eve-password', name: 'Eve', role: 'admin' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TeamDbError);
    expect((e as TeamDbError).kind).toBe('rights');
    expect((await owner.query("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'eve'")).rows[0].n).toBe(0);
    expect((await owner.query("SELECT count(*)::int AS n FROM webcare.members WHERE login = 'eve'")).rows[0].n).toBe(0);
  });
});
