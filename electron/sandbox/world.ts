import { createHash } from 'node:crypto';
import type { Channel } from '../../shared/model.js';
import type { Rng } from './prng.js';
import { extractEntities, wrapLinks, type XEntities } from './text.js';

/** The fictional brand every sandbox account belongs to. */
export const SANDBOX_BRAND = {
  xUserId: '1460337282940219394',
  xHandle: 'polderpost',
  name: 'Polderpost',
  fbPageId: '104857362911457',
  fbPageName: 'Polderpost',
} as const;

export interface XUser {
  id: string;
  name: string;
  username: string;
  verified: boolean;
  description: string;
  followers: number;
  following: number;
  tweetCount: number;
  listed: number;
  createdAt: number;
  location?: string;
}

export interface FbUser {
  /** Page-scoped id (PSID): what a Page token sees in comments and Messenger. */
  id: string;
  name: string;
}

export type PersonKind = 'customer' | 'noise' | 'influencer';

export interface Person {
  name: string;
  lang: 'nl' | 'en';
  kind: PersonKind;
  city: string;
  x?: XUser;
  fb?: FbUser;
}

export interface Tweet {
  id: string;
  idn: bigint;
  text: string;
  authorId: string;
  createdAt: number;
  conversationId: string;
  inReplyToUserId?: string;
  refs?: { type: 'replied_to' | 'quoted'; id: string }[];
  lang: string;
  metrics: { retweet_count: number; reply_count: number; like_count: number; quote_count: number; bookmark_count: number; impression_count: number };
  entities?: XEntities;
  mentionIds: string[];
  mediaKeys?: string[];
  deleted: boolean;
}

export interface DmEvent {
  id: string;
  idn: bigint;
  text: string;
  senderId: string;
  conversationId: string;
  participantIds: [string, string];
  createdAt: number;
}

export interface FbComment {
  id: string;
  seq: number;
  postId: string;
  message: string;
  createdAt: number;
  fromId: string;
  fromName: string;
  parentId?: string;
  hidden: boolean;
  deleted: boolean;
  privateReplyAt?: number;
  likeCount: number;
  replyCount: number;
}

export interface FbPost {
  id: string;
  seq: number;
  /** A visitor post (someone else's post on the Page); absent for the Page's own posts. */
  fromId?: string;
  /** When the Page answered the visitor post privately (one private reply per post). */
  privateReplyAt?: number;
  message: string;
  createdAt: number;
  updatedAt: number;
  comments: FbComment[];
}

export interface FbMessage {
  id: string;
  seq: number;
  conversationId: string;
  fromId: string;
  fromName: string;
  toId: string;
  toName: string;
  text: string;
  createdAt: number;
}

export interface FbConversation {
  id: string;
  seq: number;
  userId: string;
  userName: string;
  messages: FbMessage[];
  updatedAt: number;
  /** Time of the person's last message: the Messenger reply window runs from here. */
  lastUserAt?: number;
}

export type PostedKind =
  | 'x_reply'
  | 'x_post'
  | 'x_dm'
  | 'x_delete'
  | 'fb_comment_reply'
  | 'fb_post'
  | 'fb_private_reply'
  | 'fb_message'
  | 'fb_hide'
  | 'fb_unhide'
  | 'fb_delete';

export interface Posted {
  kind: PostedKind;
  id: string;
  text?: string;
  inReplyToId?: string;
  recipientId?: string;
  accountId: string;
  /** Images attached: X media ids, or Graph photo / attachment ids. */
  media?: string[];
  at: number;
}

/** An uploaded image (X media upload, Graph unpublished photo or Messenger attachment). */
export interface UploadedMedia {
  id: string;
  ownerId: string;
  mimeType: string;
  size: number;
  alt?: string;
  kind: 'x' | 'fb_photo' | 'fb_attachment';
}

/** Twitter's snowflake epoch: ids carry their creation time in the high bits. */
const TWEPOCH = 1288834974657n;

/** First index whose key is >= target in an array sorted ascending by key. */
export function lowerBound<T>(items: readonly T[], target: bigint | number, key: (item: T) => bigint | number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid] as T) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function dmConversationId(a: string, b: string): string {
  const [lo, hi] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  return `${lo}-${hi}`;
}

function isDecimal(s: string): boolean {
  return /^\d{1,25}$/.test(s);
}

/**
 * Everything the platforms hold. Per-channel arrays only ever grow at the end
 * with increasing ids, so they stay sorted and cursor queries are binary
 * searches (a 10,000-message burst must not make polling scan).
 */
export class World {
  readonly people: Person[] = [];
  readonly xUsers = new Map<string, XUser>();
  private readonly xUsersByName = new Map<string, XUser>();
  readonly fbUsers = new Map<string, FbUser>();

  readonly tweets: Tweet[] = [];
  readonly tweetById = new Map<string, Tweet>();
  readonly mentionsOf = new Map<string, Tweet[]>();
  readonly timelineOf = new Map<string, Tweet[]>();
  readonly repliesOf = new Map<string, Tweet[]>();
  /** Duplicate-content memory: user + text → time of the last post. */
  readonly lastTextAt = new Map<string, number>();

