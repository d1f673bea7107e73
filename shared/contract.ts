import { z } from 'zod';
import { AccountSchema, ChannelSchema, MessageSchema, SavedSearchSchema, StreamStatusSchema } from './model.js';
import { ActResultSchema, WorkflowActionSchema, WorkflowRecordsSchema } from './workflow.js';
import { AuditRowSchema, ClaimSchema, CollisionSchema, LostRaceSchema, MarkActionSchema, TeamErrorKindSchema, TeamLeftListSchema, TeamMarksSchema, TeamStatusSchema } from './team.js';

/**
 * The only place a command or event is named. The Electron preload, the main
 * process handlers, the browser host's WebSocket and the renderer's client are
 * all derived from these two objects.
 */

/** Expected failures are values with a kind the UI can explain (an i18n key `error.<kind>`). */
export const ErrorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('invalidInput'), detail: z.string() }),
  z.object({ kind: z.literal('unknownAccount') }),
  z.object({ kind: z.literal('reconnectNeeded') }),
  /** `throttled`: the platform throttles the app or Page (Graph) rather than a published per-window limit (X). */
  z.object({ kind: z.literal('rateLimited'), resetAt: z.number().optional(), throttled: z.boolean().optional() }),
  /**
   * X pay-per-use: the app's prepaid credits are used up (HTTP 402). Nothing is
   * read or sent until the owner tops them up at console.x.com; the host keeps
   * the account connected and tries again on a slow schedule.
   */
  z.object({ kind: z.literal('creditsDepleted') }),
  z.object({ kind: z.literal('offline') }),
  z.object({ kind: z.literal('tooLong'), limit: z.number() }),
  z.object({ kind: z.literal('empty') }),
  z.object({ kind: z.literal('permissionMissing') }),
  z.object({ kind: z.literal('windowClosed') }),
  z.object({ kind: z.literal('duplicate') }),
  z.object({ kind: z.literal('targetGone') }),
  /**
   * X's 2026 rule for self-serve apps: a reply only to a post that @mentions or quotes
   * the account. `url` opens the post on X, where a person can answer by hand.
   */
  z.object({ kind: z.literal('replyRestricted'), url: z.string().optional() }),
  z.object({ kind: z.literal('notAllowed') }),
  z.object({ kind: z.literal('notConfigured') }),
  z.object({ kind: z.literal('consentNeeded') }),
  /** A send may or may not have reached the platform; the host looks before it ever sends again. */
  /** `resetAt`: the platform's rate limit stops the check until then. */
  z.object({ kind: z.literal('sendUnknown'), resetAt: z.number().optional() }),
  z.object({ kind: z.literal('platform'), status: z.number().optional(), detail: z.string() }),
  /** The platform could not process an attached image or GIF (or not in time); nothing was sent. */
  z.object({ kind: z.literal('mediaFailed'), timedOut: z.boolean().optional() }),
  /** Team mode: the team database cannot be used (see shared/team.ts); the console works on locally. */
  z.object({ kind: z.literal('team'), team: TeamErrorKindSchema, detail: z.string().max(500).optional() }),
  /**
   * Team mode, the collision guard: since the agent opened the conversation a colleague
   * replied, queued a reply, or the customer wrote again. Sending anyway takes `force`.
   */
  CollisionSchema.extend({ kind: z.literal('collision') }),
  /**
   * Team mode: the reply needs a lead's approval (the agent or the channel is on
   * "approval required"). It waits in the approval queue under its client id;
   * `returned` with the lead's comment once a lead sent it back. An approved reply
   * is in the team outbox: asking again with the same client id then answers as a send.
   */
  z.object({ kind: z.literal('approval'), state: z.enum(['pending', 'returned']), comment: z.string().max(4000).optional(), by: z.string().max(100).optional() }),
]);
export type AppError = z.infer<typeof ErrorSchema>;
export type ErrorKind = AppError['kind'];

export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: ErrorSchema }),
  ]);
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(error: AppError): Result<T> => ({ ok: false, error });

