import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { SavedSearch, StreamStatus } from '../../shared/model';
import { SANDBOX_BRAND } from '../../electron/sandbox/server';
import { FakeRenderer, until, world, type Requests, type World } from './harness';

/**
 * X polling against what the real X API does beyond the happy path: recent
 * search refuses a since_id older than its 7 days, pay-per-use answers 402 when
 * the credits are used up, a 24-hour limit's reset is hours away, and DM events
 * (no since_id) are billed per UTC day. The sandbox does each as X does; the host
 * must recover by itself, never stop a stream for good, and say what it waits for.
 */
let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

const DAY = 24 * 3600_000;
type Core = Awaited<ReturnType<World['core']>>;
type Billing = { days: Record<string, { usd: number; post: number; dm_event: number; user: number }> };

const status = async (core: Core) => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
const streamOf = (st: Status, kind: StreamStatus['kind']) => st.streams.find((s) => s.kind === kind)!;
const requests = async (api: World['api'], path: string, from = 0) => ((await api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path === path).slice(from);
const params = (q: { query: string }) => new URLSearchParams(q.query);
const SEARCH = '/x/2/tweets/search/recent';

/** A saved search with one hit stored, then the console closed. */
async function searchWithAHit(): Promise<{ w: World; search: SavedSearch; oldHit: string }> {
  const ww = await world();
  w = ww;
  // X's budgets times 100, so the quiet search is polled every few hundred ms instead of every 3 s.
  await ww.api('/__sandbox/limits', { scale: 100 });
  const core = await ww.core();
  const r = new FakeRenderer();
  r.attach(core);
  const x = (await status(core)).accounts.find((a) => a.platform === 'x')!;
  const search = ((await core.dispatch('saveXSearch', { accountId: x.id, query: 'pakket kwijt', name: 'Kwijt' })) as { ok: true; value: SavedSearch }).value;
  const hit = await ww.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'Weer een pakket kwijt bij Polderpost' });
  await until(() => r.stored.get(`x_search:${hit.id}`), 'the first hit');
  // A poll after it, so the mark is stored.
  const n = (await requests(ww.api, SEARCH)).length;
  await until(async () => (await requests(ww.api, SEARCH)).length > n + 1, 'a poll after the hit');
  await core.stop();
  return { w: ww, search, oldHit: hit.id };
}

