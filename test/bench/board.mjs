// Board, scroll, search and heap at scale (issue 4), measured in the page against the browser host.
//
// For each size (1,000 and 250,000 messages), in the same browser and run:
//  - seed: realistic generated Dutch and English webcare messages written straight into the
//    console's IndexedDB (messages + their search rows, the same words the console's own
//    tokeniser makes: dist-electron/shared/text/fold.js is evaluated in the page);
//  - board_ready_ms: navigation start of a reload → every column shows cards (or its empty state);
//  - heap_mb: JS heap after load and a forced GC (CDP Runtime.getHeapUsage);
//  - scroll: the fullest column scrolled card by card (5,000 cards or as many as it holds), one
//    scroll step per animation frame; max and median frame interval. The browser runs without
//    vsync and frame-rate limit (run.mjs), so an interval is what the frame cost, not the
//    display's 16.7 ms refresh; only frames that scrolled are counted;
//  - search: word-prefix queries typed into the search panel; p50/p95 of query → results on
//    screen, from the panel's `webcare:search` performance measures.
import { readFile } from 'node:fs/promises';

const QUERIES = [
  'pakk', 'bezorg', 'verbin', 'retour', 'klacht', 'amster', 'parcel', 'refund', 'deliv', 'thuis',
  'vriendel', 'adres wijz', 'pakket bescha', 'afhaal', 'track', 'driver', 'rotter', 'excuses', 'geld terug', 'brievenbus',
  'zoë', 'cafe', 'app verbin', 'late', 'waar blijft', 'klantenserv', 'utre', 'damaged', 'label', '3spld12',
];

