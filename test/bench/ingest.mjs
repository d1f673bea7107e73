// ingest: 10,000-message bursts from the sandbox through the real path (the host's poller and
// twitter-api-v2, the WebSocket, the renderer's ingest into IndexedDB, acknowledged page by
// page), each timed in the page from its first message stored to its last; and raw IndexedDB
// writes of the same records (one transaction, a store with the live store's schema, in the
// same page and profile). Run alternately, REPS times each; median and min–max of both.

import { cpuSampler, cpuSpent } from './cpu.mjs';

/** Installed before every navigation: what the bench reads of the console's store, by plain IndexedDB. */
export function benchHelpers() {
  const req = (r) =>
    new Promise((res, rej) => {
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
  const done = (tx) =>
    new Promise((res, rej) => {
      tx.oncomplete = res;
      tx.onerror = () => rej(tx.error);
      tx.onabort = () => rej(tx.error);
    });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let conn = null;
  /** One connection for every read, let go when the console upgrades its schema. */
  const db = async () => {
    if (!conn) {
      conn = req(indexedDB.open('webcare')).then((d) => {
        d.onversionchange = () => {
          d.close();
          conn = null;
        };
        return d;
      });
    }
    return conn;
  };
  window.__bench = {
    /** Every stored message (walks the store: for small stores only). */
    async count() {
      const d = await db();
      return req(d.transaction('messages').objectStore('messages').count());
    },
    /** Messages of the last 7 hours (the sandbox's history is of the last 6): cheap at any size, it grows while the host hands over history. */
    async recent() {
      const d = await db();
      const index = d.transaction('messages').objectStore('messages').index('createdAt');
      return req(index.count(IDBKeyRange.lowerBound(Date.now() - 7 * 3600_000)));
    },
    /** The store's schema: its version, and each object store's key path and indexes. */
    async schema() {
      const d = await db();
      const names = [...d.objectStoreNames];
      const tx = d.transaction(names);
      return {
        version: d.version,
        stores: names.map((n) => {
          const s = tx.objectStore(n);
          return { n, keyPath: s.keyPath, autoIncrement: s.autoIncrement, indexes: [...s.indexNames].map((i) => [i, s.index(i).keyPath, s.index(i).multiEntry, s.index(i).unique]) };
        }),
      };
    },
    /** Stored messages with keys from `lo` to `hi`. */
    async countRange(lo, hi) {
      const d = await db();
      return req(d.transaction('messages').objectStore('messages').count(IDBKeyRange.bound(lo, hi)));
    },
    async records(lo, hi) {
      const d = await db();
      return req(d.transaction('messages').objectStore('messages').getAll(IDBKeyRange.bound(lo, hi)));
    },
    /** Keeps the stored messages with keys from `lo` to `hi` in the page, for rawWrite; their number. */
    async keepRecords(lo, hi) {
      this.kept = await this.records(lo, hi);
      return this.kept.length;
    },
    /** Keys waiting for the search index (0 when the console has no such queue). */
    async pending() {
      const d = await db();
      if (!d.objectStoreNames.contains('searchPending')) return 0;
      return req(d.transaction('searchPending').objectStore('searchPending').count());
    },
    /**
     * Waits for `expect` messages with keys from `lo` to `hi` (a burst's: X ids grow, so its keys
     * are one range): the first stored and the last, timed here in the page (polled every 20 ms
     * until the first, then every 250 ms, and every 50 ms from 90 %; a poll counts the burst's
     * own keys, not the whole store).
     */
    async waitStored({ lo, hi, expect, timeoutMs }) {
      let first = 0;
      let atStart = false;
      // The longest time the count stood still once the first message was stored: a wait of the poller
      // (a backoff, a page not fetched) shows as one long stall, a store slowed down all along does not.
      let last = { n: 0, at: 0 };
      let stallMs = 0;
      const deadline = performance.now() + timeoutMs;
      for (let polls = 0; ; polls++) {
        const n = await this.countRange(lo, hi);
        const now = performance.now();
        if (!first && n > 0) {
          first = now;
          // Stored before the first look: the first-stored time is late by up to the time it took to start looking.
          atStart = polls === 0;
        }
        if (n > last.n) last = { n, at: now };
        else if (first) stallMs = Math.max(stallMs, now - last.at);
        if (n >= expect) return { firstMs: first, lastMs: now, stored: n, timedOut: false, atStart, stallMs };
        if (now > deadline) return { firstMs: first, lastMs: now, stored: n, timedOut: true, atStart, stallMs };
        // A count is a read transaction the ingest's writes wait for: rarely while the burst comes in, often near its end.
        await sleep(!first ? 20 : n >= 0.9 * expect ? 50 : 250);
      }
    },
    /** Waits until nothing waits for the search index (twice in a row, 250 ms apart); ms waited. */
    async quiet(timeoutMs = 120_000) {
      const t0 = performance.now();
      for (let calm = 0; calm < 2 && performance.now() - t0 < timeoutMs; ) {
        await sleep(250);
        calm = (await this.pending()) === 0 ? calm + 1 : 0;
      }
      return performance.now() - t0;
    },
    /** One transaction putting `records` (else those kept) into a new store with the live messages store's schema. */
    async rawWrite(records = this.kept) {
      const live = await db();
      const store = live.transaction('messages').objectStore('messages');
      const schema = {
        keyPath: store.keyPath,
        indexes: [...store.indexNames].map((n) => {
          const i = store.index(n);
          return { n, keyPath: i.keyPath, multiEntry: i.multiEntry, unique: i.unique };
        }),
      };
      await new Promise((res) => {
        const d = indexedDB.deleteDatabase('raw-bench');
        d.onsuccess = d.onerror = res;
      });
      const open = indexedDB.open('raw-bench', 1);
      open.onupgradeneeded = () => {
        const s = open.result.createObjectStore('messages', { keyPath: schema.keyPath });
        for (const i of schema.indexes) s.createIndex(i.n, i.keyPath, { multiEntry: i.multiEntry, unique: i.unique });
      };
      const raw = await req(open);
      try {
        const t0 = performance.now();
        const tx = raw.transaction('messages', 'readwrite');
        const s = tx.objectStore('messages');
        for (const rec of records) s.put(rec);
        await done(tx);
        return performance.now() - t0;
      } finally {
        raw.close();
        await new Promise((res) => {
          const d = indexedDB.deleteDatabase('raw-bench');
          d.onsuccess = d.onerror = res;
        });
      }
    },
  };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function burst(sandboxUrl, count, channel = 'x_mention') {
  const res = await fetch(`${sandboxUrl}/__sandbox/burst`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count, channel }) });
  if (!res.ok) throw new Error(`burst refused: ${res.status} ${await res.text()}`);
  return res.json();
}

