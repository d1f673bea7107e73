import { useContext, useSyncExternalStore } from 'react';
import { conversationKeyOf } from '../../../../shared/conversation.js';
import type { Message } from '../../../../shared/model.js';
import type { TeamMember, TeamStatus } from '../../../../shared/team.js';
import type { Me, Mentionable } from '../../../../shared/workflowState.js';
import type { WebcareDb } from '../../db/db';
import { ServicesContext } from '../../services';
import { displayName } from '../../team/useTeam';
import type { AssignSubject } from './assignUi';

export { conversationKeyOf };

/** A conversation key's channel and conversation id (channels hold no colon; ids may). */
export function splitConversationKey(key: string): { channel: string; conversationId: string } {
  const at = key.indexOf(':');
  return { channel: key.slice(0, at), conversationId: key.slice(at + 1) };
}

/** The messages of a conversation this console holds (the action names them; the team's database marks all it holds). */
export async function conversationMessages(db: WebcareDb, conversationKey: string): Promise<Message[]> {
  const { channel, conversationId } = splitConversationKey(conversationKey);
  const all = await db.messages.where('conversationId').equals(conversationId).toArray();
  return all.filter((m) => m.channel === channel).sort((a, b) => a.createdAt - b.createdAt);
}

/** The message to open a conversation by: its newest customer message, else its newest. */
export async function openingMessage(db: WebcareDb, conversationKey: string): Promise<string | null> {
  const list = await conversationMessages(db, conversationKey);
  const customer = list.filter((m) => !m.fromUs);
  return (customer[customer.length - 1] ?? list[list.length - 1])?.key ?? null;
}

/** The conversations of picked cards, once each, in the order picked. */
export async function subjectsOf(db: WebcareDb, messageKeys: readonly string[]): Promise<AssignSubject[]> {
  const messages = await db.messages.bulkGet([...messageKeys]);
  const seen = new Set<string>();
  const out: AssignSubject[] = [];
  for (const m of messages) {
    if (!m) continue;
    const conversationKey = conversationKeyOf(m);
    if (seen.has(conversationKey)) continue;
    seen.add(conversationKey);
    out.push({ conversationKey, messageKey: m.key });
  }
  return out;
}

/** This console's team login as the workflow asks it, or null when not in a team. */
export function meOf(team: TeamStatus | null | undefined): (Me & { name: string; role: TeamMember['role'] }) | null {
  const me = team?.me;
  if (!me) return null;
  return { login: me.login, name: displayName(me.name) || me.login, departments: me.departments, role: me.role };
}

/** Colleagues as @mentions and the assign dialog name them. */
export function mentionables(team: TeamStatus | null | undefined): Mentionable[] {
  return (team?.members ?? []).map((m) => ({ login: m.login, name: displayName(m.name) || m.login }));
}

/** Every department the team knows (its members'), sorted. */
export function departmentsOf(team: TeamStatus | null | undefined): string[] {
  const all = new Set<string>();
  for (const m of team?.members ?? []) for (const d of m.departments) all.add(d);
  for (const d of team?.me?.departments ?? []) all.add(d);
  return [...all].sort((a, b) => a.localeCompare(b));
}

const NO_STATUS = { get: () => null, subscribe: () => () => undefined };

/**
 * The team login of this console, or null; a primitive, so the many cards re-render only when it
 * changes. A card drawn outside the console (a preview, a test) has no services: no team then.
 */
export function useTeamLogin(): string | null {
  const status = useContext(ServicesContext)?.status ?? NO_STATUS;
  const get = () => status.get()?.team?.me?.login ?? null;
  return useSyncExternalStore(status.subscribe, get, get);
}
