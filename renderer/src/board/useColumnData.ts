import { useEffect, useRef, useState } from 'react';
import { answerThreadKey, isPrivateChannel } from '../../../shared/conversation.js';
import { ColumnFilterSchema, compileFilter, type ColumnFilter, type FilterContext, type Matcher, type MessageMark } from '../../../shared/filter.js';
import type { Message } from '../../../shared/model.js';
import type { WebcareDb } from '../db/db';
import { onStored, type StoredChange } from '../db/stored';
import { DEFAULT_READ, readColumn, readsFromMarks, type ColumnData } from './columnQuery';

/** The first read of a column fills one screen (about 8 cards and the overscan); the full read follows at once. */
const FIRST_SCREEN = 20;

/** During a burst of arrivals a column reads the store at most this often... */
export const COLUMN_REFRESH_MS = 250;
/** ...and the board spends at most about a fifth of the time reading: slow reads (a rare filter, many columns) wait longer. */
const READ_SHARE = 5;

/**
 * The last refresh cost of every open column. The share is the board's, not each column's: four
 * columns each reading a fifth of the time would leave the ingest little of the UI thread and the store.
 */
const refreshCosts = new Map<object, number>();
const boardCost = () => {
  let sum = 0;
  for (const c of refreshCosts.values()) sum += c;
  return sum;
};

/** What a column keeps between its watches (a new limit starts a new one): what is shown, and whether it may be stale. */
export interface ColumnMemory {
  /** Something was shown: reading further down keeps it, only a first read goes screen first. */
  shown: boolean;
  /** What is shown and which filter it was read for: reading further down continues after its last row. */
  current: { id: string; data: ColumnData } | null;
  /** The store changed in a way that concerns the column since the last full read began: no continuing what is shown. */
  changed: boolean;
}

export const newColumnMemory = (): ColumnMemory => ({ shown: false, current: null, changed: false });

/** What a column shows and how it matches, for telling whether a stored batch concerns it. */
export interface ColumnView {
  filter: ColumnFilter;
  /** The column's filter. */
  match: Matcher;
  /** The filter without its parts about marks: for a message whose mark the batch does not carry (its stored one may be any). */
  byMessage: Matcher;
  /** Only the filter's parts about marks. */
  byMark: (mark: MessageMark) => boolean;
  /** Keys of the messages shown, and the threads (answerThreadKey) of the cards shown. */
  keys: ReadonlySet<string>;
  threads: ReadonlySet<string>;
  /** Channels of the private conversations shown as cards: any mark there may change a card's count. */
  conversations: ReadonlySet<string>;
}

export function columnView(filter: ColumnFilter, ctx: FilterContext, shown: ColumnData | undefined): ColumnView {
  // How a message sounds is the message's and its mark's (an agent's override): a column asking it
  // weighs any mark, and any message, as a possible change.
  const bySentiment = filter.sentiments.length > 0;
  const byMessage = compileFilter({ ...filter, statuses: [], tags: [], assignee: undefined, sentiments: [] }, ctx);
  const markOnly = compileFilter(ColumnFilterSchema.parse({ statuses: filter.statuses, tags: filter.tags, assignee: filter.assignee }), ctx);
  const keys = new Set<string>();
  const threads = new Set<string>();
  const conversations = new Set<string>();
  for (const { message } of shown?.items ?? []) {
    keys.add(message.key);
    threads.add(answerThreadKey(message));
    if (isPrivateChannel(message.channel)) conversations.add(message.channel);
  }
  return { filter, match: compileFilter(filter, ctx), byMessage, byMark: (mark) => bySentiment || markOnly({} as Message, mark), keys, threads, conversations };
}

/** The channel a message key names (`${channel}:${platformId}`). */
const channelOfKey = (key: string) => key.slice(0, key.indexOf(':'));

/**
 * Whether a change in the store may change what a column shows: a message it
 * matches, one in the thread of a card shown (a reply of ours changes the card's
 * state, whatever the reply itself matches), or a mark of a message shown, of a
 * private conversation of a channel shown, or one the filter would now take. A
 * change nobody described always does.
 */
export function concernsColumn(view: ColumnView, change: StoredChange): boolean {
  if (change.kind === 'unknown') return true;
  const marks = new Map((change.marks ?? []).map((m) => [m.key, m]));
  const channels = view.filter.channels;
  for (const m of change.messages) {
    if (view.keys.has(m.key) || view.threads.has(answerThreadKey(m))) return true;
    if (channels.length > 0 && !channels.includes(m.channel)) continue;
    const mark = marks.get(m.key);
    if (mark ? view.match(m, mark) : view.byMessage(m, undefined)) return true;
  }
  for (const mark of marks.values()) {
    if (view.keys.has(mark.key)) return true;
    const channel = channelOfKey(mark.key);
    if (view.conversations.has(channel)) return true;
    if ((channels.length === 0 || (channels as readonly string[]).includes(channel)) && view.byMark(mark)) return true;
  }
  return false;
}

export type ColumnResult = { data: ColumnData } | { error: unknown };

