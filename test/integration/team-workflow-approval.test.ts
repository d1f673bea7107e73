import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Result, SendReplyInput } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { WorkflowAction } from '../../shared/workflow';
import { reduceWorkflow } from '../../shared/workflowState';
import type { Accounts } from '../../electron/host/accounts';
import type { HostCore } from '../../electron/host/hostCore';
import { Sending } from '../../electron/host/sending';
import { MemberNames } from '../../electron/host/team/actions';
import { TeamJournal } from '../../electron/host/team/journal';
import type { TeamLink } from '../../electron/host/team/link';
import { TeamOutbox, type SendFn } from '../../electron/host/team/outbox';
import { workflowHandlers } from '../../electron/host/team/wf/handlers';
import { recordOf, TeamWorkflow } from '../../electron/host/team/wf/workflow';
import { teamDb, type TeamDb } from '../support/teamConn';
import { FakeRenderer, until, world, type World } from './harness';

/**
 * Approval against a real PostgreSQL and the sandbox: a reply of an agent on
 * "approval required" waits in the approval queue, not the outbox; two leads
 * approving it at the same moment post it exactly once (one wins, the other is
 * told who did); the author's console, asking again under the same client id,
 * gets the posted message; a returned reply carries the comment; no console can
 * put such a reply in the outbox itself; a lead scores a sent reply.
 */
let db: TeamDb;
let w: World;
let r: FakeRenderer;
let core: HostCore;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  db = await teamDb();
  await db.addMember('anna', 'Anna');
  await db.addMember('pia', 'Pia');
  await db.addMember('lena', 'Lena', 'lead');
  await db.addMember('lars', 'Lars', 'lead');
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

beforeEach(async () => {
  w = await world({ historyPerChannel: 2, seed: 7, limits: { scale: 100 } });
  r = new FakeRenderer();
  core = await w.core({ renderer: r, requestTimeoutMs: 1500 });
});
afterEach(async () => {
  for (const stop of cleanups.splice(0)) stop();
  await w.close();
  await db.admin.query('ROLLBACK').catch(() => undefined);
  await db.admin.query('TRUNCATE webcare.outbox, webcare.journal, webcare.messages, webcare.approvals, webcare.approval_policy, webcare.reviews');
});

/** The console that polls the account and sends the team's queued replies (as the runtime does, on every outbox notice). */
async function leader(link: TeamLink, host: HostCore) {
  const accounts = (host as unknown as { accounts: Accounts }).accounts;
  const journal = new TeamJournal(await w.tempDir(), Date.now, link);
  const sending = new Sending({ accounts, journal, now: Date.now, offline: () => undefined, changed: () => undefined });
  const outbox = new TeamOutbox({ conn: link, journal, waitMs: 15_000, pollMs: 200 });
  const send: SendFn = (i) => sending.sendReply(i);
  const off = link.onNotice((n) => {
    if (n.t === 'outbox' && n.a) void outbox.drain(n.a, send);
  });
  const stop = () => {
    off();
    outbox.stop();
  };
  cleanups.push(stop);
  return { outbox, send };
}

/** A console that writes replies and nothing else. */
function writer(link: TeamLink): TeamOutbox {
  const outbox = new TeamOutbox({ conn: link, journal: new TeamJournal('/nonexistent', Date.now, link), waitMs: 15_000, pollMs: 100 });
  cleanups.push(() => outbox.stop());
  return outbox;
}

function workflow(link: TeamLink): TeamWorkflow {
  return new TeamWorkflow({ conn: link, names: new MemberNames(link), handlers: workflowHandlers });
}

const action = <A extends Omit<WorkflowAction, 'id' | 'at'>>(a: A) => ({ id: crypto.randomUUID(), at: Date.now(), ...a }) as unknown as WorkflowAction;

const posted = async (text: string) => ((await w.api('/__sandbox/posted')) as { posted: { text?: string }[] }).posted.filter((p) => p.text === text);

async function target(): Promise<Message> {
  const injected = (await w.api('/__sandbox/inject', { channel: 'x_mention', text: `Vraag ${Math.random()}` })) as { id: string };
  const m = await until(() => [...r.stored.values()].find((s) => s.platformId === injected.id), 'the injected message');
  await db.storeMessage(m);
  return m;
}

