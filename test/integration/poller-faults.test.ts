import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageBatch, Status } from '../../shared/contract';
import type { Message } from '../../shared/model';
import { HostCore } from '../../electron/host/hostCore';
import { plaintextCipher } from '../../electron/host/vault';
import { SANDBOX_BRAND, startSandbox, type Sandbox } from '../../electron/sandbox/server';

/**
 * The poller against every fault the sandbox can force, over real HTTP. For each:
 * the stream recovers by itself, the new message arrives exactly once, nothing
 * delivered before is delivered again, and no request is made while the
 * platform said to wait.
 */
let sandbox: Sandbox;
let core: HostCore;
let batches: MessageBatch[];
let stored: Map<string, Message>;

const api = async (p: string, body?: unknown, method?: string) => {
  const res = await fetch(`${sandbox.url}${p}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
};

async function until<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeEach(async () => {
  sandbox = await startSandbox({ ratePerMinute: 0, historyPerChannel: 4, seed: 11 });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'webcare-faults-'));
  core = new HostCore({
    config: { dataDir, graphVersion: 'v25.0', xCallbackPorts: [0] },
    cipher: plaintextCipher,
    shell: 'browser',
    sandbox: { url: sandbox.url, xApiUrl: sandbox.xApiUrl, graphApiUrl: sandbox.graphApiUrl },
    pollIntervalMs: { x_mentions: 150, x_own: 5000, x_dms: 5000, fb_comments: 150, fb_messages: 5000 },
    requestTimeoutMs: 500,
    log: () => undefined,
  });
  batches = [];
  stored = new Map();
  // Ten times X's budgets, so busy streams are polled every few hundred ms instead of every 3 s.
  await fetch(`${sandbox.url}/__sandbox/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scale: 10 }) });
  core.onEvent((name, payload) => {
    if (name !== 'messagesArrived') return;
    const b = payload as MessageBatch;
    batches.push(b);
    for (const m of b.messages) stored.set(m.key, m);
    void core.dispatch('ackBatch', { batchId: b.batchId });
  });
  await core.start();
  core.clientConnected();
  await until(() => [...stored.values()].filter((m) => m.channel === 'x_mention').length >= 4 && [...stored.values()].some((m) => m.channel === 'fb_comment'), 'history');
});

afterEach(async () => {
  await core.stop();
  await sandbox.close();
});

function deliveredOnce() {
  const keys = batches.flatMap((b) => b.messages.map((m) => m.key));
  expect(keys.length).toBe(new Set(keys).size);
}

const X = `/x/2/users/${SANDBOX_BRAND.xUserId}/mentions`;
const G = '/graph/';

describe('the poller under faults', () => {
  it.each([
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
  ])('%s: recovers, delivers the new message once', async (_label, prefix, fault) => {
    const channel = prefix === X ? 'x_mention' : 'fb_comment';
    await api('/__sandbox/faults', { method: 'GET', path: prefix, times: 1, fault });
    const injected = await api('/__sandbox/inject', { channel, text: `Na storing ${Math.random()}` });
    await until(() => [...stored.values()].find((m) => m.platformId === injected.id), 'the message after the fault');
    deliveredOnce();
    const s = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
    expect(s.accounts.every((a) => a.state === 'connected')).toBe(true);
  });

  it('waits for the reset after a 429 instead of asking again', async () => {
    await api('/__sandbox/requests', undefined, 'DELETE');
    await api('/__sandbox/faults', { method: 'GET', path: X, times: 1, fault: { type: 'rateLimit', resetInSeconds: 2 } });
    const injected = await api('/__sandbox/inject', { channel: 'x_mention', text: 'Na 429' });
    await until(() => stored.has(`x_mention:${injected.id}`), 'the message after the reset');
    const mentions = (await api('/__sandbox/requests')).requests.filter((r: { path: string }) => r.path.endsWith('/mentions'));
    const limited = mentions.findIndex((r: { status: number }) => r.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    const next = mentions[limited + 1];
    expect(next.at - mentions[limited].at).toBeGreaterThanOrEqual(1000);
  });

  it('a usage cap stops the stream with a clear reason, other streams go on', async () => {
    await api('/__sandbox/faults', { method: 'GET', path: X, times: 0, fault: { type: 'usageCapped' } });
    await until(async () => {
      const s = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
      return s.streams.find((st) => st.kind === 'x_mentions')?.stopped === 'rateLimited';
    }, 'the capped stream to stop');
    const injected = await api('/__sandbox/inject', { channel: 'fb_comment', text: 'Facebook gaat door' });
    await until(() => [...stored.values()].find((m) => m.platformId === injected.id), 'Facebook still polled');
  });

  it('ids above 2^53 stay exact, and out-of-order or repeated items are not delivered twice', async () => {
    const ids = [...stored.values()].filter((m) => m.channel === 'x_mention').map((m) => BigInt(m.platformId));
    expect(ids.every((id) => id > 2n ** 53n)).toBe(true);
    for (let i = 0; i < 5; i++) await api('/__sandbox/inject', { channel: 'x_mention', text: `Snel na elkaar ${i}` });
    await until(() => [...stored.values()].filter((m) => m.text.startsWith('@polderpost Snel na elkaar')).length === 5, 'all five');
    // a burst paged over several pages, each page acknowledged before the next
    await api('/__sandbox/burst', { count: 350, channel: 'x_mention' });
    await until(() => [...stored.values()].filter((m) => m.channel === 'x_mention').length >= 4 + 5 + 350, 'the burst');
    deliveredOnce();
  });

  it('keeps polling with the sandbox clock an hour ahead or behind', async () => {
    for (const skewMs of [3600_000, -3600_000]) {
      await api('/__sandbox/clock', { skewMs });
      const injected = await api('/__sandbox/inject', { channel: 'x_mention', text: `Klok ${skewMs}` });
      await until(() => [...stored.values()].find((m) => m.platformId === injected.id), `the message with skew ${skewMs}`);
      const s = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
      const mentions = s.streams.find((st) => st.kind === 'x_mentions');
      expect((mentions?.nextPollAt ?? 0) - Date.now()).toBeLessThan(15 * 60_000 + 1000);
    }
    deliveredOnce();
  });
});
