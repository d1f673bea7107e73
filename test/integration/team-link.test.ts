import { afterAll, afterEach, expect, it } from 'vitest';
import type { Channel } from '../../shared/model';
import type { HostCore } from '../../electron/host/hostCore';
import { FakeRenderer, until, world, type World } from './harness';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FAST_TEAM, isPoll, PASSWORD, storedMessages, TEAM_KEY, tcpRelay, teamConsole, stopTeamCluster, teamDbFixture, viaRelay, type SandboxRelay, type TeamDbFixture } from './teamSupport';
import { freePort } from '../support/pgServer';

/**
 * Team mode with two consoles on one database and one sandbox: one console
 * polls each account (the holder of its advisory lock), every console's store
 * gets every message (copied from the database, not polled again), and the
 * database holds each message once.
 */
let w: World | null = null;
let db: TeamDbFixture | null = null;
const relays: SandboxRelay[] = [];

afterAll(stopTeamCluster);
afterEach(async () => {
  await w?.close();
  for (const r of relays.splice(0)) await r.close();
  await db?.stop();
  w = null;
  db = null;
});

const console_ = (login: string, renderer: FakeRenderer, extra: Parameters<typeof teamConsole>[4] = {}) => {
  if (!w || !db) throw new Error('no world');
  return teamConsole(w, db.url(login), renderer, relays, extra);
};

it('two consoles, one database, one sandbox: one console polls each account, both stores get every message, each stored once', async () => {
  db = await teamDbFixture();
  await db.addMember('anna', 'Anna');
  await db.addMember('bert', 'Bert');
  await db.setKey();
  w = await world({ historyPerChannel: 2, seed: 7, limits: { scale: 100 } });
  const ra = new FakeRenderer();
  const rb = new FakeRenderer();

  // The first console finds a team without accounts: it connects the sandbox's, and polls them.
  const a = await console_('anna', ra);
  await until(() => a.core.status().team?.leading.length === 2, () => `anna's console to poll both accounts (${JSON.stringify(a.core.status().team)})`);
  const b = await console_('bert', rb);
  const ids = (c: HostCore) => c.status().accounts.map((x) => x.id).sort();
  expect(ids(b.core)).toEqual(ids(a.core));
  expect((await db.admin.query<{ n: number }>('SELECT count(*)::int AS n FROM webcare.accounts')).rows[0]?.n).toBe(2);
  // No second copy, not even a second sign-in.
  expect(b.relay.seen.filter((s) => s.path.includes('oauth2') || s.path.startsWith('/__sandbox/facebook'))).toEqual([]);
  await until(() => Object.keys(b.core.status().team?.pollers ?? {}).length === 2, "bert's console to learn who polls");
  expect(b.core.status().team?.pollers).toEqual(Object.fromEntries(ids(a.core).map((id) => [id, 'anna'])));
  expect(b.core.status().team?.leading).toEqual([]);
  expect(b.core.status().team?.me).toMatchObject({ login: 'bert', name: 'Bert', role: 'agent' });

  const channels: Channel[] = ['x_mention', 'x_dm', 'fb_comment', 'fb_message'];
  const injected: string[] = [];
  for (const [i, channel] of channels.entries()) {
    const r = (await w.api('/__sandbox/inject', { channel, text: `Team bericht ${i} over pakket 3SPLD00${i}` })) as { id: string };
    injected.push(`${channel}:${r.id}`);
  }
  const both = () => injected.every((k) => ra.stored.has(k) && rb.stored.has(k));
  await until(both, () => `every injected message in both stores (anna lacks ${injected.filter((k) => !ra.stored.has(k))}, bert lacks ${injected.filter((k) => !rb.stored.has(k))}; ${JSON.stringify(a.core.status().streams.map((s) => [s.id, s.lastError, s.delivered]))})`, 15_000);

  // The sandbox was polled by anna's console only, for both platforms.
  expect(b.relay.polls()).toEqual([]);
  const polled = new Set(a.relay.polls().map((s) => s.path.split('/')[1]));
  expect(polled).toEqual(new Set(['x', 'graph']));
  expect(a.relay.seen.filter((s) => isPoll(s.method, s.path)).length).toBeGreaterThan(4);

  // Each message once in the database; both stores hold exactly what the team holds.
  const { keys, perPlatformId } = await storedMessages(db.admin);
  for (const k of injected) expect(keys.has(k)).toBe(true);
  expect([...perPlatformId.values()].every((n) => n === 1)).toBe(true);
  await until(() => ra.stored.size === keys.size && rb.stored.size === keys.size, () => `both stores to hold all ${keys.size} (anna ${ra.stored.size}, bert ${rb.stored.size})`);
  expect(new Set(rb.stored.keys())).toEqual(keys);
  // Bert's store got them from the database: its streams list is anna's, as she published it.
  await until(() => b.core.status().streams.length === a.core.status().streams.length, "anna's stream statuses on bert's console");
  expect(b.core.status().streams.every((s) => a.core.status().streams.some((t) => t.id === s.id))).toBe(true);

  // Bert answers: the reply goes through the team's outbox and anna's console (which polls X) posts it.
  const mention = rb.stored.get(injected[0] ?? '');
  if (!mention) throw new Error('no mention');
  const sent = await b.core.dispatch('sendReply', {
    clientId: randomUUID(),
    accountId: mention.accountId,
    channel: 'x_mention',
    conversationId: mention.conversationId,
    inReplyToId: mention.platformId,
    text: 'Dank je, we zoeken het uit!',
  });
  expect(sent).toMatchObject({ ok: true, value: { fromUs: true, by: 'Bert' } });
  expect(a.relay.seen.filter((s) => s.method === 'POST' && s.path === '/x/2/tweets')).toHaveLength(1);
  expect(b.relay.seen.filter((s) => s.method === 'POST')).toEqual([]);
  const replyKey = sent.ok ? (sent.value as { key: string }).key : '';
  await until(() => ra.stored.get(replyKey)?.by === 'Bert' && rb.stored.get(replyKey)?.by === 'Bert', 'the reply, with its author, in both stores');

  // A new local store (a new browser profile) gets the team's history from the database, not from X or Graph.
  const pollsBefore = a.relay.polls().length;
  const fresh = new FakeRenderer();
  fresh.attach(b.core);
  expect(await b.core.dispatch('hello', { storeId: randomUUID() })).toMatchObject({ ok: true });
  expect(await b.core.dispatch('hello', { storeId: randomUUID() })).toMatchObject({ ok: true, value: { backfill: true } });
  const now = await storedMessages(db.admin);
  await until(() => fresh.stored.size === now.keys.size, () => `the new store to get all ${now.keys.size} (${fresh.stored.size})`);
  expect(new Set(fresh.stored.keys())).toEqual(now.keys);
  // Anna's console went on polling as before (from its cursors): no history was read again for bert's new store.
  const cursors = await db.admin.query<{ cursor: string | null }>("SELECT cursor FROM webcare.cursors WHERE stream_id LIKE '%/mentions'");
  expect(cursors.rows[0]?.cursor).toBeTruthy();
  expect(a.relay.polls().slice(pollsBefore).filter((s) => s.path.endsWith('/mentions') && !s.query.includes('since_id'))).toEqual([]);
}, 45_000);

