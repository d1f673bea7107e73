import { ApiResponseError } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { classify, CREDITS_RETRY_MS } from '../../electron/host/errors';
import { BASE_INTERVAL_MS, creditsRetryMs, waitReason } from '../../electron/host/poller';
import { rateOf, serverSkewMs, snowflakeBefore, snowflakeTime } from '../../electron/host/connectors/x/api';

/**
 * How long the host waits when X says to: resets hours away (24-hour limits),
 * X's clock read from its Date header, and X credits used up (402).
 */
const NOW = Date.UTC(2026, 11, 2, 12);
const HOUR = 3600_000;

function xError(status: number, data: unknown, headers: Record<string, string> = {}, rateLimit?: ApiResponseError['rateLimit']) {
  return new ApiResponseError(`Request failed with code ${status}`, { code: status, data: data as never, headers, rateLimit, request: {} as never, response: {} as never });
}

const sec = (ms: number) => Math.floor(ms / 1000);

describe('X 429: the reset the platform names', () => {
  it('a spent 24-hour user limit waits for its reset, hours away, not for the 15-minute window', () => {
    const headers = {
      'x-rate-limit-limit': '100',
      'x-rate-limit-remaining': '50',
      'x-rate-limit-reset': String(sec(NOW + 600_000)),
      'x-user-limit-24hour-limit': '1440',
      'x-user-limit-24hour-remaining': '0',
      'x-user-limit-24hour-reset': String(sec(NOW + 5 * HOUR)),
    };
    // As twitter-api-v2 parses them, and as the headers alone say.
    const parsed = { limit: 100, remaining: 50, reset: sec(NOW + 600_000), userDay: { limit: 1440, remaining: 0, reset: sec(NOW + 5 * HOUR) } };
    for (const e of [xError(429, { title: 'Too Many Requests' }, headers, parsed), xError(429, { title: 'Too Many Requests' }, headers)]) {
      expect(classify(e, NOW)).toMatchObject({ error: { kind: 'rateLimited', resetAt: NOW + 5 * HOUR }, retryAt: NOW + 5 * HOUR, action: 'waitUntil' });
    }
  });

  it('a spent 24-hour app limit (posts per app per day) too; a sanity cap of 25 hours', () => {
    const app = xError(429, {}, { 'x-app-limit-24hour-limit': '10000', 'x-app-limit-24hour-remaining': '0', 'x-app-limit-24hour-reset': String(sec(NOW + 20 * HOUR)) });
    expect(classify(app, NOW).retryAt).toBe(NOW + 20 * HOUR);
    const absurd = xError(429, {}, { 'x-app-limit-24hour-limit': '10000', 'x-app-limit-24hour-remaining': '0', 'x-app-limit-24hour-reset': String(sec(NOW + 400 * HOUR)) });
    expect(classify(absurd, NOW).retryAt).toBe(NOW + 25 * HOUR);
  });

  it("reads the reset on X's clock: its Date header says how far ours is off", () => {
    // X's clock is an hour ahead of ours; the window resets in 2 minutes on X's clock.
    const xNow = NOW + HOUR;
    const e = xError(429, {}, { date: new Date(xNow).toUTCString() }, { limit: 300, remaining: 0, reset: sec(xNow + 120_000) });
    expect(classify(e, NOW).retryAt).toBe(NOW + 120_000);
    // Without a Date header a reset an hour ahead may be a wrong clock: one window at most, as before.
    const blind = xError(429, {}, {}, { limit: 300, remaining: 0, reset: sec(xNow + 120_000) });
    expect(classify(blind, NOW).retryAt).toBe(NOW + 15 * 60_000);
    expect(rateOf({ limit: 300, remaining: 10, reset: sec(xNow + 120_000) }, NOW, { date: new Date(xNow).toUTCString() })?.resetAt).toBe(NOW + 120_000);
    expect(serverSkewMs({ date: 'not a date' }, NOW)).toBeUndefined();
  });
});

describe('X 402: credits used up', () => {
  it('is creditsDepleted: wait and try again on a slow schedule, never a reconnect or a stop', () => {
    const e = xError(402, { title: 'Payment Required', detail: 'credits depleted', type: 'https://api.x.com/2/problems/credits-depleted' });
    expect(classify(e, NOW)).toEqual({ error: { kind: 'creditsDepleted' }, retryAt: NOW + CREDITS_RETRY_MS, action: 'waitUntil', ambiguous: false });
    expect(waitReason({ kind: 'creditsDepleted' })).toBe('creditsDepleted');
  });

  it('tries again every 15 minutes at the default pace, sooner on a host set to poll faster', () => {
    expect(creditsRetryMs('x_mentions', BASE_INTERVAL_MS.x_mentions)).toBe(15 * 60_000);
    expect(creditsRetryMs('x_dms', BASE_INTERVAL_MS.x_dms)).toBe(15 * 60_000);
    expect(creditsRetryMs('x_dms', 100)).toBeLessThan(2000);
  });

  it('tells a throttle from a rate limit by what the AppError says', () => {
    expect(waitReason({ kind: 'rateLimited', resetAt: NOW })).toBe('rateLimited');
    expect(waitReason({ kind: 'rateLimited', resetAt: NOW, throttled: true })).toBe('throttled');
  });
});

describe('snowflake ids and time', () => {
  it('the id made just before a time sorts below every id made from that time on', () => {
    const at = NOW - 7 * 24 * HOUR;
    const before = BigInt(snowflakeBefore(at));
    expect(snowflakeTime((before + 1n).toString())).toBe(at);
    expect(snowflakeTime(before.toString())).toBe(at - 1);
  });
});
