import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addMember } from '../../electron/host/team/members.js';
import { migrate, schemaVersion } from '../../electron/host/team/migrate.js';
import { TeamDbError, teamError } from '../../electron/host/team/pgErrors.js';
import { SCHEMA_VERSION } from '../../electron/host/team/schema.js';
import { startPg, type PgServer } from '../support/pgServer.js';

/**
 * The team database against a real throwaway cluster: migrations, the rights of
 * each role (asserted as that login, connected with its own password), claims and
 * marks under concurrency, the audit trail and notifications.
 */

let server: PgServer;
const clients: pg.Client[] = [];
let owner: pg.Client;
let firstMigration: { from: number; to: number };

const DB = 'team';
const pw = (login: string) => `pw-${login}-secret`;
const LOGINS = [
  { login: 'anna', name: 'Anna', role: 'agent', departments: [] },
  { login: 'ben', name: 'Ben', role: 'agent', departments: [] },
  { login: 'carl', name: 'Carl', role: 'specialist', departments: [] },
  { login: 'lea', name: 'Lea', role: 'lead', departments: [] },
  { login: 'adam', name: 'Adam', role: 'admin', departments: [] },
  { login: 'dora', name: 'Dora', role: 'department', departments: ['billing'] },
] as const;

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  // A test that ends a client early must not crash the worker with an unhandled error event.
  c.on('error', () => undefined);
  await c.connect();
  clients.push(c);
  return c;
}

const as = (login: string, db = DB) => connect(server.urlFor(login, pw(login), db));

async function expectDenied(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, 'the statement should have been refused').not.toBeNull();
  expect((e as { code?: string }).code).toBe('42501');
  expect((e as Error).message).toMatch(pattern);
  expect(teamError(e).kind).toBe('rights');
}

async function freshDb(name: string): Promise<pg.Client> {
  const su = await connect(server.url);
  await su.query(`CREATE DATABASE ${name}`);
  return connect(server.urlFor('postgres', 'throwaway-superuser', name));
}

// Two billing and one shipping message, each in a conversation of its own.
const BILLING = { key: 'x_mention:1', conv: 'x_mention:c1' };
const BILLING2 = { key: 'x_mention:3', conv: 'x_mention:c3' };
const SHIPPING = { key: 'fb_comment:2', conv: 'fb_comment:p2' };

beforeAll(async () => {
  server = await startPg({ passwordAuth: true });
  const su = await connect(server.url);
  await su.query(`CREATE DATABASE ${DB}`);
  owner = await connect(server.urlFor('postgres', 'throwaway-superuser', DB));
  firstMigration = await migrate(owner);
  for (const m of LOGINS) await addMember(owner, { ...m, departments: [...m.departments], password: pw(m.login) });

  const anna = await as('anna');
  await anna.query(`INSERT INTO webcare.accounts (id, platform, record, department) VALUES
    ('acc-billing', 'x', '{}', 'billing'), ('acc-shipping', 'facebook', '{}', 'shipping')`);
  await anna.query(
    `INSERT INTO webcare.messages (key, account_id, channel, conversation_id, from_us, created_at, data) VALUES
      ($1, 'acc-billing', 'x_mention', 'c1', false, 1, '{"text":"billing secret"}'),
      ($2, 'acc-billing', 'x_mention', 'c3', false, 3, '{"text":"billing other"}'),
      ($3, 'acc-shipping', 'fb_comment', 'p2', false, 2, '{"text":"shipping secret"}')`,
    [BILLING.key, BILLING2.key, SHIPPING.key],
  );
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await server?.stop();
});

