// Board, scroll, search, heap and storm at scale, measured in the page against the browser host,
// in a persistent Chromium profile: IndexedDB is the on-disk store the console uses (run.mjs).
//
// For each size (1,000 and 250,000 messages; BENCH_QUICK: 25,000), in the same browser and run:
//  - seed (seed.mjs): realistic generated Dutch and English webcare messages written straight
//    into the console's IndexedDB with the search rows the console's own code makes; then the
//    store is left to settle (run.mjs: its files stop changing) before anything is measured;
//  - board_ready_ms: navigation start of a reload → every column shows cards (or its empty state);
//  - heap_mb: JS heap after load and a forced GC (CDP Runtime.getHeapUsage);
//  - scroll: the fullest column scrolled card by card (5,000 cards or as many as it holds), one
//    scroll step per animation frame; max and median frame interval. The browser runs without
//    vsync and frame-rate limit (run.mjs), so an interval is what the frame cost, not the
//    display's 16.7 ms refresh; only frames that scrolled are counted;
//  - search: queries typed into the search panel, each twice; p50/p95 of query → results on
//    screen, from the panel's `webcare:search` performance measures. Word prefixes, and the
//    codes agents paste or type: the start every tracking code shares (`3SPLD`, thousands of
//    distinct words), a postcode both ways (`1012 AB`, `1012ab`), a whole tracking code and an
//    order number taken from the seeded data (search_codes_p95_ms on their own);
//  - reports (reports.mjs): the reports screen over the whole store, and a grouping switch;
//  - storm (storm.mjs): a burst arrives while the column scrolls and a reply is typed.
import { writeFileSync } from 'node:fs';
import { installSeeder } from './seed.mjs';
import { benchReports } from './reports.mjs';
import { benchStorm } from './storm.mjs';

const WORD_QUERIES = [
  'pakk', 'bezorg', 'verbin', 'retour', 'klacht', 'amster', 'parcel', 'refund', 'deliv', 'thuis',
  'vriendel', 'adres wijz', 'pakket bescha', 'afhaal', 'track', 'driver', 'rotter', 'excuses', 'geld terug', 'brievenbus',
  'zoë', 'cafe', 'app verbin', 'late', 'waar blijft', 'klantenserv', 'utre', 'damaged', 'label', 'niet bezorgd',
];

/** Codes as agents type or paste them; the whole ones exist in the seeded store (`sample` from seed.mjs). */
function codeQueries(sample) {
  const q = ['3SPLD', '3spld', '3spld12'];
  if (sample.code) q.push(sample.code);
  if (sample.postcode) q.push(`${sample.postcode.area} ${sample.postcode.letters}`, `${sample.postcode.area}${sample.postcode.letters}`.toLowerCase());
  if (sample.order) q.push(sample.order);
  return q;
}

