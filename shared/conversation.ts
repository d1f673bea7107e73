import { isXPostChannel, type Author, type Channel, type Message } from './model.js';

/**
 * The one definition of where a conversation stands, used by the column
 * header's figures (unread, oldest waiting, the response-target colour), the
 * cards and anything that reports on response times.
 *
 * A customer's message is *waiting* while no reply of ours follows it, and
 * *answered* once one does: sent from this console, by a colleague, or on the
 * platform itself (x.com, Meta Business Suite) and read back by the poller;
 * they are all stored messages `fromUs`. A reply that failed, or is still in
 * the outbox, is not a stored message and answers nothing. When the customer
 * writes again, the new message waits. *Done* and *archived* are what an agent
 * chose (the message's mark) and win over both.
 *
 * Who a reply answers depends on the channel:
 *
 * - Private channels (X DMs, Messenger): the conversation is one person and us,
 *   so our message answers everything before it.
 * - Facebook comments: a thread is one top-level comment and its replies (one
 *   level deep), and the poller's copy of our reply names the top-level comment
 *   as its parent whoever we answered in it, so our public reply answers the
 *   whole thread before it. A private reply (sent to one commenter's Messenger,
 *   shown in the thread) answers only that commenter.
 * - X posts: a thread can hold many people, and X keeps what each post replies
 *   to, so our reply answers the person whose post it replies to (following our
 *   own posts up, for the later parts of a split reply). A reply to a post the
 *   console does not hold answers the whole thread before it. A mention and a
 *   keyword-search hit of one X conversation are one thread: a reply stored in
 *   either answers both.
 *
 * A reply on another channel (a DM to someone who mentioned us in public) does
 * not answer the other conversation: the two are separate until an agent marks
 * one done.
 */

/** A status an agent sets on a message (its mark), as shared/filter.ts defines it. */
type AgentStatus = 'open' | 'done' | 'archived';

export type MessageState = 'waiting' | 'answered' | 'done' | 'archived';

/** What this module reads of a message. */
export type StateMessage = Pick<Message, 'key' | 'platformId' | 'channel' | 'conversationId' | 'createdAt' | 'fromUs'> &
  Partial<Pick<Message, 'inReplyToId' | 'privately'>> & { author: Pick<Author, 'id'> };

/** What this module reads of a mark. */
export interface StateMark {
  status: AgentStatus;
  hidden?: boolean;
}

/** Channels where a conversation is one person and us: shown as one card per conversation. */
export function isPrivateChannel(channel: Channel): boolean {
  return channel === 'x_dm' || channel === 'fb_message';
}

/** The conversation as the team's workflow and outbox name it: `channel:conversationId`. */
export function conversationKeyOf(m: Pick<Message, 'channel' | 'conversationId'>): string {
  return `${m.channel}:${m.conversationId}`;
}

/**
 * The thread our replies count in. X post channels share one (a search hit and
 * a mention in one X conversation); every other channel's ids are its own.
 */
export function answerThreadKey(m: Pick<Message, 'channel' | 'conversationId'>): string {
  return `${isXPostChannel(m.channel) ? 'x_post' : m.channel}:${m.conversationId}`;
}

/** Oldest first; a customer's message before ours of the same millisecond (ours answers it, not the other way). */
export function byTime(a: StateMessage, b: StateMessage): number {
  return a.createdAt - b.createdAt || (a.fromUs === b.fromUs ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.fromUs ? 1 : -1);
}

/** Who one reply of ours answers: everyone before it in the thread, or one person (an author id). */
export function audienceOf(reply: StateMessage, byId: ReadonlyMap<string, StateMessage>): { all: true } | { author: string } | null {
  if (isPrivateChannel(reply.channel)) return { all: true };
  if (reply.channel === 'fb_comment') {
    if (!reply.privately) return { all: true };
    const target = reply.inReplyToId === undefined ? undefined : byId.get(reply.inReplyToId);
    return target && !target.fromUs ? { author: target.author.id } : null;
  }
  // X posts: up the reply chain past our own posts (a split reply's later parts answer the earlier part).
  let target = reply.inReplyToId === undefined ? undefined : byId.get(reply.inReplyToId);
  for (let hops = 0; target?.fromUs && hops < 50; hops++) {
    const up: string | undefined = target.inReplyToId;
    target = up === undefined ? undefined : byId.get(up);
  }
  if (target === undefined) return { all: true };
  return target.fromUs ? null : { author: target.author.id };
}

