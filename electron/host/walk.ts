import type { Gap, Message } from '../../shared/model.js';
import { classify } from './errors.js';
import type { Deliver, PollResult, RateInfo } from './connectors/types.js';

/**
 * Reading a stream to the end of what is new, newest first, without ever
 * skipping silently.
 *
 * Every platform here lists newest first and pages backwards, so a poll walks
 * from the top down to the last message already stored (the stream's mark).
 * A walk is a queue of requests: each page answers with its messages and the
 * requests that follow it (the next page, a post's further comments, a
 * conversation's older messages). A poll has a page budget (the rate limit, or
 * a cap that keeps one poll short); when it runs out, or the platform rate
 * limits mid-way, what is left of the queue is kept as a gap, with the mark it
 * must reach, and later polls read it, oldest gap first, after the top. A page
 * whose list ends before the mark (a platform that only serves the newest N,
 * or the last 30 days) leaves an unreachable gap: shown, never hidden.
 *
 * The cursor is only saved after a poll, and only once every batch the poll
 * delivered was stored and acknowledged (the poller may read the next page
 * while earlier batches are being stored); a crash re-reads, it never skips.
 */

export interface WalkPage<R> {
  /** Everything the page held, mapped; messages at or below the floor are dropped here. */
  messages: Message[];
  /** Requests that follow from this page, given the floor (empty once the floor is reached). */
  more: R[];
  /** The list ended before reaching the floor: what lies between is out of the platform's reach. */
  endedEarly?: boolean;
  skipped: number;
  rate?: RateInfo;
  usagePct?: number;
  /** Page size asked for: the estimate of what a request still in the queue may hold. */
  perPage: number;
  /**
   * Threads on this page whose messages down to `keepFrom` are handed over, not
   * only those above the floor: a thread that moved to the top of its list.
   */
  rescue?: ReadonlySet<string>;
}

export interface WalkSpec<R, M> {
  /** The first request of a walk from the top. */
  head(mark: M | null): R;
  /**
   * One page. `floor` decides how deep the walk goes; `keepFrom` (never above
   * `floor`) which messages are handed over: on the top walk it is the lowest
   * floor of the open gaps, so a thread that moved to the top of a list (a
   * Messenger conversation with a new message) brings its older unread
   * messages with it instead of leaving them behind a page position that no
   * longer holds them.
   */
  fetch(req: R, floor: M | null, keepFrom: M | null): Promise<WalkPage<R>>;
  isNew(m: Message, floor: M | null): boolean;
  /** The lower of two marks (null: nothing stored). */
  lower(a: M | null, b: M | null): M | null;
  advance(mark: M | null, delivered: Message[]): M | null;
  /** The time of a mark (epoch ms), for showing a gap; null when unknown. */
  timeOf(mark: M | null): number | null;
  /** Requests a poll may make at most: the rate budget left, or a cap. */
  pageBudget(): number;
  /** Reading an old cursor written before walks existed. */
  legacyMark?(cursor: string): M | null;
  /** A first poll reads one page only: history before the console is not a gap. */
  firstPollPages?: number;
}

interface StoredGap<R, M> {
  floor: M | null;
  queue: R[];
  from?: number;
  to: number;
  perPage: number;
  state: Gap['state'];
  reason: Gap['reason'];
}

interface WalkCursor<R, M> {
  v: 2;
  mark: M | null;
  gaps: StoredGap<R, M>[];
  /** A poll with a budget of one page while gaps wait: the last poll read the top, so this one reads a gap. */
  gapTurn?: boolean;
}

/** Unreachable gaps shown per stream at most (the newest). */
const MAX_UNREACHABLE = 20;
/** An unreachable gap is shown for a week, then dropped from the status. */
const UNREACHABLE_KEEP_MS = 7 * 24 * 3600_000;

export function parseWalkCursor<R, M>(cursor: string | undefined, spec: Pick<WalkSpec<R, M>, 'legacyMark'>): WalkCursor<R, M> {
  if (!cursor) return { v: 2, mark: null, gaps: [] };
  try {
    const c = JSON.parse(cursor) as Partial<WalkCursor<R, M>>;
    if (c && typeof c === 'object' && c.v === 2 && Array.isArray(c.gaps)) return { v: 2, mark: c.mark ?? null, gaps: c.gaps, ...(c.gapTurn === true ? { gapTurn: true } : {}) };
  } catch {
    // not JSON: an older plain cursor
  }
  return { v: 2, mark: spec.legacyMark ? spec.legacyMark(cursor) : null, gaps: [] };
}

