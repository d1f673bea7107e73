import { z } from 'zod';

/**
 * The one message model every channel maps to. Ids are strings end to end:
 * X ids exceed 2^53 (docs.x.com fundamentals/x-ids) and Facebook ids are compound
 * (`{post-id}_{comment-id}`), so neither is ever a number here.
 */
export const PlatformSchema = z.enum(['x', 'facebook']);
export type Platform = z.infer<typeof PlatformSchema>;

/** Where a message came in; each default column shows one channel. */
export const ChannelSchema = z.enum(['x_mention', 'x_dm', 'fb_comment', 'fb_message']);
export type Channel = z.infer<typeof ChannelSchema>;

export const CHANNELS: readonly Channel[] = ChannelSchema.options;

export function platformOf(channel: Channel): Platform {
  return channel === 'x_mention' || channel === 'x_dm' ? 'x' : 'facebook';
}

const IdSchema = z.string().min(1).max(200);

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
  lang: z.string().max(20).optional(),
  /** The original on the platform, for "open on platform". */
  url: z.string().max(2000).optional(),
  /** Sent by one of our own accounts. */
  fromUs: z.boolean(),
  /** A private answer shown in a public thread (a Facebook private reply to a comment). */
  privately: z.boolean().optional(),
});
export type Message = z.infer<typeof MessageSchema>;

export function messageKey(channel: Channel, platformId: string): string {
  return `${channel}:${platformId}`;
}

export const AccountStateSchema = z.enum(['connected', 'reconnect']);

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
});
export type Account = z.infer<typeof AccountSchema>;

export const StreamKindSchema = z.enum(['x_mentions', 'x_own', 'x_dms', 'fb_comments', 'fb_messages']);
export type StreamKind = z.infer<typeof StreamKindSchema>;

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
  /** Set when the stream stopped on its own (usage cap, reconnect needed). */
  stopped: z.string().optional(),
});
export type StreamStatus = z.infer<typeof StreamStatusSchema>;
