import { useEffect, useMemo, useRef, useState } from 'react';
import { answerThreadKey } from '../../../shared/conversation.js';
import type { ColumnFilter, FilterContext } from '../../../shared/filter.js';
import type { Channel } from '../../../shared/model.js';
import { responseClock, type Measure, type WorkflowState } from '../../../shared/workflowState.js';
import type { WebcareDb } from '../db/db';
import { onStored } from '../db/stored';
import { joinPaused, readColumnStats, readsFromMarks, statsOfShown, type ColumnData, type ColumnStats, type OldestProgress, type PausedWaiting } from './columnQuery';

/** A column's figures are read again at most this often while its messages keep changing... */
export const STATS_REFRESH_MS = 2_000;
/** ...and a slow read (a long search back for the oldest waiting) waits this many times its cost. */
const STATS_COST_FACTOR = 20;
/**
 * How long "nothing older waits" is trusted, and how often a quiet column looks
 * again: a message reopened by hand far back, or one older than any the column
 * held (a late DM), shows after at most this long.
 */
export const STATS_RECHECK_MS = 120_000;
/** Not in the way of the board's first frames. */
const STATS_FIRST_DELAY_MS = 300;

/**
 * The clock the header shows: the longest running of the column's waiting conversations, in
 * the time that counts against the target (a specialist's wait does not count). The oldest
 * waiting conversation no specialist was asked about runs longest of those; each one a
 * specialist was asked about is counted on its own. `since`: when the shown clock started.
 */
export function headerClock(stats: ColumnStats | null, state: WorkflowState, now: number, measure?: Measure): { ms: number; since: number } | null {
  let best: { ms: number; since: number } | null = null;
  const consider = (conversation: string | null, since: number) => {
    const ms = conversation !== null ? responseClock(state, conversation, since, now, measure).counted : measure ? measure(since, now) : Math.max(0, now - since);
    if (best === null || ms > best.ms) best = { ms, since };
  };
  if (stats?.oldest != null) consider(stats.oldestConversation, stats.oldest);
  for (const p of stats?.paused ?? []) consider(p.conversation, p.since);
  return best;
}

/**
 * The header's unread count and oldest waiting message over all that the
 * column matches (see readColumnStats). `asked`: the conversations a specialist
 * was asked about (askedConversations), whose clocks are counted apart. Unread comes from the rows shown, at
 * once; so does the oldest waiting of a column whose rows are all read. A
 * longer column looks further back in the store for the oldest waiting, at
 * most every STATS_REFRESH_MS while its rows change (a burst re-reads them
 * every 250 ms: the read is not put off by each), continuing a search that
 * stopped at its budget, and every STATS_RECHECK_MS when all is quiet; and
 * soon when a stored batch holds a message of the thread of a waiting message
 * found before the rows shown (a reply there moves the clock on).
 */
export function useColumnStats(db: WebcareDb, filter: ColumnFilter, ctx: FilterContext, data: ColumnData | undefined, seenAt: number, asked = ''): ColumnStats | null {
  const filterId = JSON.stringify(filter);
  const me = ctx.me;
  const key = `${filterId}\u0000${me ?? ''}\u0000${seenAt}\u0000${asked}`;
  const paused = useMemo(() => new Set(asked ? asked.split('\n') : []), [asked]);
  const local = useMemo(() => (data ? statsOfShown(data, seenAt, paused) : null), [data, seenAt, paused]);
  const [read, setRead] = useState<{ key: string; stats: ColumnStats; beyond: boolean; pausedBeyond?: PausedWaiting[] } | null>(null);
  // The rows shown when a read starts: the latest, not those of the change that asked for it.
  const current = useRef(data);
  useEffect(() => {
    current.current = data;
  });
  // Asks the running scheduler for a read soon (a change in the store read the rows afresh).
  const poke = useRef<(() => void) | null>(null);
  const more = data?.more ?? false;
  // The threads of the waiting messages found before the rows shown: the oldest, and those a specialist was asked about.
  const beyond = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const conversations = read?.key === key ? [...(read.beyond ? [read.stats.oldestConversation] : []), ...(read.pausedBeyond ?? []).map((p) => p.conversation)] : [];
    beyond.current = new Set(
      conversations.flatMap((conversation) => {
        const cut = conversation?.indexOf(':') ?? -1;
        return conversation && cut > 0 ? [answerThreadKey({ channel: conversation.slice(0, cut) as Channel, conversationId: conversation.slice(cut + 1) })] : [];
      }),
    );
  });
  useEffect(
    () =>
      onStored(db, (change) => {
        const threads = beyond.current;
        if (change.kind === 'stored' && threads.size > 0 && change.messages.some((m) => threads.has(answerThreadKey(m)))) poke.current?.();
      }),
    [db],
  );

  useEffect(() => {
    if (!more) return;
    const parsed = JSON.parse(filterId) as ColumnFilter;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let due = Infinity;
    let running = false;
    let again = false;
    let last = 0;
    let cost = 0;
    let progress: { since: number; value: OldestProgress } | undefined;

    const schedule = (at: number) => {
      if (!alive || (timer !== undefined && due <= at)) return;
      if (timer !== undefined) clearTimeout(timer);
      due = at;
      timer = setTimeout(run, Math.max(0, at - Date.now()));
    };
    const soon = () => schedule(Math.max(Date.now() + STATS_FIRST_DELAY_MS, last + Math.max(STATS_REFRESH_MS, cost * STATS_COST_FACTOR)));

    function run() {
      timer = undefined;
      due = Infinity;
      if (running) {
        again = true;
        return;
      }
      const shown = current.current;
      if (!shown?.more) return;
      running = true;
      const started = (last = Date.now());
      if (progress && started - progress.since >= STATS_RECHECK_MS) progress = undefined;
      let complete = true;
      readColumnStats(db, parsed, { me }, shown, seenAt, progress?.value, undefined, paused)
        .then(
          (answer) => {
            cost = Date.now() - started;
            progress = { since: progress?.since ?? started, value: answer.progress };
            complete = answer.complete;
            if (alive) setRead({ key, stats: answer.stats, beyond: answer.beyond, ...(answer.pausedBeyond ? { pausedBeyond: answer.pausedBeyond } : {}) });
          },
          // The rows shown still give figures; the next change or recheck tries again.
          (e: unknown) => console.warn('column figures not read', e),
        )
        .finally(() => {
          running = false;
          if (again || !complete) {
            again = false;
            soon();
          } else schedule(Date.now() + STATS_RECHECK_MS);
        });
    }

    poke.current = soon;
    soon();
    return () => {
      alive = false;
      if (timer !== undefined) clearTimeout(timer);
      if (poke.current === soon) poke.current = null;
    };
  }, [db, key, filterId, me, seenAt, more, paused]);

  // Fresh rows (a change in the store, not reading further down, which keeps the first row).
  const first = data?.items[0];
  useEffect(() => {
    poke.current?.();
  }, [first]);

  if (!more || local === null || read === null || read.key !== key) return local;
  // A colleague's or a department's column was counted whole.
  if (readsFromMarks(filter)) return read.stats;
  // Unread always from the rows shown; the oldest from the store only when it lies beyond them,
  // and the asked-about conversations waiting there besides those shown.
  const stats: ColumnStats = read.beyond ? { ...local, oldest: read.stats.oldest, oldestConversation: read.stats.oldestConversation } : { ...local };
  const pausedAll = joinPaused(local.paused, new Map((read.pausedBeyond ?? []).map((p) => [p.conversation, p.since])));
  if (pausedAll) stats.paused = pausedAll;
  return stats;
}
