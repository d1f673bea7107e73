import type { AppError, MediaInput, SendReplyInput } from '../../../shared/contract.js';
import type { Account, Channel, Gap, Message, SavedSearch } from '../../../shared/model.js';
import type { HostConfig } from '../config.js';
import type { StreamSource } from '../poller.js';
import type { PlatformOps, SendJournal } from '../sender.js';
import type { Spending } from '../spending.js';
import type { Vault } from '../vault.js';
import type { RefreshGuard } from './x/api.js';

/** What is kept of an account on disk; its tokens live in the vault. */
export interface AccountRecord {
  id: string;
  platform: Account['platform'];
  platformUserId: string;
  name: string;
  handle: string;
  avatarUrl?: string;
  sandbox: boolean;
  /** The API base the account was connected through (sandbox or a compatible server). */
  apiUrl?: string;
  /** Facebook: the Page tasks the token grants. */
  tasks?: string[];
  /**
   * Team mode: the department its messages belong to (the team database's
   * `accounts.department`, set by a lead); never stored inside the record itself.
   */
  department?: string;
}

/** What every connector may use of the host: its clock, settings, vault and log. */
export interface ConnectorContext {
  config: HostConfig;
  vault: Vault;
  journal: SendJournal;
  /** What each account may spend on billed reads (X), and what it spent. */
  spending: Spending;
  now: () => number;
  /** Per platform request. */
  requestTimeoutMs?: number;
  log(line: string): void;
  /**
   * Team mode: how an X account's token refresh is coordinated with the other
   * consoles (see XSessionOptions.refreshGuard); undefined when this console alone holds it.
   */
  xRefreshGuard?(record: AccountRecord): RefreshGuard | undefined;
}

export type ModerateAction = 'delete' | 'hide' | 'unhide';

/**
 * One part of a new post as the host sends it, under its own client id (the send
 * journal's): the first carries the images, a later one answers the part before it.
 */
export interface PostPartInput {
  clientId: string;
  accountId: string;
  text: string;
  media?: MediaInput[];
  /** The platform id of the part before (X threads). */
  replyTo?: string;
}

/**
 * One connected account, live: its platform session behind the streams it
 * polls, the ways it sends, and what it may do. Built by its platform's
 * connector from the stored record and the vault's secret.
 */
export interface AccountSession {
  /** Scopes (X) or Page tasks (Facebook) the token grants. */
  granted(): string[];
  /** When the access token expires, where it does (X: two hours, refreshed on use). */
  expiresAt(): number | undefined;
  /** Why the platform stopped accepting the token, when it said. */
  deadReason(): string | undefined;
  /** The streams every account of this platform polls. */
  streams(): StreamSource[];
  /** A saved keyword search as a stream of its own; null where the platform has none. */
  searchStream?(search: SavedSearch, share: () => number): StreamSource | null;
  /** How to post and how to look for a post on a channel, or null where this account cannot. */
  sendOps(channel: Channel, input: Pick<SendReplyInput, 'private' | 'humanAgent'>): PlatformOps | null;
  /** How to publish and how to look for a new post (not a reply) of this account, or null where it cannot. */
  postOps?(): PlatformOps<PostPartInput> | null;
  /** A refusal known before anything is sent (X's 2026 reply rule), or null. */
  checkBeforeSend?(input: SendReplyInput): Promise<AppError | null>;
  /** The platform refused a send for good: what the person is told instead. */
  refused?(input: SendReplyInput, error: AppError): AppError;
  /** Delete, hide or unhide; false when this channel does not allow the action. */
  moderate(channel: Channel, platformId: string, action: ModerateAction): Promise<boolean>;
}

/** A platform the console connects to: how it turns an account into a live session. */
export interface Connector {
  readonly platform: Account['platform'];
  /** What the console needs the token to grant (shown as "missing" when it does not). */
  readonly required: readonly string[];
  /** A live session for a stored account, or null when its secret does not fit (it must be reconnected). */
  open(record: AccountRecord, secret: unknown): AccountSession | null;
  /**
   * Sees every batch before it is handed to the renderer (the X connector learns
   * which posts it may answer, and keeps replies to search hits in their thread).
   */
  onBatch?(messages: Message[]): Message[] | null;
}

/** The account as the connectors' mapping functions know it. */
export function ownRef(record: AccountRecord): { id: string; platformUserId: string; username: string } {
  return { id: record.id, platformUserId: record.platformUserId, username: record.handle };
}

/** A stream's rate window as the platform reports it (X: x-rate-limit-* headers). */
export interface RateInfo {
  limit: number;
  remaining: number;
  /** Epoch ms. */
  resetAt: number;
}

/** What one poll of a stream brought, for the runner. */
export interface PollResult {
  cursor: string | undefined;
  /** X: the endpoint's rate window as reported by x-rate-limit-* headers. */
  rate?: RateInfo;
  /** Graph: the highest usage percentage in X-App-Usage / X-Business-Use-Case-Usage. */
  usagePct?: number;
  /** Items set aside as unreadable (poison), so they never wedge the stream. */
  skipped: number;
  /** Stretches not read yet (or out of the platform's reach), for the health view. */
  gaps?: Gap[];
  /** How many days back the stream looks for new items (Facebook comments: on posts of that many days). */
  lookbackDays?: number;
  /**
   * X: the id of every resource the platform returned, new or not, per page with
   * the time it was asked for. X bills each resource returned, once per UTC day
   * however often it is read again (docs.x.com, "Pay-per-usage pricing",
   * Deduplication); delivered messages are counted anyway.
   */
  read?: { at: number; ids: string[] }[];
}

/**
 * Hands a page over as a batch. Resolves when the next page may be read: once the
 * batch is acknowledged, or while few enough batches wait for theirs (the poller
 * saves the cursor only after every one of them was).
 */
export type Deliver = (messages: Message[]) => Promise<void>;
