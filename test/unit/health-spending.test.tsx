import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetNotice } from '../../renderer/src/connection/BudgetBanner';
import { HealthView } from '../../renderer/src/health/HealthView';
import { initI18n } from '../../renderer/src/i18n/index';
import { parseAmount } from '../../renderer/src/accounts/SpendingForm';
import type { Status } from '../../shared/contract';
import type { Account } from '../../shared/model';

/** The daily X budget where agents look: the health view, and a banner while it pauses an account. */
const account = (spending: Account['spending']): Account => ({
  id: 'x:1',
  platform: 'x',
  platformUserId: '1',
  name: 'Polderpost',
  handle: 'polderpost',
  state: 'connected',
  sandbox: true,
  granted: [],
  missing: [],
  spending,
});
const status = (accounts: Account[]): Status => ({
  accounts,
  streams: [{ id: 'x:1/mentions', accountId: 'x:1', kind: 'x_mentions', delivered: 0, itemsToday: 3, costTodayUsd: 0.015 }],
  online: true,
  shell: 'browser',
  vault: { encrypted: true, plaintextAllowed: false },
  xSignIn: 'sandbox',
  signIn: { pending: false },
});
const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});

describe('the daily X budget', () => {
  const pausedUntil = Date.now() + 3600_000;

  it('the health view says what today cost of the budget, and when a spent budget lets the streams go on (en, nl)', async () => {
    let html = renderToStaticMarkup(<HealthView status={status([account({ dailyBudgetUsd: 5, pagesPerPoll: 10, spentTodayUsd: 0.015 })])} />);
    expect(text(html)).toMatch(/@polderpost: \$0\.0(15|2) of the daily budget of \$5(\.00)? spent today/);
    html = renderToStaticMarkup(<HealthView status={status([account({ dailyBudgetUsd: 0.01, pagesPerPoll: 10, spentTodayUsd: 0.015, pausedUntil })])} />);
    expect(text(html)).toContain('its X streams wait until');
    await i18next.changeLanguage('nl');
    html = renderToStaticMarkup(<HealthView status={status([account({ dailyBudgetUsd: 0.01, pagesPerPoll: 10, spentTodayUsd: 0.015, pausedUntil })])} />);
    expect(text(html)).toContain('de X-stromen wachten tot');
    await i18next.changeLanguage('en');
  });

  it('a banner names the paused accounts, and none shows while every budget holds', () => {
    expect(renderToStaticMarkup(<BudgetNotice status={status([account({ dailyBudgetUsd: 5, pagesPerPoll: 10, spentTodayUsd: 1 })])} />)).toBe('');
    const html = renderToStaticMarkup(<BudgetNotice status={status([account({ dailyBudgetUsd: 1, pagesPerPoll: 10, spentTodayUsd: 1, pausedUntil })])} />);
    expect(text(html)).toContain('Daily X budget reached for @polderpost');
  });

  it('reads amounts as people type them, and refuses what is no amount', () => {
    expect(parseAmount('5')).toBe(5);
    expect(parseAmount(' 2,50 ')).toBe(2.5);
    expect(parseAmount('0.75')).toBe(0.75);
    for (const bad of ['', '-1', '1e3', '5 dollar', '1.234', '123456']) expect(parseAmount(bad)).toBeNull();
  });
});