export const StatusSchema = z.object({
  accounts: z.array(AccountSchema),
  streams: z.array(StreamStatusSchema),
  /** The network as the host sees it. */
  online: z.boolean(),
  /** Saved X keyword searches, each polled as its own stream. */
  searches: z.array(SavedSearchSchema).optional(),
  /** Set when the embedded sandbox is attached (its base URL, for the inspection API). */
  sandboxUrl: z.string().optional(),
  /** 'electron' or 'browser': where the host runs. */
  shell: z.enum(['electron', 'browser']),
  /** How tokens are kept: encrypted by the OS keychain, or plaintext (then only with consent). */
  vault: z.object({ encrypted: z.boolean(), plaintextAllowed: z.boolean() }),
  /** Where "Connect X" signs in: the real X (a client id is configured), the sandbox, or nowhere. */
  xSignIn: z.enum(['x', 'sandbox', 'unavailable']),
  /** An X sign-in waiting for the browser, or the reason the last one failed. */
  signIn: z.object({ pending: z.boolean(), error: z.string().optional() }),
  /**
   * "Sign in with Facebook" (Login for Devices): where it signs in, the code the
   * person types at the verification page while pending, the reason the last one
   * failed, or the Pages to choose from once it succeeded. No token ever appears here.
   */
  fbSignIn: z
    .object({
      available: z.enum(['facebook', 'sandbox', 'unavailable']),
      pending: z.boolean(),
      userCode: z.string().optional(),
      verificationUri: z.string().optional(),
      expiresAt: z.number().optional(),
      error: z.string().optional(),
      pages: z.array(z.lazy(() => PageChoiceSchema)).optional(),
    })
    .optional(),
  /** Team mode (absent when solo): the shared database, colleagues, claims and who polls. */
  team: TeamStatusSchema.optional(),
});
export type Status = z.infer<typeof StatusSchema>;

/** Images a reply may carry (X: 5 MB an image, up to 4, or one animated GIF on its own; Graph: one photo a comment or message). */
export const MEDIA_MAX_BYTES = 5 * 1024 * 1024;
export const MEDIA_MAX_COUNT = 4;
export const MEDIA_MIME_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

export const MediaInputSchema = z.object({
  mimeType: z.enum(MEDIA_MIME_TYPES),
  /** The image bytes, base64 (no `data:` prefix). */
  dataBase64: z
    .string()
    .min(4)
    .max(Math.ceil(MEDIA_MAX_BYTES / 3) * 4)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
  /** Alt text for people using a screen reader (X: up to 1,000 characters). */
  alt: z.string().max(1000).optional(),
});
export type MediaInput = z.infer<typeof MediaInputSchema>;

export const SendReplyInputSchema = z.object({
  /** Client-made id; the same id is never posted twice. */
  clientId: z.string().uuid(),
  accountId: z.string().min(1).max(200),
  channel: ChannelSchema,
  conversationId: z.string().min(1).max(200),
  /** platformId of the message answered (a post, comment or DM event). */
  inReplyToId: z.string().min(1).max(200),
  /** For direct messages: the platform id of the person written to. */
  recipientId: z.string().min(1).max(200).optional(),
  text: z.string().max(20_000),
  /** On a Facebook comment: answer with a private reply (Messenger) instead of a public one. */
  private: z.boolean().optional(),
  /**
   * On Messenger, after the 24-hour window: a person's reply with the HUMAN_AGENT
   * tag (up to 7 days; needs Meta's Human Agent feature). Never for automation.
   */
  humanAgent: z.boolean().optional(),
  /**
   * Images to attach (X replies and DMs: up to 4 / 1; Facebook comments and Messenger: 1).
   * With media the text may be empty, except on Messenger where text and image go as two messages.
   */
  media: z
    .array(MediaInputSchema)
    .max(MEDIA_MAX_COUNT)
    .refine((list) => list.length <= 1 || list.every((m) => m.mimeType !== 'image/gif'), 'an animated GIF goes on its own')
    .optional(),
  /**
   * Team mode, the collision guard: when the agent opened the conversation (epoch ms).
   * A colleague's reply, a colleague's queued reply or a new customer message since then
   * holds the send back with a `collision` error.
   */
  since: z.number().optional(),
  /** Send although the collision guard held it back (the agent read what changed). */
  force: z.boolean().optional(),
});
export type SendReplyInput = z.infer<typeof SendReplyInputSchema>;

/**
 * A new post (not a reply) on an X account or a Facebook Page, kept by the host
 * until it went out: now, or at `at` (scheduled), even with no window open.
 * Over-long X text goes as a thread: each part after the first answers the one before.
 */
export const POST_PARTS_MAX = 25;
export const PostPartsSchema = z.array(z.string().max(70_000)).min(1).max(POST_PARTS_MAX);

