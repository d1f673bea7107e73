import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DAILY_BUDGET_USD, Spending } from '../../electron/host/spending';

const dir = () => mkdtemp(path.join(os.tmpdir(), 'webcare-spending-'));
const NOON = Date.UTC(2026, 11, 2, 12);

describe('Spending', () => {
  it('pauses at the budget until the next UTC midnight, and a new day starts from nothing', async () => {
    let now = NOON;
    const s = new Spending(await dir(), () => now);
    expect(s.budget('x:1')).toBe(DEFAULT_DAILY_BUDGET_USD);
    s.record('x:1', 4.99, now);
    expect(s.pausedUntil('x:1')).toBeUndefined();
    s.record('x:1', 0.01, now);
    expect(s.pausedUntil('x:1')).toBe(Date.UTC(2026, 11, 3));
    now = Date.UTC(2026, 11, 3, 0, 0, 1);
    expect(s.spentTodayUsd('x:1')).toBe(0);
    expect(s.pausedUntil('x:1')).toBeUndefined();
    // A read billed to a day already over does not count against today.
    s.record('x:1', 1, NOON);
    expect(s.spentTodayUsd('x:1')).toBe(0);
  });

  it('caps the pages of a poll by the page cap and by what is left of the budget if every page were full', async () => {
    const s = new Spending(await dir(), () => NOON);
    expect(s.pagesAllowed('x:1', 'x_search')).toBe(10);
    await s.set('x:1', { dailyBudgetUsd: 1 });
    // $0.005 a post, 100 posts a page: $0.50 a page, so two pages.
    expect(s.pagesAllowed('x:1', 'x_search')).toBe(2);
    s.record('x:1', 0.9, NOON);
    // Never below one page: the budget check pauses the stream instead.
    expect(s.pagesAllowed('x:1', 'x_search')).toBe(1);
    await s.set('x:1', { dailyBudgetUsd: 100, pagesPerPoll: 3 });
    expect(s.pagesAllowed('x:1', 'x_search')).toBe(3);
  });

  it('prices mentions as owned reads only when the account owns the app', async () => {
    const s = new Spending(await dir(), () => NOON);
    expect(s.priceUsd('x:1', 'x_mentions')).toBe(0.005);
    await s.set('x:1', { ownsApp: false });
    expect(s.priceUsd('x:1', 'x_own')).toBe(0.005);
    await s.set('x:1', { ownsApp: true });
    expect(s.priceUsd('x:1', 'x_mentions')).toBe(0.001);
    expect(s.priceUsd('x:1', 'x_search')).toBe(0.005);
    expect(s.priceUsd('x:1', 'x_dms')).toBe(0.01);
  });

  it('a sandbox account has no budget unless one is set; null removes a budget', async () => {
    const s = new Spending(await dir(), () => NOON);
    s.setSandbox('x:9', true);
    s.record('x:9', 50, NOON);
    expect(s.budget('x:9')).toBeUndefined();
    expect(s.pausedUntil('x:9')).toBeUndefined();
    expect(s.pagesAllowed('x:9', 'x_search')).toBe(10);
    await s.set('x:9', { dailyBudgetUsd: 1 });
    expect(s.pausedUntil('x:9')).toBe(Date.UTC(2026, 11, 3));
    await s.set('x:1', { dailyBudgetUsd: null });
    expect(s.budget('x:1')).toBeUndefined();
  });

  it('keeps budgets and today’s spending across a restart', async () => {
    const d = await dir();
    const a = new Spending(d, () => NOON);
    await a.set('x:1', { dailyBudgetUsd: 2, ownsApp: true });
    a.record('x:1', 0.25, NOON);
    await a.set('x:1', {});
    const b = new Spending(d, () => NOON);
    await b.load();
    expect(b.describe('x:1')).toEqual({ dailyBudgetUsd: 2, pagesPerPoll: 10, ownsApp: true, spentTodayUsd: 0.25 });
  });
});
