import type { Author, Channel, Message } from '../../../../shared/model.js';
import { messageKey } from '../../../../shared/model.js';

/** Wire shapes of X API v2 as far as the console reads them (docs.x.com; fixtures in test/fixtures). */
export interface XUser {
  id: string;
  name?: string;
  username?: string;
  verified?: boolean;
  profile_image_url?: string;
  public_metrics?: { followers_count?: number };
}
export interface XTweet {
  id: string;
  text?: string;
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  lang?: string;
  referenced_tweets?: { type: string; id: string }[];
  entities?: { mentions?: { username?: string; id?: string }[] };
}
export interface XPage<T> {
  data?: T[];
  includes?: { users?: XUser[]; tweets?: XTweet[] };
  meta?: { result_count?: number; newest_id?: string; oldest_id?: string; next_token?: string };
}
export interface XDmEvent {
  id: string;
  event_type?: string;
  text?: string;
  sender_id?: string;
  dm_conversation_id?: string;
  created_at?: string;
  participant_ids?: string[];
}

export interface OwnAccount {
  id: string;
  platformUserId: string;
  /** The account's @handle without the @, for the 2026 reply rule (mentions by username). */
  username?: string;
}

/**
 * X's 2026 rule for self-serve apps (changelog 2026-02-23,
 * docs.x.com/x-api/posts/manage-tweets/integrate): a reply only to a post
 * whose author @mentioned the account or quoted one of its posts (our own posts
 * may always be answered). `quotedAuthor` finds the author of a quoted post
 * (from `includes.tweets`); undefined when unknown.
 */
export function isSummoned(t: XTweet, account: OwnAccount, quotedAuthor: (id: string) => string | undefined): boolean {
  if (t.author_id === account.platformUserId) return true;
  const handle = account.username?.toLowerCase();
  const mentions = Array.isArray(t.entities?.mentions) ? t.entities.mentions : [];
  // Without entities (a server that leaves them out), the text still says who is mentioned.
  if (!t.entities && handle && typeof t.text === 'string' && new RegExp(`(?:^|[^\\w@])@${handle.replace(/[^\w]/g, '')}(?!\\w)`, 'i').test(t.text)) return true;
  if (mentions.some((m) => m?.id === account.platformUserId || (handle !== undefined && typeof m?.username === 'string' && m.username.toLowerCase() === handle))) return true;
  return (t.referenced_tweets ?? []).some((r) => r?.type === 'quoted' && quotedAuthor(r.id) === account.platformUserId);
}

export interface MapOptions {
  /** `x_mention` (mentions and own posts) or `x_search` (hits of a saved search). */
  channel?: Extract<Channel, 'x_mention' | 'x_search'>;
  searchId?: string;
  /** The stream reading the page (`mentions`, `own`, `search:<id>`), for `Message.foundBy`. */
  foundBy?: string;
}

/**
 * Whether X lists the post in the account's mentions timeline or own timeline:
 * it @mentions the account (a reply to us carries the mention too) or is ours.
 * Such a search hit is the same message as the mention: it gets the mention's key.
 */
export function inMentionsOrOwn(t: XTweet, account: OwnAccount): boolean {
  if (t.author_id === account.platformUserId) return true;
  const handle = account.username?.toLowerCase();
  if (!t.entities) return handle !== undefined && typeof t.text === 'string' && new RegExp(`(?:^|[^\\w@])@${handle.replace(/[^\w]/g, '')}(?!\\w)`, 'i').test(t.text);
  const mentions = Array.isArray(t.entities.mentions) ? t.entities.mentions : [];
  return mentions.some((m) => m?.id === account.platformUserId || (handle !== undefined && typeof m?.username === 'string' && m.username.toLowerCase() === handle));
}

/** A decimal id string as a BigInt, or null for anything else (never Number: ids exceed 2^53). */
export function idValue(id: unknown): bigint | null {
  return typeof id === 'string' && /^\d{1,25}$/.test(id) ? BigInt(id) : null;
}

export function maxId(a: string | undefined, b: string | undefined): string | undefined {
  const av = idValue(a);
  const bv = idValue(b);
  if (av === null) return bv === null ? undefined : b;
  if (bv === null) return a;
  return bv > av ? b : a;
}

