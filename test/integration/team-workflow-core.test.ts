import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberNames } from '../../electron/host/team/actions';
import type { TeamLink } from '../../electron/host/team/link';
import { TeamSync } from '../../electron/host/team/sync';
import { workflowHandlers } from '../../electron/host/team/wf/handlers';
import { TeamWorkflow } from '../../electron/host/team/wf/workflow';
import type { MessageBatch } from '../../shared/contract';
import { DEFAULT_TARGETS } from '../../shared/sla';
import type { WorkflowAction, WorkflowRecord } from '../../shared/workflow';
import { reduceWorkflow } from '../../shared/workflowState';
import { teamDb, type TeamDb } from '../support/teamConn';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { until } from './harness';

/**
 * The workflow log against a real PostgreSQL: an action is applied once,
 * whoever sends it how often; the actor is the login, never what the caller
 * says; lead kinds need a lead; system kinds are the console's; every console
 * copies the log (department employees only their departments').
 */
let db: TeamDb;

beforeAll(async () => {
  db = await teamDb();
  await db.addMember('anna', 'Anna');
  await db.addMember('lena', 'Lena', 'lead');
  await db.addMember('dora', 'Dora', 'department', ['sales']);
  await db.admin.query(`INSERT INTO webcare.accounts (id, platform, record, department) VALUES ('x:1', 'x', '{}'::jsonb, 'sales'), ('x:2', 'x', '{}'::jsonb, 'billing')`);
  for (const [acc, conv] of [['x:1', 'c1'], ['x:2', 'c2']] as const) {
    await db.storeMessage({ key: `x_mention:${conv}`, accountId: acc, channel: 'x_mention', platformId: conv, conversationId: conv, author: { id: 'u', name: 'U' }, text: 'hi', createdAt: Date.now(), fromUs: false } as never);
  }
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

function workflow(link: TeamLink): TeamWorkflow {
  return new TeamWorkflow({ conn: link, names: new MemberNames(link), handlers: workflowHandlers });
}

const note = (conversationKey: string, text = 'Klant belt morgen terug'): WorkflowAction => ({ id: crypto.randomUUID(), at: Date.now(), kind: 'note', conversationKey, text, mentions: [] });

describe('the workflow log', () => {
  it('appends an action once, with the login as actor, however often it is sent', async () => {
    const wf = workflow(await db.link('anna'));
    const action = note('x_mention:c1');
    const first = await wf.act(action);
    const again = await wf.act(action);
    expect(first.ok && first.value.applied).toBe(true);
    expect(again.ok && again.value.applied).toBe(true);
    const r = await db.admin.query('SELECT by_login, kind, department FROM webcare.actions WHERE id = $1', [action.id]);
    expect(r.rows).toEqual([{ by_login: 'anna', kind: 'note', department: 'sales' }]);
    if (!first.ok) throw new Error('act failed');
    expect(first.value.record).toMatchObject({ id: action.id, by: 'anna', byName: 'Anna', conversationKey: 'x_mention:c1', data: { text: 'Klant belt morgen terug' } });
    const audit = await db.admin.query(`SELECT login FROM webcare.audit WHERE action = 'note' AND subject = 'x_mention:c1'`);
    expect(audit.rows.length).toBe(1);
  });

  it('refuses lead kinds to an agent, and system kinds to everyone through act', async () => {
    const anna = workflow(await db.link('anna'));
    const refused = await anna.act({ id: crypto.randomUUID(), at: Date.now(), kind: 'routingCap', cap: 3 });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'team', team: 'rights' } });
    const lena = workflow(await db.link('lena'));
    expect((await lena.act({ id: crypto.randomUUID(), at: Date.now(), kind: 'routingCap', cap: 3 })).ok).toBe(true);
    const link = await db.link('lena');
    await expect(link.query(`SELECT webcare.append_action(gen_random_uuid(), 'route', NULL, 0, '{}'::jsonb)`)).rejects.toThrow(/written by the console/);
    await expect(link.query(`INSERT INTO webcare.actions (id, kind, client_at) VALUES (gen_random_uuid(), 'note', 0)`)).rejects.toThrow(/permission denied/);
  });

  it('team settings are the leads’: an agent’s and a department employee’s are refused, a lead’s is the whole team’s', async () => {
    const setting = () => ({ id: crypto.randomUUID(), at: Date.now(), kind: 'teamSetting' as const, setting: { name: 'targets' as const, value: { ...DEFAULT_TARGETS, x_dm: 30 } } });
    for (const login of ['anna', 'dora']) {
      const refused = await workflow(await db.link(login)).act(setting());
      expect(refused).toMatchObject({ ok: false, error: { kind: 'team', team: 'rights' } });
    }
    const byLena = setting();
    const done = await workflow(await db.link('lena')).act(byLena);
    if (!done.ok || !done.value.applied || !done.value.record) throw new Error('the lead’s setting was not applied');
    const state = reduceWorkflow([done.value.record]);
    expect(state.settings.targets).toMatchObject({ id: byLena.id, by: 'lena', value: { x_dm: 30, x_mention: 60 } });
    const r = await db.admin.query(`SELECT by_login FROM webcare.actions WHERE kind = 'teamSetting'`);
    expect(r.rows).toEqual([{ by_login: 'lena' }]);
  });

  it('a department employee records only on their departments’ conversations', async () => {
    const dora = workflow(await db.link('dora'));
    expect((await dora.act(note('x_mention:c1'))).ok).toBe(true);
    expect(await dora.act(note('x_mention:c2'))).toMatchObject({ ok: false, error: { kind: 'team', team: 'rights' } });
  });

  it('every console copies the log; a department employee only what concerns their departments', async () => {
    const billing = note('x_mention:c2', 'Alleen voor billing');
    expect((await workflow(await db.link('anna')).act(billing)).ok).toBe(true);
    const copied = async (login: string): Promise<WorkflowRecord[]> => {
      const link = await db.link(login);
      const got: WorkflowRecord[] = [];
      const sync = new TeamSync({
        link,
        team: `t-${login}`,
        dataDir: await mkdtemp(path.join(os.tmpdir(), 'wf-sync-')),
        storeId: () => 'store',
        deliver: async (batch: MessageBatch) => {
          got.push(...(batch.workflow ?? []));
        },
        log: () => undefined,
      });
      await sync.load();
      sync.start();
      await until(() => got.some((r) => r.kind === 'routingCap'), 'the log copied');
      await sync.stop();
      return got;
    };
    const annas = await copied('anna');
    expect(annas.some((r) => r.id === billing.id)).toBe(true);
    const doras = await copied('dora');
    expect(doras.some((r) => r.id === billing.id)).toBe(false);
    expect(doras.some((r) => r.conversationKey === 'x_mention:c1')).toBe(true);
  });
});