const polls = new WeakMap();

/**
 * Follows, for `page`, when the host will next poll the mentions: the host tells the console in
 * its status events (the health view's "next poll"), read here from the page's WebSocket.
 */
export function watchPolls(page) {
  const seen = { nextPollAt: null };
  polls.set(page, seen);
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string' || !payload.includes('nextPollAt')) return;
      try {
        const j = JSON.parse(payload);
        const stream = (j.payload ?? j.result?.value)?.streams?.find((x) => x.kind === 'x_mentions');
        if (typeof stream?.nextPollAt === 'number') seen.nextPollAt = stream.nextPollAt;
      } catch {
        // Not a status: nothing to learn.
      }
    }),
  );
}

/**
 * Asks the sandbox for `count` new mentions and waits in the page until all are stored. The
 * page starts looking as soon as the sandbox said which ids it made, before the host's next
 * poll can have read them (a poll, a page of the API, the WebSocket and a write come first).
 * The burst is asked for 2 s before the host's next poll of the mentions (watchPolls; a quiet
 * stream is polled every 10 to 40 s): the wait for that poll is no figure, only bench time.
 */
export async function timedBurst(page, sandboxUrl, count, { timeoutMs = 120_000, cpu = null } = {}) {
  const next = polls.get(page)?.nextPollAt ?? null;
  const wait = next === null ? 0 : next - 2_000 - Date.now();
  if (wait > 0 && wait < 60_000) await new Promise((r) => setTimeout(r, wait));
  const sampler = cpu && cpuSampler(cpu);
  const t0 = performance.now();
  const postedAt = await page.evaluate(() => performance.now());
  const b = await burst(sandboxUrl, count);
  const range = { lo: `x_mention:${b.firstId}`, hi: `x_mention:${b.lastId}` };
  const t = await page.evaluate((a) => window.__bench.waitStored(a), { ...range, expect: count, timeoutMs });
  let spent = null;
  if (sampler) {
    await sampler.stop();
    // The page's clock read as this process's: the two started together (within a round trip) at the request.
    const here = (pageMs) => t0 + (pageMs - postedAt);
    // From its first message stored to its last: the figure's time.
    spent = { storing: sampler.between(here(t.firstMs || postedAt), here(t.lastMs)) };
  }
  return { ...t, ...range, postedAt, waitedForPoll: Math.max(0, Math.round(wait)), cpu: spent };
}

