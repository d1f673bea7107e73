import { describe, expect, it } from 'vitest';
import { leftOf } from '../../shared/team';

/** What a department console lets go of, from the workflow records it copies (shared/team.ts). */
describe('leftOf', () => {
  const assign = (department: string, left?: string) => ({ kind: 'assign', conversationKey: 'x_mention:c1', department, data: left ? { left } : {} });
  const account = (from: string | undefined, department: string | undefined) => ({ kind: 'accountDepartment', data: { accountId: 'x:1', ...(from ? { from } : {}), ...(department ? { department } : {}) } });
  const dora = { role: 'department', departments: ['billing'] };

  it('a conversation given (by an agent or a routing rule) from one of its departments to another, an account taken from one of them', () => {
    const route = { ...assign('support', 'billing'), kind: 'route', conversationKey: 'x_dm:c2' };
    expect(leftOf([assign('support', 'billing'), route, account('billing', 'sales'), account('billing', undefined)], dora)).toEqual([
      { conversationKey: 'x_mention:c1' },
      { conversationKey: 'x_dm:c2' },
      { accountId: 'x:1', department: 'billing' },
      { accountId: 'x:1', department: 'billing' },
    ]);
  });

  it('nothing that stays among its departments, comes to them, or was never theirs', () => {
    const both = { role: 'department', departments: ['billing', 'support'] };
    expect(leftOf([assign('support', 'billing'), account('billing', 'support')], both)).toEqual([]);
    expect(leftOf([assign('billing', 'support'), account(undefined, 'billing'), account('sales', 'billing'), assign('sales', 'support')], dora)).toEqual([]);
    expect(leftOf([{ kind: 'note', conversationKey: 'x_mention:c1', department: 'support', data: { left: 'billing' } }], dora)).toEqual([]);
  });

  it('staff see every department: nothing leaves their consoles', () => {
    for (const role of ['agent', 'specialist', 'lead', 'admin']) expect(leftOf([assign('support', 'billing'), account('billing', 'sales')], { role, departments: ['billing'] })).toEqual([]);
  });
});
