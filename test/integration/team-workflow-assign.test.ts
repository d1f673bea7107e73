import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../../shared/workflow';
import { RoutingRuleSchema, WorkflowActionSchema } from '../../shared/workflow';
import { routeStored } from '../../electron/host/team/wf/routing';
import { openAsks, reduceWorkflow, specialistWaitMs } from '../../shared/workflowState';
import { copyingConsole, customerMention, teamDb, workflowActor, type TeamDb } from '../support/teamConn';
import { until } from './harness';

/**
 * Assignment and the specialist lane against a real PostgreSQL: an assignment
 * marks the conversation's messages for every console (and the ones that arrive
 * later), a department assignment lets that department's employees see it, open
 * load counts what is still open, a question to a specialist is answered once
 * however many answer at the same moment, and the wait on the specialist is
 * there for the response-time report.
 */
let db: TeamDb;
const { linkOf, act, workflowOf } = workflowActor(() => db);

const message = customerMention;

async function marksOf(conversationId: string): Promise<Record<string, string | null>> {
  const r = await db.admin.query<{ key: string; assignee: string | null }>(
    `SELECT m.key, k.assignee FROM webcare.messages m LEFT JOIN webcare.marks k ON k.key = m.key WHERE m.conversation_id = $1 ORDER BY m.key`,
    [conversationId],
  );
  return Object.fromEntries(r.rows.map((x) => [x.key, x.assignee]));
}

async function records(): Promise<WorkflowRecord[]> {
  const r = await db.admin.query<{ wf: WorkflowRecord }>(
    `SELECT jsonb_build_object('id', a.id, 'kind', a.kind, 'seq', a.seq, 'conversationKey', a.conversation_key, 'by', a.by_login,
       'byName', coalesce(mb.display_name, a.by_login), 'at', round(extract(epoch FROM a.at) * 1000), 'clientAt', a.client_at, 'data', a.data) AS wf
     FROM webcare.actions a LEFT JOIN webcare.members mb ON mb.login = a.by_login ORDER BY a.seq`,
  );
  return r.rows.map((x) => x.wf);
}

