import type { WorkflowState } from '../../../../shared/workflowState.js';
import type { WebcareDb } from '../../db/db';
import { loadFacts } from './leftBehind';

/**
 * Who has a conversation now, by conversation key: the newest of an explicit
 * assignment and a routing rule's assignee (an assignment made after the rule
 * routed the conversation wins; a rule's assignee after an assignment too).
 * `conversationOf` names the conversation of a routed message key (the
 * console's store), undefined when it does not hold that message.
 */
export function assigneesByConversation(state: WorkflowState, conversationOf: (messageKey: string) => string | undefined): Map<string, string> {
  const newest = new Map<string, { login: string; at: number }>();
  for (const [messageKey, r] of state.routed) {
    if (!r.assignee) continue;
    const key = conversationOf(messageKey);
    if (!key) continue;
    const had = newest.get(key);
    if (!had || r.at >= had.at) newest.set(key, { login: r.assignee, at: r.at });
  }
  const out = new Map<string, string>();
  for (const [key, v] of newest) {
    // Unassigned (or given to a department) since the rule routed it.
    const a = state.assignments.get(key);
    if (a && a.at >= v.at) continue;
    out.set(key, v.login);
  }
  for (const a of state.assignments.values()) {
    const routed = newest.get(a.conversationKey);
    if ('login' in a.to && (!routed || a.at >= routed.at)) out.set(a.conversationKey, a.to.login);
  }
  return out;
}

/**
 * Each agent's open load as this console knows it: conversations assigned to
 * them (by hand or by a routing rule) with an open customer message. Read from
 * the local store, so it works offline; a conversation this console does not
 * hold (another department's) counts as open.
 */
export async function openLoad(db: WebcareDb, state: WorkflowState): Promise<Map<string, number>> {
  const routedKeys = [...state.routed.entries()].filter(([, r]) => r.assignee).map(([k]) => k);
  const routedMessages = await db.messages.bulkGet(routedKeys);
  const conv = new Map(routedMessages.flatMap((m) => (m ? [[m.key, `${m.channel}:${m.conversationId}`] as const] : [])));
  const assignees = assigneesByConversation(state, (k) => conv.get(k));
  const facts = await loadFacts(db, [...assignees.keys()]);
  const load = new Map<string, number>();
  for (const [key, login] of assignees) {
    const f = facts.get(key);
    if (f && !f.open) continue;
    load.set(login, (load.get(login) ?? 0) + 1);
  }
  return load;
}
