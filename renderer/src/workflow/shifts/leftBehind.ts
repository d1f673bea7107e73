import type { Message } from '../../../../shared/model.js';
import { conversationKeyOf } from '../../../../shared/conversation.js';
import { previewText } from '../../../../shared/text/preview.js';
import type { HandoverItem } from '../../../../shared/workflow.js';
import type { WorkflowState } from '../../../../shared/workflowState.js';
import type { StoredDraft } from '../../composer/drafts';
import type { StoredMark, WebcareDb } from '../../db/db';

/**
 * What an agent leaves behind at the end of a shift, as the end-of-shift dialog
 * lists it and the handover carries it:
 *   claim     conversations they are replying in (released when the shift ends)
 *   followUp  conversations they promised to come back to: there is no snooze or
 *             "follow up later" in the console, so this is the closest the team's
 *             log knows of: a question they asked a specialist that is still open,
 *             or answered with no reply of ours since
 *   assigned  conversations assigned to them that still have an open customer message
 *   late      customer messages that arrived during the shift, are still waiting
 *             (no reply of ours since) and are near (LATE_SHARE) or past the
 *             team's response target
 *   draft     unsent replies in this console's drafts
 */

/** "Near the response target": this share of it waited already. */
export const LATE_SHARE = 0.75;
/** At most this many late conversations are listed (the oldest waiting first). */
export const LATE_MAX = 50;
/** Without a known shift start, "arrived during the shift" looks back this far. */
export const SHIFT_LOOKBACK_MS = 12 * 60 * 60_000;
const EXCERPT = 140;

/** A conversation as this console holds it. */
export interface ConversationFacts {
  key: string;
  /** The newest message, to open the conversation. */
  messageKey: string;
  /** A customer message (not ours) is open (no mark counts as open) and not hidden. */
  open: boolean;
  /** The oldest customer message after our last reply, still open: since when it waits. */
  waitingSince?: number;
  lastOursAt?: number;
  /** The newest customer message, in a few words. */
  excerpt?: string;
  /** Team mode: the department it belongs to. */
  department?: string;
}

export interface DraftLeft {
  conversationKey: string;
  messageKey: string;
  text: string;
  department?: string;
}

export interface LeftBehind {
  /** Every reason but drafts, in the order the dialog lists them. */
  items: Array<HandoverItem & { messageKey?: string; waitingSince?: number }>;
  drafts: DraftLeft[];
}

export { conversationKeyOf };

/** The facts of one conversation from its messages and their marks. */
export function factsOf(key: string, messages: readonly Message[], marks: ReadonlyMap<string, StoredMark>): ConversationFacts | null {
  if (messages.length === 0) return null;
  const sorted = [...messages].sort((a, b) => a.createdAt - b.createdAt);
  let lastOursAt: number | undefined;
  for (const m of sorted) if (m.fromUs) lastOursAt = m.createdAt;
  const isOpen = (m: Message) => {
    const mark = marks.get(m.key);
    return !m.fromUs && !mark?.hidden && (mark?.status ?? 'open') === 'open';
  };
  const customer = sorted.filter((m) => !m.fromUs);
  const waiting = customer.find((m) => isOpen(m) && (lastOursAt === undefined || m.createdAt > lastOursAt));
  const newestCustomer = customer[customer.length - 1];
  const department = sorted.find((m) => m.department)?.department;
  return {
    key,
    messageKey: sorted[sorted.length - 1]!.key,
    open: customer.some(isOpen),
    ...(waiting ? { waitingSince: waiting.createdAt } : {}),
    ...(lastOursAt !== undefined ? { lastOursAt } : {}),
    ...(newestCustomer ? { excerpt: previewText(newestCustomer.text.replace(/\s+/g, ' ').trim(), EXCERPT) } : {}),
    ...(department ? { department } : {}),
  };
}

export interface CollectInput {
  login: string;
  now: number;
  /** The shift's start (the agent's own shiftStart), when known. */
  shiftSince?: number;
  responseTargetMs: number;
  /** Keys of the conversations this login holds a claim on. */
  claims: readonly string[];
  state: WorkflowState;
  facts: ReadonlyMap<string, ConversationFacts>;
  /** Conversations with a customer message that arrived during the shift (late candidates). */
  recent: readonly ConversationFacts[];
  drafts: readonly Pick<StoredDraft, 'threadKey' | 'text' | 'messageKey'>[];
}

/** The keys whose facts `collectLeftBehind` needs, besides the recent ones. */
export function keysToLook(input: Pick<CollectInput, 'login' | 'claims' | 'state'>): string[] {
  const keys = new Set(input.claims);
  for (const a of input.state.assignments.values()) if ('login' in a.to && a.to.login === input.login) keys.add(a.conversationKey);
  for (const a of input.state.asks.values()) if (a.by === input.login) keys.add(a.conversationKey);
  return [...keys];
}

