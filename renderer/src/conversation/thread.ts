import type { Message } from '../../../shared/model.js';

/** A thread shows at most this many messages, the newest ones. */
export const THREAD_LIMIT = 300;

/**
 * The messages of one thread, oldest first. Ids of different channels live in
 * different id spaces (an X conversation id and a DM conversation id may look
 * alike), so a thread is one channel's messages with one conversationId.
 */
export function threadOf(all: readonly Message[], channel: Message['channel']): Message[] {
  return all
    .filter((m) => m.channel === channel)
    .sort((a, b) => a.createdAt - b.createdAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * What a reply answers: the newest message in the thread that we did not send.
 * Its platformId is `inReplyToId`; on direct channels its author is the
 * recipient; its accountId is the account that received it and so the one
 * that answers: the sending account is bound to the receiving one (brands have
 * posted from the wrong account, e.g. Chrysler in 2011:
 * money.cnn.com/galleries/2011/news/1112/gallery.dumbest-moments-2011/15.html).
 */
export interface ReplyTarget {
  message: Message;
  accountId: string;
  inReplyToId: string;
  recipientId: string | undefined;
}

export function replyTarget(thread: readonly Message[]): ReplyTarget | null {
  for (let i = thread.length - 1; i >= 0; i--) {
    const m = thread[i];
    if (m && !m.fromUs) {
      const direct = m.channel === 'x_dm' || m.channel === 'fb_message';
      return { message: m, accountId: m.accountId, inReplyToId: m.platformId, recipientId: direct ? m.author.id : undefined };
    }
  }
  return null;
}

export function threadKey(m: Pick<Message, 'channel' | 'conversationId'>): string {
  return `${m.channel}:${m.conversationId}`;
}
