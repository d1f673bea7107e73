import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/model';
import { WorkflowActionSchema } from '../../shared/workflow';
import { copyingConsole, customerMention, teamDb, workflowActor, type TeamDb } from '../support/teamConn';
import { until } from './harness';

/**
 * An account's department, set by a lead as a workflow action against a real
 * PostgreSQL: who may set it, what it does to the messages the account has
 * (they follow it, except a conversation routing or an agent moved
 * elsewhere), what the department's employees then see, and what the log and
 * the audit trail say.
 */
let db: TeamDb;
const { linkOf, act, workflowOf } = workflowActor(() => db);

const message = (conversationId: string, over: Partial<Message> = {}) => customerMention(conversationId, { text: 'Mijn factuur klopt niet', ...over });

async function departments(): Promise<Record<string, string | null>> {
  const r = await db.admin.query<{ key: string; department: string | null }>(`SELECT key, department FROM webcare.messages ORDER BY key`);
  return Object.fromEntries(r.rows.map((x) => [x.key, x.department]));
}

async function seenBy(login: string): Promise<string[]> {
  const r = await (await linkOf(login)).query<{ key: string }>('SELECT key FROM webcare.messages ORDER BY key');
  return r.rows.map((x) => x.key);
}

beforeAll(async () => {
  db = await teamDb();
  await db.addMember('lena', 'Lena', 'lead');
  await db.addMember('bram', 'Bram');
  await db.addMember('dora', 'Dora', 'department', ['billing']);
  await db.addMember('sven', 'Sven', 'department', ['shipping']);
  await db.admin.query(`INSERT INTO webcare.accounts (id, platform, record) VALUES ('x:1', 'x', '{}'::jsonb), ('x:2', 'x', '{}'::jsonb)`);
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

describe('an account’s department', () => {
  const a = message('c1');
  const b = message('c2');
  const moved = message('c3');
  const other = message('c4', { accountId: 'x:2' });

  it('is a lead’s to set: an agent and a department employee are refused, and nothing changes', async () => {
    for (const m of [a, b, moved, other]) await db.storeMessage(m);
    // Routing (or an agent) moved one conversation to shipping before.
    await act('bram', { kind: 'assign', conversationKey: 'x_mention:c3', keys: [moved.key], to: { department: 'shipping' } });
    await expect(act('bram', { kind: 'accountDepartment', accountId: 'x:1', department: 'billing' })).rejects.toMatchObject({ error: { kind: 'team', team: 'rights' } });
    await expect(act('dora', { kind: 'accountDepartment', accountId: 'x:1', department: 'billing' })).rejects.toMatchObject({ error: { kind: 'team', team: 'rights' } });
    expect((await db.admin.query(`SELECT department FROM webcare.accounts WHERE id = 'x:1'`)).rows).toEqual([{ department: null }]);
    expect(await departments()).toEqual({ [a.key]: null, [b.key]: null, [moved.key]: 'shipping', [other.key]: null });
    expect(await seenBy('dora')).toEqual([]);
  });

  it('moves the account’s messages along (not a conversation moved elsewhere, not another account’s), and its later ones', async () => {
    const { action, result } = await act('lena', { kind: 'accountDepartment', accountId: 'x:1', department: 'billing' });
    expect(result).toMatchObject({ applied: true, record: { id: action.id, kind: 'accountDepartment', by: 'lena', byName: 'Lena', data: { accountId: 'x:1', department: 'billing' } } });
    // It was in none before: a record names only what is not empty.
    expect(result.record && 'from' in result.record.data).toBe(false);
    expect((await db.admin.query(`SELECT department FROM webcare.accounts WHERE id = 'x:1'`)).rows).toEqual([{ department: 'billing' }]);
    expect(await departments()).toEqual({ [a.key]: 'billing', [b.key]: 'billing', [moved.key]: 'shipping', [other.key]: null });
    // The billing employee now sees them; the shipping one still only the conversation moved to shipping.
    expect(await seenBy('dora')).toEqual([a.key, b.key].sort());
    expect(await seenBy('sven')).toEqual([moved.key]);
    const later = message('c5');
    await db.storeMessage(later);
    expect(await seenBy('dora')).toContain(later.key);
    // On record with who did it, in the log and the audit trail.
    const audit = await db.admin.query<{ login: string; action: string; detail: string }>(`SELECT login, action, detail FROM webcare.audit WHERE action = 'accountDepartment'`);
    expect(audit.rows).toEqual([{ login: 'lena', action: 'accountDepartment', detail: expect.stringContaining('"department": "billing"') }]);
  });

  it('a replay changes nothing again; another department takes the messages still in the old one; none gives them back to everyone', async () => {
    // Dora's console (billing) copies the team's changes meanwhile.
    const { batches: got, stop } = await copyingConsole(await linkOf('dora'), 't-dora-account');
    await until(() => got.some((b) => b.messages.some((m) => m.key === a.key)), 'Dora’s console has the account’s messages');
    const { action } = await act('lena', { kind: 'accountDepartment', accountId: 'x:1', department: 'sales' });
    // It is told that the account's billing messages left (the account going to billing told it nothing of the kind).
    const told = await until(() => got.find((b) => b.left?.length), 'Dora’s console told what left').finally(stop);
    expect(told.left).toEqual([{ accountId: 'x:1', department: 'billing' }]);
    expect(got.filter((b) => b.left?.length)).toHaveLength(1);
    const again = await (await workflowOf('lena')).act(action);
    expect(again).toMatchObject({ ok: true, value: { applied: true, record: { id: action.id, data: { from: 'billing', department: 'sales' } } } });
    expect((await db.admin.query(`SELECT count(*)::int AS n FROM webcare.actions WHERE id = $1`, [action.id])).rows).toEqual([{ n: 1 }]);
    expect(await seenBy('dora')).toEqual([]);
    expect((await departments())[moved.key]).toBe('shipping');

    await act('lena', { kind: 'accountDepartment', accountId: 'x:1', department: null });
    const now = await departments();
    expect(Object.entries(now).filter(([, d]) => d !== null)).toEqual([[moved.key, 'shipping']]);
  });

  it('refuses an account the team does not have, and a name the database would not keep', async () => {
    await expect(act('lena', { kind: 'accountDepartment', accountId: 'x:404', department: 'billing' })).rejects.toThrow(/not one of the team/);
    expect(WorkflowActionSchema.safeParse({ id: crypto.randomUUID(), at: 1, kind: 'accountDepartment', accountId: 'x:1', department: 'x'.repeat(61) }).success).toBe(false);
    expect(WorkflowActionSchema.safeParse({ id: crypto.randomUUID(), at: 1, kind: 'accountDepartment', accountId: 'x:1', department: '   ' }).success).toBe(false);
  });
});