/** Pure: what the agent leaves behind, from what this console knows. */
export function collectLeftBehind(input: CollectInput): LeftBehind {
  const { login, state, facts } = input;
  const items: LeftBehind['items'] = [];
  const add = (reason: HandoverItem['reason'], key: string, f = facts.get(key), extra: { waitingSince?: number } = {}) => {
    if (items.some((i) => i.reason === reason && i.conversationKey === key)) return;
    items.push({ conversationKey: key, reason, ...(f?.excerpt ? { text: f.excerpt } : {}), ...(f ? { messageKey: f.messageKey } : {}), ...extra });
  };

  for (const key of input.claims) add('claim', key);

  // Asks of mine, newest last; one answered counts until we replied after its answer.
  for (const a of input.state.asks.values()) {
    if (a.by !== login) continue;
    const f = facts.get(a.conversationKey);
    const followedUp = a.answer !== undefined && f?.lastOursAt !== undefined && f.lastOursAt >= a.answer.at;
    if (!followedUp) add('followUp', a.conversationKey);
  }

  for (const a of state.assignments.values()) {
    if (!('login' in a.to) || a.to.login !== login) continue;
    // Not on this console (another department's, or not copied yet): listed, it is assigned all the same.
    const f = facts.get(a.conversationKey);
    if (!f || f.open) add('assigned', a.conversationKey);
  }

  const listed = new Set(items.map((i) => i.conversationKey));
  const since = input.shiftSince ?? input.now - SHIFT_LOOKBACK_MS;
  const near = input.responseTargetMs * LATE_SHARE;
  input.recent
    .filter((f) => f.waitingSince !== undefined && f.waitingSince >= since && input.now - f.waitingSince >= near && !listed.has(f.key))
    .sort((a, b) => a.waitingSince! - b.waitingSince!)
    .slice(0, LATE_MAX)
    .forEach((f) => add('late', f.key, f, { waitingSince: f.waitingSince! }));

  const drafts = input.drafts
    .filter((d) => typeof d.text === 'string' && d.text.trim() !== '')
    .map((d) => {
      const department = facts.get(d.threadKey)?.department;
      return { conversationKey: d.threadKey, messageKey: d.messageKey, text: d.text, ...(department ? { department } : {}) };
    });
  return { items, drafts };
}

async function conversationMessages(db: WebcareDb, key: string): Promise<Message[]> {
  const at = key.indexOf(':');
  if (at < 0) return [];
  const channel = key.slice(0, at);
  return db.messages
    .where('conversationId')
    .equals(key.slice(at + 1))
    .filter((m) => m.channel === channel)
    .toArray();
}

/** The facts of the given conversations (those this console holds). */
export async function loadFacts(db: WebcareDb, keys: readonly string[]): Promise<Map<string, ConversationFacts>> {
  const out = new Map<string, ConversationFacts>();
  for (const key of new Set(keys)) {
    const messages = await conversationMessages(db, key);
    if (messages.length === 0) continue;
    const marks = await db.marks.bulkGet(messages.map((m) => m.key));
    const f = factsOf(key, messages, new Map(marks.flatMap((m) => (m ? [[m.key, m] as const] : []))));
    if (f) out.set(key, f);
  }
  return out;
}

/** Everything the end-of-shift dialog lists, read from this console's store. */
export async function loadLeftBehind(db: WebcareDb, input: Omit<CollectInput, 'facts' | 'recent' | 'drafts'>): Promise<LeftBehind> {
  const since = input.shiftSince ?? input.now - SHIFT_LOOKBACK_MS;
  // Only customer messages old enough to be near the target and still open are candidates; of
  // their conversations, the oldest few are read in full (a burst must not mean a read per thread).
  const nearBefore = input.now - input.responseTargetMs * LATE_SHARE;
  const arrived =
    since <= nearBefore
      ? await db.messages
          .where('createdAt')
          .between(since, nearBefore, true, true)
          .filter((m) => !m.fromUs)
          .toArray()
      : [];
  const marks = await db.marks.bulkGet(arrived.map((m) => m.key));
  const open = arrived.filter((m, i) => !marks[i]?.hidden && (marks[i]?.status ?? 'open') === 'open').sort((a, b) => a.createdAt - b.createdAt);
  const recentKeys = [...new Set(open.map(conversationKeyOf))].slice(0, LATE_MAX * 4);
  const drafts = (await db.drafts.toArray()) as StoredDraft[];
  const facts = await loadFacts(db, [...keysToLook(input), ...recentKeys, ...drafts.map((d) => d.threadKey)]);
  const recent = recentKeys.flatMap((k) => (facts.has(k) ? [facts.get(k)!] : []));
  return collectLeftBehind({ ...input, facts, recent, drafts });
}