export const QueuePostInputSchema = z.object({
  /** Client-made id: the same id is one post, however often it is handed over. */
  clientId: z.string().uuid(),
  accountId: z.string().min(1).max(200),
  parts: PostPartsSchema,
  /** Images on the first part (X: up to 4, or one animated GIF; a Facebook Page post: 1). */
  media: z
    .array(MediaInputSchema)
    .max(MEDIA_MAX_COUNT)
    .refine((list) => list.length <= 1 || list.every((m) => m.mimeType !== 'image/gif'), 'an animated GIF goes on its own')
    .optional(),
  /** When to send it (epoch ms); absent or past: as soon as it can. */
  at: z.number().int().nonnegative().optional(),
  /** Who wrote it (the agent's name), shown in the scheduled list. */
  by: z.string().max(100).optional(),
});
export type QueuePostInput = z.infer<typeof QueuePostInputSchema>;

/**
 *   scheduled ──► sending ──► sent
 *       ▲            ├──► unknown  (maybe posted: the host looks before it sends again, by itself)
 *       │            └──► failed   (certainly not posted: retry, edit or discard)
 *       └── offline, rate limited, account to reconnect: waits and goes out by itself
 */
export const PostStateSchema = z.enum(['scheduled', 'sending', 'sent', 'unknown', 'failed']);
export type PostState = z.infer<typeof PostStateSchema>;

/** A new post as the window sees it (images as a count and their alt texts, never their bytes). */
export const PostEntrySchema = z.object({
  clientId: z.string().uuid(),
  accountId: z.string().min(1).max(200),
  platform: z.enum(['x', 'facebook']),
  parts: PostPartsSchema,
  mediaCount: z.number().int().nonnegative(),
  mediaAlts: z.array(z.string().max(1000)).max(MEDIA_MAX_COUNT),
  /** When it goes (or went) out; `scheduled` false: "now", as the agent sent it. */
  at: z.number().int(),
  scheduled: z.boolean(),
  createdAt: z.number().int(),
  by: z.string().max(100).optional(),
  state: PostStateSchema,
  /** Parts already on the platform (a thread that stopped halfway goes on from there). */
  sentParts: z.number().int().nonnegative(),
  /** Not before this time (a rate limit, the connection, a look for an unclear send). */
  nextAttemptAt: z.number().int().optional(),
  attempts: z.number().int().nonnegative(),
  /** Why the last attempt did not go through, or why it waits. */
  error: ErrorSchema.optional(),
  /** The first part on the platform. */
  sent: z.object({ platformId: z.string(), url: z.string().optional(), at: z.number().int() }).optional(),
});
export type PostEntry = z.infer<typeof PostEntrySchema>;

export const MessageBatchSchema = z.object({
  batchId: z.string().min(1).max(100),
  streamId: z.string(),
  messages: z.array(MessageSchema),
  /** Team mode: marks colleagues set (status, tag, assignee), stored with the messages. */
  marks: TeamMarksSchema.optional(),
  /** Team mode: records of the team's workflow log (see shared/workflow.ts). */
  workflow: WorkflowRecordsSchema.optional(),
  /** Team mode, a department login: what moved out of its departments (shared/team.ts, leftOf). */
  left: TeamLeftListSchema.optional(),
});
export type MessageBatch = z.infer<typeof MessageBatchSchema>;

/** More messages than any poll hands over in one batch (a page holds at most a few hundred). */
export const BATCH_MESSAGES_MAX = 10_000;

/**
 * A batch as the renderer receives it: each message is checked on its own
 * there (renderer/src/db/ingest.ts), so one unreadable message is set aside
 * instead of the whole batch being dropped and never acknowledged.
 */
export const MessageBatchEventSchema = z.object({
  batchId: z.string().min(1).max(100),
  streamId: z.string(),
  messages: z.array(z.unknown()).max(BATCH_MESSAGES_MAX),
  marks: TeamMarksSchema.optional(),
  workflow: WorkflowRecordsSchema.optional(),
  left: TeamLeftListSchema.optional(),
});
export type MessageBatchEvent = z.infer<typeof MessageBatchEventSchema>;

export const PageChoiceSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Page tasks the token grants, and those the console needs but lacks. */
  tasks: z.array(z.string()),
  missingTasks: z.array(z.string()),
});
export type PageChoice = z.infer<typeof PageChoiceSchema>;

const TokenSchema = z.string().trim().min(10).max(4000);
const AccountIdSchema = z.string().min(1).max(200);

