import { randomUUID } from 'node:crypto';
import type { AppError, MessageBatch } from '../../shared/contract.js';
import type { Message, StreamKind, StreamStatus } from '../../shared/model.js';
import { readCostUsd, utcDay } from '../../shared/pricing.js';
import { classify, CREDITS_RETRY_MS, type Classified } from './errors.js';
import type { Deliver, PollResult } from './connectors/types.js';

export interface StreamSource {
  id: string;
  accountId: string;
  kind: StreamKind;
  /** Kind `x_search`: the saved search it polls. */
  searchId?: string;
  /**
   * How many streams spend the same rate budget (an account's saved searches all
   * use GET /2/tweets/search/recent): each takes its share of what is left.
   */
  budgetShare?: () => number;
  poll(cursor: string | undefined, deliver: Deliver): Promise<PollResult>;
  /** What one resource read costs (default: the kind's list price). */
  priceUsd?: () => number;
  /** A paid stream whose account spent its daily budget: when it may poll again. */
  pausedUntil?: () => number | undefined;
}

/** The quietest a stream is polled, per kind, before the rate budget is consulted. */
export const BASE_INTERVAL_MS: Record<StreamKind, number> = {
  x_mentions: 10_000,
  // GET /2/users/:id/tweets: 900 per 15 minutes; our own replies made elsewhere need not be instant.
  x_own: 30_000,
  // GET /2/dm_events allows 15 requests per 15 minutes per user (docs.x.com, rate limits).
  x_dms: 61_000,
  // Recent search: 300 per 15 minutes per user, and each hit costs five times a mention.
  x_search: 30_000,
  fb_comments: 15_000,
  // Visitor posts come far less often than comments.
  fb_visitor_posts: 30_000,
  fb_messages: 15_000,
};

const MAX_BACKOFF_MS = 5 * 60_000;
const BUDGET_RECHECK_MS = 60_000;
const OFFLINE_BACKOFF_CAP_MS = 30_000;

/**
 * Batches of one poll that may wait for their acknowledgement at once while the
 * poll reads its next pages (a backlog is fetched while the window stores the
 * pages before it; the window writes what waits in one go).
 */
export const BATCHES_AHEAD = 8;

export interface RunnerHooks {
  /** Hands a batch to the renderer(s); the promise settles when one acknowledges it. */
  deliver(batch: MessageBatch): Promise<void>;
  /** How many batches may be unacknowledged at once (default 1: each is stored before the next page is read). */
  ahead?(): number;
  loadCursor(streamId: string): string | undefined;
  saveCursor(streamId: string, cursor: string | undefined): Promise<void>;
  onOutcome(runner: StreamRunner, outcome: { ok: true } | { ok: false; classified: Classified }): void;
  /** The stream read billed resources worth `usd` on the UTC day of `at`. */
  onSpend?(runner: StreamRunner, usd: number, at: number): void;
  now(): number;
  intervalMs?: Partial<Record<StreamKind, number>>;
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, 1000 * 2 ** Math.min(attempt, 20));
  return Math.max(500, Math.floor(ceiling * (0.5 + random() / 2)));
}

/**
 * One polled stream. Each page is handed over as a batch; the next page is
 * fetched while at most `ahead()` batches wait for their acknowledgement, and
 * the cursor is persisted only after every batch of the poll was acknowledged
 * (stored), so a crash anywhere re-fetches rather than loses.
 */
export class StreamRunner {
  readonly status: StreamStatus;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private stopped = false;
  private failures = 0;
  private quietStreak = 0;
  private parked = false;
  private running: Promise<void> | null = null;

  constructor(
    readonly source: StreamSource,
    private readonly hooks: RunnerHooks,
  ) {
    this.status = { id: source.id, accountId: source.accountId, kind: source.kind, delivered: 0, itemsToday: 0, costTodayUsd: 0 };
    if (source.searchId) this.status.searchId = source.searchId;
    this.day = utcDay(hooks.now());
  }

  private day: string;
  /** Every resource read this UTC day, once: X bills a resource once a day however often it is read. */
  private readToday = new Set<string>();

