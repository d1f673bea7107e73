import { describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import { SANDBOX_BRAND } from '../../electron/sandbox/server';
import { FakeRenderer, world, until as waitUntil } from './harness';

/**
 * The poller against every fault the sandbox can force, over real HTTP. For each:
 * the stream recovers by itself, the new message arrives exactly once, nothing
 * delivered before is delivered again, and no request is made while the
 * platform said to wait.
 */
const until = <T>(fn: () => T | Promise<T>, what: string, timeoutMs = 15_000) => waitUntil(fn, what, timeoutMs);

/** A world of its own for one test: mentions and comments polled fast, their history delivered. */
async function started(onFinished: (fn: () => Promise<void>) => void) {
  // Ten times X's budgets, so busy streams are polled every few hundred ms instead of every 3 s.
  const w = await world({ historyPerChannel: 4, seed: 11, limits: { scale: 10 } });
  onFinished(() => w.close());
  const r = new FakeRenderer();
  const core = await w.core({
    pollIntervalMs: { x_mentions: 150, x_own: 5000, x_dms: 5000, fb_comments: 150, fb_messages: 5000 },
    requestTimeoutMs: 500,
    renderer: r,
  });
  await until(() => r.of('x_mention').length >= 4 && r.of('fb_comment').length > 0, 'history');
  const deliveredOnce = () => {
    const keys = r.batches.flatMap((b) => b.messages.map((m) => m.key));
    expect(keys.length).toBe(new Set(keys).size);
  };
  const api = (p: string, body?: unknown, method?: string) => w.api(p, body, method);
  return { w, core, r, api, deliveredOnce };
}

const X = `/x/2/users/${SANDBOX_BRAND.xUserId}/mentions`;
const G = '/graph/';

describe('the poller under faults', () => {
  // Each row has a world of its own, so the rows run side by side.
  it.concurrent.for([
    ['X 429 with reset ahead', X, { type: 'rateLimit', resetInSeconds: 2 }],
    ['X 429 with reset in the past', X, { type: 'rateLimit', resetInSeconds: -30 }],
    ['X 429 without a reset header', X, { type: 'rateLimit', resetInSeconds: null }],
    ['X 429 with Retry-After in seconds', X, { type: 'rateLimit', resetInSeconds: null, retryAfter: '1' }],
    ['X 429 with Retry-After as a date', X, { type: 'rateLimit', resetInSeconds: null, retryAfter: new Date(Date.now() + 1500).toUTCString() }],
    ['X 500', X, { type: 'status', status: 500 }],
    ['X 502 with an HTML page', X, { type: 'html', status: 502 }],
    ['X 503', X, { type: 'status', status: 503 }],
    ['X 504', X, { type: 'status', status: 504 }],
    ['X timeout', X, { type: 'timeout' }],
    ['X connection reset', X, { type: 'reset' }],
    ['X truncated JSON', X, { type: 'malformed' }],
    ['Graph 500', G, { type: 'status', status: 500 }],
    ['Graph HTML 502', G, { type: 'html', status: 502 }],
    ['Graph timeout', G, { type: 'timeout' }],
    ['Graph reset', G, { type: 'reset' }],
    ['Graph truncated JSON', G, { type: 'malformed' }],
    ['Graph throttled (80001)', G, { type: 'rateLimit', resetInSeconds: 1 }],
  ] as const)('%s: recovers, delivers the new message once', async ([, prefix, fault], { expect, onTestFinished }) => {
    const { api, core, r, deliveredOnce } = await started(onTestFinished);
    const channel = prefix === X ? 'x_mention' : 'fb_comment';
    await api('/__sandbox/faults', { method: 'GET', path: prefix, times: 1, fault });
    const injected = await api('/__sandbox/inject', { channel, text: `Na storing ${Math.random()}` });
    await until(() => [...r.stored.values()].find((m) => m.platformId === injected.id), 'the message after the fault');
    deliveredOnce();
    const s = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
    expect(s.accounts.every((a) => a.state === 'connected')).toBe(true);
  });

  it('waits for the reset after a 429 instead of asking again', async ({ onTestFinished }) => {
    const { api, r } = await started(onTestFinished);
    await api('/__sandbox/requests', undefined, 'DELETE');
    await api('/__sandbox/faults', { method: 'GET', path: X, times: 1, fault: { type: 'rateLimit', resetInSeconds: 2 } });
    const injected = await api('/__sandbox/inject', { channel: 'x_mention', text: 'Na 429' });
    await until(() => r.stored.has(`x_mention:${injected.id}`), 'the message after the reset');
    const mentions = (await api('/__sandbox/requests')).requests.filter((r: { path: string }) => r.path.endsWith('/mentions'));
    const limited = mentions.findIndex((r: { status: number }) => r.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    const next = mentions[limited + 1];
    expect(next.at - mentions[limited].at).toBeGreaterThanOrEqual(1000);
  });

  it('a usage cap stops the stream with a clear reason, other streams go on', async ({ onTestFinished }) => {
    const { api, core, r } = await started(onTestFinished);
    await api('/__sandbox/faults', { method: 'GET', path: X, times: 0, fault: { type: 'usageCapped' } });
    await until(async () => {
      const s = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
      return s.streams.find((st) => st.kind === 'x_mentions')?.stopped === 'rateLimited';
    }, 'the capped stream to stop');
    const injected = await api('/__sandbox/inject', { channel: 'fb_comment', text: 'Facebook gaat door' });
    await until(() => [...r.stored.values()].find((m) => m.platformId === injected.id), 'Facebook still polled');
  });

  it('ids above 2^53 stay exact, and out-of-order or repeated items are not delivered twice', async ({ onTestFinished }) => {
    const { api, r, deliveredOnce } = await started(onTestFinished);
    const ids = [...r.stored.values()].filter((m) => m.channel === 'x_mention').map((m) => BigInt(m.platformId));
    expect(ids.every((id) => id > 2n ** 53n)).toBe(true);
    for (let i = 0; i < 5; i++) await api('/__sandbox/inject', { channel: 'x_mention', text: `Snel na elkaar ${i}` });
    await until(() => [...r.stored.values()].filter((m) => m.text.startsWith('@polderpost Snel na elkaar')).length === 5, 'all five');
    // a burst paged over several pages, each page acknowledged before the next
    await api('/__sandbox/burst', { count: 350, channel: 'x_mention' });
    await until(() => [...r.stored.values()].filter((m) => m.channel === 'x_mention').length >= 4 + 5 + 350, 'the burst');
    deliveredOnce();
  });

  it('keeps polling with the sandbox clock an hour ahead or behind', async ({ onTestFinished }) => {
    const { api, core, r, deliveredOnce } = await started(onTestFinished);
    for (const skewMs of [3600_000, -3600_000]) {
      await api('/__sandbox/clock', { skewMs });
      const injected = await api('/__sandbox/inject', { channel: 'x_mention', text: `Klok ${skewMs}` });
      await until(() => [...r.stored.values()].find((m) => m.platformId === injected.id), `the message with skew ${skewMs}`);
      const s = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
      const mentions = s.streams.find((st) => st.kind === 'x_mentions');
      expect((mentions?.nextPollAt ?? 0) - Date.now()).toBeLessThan(15 * 60_000 + 1000);
    }
    deliveredOnce();
  });
});