/**
 * A column's matching messages with their marks, kept current like a live
 * query but throttled. A plain live query re-reads after every stored batch,
 * and each read transaction holds up the next write: during a backlog after a
 * reconnect that halves the ingest. Here a change re-reads only when it
 * concerns the column (concernsColumn; a change told while a read is under way
 * is weighed against that read's result); a quiet change shows at once and a
 * burst at most every 250 ms (longer when a read is slow). Returns the stop.
 */
export function watchColumn(db: WebcareDb, filter: ColumnFilter, ctx: FilterContext, limit: number, memory: ColumnMemory, report: (r: ColumnResult) => void): () => void {
  let alive = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let last = 0;
  let cost = 0;
  const token = {};
  let firstScreen = !memory.shown && limit > FIRST_SCREEN;
  const { me } = ctx;
  const id = `${JSON.stringify(filter)}\u0000${me ?? ''}`;
  // A larger limit for the same column (the agent scrolled near the end): read only what comes
  // after the last row shown, not everything again. A change in the store reads it all afresh.
  const shownBefore = memory.current;
  let extend = shownBefore !== null && shownBefore.id === id && shownBefore.data.more && shownBefore.data.items.length < limit && !readsFromMarks(filter);
  // What is shown, as changes are weighed against it (made again when it changes).
  let view: { data: ColumnData | undefined; view: ColumnView } | null = null;
  const viewOf = (data: ColumnData | undefined): ColumnView => {
    if (view === null || view.data !== data) view = { data, view: columnView(filter, ctx, data) };
    return view.view;
  };
  // Changes told while a read runs: that read may show a card they concern (reading further down).
  let during: StoredChange[] = [];

  const run = async () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = true;
    last = Date.now();
    try {
      const n = firstScreen ? FIRST_SCREEN : limit;
      const base = extend ? shownBefore?.data : undefined;
      const lastShown = base?.items[base.items.length - 1]?.message;
      extend = false;
      let data: ColumnData;
      if (base !== undefined && lastShown !== undefined && !memory.changed) {
        const rest = n - base.items.length;
        // A private conversation already shown as a card is not shown again by an older message of it.
        const shownConversations = new Set(base.items.filter((i) => i.conversation !== undefined).map((i) => answerThreadKey(i.message)));
        const next = await readColumn(db, filter, { me }, { limit: rest, maxScan: Math.max(DEFAULT_READ.maxScan, rest * 4), after: lastShown, shownConversations });
        data = { items: base.items.concat(next.items), more: next.more };
      } else {
        memory.changed = false;
        data = await readColumn(db, filter, { me }, { limit: n, maxScan: Math.max(DEFAULT_READ.maxScan, n * 4) });
      }
      cost = Date.now() - last;
      if (alive) refreshCosts.set(token, cost);
      if (alive) {
        memory.shown = true;
        memory.current = { id, data };
        report({ data });
      }
      if (firstScreen) {
        firstScreen = false;
        again = true;
        cost = 0;
        refreshCosts.set(token, 0);
      }
    } catch (error) {
      if (alive) report({ error });
    } finally {
      running = false;
      const told = during;
      during = [];
      const now = viewOf(memory.current?.id === id ? memory.current.data : undefined);
      if (told.some((c) => concernsColumn(now, c))) {
        memory.changed = true;
        again = true;
      }
      if (again && alive) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = () => {
    if (timer !== undefined) return;
    const gap = Math.max(COLUMN_REFRESH_MS, Math.max(cost, boardCost()) * READ_SHARE);
    timer = setTimeout(() => void run(), Math.max(0, last + gap - Date.now()));
  };

  const unsubscribe = onStored(db, (change) => {
    if (!alive) return;
    if (running) during.push(change);
    const shown = memory.current?.id === id ? memory.current.data : undefined;
    // Nothing of this column shown yet: any change may concern the read under way.
    if (shown === undefined || concernsColumn(viewOf(shown), change)) {
      memory.changed = true;
      schedule();
    }
  });
  void run();
  return () => {
    alive = false;
    refreshCosts.delete(token);
    if (timer !== undefined) clearTimeout(timer);
    unsubscribe();
  };
}

type State = { status: 'loading' } | { status: 'ready'; data: ColumnData } | { status: 'failed'; error: unknown };

/** A column's data (watchColumn) for a component; a failed read is thrown to the column's error boundary. */
export function useColumnData(db: WebcareDb, filter: ColumnFilter, ctx: FilterContext, limit: number): ColumnData | undefined {
  const [state, setState] = useState<State>({ status: 'loading' });
  // The filter object is new on every render of the layout; its content decides.
  const filterId = JSON.stringify(filter);
  const me = ctx.me;
  const memory = useRef<ColumnMemory>(newColumnMemory());

  useEffect(
    () => watchColumn(db, JSON.parse(filterId) as ColumnFilter, { me }, limit, memory.current, (r) => setState('data' in r ? { status: 'ready', data: r.data } : { status: 'failed', error: r.error })),
    [db, filterId, me, limit],
  );

  if (state.status === 'failed') throw state.error;
  return state.status === 'ready' ? state.data : undefined;
}
