import { z } from 'zod';

/**
 * The one message model every channel maps to. Ids are strings end to end:
 * X ids exceed 2^53 (docs.x.com fundamentals/x-ids) and Facebook ids are compound
 * (`{post-id}_{comment-id}`), so neither is ever a number here.
 */
export const PlatformSchema = z.enum(['x', 'facebook']);
export type Platform = z.infer<typeof PlatformSchema>;

/**
 * Where a message came in. `x_search` holds the hits of a saved X keyword search
 * (see `Message.searchId`); Facebook visitor posts arrive as `fb_comment`
 * (a thread of their own, `conversationId` = the post).
 */
export const ChannelSchema = z.enum(['x_mention', 'x_dm', 'fb_comment', 'fb_message', 'x_search']);
export type Channel = z.infer<typeof ChannelSchema>;

/** The four default board columns, one channel each (search hits get columns of their own). */
export const CHANNELS: readonly Channel[] = ['x_mention', 'x_dm', 'fb_comment', 'fb_message'];
/** Every channel a message can have. */
export const ALL_CHANNELS: readonly Channel[] = ChannelSchema.options;

export function platformOf(channel: Channel): Platform {
  return channel === 'x_mention' || channel === 'x_dm' || channel === 'x_search' ? 'x' : 'facebook';
}

/** Channels whose messages are public X posts (answered with a reply post). */
export function isXPostChannel(channel: Channel): boolean {
  return channel === 'x_mention' || channel === 'x_search';
}

const IdSchema = z.string().min(1).max(200);
/** At most this many streams are remembered per message (mentions, own posts, 20 saved searches). */
export const FOUND_BY_MAX = 25;

/**
 * How a message sounds, as the host reads it on arrival (see electron/host/insight):
 * a guess from words, never the last word. An agent's override is a mark
 * (`MessageMark.sentiment`), and reports count the override where there is one.
 */
export const SentimentSchema = z.enum(['positive', 'neutral', 'negative']);
export type Sentiment = z.infer<typeof SentimentSchema>;
export const SENTIMENTS: readonly Sentiment[] = SentimentSchema.options;

export const AuthorSchema = z.object({
  id: IdSchema,
  name: z.string().max(500),
  /** `@handle` on X without the @; empty on Facebook, which has no handles. */
  handle: z.string().max(100),
  avatarUrl: z.string().max(2000).optional(),
  followers: z.number().int().nonnegative().optional(),
  verified: z.boolean().optional(),
});
export type Author = z.infer<typeof AuthorSchema>;

export const MessageSchema = z.object({
  /** `${channel}:${platformId}`: the idempotent upsert key in IndexedDB. */
  key: z.string().min(1).max(300),
  platformId: IdSchema,
  channel: ChannelSchema,
  /** The connected account (ours) that received or sent it. */
  accountId: IdSchema,
  /** Thread key: X conversation_id, Facebook post id for comments, Messenger conversation id. */
  conversationId: IdSchema,
  /** platformId of the message this one answers, when known. */
  inReplyToId: IdSchema.optional(),
  author: AuthorSchema,
  /** Untrusted text, stored verbatim; the renderer only ever shows it as text. */
  text: z.string().max(100_000),
  /** Epoch milliseconds. */
  createdAt: z.number().int(),
  /**
   * BCP 47 language: X's own tag on posts; for every other message (and an X post
   * tagged `und`), what the host detected on arrival. Absent when too short to tell.
   */
  lang: z.string().max(20).optional(),
  /** Set when `lang` was detected here rather than given by the platform. */
  langDetected: z.boolean().optional(),
  /** The host's reading on arrival (absent on our own messages and on what came before it). */
  sentiment: SentimentSchema.optional(),
  /** The original on the platform, for "open on platform". */
  url: z.string().max(2000).optional(),
  /** Sent by one of our own accounts. */
  fromUs: z.boolean(),
  /** Team mode: the colleague who wrote our reply (their name), when it went out from a console. */
  by: z.string().max(100).optional(),
  /** Team mode: that colleague's login (a name may be shared or change; reviews go by the login). */
  byLogin: z.string().max(63).optional(),
  /** Team mode: the department the conversation belongs to (its account's, or where routing or an agent put it). */
  department: z.string().max(60).optional(),
  /** A private answer shown in a public thread (a Facebook private reply to a comment). */
  privately: z.boolean().optional(),
  /**
   * The saved search that found it (channel `x_search`, or a mention a search found
   * too): the one a search column shows it for. Every search is in `foundBy`.
   */
  searchId: z.string().max(100).optional(),
  /**
   * X: every stream that read this post (`mentions`, `own`, `search:<searchId>`).
   * A post that is both a mention and a search hit is stored once, under the
   * mention's key, and remembers both (see `mergeFound`).
   */
  foundBy: z.array(z.string().min(1).max(120)).max(FOUND_BY_MAX).optional(),
  /** Facebook: a post by a visitor on the Page (not a comment). */
  visitorPost: z.boolean().optional(),
  /**
   * X: the post @mentions or quotes the account, so self-serve apps may reply to it
   * (the 2026 rule). Absent when unknown; false on a search hit that does not qualify.
   */
  summoned: z.boolean().optional(),
  /** Images attached (by us, in a reply with media): count only, no bytes. */
  mediaCount: z.number().int().nonnegative().optional(),
  /**
   * A text, name or handle was longer than its limit here and is cut to it
   * (see shared/fitMessage.ts); the host keeps the whole text (`getFullText`).
   */
  shortened: z.boolean().optional(),
});
export type Message = z.infer<typeof MessageSchema>;