function author(user: XUser | undefined, fallbackId: string): Author {
  const followers = user?.public_metrics?.followers_count;
  return {
    id: fallbackId,
    name: user?.name ?? user?.username ?? fallbackId,
    handle: user?.username ?? '',
    avatarUrl: user?.profile_image_url,
    followers: typeof followers === 'number' && Number.isSafeInteger(followers) && followers >= 0 ? followers : undefined,
    verified: typeof user?.verified === 'boolean' ? user.verified : undefined,
  };
}

/**
 * X escapes &, < and > in post and DM text as HTML entities; decode them exactly once
 * (one left-to-right pass: `&amp;lt;` becomes `&lt;`, never `<`).
 * The result is still untrusted text and is only ever rendered as text.
 */
export function decodeXText(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_m, e: string) => (e === 'lt' ? '<' : e === 'gt' ? '>' : '&'));
}

function time(iso: string | undefined, now: number): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : now;
}

/**
 * Maps a page of posts. Items without a usable id are poison: they are set aside
 * (returned in `skipped`) instead of failing the whole page.
 */
export function mapTweets(page: XPage<XTweet>, account: OwnAccount, now: number, opts: MapOptions = {}): { messages: Message[]; skipped: number } {
  const channel = opts.channel ?? 'x_mention';
  const users = new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
  const included = new Map((Array.isArray(page.includes?.tweets) ? page.includes.tweets : []).filter((t) => t && typeof t.id === 'string').map((t) => [t.id, t]));
  const messages: Message[] = [];
  let skipped = 0;
  for (const t of Array.isArray(page.data) ? page.data : []) {
    if (!t || idValue(t.id) === null || typeof t.text !== 'string') {
      skipped++;
      continue;
    }
    const authorId = typeof t.author_id === 'string' ? t.author_id : 'unknown';
    const user = users.get(authorId);
    const a = author(user, authorId);
    // A search hit the mentions or own-posts stream reads as well is one message, under the mention's key.
    const as = channel === 'x_search' && inMentionsOrOwn(t, account) ? 'x_mention' : channel;
    const message: Message = {
      key: messageKey(as, t.id),
      platformId: t.id,
      channel: as,
      accountId: account.id,
      conversationId: idValue(t.conversation_id) !== null ? (t.conversation_id as string) : t.id,
      inReplyToId: t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id,
      author: a,
      text: decodeXText(t.text),
      createdAt: time(t.created_at, now),
      lang: typeof t.lang === 'string' ? t.lang.slice(0, 20) : undefined,
      url: `https://x.com/${encodeURIComponent(a.handle || 'i')}/status/${t.id}`,
      fromUs: authorId === account.platformUserId,
      summoned: isSummoned(t, account, (id) => included.get(id)?.author_id),
    };
    if (opts.searchId) message.searchId = opts.searchId;
    if (opts.foundBy) message.foundBy = [opts.foundBy];
    messages.push(message);
  }
  return { messages, skipped };
}

export function mapDmEvents(page: XPage<XDmEvent>, account: OwnAccount, now: number): { messages: Message[]; skipped: number } {
  const users = new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
  const messages: Message[] = [];
  let skipped = 0;
  for (const ev of Array.isArray(page.data) ? page.data : []) {
    if (!ev || idValue(ev.id) === null) {
      skipped++;
      continue;
    }
    if (ev.event_type && ev.event_type !== 'MessageCreate') continue;
    if (typeof ev.text !== 'string' || typeof ev.sender_id !== 'string') {
      skipped++;
      continue;
    }
    const conv = typeof ev.dm_conversation_id === 'string' && ev.dm_conversation_id ? ev.dm_conversation_id : `dm-${ev.sender_id}`;
    messages.push({
      key: messageKey('x_dm', ev.id),
      platformId: ev.id,
      channel: 'x_dm',
      accountId: account.id,
      conversationId: conv,
      author: author(users.get(ev.sender_id), ev.sender_id),
      text: decodeXText(ev.text),
      createdAt: time(ev.created_at, now),
      url: `https://x.com/messages/${encodeURIComponent(conv)}`,
      fromUs: ev.sender_id === account.platformUserId,
    });
  }
  return { messages, skipped };
}
