import type { AppError, CommandOutput, SendReplyInput, Status } from '../../../shared/contract.js';
import { isXPostChannel } from '../../../shared/model.js';
import type { HostApi } from '../api/host';
import type { StatusSource } from '../api/status';
import type { OutboxRecord, WebcareDb } from '../db/db';
import { SerialRun } from '../serialRun';

/**
 * The outbox: every reply is first a row in IndexedDB, with an id made here,
 * and only then handed to the host (a transactional outbox,
 * microservices.io/patterns/data/transactional-outbox.html).
 * One drain loop sends the rows, in order per conversation, one at a time,
 * and always under the row's own id, so the host's journal can tell a retry
 * from a new reply: a row is never posted twice, and never silently dropped.
 *
 *   queued ──► sending ──► sent
 *     ▲           │
 *     │           ├──► unknown  (maybe posted: the host looks before it sends again; retried on its own)
 *     │           ├──► failed   (certainly not posted: retry, edit or discard)
 *     └───────────┘  offline / rate limited: back in the queue, goes out when the host can reach the platform
 *
 * Team mode adds the collision guard: a colleague replied, or queued a reply, or
 * the customer wrote again since the agent opened the conversation. The entry is
 * then failed with the reason and waits for the agent, who reads the conversation
 * and sends anyway (the same entry, same id, with `force`), edits or discards it.
 *
 * And approval: when the agent or the channel needs a lead's approval, the entry
 * stays queued (`approval` pending) and is asked after until a lead decided; the
 * answer is then the send's (approved: posted once by the team), or it fails as
 * returned with the lead's comment, for the agent to edit and send anew.
 */
export type OutboxState = OutboxRecord['state'];

export interface OutboxEntry extends OutboxRecord {
  /** Order within one millisecond. */
  seq: number;
  request: Omit<SendReplyInput, 'clientId'>;
  /** A later part of an X thread answers the post of the part before it (its clientId). */
  after?: string;
  /** Parts of one split reply share a group; `index` counts from 1. */
  group?: { id: string; index: number; of: number };
  /** The message card the agent answered from, to open the conversation from the outbox view. */
  messageKey: string;
  attempts: number;
  updatedAt: number;
  /** Not before this time (backoff, rate limit). */
  nextAttemptAt?: number;
  /** Why the last attempt did not succeed. */
  error?: AppError;
  sent?: { key: string; platformId: string; at: number };
}

export const ACTIVE_STATES: readonly OutboxState[] = ['queued', 'sending', 'unknown', 'failed'];

/** Waits between automatic attempts: 2 s, 4 s, 8 s … at most a minute. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000, 2000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * The state after an attempt. `connectionLost`: the link to the host broke while
 * the request was out, so the host may have sent it: that is unknown, not offline.
 */
export function afterAttempt(
  entry: Pick<OutboxEntry, 'attempts'>,
  result: CommandOutput<'sendReply'>,
  now: number,
  connectionLost = false,
): Partial<OutboxEntry> & { state: OutboxState } {
  if (result.ok) {
    return { state: 'sent', sent: { key: result.value.key, platformId: result.value.platformId, at: now }, error: undefined, nextAttemptAt: undefined, updatedAt: now };
  }
  const error = result.error;
  const wait = now + backoffMs(entry.attempts);
  switch (error.kind) {
    case 'sendUnknown':
      // Looking on the platform is rate limited too: the next look waits for its reset.
      return { state: 'unknown', error, nextAttemptAt: Math.max(wait, error.resetAt ?? 0), updatedAt: now };
    case 'offline':
      return connectionLost
        ? { state: 'unknown', error: { kind: 'sendUnknown' }, nextAttemptAt: wait, updatedAt: now }
        : { state: 'queued', error, nextAttemptAt: wait, updatedAt: now };
    case 'rateLimited':
      return { state: 'queued', error, nextAttemptAt: Math.max(wait, error.resetAt ?? now + 60_000), updatedAt: now };
    case 'reconnectNeeded':
    case 'unknownAccount':
      // Nothing was sent: it waits for the account and goes out once it is connected again
      // (the drain releases it when the status says so; the backoff is only a fallback).
      return { state: 'queued', error, nextAttemptAt: wait, updatedAt: now };
    case 'creditsDepleted':
      // X refuses everything until the credits are topped up; the streams look every 15 minutes too.
      return { state: 'queued', error, nextAttemptAt: now + CREDITS_RETRY_MS, updatedAt: now };
    case 'team':
      // This reply itself is not allowed (a conversation outside the login's departments) or the
      // database refused it: the agent decides. Otherwise the database is out of reach or a setting
      // must change: nothing was queued there, and the reply goes out once it can.
      if (error.team === 'rights' || error.team === 'other') return { state: 'failed', error, nextAttemptAt: undefined, updatedAt: now };
      return { state: 'queued', error, nextAttemptAt: wait, updatedAt: now };
    case 'collision':
      // Never again on its own: the agent must read what changed first (sendAnyway).
      return { state: 'failed', error, nextAttemptAt: undefined, updatedAt: now };
    case 'approval':
      // Waiting for a lead: asked again now and then (and at once when the log shows a decision,
      // see approvalNews); once approved the answer is the send's. Returned: the agent edits it.
      if (error.state === 'pending') return { state: 'queued', error, nextAttemptAt: now + APPROVAL_ASK_MS, updatedAt: now };
      return { state: 'failed', error, nextAttemptAt: undefined, updatedAt: now };
    default:
      return { state: 'failed', error, nextAttemptAt: undefined, updatedAt: now };
  }
}

