import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../../shared/workflow';
import { DEFAULT_ROUTING_CAP, reduceWorkflow } from '../../shared/workflowState';

/** What the routing records make of the workflow state every console derives. */
let seq = 0;
const rec = (kind: string, data: Record<string, unknown>, over: Partial<WorkflowRecord> = {}): WorkflowRecord => ({
  id: crypto.randomUUID(),
  kind,
  seq: ++seq,
  by: 'lea',
  byName: 'Lea',
  at: 1000 + seq,
  clientAt: 1000 + seq,
  data,
  ...over,
});

const ruleOf = (id: string, name: string, order: number) => ({ id, name, order, enabled: true, continue: false, when: { text: '', channels: [], accounts: [], languages: [], authors: [] }, then: { tag: 't' } });
const R1 = '00000000-0000-4000-8000-000000000001';
const R2 = '00000000-0000-4000-8000-000000000002';

describe('routing records', () => {
  it('rules are kept in order, replaced when saved again, gone when deleted; the cap as last set', () => {
    const s = reduceWorkflow([
      rec('ruleSave', { rule: ruleOf(R1, 'B', 2) }),
      rec('ruleSave', { rule: ruleOf(R2, 'A', 3) }),
      rec('ruleSave', { rule: ruleOf(R2, 'A2', 1) }),
      rec('routingCap', { cap: 4 }),
    ]);
    expect(s.rules.map((r) => r.name)).toEqual(['A2', 'B']);
    expect(s.cap).toBe(4);
    expect(reduceWorkflow([rec('ruleSave', { rule: ruleOf(R1, 'B', 2) }), rec('ruleDelete', { ruleId: R1 })]).rules).toEqual([]);
    expect(reduceWorkflow([]).cap).toBe(DEFAULT_ROUTING_CAP);
  });

  it('a route record routes its keys, assigns the conversation and shows in its thread', () => {
    const s = reduceWorkflow([
      rec('route', { ruleId: R1, ruleName: 'Facturen', keys: ['x_mention:1', 'x_mention:2'], department: 'billing', assignee: 'bram', priority: 'high' }, { conversationKey: 'x_mention:c1', by: 'anna', byName: 'Anna' }),
    ]);
    expect(s.routed.get('x_mention:2')).toMatchObject({ ruleId: R1, ruleName: 'Facturen', department: 'billing', assignee: 'bram', priority: 'high' });
    expect(s.assignments.get('x_mention:c1')).toMatchObject({ to: { login: 'bram' }, by: 'anna' });
    expect(s.notes.get('x_mention:c1')?.map((x) => [x.kind, x.text])).toEqual([['route', 'Facturen']]);
  });

  it('records of two rules on one message complete each other; the card names the rule that set the priority', () => {
    const s = reduceWorkflow([
      rec('route', { ruleId: R1, ruleName: 'Billing', keys: ['k'], department: 'billing' }, { conversationKey: 'c' }),
      rec('route', { ruleId: R2, ruleName: 'Spoed', keys: ['k'], priority: 'high', tag: 'spoed' }, { conversationKey: 'c' }),
    ]);
    expect(s.routed.get('k')).toMatchObject({ ruleName: 'Spoed', department: 'billing', priority: 'high', tag: 'spoed' });
    expect(s.assignments.get('c')?.to).toEqual({ department: 'billing' });
  });

  it('a department route does not take a conversation away from its assignee', () => {
    const s = reduceWorkflow([
      rec('assign', { to: { login: 'sara' }, keys: [] }, { conversationKey: 'c' }),
      rec('route', { ruleId: R1, ruleName: 'Billing', keys: ['k'], department: 'billing' }, { conversationKey: 'c' }),
    ]);
    expect(s.assignments.get('c')?.to).toEqual({ login: 'sara' });
    expect(s.routed.get('k')?.department).toBe('billing');
  });
});