describe('migrations', () => {
  test('apply once; a second run applies nothing', async () => {
    expect(firstMigration).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(await migrate(owner)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    const rows = await owner.query('SELECT version, applied_by FROM webcare.schema_version ORDER BY version');
    expect(rows.rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    expect(rows.rows.every((r) => r.applied_by === 'postgres')).toBe(true);
    // A member needs no rights when nothing is pending.
    expect(await migrate(await as('dora'))).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
  });

  test('consoles migrating at once apply each migration exactly once', async () => {
    const first = await freshDb('racing');
    const others = await Promise.all([1, 2, 3].map(() => connect(server.urlFor('postgres', 'throwaway-superuser', 'racing'))));
    const results = await Promise.all([first, ...others].map((c) => migrate(c)));
    expect(results.every((r) => r.to === SCHEMA_VERSION)).toBe(true);
    const rows = await first.query('SELECT version FROM webcare.schema_version ORDER BY version');
    expect(rows.rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  test('a database set up by a newer console: newerSchema, and nothing is changed', async () => {
    const c = await freshDb('newer');
    await migrate(c);
    await c.query("INSERT INTO webcare.schema_version (version, name) VALUES (999, 'from the future')");
    const e = await migrate(c).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TeamDbError);
    expect((e as TeamDbError).kind).toBe('newerSchema');
    expect((e as TeamDbError).detail).toMatch(/999/);
    expect(teamError(e).kind).toBe('newerSchema');
    expect(await schemaVersion(c)).toBe(999);
  });

  test('pending migrations and a login that may not apply them: rights', async () => {
    const c = await freshDb('pending');
    expect(await migrate(c, { to: 1 })).toEqual({ from: 0, to: 1 });
    const e = await migrate(await as('anna', 'pending')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TeamDbError);
    expect((e as TeamDbError).kind).toBe('rights');
    expect(await schemaVersion(c)).toBe(1);

    // An empty database: the same.
    await freshDb('empty');
    const e2 = await migrate(await as('anna', 'empty')).catch((x: unknown) => x);
    expect((e2 as TeamDbError).kind).toBe('rights');
    expect((e2 as TeamDbError).detail).toMatch(/admin connects once/);
  });
});

describe('claims', () => {
  test('50 concurrent claims from 50 connections of 5 logins: exactly one login wins', async () => {
    const staff = ['anna', 'ben', 'carl', 'lea', 'adam'];
    const conns = await Promise.all(Array.from({ length: 50 }, (_, i) => as(staff[i % 5]!)));
    const key = 'x_mention:race';
    const results = await Promise.all(
      conns.map(async (c, i) => ({ login: staff[i % 5]!, row: (await c.query('SELECT * FROM webcare.claim($1, 180000)', [key])).rows[0] })),
    );
    const held = await owner.query('SELECT login FROM webcare.claims WHERE conversation_key = $1', [key]);
    const holder = held.rows[0].login as string;
    const won = results.filter((r) => r.row.won);
    // The holder's other connections renew their own claim (won); every other login's connection lost.
    expect(new Set(won.map((r) => r.login))).toEqual(new Set([holder]));
    expect(won.every((r) => r.row.login === holder)).toBe(true);
    const lost = results.filter((r) => r.login !== holder);
    expect(lost).toHaveLength(40);
    expect(lost.every((r) => r.row.won === false && r.row.login === holder)).toBe(true);
    // The claim was taken once: renewals are not audited, a take is.
    const audit = await owner.query("SELECT login FROM webcare.audit WHERE action = 'claim' AND subject = $1", [key]);
    expect(audit.rows).toEqual([{ login: holder }]);
    await Promise.all(conns.map((c) => c.end()));
  });

  test('the holder renews, others see the holder, an expired claim can be taken, only the holder releases', async () => {
    const anna = await as('anna');
    const ben = await as('ben');
    const key = 'x_mention:lease';
    const a1 = (await anna.query('SELECT * FROM webcare.claim($1, 60000)', [key])).rows[0];
    expect(a1.won).toBe(true);
    const a2 = (await anna.query('SELECT * FROM webcare.claim($1, 120000)', [key])).rows[0];
    expect(a2.won).toBe(true);
    expect(a2.expires_at.getTime()).toBeGreaterThan(a1.expires_at.getTime());
    const b1 = (await ben.query('SELECT * FROM webcare.claim($1, 60000)', [key])).rows[0];
    expect(b1).toMatchObject({ won: false, login: 'anna' });
    expect(b1.expires_at.getTime()).toBe(a2.expires_at.getTime());
    expect((await ben.query('SELECT webcare.release($1) AS r', [key])).rows[0].r).toBe(false);

    // A lease of 1 ms is over by the time ben asks.
    await anna.query('SELECT * FROM webcare.claim($1, 1)', [key]);
    await new Promise((r) => setTimeout(r, 20));
    const b2 = (await ben.query('SELECT * FROM webcare.claim($1, 60000)', [key])).rows[0];
    expect(b2).toMatchObject({ won: true, login: 'ben' });
    const takeover = await owner.query("SELECT login, detail FROM webcare.audit WHERE action = 'claim' AND subject = $1 ORDER BY id DESC LIMIT 1", [key]);
    expect(takeover.rows[0]).toEqual({ login: 'ben', detail: 'after anna' });

    expect((await anna.query('SELECT webcare.release($1) AS r', [key])).rows[0].r).toBe(false);
    expect((await ben.query('SELECT webcare.release($1) AS r', [key])).rows[0].r).toBe(true);
    expect((await owner.query('SELECT count(*)::int AS n FROM webcare.claims WHERE conversation_key = $1', [key])).rows[0].n).toBe(0);
    const release = await owner.query("SELECT login FROM webcare.audit WHERE action = 'release' AND subject = $1", [key]);
    expect(release.rows).toEqual([{ login: 'ben' }]);
  });

  test('a claim cannot be made in another login\'s name', async () => {
    const anna = await as('anna');
    const key = 'x_mention:forged';
    await anna.query("INSERT INTO webcare.claims (conversation_key, login, expires_at) VALUES ($1, 'ben', now() + interval '1 minute')", [key]);
    const row = await owner.query('SELECT login FROM webcare.claims WHERE conversation_key = $1', [key]);
    expect(row.rows[0].login).toBe('anna');
  });
});

describe('a department-only login', () => {
  test('cannot read another department\'s messages, claims, outbox rows or marks, nor any token, cursor or journal', async () => {
    const anna = await as('anna');
    await anna.query('SELECT * FROM webcare.claim($1, 60000)', [SHIPPING.conv]);
    await anna.query('SELECT * FROM webcare.claim($1, 60000)', [BILLING.conv]);
    for (const [conv, id] of [[SHIPPING.conv, '2'], [BILLING.conv, '1']] as const) {
      await anna.query('INSERT INTO webcare.outbox (client_id, account_id, conversation_key, input) VALUES ($1, $2, $3, $4)', [
        randomUUID(),
        conv === SHIPPING.conv ? 'acc-shipping' : 'acc-billing',
        conv,
        { channel: conv.split(':')[0], inReplyToId: id, text: 'on it' },
      ]);
    }
    await anna.query('SELECT * FROM webcare.apply_mark($1, $2, $3, NULL, false, NULL, false, NULL, NULL, $4)', [randomUUID(), SHIPPING.key, 'done', Date.now()]);
    await anna.query("INSERT INTO webcare.tokens (account_id, sealed) VALUES ('acc-shipping', 'c2VhbGVk'), ('acc-billing', 'c2VhbGVk')");
    await anna.query("INSERT INTO webcare.cursors (stream_id, account_id, cursor) VALUES ('s1', 'acc-billing', 'c')");
    await anna.query("INSERT INTO webcare.journal (client_id, account_id, entry) VALUES ('j1', 'acc-billing', '{}')");
    // The fixture is there: the owner sees it all.
    expect((await owner.query('SELECT count(*)::int AS n FROM webcare.claims WHERE department = $1', ['shipping'])).rows[0].n).toBe(1);
    expect((await owner.query("SELECT count(*)::int AS n FROM webcare.outbox WHERE department = 'shipping'")).rows[0].n).toBe(1);

    const dora = await as('dora');
    const msgs = await dora.query('SELECT key, department FROM webcare.messages ORDER BY key');
    expect(msgs.rows.map((r) => r.key).sort()).toEqual([BILLING.key, BILLING2.key].sort());
    expect((await dora.query('SELECT * FROM webcare.messages WHERE key = $1', [SHIPPING.key])).rowCount).toBe(0);
    expect((await dora.query("SELECT * FROM webcare.messages WHERE data::text LIKE '%shipping%'")).rowCount).toBe(0);
    const claims = await dora.query('SELECT conversation_key FROM webcare.claims');
    expect(claims.rows.map((r) => r.conversation_key)).not.toContain(SHIPPING.conv);
    expect(claims.rows.map((r) => r.conversation_key)).toContain(BILLING.conv);
    const outbox = await dora.query('SELECT conversation_key, department FROM webcare.outbox');
    expect(outbox.rows.length).toBeGreaterThan(0);
    expect(outbox.rows.every((r) => r.department === 'billing')).toBe(true);
    expect((await dora.query('SELECT * FROM webcare.marks WHERE key = $1', [SHIPPING.key])).rowCount).toBe(0);

    for (const table of ['tokens', 'cursors', 'journal', 'stream_status', 'team_key', 'audit']) {
      await expectDenied(dora.query(`SELECT * FROM webcare.${table}`), new RegExp(`permission denied for table ${table}`));
    }
    await expectDenied(dora.query("UPDATE webcare.messages SET data = '{}'"), /permission denied/);
    await expectDenied(dora.query('SET ROLE webcare_agent'), /permission denied to set role/);
    // The one console that may see a token: not this one, whichever way it asks.
    await expectDenied(dora.query("SELECT sealed FROM webcare.tokens WHERE account_id = 'acc-billing'"), /permission denied/);
  });

  test('reads and answers its own department, and cannot claim, mark or answer another\'s (WITH CHECK)', async () => {
    const dora = await as('dora');
    const mine = (await dora.query('SELECT data FROM webcare.messages WHERE key = $1', [BILLING.key])).rows[0];
    expect(mine.data).toEqual({ text: 'billing secret' });

    const ok = randomUUID();
    await dora.query('INSERT INTO webcare.outbox (client_id, account_id, conversation_key, input) VALUES ($1, $2, $3, $4)', [
      ok, 'acc-billing', BILLING2.conv, { channel: 'x_mention', inReplyToId: '3', text: 'we will refund you' },
    ]);
    const row = (await dora.query('SELECT department, author FROM webcare.outbox WHERE client_id = $1', [ok])).rows[0];
    expect(row).toEqual({ department: 'billing', author: 'dora' });

    // Claiming the department of the row as its own changes nothing: the database derives it.
    await expectDenied(
      dora.query("INSERT INTO webcare.outbox (client_id, account_id, conversation_key, department, input) VALUES ($1, 'acc-shipping', $2, 'billing', $3)", [
        randomUUID(), SHIPPING.conv, { channel: 'fb_comment', inReplyToId: '2', text: 'sneaky' },
      ]),
      /row-level security/,
    );
    await expectDenied(dora.query('SELECT * FROM webcare.claim($1, 60000)', [SHIPPING.conv]), /row-level security/);
    await expectDenied(
      dora.query('SELECT * FROM webcare.apply_mark($1, $2, $3, NULL, false, NULL, false, NULL, NULL, $4)', [randomUUID(), SHIPPING.key, 'done', Date.now()]),
      /row-level security/,
    );
    expect((await owner.query("SELECT count(*)::int AS n FROM webcare.outbox WHERE input->>'text' = 'sneaky'")).rows[0].n).toBe(0);

    const claim = (await dora.query('SELECT * FROM webcare.claim($1, 60000)', [BILLING2.conv])).rows[0];
    expect(claim).toMatchObject({ won: true, login: 'dora' });
    const mark = (await dora.query('SELECT * FROM webcare.apply_mark($1, $2, $3, $4, false, NULL, false, NULL, 0, $5)', [randomUUID(), BILLING2.key, 'done', 'refund', Date.now()])).rows[0];
    expect(mark).toMatchObject({ applied: true, status: 'done', tag: 'refund', by_login: 'dora' });
    expect((await dora.query('SELECT webcare.my_role() AS r, webcare.my_departments() AS d')).rows[0]).toEqual({ r: 'department', d: ['billing'] });
  });
});

describe('outbox, by its author', () => {
  test('withdraws only its own queued reply, and requeues only its own failed one', async () => {
    const dora = await as('dora');
    const anna = await as('anna');
    const insert = async (c: pg.Client) => {
      const id = randomUUID();
      await c.query('INSERT INTO webcare.outbox (client_id, account_id, conversation_key, input) VALUES ($1, $2, $3, $4)', [
        id, 'acc-billing', BILLING.conv, { channel: 'x_mention', inReplyToId: '1', text: 'hello' },
      ]);
      return id;
    };
    const call = async (c: pg.Client, fn: string, id: string) => (await c.query(`SELECT webcare.${fn}($1) AS r`, [id])).rows[0].r as boolean;
    const state = async (id: string) => (await owner.query('SELECT state, result FROM webcare.outbox WHERE client_id = $1', [id])).rows[0];

    const annas = await insert(anna);
    expect(await call(dora, 'outbox_withdraw', annas)).toBe(false);
    expect((await state(annas)).state).toBe('queued');

    const doras = await insert(dora);
    expect(await call(dora, 'outbox_withdraw', doras)).toBe(true);
    expect(await state(doras)).toEqual({ state: 'done', result: { ok: false, error: { kind: 'offline' } } });
    expect(await call(anna, 'outbox_requeue', doras)).toBe(false);
    expect(await call(dora, 'outbox_requeue', doras)).toBe(true);
    expect(await state(doras)).toEqual({ state: 'queued', result: null });

    // Being sent: it may be on the platform already, so it cannot be withdrawn.
    await anna.query("UPDATE webcare.outbox SET state = 'sending' WHERE client_id = $1", [doras]);
    expect(await call(dora, 'outbox_withdraw', doras)).toBe(false);
    // A reply that went out is never queued again.
    await anna.query("UPDATE webcare.outbox SET state = 'done', result = '{\"ok\":true}' WHERE client_id = $1", [doras]);
    expect(await call(dora, 'outbox_requeue', doras)).toBe(false);
    // And the department login still has no UPDATE of its own.
    await expectDenied(dora.query("UPDATE webcare.outbox SET state = 'queued' WHERE client_id = $1", [doras]), /permission denied/);
  });
});

describe('audit', () => {
  test('rows carry the acting login; nobody writes, changes or deletes them, not even the owner', async () => {
    const ben = await as('ben');
    const lea = await as('lea');
    const key = 'x_mention:audited';
    await ben.query('SELECT * FROM webcare.apply_mark($1, $2, $3, NULL, false, $4, false, NULL, NULL, $5)', [randomUUID(), key, 'done', 'Ben', Date.now()]);
    const clientId = randomUUID();
    await ben.query('INSERT INTO webcare.outbox (client_id, account_id, conversation_key, input) VALUES ($1, $2, $3, $4)', [
      clientId, 'acc-billing', BILLING.conv, { channel: 'x_mention', inReplyToId: '1', text: 'thanks' },
    ]);
    await lea.query("UPDATE webcare.outbox SET state = 'done', result = '{\"ok\":true}' WHERE client_id = $1", [clientId]);
    await ben.query("UPDATE webcare.tokens SET sealed = 'bmV3c2VhbGVk', version = version + 1 WHERE account_id = 'acc-billing'");

    const rows = (await lea.query('SELECT login, action, subject, detail FROM webcare.audit ORDER BY id')).rows;
    expect(rows).toContainEqual(expect.objectContaining({ login: 'ben', action: 'mark', subject: key }));
    expect(rows).toContainEqual(expect.objectContaining({ login: 'ben', action: 'reply.queued', subject: BILLING.conv }));
    expect(rows).toContainEqual(expect.objectContaining({ login: 'lea', action: 'reply.sent', subject: BILLING.conv }));
    expect(rows).toContainEqual(expect.objectContaining({ login: 'ben', action: 'token.refresh', subject: 'acc-billing', detail: 'version 2' }));
    expect(rows).toContainEqual(expect.objectContaining({ login: 'postgres', action: 'member.add', subject: 'dora' }));
    expect(rows).toContainEqual(expect.objectContaining({ login: 'anna', action: 'account.add', subject: 'acc-billing' }));
    // No sealed token ever reaches the audit.
    expect(JSON.stringify(rows)).not.toMatch(/c2VhbGVk|bmV3c2VhbGVk/);

    await expectDenied(ben.query("INSERT INTO webcare.audit (login, action) VALUES ('lea', 'forged')"), /permission denied/);
    await expectDenied(lea.query("UPDATE webcare.audit SET login = 'ben'"), /permission denied/);
    await expectDenied(lea.query('DELETE FROM webcare.audit'), /permission denied/);
    await expectDenied(owner.query("UPDATE webcare.audit SET detail = 'rewritten'"), /append-only/);
    await expectDenied(owner.query('DELETE FROM webcare.audit'), /append-only/);
    await expectDenied(owner.query('TRUNCATE webcare.audit'), /append-only/);
    const after = (await owner.query('SELECT count(*)::int AS n FROM webcare.audit')).rows[0].n;
    expect(after).toBeGreaterThanOrEqual(rows.length);
  });
});

describe('apply_mark', () => {
  const mark = (c: pg.Client, action: string, key: string, status: string | null, base: number | null, at: number) =>
    c.query('SELECT * FROM webcare.apply_mark($1, $2, $3, NULL, false, NULL, false, NULL, $4, $5)', [action, key, status, base, at]).then((r) => r.rows[0]);

  test('two marks from the same base: the first applies, the second gets the winner\'s mark back', async () => {
    const anna = await as('anna');
    const ben = await as('ben');
    const key = 'x_mention:m1';
    const base = (await mark(anna, randomUUID(), key, 'open', 0, 1000)).at as string;
    expect(Number(base)).toBe(1000);

    // Anna's transaction holds the row while Ben's mark waits for it.
    await anna.query('BEGIN');
    const a = await mark(anna, randomUUID(), key, 'done', Number(base), 2000);
    const bPromise = mark(ben, randomUUID(), key, 'archived', Number(base), 2001);
    await new Promise((r) => setTimeout(r, 100));
    await anna.query('COMMIT');
    const b = await bPromise;
    expect(a).toMatchObject({ applied: true, status: 'done', by_login: 'anna' });
    expect(b).toMatchObject({ applied: false, status: 'done', by_login: 'anna', at: a.at });
  });

  test('ten concurrent marks from one base, and ten concurrent first marks: exactly one applies each time', async () => {
    const staff = ['anna', 'ben', 'carl', 'lea', 'adam'];
    const conns = await Promise.all(Array.from({ length: 10 }, (_, i) => as(staff[i % 5]!)));
    for (const [key, base] of [['x_mention:m2', 0], ['x_mention:m3', 5000]] as const) {
      if (base) await mark(conns[0]!, randomUUID(), key, 'open', 0, base);
      const results = await Promise.all(conns.map((c, i) => mark(c, randomUUID(), key, i % 2 ? 'done' : 'archived', base, 9000 + i)));
      const applied = results.filter((r) => r.applied);
      expect(applied).toHaveLength(1);
      const winner = applied[0];
      for (const r of results.filter((x) => !x.applied)) {
        expect(r).toMatchObject({ status: winner.status, at: winner.at, by_login: winner.by_login });
      }
    }
    await Promise.all(conns.map((c) => c.end()));
  });

  test('a replayed action is idempotent, even after a colleague changed the mark again', async () => {
    const anna = await as('anna');
    const ben = await as('ben');
    const key = 'x_mention:m4';
    const action = randomUUID();
    const first = await mark(anna, action, key, 'done', 0, 1000);
    expect(first).toMatchObject({ applied: true, status: 'done' });
    const replay = await mark(anna, action, key, 'done', 0, 1000);
    expect(replay).toMatchObject({ applied: true, status: 'done', at: first.at });

    // Ben's mark from an older clock still moves the version forward.
    const b = await mark(ben, randomUUID(), key, 'archived', Number(first.at), 10);
    expect(b).toMatchObject({ applied: true, status: 'archived', at: String(Number(first.at) + 1) });
    const again = await mark(anna, action, key, 'done', 0, 1000);
    expect(again).toMatchObject({ applied: true, status: 'archived', by_login: 'ben' });
    // No base: the last writer wins, and it is recorded.
    const last = await mark(anna, randomUUID(), key, 'open', null, 20_000);
    expect(last).toMatchObject({ applied: true, status: 'open', by_login: 'anna', at: '20000' });
    const audit = await owner.query("SELECT count(*)::int AS n FROM webcare.audit WHERE action = 'mark' AND subject = $1", [key]);
    expect(audit.rows[0].n).toBe(3);
  });
});

describe('apply_mark_v2: an agent\'s reading of sentiment', () => {
  const v2 = (c: pg.Client, key: string, over: { status?: string; sentiment?: string | null; base?: number | null; at: number }) =>
    c
      .query('SELECT * FROM webcare.apply_mark_v2($1, $2, $3, NULL, false, NULL, false, NULL, $4, $5, $6, $7)', [
        randomUUID(),
        key,
        over.status ?? null,
        over.sentiment ?? null,
        over.sentiment === null,
        over.base ?? null,
        over.at,
      ])
      .then((r) => r.rows[0]);

  test('set, kept by a status change through the old apply_mark, cleared with null, audited, and refused when not one of three', async () => {
    const anna = await as('anna');
    const key = 'x_mention:s1';
    expect(await v2(anna, key, { sentiment: 'negative', at: 1000 })).toMatchObject({ applied: true, status: 'open', sentiment: 'negative' });
    // Routing and assignment still call the ten-argument apply_mark: it leaves the reading alone.
    await anna.query('SELECT * FROM webcare.apply_mark($1, $2, $3, NULL, false, NULL, false, NULL, NULL, $4)', [randomUUID(), key, 'done', 2000]);
    expect((await owner.query('SELECT status, sentiment FROM webcare.marks WHERE key = $1', [key])).rows[0]).toEqual({ status: 'done', sentiment: 'negative' });
    expect(await v2(anna, key, { sentiment: null, at: 3000 })).toMatchObject({ applied: true, status: 'done', sentiment: null });
    const audit = await owner.query("SELECT detail FROM webcare.audit WHERE action = 'mark' AND subject = $1 ORDER BY id", [key]);
    expect(audit.rows[0].detail).toContain('sentiment=negative');
    expect(audit.rows.at(-1).detail).not.toContain('sentiment=');
    const refused = await v2(anna, key, { sentiment: 'furious', at: 4000 }).then(
      () => null,
      (e: unknown) => e as { code?: string },
    );
    expect(refused?.code).toBe('23514');
  });
});

describe('notifications', () => {
  test('a message, a claim, a mark and a reply each notify at commit, with no text', async () => {
    const listener = await as('lea');
    const got: string[] = [];
    listener.on('notification', (n) => {
      if (n.channel === 'webcare' && n.payload) got.push(n.payload);
    });
    await listener.query('LISTEN webcare');
    const waitFor = async (payload: string) => {
      const deadline = Date.now() + 3000;
      while (!got.includes(payload) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(got).toContain(payload);
    };

    const anna = await as('anna');
    await anna.query('BEGIN');
    await anna.query(
      "INSERT INTO webcare.messages (key, account_id, channel, conversation_id, from_us, created_at, data) VALUES ('x_mention:n1', 'acc-billing', 'x_mention', 'cn', false, 5, '{\"text\":\"a very private complaint\"}')",
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(got, 'nothing is delivered before COMMIT').toEqual([]);
    await anna.query('COMMIT');
    await waitFor('{"t":"msg"}');

    await anna.query('SELECT * FROM webcare.claim($1, 60000)', ['x_mention:cn']);
    await waitFor('{"t":"claim"}');
    await anna.query('SELECT * FROM webcare.apply_mark($1, $2, $3, NULL, false, NULL, false, NULL, NULL, $4)', [randomUUID(), 'x_mention:n1', 'done', Date.now()]);
    await waitFor('{"t":"mark"}');
    await anna.query('INSERT INTO webcare.outbox (client_id, account_id, conversation_key, input) VALUES ($1, $2, $3, $4)', [
      randomUUID(), 'acc-billing', 'x_mention:cn', { channel: 'x_mention', inReplyToId: 'n1', text: 'a very private answer' },
    ]);
    await waitFor('{"t":"outbox","a":"acc-billing"}');
    for (const p of got) {
      expect(p).not.toMatch(/private/);
      expect(Object.keys(JSON.parse(p) as object).every((k) => k === 't' || k === 'a')).toBe(true);
    }
  });
});