export function messageKey(channel: Channel, platformId: string): string {
  return `${channel}:${platformId}`;
}

/** The stream names `foundBy` holds for a saved search. */
export function searchStream(searchId: string): string {
  return `search:${searchId}`;
}

/** Every stream either copy was found by, in first-seen order, at most FOUND_BY_MAX. */
export function unionFound(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined {
  if (!a?.length) return b?.length ? [...b] : undefined;
  if (!b?.length) return [...a];
  const out = [...a];
  for (const s of b) if (!out.includes(s)) out.push(s);
  return out.slice(0, FOUND_BY_MAX);
}

/**
 * One X post read twice (by two streams, or again by the same one): the newer copy,
 * with every stream that found it and the saved search of the first that had one.
 * `into` is the copy whose key stands (the mention's, when one of the two is a mention).
 */
export function mergeFound(into: Message, other: Message | undefined): Message {
  if (!other) return into;
  const foundBy = unionFound(other.foundBy, into.foundBy);
  const searchId = other.searchId ?? into.searchId;
  const merged: Message = { ...into };
  if (foundBy) merged.foundBy = foundBy;
  if (searchId !== undefined) merged.searchId = searchId;
  // A colleague's name on our reply, and the department routing gave it, are kept (team mode).
  if (merged.by === undefined && other.by !== undefined) merged.by = other.by;
  if (merged.byLogin === undefined && other.byLogin !== undefined) merged.byLogin = other.byLogin;
  if (merged.department === undefined && other.department !== undefined) merged.department = other.department;
  if (merged.summoned === undefined && other.summoned !== undefined) merged.summoned = other.summoned;
  return merged;
}

export const AccountStateSchema = z.enum(['connected', 'reconnect']);

export const AccountSpendingSchema = z.object({
  /** Paid streams pause for the rest of the UTC day once this is spent. Absent: no budget (sandbox accounts, unless one is set). */
  dailyBudgetUsd: z.number().nonnegative().optional(),
  /** Pages one poll of a paid stream reads at most. */
  pagesPerPoll: z.number().int().positive(),
  /** The account owns the X developer app: its mentions and posts are "owned reads" ($0.001). Absent: not asked yet. */
  ownsApp: z.boolean().optional(),
  spentTodayUsd: z.number().nonnegative(),
  /** The budget is spent: paid streams wait until then (the next UTC midnight). */
  pausedUntil: z.number().optional(),
});
export type AccountSpending = z.infer<typeof AccountSpendingSchema>;

export const AccountSchema = z.object({
  id: IdSchema,
  platform: PlatformSchema,
  /** X user id or Facebook Page id. */
  platformUserId: IdSchema,
  name: z.string(),
  handle: z.string(),
  avatarUrl: z.string().optional(),
  state: AccountStateSchema,
  /** True when the account lives on the embedded sandbox rather than a real platform. */
  sandbox: z.boolean(),
  /** When the current access token expires (epoch ms); absent for tokens that do not expire. */
  expiresAt: z.number().optional(),
  /** Scopes (X) or Page tasks (Facebook) granted, and those the console needs but lacks. */
  granted: z.array(z.string()),
  missing: z.array(z.string()),
  /** Why the account needs a reconnect, when it does. */
  reason: z.string().optional(),
  /** X pay-per-use: what the account may spend on reads a UTC day, and what it spent. */
  spending: AccountSpendingSchema.optional(),
  /** Team mode: the department its messages belong to, as a lead set it. */
  department: z.string().max(60).optional(),
});
export type Account = z.infer<typeof AccountSchema>;


export const StreamKindSchema = z.enum(['x_mentions', 'x_own', 'x_dms', 'x_search', 'fb_comments', 'fb_visitor_posts', 'fb_messages']);
export type StreamKind = z.infer<typeof StreamKindSchema>;

/**
 * A stretch of a stream that could not be read yet. `from` is the newest message
 * stored before it (absent when unknown), `to` the oldest stored after it.
 * `filling`: later polls read it, oldest first; `unreachable`: the platform no
 * longer serves it (X keeps DM events 30 days, the mentions timeline its newest 800).
 */
export const GapSchema = z.object({
  from: z.number().optional(),
  to: z.number(),
  /** At least this many messages in it: the pages still known to read times their size (a list may go on after them). */
  estimate: z.number().int().nonnegative().optional(),
  state: z.enum(['filling', 'unreachable']),
  reason: z.enum(['budget', 'rateLimit', 'window', 'cursor']),
});
export type Gap = z.infer<typeof GapSchema>;

export const StreamStatusSchema = z.object({
  id: z.string(),
  accountId: IdSchema,
  kind: StreamKindSchema,
  /** Epoch ms of the last successful poll, if any. */
  lastOkAt: z.number().optional(),
  nextPollAt: z.number().optional(),
  lastError: z.string().optional(),
  /** Items handed to the renderer since start. */
  delivered: z.number().int().nonnegative(),
  /** The platform's rate budget as last reported. */
  rate: z.object({ limit: z.number(), remaining: z.number(), resetAt: z.number() }).optional(),
  /** Items read today (UTC) and what they cost at the published per-resource price. */
  itemsToday: z.number().int().nonnegative(),
  costTodayUsd: z.number().nonnegative(),
  /**
   * The platform said to wait (a rate limit's reset, X credits used up, a Graph
   * throttle): polling resumes by itself at `until` (epoch ms). Cleared by the next
   * successful poll.
   */
  wait: z.object({ until: z.number(), reason: z.enum(['rateLimited', 'creditsDepleted', 'throttled', 'budget']) }).optional(),
  /** Set when the stream stopped on its own (usage cap, reconnect needed). */
  stopped: z.string().optional(),
  /** Kind `x_search`: the saved search polled. */
  searchId: z.string().optional(),
  /**
   * Stretches of the stream not read yet: a burst larger than one poll's page
   * budget, a rate limit mid-way, or a platform window that ends before the
   * last message read. Never a silent skip: each is shown until it is filled.
   */
  gaps: z.array(GapSchema).optional(),
  /**
   * How many days back the stream looks: Facebook comments are looked for on the
   * Page's posts of that many days (a comment on an older post is not seen).
   */
  lookbackDays: z.number().int().positive().optional(),
  /** Messages set aside (unreadable or over a size limit) since start, and the last reason. */
  setAside: z.object({ count: z.number().int().nonnegative(), lastReason: z.string().max(200), lastAt: z.number() }).optional(),
});
export type StreamStatus = z.infer<typeof StreamStatusSchema>;

/** A saved X keyword search, polled as a stream of its own (recent search, full query syntax). */
export const SavedSearchSchema = z.object({
  id: z.string().min(1).max(100),
  accountId: IdSchema,
  /** Passed to X verbatim: `"pakket kwijt" -is:retweet lang:nl -from:polderpost`. */
  query: z.string().min(1).max(512),
  /** The agent's name for it (the column title). */
  name: z.string().max(100),
  createdAt: z.number().int(),
});
export type SavedSearch = z.infer<typeof SavedSearchSchema>;
