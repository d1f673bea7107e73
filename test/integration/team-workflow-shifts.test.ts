import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberNames } from '../../electron/host/team/actions';
import type { TeamLink } from '../../electron/host/team/link';
import { workflowHandlers } from '../../electron/host/team/wf/handlers';
import { TeamWorkflow, WORKFLOW_RECORD_JSON, recordOf } from '../../electron/host/team/wf/workflow';
import type { ActResult, WorkflowAction, WorkflowActionInput } from '../../shared/workflow';
import { WorkflowActionSchema } from '../../shared/workflow';
import { reduceWorkflow } from '../../shared/workflowState';
import { teamDb, type TeamDb } from '../support/teamConn';

/**
 * Block shifts against a real PostgreSQL: starting and ending a shift change
 * only the agent's own row; ending releases every claim of theirs in the same
 * transaction as the handover (both or neither), and two consoles of the same
 * agent ending at once publish one handover; a colleague acknowledges it once.
 */
let db: TeamDb;
let bramLink: TeamLink;

beforeAll(async () => {
  db = await teamDb();
  await db.addMember('bram', 'Bram');
  await db.addMember('sara', 'Sara', 'specialist', ['billing']);
  await db.addMember('lea', 'Lea', 'lead');
  await db.addMember('dora', 'Dora', 'department', ['sales']);
  await db.admin.query(`INSERT INTO webcare.accounts (id, platform, record, department) VALUES ('x:1', 'x', '{}'::jsonb, NULL), ('x:2', 'x', '{}'::jsonb, 'billing')`);
  for (const [acc, conv] of [['x:1', 'c1'], ['x:2', 'c2'], ['x:1', 'c3']] as const) {
    await db.storeMessage({ key: `x_mention:${conv}`, accountId: acc, channel: 'x_mention', platformId: conv, conversationId: conv, author: { id: 'u', name: 'U' }, text: `vraag over ${conv}`, createdAt: Date.now(), fromUs: false } as never);
  }
  bramLink = await db.link('bram');
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

function workflow(link: TeamLink): TeamWorkflow {
  return new TeamWorkflow({ conn: link, names: new MemberNames(link), handlers: workflowHandlers });
}

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
const action = (input: Without<WorkflowActionInput, 'id' | 'at'>): WorkflowAction => WorkflowActionSchema.parse({ ...input, id: crypto.randomUUID(), at: Date.now() });

function applied(r: Awaited<ReturnType<TeamWorkflow['act']>>): ActResult {
  if (!r.ok) throw new Error(`act failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

async function claimsOf(login: string): Promise<string[]> {
  const r = await db.admin.query<{ k: string }>('SELECT conversation_key AS k FROM webcare.claims WHERE login = $1 ORDER BY 1', [login]);
  return r.rows.map((x) => x.k);
}

async function onDuty(login: string): Promise<boolean> {
  const r = await db.admin.query('SELECT 1 FROM webcare.shifts WHERE login = $1 AND ended_at IS NULL', [login]);
  return r.rowCount === 1;
}

async function state() {
  const r = await db.admin.query<{ wf: unknown }>(`SELECT ${WORKFLOW_RECORD_JSON} FROM webcare.actions a LEFT JOIN webcare.members mb ON mb.login = a.by_login ORDER BY a.seq`);
  return reduceWorkflow(r.rows.map((x) => recordOf(x.wf)));
}

describe('block shifts and handover', () => {
  it('a shift starts once; the shifts table is written only through the agent’s own actions', async () => {
    const bram = workflow(bramLink);
    const start = action({ kind: 'shiftStart' });
    expect(applied(await bram.act(start)).applied).toBe(true);
    // A replay of the same action is the same record; a second start is refused.
    expect(applied(await bram.act(start))).toMatchObject({ applied: true, record: { id: start.id } });
    expect(applied(await bram.act(action({ kind: 'shiftStart' })))).toMatchObject({ applied: false, lost: { what: 'onDuty' } });
    expect(await onDuty('bram')).toBe(true);
    const starts = await db.admin.query(`SELECT by_login FROM webcare.actions WHERE kind = 'shiftStart'`);
    expect(starts.rows).toEqual([{ by_login: 'bram' }]);

    // Nobody puts a colleague on or off duty by hand; everybody reads who is on duty.
    const sara = await db.link('sara');
    await expect(sara.query(`UPDATE webcare.shifts SET ended_at = now() WHERE login = 'bram'`)).rejects.toThrow(/permission denied/);
    await expect(sara.query(`INSERT INTO webcare.shifts (login, started_at) VALUES ('lea', now())`)).rejects.toThrow(/permission denied/);
    const dora = await db.link('dora');
    expect((await dora.query(`SELECT login FROM webcare.shifts WHERE ended_at IS NULL`)).rows).toEqual([{ login: 'bram' }]);
    expect((await state()).onDuty.get('bram')).toMatchObject({ login: 'bram', name: 'Bram' });
  });

  it('a handover that cannot be published changes nothing: claims held, still on duty', async () => {
    const bram = workflow(bramLink);
    for (const k of ['x_mention:c1', 'x_mention:c2']) {
      const r = await bramLink.query<{ won: boolean }>('SELECT won FROM webcare.claim($1, 180000)', [k]);
      expect(r.rows[0]?.won).toBe(true);
    }
    const saraLink = await db.link('sara');
    expect((await saraLink.query<{ won: boolean }>('SELECT won FROM webcare.claim($1, 180000)', ['x_mention:c3'])).rows[0]?.won).toBe(true);

    const toStranger = await bram.act(action({ kind: 'shiftEnd', note: 'n', drafts: [{ conversationKey: 'x_mention:c1', to: 'nobody', text: 'Hoi!' }] }));
    expect(applied(toStranger)).toMatchObject({ applied: false, lost: { by: 'nobody', what: 'unknownColleague' } });
    // A department employee of sales cannot open c1 (no department): refused by name.
    const toDora = await bram.act(action({ kind: 'shiftEnd', note: 'n', drafts: [{ conversationKey: 'x_mention:c1', to: 'dora', text: 'Hoi!' }] }));
    expect(applied(toDora)).toMatchObject({ applied: false, lost: { by: 'Dora', what: 'notTheirDepartment' } });
    expect(await claimsOf('bram')).toEqual(['x_mention:c1', 'x_mention:c2']);
    expect(await onDuty('bram')).toBe(true);
    expect((await db.admin.query(`SELECT 1 FROM webcare.actions WHERE kind = 'shiftEnd'`)).rowCount).toBe(0);
  });

  it('ending the shift releases the agent’s claims in the same transaction as the handover', async () => {
    const bram = workflow(bramLink);
    const end = action({
      kind: 'shiftEnd',
      note: 'Fleur belt morgen terug over haar pakket.',
      items: [
        { conversationKey: 'x_mention:c1', reason: 'claim', text: 'vraag over c1' },
        { conversationKey: 'x_mention:c2', reason: 'late', text: 'vraag over c2 (billing)' },
      ],
      drafts: [{ conversationKey: 'x_mention:c1', to: 'sara', text: 'Hoi Fleur, we zoeken het uit.' }],
    });
    const r = applied(await bram.act(end));
    expect(r.applied).toBe(true);
    expect(await claimsOf('bram')).toEqual([]);
    expect(await claimsOf('sara')).toEqual(['x_mention:c3']);
    expect(await onDuty('bram')).toBe(false);

    const data = r.record!.data as { released: string[]; items: Array<{ conversationKey: string; reason: string; text?: string }>; drafts: unknown[] };
    expect(data.released).toEqual(['x_mention:c1', 'x_mention:c2']);
    // Every released claim is among the items; a billing conversation's excerpt is not in the log
    // (the log is the team's); the draft goes to Sara as written.
    expect(data.items).toEqual([
      { conversationKey: 'x_mention:c1', reason: 'claim', text: 'vraag over c1' },
      { conversationKey: 'x_mention:c2', reason: 'late' },
      { conversationKey: 'x_mention:c2', reason: 'claim' },
    ]);
    expect(data.drafts).toEqual([{ conversationKey: 'x_mention:c1', to: 'sara', text: 'Hoi Fleur, we zoeken het uit.' }]);

    // Named in the audit trail: the end of the shift and each release, by Bram.
    const audit = await db.admin.query<{ login: string; action: string; subject: string | null }>(
      `SELECT login, action, subject FROM webcare.audit WHERE action IN ('shiftEnd', 'release') ORDER BY id`,
    );
    expect(audit.rows).toEqual(
      expect.arrayContaining([
        { login: 'bram', action: 'release', subject: 'x_mention:c1' },
        { login: 'bram', action: 'release', subject: 'x_mention:c2' },
        { login: 'bram', action: 'shiftEnd', subject: null },
      ]),
    );

    // A handover may carry any department's drafts: a department employee does not read a colleague's.
    const readable = async (login: string) => (await (await db.link(login)).query('SELECT id FROM webcare.actions WHERE id = $1', [end.id])).rowCount;
    expect(await readable('dora')).toBe(0);
    expect(await readable('sara')).toBe(1);

    // Ending again (off duty) publishes nothing.
    expect(applied(await bram.act(action({ kind: 'shiftEnd' })))).toMatchObject({ applied: false, lost: { what: 'offDuty' } });

    const s = await state();
    expect(s.onDuty.has('bram')).toBe(false);
    expect(s.handovers).toHaveLength(1);
    expect(s.handovers[0]).toMatchObject({ id: end.id, by: 'bram', byName: 'Bram', note: 'Fleur belt morgen terug over haar pakket.', acks: [] });
  });

  it('the next agent on duty acknowledges the handover once; its author cannot', async () => {
    const handoverId = (await state()).handovers[0]!.id;
    const sara = workflow(await db.link('sara'));
    expect(applied(await sara.act(action({ kind: 'shiftStart' }))).applied).toBe(true);
    // Two of Sara's consoles acknowledge at the same moment: one acknowledgement.
    const [a, b] = await Promise.all([sara.act(action({ kind: 'handoverAck', handoverId })), workflow(await db.link('sara')).act(action({ kind: 'handoverAck', handoverId }))]);
    const results = [applied(a), applied(b)];
    expect(results.filter((x) => x.applied)).toHaveLength(1);
    expect(results.filter((x) => !x.applied)).toEqual([{ applied: false, lost: { what: 'acknowledged' } }]);

    expect(applied(await workflow(bramLink).act(action({ kind: 'handoverAck', handoverId })))).toMatchObject({ applied: false, lost: { what: 'ownHandover' } });
    expect(applied(await sara.act(action({ kind: 'handoverAck', handoverId: crypto.randomUUID() })))).toMatchObject({ applied: false, lost: { what: 'unknownHandover' } });

    const h = (await state()).handovers[0]!;
    expect(h.acks.map((x) => x.by)).toEqual(['sara']);
  });

  it('two consoles of one agent ending the shift at the same moment publish one handover', async () => {
    const bram = workflow(bramLink);
    expect(applied(await bram.act(action({ kind: 'shiftStart' }))).applied).toBe(true);
    expect((await bramLink.query<{ won: boolean }>('SELECT won FROM webcare.claim($1, 180000)', ['x_mention:c1'])).rows[0]?.won).toBe(true);
    const other = workflow(await db.link('bram'));
    const [a, b] = await Promise.all([bram.act(action({ kind: 'shiftEnd', note: 'eerste' })), other.act(action({ kind: 'shiftEnd', note: 'tweede' }))]);
    const results = [applied(a), applied(b)];
    expect(results.filter((x) => x.applied)).toHaveLength(1);
    expect(results.filter((x) => !x.applied)).toEqual([{ applied: false, lost: { what: 'offDuty' } }]);
    const winner = results.find((x) => x.applied)!;
    expect((winner.record!.data as { released: string[] }).released).toEqual(['x_mention:c1']);
    expect(await claimsOf('bram')).toEqual([]);
    expect((await state()).handovers).toHaveLength(2);
  });
});