/** How often a reply waiting for a lead's approval is asked after, besides when the team's log shows news. */
export const APPROVAL_ASK_MS = 30_000;
/** How often a reply waiting for X API credits is tried, besides when the status shows them back. */
export const CREDITS_RETRY_MS = 15 * 60_000;

/**
 * What a queued reply waits for before it can go, when the host said so: its
 * account to be connected (again), X's credits, or the connection. Such a reply
 * goes out by itself once that is there; no Retry is needed.
 */
export type Awaited = 'account' | 'accountGone' | 'credits' | 'connection';

export function waitsFor(e: Pick<OutboxEntry, 'state' | 'error'>): Awaited | null {
  if (e.state !== 'queued') return null;
  switch (e.error?.kind) {
    case 'reconnectNeeded':
      return 'account';
    case 'unknownAccount':
      return 'accountGone';
    case 'creditsDepleted':
      return 'credits';
    case 'offline':
      return 'connection';
    default:
      return null;
  }
}

/** Per account, what keeps it from sending as the host last said: 'ok', 'reconnect', 'gone' or 'credits'. */
export function accountBlocks(status: Pick<Status, 'accounts' | 'streams'> | null): Map<string, 'ok' | 'reconnect' | 'credits'> {
  const out = new Map<string, 'ok' | 'reconnect' | 'credits'>();
  if (!status) return out;
  for (const a of status.accounts) out.set(a.id, a.state === 'connected' ? 'ok' : 'reconnect');
  for (const s of status.streams) if (s.wait?.reason === 'creditsDepleted' && out.get(s.accountId) === 'ok') out.set(s.accountId, 'credits');
  return out;
}

/**
 * Whether the host's status says the reason a reply waits for is still there
 * (its account needs reconnecting or is not connected at all, X's credits are
 * used up): then it is not even tried. Without a status, nothing is held.
 */
export function heldBack(e: Pick<OutboxEntry, 'state' | 'error' | 'request'>, blocks: ReadonlyMap<string, 'ok' | 'reconnect' | 'credits'> | null): boolean {
  const w = waitsFor(e);
  if (!blocks || blocks.size === 0 || (w !== 'account' && w !== 'accountGone' && w !== 'credits')) return false;
  const b = blocks.get(e.request.accountId);
  if (w === 'credits') return b === 'credits';
  return b !== 'ok' && b !== 'credits';
}

/**
 * Accounts whose block is gone since the status before: a reconnected account
 * (or one connected again after it was removed), credits back. Only changes
 * seen count, so a host that still refuses cannot make the drain spin.
 */
export function unblocked(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [id, b] of after) {
    const was = before.get(id);
    if (b === 'ok' && was !== undefined && was !== 'ok') out.push(id);
  }
  // An account removed earlier that is there again: before lists it no more, so look at the ones that were not there.
  if (before.size > 0) for (const [id, b] of after) if (b === 'ok' && !before.has(id)) out.push(id);
  return out;
}

/**
 * The reason these replies waited for is gone (accounts back, or the connection):
 * they go out now instead of at their backoff. Resolves to how many.
 */
export async function release(db: WebcareDb, match: (e: OutboxEntry) => boolean): Promise<number> {
  return db.transaction('rw', db.outbox, async () => {
    const queued = ((await db.outbox.where('state').equals('queued').toArray()) as OutboxEntry[]).filter((e) => waitsFor(e) !== null && match(e));
    for (const e of queued) await db.outbox.update(e.clientId, { nextAttemptAt: 0 });
    return queued.length;
  });
}