  /** Counts what was delivered, and the resources read at `at` (a read on a day already over is billed to that day). */
  private count(delivered: number, ids: Iterable<string>, at = this.hooks.now()): void {
    this.status.delivered += delivered;
    const day = utcDay(at);
    if (day < this.day) return;
    if (day > this.day) {
      this.day = day;
      this.readToday = new Set();
    }
    for (const id of ids) this.readToday.add(id);
    const before = this.status.itemsToday;
    this.status.itemsToday = this.readToday.size;
    const price = this.source.priceUsd?.();
    this.status.costTodayUsd = price === undefined ? readCostUsd(this.source.kind, this.status.itemsToday) : Math.round(this.status.itemsToday * price * 10_000) / 10_000;
    const added = this.status.itemsToday - before;
    if (added > 0) this.hooks.onSpend?.(this, added * (price ?? readCostUsd(this.source.kind, 1)), at);
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    await this.running;
  }

  /** Poll now (network back, account reconnected). */
  poke(): void {
    this.parked = false;
    this.status.stopped = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wake?.();
  }

  /** Stop polling until poke(): the account needs a reconnect or the stream is capped. */
  park(reason: string): void {
    this.parked = true;
    this.status.stopped = reason;
    this.status.nextPollAt = undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve();
      };
      if (Number.isFinite(ms)) {
        this.timer = setTimeout(() => this.wake?.(), Math.max(0, ms));
      }
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (this.parked) {
        await this.sleep(Infinity);
        continue;
      }
      const delay = await this.pollOnce();
      if (this.stopped) break;
      if (delay === null) continue;
      this.status.nextPollAt = this.hooks.now() + delay;
      await this.sleep(delay);
    }
  }

  /** Returns the delay before the next poll, or null when parked. */
  private async pollOnce(): Promise<number | null> {
    const { source, hooks } = this;
    const base = hooks.intervalMs?.[source.kind] ?? BASE_INTERVAL_MS[source.kind];
    const paused = source.pausedUntil?.();
    if (paused !== undefined) {
      // The account's daily budget is spent: wait for the next UTC day, looking again each
      // minute (a raised budget pokes the stream at once).
      this.status.wait = { until: paused, reason: 'budget' };
      return Math.max(1000, Math.min(paused - hooks.now(), BUDGET_RECHECK_MS));
    }
    let delivered = 0;
    // Batches handed over and not yet acknowledged; the first that fails fails the poll.
    const waiting = new Set<Promise<void>>();
    const failed: unknown[] = [];
    const deliver = async (messages: Message[]) => {
      if (failed.length) throw failed[0];
      const batch: MessageBatch = { batchId: randomUUID(), streamId: source.id, messages };
      const acked: Promise<void> = hooks.deliver(batch).then(
        () => {
          waiting.delete(acked);
          this.count(messages.length, messages.map((m) => m.platformId));
          delivered += messages.length;
        },
        (e: unknown) => {
          waiting.delete(acked);
          failed.push(e);
        },
      );
      waiting.add(acked);
      while (waiting.size >= Math.max(1, hooks.ahead?.() ?? 1)) await Promise.race(waiting);
      if (failed.length) throw failed[0];
    };
    // Whether the poll ends well or not, it ends once no batch of it waits any more.
    const drain = async () => {
      while (waiting.size) await Promise.race(waiting);
    };
    try {
      const result = await source.poll(hooks.loadCursor(source.id), deliver).finally(drain);
      // Every batch of the poll acknowledged: only then may the cursor move.
      if (failed.length) throw failed[0];
      await hooks.saveCursor(source.id, result.cursor);
      // What the platform returned without it being new (a DM probe, a re-read) is billed too.
      for (const page of result.read ?? []) this.count(0, page.ids, page.at);
      this.failures = 0;
      this.status.wait = undefined;
      this.status.lastOkAt = hooks.now();
      this.status.lastError = undefined;
      this.status.rate = result.rate;
      this.status.gaps = result.gaps?.length ? result.gaps : undefined;
      this.status.lookbackDays = result.lookbackDays;
      // Items the connector could not read at all (no usable id, no author): counted where agents look.
      if (result.skipped > 0) {
        this.status.setAside = { count: (this.status.setAside?.count ?? 0) + result.skipped, lastReason: 'id:invalid', lastAt: hooks.now() };
      }
      hooks.onOutcome(this, { ok: true });
      this.quietStreak = delivered > 0 ? 0 : this.quietStreak + 1;
      const backlog = result.gaps?.some((g) => g.state === 'filling') ?? false;
      return nextDelay(base, result, hooks.now(), delivered > 0, this.quietStreak, source.budgetShare?.() ?? 1, backlog);
    } catch (e) {
      if (this.stopped) return null;
      const c = classify(e, hooks.now());
      this.status.lastError = c.error.kind === 'platform' ? `${c.error.kind}: ${c.error.detail}` : c.error.kind;
      hooks.onOutcome(this, { ok: false, classified: c });
      if (c.action === 'reconnect' || c.action === 'stop') {
        this.status.wait = undefined;
        this.park(c.action === 'reconnect' ? 'reconnectNeeded' : c.error.kind);
        return null;
      }
      this.failures++;
      if (c.action === 'waitUntil' && c.retryAt) {
        const now = hooks.now();
        const delay = c.error.kind === 'creditsDepleted' ? creditsRetryMs(source.kind, base) : Math.max(base, c.retryAt - now + 1000);
        this.status.wait = { until: now + delay, reason: waitReason(c.error) };
        return delay;
      }
      this.status.wait = undefined;
      return backoffMs(this.failures, c.error.kind === 'offline' ? OFFLINE_BACKOFF_CAP_MS : MAX_BACKOFF_MS);
    }
  }
}