export const commands = {
  /** Accounts, streams and connection state. */
  getStatus: { input: z.object({}), output: resultSchema(StatusSchema) },
  /**
   * A window says which local store it writes to. A store the host has not
   * filled before (a new browser profile, a cleared cache) gets its history again.
   */
  hello: { input: z.object({ storeId: z.string().uuid() }), output: resultSchema(z.object({ backfill: z.boolean() })) },
  /** The renderer stored a batch durably; the host may advance that stream's cursor. */
  ackBatch: { input: z.object({ batchId: z.string().min(1).max(100) }), output: resultSchema(z.object({})) },
  /** Post a reply through the platform API as the account that received the message. */
  sendReply: { input: SendReplyInputSchema, output: resultSchema(MessageSchema) },
  /**
   * Start X sign-in (OAuth 2.0 PKCE, loopback redirect). Returns the authorize page
   * for the person to open in their browser; the account appears in a statusChanged event.
   */
  connectX: { input: z.object({}), output: resultSchema(z.object({ authorizeUrl: z.string() })) },
  /** The Pages a pasted Page, user or System User token can manage. */
  listFacebookPages: { input: z.object({ token: TokenSchema }), output: resultSchema(z.array(PageChoiceSchema)) },
  /** Connect the chosen Pages of that token. */
  connectFacebookPages: {
    input: z.object({ token: TokenSchema, pageIds: z.array(z.string().min(1).max(100)).min(1).max(50) }),
    output: resultSchema(z.object({ connected: z.array(z.string()) })),
  },
  /**
   * Start Facebook Login for Devices: the host asks Graph for a code and polls for
   * the person's approval; progress and then the Pages to choose arrive in `status.fbSignIn`.
   */
  startFacebookSignIn: {
    input: z.object({}),
    output: resultSchema(z.object({ userCode: z.string(), verificationUri: z.string(), expiresAt: z.number() })),
  },
  /** Open the verification page of the running Facebook sign-in in the system browser. */
  openFacebookSignIn: { input: z.object({}), output: resultSchema(z.object({})) },
  /** Connect the chosen Pages of the finished Facebook sign-in; the user token is then forgotten. */
  connectFacebookSignIn: {
    input: z.object({ pageIds: z.array(z.string().min(1).max(100)).min(1).max(50) }),
    output: resultSchema(z.object({ connected: z.array(z.string()) })),
  },
  /** Stop a Facebook sign-in (waiting or with Pages to choose) and forget its token. */
  cancelFacebookSignIn: { input: z.object({}), output: resultSchema(z.object({})) },
  /** Delete our own X reply or Facebook comment, or hide/unhide a comment on our Page. */
  moderate: {
    input: z.object({
      accountId: AccountIdSchema,
      channel: ChannelSchema,
      platformId: z.string().min(1).max(200),
      action: z.enum(['delete', 'hide', 'unhide']),
    }),
    output: resultSchema(z.object({})),
  },
  /** Save (or, with `id`, change) an X keyword search of an account; polled as a stream of its own. */
  saveXSearch: {
    input: z.object({
      accountId: AccountIdSchema,
      id: z.string().min(1).max(100).optional(),
      query: z.string().trim().min(1).max(512),
      name: z.string().trim().max(100).optional(),
    }),
    output: resultSchema(SavedSearchSchema),
  },
  /** Stop polling a saved search and forget it (its messages stay). */
  removeXSearch: { input: z.object({ searchId: z.string().min(1).max(100) }), output: resultSchema(z.object({})) },
  /** Forget an account and its tokens (its cached messages stay). */
  removeAccount: { input: z.object({ accountId: AccountIdSchema }), output: resultSchema(z.object({})) },
  /**
   * An X account's spending on billed reads: the daily budget (paid streams pause when it
   * is spent), the page cap per poll, and whether the account owns the developer app
   * (its own mentions and posts are then billed as owned reads).
   */
  setAccountSpending: {
    input: z.object({
      accountId: AccountIdSchema,
      /** null: no daily budget. */
      dailyBudgetUsd: z.number().min(0).max(10_000).nullable().optional(),
      pagesPerPoll: z.number().int().min(1).max(100).optional(),
      ownsApp: z.boolean().optional(),
    }),
    output: resultSchema(z.object({})),
  },
  /** The person agrees (or not) to tokens being stored unencrypted where no OS keychain exists. */
  setPlaintextConsent: { input: z.object({ allowed: z.boolean() }), output: resultSchema(z.object({})) },
  /** Open an https link in the system browser (the one audited opener). */
  openExternal: { input: z.object({ url: z.string().max(4096) }), output: resultSchema(z.object({})) },
  /** The whole text of a message shown shortened (`Message.shortened`), while the host still keeps it. */
  getFullText: {
    input: z.object({ accountId: AccountIdSchema.optional(), key: z.string().min(1).max(300) }),
    output: resultSchema(z.object({ text: z.string() })),
  },
  /**
   * Team mode: join the team database at `url` (postgres://login:password@host/db, TLS as
   * the URL's sslmode says), or leave it (null: solo again; the local store stays). The key
   * is the team key, entered once per console by an admin; it is kept in the vault.
   */
  setTeam: {
    input: z.object({
      /** Absent: the team stays, only the key changes (the URL kept in the vault is used). */
      url: z.string().trim().max(2000).nullable().optional(),
      key: z.string().min(8).max(200).optional(),
    }),
    output: resultSchema(z.object({})),
  },
  /** Team mode: take (or with `release`, give up) the claim on a conversation; `won` false shows who holds it. */
  claim: {
    input: z.object({ conversationKey: z.string().min(1).max(300), release: z.boolean().optional() }),
    output: resultSchema(z.object({ won: z.boolean(), claim: ClaimSchema.nullable() })),
  },
  /** Team mode: a mark action (done, archived, tag, assignee, hidden) shared with the team. */
  mark: {
    input: MarkActionSchema,
    output: resultSchema(z.object({ applied: z.array(z.string()), lost: z.array(LostRaceSchema) })),
  },
  /** Team mode: this agent's presence (away after a while without input). */
  setPresence: { input: z.object({ presence: z.enum(['online', 'away']) }), output: resultSchema(z.object({})) },
  /** Team mode: the lost races shown were read. */
  dismissLostRaces: { input: z.object({ ids: z.array(z.string().max(100)).max(1000) }), output: resultSchema(z.object({})) },
  /** Team mode, leads and admins: the audit trail, newest first, optionally matching words. */
  auditSearch: {
    input: z.object({ q: z.string().max(200).optional(), limit: z.number().int().min(1).max(1000).optional() }),
    output: resultSchema(z.object({ rows: z.array(AuditRowSchema) })),
  },
  /** Team mode: a workflow action (assign, note, ask, answer, approve, return, review, rule, shift ...); see shared/workflow.ts. */
  act: { input: WorkflowActionSchema, output: resultSchema(ActResultSchema) },
  /** New posts the host keeps: scheduled, on their way, failed, and those sent in the last days. */
  listPosts: { input: z.object({}), output: resultSchema(z.object({ posts: z.array(PostEntrySchema) })) },
  /** Hand a new post to the host (now or at `at`); the same client id again answers with what it has. */
  queuePost: { input: QueuePostInputSchema, output: resultSchema(PostEntrySchema) },
  /** Edit or move a post that has not started to go out (its images stay unless `dropMedia`). */
  updatePost: {
    input: z.object({ clientId: z.string().uuid(), parts: PostPartsSchema.optional(), at: z.number().int().nonnegative().optional(), dropMedia: z.boolean().optional() }),
    output: resultSchema(PostEntrySchema),
  },
  /** Cancel a post that has not started to go out, or discard a failed one; answers with its text and images, for the draft. */
  cancelPost: { input: z.object({ clientId: z.string().uuid() }), output: resultSchema(z.object({ parts: PostPartsSchema, accountId: z.string(), media: z.array(MediaInputSchema) })) },
  /** Try a failed post again now, under the same id. */
  retryPost: { input: z.object({ clientId: z.string().uuid() }), output: resultSchema(PostEntrySchema) },
} as const;

export const events = {
  /** New messages for the renderer to store; it answers with ackBatch. */
  messagesArrived: MessageBatchEventSchema,
  /** Accounts, streams or connectivity changed. */
  statusChanged: StatusSchema,
  /** The new posts the host keeps changed (queued, moved, sent, failed, cancelled). */
  postsChanged: z.object({ posts: z.array(PostEntrySchema) }),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<C extends CommandName> = z.input<Commands[C]['input']>;
export type CommandOutput<C extends CommandName> = z.infer<Commands[C]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

export const commandNames = Object.keys(commands) as CommandName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

/** Frames of the WebSocket transport (browser host). */
export const ClientFrameSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  command: z.string().max(100),
  input: z.unknown(),
});
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export type ServerFrame =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; event: EventName; payload: unknown };

/** IPC channel names of the Electron transport, derived from the contract. */
export const ipcCommandChannel = (name: CommandName) => `webcare:cmd:${name}`;
export const IPC_EVENT_CHANNEL = 'webcare:event';
