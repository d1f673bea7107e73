import { afterAll, afterEach, expect, it } from 'vitest';
import type { Channel } from '../../shared/model';
import type { HostCore } from '../../electron/host/hostCore';
import { FakeRenderer, until, world, type World } from './harness';
import { isPoll, storedMessages, tcpRelay, teamConsole, stopTeamCluster, teamDbFixture, viaRelay, type SandboxRelay, type TcpRelay, type TeamDbFixture } from './teamSupport';

/**
 * The console that polls disappears mid-poll, as the database sees a crash or
 * a pulled cable: every one of its connections gone at once, no goodbye, no
 * lock given back. Its session ends, and with it the advisory locks; the other
 * console takes them at its next try and polls on from the stored cursors.
 * Nothing is lost, nothing is stored twice, and the console that lost the
 * database stops polling (it could not store what it read).
 */
let w: World | null = null;
let db: TeamDbFixture | null = null;
let pgRelay: TcpRelay | null = null;
const relays: SandboxRelay[] = [];

afterAll(stopTeamCluster);
afterEach(async () => {
  await w?.close();
  for (const r of relays.splice(0)) await r.close();
  await pgRelay?.close();
  await db?.stop();
  w = null;
  db = null;
  pgRelay = null;
});

const channels: Channel[] = ['x_mention', 'x_dm', 'fb_comment', 'fb_message'];

async function inject(tag: string): Promise<string[]> {
  const keys: string[] = [];
  for (const [i, channel] of channels.entries()) {
    const r = (await w?.api('/__sandbox/inject', { channel, text: `${tag} ${i}: waar blijft pakket 3SPLD${i}${tag.length}?` })) as { id: string };
    keys.push(`${channel}:${r.id}`);
  }
  return keys;
}