  readonly dmEvents: DmEvent[] = [];
  readonly dmById = new Map<string, DmEvent>();

  readonly fbPosts: FbPost[] = [];
  readonly media = new Map<string, UploadedMedia>();
  readonly postById = new Map<string, FbPost>();
  readonly comments: FbComment[] = [];
  readonly commentById = new Map<string, FbComment>();
  readonly conversations: FbConversation[] = [];
  readonly conversationById = new Map<string, FbConversation>();
  readonly conversationOfUser = new Map<string, FbConversation>();
  readonly fbMessages: FbMessage[] = [];
  readonly fbMessageById = new Map<string, FbMessage>();
  /** PSID → time of the last comment or message: Meta sizes a Page's call budget by engaged users. */
  readonly engagedAt = new Map<string, number>();

  readonly posted: Posted[] = [];

  private lastXId = 0n;
  private readonly worker: bigint;
  private fbSeq = 0;
  private fbNum: bigint;

  constructor(
    readonly seed: number,
    /** Randomness for t.co links and ids; kept apart from content so injected text does not shift generated text. */
    private readonly rng: Rng,
  ) {
    this.worker = BigInt(seed & 0x3ff);
    this.fbNum = 100_000_000_000_000n + BigInt(seed % 1000) * 1_000_000_000n;
    this.addXUser({
      id: SANDBOX_BRAND.xUserId,
      name: SANDBOX_BRAND.name,
      username: SANDBOX_BRAND.xHandle,
      verified: true,
      description: 'Officieel webcare-account van Polderpost 📦 Ma-za 08:00-22:00, zo 10:00-18:00. Track & trace: polderpost.nl/volgen',
      followers: 48_210,
      following: 312,
      tweetCount: 0,
      listed: 97,
      createdAt: Date.UTC(2021, 10, 16, 9, 12, 0),
      location: 'Utrecht, Nederland',
    });
  }

  get brandUser(): XUser {
    return this.xUsers.get(SANDBOX_BRAND.xUserId) as XUser;
  }

  addXUser(u: XUser): XUser {
    this.xUsers.set(u.id, u);
    if (!this.xUsersByName.has(u.username.toLowerCase())) this.xUsersByName.set(u.username.toLowerCase(), u);
    return u;
  }

  xUserByName(username: string): XUser | undefined {
    return this.xUsersByName.get(username.toLowerCase());
  }

  addFbUser(u: FbUser): FbUser {
    this.fbUsers.set(u.id, u);
    return u;
  }

  /** Snowflake-like ids: time in the high bits, strictly increasing even when the clock stalls or is set back. */
  nextXId(at: number): bigint {
    let id = ((BigInt(Math.floor(at)) - TWEPOCH) << 22n) | (this.worker << 12n);
    if (id <= this.lastXId) id = this.lastXId + 1n;
    this.lastXId = id;
    return id;
  }

  /** A fresh Graph object id (photos, attachments). */
  newFbId(): string {
    return this.nextFbNum().toString();
  }

  private nextFbNum(): bigint {
    // Graph ids are not time-ordered like X's, but they are unique decimal strings.
    this.fbNum += BigInt(1 + Math.floor(this.rng.next() * 40));
    return this.fbNum;
  }

  addTweet(opts: {
    author: XUser;
    text: string;
    at: number;
    lang: string;
    replyTo?: Tweet;
    quote?: Tweet;
    conversationId?: string;
    /** Rewrite links to t.co as X does; injected text is stored verbatim instead. */
    wrapLinks: boolean;
    mediaKeys?: string[];
  }): Tweet {
    const idn = this.nextXId(opts.at);
    const id = idn.toString();
    const wrapped = opts.wrapLinks ? wrapLinks(opts.text, this.rng) : { text: opts.text, expanded: undefined };
    const entities = extractEntities(wrapped.text, wrapped.expanded, (name) => this.xUserByName(name)?.id);
    const mentionIds = [...new Set((entities?.mentions ?? []).map((m) => m.id).filter((v): v is string => typeof v === 'string'))];
    const refs: Tweet['refs'] = [];
    if (opts.replyTo) refs.push({ type: 'replied_to', id: opts.replyTo.id });
    if (opts.quote) refs.push({ type: 'quoted', id: opts.quote.id });
    const author = opts.author;
    const reach = Math.max(1, author.followers);
    const t: Tweet = {
      id,
      idn,
      text: wrapped.text,
      authorId: author.id,
      createdAt: opts.at,
      conversationId: opts.replyTo?.conversationId ?? opts.conversationId ?? id,
      inReplyToUserId: opts.replyTo?.authorId,
      refs: refs.length ? refs : undefined,
      lang: opts.lang,
      metrics: {
        retweet_count: 0,
        reply_count: 0,
        like_count: Math.floor(this.rng.next() * Math.min(40, reach / 20)),
        quote_count: 0,
        bookmark_count: 0,
        impression_count: Math.floor(reach * (0.05 + this.rng.next() * 0.3)),
      },
      entities,
      mentionIds,
      mediaKeys: opts.mediaKeys,
      deleted: false,
    };
    if (opts.replyTo) {
      opts.replyTo.metrics.reply_count++;
      push(this.repliesOf, opts.replyTo.id, t);
    }
    if (opts.quote) opts.quote.metrics.quote_count++;
    this.tweets.push(t);
    this.tweetById.set(id, t);
    for (const m of mentionIds) push(this.mentionsOf, m, t);
    push(this.timelineOf, author.id, t);
    author.tweetCount++;
    return t;
  }

