import { compileFilter, type ColumnFilter, type Matcher } from '../../../shared/filter.js';
import type { Message } from '../../../shared/model.js';
import { episodesOfFacts, factsOf, foldFacts, hash53, tableFigures, type FactEpisode } from '../../../shared/reportFacts.js';
import {
  cannedUsage,
  fillPeriods,
  groupRows,
  periodsBetween,
  topTerms,
  totalRow,
  type CannedUsageRow,
  type Grouping,
  type ReportMark,
  type ReportRow,
  type SentimentRow,
} from '../../../shared/reports.js';
import { countedMs, type BusinessHours, type Targets } from '../../../shared/sla.js';
import { reduceWorkflow, specialistWaitBetween } from '../../../shared/workflowState.js';
import type { WebcareDb } from '../db/db';
import { compactFacts } from '../db/facts';

/**
 * The reports screen's work, over the local store: read once per date range,
 * then grouped again at will from what is kept (a grouping switch reads
 * nothing). It runs in a worker (reports.worker.ts) so months of messages never
 * hold up the board; the figures themselves are shared/reports.ts.
 *
 * The figures come from the facts kept beside the messages (db/facts.ts): a
 * few hundred compact records instead of a record per message. Two things
 * need the messages themselves and follow the figures: the words most
 * messages share (the newest TERMS_SAMPLE of the range), and grouping by
 * column (a column's filter may ask for words or an author).
 */

/** A conversation that began this long before the range is still read, so it is not cut in two. */
export const LOOKBACK_MS = 3 * 86_400_000;
/** Top words and phrases come from the newest this many customers' messages of the range. */
export const TERMS_SAMPLE = 20_000;
/** Set once the facts of every message stored before they were kept have been added. */
export const FACTS_FILLED_KEY = 'reportFactsFilled';
/** Messages read at a time for the words (between pages a newer question goes first). */
const TERMS_PAGE = 2_000;
/** Past this many days the chart shows weeks. */
export const CHART_DAYS = 62;
/** Messages read at a time while adding those facts. */
const FILL_PAGE = 5_000;

export interface ReportColumn {
  id: string;
  filter: ColumnFilter;
}

export interface ReportRequest {
  from: number;
  to: number;
  now: number;
  hours: BusinessHours;
  targets: Targets;
  /** The board's columns, for grouping by column: a conversation counts in each column its first message belongs to, whatever its status now. */
  columns: readonly ReportColumn[];
  me: string | null;
}

export interface ReportSummary {
  total: ReportRow;
  /** The chart's rows when the table is not by a period: by day, or by week past CHART_DAYS days. */
  chart: { period: 'day' | 'week'; rows: ReportRow[] };
  heatmap: number[][];
  sentiment: Record<'day' | 'week' | 'month', SentimentRow[]>;
  canned: (CannedUsageRow & { shortcut: string })[];
  /** Messages the figures were made of (the range and the days before it). */
  read: number;
  timeZone: string;
  /** Where the time went (ms): reading the store, folding the facts, finding the conversations, the other figures. */
  steps: { read: number; fold: number; episodes: number; figures: number };
}

export interface ReportTerms {
  words: { word: string; count: number }[];
  phrases: { phrase: string; count: number }[];
  /** Messages they were read from. */
  sample: number;
}

/**
 * Adds the facts of messages stored before the facts were kept (once per
 * store; the first report after an upgrade waits for it). A message also
 * written since has a later chunk, which wins.
 */
export async function fillFacts(db: WebcareDb): Promise<number> {
  if ((await db.settings.get(FACTS_FILLED_KEY))?.value === true) return 0;
  let after: string | null = null;
  let count = 0;
  for (;;) {
    const from = after;
    // Read and written in one transaction: no write of these messages comes between (a later one has a later chunk).
    const page: Message[] = await db.transaction('rw', db.messages, db.reportFacts, async () => {
      const read = await (from === null ? db.messages.orderBy(':id') : db.messages.where(':id').above(from)).limit(FILL_PAGE).toArray();
      if (read.length > 0) await db.reportFacts.add(factsOf(read));
      return read;
    });
    if (page.length === 0) break;
    count += page.length;
    after = (page[page.length - 1] as Message).key;
  }
  await db.settings.put({ key: FACTS_FILLED_KEY, value: true });
  return count;
}

export class ReportSession {
  private episodes: FactEpisode[] = [];
  private req: ReportRequest | null = null;
  private markByHash = new Map<number, ReportMark>();
  private columnsOf: ((ep: FactEpisode) => readonly string[]) | undefined;
  private timeZone = 'UTC';
  private cache = new Map<Grouping, ReportRow[]>();

  constructor(private readonly db: WebcareDb) {}

  /** Merges small chunks of facts (compactFacts), giving way when `stop` says so. */
  compact(stop: () => boolean): Promise<number> {
    return compactFacts(this.db, stop);
  }

