import { afterAll, afterEach, expect, it } from 'vitest';
import type { HostCore } from '../../electron/host/hostCore';
import type { Channel } from '../../shared/model';
import { RoutingRuleSchema, type RoutingRule, type RoutingRuleInput, type WorkflowActionInput, type WorkflowRecord } from '../../shared/workflow';
import { FakeRenderer, until, world, type World } from './harness';
import { isPoll, stopTeamCluster, teamConsole, teamDbFixture, type SandboxRelay, type TeamDbFixture } from './teamSupport';

/**
 * Routing rules against a real PostgreSQL, with two whole consoles on the
 * sandbox: the console that polls routes each new message once, in the
 * transaction that stores it; both consoles get the same route records; a
 * failover that reads the same messages again routes nothing; a rule saved
 * later never touches what was routed before it. Round-robin gives work only
 * to colleagues on duty and under the cap.
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

function rule(input: Omit<RoutingRuleInput, 'id' | 'enabled' | 'continue' | 'when'> & { when?: Partial<RoutingRuleInput['when']>; continue?: boolean }): RoutingRule {
  return RoutingRuleSchema.parse({ id: crypto.randomUUID(), enabled: true, continue: false, ...input, when: { ...input.when } });
}

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

async function act(core: HostCore, input: Without<WorkflowActionInput, 'id' | 'at'>): Promise<void> {
  const r = (await core.dispatch('act', { id: crypto.randomUUID(), at: Date.now(), ...input })) as { ok: boolean; value?: { applied: boolean }; error?: unknown };
  if (!r.ok || !r.value?.applied) throw new Error(`act ${input.kind} not applied: ${JSON.stringify(r)}`);
}

const routesOf = (r: FakeRenderer): WorkflowRecord[] => r.batches.flatMap((b) => b.workflow ?? []).filter((x) => x.kind === 'route');
const keysOf = (recs: WorkflowRecord[]) => recs.flatMap((x) => (x.data.keys as string[]) ?? []);

async function inject(channel: Channel, text: string): Promise<{ key: string; conversationKey: string }> {
  const r = (await w?.api('/__sandbox/inject', { channel, text, lang: 'nl' })) as { id: string; conversationId: string };
  return { key: `${channel}:${r.id}`, conversationKey: `${channel}:${r.conversationId}` };
}

it('two consoles: each new message routed once by the poller, the same everywhere; round-robin on duty and under the cap; no re-routing on a re-read or a rule change', async () => {
  db = await teamDbFixture();
  await db.addMember('lena', 'Lena', 'lead');
  await db.addMember('bram', 'Bram', 'agent', ['billing']);
  await db.addMember('sara', 'Sara', 'specialist', ['billing']);
  await db.addMember('dirk', 'Dirk', 'agent', ['billing']);
  await db.setKey();
  // Bram and Sara are on duty, Dirk is not (he is the idlest of them, and still gets nothing).
  await db.admin.query(`INSERT INTO webcare.shifts (login, started_at) VALUES ('bram', now()), ('sara', now())`);
  w = await world({ historyPerChannel: 1, seed: 21, limits: { scale: 100 } });
  const rl = new FakeRenderer();
  const rb = new FakeRenderer();
  const lena = await teamConsole(w, db.url('lena'), rl, relays);
  await until(() => lena.core.status().team?.leading.length === 2, 'lena polls both accounts', 15_000);
  const bram = await teamConsole(w, db.url('bram'), rb, relays);
  await until(() => bram.core.status().team?.state === 'online', 'bram online');

  // An agent may not write rules; the lead may.
  const billing = rule({ name: 'Facturen', order: 1, when: { text: 'factuur OR rekening -spam' }, then: { department: 'billing', roundRobin: true, priority: 'high' } });
  const refused = (await bram.core.dispatch('act', { id: crypto.randomUUID(), at: Date.now(), kind: 'ruleSave', rule: billing })) as { ok: boolean; error?: { team?: string } };
  expect(refused).toMatchObject({ ok: false, error: { team: 'rights' } });
  await act(lena.core, { kind: 'ruleSave', rule: billing });
  await act(lena.core, { kind: 'routingCap', cap: 1 });

  const hits = [await inject('x_mention', 'Mijn factuur klopt niet'), await inject('x_dm', 'De rekening is te hoog'), await inject('x_mention', 'Nog een factuur vraag')];
  const misses = [await inject('x_mention', 'Waar blijft mijn pakket?'), await inject('x_dm', 'factuur spam')];
  const hitKeys = hits.map((h) => h.key);
  await until(() => [...hitKeys, ...misses.map((m) => m.key)].every((k) => rl.stored.has(k) && rb.stored.has(k)), 'the messages in both stores', 15_000);
  const routedEverywhere = () => hitKeys.every((k) => keysOf(routesOf(rl)).includes(k) && keysOf(routesOf(rb)).includes(k));
  await until(routedEverywhere, () => `route records on both consoles (lena ${keysOf(routesOf(rl))}, bram ${keysOf(routesOf(rb))})`, 15_000);

  // Once per message in the team's log and in webcare.routed; the misses were looked at, not routed.
  const log = await db.admin.query<{ id: string; key: string; conversation_key: string; data: Record<string, unknown>; by_login: string }>(
    `SELECT id, k AS key, conversation_key, data, by_login FROM webcare.actions, jsonb_array_elements_text(data->'keys') AS k WHERE kind = 'route'`,
  );
  expect(log.rows.map((r) => r.key).sort()).toEqual([...hitKeys].sort());
  expect(new Set(log.rows.map((r) => r.by_login))).toEqual(new Set(['lena']));
  const routed = await db.admin.query<{ key: string; rule_ids: string[] }>('SELECT key, rule_ids FROM webcare.routed');
  for (const k of hitKeys) expect(routed.rows.filter((r) => r.key === k).map((r) => r.rule_ids)).toEqual([[billing.id]]);
  for (const m of misses) expect(routed.rows.filter((r) => r.key === m.key).map((r) => r.rule_ids)).toEqual([[]]);
  // Both consoles hold the very same records.
  const ids = (r: FakeRenderer) => routesOf(r).map((x) => x.id).sort();
  expect(ids(rb)).toEqual(ids(rl));
  expect(ids(rl)).toEqual([...new Set(log.rows.map((r) => r.id))].sort());

  // Round-robin with a cap of 1: Bram and Sara one conversation each, the third to the department; Dirk (off duty) none.
  const assignments = await db.admin.query<{ conversation_key: string; login: string | null; department: string | null }>('SELECT conversation_key, login, department FROM webcare.assignments ORDER BY at');
  const byConv = new Map(assignments.rows.map((a) => [a.conversation_key, a]));
  const given = hits.map((h) => byConv.get(h.conversationKey));
  expect(given.every((a) => a?.department === 'billing')).toBe(true);
  expect(given.map((a) => a?.login).filter(Boolean).sort()).toEqual(['bram', 'sara']);
  expect(given.filter((a) => a?.login === null).length).toBe(1);
  expect(assignments.rows.some((a) => a.login === 'dirk')).toBe(false);
  // The messages moved to billing; the priority is in the record (cards show it) with the rule's name.
  const deps = await db.admin.query<{ key: string; department: string | null }>('SELECT key, department FROM webcare.messages WHERE key = ANY ($1)', [hitKeys]);
  expect(deps.rows.every((r) => r.department === 'billing')).toBe(true);
  expect(log.rows.every((r) => r.data.priority === 'high' && r.data.ruleName === 'Facturen')).toBe(true);

  // A rule saved now (matching everything, and the old one changed) never routes what was handled.
  await act(lena.core, { kind: 'ruleSave', rule: { ...billing, then: { tag: 'later' } } });
  const everything = rule({ name: 'Alles', order: 0, when: {}, then: { priority: 'low' } });
  await act(lena.core, { kind: 'ruleSave', rule: everything });

  // A failover that reads the same messages again: the cursors are gone, lena's console stops, bram's polls from scratch.
  await db.admin.query('DELETE FROM webcare.cursors');
  const stoppedAt = Date.now();
  await lena.core.stop();
  await until(() => bram.core.status().team?.leading.length === 2, 'bram polls both accounts', 15_000);
  await until(() => bram.relay.polls(stoppedAt).filter((s) => isPoll(s.method, s.path)).length >= 4, 'bram re-read the streams', 15_000);
  await until(async () => (await db?.admin.query(`SELECT 1 FROM webcare.cursors WHERE updated_by = 'bram'`))?.rowCount, 'bram stored cursors of his re-read', 15_000);
  const again = await db.admin.query<{ n: string }>(`SELECT count(*) AS n FROM webcare.actions WHERE kind = 'route'`);
  expect(Number(again.rows[0]?.n)).toBe(new Set(log.rows.map((r) => r.id)).size);

  // A message stored from now on meets the new rules, once, routed by bram's console.
  const later = await inject('x_mention', 'Weer een factuur');
  await until(() => keysOf(routesOf(rb)).includes(later.key), 'the later message routed', 15_000);
  const laterLog = await db.admin.query<{ data: Record<string, unknown>; by_login: string }>(`SELECT data, by_login FROM webcare.actions WHERE kind = 'route' AND data->'keys' ? $1`, [later.key]);
  expect(laterLog.rows).toEqual([{ by_login: 'bram', data: { ruleId: everything.id, ruleName: 'Alles', keys: [later.key], priority: 'low' } }]);
  for (const k of hitKeys) expect(routesOf(rb).filter((x) => keysOf([x]).includes(k)).length).toBe(1);
}, 90_000);