/** Installed before every navigation: notes when every column first shows cards or its empty state. */
export function boardReadyProbe() {
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

/** Everything before the in-page seeding: the tokeniser, a generator of realistic messages, a raw writer. */
async function installSeeder(page) {
  const fold = (await readFile('dist-electron/shared/text/fold.js', 'utf8')).replace(/^export /gm, '').replace(/^\/\/# sourceMappingURL.*$/m, '');
  await page.evaluate(`(() => { ${fold}; window.__fold = { words }; })()`);
  await page.evaluate(() => {
    const pick = (r, a) => a[Math.floor(r() * a.length)];
    const NL = [
      'Mijn pakket {code} is nog steeds niet bezorgd, wat is er aan de hand?',
      'De bezorger heeft een kaartje achtergelaten maar ik was gewoon thuis.',
      'Waarom duurt de levering naar {city} zo lang?',
      'Top service vandaag, de bezorger was super vriendelijk!',
      'Kan ik mijn adres nog wijzigen voor zending {code}?',
      'De app geeft een verbindingsfout bij het volgen van mijn pakket.',
      'Pakket beschadigd aangekomen, hoe dien ik een klacht in?',
      'Al drie dagen geen update over mijn retour.',
      'Is het afhaalpunt in {city} vandaag open?',
      'Dank jullie wel voor de snelle hulp 🙏',
      'Het pakket past niet door de brievenbus en nu ligt het bij de buren.',
      'Ik wil mijn geld terug, de zending is nooit aangekomen.',
      'Waar blijft mijn bestelling? Track & trace zegt al een week hetzelfde.',
      'Excuses accepteren we niet meer, dit is de derde keer.',
      'Bij het café op de hoek afgeleverd zonder te vragen 🙄',
      'Klantenservice is telefonisch onbereikbaar, daarom maar via hier.',
      'Het label op mijn retourpakket werkt niet.',
      'De bezorging in {city} loopt vandaag vertraging op door het weer.',
    ];
    const EN = [
      'My parcel {code} still has not arrived, any news?',
      'Driver left a note but I was home all day.',
      'Great service, thanks for the quick delivery!',
      'How do I change my delivery address for {code}?',
      'Tracking page says delivered but there is nothing here.',
      'Can I get a refund for a damaged package?',
      'Your app keeps losing its connection when I open tracking.',
      'Package was left outside in the rain in {city}.',
      'Is the pickup point in {city} open on Sunday?',
      'Third late delivery this month, really disappointed.',
      'Where is my return label? The link does not work.',
      'Thanks, the driver was lovely 😊',
    ];
    const CITIES = ['Amsterdam', 'Rotterdam', 'Utrecht', 'Den Haag', 'Eindhoven', 'Groningen', 'Zwolle', 'Maastricht', 'Leeuwarden', 'Tilburg'];
    const FIRST = ['Els', 'Sjoerd', 'Zoë', 'Daan', 'Fleur', 'Mohammed', 'Sanne', 'Ruud', 'Anouk', 'Bram', 'Chloé', 'Jeroen', 'Emma', 'Noah', 'Liam', 'Olivia', 'Fatima', 'Thijs', 'Lotte', 'Jan'];
    const LAST = ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Dijk', 'Yılmaz', 'El Amrani', 'Smith', 'Brown'];
    const CHANNELS = [
      ['x_mention', 0.4],
      ['x_dm', 0.15],
      ['fb_comment', 0.3],
      ['fb_message', 0.15],
    ];
    const channelOf = (r) => {
      let x = r();
      for (const [c, p] of CHANNELS) if ((x -= p) < 0) return c;
      return 'x_mention';
    };
    const rng = (seed) => () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const open = (name) =>
      new Promise((res, rej) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    const done = (tx) =>
      new Promise((res, rej) => {
        tx.oncomplete = res;
        tx.onerror = () => rej(tx.error);
        tx.onabort = () => rej(tx.error);
      });
    window.__seed = async (count) => {
      const t0 = performance.now();
      const db = await open('webcare');
      try {
        const stores = ['messages', 'searchIndex', 'searchPending', 'marks'].filter((s) => db.objectStoreNames.contains(s));
        let tx = db.transaction(stores, 'readwrite');
        for (const s of stores) tx.objectStore(s).clear();
        await done(tx);
        const r = rng(count);
        const now = Date.now();
        const span = 30 * 24 * 3600 * 1000;
        const people = Math.max(50, Math.floor(count / 12));
        const CHUNK = 5000;
        for (let base = 0; base < count; base += CHUNK) {
          tx = db.transaction(['messages', 'searchIndex'], 'readwrite');
          const ms = tx.objectStore('messages');
          const si = tx.objectStore('searchIndex');
          for (let i = base; i < Math.min(count, base + CHUNK); i++) {
            const channel = channelOf(r);
            const x = channel.startsWith('x_');
            const p = Math.floor(r() * people);
            const name = `${FIRST[p % FIRST.length]} ${LAST[Math.floor(p / FIRST.length) % LAST.length]}`;
            const lang = r() < 0.7 ? 'nl' : 'en';
            const pool = lang === 'nl' ? NL : EN;
            const parts = [];
            const n = 1 + Math.floor(r() * 3);
            for (let k = 0; k < n; k++) parts.push(pick(r, pool).replace('{code}', `3SPLD${String(Math.floor(r() * 1e9)).padStart(9, '0')}`).replace('{city}', pick(r, CITIES)));
            if (channel === 'x_mention') parts.unshift('@polderpost');
            const text = parts.join(' ');
            const createdAt = now - Math.floor((i / count) * span) - Math.floor(r() * 60_000);
            const id = `b${i}`;
            const key = `${channel}:${id}`;
            const m = {
              key,
              platformId: id,
              channel,
              accountId: x ? 'bench-x' : 'bench-fb',
              conversationId: `c${Math.floor(i / 2)}`,
              author: { id: `p${p}`, name, handle: x ? `user${p}` : '', followers: Math.floor(r() * 5000), verified: r() < 0.02 },
              text,
              createdAt,
              lang,
              fromUs: false,
            };
            ms.put(m);
            const inv = String(9_999_999_999_999 - createdAt).padStart(13, '0');
            si.put({ sk: `${inv}|${key}`, words: window.__fold.words(`${text} ${name} ${m.author.handle}`), who: `${x ? 'x' : 'facebook'}:${m.author.id}` });
          }
          await done(tx);
        }
        tx = db.transaction('settings', 'readwrite');
        tx.objectStore('settings').put({ key: 'searchBackfill', value: 'done' });
        await done(tx);
      } finally {
        db.close();
      }
      return performance.now() - t0;
    };
  });
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

async function searchTimes(page) {
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  if ((await page.getByTestId('search-input').count()) === 0) await page.getByTestId('search-open').click();
  const input = page.getByTestId('search-input');
  const times = [];
  const queryTimes = [];
  for (const q of [...QUERIES, ...QUERIES]) {
    const before = await page.evaluate(() => performance.getEntriesByName('webcare:search').length);
    await input.fill(q);
    await page.waitForFunction((n) => performance.getEntriesByName('webcare:search').length > n, before, { timeout: 30_000 });
    times.push(await page.evaluate(() => performance.getEntriesByName('webcare:search').at(-1).duration));
    queryTimes.push(await page.evaluate(() => performance.getEntriesByName('webcare:search-query').at(-1).duration));
    await input.fill('');
  }
  await page.keyboard.press('Escape');
  return { times, queryTimes };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : null;
};
const r1 = (x) => (x === null ? null : Number(x.toFixed(1)));

/**
 * BENCH_PROFILE=1 (or =search) profiles the search phase of the largest size; =scroll and =ready
 * profile those phases instead. The top self times go to stderr; the figures are measured as usual.
 */
async function profiled(cdp, phase, largest, fn) {
  const want = process.env.BENCH_PROFILE === '1' ? 'search' : process.env.BENCH_PROFILE;
  if (!largest || want !== phase) return fn();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  const result = await fn();
  const { profile } = await cdp.send('Profiler.stop');
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

export async function benchBoard(page, sizes) {
  const cdp = await page.context().newCDPSession(page);
  const out = {};
  for (const size of sizes) {
    await installSeeder(page);
    const seedMs = await page.evaluate((n) => window.__seed(n), size);
    const ready = await profiled(cdp, 'ready', size === sizes[sizes.length - 1], async () => {
      await page.reload();
      return waitBoardReady(page);
    });
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      const js = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js'));
      return { app: window.__appShown ?? null, cols: window.__columnsShown ?? null, dcl: n?.domContentLoadedEventEnd ?? null, scripts: Math.max(0, ...js.map((r) => r.responseEnd)) };
    });
    await page.waitForTimeout(1500);
    const heap = await heapMb(cdp);
    const scroll = await profiled(cdp, 'scroll', size === sizes[sizes.length - 1], () => scrollColumn(page, 5000));
    const search = await profiled(cdp, 'search', size === sizes[sizes.length - 1], () => searchTimes(page));
    out[size] = {
      seed_ms: Math.round(seedMs),
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
      search_queries: search.times.length,
      search_p50_ms: r1(quantile(search.times, 0.5)),
      search_p95_ms: r1(quantile(search.times, 0.95)),
      search_query_p95_ms: r1(quantile(search.queryTimes, 0.95)),
      search_worst: QUERIES.concat(QUERIES).map((q, i) => [q, r1(search.times[i])]).sort((a, b) => b[1] - a[1]).slice(0, 4),
    };
    console.error(`board @${size}: ${JSON.stringify(out[size])}`);
  }
  return out;
}
