import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_BRAND, startSandbox, type Sandbox } from '../../electron/sandbox/server.js';

/**
 * The sandbox's X behaviours beyond the happy path, over real HTTP: recent
 * search and its 7 days, pay-per-use credits (402), 24-hour limits, the Date
 * header on the sandbox's clock, and the bill per UTC day.
 */
let sb: Sandbox;
const BRAND = SANDBOX_BRAND.xUserId;
const DAY = 24 * 3600_000;
const TWEPOCH = 1288834974657n;
const idAt = (ms: number) => ((BigInt(ms) - TWEPOCH) << 22n).toString();

async function call(path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(sb.url + path, { ...init, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire bodies are checked field by field
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as any };
}
const post = (path: string, json?: unknown) => call(path, { method: 'POST', json });
let token = '';
const x = (path: string) => call(`/x${path}`, { headers: { authorization: `Bearer ${token}` } });
const now = async () => (await call('/__sandbox/state')).body.now as number;
const billing = async () => (await call('/__sandbox/billing')).body.days as Record<string, { usd: number; post: number; dm_event: number; user: number }>;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

beforeAll(async () => {
  sb = await startSandbox({ ratePerMinute: 0, seed: 5, historyPerChannel: 5 });
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  await post('/__sandbox/reset');
  token = (await post('/__sandbox/x/token')).body.access_token;
});

describe('recent search and its 7 days', () => {
  it('refuses a since_id or until_id older than the window with X\'s 400 problem, and names the oldest id it takes', async () => {
    const t = await now();
    const old = idAt(t - 8 * DAY);
    for (const name of ['since_id', 'until_id']) {
      const r = await x(`/2/tweets/search/recent?query=pakket&${name}=${old}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' });
      expect(r.body.errors).toEqual([{ parameters: { [name]: [old] }, message: expect.stringMatching(new RegExp(`^'${name}' must be a tweet id created after \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}Z\\. Please use a '${name}' that is larger than \\d+$`)) }]);
      const larger = BigInt(/larger than (\d+)$/.exec(r.body.errors[0].message)![1]!);
      expect(larger).toBeGreaterThan(BigInt(old));
      // That id itself is taken.
      expect((await x(`/2/tweets/search/recent?query=pakket&${name}=${larger + 1n}`)).status).toBe(200);
    }
    // Mentions have no such window.
    expect((await x(`/2/users/${BRAND}/mentions?since_id=${old}`)).status).toBe(200);
  });

  it('honours start_time inside the window, refuses it outside, and refuses ids next to times', async () => {
    const t = await now();
    const hit = (await post('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'pakket kwijt vandaag' })).body;
    const inside = new Date(t - 60_000).toISOString();
    const r = await x(`/2/tweets/search/recent?query=${encodeURIComponent('pakket kwijt')}&start_time=${inside}`);
    expect(r.body.data.map((p: { id: string }) => p.id)).toEqual([hit.id]);
    expect((await x(`/2/tweets/search/recent?query=pakket&start_time=${new Date(t + 60_000).toISOString()}`)).body).toEqual({ meta: { result_count: 0 } });
    expect((await x(`/2/tweets/search/recent?query=pakket&start_time=${new Date(t - 8 * DAY).toISOString()}`)).status).toBe(400);
    const mixed = await x(`/2/tweets/search/recent?query=pakket&until_id=${hit.id}&start_time=${inside}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors[0].message).toBe("Invalid use of 'since_id' or 'until_id' in conjunction with 'start_time' or 'end_time'.");
  });
});

describe('faults', () => {
  it('creditsDepleted: 402 with the credits-depleted problem for that many requests, then normal', async () => {
    const id = (await post('/__sandbox/faults', { path: '/x/2/', times: 2, fault: { type: 'creditsDepleted' } })).body.id;
    for (let i = 0; i < 2; i++) {
      const r = await x(`/2/users/${BRAND}/mentions`);
      expect(r.status).toBe(402);
      expect(r.body).toEqual({ title: 'Payment Required', detail: 'credits depleted', type: 'https://api.x.com/2/problems/credits-depleted' });
    }
    expect((await x(`/2/users/${BRAND}/mentions`)).status).toBe(200);
    expect((await call('/__sandbox/faults')).body.faults.some((f: { id: string }) => f.id === id)).toBe(false);
    expect((await post('/__sandbox/faults', { path: '/x/', fault: { type: 'rateLimit', day: 'week' } })).status).toBe(400);
  });

  it("rateLimit with day: a spent 24-hour limit, its reset hours away, the 15-minute window not spent", async () => {
    await post('/__sandbox/faults', { path: '/x/2/tweets', fault: { type: 'rateLimit', day: 'user', resetInSeconds: 5 * 3600 } });
    const r = await call('/x/2/tweets', { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: { text: 'hallo' } });
    expect(r.status).toBe(429);
    const t = Math.floor((await now()) / 1000);
    expect(Number(r.headers.get('x-rate-limit-remaining'))).toBeGreaterThan(0);
    expect(r.headers.get('x-user-limit-24hour-remaining')).toBe('0');
    expect(Number(r.headers.get('x-user-limit-24hour-reset')) - t).toBeGreaterThan(5 * 3600 - 10);
    expect(Number(r.headers.get('x-user-limit-24hour-reset')) - t).toBeLessThanOrEqual(5 * 3600);
  });
});

describe('clock and bill', () => {
  it('dates every answer on the sandbox clock', async () => {
    await post('/__sandbox/clock', { skewMs: 3 * 3600_000 });
    const r = await x('/2/users/me');
    expect(Math.abs(Date.parse(r.headers.get('date')!) - (Date.now() + 3 * 3600_000))).toBeLessThan(5_000);
  });

  it('bills each resource once per UTC day at its price: owned reads, search results, DM events', async () => {
    const t = await now();
    const mentions = (await x(`/2/users/${BRAND}/mentions?max_results=5`)).body.data.length as number;
    await x(`/2/users/${BRAND}/mentions?max_results=5`);
    const dms = (await x('/2/dm_events?max_results=3')).body.data.length as number;
    await x('/2/dm_events?max_results=1');
    const hit = (await post('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'rekeningnummer kwijt' })).body;
    expect((await x('/2/tweets/search/recent?query=rekeningnummer')).body.data).toEqual([expect.objectContaining({ id: hit.id })]);
    let days = await billing();
    expect(days[dayOf(t)]).toEqual({ usd: Math.round((mentions * 0.001 + 0.005 + dms * 0.01) * 10_000) / 10_000, post: mentions + 1, dm_event: dms, user: 0 });
    // The same reads on the next UTC day are billed again.
    await post('/__sandbox/clock', { skewMs: Math.ceil(t / DAY) * DAY + 60_000 - Date.now() });
    const next = await now();
    token = (await post('/__sandbox/x/token')).body.access_token;
    await x('/2/dm_events?max_results=1');
    days = await billing();
    expect(days[dayOf(next)]).toEqual({ usd: 0.01, post: 0, dm_event: 1, user: 0 });
    expect(days[dayOf(t)]!.dm_event).toBe(dms);
  });
});
