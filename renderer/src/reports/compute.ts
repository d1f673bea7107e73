import { compileFilter, type ColumnFilter, type Matcher } from '../../../shared/filter.js';
import type { Message } from '../../../shared/model.js';
import {
  cannedUsage,
  episodesOf,
  fillPeriods,
  periodsBetween,
  groupRows,
  sentimentTrend,
  topTerms,
  totalRow,
  volumeHeatmap,
  type CannedUsageRow,
  type Episode,
  type Grouping,
  type ReportMark,
  type ReportRow,
  type SentimentRow,
} from '../../../shared/reports.js';
import { countedMs, type BusinessHours, type Targets } from '../../../shared/sla.js';
import { reduceWorkflow, specialistWaitBetween } from '../../../shared/workflowState.js';
import type { WebcareDb } from '../db/db';

/**
 * The reports screen's work, over the local store: read once per date range,
 * then grouped again at will from what is kept (a grouping switch reads
 * nothing). It runs in a worker (reports.worker.ts) so months of messages never
 * hold up the board; the figures themselves are shared/reports.ts.
 */

/** A conversation that began this long before the range is still read, so it is not cut in two. */
export const LOOKBACK_MS = 3 * 86_400_000;
/** Top words and phrases come from the newest this many customers' messages of the range. */
export const TERMS_SAMPLE = 20_000;

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
  /** The conversations by day, week and month (the charts' rows, whatever the table is grouped by). */
  byPeriod: Record<'day' | 'week' | 'month', ReportRow[]>;
  heatmap: number[][];
  sentiment: Record<'day' | 'week' | 'month', SentimentRow[]>;
  words: { word: string; count: number }[];
  phrases: { phrase: string; count: number }[];
  canned: (CannedUsageRow & { shortcut: string })[];
  /** Messages read for it (the range and the days before it). */
  read: number;
  timeZone: string;
}

export class ReportSession {
  private episodes: Episode[] = [];
  private columnsOf: ((ep: Episode) => readonly string[]) | undefined;
  private timeZone = 'UTC';
  private cache = new Map<Grouping, ReportRow[]>();

  constructor(private readonly db: WebcareDb) {}

  async load(req: ReportRequest): Promise<ReportSummary> {
    const [messages, marks, workflow, uses, library] = await this.db.transaction('r', [this.db.messages, this.db.marks, this.db.workflow, this.db.cannedUses, this.db.canned], () =>
      Promise.all([
        this.db.messages.where('createdAt').aboveOrEqual(req.from - LOOKBACK_MS).toArray(),
        this.db.marks.toArray(),
        this.db.workflow.toArray(),
        this.db.cannedUses.where('at').between(req.from, req.to, true, false).toArray(),
        this.db.canned.toArray(),
      ]),
    );
    const markMap = new Map<string, ReportMark & { key: string }>(marks.map((m) => [m.key, m]));
    const markOf = (k: string) => markMap.get(k);
    const state = workflow.length > 0 ? reduceWorkflow(workflow.sort((a, b) => a.seq - b.seq)) : undefined;
    const specialist = state
      ? (key: string, from: number, to: number) => specialistWaitBetween(state, key, from, to, (a, b) => countedMsOf(req.hours, a, b))
      : undefined;
    this.episodes = episodesOf(messages, markOf, req.from, req.to, { hours: req.hours, targets: req.targets, now: req.now, specialist });
    this.timeZone = req.hours.timeZone;
    this.cache.clear();

    const byKey = new Map<string, Message>();
    for (const m of messages) byKey.set(m.key, m);
    const matchers: [string, Matcher][] = req.columns.map((c) => [c.id, compileFilter({ ...c.filter, statuses: [], since: undefined }, { me: req.me })]);
    this.columnsOf = (ep) => {
      const m = byKey.get(ep.key);
      if (!m) return [];
      const mark = markMap.get(ep.key);
      return matchers.filter(([, match]) => match(m, mark ? { ...mark, hidden: false } : undefined)).map(([id]) => id);
    };

    const tz = req.hours.timeZone;
    const texts: string[] = [];
    for (let i = messages.length - 1; i >= 0 && texts.length < TERMS_SAMPLE; i--) {
      const m = messages[i] as Message;
      if (!m.fromUs && m.createdAt >= req.from && m.createdAt < req.to && !markMap.get(m.key)?.hidden) texts.push(m.text);
    }
    const shortcuts = new Map(library.map((r) => [r.id, r.shortcut]));
    const { words, phrases } = topTerms(texts);
    const visible = messages.filter((m) => !markMap.get(m.key)?.hidden);
    return {
      total: totalRow(this.episodes),
      byPeriod: {
        day: fillPeriods(this.rows('day'), periodsBetween(req.from, req.to, 'day', tz)),
        week: fillPeriods(this.rows('week'), periodsBetween(req.from, req.to, 'week', tz)),
        month: fillPeriods(this.rows('month'), periodsBetween(req.from, req.to, 'month', tz)),
      },
      heatmap: volumeHeatmap(visible, req.from, req.to, tz),
      sentiment: {
        day: fillSentiment(sentimentTrend(visible, markOf, req.from, req.to, 'day', tz), periodsBetween(req.from, req.to, 'day', tz)),
        week: fillSentiment(sentimentTrend(visible, markOf, req.from, req.to, 'week', tz), periodsBetween(req.from, req.to, 'week', tz)),
        month: fillSentiment(sentimentTrend(visible, markOf, req.from, req.to, 'month', tz), periodsBetween(req.from, req.to, 'month', tz)),
      },
      words,
      phrases,
      canned: cannedUsage(uses, req.from, req.to).map((r) => ({ ...r, shortcut: shortcuts.get(r.cannedId) ?? r.cannedId })),
      read: messages.length,
      timeZone: tz,
    };
  }

  /** The conversations of the loaded range by a grouping (kept once made). */
  rows(grouping: Grouping): ReportRow[] {
    let rows = this.cache.get(grouping);
    if (!rows) {
      rows = groupRows(this.episodes, grouping, { timeZone: this.timeZone, columnsOf: this.columnsOf });
      this.cache.set(grouping, rows);
    }
    return rows;
  }
}

function fillSentiment(rows: readonly SentimentRow[], keys: readonly string[]): SentimentRow[] {
  const by = new Map(rows.map((r) => [r.period, r]));
  return keys.map((period) => by.get(period) ?? { period, positive: 0, neutral: 0, negative: 0, unknown: 0 });
}

function countedMsOf(hours: BusinessHours, from: number, to: number): number {
  return countedMs(from, to, hours);
}