export async function benchIngest(page, sandboxUrl, { burstSize, reps, cpu = null }) {
  const runs = [];
  let records = 0;
  for (let i = 0; i < reps; i++) {
    const wait_ms = await page.evaluate(() => window.__bench.quiet());
    const t = await timedBurst(page, sandboxUrl, burstSize, { cpu });
    const ms = t.lastMs - t.firstMs;
    // The same records every time: the first burst's, as the console stored them (kept in the page).
    records ||= await page.evaluate(({ lo, hi }) => window.__bench.keepRecords(lo, hi), t);
    // The raw write waits for the console's search indexing of the burst too: the store is as quiet as before the burst.
    const raw_wait_ms = await page.evaluate(() => window.__bench.quiet());
    const rawCpu0 = cpu && (await cpu());
    const rawT0 = performance.now();
    const rawMs = await page.evaluate(() => window.__bench.rawWrite());
    const rawCpu = cpu && cpuSpent(rawCpu0, await cpu(), performance.now() - rawT0);
    const run = {
      stored: t.stored,
      timed_out: t.timedOut,
      first_stored_before_looking: t.atStart,
      first_stored_after_ms: Math.round(t.firstMs - t.postedAt),
      waited_for_poll_ms: t.waitedForPoll,
      ingest_ms: Math.round(ms),
      longest_stall_ms: Math.round(t.stallMs),
      ingest_msgs_per_s: Math.round((t.stored / ms) * 1000),
      raw_ms: Math.round(rawMs),
      raw_msgs_per_s: Math.round((records / rawMs) * 1000),
      quiet_wait_ms: Math.round(wait_ms + raw_wait_ms),
      // CPU seconds by process: the burst (first stored → last stored) and the raw write (with its new store made and deleted).
      ingest_cpu_s: t.cpu?.storing ?? null,
      raw_cpu_s: rawCpu,
    };
    runs.push(run);
    console.error(`ingest run ${i + 1}/${reps}: ${JSON.stringify(run)}`);
  }
  const spread = (xs) => ({ median: Math.round(median(xs)), min: Math.min(...xs), max: Math.max(...xs) });
  const ingest = spread(runs.map((r) => r.ingest_msgs_per_s));
  const raw = spread(runs.map((r) => r.raw_msgs_per_s));
  // Per process, the median over the runs (null without `cpu`).
  const cpuMedian = (field) => {
    const all = runs.map((r) => r[field]).filter(Boolean);
    if (all.length === 0) return null;
    return Object.fromEntries(Object.keys(all[0]).map((k) => [k, median(all.map((c) => c[k]))]));
  };
  return {
    burst: burstSize,
    reps,
    ingest_cpu_s: cpuMedian('ingest_cpu_s'),
    raw_cpu_s: cpuMedian('raw_cpu_s'),
    ingest_msgs_per_s: ingest,
    raw_idb_msgs_per_s: raw,
    ratio_to_raw: Number((ingest.median / raw.median).toFixed(3)),
    all_stored: runs.every((r) => r.stored >= burstSize && !r.timed_out),
    runs,
  };
}