beforeAll(async () => {
  db = await teamDb();
  await db.addMember('anna', 'Anna');
  await db.addMember('bram', 'Bram');
  await db.addMember('sara', 'Sara', 'specialist', ['billing']);
  await db.addMember('dora', 'Dora', 'department', ['billing']);
  await db.addMember('lena', 'Lena', 'lead');
  await db.admin.query(`INSERT INTO webcare.accounts (id, platform, record) VALUES ('x:1', 'x', '{}'::jsonb)`);
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

describe('assignment', () => {
  it('gives a conversation to a colleague: the log names who did it, every customer message carries the assignee, later ones too', async () => {
    const first = message('c1');
    const ours = message('c1', { fromUs: true, text: 'We kijken mee' });
    await db.storeMessage(first);
    await db.storeMessage(ours);
    const { action, result } = await act('anna', { kind: 'assign', conversationKey: 'x_mention:c1', keys: [first.key, ours.key], to: { login: 'bram' }, note: 'Jij kent deze klant' });
    expect(result.applied).toBe(true);
    expect(result.record).toMatchObject({ by: 'anna', byName: 'Anna', kind: 'assign', conversationKey: 'x_mention:c1', data: { to: { login: 'bram' }, note: 'Jij kent deze klant' } });
    // The log keeps who and why, not the message keys.
    expect(result.record?.data).not.toHaveProperty('keys');
    const row = await db.admin.query('SELECT login, department, by_login, action_id FROM webcare.assignments WHERE conversation_key = $1', ['x_mention:c1']);
    expect(row.rows).toEqual([{ login: 'bram', department: null, by_login: 'anna', action_id: action.id }]);
    expect(await marksOf('c1')).toEqual({ [first.key]: 'Bram', [ours.key]: null });
    const markBy = await db.admin.query('SELECT by_login FROM webcare.marks WHERE key = $1', [first.key]);
    expect(markBy.rows[0]?.by_login).toBe('anna');

    // The customer writes again: the new message is Bram's as well.
    const again = message('c1', { text: 'Hallo??' });
    await db.storeMessage(again);
    expect((await marksOf('c1'))[again.key]).toBe('Bram');

    // Replaying the action (the same id) changes nothing and records nothing twice.
    const seqBefore = await db.admin.query('SELECT max(seq) AS s FROM webcare.marks');
    const replay = await (await workflowOf('anna')).act(action);
    expect(replay.ok && replay.value.applied).toBe(true);
    expect((await db.admin.query('SELECT count(*)::int AS n FROM webcare.actions WHERE id = $1', [action.id])).rows[0]?.n).toBe(1);
    expect((await db.admin.query('SELECT max(seq) AS s FROM webcare.marks')).rows[0]?.s).toBe(seqBefore.rows[0]?.s);
  });

  it('counts open load per login until the conversation is done; routing’s cap reads it', async () => {
    const load = async (login: string) =>
      (await (await linkOf('lena')).query<{ open: number }>('SELECT open FROM webcare.open_load WHERE login = $1', [login])).rows[0]?.open ?? 0;
    expect(await load('bram')).toBe(1);
    await db.admin.query(`INSERT INTO webcare.marks (key, status, at) SELECT key, 'done', 1 FROM webcare.messages WHERE conversation_id = 'c1' AND NOT from_us
      ON CONFLICT (key) DO UPDATE SET status = 'done'`);
    expect(await load('bram')).toBe(0);
  });

  it('gives a conversation to a department: its messages (and later ones) become the department’s, which its employees then see; the personal assignee comes off', async () => {
    const m = message('c2');
    await db.storeMessage(m);
    const dora = await linkOf('dora');
    const seen = async () => (await dora.query('SELECT key FROM webcare.messages WHERE conversation_id = $1', ['c2'])).rows.length;
    expect(await seen()).toBe(0);
    // Dora may not act on a conversation she cannot see.
    await expect(act('dora', { kind: 'assign', conversationKey: 'x_mention:c2', keys: [], to: { login: 'dora' } })).rejects.toMatchObject({ error: { kind: 'team', team: 'rights' } });

    await act('bram', { kind: 'assign', conversationKey: 'x_mention:c2', keys: [m.key], to: { login: 'bram' } });
    expect(await marksOf('c2')).toEqual({ [m.key]: 'Bram' });
    await act('bram', { kind: 'assign', conversationKey: 'x_mention:c2', keys: [m.key], to: { department: 'billing' }, note: 'Factuurvraag' });
    expect(await marksOf('c2')).toEqual({ [m.key]: null });
    expect(await seen()).toBe(1);
    const later = message('c2', { text: 'En de factuur?' });
    await db.storeMessage(later);
    expect(await seen()).toBe(2);
    // Now hers to hand on: a department employee assigns within her department.
    const { result } = await act('dora', { kind: 'assign', conversationKey: 'x_mention:c2', keys: [], to: { login: 'sara' } });
    expect(result.record).toMatchObject({ by: 'dora', department: 'billing' });
    expect(Object.values(await marksOf('c2'))).toEqual(['Sara', 'Sara']);
  });

  it('a conversation given to another department leaves the old one: its employees read the record, and their consoles are told to let go of their copies', async () => {
    await db.addMember('sven', 'Sven', 'specialist', ['support']);
    const m = message('c7');
    await db.storeMessage(m);
    await act('anna', { kind: 'assign', conversationKey: 'x_mention:c7', keys: [m.key], to: { department: 'billing' } });
    const dora = await linkOf('dora');
    const { batches: got, stop } = await copyingConsole(dora, 't-dora-left');
    try {
      await until(() => got.some((b) => b.messages.some((x) => x.key === m.key)), 'Dora’s console has the conversation');
      const { result } = await act('lena', { kind: 'assign', conversationKey: 'x_mention:c7', keys: [], to: { department: 'support' } });
      // The record names the department it left, and is the new one's.
      expect(result.record).toMatchObject({ department: 'support', data: { left: 'billing' } });
      const told = await until(() => got.find((b) => b.left?.length), 'Dora’s console told what left');
      expect(told.left).toEqual([{ conversationKey: 'x_mention:c7' }]);
      expect(told.workflow?.map((r) => r.id)).toContain(result.record?.id);
      // She no longer sees the conversation, and cannot act on it.
      expect((await dora.query('SELECT key FROM webcare.messages WHERE conversation_id = $1', ['c7'])).rows).toEqual([]);
    } finally {
      await stop();
    }
    // Within her department nothing leaves: the record of a move between colleagues names no department left.
    const within = message('c8');
    await db.storeMessage(within);
    await act('anna', { kind: 'assign', conversationKey: 'x_mention:c8', keys: [], to: { department: 'billing' } });
    const { result: again } = await act('lena', { kind: 'assign', conversationKey: 'x_mention:c8', keys: [], to: { department: 'billing' } });
    expect(again.record?.data.left).toBeUndefined();
  });

  it('a routing rule that gives a conversation of one department to another names the department it left too', async () => {
    // An account of billing: its conversations start there.
    await db.admin.query(`INSERT INTO webcare.accounts (id, platform, record, department) VALUES ('x:3', 'x', '{}'::jsonb, 'billing') ON CONFLICT (id) DO NOTHING`);
    const rule = RoutingRuleSchema.parse({ id: crypto.randomUUID(), enabled: true, continue: false, name: 'Naar support', order: 1, when: { text: 'storing' }, then: { department: 'support' } });
    await act('lena', { kind: 'ruleSave', rule });
    try {
      const first = message('c10', { accountId: 'x:3', text: 'Hallo' });
      const later = message('c10', { accountId: 'x:3', text: 'Is er een storing?' });
      const fresh = message('c11', { accountId: 'x:3', text: 'Een storing hier' });
      await db.storeMessage(first);
      const bram = await linkOf('bram');
      await bram.tx((c) => routeStored(c, [first]));
      for (const m of [later, fresh]) await db.storeMessage(m);
      await bram.tx((c) => routeStored(c, [later, fresh]));
      const routes = await db.admin.query<{ conversation_key: string; department: string; data: Record<string, unknown> }>(
        `SELECT conversation_key, department, data FROM webcare.actions WHERE kind = 'route' AND conversation_key IN ('x_mention:c10', 'x_mention:c11') ORDER BY conversation_key`,
      );
      // c10 had a message in billing before: it left billing. c11 arrived and was routed at once: nothing left.
      expect(routes.rows.map((r) => [r.conversation_key, r.department, r.data.left ?? null])).toEqual([
        ['x_mention:c10', 'support', 'billing'],
        ['x_mention:c11', 'support', null],
      ]);
      // Dora (billing) reads the record of what left her department, not the other.
      const seen = await (await linkOf('dora')).query<{ conversation_key: string }>(`SELECT conversation_key FROM webcare.actions WHERE kind = 'route' AND conversation_key IN ('x_mention:c10', 'x_mention:c11')`);
      expect(seen.rows.map((r) => r.conversation_key)).toEqual(['x_mention:c10']);
    } finally {
      await act('lena', { kind: 'ruleDelete', ruleId: rule.id });
    }
  });

  it('unassigns: the row goes, the assignee marks come off', async () => {
    const { result } = await act('sara', { kind: 'unassign', conversationKey: 'x_mention:c2', keys: [] });
    expect(result.applied).toBe(true);
    expect((await db.admin.query('SELECT 1 FROM webcare.assignments WHERE conversation_key = $1', ['x_mention:c2'])).rows).toEqual([]);
    expect(Object.values(await marksOf('c2'))).toEqual([null, null]);
  });

  it('refuses a target the team does not know, and a routing poller may write assignments itself', async () => {
    await db.storeMessage(message('c3'));
    await expect(act('anna', { kind: 'assign', conversationKey: 'x_mention:c3', keys: [], to: { login: 'nobody' } })).rejects.toThrow(/no member nobody/);
    await expect(act('anna', { kind: 'assign', conversationKey: 'x_mention:c3', keys: [], to: { department: 'nergens' } })).rejects.toThrow(/no department nergens/);
    expect((await db.admin.query(`SELECT 1 FROM webcare.actions WHERE conversation_key = 'x_mention:c3'`)).rows).toEqual([]);
    // A poller (staff) inserts directly in its own transaction; the marks follow all the same.
    const lena = await linkOf('lena');
    await lena.query(`INSERT INTO webcare.assignments (conversation_key, login, by_login) VALUES ('x_mention:c3', 'anna', 'bram')`);
    expect(Object.values(await marksOf('c3'))).toEqual(['Anna']);
    expect((await db.admin.query(`SELECT by_login FROM webcare.assignments WHERE conversation_key = 'x_mention:c3'`)).rows[0]?.by_login).toBe('lena');
    // A department employee cannot write the table behind the functions' back.
    await expect((await linkOf('dora')).query(`DELETE FROM webcare.assignments`)).rejects.toThrow(/permission denied/);
  });
});

describe('notes and the specialist lane', () => {
  it('keeps only colleagues as mentions', async () => {
    const { result } = await act('anna', { kind: 'note', conversationKey: 'x_mention:c1', text: '@sara @piet kijk even mee', mentions: ['sara', 'piet'] });
    expect(result.record?.data).toMatchObject({ text: '@sara @piet kijk even mee', mentions: ['sara'] });
  });

  it('an agent asks a specialist, the specialist drafts the reply; the first answer wins, a replay is harmless, the wait is kept', async () => {
    const m = message('c4', { text: 'Ik ben twee keer gefactureerd' });
    await db.storeMessage(m);
    const { action: ask } = await act('bram', { kind: 'ask', conversationKey: 'x_mention:c4', to: { login: 'sara' }, question: 'Klopt deze dubbele factuur?' });
    const asked = await db.admin.query('SELECT to_login, asked_by, answered_at FROM webcare.asks WHERE id = $1', [ask.id]);
    expect(asked.rows).toEqual([{ to_login: 'sara', asked_by: 'bram', answered_at: null }]);
    expect(openAsks(reduceWorkflow(await records()), 'x_mention:c4')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 50));

    // Sara and Lena answer at the same moment: one of them is the answer.
    const sara = WorkflowActionSchema.parse({ id: crypto.randomUUID(), at: Date.now(), kind: 'answer', askId: ask.id, text: 'Ja, de tweede is een fout', draft: 'Hoi Fleur, de tweede factuur vervalt. Excuses!' });
    const lena = WorkflowActionSchema.parse({ id: crypto.randomUUID(), at: Date.now(), kind: 'answer', askId: ask.id, text: 'Ik kijk ernaar' });
    const wf = workflowOf;
    const [a, b] = await Promise.all([(await wf('sara')).act(sara), (await wf('lena')).act(lena)]);
    const outcomes = [a, b].map((r) => (r.ok ? r.value : null));
    expect(outcomes.filter((o) => o?.applied)).toHaveLength(1);
    const loser = outcomes.find((o) => o && !o.applied);
    expect(loser?.lost?.what).toBe('answered');
    const winnerName = outcomes.find((o) => o?.applied)?.record?.byName;
    expect(loser?.lost?.by).toBe(winnerName);
    const answers = await db.admin.query(`SELECT id, conversation_key FROM webcare.actions WHERE kind = 'answer' AND data->>'askId' = $1`, [ask.id]);
    expect(answers.rows).toHaveLength(1);
    // The answer record names the conversation (department consoles see it through it).
    expect(answers.rows[0]?.conversation_key).toBe('x_mention:c4');

    // The winner's replay is applied (the same record); the loser's stays lost.
    const winner = answers.rows[0]?.id === sara.id ? { login: 'sara', action: sara } : { login: 'lena', action: lena };
    const again = await (await wf(winner.login)).act(winner.action);
    expect(again.ok && again.value.applied).toBe(true);

    const state = reduceWorkflow(await records());
    expect(openAsks(state, 'x_mention:c4')).toHaveLength(0);
    const view = state.asks.get(ask.id);
    expect(view?.answer?.by).toBe(winner.login);
    const waited = specialistWaitMs(state, 'x_mention:c4', Date.now());
    expect(waited).toBeGreaterThanOrEqual(40);
    const report = await (await linkOf('lena')).query<{ ms: number }>(
      `SELECT extract(epoch FROM waited) * 1000 AS ms FROM webcare.specialist_waits WHERE id = $1`,
      [ask.id],
    );
    expect(Number(report.rows[0]?.ms)).toBeGreaterThanOrEqual(40);
  });

  it('a department employee answers only questions on their departments’ conversations; an unknown question is refused', async () => {
    const { action: ask } = await act('anna', { kind: 'ask', conversationKey: 'x_mention:c1', to: { department: 'billing' }, question: 'Wie weet dit?' });
    await expect(act('dora', { kind: 'answer', askId: ask.id, text: 'Ik' })).rejects.toMatchObject({ error: { kind: 'team', team: 'rights' } });
    await expect(act('sara', { kind: 'answer', askId: crypto.randomUUID(), text: 'Ik' })).rejects.toThrow(/no question/);
    // Asking someone the team does not know is refused before anything is recorded.
    await expect(act('anna', { kind: 'ask', conversationKey: 'x_mention:c1', to: { login: 'piet' }, question: 'Jij?' })).rejects.toThrow(/no member piet/);
  });
});
