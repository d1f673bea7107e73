import { describe, expect, it } from 'vitest';
import { ApiResponseError } from 'twitter-api-v2';
import type { Message } from '../../shared/model';
import { walkStream, type WalkSpec } from '../../electron/host/walk';

/**
 * The walk over a fake platform: a list of numbered messages, newest first,
 * served `per` at a time. A request is the index to read from.
 */
function platform(opts: { total: number; per: number; keepFirst?: number; budget: number; failAt?: Set<number> }) {
  let total = opts.total;
  const calls: number[] = [];
  const msg = (n: number): Message => ({
    key: `x_dm:${n}`,
    platformId: String(n),
    channel: 'x_dm',
    accountId: 'a',
    conversationId: 'c',
    author: { id: 'u', name: 'U', handle: 'u' },
    text: `m${n}`,
    createdAt: n * 1000,
    fromUs: false,
  });
  const spec: WalkSpec<{ from: number }, number> = {
    head: () => ({ from: total }),
    pageBudget: () => opts.budget,
    isNew: (m, floor) => floor === null || Number(m.platformId) > floor,
    advance: (mark, ms) => ms.reduce((a, m) => Math.max(a ?? 0, Number(m.platformId)), mark),
    lower: (a, b) => (a === null || b === null ? null : Math.min(a, b)),
    timeOf: (mark) => (mark === null ? null : mark * 1000),
    legacyMark: (c) => Number(c),
    async fetch(req, floor) {
      calls.push(req.from);
      if (opts.failAt?.has(calls.length)) {
        throw new ApiResponseError('Too Many Requests', { code: 429, data: { title: 'Too Many Requests' }, headers: {}, rateLimit: { limit: 15, remaining: 0, reset: Math.floor(Date.now() / 1000) + 60 } } as never);
      }
      // The platform keeps only the newest `keepFirst` (a window): older ones are gone.
      const oldestServed = opts.keepFirst ? Math.max(1, total - opts.keepFirst + 1) : 1;
      const ns: number[] = [];
      for (let n = req.from; n >= oldestServed && ns.length < opts.per; n--) ns.push(n);
      const last = ns[ns.length - 1];
      const reached = floor !== null && ns.some((n) => n <= floor);
      const more = !reached && last !== undefined && last > oldestServed ? [{ from: last - 1 }] : [];
      const endedEarly = floor !== null && !reached && more.length === 0 && (last ?? 0) - 1 > floor;
      return { messages: ns.map(msg), more, endedEarly, skipped: 0, perPage: opts.per };
    },
  };
  return {
    spec,
    calls,
    add(n: number) {
      total += n;
    },
  };
}

function collector() {
  const got = new Map<string, number>();
  const deliver = async (ms: Message[]) => {
    for (const m of ms) got.set(m.platformId, (got.get(m.platformId) ?? 0) + 1);
  };
  return { got, deliver };
}

const now = () => 200_000;

describe('walkStream', () => {
  it('a first poll reads one page and leaves no gap (history before the console is not a gap)', async () => {
    const p = platform({ total: 500, per: 100, budget: 10 });
    const c = collector();
    const r = await walkStream({ ...p.spec, firstPollPages: 1 }, undefined, c.deliver, now);
    expect(c.got.size).toBe(100);
    expect(r.gaps).toEqual([]);
    expect(JSON.parse(r.cursor as string).mark).toBe(500);
  });

  it('a burst larger than the budget leaves a gap that later polls fill, oldest first, each message once', async () => {
    const p = platform({ total: 10, per: 10, budget: 3 });
    const c = collector();
    let cursor = (await walkStream(p.spec, undefined, c.deliver, now)).cursor;
    p.add(95);
    const r1 = await walkStream(p.spec, cursor, c.deliver, now);
    cursor = r1.cursor;
    expect(r1.gaps).toHaveLength(1);
    expect(r1.gaps?.[0]).toMatchObject({ state: 'filling', reason: 'budget', from: 10_000, estimate: 10 });
    expect(r1.gaps?.[0]?.to).toBe(76_000);
    // New messages keep arriving at the top while the gap is read.
    p.add(5);
    for (let i = 0; i < 5 && JSON.parse(cursor as string).gaps.length; i++) cursor = (await walkStream(p.spec, cursor, c.deliver, now)).cursor;
    expect(JSON.parse(cursor as string).gaps).toEqual([]);
    for (let n = 1; n <= 110; n++) expect(c.got.get(String(n)), `message ${n}`).toBe(1);
  });

  it('a rate limit mid-walk keeps the rest as a gap and tells the poller to wait', async () => {
    const p = platform({ total: 10, per: 10, budget: 20, failAt: new Set([3]) });
    const c = collector();
    const first = await walkStream(p.spec, undefined, c.deliver, now);
    p.add(50);
    const r = await walkStream(p.spec, first.cursor, c.deliver, now);
    expect(r.gaps?.[0]).toMatchObject({ state: 'filling', reason: 'rateLimit' });
    expect(r.rate?.remaining).toBe(0);
    const again = await walkStream(p.spec, r.cursor, c.deliver, now);
    expect(again.gaps).toEqual([]);
    for (let n = 1; n <= 60; n++) expect(c.got.has(String(n)), `message ${n}`).toBe(true);
  });

  it('a list that ends before the last stored message leaves an unreachable gap, shown', async () => {
    const p = platform({ total: 10, per: 10, budget: 20, keepFirst: 30 });
    const c = collector();
    const first = await walkStream(p.spec, undefined, c.deliver, now);
    p.add(100);
    const r = await walkStream(p.spec, first.cursor, c.deliver, now);
    expect(r.gaps).toEqual([{ from: 10_000, to: 81_000, state: 'unreachable', reason: 'window' }]);
    expect(c.got.size).toBe(40);
  });

  it('reads a cursor written before walks existed as its mark', async () => {
    const p = platform({ total: 120, per: 100, budget: 5 });
    const c = collector();
    const r = await walkStream(p.spec, '100', c.deliver, now);
    expect([...c.got.keys()].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    expect(JSON.parse(r.cursor as string)).toMatchObject({ v: 2, mark: 120, gaps: [] });
  });
});