/**
 * X credits used up: nothing says when the owner tops up, so the host tries again
 * on its own slow schedule, CREDITS_RETRY_MS at the default intervals. A host set
 * to poll faster than the defaults (`intervalMs`) tries as much sooner.
 */
export function creditsRetryMs(kind: StreamKind, baseMs: number): number {
  const pace = Math.min(1, baseMs / BASE_INTERVAL_MS[kind]);
  return Math.max(baseMs, Math.round(CREDITS_RETRY_MS * pace));
}

/** Why a stream waits, for the health view: X's rate limit, X credits, or a platform's throttle (Graph). */
export function waitReason(error: AppError): NonNullable<StreamStatus['wait']>['reason'] {
  if (error.kind === 'creditsDepleted') return 'creditsDepleted';
  return error.kind === 'rateLimited' && error.throttled ? 'throttled' : 'rateLimited';
}

/**
 * When to poll next. A busy stream (the last poll brought something) spends its
 * whole rate budget evenly over what is left of the window: never over the
 * limit, and close to all of it. A quiet stream backs off to up to four times
 * its base interval. Graph reports usage as a percentage instead: slow down well
 * before it reaches 100.
 *
 * A backlog (the poll stopped at its page budget with pages left to read, a
 * filling gap) is read on at once while the window holds more requests than
 * polling at the base interval needs for the rest of it; the page cap and the
 * spending budget still bound every poll, and below that reserve the even
 * spread applies again.
 */
export function nextDelay(baseMs: number, result: PollResult, now: number, busy: boolean, quietStreak: number, share = 1, backlog = false): number {
  const quiet = baseMs * 2 ** Math.min(quietStreak, 2);
  const r = result.rate;
  if (r) {
    const left = Math.max(0, r.resetAt - now);
    if (r.remaining <= 0) return Math.max(1000, left + 1000);
    if (backlog && r.remaining > Math.ceil(left / baseMs) * Math.max(1, share)) return 0;
    // Streams that share one budget each spread their share of it.
    const even = Math.ceil((left * Math.max(1, share)) / r.remaining);
    return busy ? Math.max(1000, even) : Math.max(quiet, even);
  }
  const pct = result.usagePct ?? 0;
  if (pct >= 90) return Math.max(quiet, 5 * 60_000);
  if (pct >= 75) return baseMs * 4;
  return busy ? Math.max(Math.min(5000, baseMs), Math.round(baseMs / 3)) : quiet;
}