it('a wrong team key: said so, nothing polled or sent from that console, the team still copied into its store', async () => {
  db = await teamDbFixture();
  await db.addMember('anna', 'Anna');
  await db.addMember('carl', 'Carl');
  await db.setKey();
  w = await world({ historyPerChannel: 1, seed: 8, limits: { scale: 100 } });
  const a = await console_('anna', new FakeRenderer());
  await until(() => a.core.status().team?.leading.length === 2, 'anna polls both accounts');
  const rc = new FakeRenderer();
  const c = await console_('carl', rc, { key: 'not the team key at all' });
  const team = c.core.status().team;
  expect(team).toMatchObject({ state: 'online', keyNeeded: true, leading: [], error: { kind: 'key' } });
  const m = (await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Gezien door iedereen?' })) as { id: string };
  await until(() => rc.stored.has(`x_mention:${m.id}`), "the mention in carl's store", 10_000);
  expect(c.core.status().accounts.map((x) => x.state)).toEqual(['connected', 'connected']);
  expect(c.core.status().team?.leading).toEqual([]);
  expect(c.relay.polls()).toEqual([]);
  // Nothing of the key or the password in what the renderer sees.
  const shown = JSON.stringify(c.core.status());
  expect(shown).not.toContain('throwaway-password');
  expect(shown).not.toContain('not the team key');
}, 30_000);

it('the database out of reach at start: offline, the console works from its own store, and catches up once it is back', async () => {
  db = await teamDbFixture();
  await db.addMember('anna', 'Anna');
  await db.addMember('bert', 'Bert');
  await db.setKey();
  w = await world({ historyPerChannel: 1, seed: 12, limits: { scale: 100 } });
  const relay = await tcpRelay(db.server.port);
  try {
    const a = await console_('anna', new FakeRenderer());
    await until(() => a.core.status().team?.leading.length === 2, 'anna polls both accounts');
    // Bert's console has been in the team before (its data folder knows the accounts)...
    const url = viaRelay(db.url('bert'), relay);
    const first = await console_('bert', new FakeRenderer(), { key: undefined, config: { teamDb: url } });
    await until(() => first.core.status().accounts.length === 2, "bert's console to know the accounts");
    await first.core.stop();
    // ...and starts while the database cannot be reached.
    relay.cut();
    const rb = new FakeRenderer();
    const startedAt = Date.now();
    const b = await w.restart(first.core, { renderer: rb });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    const team = b.status().team;
    expect(team).toMatchObject({ state: 'offline', error: { kind: 'unreachable' }, leading: [] });
    expect(b.status().accounts.map((x) => [x.id, x.state]).sort()).toEqual(a.core.status().accounts.map((x) => [x.id, 'connected']).sort());
    // A reply waits in the renderer's outbox: "offline" keeps it queued there, nothing is lost.
    const target = [...a.core.status().accounts].find((x) => x.platform === 'x');
    const reply = {
      clientId: '4f1c1a52-9f43-4a36-9d52-2c1a8f0e7a11',
      accountId: target?.id ?? '',
      channel: 'x_mention' as const,
      conversationId: '1',
      inReplyToId: '1',
      text: 'We kijken ernaar!',
    };
    expect(await b.dispatch('sendReply', reply)).toEqual({ ok: false, error: { kind: 'offline' } });
    expect((await b.dispatch('getStatus', {})).ok).toBe(true);

    // Meanwhile the team goes on; once the database is back, bert's console catches up by itself.
    const m = (await w.api('/__sandbox/inject', { channel: 'fb_comment', text: 'Terwijl bert offline was' })) as { id: string };
    relay.mend();
    await until(() => b.status().team?.state === 'online', "bert's console back online", 10_000);
    await until(() => rb.stored.has(`fb_comment:${m.id}`), "the comment in bert's store", 10_000);
    expect(relay.cuts).toBe(1);
  } finally {
    await w.close();
    w = null;
    await relay.close();
  }
}, 40_000);

it('setTeam tries the URL and key before keeping them, keeps the password out of settings and status, and leaving makes the console solo again', async () => {
  db = await teamDbFixture();
  await db.addMember('dora', 'Dora', 'admin');
  w = await world({ historyPerChannel: 1, seed: 3 });
  const dir = await w.tempDir();
  const core = await w.core({ attachSandbox: false, dataDir: dir, teamTiming: FAST_TEAM, renderer: new FakeRenderer() });
  expect(core.status().team).toBeUndefined();
  expect(await core.dispatch('claim', { conversationKey: 'x_mention:1' })).toEqual({ ok: false, error: { kind: 'notConfigured' } });

  expect(await core.dispatch('setTeam', { url: 'http://example.com/db' })).toMatchObject({ ok: false, error: { kind: 'team', team: 'badUrl' } });
  expect(await core.dispatch('setTeam', { url: db.url('nobody') })).toMatchObject({ ok: false, error: { kind: 'team', team: 'auth' } });
  expect(await core.dispatch('setTeam', { url: `postgres://dora:x@127.0.0.1:${await closedPort()}/postgres` })).toMatchObject({ ok: false, error: { kind: 'team', team: 'unreachable' } });
  // The browser host keeps secrets only with consent.
  expect(await core.dispatch('setTeam', { url: db.url('dora'), key: TEAM_KEY })).toEqual({ ok: false, error: { kind: 'consentNeeded' } });
  await core.dispatch('setPlaintextConsent', { allowed: true });
  // The first admin's key becomes the team key; a different one is then refused.
  expect(await core.dispatch('setTeam', { url: db.url('dora'), key: TEAM_KEY })).toEqual({ ok: true, value: {} });
  expect(await core.dispatch('setTeam', { url: db.url('dora'), key: 'another key entirely' })).toMatchObject({ ok: false, error: { kind: 'team', team: 'key' } });
  // The key alone (the settings screen never has the password): the URL kept in the vault is used.
  expect(await core.dispatch('setTeam', { key: 'another key entirely' })).toMatchObject({ ok: false, error: { kind: 'team', team: 'key' } });
  expect(await core.dispatch('setTeam', {})).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
  expect(await core.dispatch('setTeam', { key: TEAM_KEY })).toEqual({ ok: true, value: {} });
  const team = core.status().team;
  expect(team).toMatchObject({ state: 'online', keyNeeded: false, me: { login: 'dora', role: 'admin' } });
  expect(team?.url).toBe(db.url('dora').replace(/:[^:@/]+@/, '@'));
  // The URL (with its password) is in the vault only; settings.json says no more than "team mode".
  const settings = await readFile(path.join(dir, 'settings.json'), 'utf8');
  expect(settings).not.toContain('dora');
  expect(JSON.parse(settings)).toMatchObject({ team: true });
  expect(JSON.stringify(core.status())).not.toContain(PASSWORD);

  expect(await core.dispatch('setTeam', { url: null })).toEqual({ ok: true, value: {} });
  expect(core.status().team).toBeUndefined();
  // Solo: a key alone has no team to go with.
  expect(await core.dispatch('setTeam', { key: TEAM_KEY })).toEqual({ ok: false, error: { kind: 'notConfigured' } });
}, 30_000);

it('solo: no team setting, no team in the status, team commands say so', async () => {
  w = await world({ historyPerChannel: 1, seed: 2 });
  const r = new FakeRenderer();
  const core = await w.core({ renderer: r });
  await until(() => r.stored.size > 0, 'solo polling as always');
  expect(core.status().team).toBeUndefined();
  for (const [name, input] of [
    ['mark', { id: '6f1c1a52-9f43-4a36-9d52-2c1a8f0e7a11', keys: ['x_mention:1'], patch: { status: 'done' }, at: Date.now() }],
    ['setPresence', { presence: 'away' }],
    ['dismissLostRaces', { ids: [] }],
    ['auditSearch', {}],
  ] as const) {
    expect(await core.dispatch(name, input)).toEqual({ ok: false, error: { kind: 'notConfigured' } });
  }
});

const closedPort = freePort;