describe('recent search and its 7 days', () => {
  it('a console back after 8 days reads the window instead of asking with the old since_id, shows the lost stretch, and goes on', async () => {
    const { w: ww, oldHit } = await searchWithAHit();
    const skew = 8 * DAY;
    await ww.api('/__sandbox/clock', { skewMs: skew });
    const fresh = await ww.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'Nog een pakket kwijt, na een week' });
    const from = (await requests(ww.api, SEARCH)).length;
    const core = await ww.core({ now: () => Date.now() + skew });
    const r = new FakeRenderer();
    r.attach(core);
    await until(() => r.stored.get(`x_search:${fresh.id}`), 'the hit inside the window');

    // Asked without the old since_id from the start (the host checked its age), inside the window.
    const asked = (await requests(ww.api, SEARCH, from)).filter((q) => q.status !== 401);
    expect(asked.every((q) => q.status === 200)).toBe(true);
    expect(params(asked[0]!).get('since_id')).toBeNull();
    const start = Date.parse(params(asked[0]!).get('start_time')!);
    expect(start).toBeGreaterThan(Date.now() + skew - 7 * DAY);

    // The stretch between the old hit and the window is shown as out of X's reach, once; the stream goes on.
    const gapShown = await until(async () => {
      const s = streamOf(await status(core), 'x_search');
      return s.gaps?.length ? s : null;
    }, 'the window gap');
    expect(gapShown.stopped).toBeUndefined();
    expect(gapShown.lastError).toBeUndefined();
    expect(gapShown.gaps).toEqual([expect.objectContaining({ state: 'unreachable', reason: 'window' })]);
    expect(gapShown.gaps![0]!.from).toBeLessThan(Date.now() + skew - 7 * DAY);
    // Later polls ask with since_id again, and the gap is not repeated.
    const n = (await requests(ww.api, SEARCH)).length;
    await until(async () => (await requests(ww.api, SEARCH)).length > n + 2, 'more polls');
    const later = (await requests(ww.api, SEARCH)).slice(n);
    expect(later.every((q) => q.status === 200 && params(q).has('since_id') && !params(q).has('start_time'))).toBe(true);
    expect(streamOf(await status(core), 'x_search').gaps).toHaveLength(1);
    expect(r.stored.has(`x_search:${oldHit}`)).toBe(false);
  });

  it("when X refuses the since_id anyway (its clock is not ours), it learns X's clock from the answer and recovers in the same poll", async () => {
    const { w: ww } = await searchWithAHit();
    await ww.api('/__sandbox/clock', { skewMs: 8 * DAY });
    const fresh = await ww.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'Pakket kwijt, en jullie klok loopt achter' });
    const from = (await requests(ww.api, SEARCH)).length;
    // This host's clock is 8 days behind X's: to it the mark looks fresh.
    const core = await ww.core();
    const r = new FakeRenderer();
    r.attach(core);
    await until(() => r.stored.get(`x_search:${fresh.id}`), 'the hit after the refusal');
    // (A 401 first: the access token expired in those 8 days, and is refreshed.)
    const asked = (await requests(ww.api, SEARCH, from)).filter((q) => q.status !== 401);
    const refused = asked.filter((q) => q.status === 400);
    expect(refused).toHaveLength(1);
    expect(params(refused[0]!).has('since_id')).toBe(true);
    expect(params(asked[0]!).has('since_id')).toBe(true);
    expect(params(asked[1]!).get('since_id')).toBeNull();
    expect(Date.parse(params(asked[1]!).get('start_time')!)).toBeGreaterThan(Date.now() + 8 * DAY - 7 * DAY);
    const n = (await requests(ww.api, SEARCH)).length;
    await until(async () => (await requests(ww.api, SEARCH)).length > n + 2, 'more polls');
    expect((await requests(ww.api, SEARCH)).slice(n).every((q) => q.status === 200 && params(q).has('since_id'))).toBe(true);
    const s = streamOf(await status(core), 'x_search');
    expect(s.stopped).toBeUndefined();
    expect(s.gaps).toEqual([expect.objectContaining({ state: 'unreachable', reason: 'window' })]);
  });

  it('a quiet search polled all week never loses its mark: no refusal, no gap', async () => {
    const ww = await world();
    w = ww;
    await ww.api('/__sandbox/limits', { scale: 100 });
    let skew = 0;
    const core = await ww.core({ now: () => Date.now() + skew });
    const r = new FakeRenderer();
    r.attach(core);
    const x = (await status(core)).accounts.find((a) => a.platform === 'x')!;
    await core.dispatch('saveXSearch', { accountId: x.id, query: 'pakket kwijt', name: 'Kwijt' });
    const hit = await ww.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'Pakket kwijt, en daarna een week stilte' });
    await until(() => r.stored.get(`x_search:${hit.id}`), 'the only hit');
    for (const days of [2, 5, 8]) {
      skew = days * DAY;
      await ww.api('/__sandbox/clock', { skewMs: skew });
      const n = (await requests(ww.api, SEARCH)).length;
      await until(async () => (await requests(ww.api, SEARCH)).length > n + 2, `polls on day ${days}`);
    }
    const all = await requests(ww.api, SEARCH);
    expect(all.filter((q) => q.status !== 200)).toEqual([]);
    expect(all.some((q) => params(q).has('start_time'))).toBe(false);
    const s = streamOf(await status(core), 'x_search');
    expect(s.gaps).toBeUndefined();
    expect(s.stopped).toBeUndefined();
  });
});

describe('X credits used up (402)', () => {
  it('keeps the account connected, says so, waits on a slow schedule and resumes by itself after a top-up', async () => {
    w = await world();
    const { api } = w;
    await api('/__sandbox/limits', { scale: 100 });
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    await until(() => r.of('x_dm').length > 0 && r.of('x_mention').length > 0, 'history');

    const fault = (await api('/__sandbox/faults', { path: '/x/2/', times: 0, fault: { type: 'creditsDepleted' } })) as { id: string };
    const waiting = await until(async () => {
      const st = await status(core);
      const x = st.streams.filter((s) => s.kind === 'x_mentions' || s.kind === 'x_dms' || s.kind === 'x_own');
      return x.every((s) => s.wait?.reason === 'creditsDepleted') ? st : null;
    }, 'every X stream waiting for credits');
    for (const s of waiting.streams.filter((x) => x.kind.startsWith('x_'))) {
      expect(s).toMatchObject({ lastError: 'creditsDepleted', wait: { reason: 'creditsDepleted' } });
      expect(s.stopped).toBeUndefined();
    }
    expect(waiting.accounts.find((a) => a.platform === 'x')).toMatchObject({ state: 'connected' });
    // A slow schedule: the mentions stream (every 100 ms here, 10 s by default) waits 90 of its intervals.
    const mentions = streamOf(waiting, 'x_mentions');
    expect(mentions.wait!.until - Date.now()).toBeGreaterThan(5_000);

    // The owner tops up: the next try succeeds, with no restart and no reconnect.
    const dm = await api('/__sandbox/inject', { channel: 'x_dm', text: 'Waar blijft mijn pakket?' });
    await new Promise((res) => setTimeout(res, 300));
    const hits = ((await api('/__sandbox/faults')) as { faults: { id: string; hits: number }[] }).faults.find((f) => f.id === fault.id)!.hits;
    expect(hits).toBeGreaterThan(2);
    await api(`/__sandbox/faults/${fault.id}`, undefined, 'DELETE');
    await until(() => r.stored.get(`x_dm:${dm.id}`), 'the DM after the top-up');
    await until(async () => {
      const after = streamOf(await status(core), 'x_dms');
      return after.lastOkAt !== undefined && after.wait === undefined && after.lastError === undefined;
    }, 'the DM stream healthy again');
  });
});

