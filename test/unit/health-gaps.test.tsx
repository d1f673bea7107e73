import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ColumnGapsNotice } from '../../renderer/src/board/ColumnGaps';
import { Gaps } from '../../renderer/src/health/Gaps';
import { formatGapRange, gapWording } from '../../renderer/src/health/healthFormat';
import { HealthView } from '../../renderer/src/health/HealthView';
import { initI18n } from '../../renderer/src/i18n/index';
import type { Status } from '../../shared/contract';
import type { Gap, StreamStatus } from '../../shared/model';

const T = (d: number, h: number, m: number) => new Date(2026, 11, d, h, m).getTime();
const NOW = T(3, 15, 0);
const time = (at: number, lng: string) => new Intl.DateTimeFormat(lng, { timeStyle: 'short' }).format(at);
const dateTime = (at: number, lng: string) => new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
/** What the agent reads: the markup's text, entities decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});

describe('the ends of a gap', () => {
  it('today: times of day only', () => {
    expect(formatGapRange(T(3, 14, 2), T(3, 14, 10), NOW, 'nl')).toEqual({ from: '14:02', to: '14:10' });
    expect(formatGapRange(undefined, T(3, 14, 10), NOW, 'nl')).toEqual({ to: '14:10' });
  });

  it('starting yesterday: both with their dates', () => {
    expect(formatGapRange(T(2, 23, 50), T(3, 0, 10), NOW, 'en')).toEqual({ from: dateTime(T(2, 23, 50), 'en'), to: dateTime(T(3, 0, 10), 'en') });
    expect(formatGapRange(T(2, 23, 50), T(3, 0, 10), NOW, 'nl').from).toMatch(/^2 dec\.? 2026.* 23:50$/);
  });

  it('one earlier day: the date once, at the start', () => {
    expect(formatGapRange(T(1, 9, 0), T(1, 9, 30), NOW, 'nl')).toEqual({ from: dateTime(T(1, 9, 0), 'nl'), to: '09:30' });
  });

  it('no start, not today: the end with its date', () => {
    expect(formatGapRange(undefined, T(1, 9, 30), NOW, 'en')).toEqual({ to: dateTime(T(1, 9, 30), 'en') });
  });
});

describe('the wording of a gap', () => {
  const gap = (g: Partial<Gap>): Gap => ({ to: T(3, 14, 10), state: 'filling', reason: 'budget', ...g });
  it.each([
    ['x_mentions', gap({ from: 1 }), undefined, 'gaps.health.filling', 'gaps.health.reason.budget'],
    ['x_mentions', gap({}), undefined, 'gaps.health.fillingBefore', 'gaps.health.reason.budget'],
    ['x_mentions', gap({ reason: 'rateLimit' }), NOW + 60_000, 'gaps.health.fillingBefore', 'gaps.health.reason.rateLimitAt'],
    ['x_mentions', gap({ reason: 'rateLimit' }), NOW - 60_000, 'gaps.health.fillingBefore', 'gaps.health.reason.rateLimit'],
    ['x_mentions', gap({ reason: 'rateLimit' }), undefined, 'gaps.health.fillingBefore', 'gaps.health.reason.rateLimit'],
    ['x_dms', gap({ from: 1, state: 'unreachable', reason: 'window' }), undefined, 'gaps.health.unreachable', 'gaps.health.reason.windowDms'],
    ['x_mentions', gap({ state: 'unreachable', reason: 'window' }), undefined, 'gaps.health.unreachableBefore', 'gaps.health.reason.windowMentions'],
    ['x_search', gap({ state: 'unreachable', reason: 'window' }), undefined, 'gaps.health.unreachableBefore', 'gaps.health.reason.windowSearch'],
    ['fb_comments', gap({ state: 'unreachable', reason: 'window' }), undefined, 'gaps.health.unreachableBefore', 'gaps.health.reason.window'],
    ['x_mentions', gap({ from: 1, state: 'unreachable', reason: 'cursor' }), undefined, 'gaps.health.unreachable', 'gaps.health.reason.cursor'],
  ] as const)('%s %j (reset %s) → %s, %s', (kind, g, resetAt, line, reason) => {
    expect(gapWording(kind, g, resetAt, NOW)).toEqual({ line, reason });
  });
});

function stream(gaps: Gap[] | undefined, extra: Partial<StreamStatus> = {}): StreamStatus {
  return { id: 'x1:mentions', accountId: 'x1', kind: 'x_mentions', delivered: 0, itemsToday: 0, costTodayUsd: 0, ...(gaps ? { gaps } : {}), ...extra };
}

describe('the health view shows each gap', () => {
  const filling: Gap = { from: T(3, 14, 2), to: T(3, 14, 10), estimate: 300, state: 'filling', reason: 'budget' };

  it('in English, with the estimate and the reason', () => {
    const html = renderToStaticMarkup(<Gaps stream={stream([filling])} now={NOW} />);
    expect(text(html)).toBe(
      `Some messages between ${time(filling.from as number, 'en')} and ${time(filling.to, 'en')} could not be fetched yet (at least 300). They are being fetched. The burst was larger than one poll reads.`,
    );
    expect(html).toContain('data-state="filling"');
  });

  it('in Dutch', async () => {
    await i18next.changeLanguage('nl');
    try {
      const html = renderToStaticMarkup(
        <Gaps
          stream={stream(
            [filling, { to: T(1, 9, 30), state: 'unreachable', reason: 'window' }],
            { kind: 'x_dms', rate: { limit: 15, remaining: 0, resetAt: T(3, 15, 12) } },
          )}
          now={NOW}
        />,
      );
      const lines = [...html.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map((m) => text(m[1] as string));
      expect(lines).toEqual([
        'Sommige berichten tussen 14:02 en 14:10 zijn nog niet opgehaald (minstens 300). Ze worden nu opgehaald. Er kwam meer tegelijk binnen dan één ophaalronde leest.',
        `Sommige berichten van vóór ${dateTime(T(1, 9, 30), 'nl')} konden niet worden opgehaald: het platform levert ze niet meer. X bewaart privéberichten 30 dagen.`,
      ]);
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('a rate limit names the platform and the reset', () => {
    const html = renderToStaticMarkup(
      <Gaps stream={stream([{ ...filling, reason: 'rateLimit' }], { kind: 'fb_comments', rate: { limit: 200, remaining: 0, resetAt: T(3, 15, 12) } })} now={NOW} />,
    );
    expect(text(html)).toContain(`Facebook’s rate limit was reached; it continues after the reset (${time(T(3, 15, 12), 'en')}).`);
  });

  it('nothing for a stream without gaps', () => {
    expect(renderToStaticMarkup(<Gaps stream={stream(undefined)} now={NOW} />)).toBe('');
    expect(renderToStaticMarkup(<Gaps stream={stream([])} now={NOW} />)).toBe('');
  });

  it('under its stream in the table, and only there', () => {
    const status: Status = {
      accounts: [],
      streams: [stream([filling]), stream(undefined, { id: 'x1:dms', kind: 'x_dms' })],
      online: true,
      shell: 'browser',
      vault: { encrypted: true, plaintextAllowed: false },
      xSignIn: 'sandbox',
      signIn: { pending: false },
    };
    const html = renderToStaticMarkup(<HealthView status={status} />);
    const rows = [...html.matchAll(/<tr[^>]*>.*?<\/tr>/g)].map((m) => m[0]);
    const gapRows = rows.filter((r) => r.includes('health-gaps-row'));
    expect(gapRows).toHaveLength(1);
    expect(gapRows[0]).toContain('data-stream-id="x1:mentions"');
    expect(text(gapRows[0] as string)).toContain('could not be fetched yet (at least 300). They are being fetched.');
    // Right after the mentions row.
    const at = rows.findIndex((r) => r.includes('health-gaps-row'));
    expect(rows[at - 1]).toContain('data-stream-id="x1:mentions"');
  });
});

describe('the column notice', () => {
  it('says what is missing and offers the health view', () => {
    const html = renderToStaticMarkup(
      <ColumnGapsNotice notice={{ key: 'gaps.column.unreachable', state: 'unreachable', from: T(3, 14, 2), to: T(3, 14, 10), count: 1 }} now={NOW} onOpen={() => undefined} />,
    );
    expect(html).toContain('data-state="unreachable"');
    expect(html).toContain('role="status"');
    expect(text(html)).toBe(`Some messages between ${time(T(3, 14, 2), 'en')} and ${time(T(3, 14, 10), 'en')} could not be fetched; they are unavailable.Details`);
    expect(html).toMatch(/<button type="button"[^>]*title="Open connector health"/);
  });

  it('without a start: before', () => {
    const html = renderToStaticMarkup(<ColumnGapsNotice notice={{ key: 'gaps.column.fillingBefore', state: 'filling', to: T(1, 9, 30), count: 1 }} now={NOW} onOpen={() => undefined} />);
    expect(text(html)).toContain(`Some messages before ${dateTime(T(1, 9, 30), 'en')} could not be fetched yet; they are being fetched.`);
  });
});