function replyTo(m: Message, text: string): SendReplyInput {
  return { clientId: crypto.randomUUID(), accountId: m.accountId, channel: m.channel, conversationId: m.conversationId, inReplyToId: m.platformId, text };
}

async function log(kind: string): Promise<Array<{ kind: string; by_login: string; data: Record<string, unknown> }>> {
  return (await db.admin.query('SELECT kind, by_login, data FROM webcare.actions WHERE kind = $1 ORDER BY seq', [kind])).rows;
}

async function everyRecord() {
  const { WORKFLOW_RECORD_JSON } = await import('../../electron/host/team/wf/workflow');
  const rows = await db.admin.query<{ wf: unknown }>(`SELECT ${WORKFLOW_RECORD_JSON} FROM webcare.actions a LEFT JOIN webcare.members mb ON mb.login = a.by_login ORDER BY a.seq`);
  return rows.rows.map((row) => recordOf(row.wf));
}

describe('approval', () => {
  it('two leads approve the same reply at the same moment: one wins, it is posted exactly once, and its author gets the posted message', async () => {
    const lena = workflow(await db.link('lena'));
    const lars = workflow(await db.link('lars'));
    expect((await lena.act(action({ kind: 'approvalPolicy', target: { login: 'anna' }, required: true }))).ok).toBe(true);
    await leader(await db.link('pia'), core);
    const anna = writer(await db.link('anna'));

    for (let round = 0; round < 3; round++) {
      const m = await target();
      const reply = replyTo(m, `Goedgekeurd antwoord ${round} ${Date.now()}`);
      expect(await anna.enqueue(reply)).toEqual({ ok: false, error: { kind: 'approval', state: 'pending' } });
      // Asked again (the renderer's outbox does, until a lead decided): the same answer, one submit.
      expect(await anna.enqueue(reply)).toEqual({ ok: false, error: { kind: 'approval', state: 'pending' } });
      expect((await db.admin.query('SELECT 1 FROM webcare.outbox WHERE client_id = $1', [reply.clientId])).rowCount, 'not in the outbox').toBe(0);
      expect((await log('submit')).filter((s) => s.data.approvalId === reply.clientId)).toEqual([
        { kind: 'submit', by_login: 'anna', data: expect.objectContaining({ input: expect.objectContaining({ text: reply.text, channel: 'x_mention', mediaCount: 0 }) }) },
      ]);
      await new Promise((res) => setTimeout(res, 300));
      expect(await posted(reply.text), 'nothing is posted before a lead approved').toHaveLength(0);

      // The same moment: both leads' transactions wait on a lock held here, and go together when it goes.
      await db.admin.query('BEGIN');
      await db.admin.query('SELECT 1 FROM webcare.approvals WHERE client_id = $1 FOR UPDATE', [reply.clientId]);
      const both = Promise.all([lena.act(action({ kind: 'approve', approvalId: reply.clientId })), lars.act(action({ kind: 'approve', approvalId: reply.clientId }))]);
      await until(
        async () => {
          // Statistics are a snapshot per transaction: this one is open, so a fresh look is asked for.
          await db.admin.query('SELECT pg_stat_clear_snapshot()');
          const r = await db.admin.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND usename IN ('lena', 'lars')");
          return r.rowCount === 2;
        },
        'both leads waiting on the reply',
      );
      await db.admin.query('COMMIT');
      const results = await both;
      const won = results.filter((x) => x.ok && x.value.applied);
      const lost = results.filter((x) => x.ok && !x.value.applied);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const winner = won[0]!.ok ? won[0]!.value.record!.byName : '';
      expect(lost[0]).toMatchObject({ ok: true, value: { applied: false, lost: { by: winner, what: 'approved' } } });

      await until(async () => (await posted(reply.text)).length > 0, 'the approved reply on the platform');
      // The author's console asks again under the same id: the posted message, by its author.
      const sent = (await anna.enqueue(reply)) as Result<Message>;
      expect(sent).toMatchObject({ ok: true, value: { by: 'Anna', fromUs: true, text: expect.stringContaining(reply.text) } });
      await until(async () => (await log('sent')).some((s) => s.data.approvalId === reply.clientId), 'the sent record');
      await new Promise((res) => setTimeout(res, 500));
      expect(await posted(reply.text), 'posted exactly once').toHaveLength(1);
      expect((await log('approve')).filter((a) => a.data.approvalId === reply.clientId)).toHaveLength(1);
      expect((await log('sent')).filter((s) => s.data.approvalId === reply.clientId)).toEqual([
        { kind: 'sent', by_login: 'pia', data: { approvalId: reply.clientId, messageKey: sent.ok ? sent.value.key : '' } },
      ]);
      const row = await db.admin.query('SELECT author, state FROM webcare.outbox WHERE client_id = $1', [reply.clientId]);
      expect(row.rows).toEqual([{ author: 'anna', state: 'done' }]);
    }

    // Every console derives the same from the log: sent, decided by the winner.
    const state = reduceWorkflow(await everyRecord());
    expect([...state.approvals.values()].map((a) => a.state)).toEqual(['sent', 'sent', 'sent']);
    expect(state.policy.logins.has('anna')).toBe(true);
  }, 90_000);

  it('a returned reply carries the lead\'s comment; sent anew and approved with an edit, the edited text is posted once', async () => {
    const lena = workflow(await db.link('lena'));
    expect((await lena.act(action({ kind: 'approvalPolicy', target: { channel: 'x_mention' }, required: true }))).ok).toBe(true);
    await leader(await db.link('pia'), core);
    const anna = writer(await db.link('anna'));
    const m = await target();

    const first = replyTo(m, `Eerste poging ${Date.now()}`);
    expect(await anna.enqueue(first)).toEqual({ ok: false, error: { kind: 'approval', state: 'pending' } });
    expect((await lena.act(action({ kind: 'return', approvalId: first.clientId, comment: 'Noem het ordernummer' }))).ok).toBe(true);
    expect(await anna.enqueue(first)).toEqual({ ok: false, error: { kind: 'approval', state: 'returned', comment: 'Noem het ordernummer', by: 'Lena' } });
    // Returned is final for that id: approving it afterwards loses, and nothing is queued.
    expect(await lena.act(action({ kind: 'approve', approvalId: first.clientId }))).toMatchObject({ ok: true, value: { applied: false, lost: { by: 'Lena', what: 'returned' } } });

    const second = replyTo(m, `Tweede poging, order 123 ${Date.now()}`);
    expect(await anna.enqueue(second)).toEqual({ ok: false, error: { kind: 'approval', state: 'pending' } });
    const edited = `${second.text} Met vriendelijke groet`;
    expect((await lena.act(action({ kind: 'approve', approvalId: second.clientId, text: edited }))).ok).toBe(true);
    await until(async () => (await posted(edited)).length > 0, 'the edited reply on the platform');
    expect(await anna.enqueue(second)).toMatchObject({ ok: true, value: { by: 'Anna', text: expect.stringContaining(edited) } });
    expect(await posted(second.text)).toHaveLength(0);
    expect(await posted(edited)).toHaveLength(1);
    expect(await posted(first.text)).toHaveLength(0);

    // An edited text the platform would refuse is refused before anything is approved.
    const third = replyTo(m, `Derde ${Date.now()}`);
    await anna.enqueue(third);
    expect(await lena.act(action({ kind: 'approve', approvalId: third.clientId, text: 'x'.repeat(400) }))).toMatchObject({ ok: false, error: { kind: 'team', team: 'other' } });
    expect((await db.admin.query("SELECT state FROM webcare.approvals WHERE client_id = $1", [third.clientId])).rows).toEqual([{ state: 'pending' }]);

    // A channel's policy passes leads by: they are the ones approving.
    const lenaOut = writer(await db.link('lena'));
    const own = replyTo(m, `Lena zelf ${Date.now()}`);
    expect(await lenaOut.enqueue(own)).toMatchObject({ ok: true, value: { by: 'Lena' } });
  }, 60_000);

  it('the database keeps approval: no console puts such a reply in the outbox, rewrites a queued one, or approves without being a lead', async () => {
    const lena = workflow(await db.link('lena'));
    expect((await lena.act(action({ kind: 'approvalPolicy', target: { login: 'anna' }, required: true }))).ok).toBe(true);
    const annaLink = await db.link('anna');
    const m = await target();
    const reply = replyTo(m, `Langs de goedkeuring ${Date.now()}`);
    const insert = (input: SendReplyInput) =>
      annaLink.query('INSERT INTO webcare.outbox (client_id, account_id, conversation_key, input) VALUES ($1, $2, $3, $4)', [
        input.clientId,
        input.accountId,
        `${input.channel}:${input.conversationId}`,
        JSON.stringify(input),
      ]);
    await expect(insert(reply)).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/approval/) });
    // Submitted, and inserted under its own id before a lead decided: still refused.
    expect(await writer(annaLink).enqueue(reply)).toEqual({ ok: false, error: { kind: 'approval', state: 'pending' } });
    await expect(insert(reply)).rejects.toMatchObject({ code: '42501' });
    // The approval queue is the functions' alone.
    await expect(annaLink.query("UPDATE webcare.approvals SET state = 'approved' WHERE client_id = $1", [reply.clientId])).rejects.toThrow(/permission denied/);
    await expect(annaLink.query('SELECT * FROM webcare.approval_decide($1, true, NULL, NULL, gen_random_uuid())', [reply.clientId])).rejects.toThrow(/only a lead/);
    expect(await workflow(annaLink).act(action({ kind: 'approve', approvalId: reply.clientId }))).toMatchObject({ ok: false, error: { kind: 'team', team: 'rights' } });
    expect(await workflow(annaLink).act(action({ kind: 'approvalPolicy', target: { login: 'anna' }, required: false }))).toMatchObject({ ok: false, error: { kind: 'team', team: 'rights' } });
    await expect(annaLink.query("DELETE FROM webcare.approval_policy WHERE value = 'anna'")).rejects.toThrow(/permission denied/);

    // Approved: a queued reply keeps the text the lead approved, whoever updates the row.
    expect((await lena.act(action({ kind: 'approve', approvalId: reply.clientId }))).ok).toBe(true);
    await expect(
      annaLink.query(`UPDATE webcare.outbox SET input = jsonb_set(input, '{text}', '"iets anders"') WHERE client_id = $1`, [reply.clientId]),
    ).rejects.toThrow(/cannot be changed/);
    const row = await db.admin.query<{ author: string; text: string }>("SELECT author, input->>'text' AS text FROM webcare.outbox WHERE client_id = $1", [reply.clientId]);
    expect(row.rows).toEqual([{ author: 'anna', text: reply.text }]);

    // Taken off approval: Anna's replies go straight to the outbox again.
    expect((await lena.act(action({ kind: 'approvalPolicy', target: { login: 'anna' }, required: false }))).ok).toBe(true);
    await insert(replyTo(m, `Weer vrij ${Date.now()}`));
  }, 40_000);

  it('a lead scores a sent reply (the newest score counts); an agent cannot; only our replies can be scored', async () => {
    const m = await target();
    const ours: Message = { ...m, key: `${m.channel}:ours-${Date.now()}`, platformId: `ours-${Date.now()}`, fromUs: true, text: 'Ons antwoord', by: 'Anna' };
    await db.storeMessage(ours);
    const lena = workflow(await db.link('lena'));
    const review = (score: number, comment?: string) => action({ kind: 'review', messageKey: ours.key, author: 'anna', score, ...(comment ? { comment } : {}) });
    const first = await lena.act(review(3));
    expect(first).toMatchObject({ ok: true, value: { applied: true, record: { conversationKey: `${m.channel}:${m.conversationId}` } } });
    expect((await lena.act(review(5, 'Helder en vriendelijk'))).ok).toBe(true);
    const rows = await db.admin.query('SELECT message_key, author, score, comment, by_login FROM webcare.reviews');
    expect(rows.rows).toEqual([{ message_key: ours.key, author: 'anna', score: 5, comment: 'Helder en vriendelijk', by_login: 'lena' }]);
    expect(await workflow(await db.link('anna')).act(review(5))).toMatchObject({ ok: false, error: { kind: 'team', team: 'rights' } });
    expect(await lena.act(action({ kind: 'review', messageKey: m.key, author: 'anna', score: 4 }))).toMatchObject({ ok: false, error: { kind: 'team' } });
    const state = reduceWorkflow(await everyRecord());
    expect(state.reviews.get(ours.key)).toMatchObject({ score: 5, author: 'anna', comment: 'Helder en vriendelijk', by: 'lena' });
  }, 30_000);
});
