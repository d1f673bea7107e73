import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HealthView } from '../../renderer/src/health/HealthView';
import { initI18n } from '../../renderer/src/i18n/index';
import type { Status } from '../../shared/contract';
import type { StreamStatus } from '../../shared/model';

/** The health view says what a stream waits for and until when, and what to do when X's credits are used up. */
const stream = (over: Partial<StreamStatus>): StreamStatus => ({ id: 'x1/mentions', accountId: 'x1', kind: 'x_mentions', delivered: 0, itemsToday: 0, costTodayUsd: 0, ...over });
const status = (streams: StreamStatus[]): Status => ({
  accounts: [],
  streams,
  online: true,
  shell: 'browser',
  vault: { encrypted: true, plaintextAllowed: false },
  xSignIn: 'sandbox',
  signIn: { pending: false },
});
const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
/** As the view writes a moment: its time of day when it is today, else with its date (a run just before midnight). */
const at = (ms: number, lng: string) =>
  new Intl.DateTimeFormat(lng, new Date(ms).toDateString() === new Date().toDateString() ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});

describe('a stream that waits', () => {
  // Two minutes ahead: the next day when the test runs at 23:58, and the view then adds the date.
  const until = Date.now() + 120_000;

  it('says until when and why, in English and Dutch', async () => {
    const view = status([
      stream({ wait: { until, reason: 'rateLimited' }, nextPollAt: until }),
      stream({ id: 'x1/dms', kind: 'x_dms', wait: { until, reason: 'creditsDepleted' }, lastError: 'creditsDepleted' }),
      stream({ id: 'fb1/comments', accountId: 'fb1', kind: 'fb_comments', wait: { until, reason: 'throttled' } }),
    ]);
    let html = renderToStaticMarkup(<HealthView status={view} />);
    expect(text(html)).toContain(`Waiting until ${at(until, 'en')} (rate limit reset)`);
    expect(text(html)).toContain(`Waiting until ${at(until, 'en')} (X credits used up)`);
    expect(text(html)).toContain(`Waiting until ${at(until, 'en')} (Facebook throttle)`);
    await i18next.changeLanguage('nl');
    html = renderToStaticMarkup(<HealthView status={view} />);
    expect(text(html)).toContain(`Wacht tot ${at(until, 'nl')} (reset van de limiet)`);
    expect(text(html)).toContain(`Wacht tot ${at(until, 'nl')} (X-tegoed op)`);
    expect(text(html)).toContain(`Wacht tot ${at(until, 'nl')} (Facebook remt af)`);
    await i18next.changeLanguage('en');
  });

  it('X credits used up: one notice says what to do, and the error is explained', () => {
    const html = renderToStaticMarkup(<HealthView status={status([stream({ wait: { until, reason: 'creditsDepleted' }, lastError: 'creditsDepleted' }), stream({ id: 'x1/dms', kind: 'x_dms', lastError: 'creditsDepleted' })])} />);
    expect(html.match(/data-testid="health-credits"/g)).toHaveLength(1);
    expect(text(html)).toContain('Your X API credits are used up');
    expect(text(html)).toContain('console.x.com');
    expect(text(html)).toContain('resume by themselves');
    expect(text(html)).toContain('polling resumes by itself');
  });

  it('a wait that ends after midnight says its date', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(2026, 11, 3, 23, 58));
      const next = Date.now() + 5 * 60_000;
      const html = renderToStaticMarkup(<HealthView status={status([stream({ wait: { until: next, reason: 'rateLimited' } })])} />);
      expect(text(html)).toContain(`Waiting until ${new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(next)} (rate limit reset)`);
    } finally {
      vi.useRealTimers();
    }
  });

  it('no notice and the next poll as before when nothing waits', () => {
    const html = renderToStaticMarkup(<HealthView status={status([stream({ nextPollAt: Date.now() + 30_000 })])} />);
    expect(html).not.toContain('health-credits');
    expect(html).not.toContain('health-wait');
  });
});