/**
 * Team mode: the reply waits in the approval queue. A lead may put it in the team
 * queue at any moment, so, like a reply that may be on its way, it cannot be
 * discarded or taken back into the draft; a lead returns it instead.
 */
export function awaitingApproval(e: Pick<OutboxEntry, 'state' | 'error'>): boolean {
  return e.state === 'queued' && e.error?.kind === 'approval' && e.error.state === 'pending';
}

/**
 * The team's log shows a lead's decision on (or the sending of) these replies:
 * those this console holds as waiting for approval are asked after now.
 * Resolves to how many were.
 */
export async function approvalNews(db: WebcareDb, clientIds: readonly string[]): Promise<number> {
  if (clientIds.length === 0) return 0;
  return db.transaction('rw', db.outbox, async () => {
    const entries = ((await db.outbox.bulkGet([...clientIds])) as Array<OutboxEntry | undefined>).filter((e): e is OutboxEntry => !!e && awaitingApproval(e));
    for (const e of entries) await db.outbox.update(e.clientId, { nextAttemptAt: 0 });
    return entries.length;
  });
}

/** Entries in the order they go out: per conversation, oldest first. */
export function byOrder(a: OutboxEntry, b: OutboxEntry): number {
  return a.createdAt - b.createdAt || a.seq - b.seq;
}

/**
 * What may be sent now: per conversation, the oldest entry not yet sent, unless
 * it failed (then the conversation waits for the agent: a later reply never
 * overtakes an earlier one) or its time has not come.
 */
export function nextToSend(entries: readonly OutboxEntry[], now: number, held: (e: OutboxEntry) => boolean = () => false): OutboxEntry[] {
  const heads = new Map<string, OutboxEntry>();
  for (const e of [...entries].sort(byOrder)) {
    if (e.state === 'sent') continue;
    if (!heads.has(e.conversationKey)) heads.set(e.conversationKey, e);
  }
  return [...heads.values()].filter((e) => e.state !== 'failed' && (e.nextAttemptAt ?? 0) <= now && !held(e)).sort(byOrder);
}

let seq = 0;

/**
 * A later part of a split reply: no images (they go with the first post), and no
 * collision guard, since the part before it is ours and passed the guard already.
 */
function laterPart(r: NewReply['request']): NewReply['request'] {
  const { media: _media, since: _since, ...rest } = r;
  return rest;
}

export interface NewReply {
  request: Omit<SendReplyInput, 'clientId'>;
  conversationKey: string;
  messageKey: string;
}

/**
 * Puts a reply (one entry, or one per part of a split X reply) in the outbox and
 * removes the draft it came from, in one transaction: the text is in exactly one
 * of the two places at any moment.
 */
export async function enqueue(db: WebcareDb, reply: NewReply, parts: readonly string[], draftKey: string | null, now = Date.now()): Promise<OutboxEntry[]> {
  const groupId = parts.length > 1 ? crypto.randomUUID() : undefined;
  const entries: OutboxEntry[] = [];
  let prev: string | undefined;
  parts.forEach((text, i) => {
    const clientId = crypto.randomUUID();
    entries.push({
      clientId,
      state: 'queued',
      conversationKey: reply.conversationKey,
      messageKey: reply.messageKey,
      createdAt: now,
      seq: seq++,
      // Images go with the first post of a thread only.
      request: i === 0 ? { ...reply.request, text } : { ...laterPart(reply.request), text },
      after: prev,
      group: groupId ? { id: groupId, index: i + 1, of: parts.length } : undefined,
      attempts: 0,
      updatedAt: now,
    });
    prev = clientId;
  });
  await db.transaction('rw', db.outbox, db.drafts, db.draftMedia, async () => {
    await db.outbox.bulkAdd(entries);
    if (draftKey) {
      await db.drafts.delete(draftKey);
      await db.draftMedia.where('threadKey').equals(draftKey).delete();
    }
  });
  return entries;
}

/** Entries of the same split reply after this one (they cannot go without it). */
async function laterParts(db: WebcareDb, e: OutboxEntry): Promise<OutboxEntry[]> {
  if (!e.group) return [];
  const all = (await db.outbox.where('conversationKey').equals(e.conversationKey).toArray()) as OutboxEntry[];
  return all.filter((o) => o.group?.id === e.group?.id && (o.group?.index ?? 0) > (e.group?.index ?? 0) && o.state !== 'sent');
}