it('the polling console vanishes mid-poll: the other polls within 15 s from the stored cursors; nothing lost or doubled', async () => {
  db = await teamDbFixture();
  await db.addMember('anna', 'Anna');
  await db.addMember('bert', 'Bert');
  await db.setKey();
  w = await world({ historyPerChannel: 2, seed: 9, limits: { scale: 100 } });
  pgRelay = await tcpRelay(db.server.port);
  const ra = new FakeRenderer();
  const rb = new FakeRenderer();
  const a = await teamConsole(w, viaRelay(db.url('anna'), pgRelay), ra, relays, { label: 'anna' });
  await until(() => a.core.status().team?.leading.length === 2, 'anna polls both accounts');
  const b = await teamConsole(w, db.url('bert'), rb, relays);
  const ids = a.core.status().team?.leading ?? [];

  const before = await inject('Voor');
  const stored = (r: FakeRenderer, keys: string[]) => keys.every((k) => r.stored.has(k));
  await until(() => stored(ra, before) && stored(rb, before), 'the first messages in both stores', 15_000);
  const cursorsBefore = await db.admin.query<{ stream_id: string; cursor: string }>('SELECT stream_id, cursor FROM webcare.cursors');
  expect(cursorsBefore.rows.length).toBeGreaterThanOrEqual(5);

  // Anna's console is in the middle of a poll...
  a.relay.hold(isPoll);
  await until(() => a.relay.held > 0, 'a poll of anna under way');
  const during = await inject('Tijdens');
  // ...when every one of its database connections vanishes.
  const cutAt = Date.now();
  pgRelay.cut();
  expect(pgRelay.cuts).toBe(1);

  await until(() => b.core.status().team?.leading.length === 2, () => `bert to poll both accounts (${JSON.stringify(b.core.status().team?.leading)})`, 15_000);
  const tookOver = Date.now() - cutAt;
  expect(tookOver).toBeLessThan(15_000);
  // The fault fired as meant: anna's console lost the database and stopped polling at once.
  await until(() => a.core.status().team?.state === 'offline' && a.core.status().team?.leading.length === 0, "anna's console to see the database gone");
  const noticedAt = Date.now();
  expect(a.core.status().streams).toEqual([]);
  // Its poll that was under way finishes now, and may store nothing; it starts no other.
  const releasedAt = Date.now();
  a.relay.release();
  const after = await inject('Na');
  const all = [...before, ...during, ...after];
  await until(() => stored(rb, all), () => `bert's store to hold all (${all.filter((k) => !rb.stored.has(k))} missing)`, 15_000);
  // (A stream whose turn came in the instant between the cut and its console noticing may have
  // asked once more; what it read could not be stored, as the counts below show.)
  expect(a.relay.polls(noticedAt)).toEqual([]);
  expect(a.relay.polls(releasedAt)).toEqual([]);
  expect(b.relay.polls(cutAt).length).toBeGreaterThan(0);

  // Bert went on from where anna's cursors stood: the mention stream's first poll asked only for what is newer.
  const firstMentions = b.relay.polls(cutAt).find((s) => /\/mentions$/.test(s.path));
  const mentionCursor = cursorsBefore.rows.find((r) => r.stream_id.endsWith('/mentions'))?.cursor;
  expect(firstMentions?.query).toContain('since_id=');
  expect(mentionCursor).toBeTruthy();

  // Cursors moved since were moved by bert's console only: anna's late poll wrote nothing.
  const moved = await db.admin.query<{ updated_by: string }>('SELECT DISTINCT updated_by FROM webcare.cursors WHERE updated_at > to_timestamp($1::float8 / 1000)', [noticedAt]);
  expect(moved.rows.map((r) => r.updated_by)).toEqual(['bert']);

  // Each message once in the team's store, and in bert's.
  const { keys, perPlatformId } = await storedMessages(db.admin);
  for (const k of all) expect(keys.has(k)).toBe(true);
  expect([...perPlatformId.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  expect([...rb.stored.keys()].filter((k) => !keys.has(k))).toEqual([]);

  // Anna's console comes back as a follower and catches up from the database.
  pgRelay.mend();
  await until(() => a.core.status().team?.state === 'online', "anna's console back online", 10_000);
  await until(() => stored(ra, all), "anna's store to catch up", 10_000);
  expect(a.core.status().team?.leading).toEqual([]);
  expect(b.core.status().team?.leading.sort()).toEqual([...ids].sort());
  await until(() => a.core.status().team?.pollers[ids[0] ?? ''] === 'bert', 'anna to learn bert polls now');
}, 60_000);

it('a console that stops cleanly gives its accounts back at once', async () => {
  db = await teamDbFixture();
  await db.addMember('anna', 'Anna');
  await db.addMember('bert', 'Bert');
  await db.setKey();
  w = await world({ historyPerChannel: 1, seed: 4, limits: { scale: 100 } });
  const a = await teamConsole(w, db.url('anna'), new FakeRenderer(), relays);
  await until(() => a.core.status().team?.leading.length === 2, 'anna polls both accounts');
  const rb = new FakeRenderer();
  const b = await teamConsole(w, db.url('bert'), rb, relays, {
    // Followers try only every 5 s, as consoles do: a clean stop must not need the locks' timeout to pass.
    teamTiming: { link: { reconnectMinMs: 200, pingMs: 500 }, leader: { tryMs: 1500 } },
  });
  const stoppedAt = Date.now();
  await (a.core as HostCore).stop();
  await until(() => b.core.status().team?.leading.length === 2, 'bert polls both accounts', 5000);
  expect(Date.now() - stoppedAt).toBeLessThan(3500);
  const [key] = await inject('Later');
  await until(() => rb.stored.has(key ?? ''), "bert's store to get what bert polls", 10_000);
}, 30_000);

it('only the lock connection breaks: that console stops polling at once, a colleague takes over, and it stays in the team as a follower', async () => {
  db = await teamDbFixture();
  await db.addMember('anna', 'Anna');
  await db.addMember('bert', 'Bert');
  await db.setKey();
  w = await world({ historyPerChannel: 1, seed: 6, limits: { scale: 100 } });
  const ra = new FakeRenderer();
  const rb = new FakeRenderer();
  const a = await teamConsole(w, db.url('anna'), ra, relays);
  await until(() => a.core.status().team?.leading.length === 2, 'anna polls both accounts');
  const b = await teamConsole(w, db.url('bert'), rb, relays);
  // The server ends anna's polling session (an admin, a failover of the server, a proxy timing out).
  const killed = await db.admin.query<{ ok: boolean }>("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE usename = 'anna' AND application_name = 'webcare-console (polling)'");
  expect(killed.rows).toEqual([{ ok: true }]);
  const killedAt = Date.now();
  await until(() => b.core.status().team?.leading.length === 2, 'bert polls both accounts', 10_000);
  await until(() => a.core.status().team?.leading.length === 0, 'anna polls nothing');
  const settledAt = Date.now();
  expect(settledAt - killedAt).toBeLessThan(10_000);
  // Anna's console is still in the team: online, reading, sending through bert's console.
  expect(a.core.status().team?.state).toBe('online');
  const keys = await inject('Daarna');
  await until(() => keys.every((k) => ra.stored.has(k) && rb.stored.has(k)), 'the new messages in both stores', 15_000);
  expect(a.relay.polls(settledAt)).toEqual([]);
  expect(a.core.status().team?.leading).toEqual([]);
}, 30_000);
