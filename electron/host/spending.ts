import path from 'node:path';
import { READ_PRICE_USD, utcDay } from '../../shared/pricing.js';
import type { AccountSpending, StreamKind } from '../../shared/model.js';
import { readJson, writeJson } from './jsonFile.js';

/** A new X account may spend this much a UTC day on reads before its paid streams pause. */
export const DEFAULT_DAILY_BUDGET_USD = 5;
/** Pages one poll of a paid stream reads at most (each page holds up to 100 billed posts). */
export const DEFAULT_PAGES_PER_POLL = 10;
/** Posts per page of an X timeline or search: what one page may cost at most. */
const ITEMS_PER_PAGE = 100;

interface Stored {
  dailyBudgetUsd?: number;
  pagesPerPoll?: number;
  ownsApp?: boolean;
  /** What was spent on the day named, as the streams counted it. */
  day?: string;
  spentUsd?: number;
}

/**
 * What an account may spend on billed reads (X pay-per-use), per UTC day: a daily
 * budget that pauses its paid streams when reached (until the next UTC day or a
 * higher budget), a cap on pages per poll, and whether the account owns the
 * developer app (X bills its own mentions and posts as "owned reads", $0.001,
 * only then; otherwise $0.005). Kept in spending.json, so a restart still knows
 * what today cost.
 */
export class Spending {
  private byAccount: Record<string, Stored> = {};
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly now: () => number,
  ) {}

  private get file(): string {
    return path.join(this.dataDir, 'spending.json');
  }

  async load(): Promise<void> {
    this.byAccount = await readJson<Record<string, Stored>>(this.file, {});
  }

  private save(): Promise<void> {
    const snapshot = JSON.parse(JSON.stringify(this.byAccount)) as Record<string, Stored>;
    this.saving = this.saving.then(() => writeJson(this.file, snapshot)).catch(() => undefined);
    return this.saving;
  }

  private entry(accountId: string): Stored {
    return (this.byAccount[accountId] ??= {});
  }

  /** What a stream of this account pays per resource read. Unanswered ownership counts as not owned (the higher price). */
  priceUsd(accountId: string, kind: StreamKind): number {
    if ((kind === 'x_mentions' || kind === 'x_own') && this.byAccount[accountId]?.ownsApp !== true) return READ_PRICE_USD.x_search;
    return READ_PRICE_USD[kind];
  }

  spentTodayUsd(accountId: string): number {
    const e = this.byAccount[accountId];
    return e?.day === utcDay(this.now()) ? (e.spentUsd ?? 0) : 0;
  }

  /** A stream of the account read billed resources on the UTC day of `at`. */
  record(accountId: string, usd: number, at: number): void {
    if (usd <= 0) return;
    const e = this.entry(accountId);
    const day = utcDay(at);
    if (e.day !== undefined && day < e.day) return;
    if (e.day !== day) {
      e.day = day;
      e.spentUsd = 0;
    }
    e.spentUsd = Math.round(((e.spentUsd ?? 0) + usd) * 10_000) / 10_000;
    void this.save();
  }

  /** When the account's paid streams may poll again, if its budget is spent (the next UTC midnight). */
  pausedUntil(accountId: string): number | undefined {
    const budget = this.budget(accountId);
    if (this.spentTodayUsd(accountId) < budget) return undefined;
    const d = new Date(this.now());
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  }

  budget(accountId: string): number {
    return this.byAccount[accountId]?.dailyBudgetUsd ?? DEFAULT_DAILY_BUDGET_USD;
  }

  /**
   * Pages a poll of this paid stream may read: the page cap, and no more pages than
   * what is left of today's budget could pay for if every page were full.
   */
  pagesAllowed(accountId: string, kind: StreamKind): number {
    const cap = this.byAccount[accountId]?.pagesPerPoll ?? DEFAULT_PAGES_PER_POLL;
    const price = this.priceUsd(accountId, kind);
    if (price <= 0) return cap;
    const left = this.budget(accountId) - this.spentTodayUsd(accountId);
    return Math.max(1, Math.min(cap, Math.floor(left / (price * ITEMS_PER_PAGE))));
  }

  describe(accountId: string): AccountSpending {
    const e = this.byAccount[accountId];
    return {
      dailyBudgetUsd: this.budget(accountId),
      pagesPerPoll: e?.pagesPerPoll ?? DEFAULT_PAGES_PER_POLL,
      ownsApp: e?.ownsApp,
      spentTodayUsd: this.spentTodayUsd(accountId),
      pausedUntil: this.pausedUntil(accountId),
    };
  }

  async set(accountId: string, change: { dailyBudgetUsd?: number; pagesPerPoll?: number; ownsApp?: boolean }): Promise<void> {
    const e = this.entry(accountId);
    if (change.dailyBudgetUsd !== undefined) e.dailyBudgetUsd = change.dailyBudgetUsd;
    if (change.pagesPerPoll !== undefined) e.pagesPerPoll = change.pagesPerPoll;
    if (change.ownsApp !== undefined) e.ownsApp = change.ownsApp;
    await this.save();
  }

  async forget(accountId: string): Promise<void> {
    if (!(accountId in this.byAccount)) return;
    delete this.byAccount[accountId];
    await this.save();
  }
}
