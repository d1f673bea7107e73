import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { classify, parseRetryAfter } from '../../electron/host/errors';
import { GraphError } from '../../electron/host/connectors/facebook/graph';
import { checkText } from '../../electron/host/hostCore';
import { backoffMs, nextDelay } from '../../electron/host/poller';
import { usagePercent } from '../../electron/host/connectors/facebook/graph';
import { PlaintextRefused, Vault, plaintextCipher } from '../../electron/host/vault';

const NOW = Date.UTC(2026, 10, 22, 12);

function xError(status: number, data: unknown, headers: Record<string, string> = {}, rateLimit?: { limit: number; remaining: number; reset: number }) {
  return new ApiResponseError(`Request failed with code ${status}`, {
    code: status,
    data: data as never,
    headers,
    rateLimit,
    request: {} as never,
    response: {} as never,
  });
}

describe('classifying platform failures', () => {
  it.each([
    ['X 429 with reset ahead', xError(429, { title: 'Too Many Requests' }, {}, { limit: 300, remaining: 0, reset: NOW / 1000 + 120 }), { kind: 'rateLimited', action: 'waitUntil', retryAt: NOW + 120_000 }],
    ['X 429 with reset in the past', xError(429, {}, {}, { limit: 300, remaining: 0, reset: NOW / 1000 - 60 }), { kind: 'rateLimited', action: 'backoff', retryAt: undefined }],
    ['X 429 with Retry-After seconds', xError(429, {}, { 'retry-after': '30' }), { kind: 'rateLimited', action: 'waitUntil', retryAt: NOW + 30_000 }],
    ['X usage capped', xError(429, { type: 'https://api.x.com/2/problems/usage-capped' }), { kind: 'rateLimited', action: 'stop', retryAt: undefined }],
    ['X 401', xError(401, { title: 'Unauthorized' }), { kind: 'reconnectNeeded', action: 'reconnect', retryAt: undefined }],
    ['X duplicate', xError(403, { detail: 'You are not allowed to create a Tweet with duplicate content.' }), { kind: 'duplicate', action: 'stop', retryAt: undefined }],
    ['X 503', xError(503, '<html>'), { kind: 'platform', action: 'backoff', retryAt: undefined }],
    ['Graph 190', new GraphError({ type: 'http', status: 400, code: 190, subcode: 460, message: 'Error validating access token', body: {} }, {}), { kind: 'reconnectNeeded', action: 'reconnect', retryAt: undefined }],
    ['Graph window closed', new GraphError({ type: 'http', status: 400, code: 10, subcode: 2018278, message: 'outside of allowed window', body: {} }, {}), { kind: 'windowClosed', action: 'stop', retryAt: undefined }],
    ['Graph throttled', new GraphError({ type: 'http', status: 400, code: 32, message: 'Page request limit reached', body: {} }, {}), { kind: 'rateLimited', action: 'backoff', retryAt: undefined }],
    ['Graph timeout', new GraphError({ type: 'timeout' }, {}), { kind: 'offline', action: 'backoff', retryAt: undefined }],
    ['Graph HTML body', new GraphError({ type: 'malformed', status: 502, snippet: '<html>' }, {}), { kind: 'platform', action: 'backoff', retryAt: undefined }],
  ])('%s', (_label, error, expected) => {
    const c = classify(error, NOW);
    expect({ kind: c.error.kind, action: c.action, retryAt: c.retryAt }).toEqual(expected);
  });

  it('knows a refused connection never left, a reset may have', () => {
    const refused = new ApiRequestError('x', { request: {} as never, error: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
    const reset = new ApiRequestError('x', { request: {} as never, error: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
    expect(classify(refused, NOW)).toMatchObject({ error: { kind: 'offline' }, ambiguous: false });
    expect(classify(reset, NOW)).toMatchObject({ error: { kind: 'offline' }, ambiguous: true });
  });

  it.each([
    ['120', NOW + 120_000],
    ['Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2015, 9, 21, 7, 28)],
    ['1e9', undefined],
    ['-1', undefined],
    ['abc', undefined],
    ['', undefined],
    ['999999999', NOW + 24 * 3600 * 1000],
  ])('Retry-After %j', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe('poll scheduling', () => {
  const rate = (remaining: number, inMs: number, limit = 300) => ({ cursor: undefined, skipped: 0, rate: { limit, remaining, resetAt: NOW + inMs } });
  it.each([
    ['busy mentions spend the whole budget evenly', 10_000, rate(300, 900_000), true, 0, 3000],
    ['busy, half the budget used halfway', 10_000, rate(150, 450_000), true, 0, 3000],
    ['quiet mentions poll at the base interval', 10_000, rate(300, 900_000), false, 1, 20_000],
    ['long quiet: at most four times the base', 10_000, rate(300, 900_000), false, 9, 40_000],
    ['DMs: 15 per 15 minutes, one a minute even when busy', 61_000, rate(15, 900_000, 15), true, 0, 60_000],
    ['nothing left: wait for the reset', 10_000, rate(0, 400_000), true, 0, 401_000],
    ['Graph under 75%: busy polls faster', 15_000, { cursor: undefined, skipped: 0, usagePct: 40 }, true, 0, 5000],
    ['Graph at 80%: four times slower', 15_000, { cursor: undefined, skipped: 0, usagePct: 80 }, true, 0, 60_000],
    ['Graph at 95%: five minutes', 15_000, { cursor: undefined, skipped: 0, usagePct: 95 }, true, 0, 300_000],
  ])('%s', (_label, base, result, busy, quiet, expected) => {
    expect(nextDelay(base, result, NOW, busy, quiet)).toBe(expected);
  });

  it('never exceeds the limit over a busy window', () => {
    // Simulate a window: every poll uses one call; the delays must fit the calls into the window.
    let t = NOW;
    const reset = NOW + 900_000;
    let remaining = 300;
    let calls = 0;
    while (t < reset && remaining > 0) {
      remaining--;
      calls++;
      t += nextDelay(10_000, { cursor: undefined, skipped: 0, rate: { limit: 300, remaining, resetAt: reset } }, t, true, 0);
    }
    expect(calls).toBeLessThanOrEqual(300);
    expect(calls).toBeGreaterThanOrEqual(270); // spends at least 90% of the allowed rate
  });

  it('three saved searches sharing one budget (search/recent) together stay within it and use most of it', () => {
    const reset = NOW + 900_000;
    let remaining = 300;
    let calls = 0;
    let firstHalf = 0;
    const next = [NOW, NOW + 1000, NOW + 2000];
    for (;;) {
      const i = next.indexOf(Math.min(...next));
      const t = next[i] as number;
      if (t >= reset || remaining <= 0) break;
      remaining--;
      calls++;
      if (t < NOW + 450_000) firstHalf++;
      next[i] = t + nextDelay(10_000, { cursor: undefined, skipped: 0, rate: { limit: 300, remaining, resetAt: reset } }, t, true, 0, 3);
    }
    // Spread evenly: not burnt in the first minutes (each stream alone would pace for itself).
    expect(firstHalf).toBeLessThanOrEqual(165);
    expect(calls).toBeLessThanOrEqual(300);
    expect(calls).toBeGreaterThanOrEqual(270);
  });

  it('reads Graph usage headers', () => {
    expect(usagePercent({ app: '{"call_count":28,"total_time":25,"total_cputime":25}' })).toBe(28);
    expect(usagePercent({ businessUseCase: '{"112":[{"type":"pages","call_count":91,"total_cputime":2,"total_time":3,"estimated_time_to_regain_access":0}]}' })).toBe(91);
    expect(usagePercent({ app: 'garbage' })).toBeUndefined();
    expect(usagePercent({})).toBeUndefined();
  });

  it('backs off exponentially with jitter and a cap', () => {
    expect(backoffMs(1, 300_000, () => 1)).toBe(2000);
    expect(backoffMs(3, 300_000, () => 0)).toBe(4000);
    expect(backoffMs(30, 300_000, () => 1)).toBe(300_000);
    expect(backoffMs(30, 30_000, () => 0.5)).toBeLessThanOrEqual(30_000);
  });
});

describe('length rules before sending', () => {
  it.each([
    ['x_mention', 'a'.repeat(280), null],
    ['x_mention', 'a'.repeat(279) + '\u{1F600}', { kind: 'tooLong', limit: 280 }],
    ['x_mention', `${'https://www.polderpost.nl/a/very/long/path/'.repeat(3)} ok`, null],
    ['x_mention', '   \u3000', { kind: 'empty' }],
    ['fb_message', 'a'.repeat(2001), { kind: 'tooLong', limit: 2000 }],
    ['fb_comment', 'a'.repeat(8000), null],
  ] as const)('%s %#', (channel, text, expected) => {
    expect(checkText(channel, text)).toEqual(expected);
  });
});

describe('token vault', () => {
  it('refuses a real account token in plaintext without consent, stores sandbox tokens', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vault-'));
    const v = new Vault(dir, plaintextCipher);
    await expect(v.set('x:1', { t: 'real' }, { sandbox: false })).rejects.toBeInstanceOf(PlaintextRefused);
    await v.set('x:2', { t: 'sandbox' }, { sandbox: true });
    const again = new Vault(dir, plaintextCipher);
    await again.load();
    expect(again.get('x:2')).toEqual({ t: 'sandbox' });
    expect(again.has('x:1')).toBe(false);
    expect(JSON.parse(await readFile(path.join(dir, 'vault.json'), 'utf8')).cipher).toBe('plaintext');
  });

  it('drops entries it cannot decrypt instead of failing to start', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vault-'));
    const v = new Vault(dir, { kind: 'os', encrypt: async (s) => `E${s}`, decrypt: async (s) => s.slice(1) });
    await v.set('x:1', { t: 1 }, { sandbox: false });
    const broken = new Vault(dir, { kind: 'os', encrypt: async (s) => s, decrypt: async () => { throw new Error('keyring changed'); } });
    await broken.load();
    expect(broken.has('x:1')).toBe(false);
  });
});
