import { messageKey, type Message } from '../../../../shared/model.js';
import type { PlatformOps } from '../../sender.js';
import { sameText } from '../../sender.js';
import type { PostPartInput } from '../types.js';
import type { OwnProfile, XSession } from './api.js';
import { decodeXText, idValue, mapTweets, type OwnAccount, type XPage, type XTweet } from './mapping.js';
import { uploadXMedia } from './media.js';

type Sender = OwnAccount & { profile: OwnProfile };

const FIND_FIELDS = 'author_id,conversation_id,created_at,in_reply_to_user_id,referenced_tweets,lang,entities';

/**
 * A new post on X: `POST /2/tweets` with the text (and media ids), no `reply`
 * (docs.x.com, "Create or Edit Post"); a later part of a thread answers the part
 * before it with `reply.in_reply_to_tweet_id`, which the 2026 reply rule allows
 * because that post is our own.
 */
export async function sendXPost(session: XSession, account: Sender, text: string, now: number, opts: { replyTo?: string; mediaIds?: string[] } = {}): Promise<Message> {
  const body: Record<string, unknown> = {};
  if (text) body.text = text;
  if (opts.replyTo) body.reply = { in_reply_to_tweet_id: opts.replyTo };
  if (opts.mediaIds?.length) body.media = { media_ids: opts.mediaIds };
  const res = await session.run((c) => c.v2.post<{ data: { id: string; text?: string } }>('tweets', body, { timeout: session.timeoutMs }));
  const id = res?.data?.id;
  if (idValue(id) === null) throw new Error('X answered without a post id');
  return {
    ...(opts.mediaIds?.length ? { mediaCount: opts.mediaIds.length } : {}),
    key: messageKey('x_mention', id),
    platformId: id,
    channel: 'x_mention',
    accountId: account.id,
    conversationId: id,
    ...(opts.replyTo ? { inReplyToId: opts.replyTo } : {}),
    author: { id: account.platformUserId, name: account.profile.name, handle: account.profile.username, avatarUrl: account.profile.avatarUrl },
    text: typeof res.data.text === 'string' ? decodeXText(res.data.text) : text,
    createdAt: now,
    url: `https://x.com/${encodeURIComponent(account.profile.username)}/status/${id}`,
    fromUs: true,
    summoned: true,
  };
}

/**
 * Our post with this text since `since` (a first part: not a reply; a later part:
 * the answer to `replyTo`), read from our own timeline, for settling a send that
 * got no clear answer.
 */
export async function findXPost(session: XSession, account: Sender, replyTo: string | undefined, matches: (text: string) => boolean, since: number, exclude: ReadonlySet<string>, now: number): Promise<Message | null> {
  const res = await session.run((c) =>
    c.v2.get<XPage<XTweet>>(`users/${account.platformUserId}/tweets`, { start_time: new Date(since).toISOString(), max_results: 100, 'tweet.fields': FIND_FIELDS }, { timeout: session.timeoutMs }),
  );
  const { messages } = mapTweets({ ...res, includes: { users: [{ id: account.platformUserId, name: account.profile.name, username: account.profile.username }] } }, account, now);
  return messages.find((m) => m.fromUs && (m.inReplyToId ?? undefined) === replyTo && matches(m.text) && !exclude.has(m.key)) ?? null;
}

/** The connector's way to publish a new post as this account, exactly once through the send journal. */
export function xPostOps(session: XSession, account: Sender, now: () => number): PlatformOps<PostPartInput> {
  return {
    post: async (i, at) => {
      // Uploads are not posts: an attempt that is tried again simply uploads again.
      const mediaIds: string[] = [];
      for (const m of i.media ?? []) mediaIds.push(await uploadXMedia(session, m, 'tweet_image'));
      return sendXPost(session, account, i.text, at, { replyTo: i.replyTo, mediaIds });
    },
    find: (i, since, exclude) => findXPost(session, account, i.replyTo, (t) => sameText(t, i.text), since, exclude, now()),
  };
}