/** The gaps of a cursor as the health view shows them. */
export function publicGaps(gaps: readonly StoredGap<unknown, unknown>[]): Gap[] {
  return gaps.map((g) => ({
    ...(g.from !== undefined ? { from: g.from } : {}),
    to: g.to,
    ...(g.state === 'filling' ? { estimate: g.queue.length * g.perPage } : {}),
    state: g.state,
    reason: g.reason,
  }));
}

interface RunResult<R> {
  queue: R[];
  oldest: number | null;
  stoppedBy: 'done' | 'budget' | 'rateLimit' | 'window' | 'cursor';
  delivered: Message[];
  perPage: number;
  /** A stored page position was refused on the way: what lay behind it cannot be read. */
  cursorLost: boolean;
}

export async function walkStream<R, M>(spec: WalkSpec<R, M>, cursor: string | undefined, deliver: Deliver, now: () => number): Promise<PollResult> {
  const state = parseWalkCursor<R, M>(cursor, spec);
  const first = state.mark === null && !cursor;
  // Requests this poll may still make.
  let left = first ? Math.min(spec.firstPollPages ?? 1, spec.pageBudget()) : spec.pageBudget();
  let skipped = 0;
  let rate: RateInfo | undefined;
  let usagePct: number | undefined;
  let rateLimitedUntil: number | undefined;

  // While gaps wait, the top gets at most half the budget: a storm that fills every poll's top
  // must not starve the gaps (they would grow without end and never fill).
  const waiting = state.gaps.some((g) => g.state === 'filling');
  let topLeft = waiting ? Math.max(1, Math.ceil(left / 2)) : Infinity;
  // A budget of one page (a page cap of 1, a nearly spent rate window) cannot be halved:
  // the top and the gaps take turns, poll by poll.
  const gapsOnly = waiting && left === 1 && state.gapTurn === true;
  const nextGapTurn = waiting && left === 1 && !gapsOnly;

  const run = async (queue: R[], floor: M | null, keepFrom: M | null, mayThrow: boolean, isTop = false): Promise<RunResult<R>> => {
    const q = [...queue];
    const delivered: Message[] = [];
    let oldest: number | null = null;
    let endedEarly = false;
    let cursorLost = false;
    let perPage = 0;
    const done = (stoppedBy: RunResult<R>['stoppedBy']): RunResult<R> => ({ queue: q, oldest, stoppedBy, delivered, perPage, cursorLost });
    while (q.length) {
      if (left <= 0 || (isTop && topLeft <= 0)) return done('budget');
      left--;
      if (isTop) topLeft--;
      const req = q[0] as R;
      let page: WalkPage<R>;
      try {
        page = await spec.fetch(req, floor, keepFrom);
      } catch (e) {
        const c = classify(e, now());
        // Nothing read yet on the top walk: the poller's own handling (waits, reconnects) applies.
        if (mayThrow && delivered.length === 0 && q.length === queue.length) throw e;
        if (c.error.kind === 'rateLimited') {
          rateLimitedUntil = c.retryAt ?? now() + 60_000;
          return done('rateLimit');
        }
        // A stored page position the platform no longer accepts: that part cannot be read.
        if (c.action === 'stop' && c.error.kind === 'platform' && (c.error.status === 400 || c.error.status === 404)) {
          q.shift();
          cursorLost = true;
          continue;
        }
        throw e;
      }
      q.shift();
      perPage = Math.max(perPage, page.perPage);
      skipped += page.skipped;
      if (page.rate) rate = page.rate;
      if (page.usagePct !== undefined) usagePct = Math.max(usagePct ?? 0, page.usagePct);
      const fresh = page.messages.filter((m) => spec.isNew(m, floor) || (page.rescue?.has(m.conversationId) === true && spec.isNew(m, keepFrom))).sort((a, b) => a.createdAt - b.createdAt || a.platformId.localeCompare(b.platformId));
      if (fresh.length) {
        await deliver(fresh);
        delivered.push(...fresh);
      }
      for (const m of page.messages) oldest = oldest === null ? m.createdAt : Math.min(oldest, m.createdAt);
      if (page.endedEarly) endedEarly = true;
      q.push(...page.more);
      // The rate budget as the platform reports it is the real one.
      if (page.rate && page.rate.remaining <= 0 && q.length) {
        rateLimitedUntil = page.rate.resetAt;
        return done('rateLimit');
      }
    }
    return done(endedEarly ? 'window' : cursorLost ? 'cursor' : 'done');
  };

  // 1. The top: everything newer than the mark.
  const floor = state.mark;
  let keepFrom = floor;
  for (const g of state.gaps) if (g.state === 'filling') keepFrom = spec.lower(keepFrom, g.floor);
  const top: RunResult<R> = gapsOnly
    ? { queue: [], oldest: null, stoppedBy: 'done', delivered: [], perPage: 0, cursorLost: false }
    : await run([spec.head(floor)], floor, keepFrom, true, true);
  let mark = spec.advance(floor, top.delivered);
  const gaps = [...state.gaps];
  const newestBefore = spec.timeOf(floor) ?? undefined;
  const topTo = top.oldest ?? spec.timeOf(mark) ?? now();
  if (!first && (top.stoppedBy === 'budget' || top.stoppedBy === 'rateLimit') && top.queue.length) {
    gaps.push({ floor, queue: top.queue, ...(newestBefore !== undefined ? { from: newestBefore } : {}), to: topTo, perPage: top.perPage || 100, state: 'filling', reason: top.stoppedBy === 'rateLimit' ? 'rateLimit' : 'budget' });
  } else if (!first && (top.stoppedBy === 'window' || top.stoppedBy === 'cursor') && floor !== null) {
    gaps.push({ floor, queue: [], ...(newestBefore !== undefined ? { from: newestBefore } : {}), to: topTo, perPage: 0, state: 'unreachable', reason: top.stoppedBy });
  }
  if (top.cursorLost && top.stoppedBy !== 'cursor' && floor !== null) {
    gaps.push({ floor, queue: [], ...(newestBefore !== undefined ? { from: newestBefore } : {}), to: topTo, perPage: 0, state: 'unreachable', reason: 'cursor' });
  }
  if (mark === null && floor !== null) mark = floor;

  // 2. Gaps, oldest first, with what the budget has left.
  gaps.sort((a, b) => a.to - b.to);
  const filled = new Set<StoredGap<R, M>>();
  const lost: StoredGap<R, M>[] = [];
  for (const g of gaps) {
    if (g.state !== 'filling') continue;
    if (left <= 0 || rateLimitedUntil !== undefined) break;
    const r = await run(g.queue, g.floor, g.floor, false);
    if (r.cursorLost && r.stoppedBy !== 'cursor' && r.stoppedBy !== 'window') {
      lost.push({ floor: g.floor, queue: [], ...(g.from !== undefined ? { from: g.from } : {}), to: g.to, perPage: 0, state: 'unreachable', reason: 'cursor' });
    }
    g.queue = r.queue;
    if (r.oldest !== null) g.to = Math.min(g.to, r.oldest);
    if (r.stoppedBy === 'rateLimit') g.reason = 'rateLimit';
    else if (r.stoppedBy === 'window' || r.stoppedBy === 'cursor') {
      g.state = 'unreachable';
      g.reason = r.stoppedBy;
      g.queue = [];
    } else if (r.stoppedBy === 'done') filled.add(g);
  }
  gaps.push(...lost);
  // A gap whose queue was read to its floor is filled. A filling gap is never dropped (it holds
  // what is still to be read); of the unreachable ones the newest are shown, for a week.
  const open = gaps.filter((g) => !filled.has(g));
  const unreachable = open.filter((g) => g.state === 'unreachable' && now() - g.to < UNREACHABLE_KEEP_MS).sort((a, b) => b.to - a.to).slice(0, MAX_UNREACHABLE);
  const kept = [...open.filter((g) => g.state === 'filling'), ...unreachable].sort((a, b) => b.to - a.to);
  const next: WalkCursor<R, M> = { v: 2, mark, gaps: kept, ...(nextGapTurn && kept.some((g) => g.state === 'filling') ? { gapTurn: true } : {}) };
  if (rateLimitedUntil !== undefined) {
    rate = { limit: rate?.limit ?? 0, remaining: 0, resetAt: Math.max(rateLimitedUntil, now() + 1000) };
  }
  return { cursor: JSON.stringify(next), rate, usagePct, skipped, gaps: publicGaps(kept) };
}