describe("X's 24-hour limits", () => {
  it('a 429 whose 24-hour reset is hours away waits that long, without asking again, and says until when', async () => {
    w = await world();
    const { api } = w;
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    await until(() => r.of('x_mention').length > 0, 'history');
    const path = `/x/2/users/${SANDBOX_BRAND.xUserId}/mentions`;
    const fault = (await api('/__sandbox/faults', { path, times: 1, fault: { type: 'rateLimit', day: 'user', resetInSeconds: 5 * 3600 } })) as { id: string };
    const s = await until(async () => {
      const m = streamOf(await status(core), 'x_mentions');
      return m.wait ? m : null;
    }, 'the mentions stream waiting');
    expect(((await api('/__sandbox/faults')) as { faults: { id: string }[] }).faults.some((f) => f.id === fault.id)).toBe(false);
    expect(s.wait!.reason).toBe('rateLimited');
    expect(s.wait!.until - Date.now()).toBeGreaterThan(5 * 3600_000 - 60_000);
    expect(s.wait!.until - Date.now()).toBeLessThan(5 * 3600_000 + 60_000);
    expect(s.stopped).toBeUndefined();
    const n = (await requests(api, path)).length;
    await new Promise((res) => setTimeout(res, 600));
    expect((await requests(api, path)).length).toBe(n);
  });
});

describe('DM polling and the bill', () => {
  it('an idle DM inbox is billed one DM event a day; new DMs are read in full, and the estimate matches the bill', async () => {
    w = await world({ historyPerChannel: 12 });
    const { api } = w;
    await api('/__sandbox/limits', { scale: 100 });
    let skew = 0;
    const core = await w.core({ now: () => Date.now() + skew });
    const r = new FakeRenderer();
    r.attach(core);
    await until(() => r.of('x_dm').length >= 12, 'the DM history');
    const DMS = '/x/2/dm_events';

    // The next UTC day, on both clocks.
    const sandboxNow = ((await api('/__sandbox/state')) as { now: number }).now;
    skew = Math.ceil((sandboxNow + 1) / DAY) * DAY + 60_000 - Date.now();
    await api('/__sandbox/clock', { skewMs: skew });
    const day = new Date(Date.now() + skew).toISOString().slice(0, 10);
    const n = (await requests(api, DMS)).length;
    await until(async () => (await requests(api, DMS)).length > n + 4, 'DM polls on the new day');
    const idle = ((await api('/__sandbox/billing')) as Billing).days[day]!;
    expect(idle.dm_event).toBe(1);
    // Each of those polls asked for the newest event only.
    expect((await requests(api, DMS)).slice(n + 1).every((q) => params(q).get('max_results') === '1')).toBe(true);
    const dms = () => streamOf(core.status(), 'x_dms');
    await until(() => dms().itemsToday === 1, () => `the estimate of the idle day: ${JSON.stringify(dms())}`);
    expect(dms().costTodayUsd).toBeCloseTo(0.01, 6);

    // Something new: it arrives, and the estimate still matches what X bills.
    const sent = await Promise.all([1, 2, 3].map((i) => api('/__sandbox/inject', { channel: 'x_dm', text: `Nieuwe vraag ${i}` })));
    await until(() => sent.every((m) => r.stored.has(`x_dm:${m.id}`)), 'the new DMs');
    await until(async () => {
      const bill = ((await api('/__sandbox/billing')) as Billing).days[day]!;
      return Math.abs(bill.usd - dms().costTodayUsd) < 1e-9 && bill.dm_event === dms().itemsToday;
    }, () => `the estimate (${dms().itemsToday}) to match the bill`);
    const busy = ((await api('/__sandbox/billing')) as Billing).days[day]!;
    // Not the 100 a full page re-reads: the probe, the three new ones and the page of ten that found the floor.
    expect(busy.dm_event).toBeLessThanOrEqual(1 + 3 + 10);
  });
});