/** Installed before every navigation: notes when every column first shows cards or its empty state. */
export function boardReadyProbe() {
  // Not on the bench's own page of the console's origin (seedStore): there is no board to wait for.
  if (location.pathname.startsWith('/__bench')) return;
  const check = () => {
    if (window.__appShown === undefined && document.querySelector('.app')) window.__appShown = performance.now();
    if (window.__columnsShown === undefined && document.querySelector('section.column')) window.__columnsShown = performance.now();
    const cols = [...document.querySelectorAll('section.column:not(.column--collapsed)')];
    const ready =
      cols.length > 0 &&
      cols.every((c) => !c.querySelector('[aria-busy="true"]') && (c.querySelector('[data-testid="card"]') || c.querySelector('.column-state--empty')));
    if (ready) window.__boardReady = { at: performance.now(), columns: cols.length };
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

async function waitBoardReady(page) {
  await page.waitForFunction(() => window.__boardReady !== undefined, undefined, { timeout: 120_000 });
  return page.evaluate(() => window.__boardReady);
}

async function heapMb(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return Number((usedSize / 1024 / 1024).toFixed(1));
}

/** Scrolls the fullest column one step per frame until `cards` cards went by or its end; frame intervals. */
async function scrollColumn(page, cards) {
  return page.evaluate(async (target) => {
    const bodies = [...document.querySelectorAll('section.column .column-body')];
    const body = bodies.sort((a, b) => b.scrollHeight - a.scrollHeight)[0];
    if (!body) return { cards: 0, frames: [] };
    const rows = () => [...body.querySelectorAll('[data-index]')].map((e) => Number(e.getAttribute('data-index')));
    const frames = [];
    let last = performance.now();
    let maxIndex = 0;
    let waited = 0;
    let scrolled = false;
    await new Promise((resolve) => {
      const step = (t) => {
        // Only frames that carried a scroll step count: waiting for a column to read further is not scrolling.
        if (scrolled) frames.push(t - last);
        last = t;
        scrolled = false;
        maxIndex = Math.max(maxIndex, ...rows());
        const atEnd = body.scrollTop + body.clientHeight >= body.scrollHeight - 2;
        if (maxIndex >= target || frames.length > 20000) return resolve();
        if (atEnd) {
          // A column that reads further as the end nears gets up to 3 s to grow; frames keep counting.
          waited = waited || t;
          if (t - waited > 3000) return resolve();
        } else {
          waited = 0;
          body.scrollTop += 360; // about three cards per frame
          scrolled = true;
        }
        requestAnimationFrame(step);
      };
      requestAnimationFrame((t) => {
        last = t;
        requestAnimationFrame(step);
      });
    });
    return { cards: maxIndex + 1, frames };
  }, cards);
}

/** Query → results on screen for each query, typed `times` times in turn; a query with no answer in QUERY_TIMEOUT_MS counts as that. */
const QUERY_TIMEOUT_MS = 60_000;
async function searchTimes(page, queries, times = 2) {
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  if ((await page.getByTestId('search-input').count()) === 0) await page.getByTestId('search-open').click();
  const input = page.getByTestId('search-input');
  const out = [];
  for (let round = 0; round < times; round++) {
    for (const q of queries) {
      const before = await page.evaluate(() => performance.getEntriesByName('webcare:search').length);
      await input.fill(q);
      const answered = await page
        .waitForFunction((n) => performance.getEntriesByName('webcare:search').length > n, before, { timeout: QUERY_TIMEOUT_MS })
        .then(() => true, () => false);
      const [ms, queryMs] = answered
        ? await page.evaluate(() => [performance.getEntriesByName('webcare:search').at(-1).duration, performance.getEntriesByName('webcare:search-query').at(-1)?.duration ?? null])
        : [QUERY_TIMEOUT_MS, null];
      out.push({ q, ms, queryMs, answered });
      await input.fill('');
    }
  }
  await page.keyboard.press('Escape');
  return out;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : null;
};
const r1 = (x) => (x === null ? null : Number(x.toFixed(1)));

/**
 * BENCH_PROFILE=1 (or =search) profiles the search phase of the largest size; =scroll, =ready and
 * =storm profile those phases instead. The top self times go to stderr; the figures are measured as usual.
 */
async function profiled(cdp, phase, largest, fn) {
  if (largest && process.env.BENCH_TRACE === phase) return traced(cdp, phase, fn);
  const want = process.env.BENCH_PROFILE === '1' ? 'search' : process.env.BENCH_PROFILE;
  if (!largest || want !== phase) return fn();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  const result = await fn();
  const { profile } = await cdp.send('Profiler.stop');
  // BENCH_PROFILE_OUT=file.cpuprofile keeps the profile (DevTools opens it).
  if (process.env.BENCH_PROFILE_OUT) writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile));
  const self = new Map();
  const dt = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  (profile.samples ?? []).forEach((id, i) => {
    const n = byId.get(id);
    const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
    self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  console.error(`profile of ${phase} (self ms):`, [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0)} ${k}`).join('\n  '));
  return result;
}

/**
 * BENCH_TRACE=storm (or scroll, search, ready) records a Chromium trace of that phase of the largest size
 * and prints, for the page's main thread, the time of its trace events by name (inclusive, so nested
 * events count in each: style, layout, paint, scripts, IndexedDB answers...), over the phase and inside
 * its tasks of more than 50 ms: what a long frame is made of.
 */
async function traced(cdp, phase, fn) {
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => {
    for (const v of e.value) events.push(v);
  });
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'blink', ...(process.env.BENCH_TRACE_OUT ? ['disabled-by-default-devtools.timeline.invalidationTracking', 'disabled-by-default-devtools.timeline.stack'] : [])] }, transferMode: 'ReportEvents' });
  const result = await fn();
  await cdp.send('Tracing.end');
  await done;
  // BENCH_TRACE_OUT=file.json keeps the trace (Chrome's trace event format) for a closer look.
  if (process.env.BENCH_TRACE_OUT) writeFileSync(process.env.BENCH_TRACE_OUT, JSON.stringify({ traceEvents: events }));
  // The renderer's main thread: the thread of the page's frame commits (CrRendererMain).
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && typeof e.dur === 'number');
  // Events by their type (keydown, input, success, complete, scroll...): IndexedDB answers are events too.
  const nameOf = (e) => (e.name === 'EventDispatch' && e.args?.data?.type ? `EventDispatch ${e.args.data.type}` : e.name);
  const sum = (list) => {
    const by = new Map();
    for (const e of list) by.set(nameOf(e), (by.get(nameOf(e)) ?? 0) + e.dur / 1000);
    return [...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${v.toFixed(0)} ${k}`).join('\n  ');
  };
  const tasks = new Set(onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask'));
  const long = [...tasks].filter((e) => e.dur > 50_000);
  const span = onMain.reduce((m, e) => Math.max(m, e.ts + e.dur), 0) / 1000 - onMain.reduce((m, e) => Math.min(m, e.ts), Infinity) / 1000;
  console.error(`trace of ${phase}: ${span.toFixed(0)} ms on the main thread, ${tasks.size} tasks, ${long.length} over 50 ms`);
  console.error(`  all events by name (inclusive ms):\n  ${sum(onMain.filter((e) => !tasks.has(e)))}`);
  // What the long tasks held: the events inside them.
  const inside = onMain.filter((e) => !tasks.has(e) && long.some((t) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur));
  console.error(`  inside the ${long.length} tasks over 50 ms (inclusive ms):\n  ${sum(inside)}`);
  return result;
}

/**
 * Replaces the store's messages with `size` seeded ones, in a page of the console's origin where
 * the console does not run (the host answers 404: nothing reads or writes the store meanwhile),
 * and waits for the store to settle (`settle()`: its files stop changing). `cpu()`: the browser's
 * CPU seconds so far, so that what seeding cost is known whatever else the machine runs.
 * The page stays there: measureBoard opens the console.
 */
export async function seedStore(page, size, { settle, cpu }) {
  await page.goto(`${new URL(page.url()).origin}/__bench-seed`);
  await installSeeder(page);
  const cpu0 = await cpu();
  const seed = await page.evaluate((n) => window.__seed(n), size);
  const seedCpu = Number(((await cpu()) - cpu0).toFixed(1));
  const settleMs = await settle();
  console.error(`seeded ${size} in ${Math.round(seed.ms)} ms (${seedCpu} CPU-s in the browser, ${seed.words_per_row} words a row), store settled in ${settleMs} ms`);
  return { seed_ms: Math.round(seed.ms), seed_cpu_s: seedCpu, seed_words_per_row: seed.words_per_row, settle_ms: settleMs, sample: seed.sample };
}

/**
 * The figures of a seeded store (`seeded`: what seedStore returned), from opening the console
 * (`consoleUrl`) on. `quick`: each search query once, 2,000 cards scrolled. `storm`: sandbox URL and burst size, or null for none.
 * `profile`: BENCH_PROFILE applies (the largest size).
 */
export async function measureBoard(page, size, seeded, { consoleUrl, quick = false, storm = null, profile = false }) {
  const cdp = await page.context().newCDPSession(page);
  const ready = await profiled(cdp, 'ready', profile, async () => {
    // A navigation either way (the same URL with its #s= again would only move to the fragment).
    if (page.url() === consoleUrl) await page.reload();
    else await page.goto(consoleUrl);
    return waitBoardReady(page);
  });
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    const js = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js'));
    return { app: window.__appShown ?? null, cols: window.__columnsShown ?? null, dcl: n?.domContentLoadedEventEnd ?? null, scripts: Math.max(0, ...js.map((r) => r.responseEnd)) };
  });
  await page.waitForTimeout(1500);
  const heap = await heapMb(cdp);
  const scroll = await profiled(cdp, 'scroll', profile, () => scrollColumn(page, quick ? 2000 : 5000));
  const codes = codeQueries(seeded.sample);
  const search = await profiled(cdp, 'search', profile, () => searchTimes(page, [...WORD_QUERIES, ...codes], quick ? 1 : 2));
  const all = search.map((s) => s.ms);
  const codeTimes = search.filter((s) => codes.includes(s.q)).map((s) => s.ms);
  const { sample: _sample, ...seedFigures } = seeded;
  const out = {
    ...seedFigures,
    board_ready_ms: Math.round(ready.at),
    // Context for board_ready_ms: scripts fetched, and the document parsed (modules run).
    scripts_loaded_ms: Math.round(nav.scripts),
    dom_content_loaded_ms: Math.round(nav.dcl ?? 0),
    app_shown_ms: Math.round(nav.app ?? 0),
    columns_shown_ms: Math.round(nav.cols ?? 0),
    columns: ready.columns,
    heap_mb: heap,
    scroll_cards: scroll.cards,
    scroll_frames: scroll.frames.length,
    scroll_max_frame_ms: r1(Math.max(...scroll.frames)),
    scroll_median_frame_ms: r1(quantile(scroll.frames, 0.5)),
    search_queries: all.length,
    search_p50_ms: r1(quantile(all, 0.5)),
    search_p95_ms: r1(quantile(all, 0.95)),
    search_codes: codes,
    search_codes_p50_ms: r1(quantile(codeTimes, 0.5)),
    search_codes_p95_ms: r1(quantile(codeTimes, 0.95)),
    search_query_p95_ms: r1(quantile(search.map((s) => s.queryMs).filter((x) => x !== null), 0.95)),
    search_unanswered: search.filter((s) => !s.answered).map((s) => s.q),
    // The slowest: query, query → results on screen, and of that the search itself (ms).
    search_worst: search.map((s) => [s.q, r1(s.ms), r1(s.queryMs)]).sort((a, b) => b[1] - a[1]).slice(0, 8),
  };
  Object.assign(out, await profiled(cdp, 'reports', profile, () => benchReports(page)));
  if (storm) Object.assign(out, await profiled(cdp, 'storm', profile, () => benchStorm(page, storm.sandboxUrl, storm.burst, storm.cpu)));
  console.error(`board @${size}: ${JSON.stringify(out)}`);
  return out;
}