/**
 * The keys of the customers' messages in one thread that a reply of ours
 * follows (see the rules above). `thread`: every stored message of one
 * answerThreadKey, in any order. Linear after sorting.
 */
export function answeredKeys(thread: readonly StateMessage[]): Set<string> {
  const sorted = [...thread].sort(byTime);
  const byId = new Map(sorted.map((m) => [m.platformId, m]));
  const answered = new Set<string>();
  // Walking back from the newest: whether a reply to everyone follows, and to whom replies follow.
  let allAfter = false;
  const authorsAfter = new Set<string>();
  for (let i = sorted.length - 1; i >= 0; i--) {
    const m = sorted[i] as StateMessage;
    if (m.fromUs) {
      if (allAfter) continue;
      const audience = audienceOf(m, byId);
      if (audience === null) continue;
      if ('all' in audience) allAfter = true;
      else authorsAfter.add(audience.author);
    } else if (allAfter || authorsAfter.has(m.author.id)) answered.add(m.key);
  }
  return answered;
}

/** A message's state from its mark and whether a reply of ours follows it; our own messages are never waiting. */
export function messageState(m: Pick<Message, 'fromUs'>, mark: StateMark | undefined, answered: boolean): MessageState {
  const status = mark?.status ?? 'open';
  if (status !== 'open') return status;
  return m.fromUs || answered ? 'answered' : 'waiting';
}

/** Whether a message waits for an answer: the customer's, open, not deleted from the view, and no reply of ours follows it. */
export function isWaiting(m: Pick<Message, 'fromUs'>, mark: StateMark | undefined, answered: boolean): boolean {
  return !mark?.hidden && messageState(m, mark, answered) === 'waiting';
}

/** A private conversation as one card shows it. */
export interface ConversationSummary<T extends StateMessage = StateMessage> {
  /** Waiting while an open message of the customer's follows our last reply; else what the agent chose, or answered. */
  state: MessageState;
  /** The customer's open messages after our last reply. */
  unanswered: number;
  /** The oldest of those: when the clock started. */
  waitingSince: number | null;
  /** When we last wrote, if ever. */
  lastOursAt: number | null;
  /** The newest message shown (not deleted from the view), ours or theirs. */
  newest: T | undefined;
}

/**
 * One conversation's summary from its messages (any order) and their marks.
 * For private channels, where every reply of ours answers all before it.
 */
export function summarizeConversation<T extends StateMessage>(thread: readonly T[], markOf: (key: string) => StateMark | undefined): ConversationSummary<T> {
  const sorted = [...thread].filter((m) => !markOf(m.key)?.hidden).sort(byTime);
  let lastOurs = -1;
  for (let i = sorted.length - 1; i >= 0; i--) {
    if (sorted[i]?.fromUs) {
      lastOurs = i;
      break;
    }
  }
  const after = sorted.slice(lastOurs + 1);
  const open = after.filter((m) => (markOf(m.key)?.status ?? 'open') === 'open');
  const newest = sorted[sorted.length - 1];
  let state: MessageState;
  if (open.length > 0) state = 'waiting';
  else if (after.length > 0) state = (markOf((after[after.length - 1] as T).key)?.status ?? 'open') === 'archived' ? 'archived' : 'done';
  else state = newest !== undefined && markOf(newest.key)?.status === 'archived' ? 'archived' : newest !== undefined && markOf(newest.key)?.status === 'done' ? 'done' : 'answered';
  return {
    state,
    unanswered: open.length,
    waitingSince: open[0]?.createdAt ?? null,
    lastOursAt: lastOurs >= 0 ? (sorted[lastOurs] as T).createdAt : null,
    newest,
  };
}
