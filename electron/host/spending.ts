import path from 'node:path';
import { READ_PRICE_USD, utcDay } from '../../shared/pricing.js';
import type { AccountSpending, StreamKind } from '../../shared/model.js';
import { readJson, writeJson } from './jsonFile.js';

/**
 * A new X account may spend this much a UTC day on reads before its paid streams pause.
 * Sandbox accounts are not billed: they have no budget unless one is set (to try the guard).
 */
export const DEFAULT_DAILY_BUDGET_USD = 5;
/** Pages one poll of a paid stream reads at most (each page holds up to 100 billed posts). */
export const DEFAULT_PAGES_PER_POLL = 10;
/** Posts per page of an X timeline or search: what one page may cost at most. */
const ITEMS_PER_PAGE = 100;

interface Stored {
  /** null: no budget (the person chose none). */
  dailyBudgetUsd?: number | null;
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
  /** Accounts on the embedded sandbox: nothing they read is billed. */
  private readonly sandbox = new Set<string>();
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

  /** Whether an account lives on the sandbox (set when it is attached). */
  setSandbox(accountId: string, sandbox: boolean): void {
    if (sandbox) this.sandbox.add(accountId);
    else this.sandbox.delete(accountId);
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
    if (budget === undefined || this.spentTodayUsd(accountId) < budget) return undefined;
    const d = new Date(this.now());
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  }

  /** The daily budget, or undefined for none. */
  budget(accountId: string): number | undefined {
    const set = this.byAccount[accountId]?.dailyBudgetUsd;
    if (set !== undefined) return set ?? undefined;
    return this.sandbox.has(accountId) ? undefined : DEFAULT_DAILY_BUDGET_USD;
  }

  /**
   * Pages a poll of this paid stream may read: the page cap, and no more pages than
   * what is left of today's budget could pay for if every page were full.
   */
  pagesAllowed(accountId: string, kind: StreamKind): number {
    const cap = this.byAccount[accountId]?.pagesPerPoll ?? DEFAULT_PAGES_PER_POLL;
    const price = this.priceUsd(accountId, kind);
    const budget = this.budget(accountId);
    if (price <= 0 || budget === undefined) return cap;
    const left = budget - this.spentTodayUsd(accountId);
    return Math.max(1, Math.min(cap, Math.floor(left / (price * ITEMS_PER_PAGE))));
  }

  describe(accountId: string): AccountSpending {
    const e = this.byAccount[accountId];
    const budget = this.budget(accountId);
    return {
      ...(budget !== undefined ? { dailyBudgetUsd: budget } : {}),
      pagesPerPoll: e?.pagesPerPoll ?? DEFAULT_PAGES_PER_POLL,
      ownsApp: e?.ownsApp,
      spentTodayUsd: this.spentTodayUsd(accountId),
      pausedUntil: this.pausedUntil(accountId),
    };
  }

  async set(accountId: string, change: { dailyBudgetUsd?: number | null; pagesPerPoll?: number; ownsApp?: boolean }): Promise<void> {
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