/** A failed entry goes back in the queue under the same id. */
export async function retry(db: WebcareDb, clientId: string, now = Date.now()): Promise<boolean> {
  return db.transaction('rw', db.outbox, async () => {
    const e = (await db.outbox.get(clientId)) as OutboxEntry | undefined;
    if (!e || e.state !== 'failed') return false;
    await db.outbox.update(clientId, { state: 'queued', nextAttemptAt: undefined, updatedAt: now });
    return true;
  });
}

/**
 * Team mode: the agent read what the collision guard held the reply back for and
 * sends it all the same: the same entry under the same id (the host's journal
 * still posts it at most once), now with `force`.
 */
export async function sendAnyway(db: WebcareDb, clientId: string, now = Date.now()): Promise<boolean> {
  return db.transaction('rw', db.outbox, async () => {
    const e = (await db.outbox.get(clientId)) as OutboxEntry | undefined;
    if (!e || e.state !== 'failed' || e.error?.kind !== 'collision') return false;
    await db.outbox.update(clientId, { state: 'queued', request: { ...e.request, force: true }, nextAttemptAt: undefined, updatedAt: now });
    return true;
  });
}

/**
 * Removes an entry that certainly was not posted (queued or failed), with the later
 * parts of its split reply. Entries that are sending or unknown cannot be discarded:
 * they may be on the platform already. Returns their texts, oldest first.
 */
export async function discard(db: WebcareDb, clientId: string): Promise<string[] | null> {
  return db.transaction('rw', db.outbox, async () => {
    const e = (await db.outbox.get(clientId)) as OutboxEntry | undefined;
    if (!e || (e.state !== 'failed' && e.state !== 'queued') || awaitingApproval(e)) return null;
    const later = await laterParts(db, e);
    if (later.some((o) => o.state === 'sending' || o.state === 'unknown' || awaitingApproval(o))) return null;
    const gone = [e, ...later].sort(byOrder);
    await db.outbox.bulkDelete(gone.map((o) => o.clientId));
    return gone.map((o) => o.request.text.replace(/ \d+\/\d+$/, ''));
  });
}

/** Sent entries older than this are forgotten (the reply itself stays in the thread). */
const KEEP_SENT_MS = 7 * 24 * 3600_000;

export interface DrainOptions {
  now?: () => number;
  /** The Web Locks API keeps two windows from draining at once (the host would dedupe anyway). */
  locks?: LockManager | null;
}

/**
 * The one loop that sends. It runs when something is queued, when the host
 * connection opens, when the host reports the network back, and on a timer for
 * backoffs; it sends nothing while the host is unreachable or offline.
 */
export class OutboxDrain {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly offs: Array<() => void> = [];
  private readonly now: () => number;
  private readonly run: SerialRun;

  constructor(
    private readonly host: HostApi,
    private readonly db: WebcareDb,
    private readonly status: StatusSource | null,
    opts: DrainOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.run = new SerialRun('webcare-outbox', () => this.loop(), 'outbox drain failed', opts.locks);
  }

  /**
   * The host may reach the platform: connected, and not reporting itself offline. In team
   * mode replies go through the team database, so they also wait while it is out of reach.
   */
  canSend(): boolean {
    const status = this.status?.get();
    return this.host.connection === 'open' && status?.online !== false && status?.team?.state !== 'offline';
  }

  async start(): Promise<void> {
    // A window closed while a reply was out: it may have been posted. The host looks first.
    await this.db.outbox
      .where('state')
      .equals('sending')
      .modify({ state: 'unknown', error: { kind: 'sendUnknown' } satisfies AppError, nextAttemptAt: 0 })
      .catch((e: unknown) => console.warn('outbox recovery failed', e));
    const cutoff = this.now() - KEEP_SENT_MS;
    await this.db.outbox
      .where('state')
      .equals('sent')
      .filter((e) => e.createdAt < cutoff)
      .delete()
      .catch(() => undefined);
    // Written by an earlier version: failed for a reason that passes. They wait like new ones now.
    await this.db.outbox
      .where('state')
      .equals('failed')
      .filter((e) => ['reconnectNeeded', 'unknownAccount', 'creditsDepleted'].includes((e as OutboxEntry).error?.kind ?? ''))
      .modify({ state: 'queued', nextAttemptAt: 0 })
      .catch((e: unknown) => console.warn('outbox recovery failed', e));
    this.offs.push(this.host.onConnection(() => this.kick()));
    if (this.status) this.offs.push(this.status.subscribe(() => this.noteStatus()));
    this.blocks = accountBlocks(this.status?.get() ?? null);
    this.kick();
  }

