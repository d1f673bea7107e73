// `npm run bench`: measured in Chromium against the browser host (not part of npm test).
//
// ingest: a 10,000-message burst from the sandbox, polled by the host core through
// twitter-api-v2, carried over the WebSocket and upserted into IndexedDB by the
// renderer's Dexie ingest, acknowledged page by page. Timed from the first burst
// message stored to the last, and compared with a raw IndexedDB bulk write of the
// same records (same object store schema) in the same page.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { benchBoard, boardReadyProbe } from './board.mjs';

const BURST = Number(process.env.BENCH_BURST ?? 10_000);
// Board, scroll, search and heap: each size measured in the same run; the first is the baseline.
const SIZES = (process.env.BENCH_SIZES ?? '1000,250000').split(',').map(Number);

async function launchHost() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'webcare-bench-'));
  const child = spawn(process.execPath, ['dist-electron/electron/start.js'], {
    env: { ...process.env, WEBCARE_SHELL: 'browser', WEBCARE_DATA_DIR: dataDir, WEBCARE_PORT: '0', WEBCARE_SANDBOX_RATE: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const urls = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${out}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const c = /^Console: (\S+)$/m.exec(out);
      const s = /^Sandbox: (\S+)/m.exec(out);
      if (c && s) {
        clearTimeout(timer);
        resolve({ consoleUrl: c[1], sandboxUrl: s[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`host exited ${code}:\n${out}`)));
  });
  return { ...urls, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGINT'); }) };
}

const host = await launchHost();
const browser = await chromium.launch({
  executablePath: process.env.WEBCARE_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  // No vsync and no frame-rate cap: a frame interval then measures the frame's cost (board.mjs scroll).
  args: ['--no-sandbox', '--disable-gpu', '--disable-gpu-vsync', '--disable-frame-rate-limit', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.addInitScript(boardReadyProbe);
  await page.goto(host.consoleUrl);

  // In-page helpers: count stored messages, and time the raw write.
  await page.evaluate(() => {
    const open = (name) => new Promise((res, rej) => { const r = indexedDB.open(name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    const done = (tx) => new Promise((res, rej) => { tx.oncomplete = res; tx.onerror = () => rej(tx.error); tx.onabort = () => rej(tx.error); });
    window.__bench = {
      async count() {
        const db = await open('webcare');
        try { const tx = db.transaction('messages'); const r = tx.objectStore('messages').count(); return await new Promise((res) => { r.onsuccess = () => res(r.result); }); } finally { db.close(); }
      },
      async records(prefix) {
        const db = await open('webcare');
        try {
          const tx = db.transaction('messages');
          const r = tx.objectStore('messages').getAll(IDBKeyRange.bound(prefix, prefix + '\uffff'));
          return await new Promise((res) => { r.onsuccess = () => res(r.result); });
        } finally { db.close(); }
      },
      async rawWrite(records) {
        // Mirror the live store's schema exactly, so both writes maintain the same indexes.
        const live = await open('webcare');
        const store = live.transaction('messages').objectStore('messages');
        const schema = { keyPath: store.keyPath, indexes: [...store.indexNames].map((n) => { const i = store.index(n); return { n, keyPath: i.keyPath, multiEntry: i.multiEntry, unique: i.unique }; }) };
        live.close();
        await new Promise((res) => { const d = indexedDB.deleteDatabase('raw-bench'); d.onsuccess = d.onerror = res; });
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open('raw-bench', 1);
          r.onupgradeneeded = () => { const s = r.result.createObjectStore('messages', { keyPath: schema.keyPath }); for (const i of schema.indexes) s.createIndex(i.n, i.keyPath, { multiEntry: i.multiEntry, unique: i.unique }); };
          r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error);
        });
        const t0 = performance.now();
        const tx = db.transaction('messages', 'readwrite');
        const s = tx.objectStore('messages');
        for (const rec of records) s.put(rec);
        await done(tx);
        const ms = performance.now() - t0;
        db.close();
        return ms;
      },
    };
  });

  // Let the initial sandbox history settle.
  let base = -1;
  for (let stable = 0; stable < 4; ) {
    await page.waitForTimeout(500);
    const n = await page.evaluate(() => window.__bench.count().catch(() => 0));
    stable = n === base && n > 0 ? stable + 1 : 0;
    base = n;
  }

  const before = base;
  await fetch(`${host.sandboxUrl}/__sandbox/burst`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: BURST, channel: 'x_mention' }) });
  // Timed in the page: first burst message stored → last burst message stored.
  const timing = await page.evaluate(async ({ before, burst }) => {
    let first = 0;
    const deadline = performance.now() + 300_000;
    for (;;) {
      const n = await window.__bench.count();
      const now = performance.now();
      if (!first && n > before) first = now;
      if (n >= before + burst) return { firstMs: first, lastMs: now, stored: n - before };
      if (now > deadline) return { firstMs: first, lastMs: now, stored: n - before, timedOut: true };
      await new Promise((r) => setTimeout(r, 20));
    }
  }, { before, burst: BURST });

  const ingestMs = timing.lastMs - timing.firstMs;
  const all = await page.evaluate(() => window.__bench.records('x_mention:'));
  const records = all.sort((a, b) => b.createdAt - a.createdAt).slice(0, BURST);
  const rawMs = await page.evaluate((recs) => window.__bench.rawWrite(recs), records);
  const result = {
    bench: 'ingest-burst',
    at: new Date().toISOString(),
    messages: timing.stored,
    ingest_ms: Math.round(ingestMs),
    ingest_msgs_per_s: Math.round((timing.stored / ingestMs) * 1000),
    raw_idb_ms: Math.round(rawMs),
    raw_idb_msgs_per_s: Math.round((records.length / rawMs) * 1000),
    ratio_to_raw: Number(((timing.stored / ingestMs) / (records.length / rawMs)).toFixed(3)),
    timed_out: Boolean(timing.timedOut),
  };
  const board = await benchBoard(page, SIZES);
  const [small, large] = SIZES.map((n) => board[n]);
  if (small && large) {
    const ratio = (a, b) => (a && b ? Number((b / a).toFixed(2)) : null);
    Object.assign(result, {
      board_sizes: SIZES,
      board_ready_ms: [small.board_ready_ms, large.board_ready_ms],
      board_ready_ratio: ratio(small.board_ready_ms, large.board_ready_ms),
      scroll_cards: [small.scroll_cards, large.scroll_cards],
      scroll_max_frame_ms: [small.scroll_max_frame_ms, large.scroll_max_frame_ms],
      scroll_median_frame_ms: [small.scroll_median_frame_ms, large.scroll_median_frame_ms],
      search_p95_ms: [small.search_p95_ms, large.search_p95_ms],
      heap_mb: [small.heap_mb, large.heap_mb],
      heap_ratio: ratio(small.heap_mb, large.heap_mb),
    });
  }
  result.board = board;
  await mkdir('bench/results', { recursive: true });
  await writeFile(`bench/results/ingest-${Date.now()}.json`, JSON.stringify(result, null, 2));
  console.log(`BENCH ${JSON.stringify(result)}`);
  console.log(`ingest: ${result.ingest_msgs_per_s} messages/s end to end (${result.messages} in ${result.ingest_ms} ms); raw IndexedDB bulk write: ${result.raw_idb_msgs_per_s} messages/s; ratio ${result.ratio_to_raw}`);
  for (const n of SIZES) {
    const b = board[n];
    console.log(
      `${n} messages: board ready ${b.board_ready_ms} ms; scroll ${b.scroll_cards} cards, max frame ${b.scroll_max_frame_ms} ms, median ${b.scroll_median_frame_ms} ms; search p95 ${b.search_p95_ms} ms (p50 ${b.search_p50_ms}); heap ${b.heap_mb} MB`,
    );
  }
} finally {
  await browser.close();
  await host.stop();
}