  addDm(sender: XUser, recipient: XUser, text: string, at: number): DmEvent {
    const idn = this.nextXId(at);
    const ev: DmEvent = {
      id: idn.toString(),
      idn,
      text,
      senderId: sender.id,
      conversationId: isDecimal(sender.id) && isDecimal(recipient.id) ? dmConversationId(sender.id, recipient.id) : `${sender.id}-${recipient.id}`,
      participantIds: [sender.id, recipient.id],
      createdAt: at,
    };
    this.dmEvents.push(ev);
    this.dmById.set(ev.id, ev);
    return ev;
  }

  addFbPost(message: string, at: number, visitor?: FbUser): FbPost {
    const num = this.nextFbNum();
    const post: FbPost = { id: `${SANDBOX_BRAND.fbPageId}_${num}`, seq: ++this.fbSeq, message, createdAt: at, updatedAt: at, comments: [] };
    if (visitor) post.fromId = visitor.id;
    // Page posts are created before any comment in the history, so at-the-end keeps creation order.
    this.fbPosts.push(post);
    this.postById.set(post.id, post);
    return post;
  }

  postNumber(post: FbPost): string {
    return post.id.slice(post.id.indexOf('_') + 1);
  }

  addComment(post: FbPost, from: FbUser, message: string, at: number, parent?: FbComment): FbComment {
    const num = this.nextFbNum();
    // Facebook threads are one level deep: a reply to a reply joins the top-level comment.
    const top = parent?.parentId ? this.commentById.get(parent.parentId) : parent;
    const c: FbComment = {
      id: `${this.postNumber(post)}_${num}`,
      seq: ++this.fbSeq,
      postId: post.id,
      message,
      createdAt: at,
      fromId: from.id,
      fromName: from.name,
      parentId: top?.id,
      hidden: false,
      deleted: false,
      likeCount: 0,
      replyCount: 0,
    };
    if (top) top.replyCount++;
    post.comments.push(c);
    post.updatedAt = Math.max(post.updatedAt, at);
    this.comments.push(c);
    this.commentById.set(c.id, c);
    if (from.id !== SANDBOX_BRAND.fbPageId) this.engagedAt.set(from.id, at);
    return c;
  }

  /** A Messenger message between the Page and one person; `fromPage` decides the direction. */
  addFbMessage(user: FbUser, fromPage: boolean, text: string, at: number): FbMessage {
    let conv = this.conversationOfUser.get(user.id);
    if (!conv) {
      conv = { id: `t_${this.nextFbNum()}`, seq: ++this.fbSeq, userId: user.id, userName: user.name, messages: [], updatedAt: at };
      this.conversations.push(conv);
      this.conversationById.set(conv.id, conv);
      this.conversationOfUser.set(user.id, conv);
    }
    const seq = ++this.fbSeq;
    const page = { id: SANDBOX_BRAND.fbPageId, name: SANDBOX_BRAND.fbPageName };
    const from = fromPage ? page : user;
    const to = fromPage ? user : page;
    const digest = createHash('sha256').update(`${this.seed}:${seq}:${conv.id}`).digest('base64url');
    const m: FbMessage = {
      id: `m_${digest.slice(0, 40)}`,
      seq,
      conversationId: conv.id,
      fromId: from.id,
      fromName: from.name,
      toId: to.id,
      toName: to.name,
      text,
      createdAt: at,
    };
    conv.messages.push(m);
    conv.updatedAt = Math.max(conv.updatedAt, at);
    if (!fromPage) {
      conv.lastUserAt = at;
      this.engagedAt.set(user.id, at);
    }
    this.fbMessages.push(m);
    this.fbMessageById.set(m.id, m);
    return m;
  }

  counts(): Record<Exclude<Channel, 'x_search'>, number> & { xFromBrand: number; xKeywordOnly: number; fbPosts: number; fbVisitorPosts: number } {
    const brand = SANDBOX_BRAND.xUserId;
    let xFromBrand = 0;
    let xKeywordOnly = 0;
    for (const t of this.tweets) {
      if (t.deleted) continue;
      if (t.authorId === brand) xFromBrand++;
      else if (!t.mentionIds.includes(brand)) xKeywordOnly++;
    }
    return {
      x_mention: (this.mentionsOf.get(brand) ?? []).filter((t) => !t.deleted).length,
      x_dm: this.dmEvents.length,
      fb_comment: this.comments.filter((c) => !c.deleted).length,
      fb_message: this.fbMessages.length,
      xFromBrand,
      xKeywordOnly,
      fbPosts: this.fbPosts.filter((p) => !p.fromId).length,
      fbVisitorPosts: this.fbPosts.filter((p) => p.fromId).length,
    };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