  /** What blocked each account at the last status; a change to 'ok' releases the replies that waited for it. */
  private blocks = new Map<string, 'ok' | 'reconnect' | 'credits'>();
  /** Whether the host could reach the platform at the last look. */
  private couldSend = true;

  private noteStatus(): void {
    const next = accountBlocks(this.status?.get() ?? null);
    const back = new Set(unblocked(this.blocks, next));
    if (next.size > 0) this.blocks = next;
    if (back.size === 0) return this.kick();
    const released: Promise<void> = release(this.db, (e) => back.has(e.request.accountId) && waitsFor(e) !== 'connection')
      .then(() => undefined)
      .catch((e: unknown) => console.warn('outbox release failed', e))
      .finally(() => {
        this.releasing.delete(released);
        this.kick();
      });
    this.releasing.add(released);
  }

  /** Releases under way after a status change: idle() waits for them and the pass each kicks. */
  private readonly releasing = new Set<Promise<void>>();

  stop(): void {
    this.stopped = true;
    for (const off of this.offs) off();
    if (this.timer) clearTimeout(this.timer);
  }

  /** Something changed: run (again). */
  kick(): void {
    if (!this.stopped) this.run.kick();
  }

  /** Resolves once nothing more can be sent now (tests): no release under way, no pass running. */
  async idle(): Promise<void> {
    for (;;) {
      await Promise.all([...this.releasing]);
      await this.run.idle();
      if (this.releasing.size === 0) return;
    }
  }

  private async loop(): Promise<void> {
    for (;;) {
      this.run.startOver();
      const can = this.canSend();
      const cameBack = can && !this.couldSend;
      this.couldSend = can;
      if (this.stopped || !can) break;
      // The connection is back: what waited for it goes now, not at the end of its backoff.
      if (cameBack) await release(this.db, (e) => waitsFor(e) === 'connection');
      const active = (await this.db.outbox.where('state').anyOf(ACTIVE_STATES as OutboxState[]).toArray()) as OutboxEntry[];
      const blocks = this.status ? accountBlocks(this.status.get()) : null;
      const next = nextToSend(active, this.now(), (e) => heldBack(e, blocks))[0];
      if (!next) {
        this.schedule(active);
        break;
      }
      await this.sendOne(next);
    }
  }

  private schedule(active: readonly OutboxEntry[]): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Held back by the status: a status change kicks the drain, no timer needed.
    const blocks = this.status ? accountBlocks(this.status.get()) : null;
    const waits = active.filter((e) => e.state !== 'failed' && e.nextAttemptAt && !heldBack(e, blocks)).map((e) => e.nextAttemptAt as number);
    if (waits.length === 0) return;
    const delay = Math.max(50, Math.min(...waits) - this.now());
    this.timer = setTimeout(() => this.kick(), delay);
  }

  private async sendOne(entry: OutboxEntry): Promise<void> {
    const { db } = this;
    const claimed = await db.transaction('rw', db.outbox, async () => {
      const fresh = (await db.outbox.get(entry.clientId)) as OutboxEntry | undefined;
      if (!fresh || fresh.state === 'sent' || fresh.state === 'failed') return null;
      let request = fresh.request;
      if (fresh.after) {
        // The next part of a thread answers the part before it, once that one is posted.
        const prev = (await db.outbox.get(fresh.after)) as OutboxEntry | undefined;
        if (prev?.sent && isXPostChannel(fresh.request.channel)) request = { ...request, inReplyToId: prev.sent.platformId };
      }
      const attempts = fresh.attempts + 1;
      await db.outbox.update(fresh.clientId, { state: 'sending', attempts, request, updatedAt: this.now() });
      return { ...fresh, request, attempts };
    });
    if (!claimed) return;
    const result = await this.host
      .call('sendReply', { clientId: claimed.clientId, ...claimed.request })
      .catch((): CommandOutput<'sendReply'> => ({ ok: false, error: { kind: 'sendUnknown' } }));
    const lost = !result.ok && result.error.kind === 'offline' && this.host.connection !== 'open';
    const patch = afterAttempt(claimed, result, this.now(), lost);
    await db.transaction('rw', db.outbox, db.messages, async () => {
      await db.outbox.update(claimed.clientId, patch);
      // It shows in the thread at once; the poller's copy later is the same upsert.
      if (result.ok) await db.messages.put(result.value);
    });
  }
}
