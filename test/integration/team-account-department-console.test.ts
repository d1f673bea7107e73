import { afterAll, afterEach, expect, it } from 'vitest';
import type { Account } from '../../shared/model';
import { FakeRenderer, until, world, type World } from './harness';
import { stopTeamCluster, teamConsole, teamDbFixture, type SandboxRelay, type TeamDbFixture } from './teamSupport';

/**
 * Two whole consoles on the sandbox: a lead's, which polls the team's
 * accounts, and a billing employee's. The lead puts the X account in billing
 * from the console (the `act` command, as the accounts screen does): both
 * consoles show the account's new department, the employee's console receives
 * what the account had already stored, and the lead's console polls on without
 * rebuilding the account.
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

it('a lead puts an account in a department from the console: every console shows it, the department’s employee receives its messages, polling goes on', async () => {
  db = await teamDbFixture();
  await db.addMember('lena', 'Lena', 'lead');
  await db.addMember('dora', 'Dora', 'department', ['billing']);
  await db.setKey();
  w = await world({ historyPerChannel: 1, seed: 33, limits: { scale: 100 } });
  const rl = new FakeRenderer();
  const rd = new FakeRenderer();
  const lena = await teamConsole(w, db.url('lena'), rl, relays);
  await until(() => lena.core.status().team?.leading.length === 2, 'lena polls both accounts', 15_000);
  const dora = await teamConsole(w, db.url('dora'), rd, relays);
  await until(() => dora.core.status().team?.state === 'online', 'dora online');
  const x = (core: typeof lena.core): Account | undefined => core.status().accounts.find((a) => a.platform === 'x');
  const xId = x(lena.core)?.id ?? '';
  expect(x(lena.core)?.department).toBeUndefined();

  const before = (await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Mijn factuur is te hoog', lang: 'nl' })) as { id: string };
  const beforeKey = `x_mention:${before.id}`;
  await until(() => rl.stored.has(beforeKey), 'the mention stored by the lead’s console', 15_000);
  expect(rd.stored.has(beforeKey)).toBe(false);
  const session = (lena.core as unknown as { accounts: { get(id: string): { session?: unknown } | undefined } }).accounts.get(xId)?.session;
  expect(session).toBeTruthy();

  const r = (await lena.core.dispatch('act', { id: crypto.randomUUID(), at: Date.now(), kind: 'accountDepartment', accountId: xId, department: 'billing' })) as { ok: boolean; value?: { applied: boolean } };
  expect(r).toMatchObject({ ok: true, value: { applied: true } });

  await until(() => x(lena.core)?.department === 'billing' && x(dora.core)?.department === 'billing', 'both consoles show the department', 15_000);
  await until(() => rd.stored.has(beforeKey), 'the account’s earlier mention reaches the billing employee', 15_000);
  // The same session polls on: a department is no reason to rebuild the account.
  expect((lena.core as unknown as { accounts: { get(id: string): { session?: unknown } | undefined } }).accounts.get(xId)?.session).toBe(session);
  expect(x(lena.core)?.state).toBe('connected');
  const after = (await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'En mijn tweede factuur?', lang: 'nl' })) as { id: string };
  await until(() => rd.stored.has(`x_mention:${after.id}`), 'a later mention reaches the billing employee', 15_000);
});
