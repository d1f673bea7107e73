import { afterAll, afterEach, expect, it } from 'vitest';
import type { XSecret } from '../../electron/host/connectors/x/index';
import { TeamCipher, tokenAad } from '../../electron/host/team/crypto';
import { FakeRenderer, until, world, type Requests, type World } from './harness';
import { TEAM_KEY, teamConsole, stopTeamCluster, teamDbFixture, type SandboxRelay, type TeamDbFixture } from './teamSupport';

/**
 * X refresh tokens are single use: two consoles refreshing one account's token
 * at the same moment would log the account out. In team mode a refresh runs
 * where the stored pair is locked (SELECT ... FOR UPDATE): the console that
 * finds the pair already refreshed by a colleague takes it without asking X.
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

const isRefresh = (method: string, path: string) => method === 'POST' && path === '/x/2/oauth2/token';

/** Makes the stored X token look expired, as two hours later, behind every console's back. */
async function expireStoredXToken(fixture: TeamDbFixture, accountId: string): Promise<XSecret> {
  const key = (await fixture.admin.query<{ salt: string }>('SELECT salt FROM webcare.team_key')).rows[0];
  const row = (await fixture.admin.query<{ sealed: string }>('SELECT sealed FROM webcare.tokens WHERE account_id = $1', [accountId])).rows[0];
  if (!key || !row) throw new Error('no key or token');
  const cipher = await TeamCipher.derive(TEAM_KEY, key.salt);
  const secret = JSON.parse(cipher.open(row.sealed, tokenAad(accountId))) as XSecret;
  const expired: XSecret = { ...secret, tokens: { ...secret.tokens, expiresAt: Date.now() - 1000 } };
  await fixture.admin.query('UPDATE webcare.tokens SET sealed = $2 WHERE account_id = $1', [accountId, cipher.seal(JSON.stringify(expired), tokenAad(accountId))]);
  return expired;
}

it('two consoles refresh one X token at the same moment: one refresh reaches X, both go on with the new pair', async () => {
  db = await teamDbFixture();
  await db.addMember('anna', 'Anna');
  await db.addMember('bert', 'Bert');
  await db.setKey();
  w = await world({ historyPerChannel: 1, seed: 21, limits: { scale: 100 } });

  // The team's accounts, connected once by anna's console.
  const first = await teamConsole(w, db.url('anna'), undefined, relays);
  await until(() => first.core.status().team?.leading.length === 2, 'the accounts connected and polled');
  const xId = first.core.status().accounts.find((a) => a.platform === 'x')?.id ?? '';
  await first.core.stop();
  const old = await expireStoredXToken(db, xId);
  const versionBefore = Number((await db.admin.query<{ version: string }>('SELECT version FROM webcare.tokens WHERE account_id = $1', [xId])).rows[0]?.version);
  await w.api('/__sandbox/requests', undefined, 'DELETE');

  // Anna's console polls again: its first poll refreshes, and X takes its time to answer.
  const ra = new FakeRenderer();
  const a = await teamConsole(w, db.url('anna'), ra, relays, { label: 'anna' });
  a.relay.delay(isRefresh, 2500);
  await until(() => a.relay.seen.some((s) => isRefresh(s.method, s.path)), "anna's refresh to be on its way");
  const refreshing = a.relay.seen.find((s) => isRefresh(s.method, s.path));
  // Meanwhile bert's console, holding the same expired pair, needs the token too (a moderation).
  const rb = new FakeRenderer();
  const b = await teamConsole(w, db.url('bert'), rb, relays, { label: 'bert' });
  expect(b.core.status().team?.leading).toEqual([]);
  const bertAskedAt = Date.now();
  // The fault fired: bert asked while anna's refresh was still out.
  expect(refreshing?.doneAt).toBeUndefined();
  const moderated = await b.core.dispatch('moderate', { accountId: xId, channel: 'x_mention', platformId: '1999999999999999999', action: 'delete' });
  expect(refreshing?.doneAt).toBeGreaterThan(bertAskedAt);

  // One refresh reached X (the sandbox's own log), and it was anna's.
  const refreshes = ((await w.api('/__sandbox/requests')) as Requests).requests.filter((r) => isRefresh(r.method, r.path));
  expect(refreshes).toHaveLength(1);
  expect(b.relay.seen.filter((s) => isRefresh(s.method, s.path))).toEqual([]);
  // Bert's request went out with the new access token (X answered it: the post is not there, that is all).
  expect(moderated).toMatchObject({ ok: false, error: { kind: 'targetGone' } });
  const bertDelete = b.relay.seen.find((s) => s.method === 'DELETE');
  expect(bertDelete?.auth).toBeDefined();
  expect(bertDelete?.auth).not.toBe(`Bearer ${old.tokens.accessToken}`);
  const annaLater = await until(() => a.relay.seen.find((s) => s.path.startsWith('/x/2/users/') && s.at > (refreshing?.doneAt ?? Infinity)), "anna's poll after the refresh");
  expect(bertDelete?.auth).toBe(annaLater.auth);
  expect(Number((await db.admin.query<{ version: string }>('SELECT version FROM webcare.tokens WHERE account_id = $1', [xId])).rows[0]?.version)).toBe(versionBefore + 1);

  // The account stays connected on both consoles, and polling goes on.
  for (const c of [a.core, b.core]) expect(c.status().accounts.find((x) => x.id === xId)?.state).toBe('connected');
  const m = (await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Na het verversen: waar is mijn pakket?' })) as { id: string };
  await until(() => ra.stored.has(`x_mention:${m.id}`) && rb.stored.has(`x_mention:${m.id}`), 'a mention after the refresh in both stores', 10_000);
  const audit = await db.admin.query<{ login: string }>("SELECT login FROM webcare.audit WHERE action = 'token.refresh' AND subject = $1 AND detail = $2", [xId, `version ${versionBefore + 1}`]);
  expect(audit.rows).toEqual([{ login: 'anna' }]);
}, 45_000);