  async load(req: ReportRequest): Promise<ReportSummary> {
    let t0 = performance.now();
    const step = () => {
      const t = performance.now();
      const ms = t - t0;
      t0 = t;
      return Math.round(ms);
    };
    await fillFacts(this.db);
    const db = this.db;
    const since = req.from - LOOKBACK_MS;
    const [chunks, marks, workflow, uses, library] = await db.transaction('r', [db.reportFacts, db.marks, db.workflow, db.cannedUses, db.canned], () =>
      Promise.all([
        db.reportFacts.where('to').aboveOrEqual(since).toArray(),
        db.marks.toArray(),
        db.workflow.toArray(),
        db.cannedUses.where('at').between(req.from, req.to, true, false).toArray(),
        db.canned.toArray(),
      ]),
    );
    const read = step();
    const table = foldFacts(chunks, since);
    const fold = step();
    const markByHash = new Map<number, ReportMark>(marks.map((m) => [hash53(m.key), m]));
    const state = workflow.length > 0 ? reduceWorkflow(workflow.sort((a, b) => a.seq - b.seq)) : undefined;
    // The facts know a conversation by a hash of its key; the workflow by the key.
    const convKeys = new Map<string, string>();
    if (state) for (const a of state.asks.values()) convKeys.set(String(hash53(a.conversationKey)), a.conversationKey);
    const specialist = state
      ? (key: string, from: number, to: number) => {
          const real = convKeys.get(key);
          return real ? specialistWaitBetween(state, real, from, to, (a, b) => countedMs(a, b, req.hours)) : 0;
        }
      : undefined;
    this.episodes = episodesOfFacts(table, (h) => markByHash.get(h), req.from, req.to, { hours: req.hours, targets: req.targets, now: req.now, specialist });
    const episodes = step();
    this.req = req;
    this.markByHash = markByHash;
    this.columnsOf = undefined;
    this.timeZone = req.hours.timeZone;
    this.cache.clear();

    const tz = req.hours.timeZone;
    const figures = tableFigures(table, (h) => markByHash.get(h), req.from, req.to, tz);
    const shortcuts = new Map(library.map((r) => [r.id, r.shortcut]));
    const chartPeriod = req.to - req.from > CHART_DAYS * 86_400_000 ? 'week' : 'day';
    const fillSentiment = (p: 'day' | 'week' | 'month') => {
      const by = new Map(figures.sentiment[p].map((r) => [r.period, r]));
      return periodsBetween(req.from, req.to, p, tz).map((period) => by.get(period) ?? { period, positive: 0, neutral: 0, negative: 0, unknown: 0 });
    };
    const summary: Omit<ReportSummary, 'steps'> = {
      total: totalRow(this.episodes),
      chart: { period: chartPeriod, rows: this.rows(chartPeriod) },
      heatmap: figures.heatmap,
      sentiment: { day: fillSentiment('day'), week: fillSentiment('week'), month: fillSentiment('month') },
      canned: cannedUsage(uses, req.from, req.to).map((r) => ({ ...r, shortcut: shortcuts.get(r.cannedId) ?? r.cannedId })),
      read: table.n,
      timeZone: tz,
    };
    return { ...summary, steps: { read, fold, episodes, figures: step() } };
  }

  /**
   * The words and phrases most of the range's customers' messages share: read
   * from the newest messages themselves, a page at a time. `stop`: asked between
   * pages; when it says so the reading ends without an answer (null), so a new
   * question is not kept waiting for the words of the last one.
   */
  async terms(stop: () => boolean = () => false): Promise<ReportTerms | null> {
    const req = this.req;
    if (!req) return { words: [], phrases: [], sample: 0 };
    const texts: string[] = [];
    const hidden = (key: string) => this.markByHash.get(hash53(key))?.hidden === true;
    // Newest first, a page at a time: the range may hold far more than the sample.
    let upper = req.to;
    for (let guard = 0; texts.length < TERMS_SAMPLE && guard < 500; guard++) {
      if (stop()) return null;
      const page = await this.db.messages
        .where('createdAt')
        .between(req.from, upper, true, false)
        .reverse()
        .limit(TERMS_PAGE)
        .toArray();
      for (const m of page) if (!m.fromUs && !hidden(m.key) && texts.length < TERMS_SAMPLE) texts.push(m.text);
      if (page.length < TERMS_PAGE) break;
      upper = (page[page.length - 1] as Message).createdAt;
    }
    if (stop()) return null;
    return { ...topTerms(texts), sample: texts.length };
  }

  /** The conversations of the loaded range by a grouping (kept once made); by column it reads the first messages. */
  async rowsAsync(grouping: Grouping): Promise<ReportRow[]> {
    if (grouping === 'column' && !this.columnsOf) await this.readColumns();
    return this.rows(grouping);
  }

  /** By a period every period of the range has a row, a quiet one too. */
  rows(grouping: Grouping): ReportRow[] {
    let rows = this.cache.get(grouping);
    if (!rows) {
      rows = groupRows(this.episodes, grouping, { timeZone: this.timeZone, columnsOf: this.columnsOf as ((ep: unknown) => readonly string[]) | undefined });
      const req = this.req;
      if (req && (grouping === 'day' || grouping === 'week' || grouping === 'month')) rows = fillPeriods(rows, periodsBetween(req.from, req.to, grouping, this.timeZone));
      this.cache.set(grouping, rows);
    }
    return rows;
  }

  /** Which columns each conversation's first message belongs to, from the messages themselves. */
  private async readColumns(): Promise<void> {
    const req = this.req;
    if (!req) return;
    const firsts = new Set(this.episodes.map((ep) => ep.keyHash));
    const byHash = new Map<number, Message>();
    await this.db.messages
      .where('createdAt')
      .between(req.from, req.to, true, false)
      .each((m) => {
        const h = hash53(m.key);
        if (firsts.has(h)) byHash.set(h, m);
      });
    const matchers: [string, Matcher][] = req.columns.map((c) => [c.id, compileFilter({ ...c.filter, statuses: [], since: undefined }, { me: req.me })]);
    const marks = this.markByHash;
    this.columnsOf = (ep) => {
      const m = byHash.get(ep.keyHash);
      if (!m) return [];
      const mark = marks.get(ep.keyHash);
      return matchers.filter(([, match]) => match(m, mark ? { key: m.key, ...mark, hidden: false } : undefined)).map(([id]) => id);
    };
    this.cache.delete('column');
  }
}
