// storm: a 10,000-message burst arrives (through the real path, as in ingest) while, in the
// same page, the fullest column is scrolled one step per animation frame and an agent types a
// reply into a conversation's composer (opened by clicking a card, as a user does).
//
// The storm lasts from the burst's first message stored until the burst is stored and the
// console's search indexing of it is done (the work the burst causes). Figures:
//  - storm_max_frame_ms / storm_median_frame_ms: every animation frame in that time, asked for
//    at most 60 times a second as a screen does (one scroll step each): an interval is 16.7 ms
//    unless work in the page held the frame up, and then it is how long the screen stood still;
//  - storm_key_to_glyph_p50/p95_ms: a key's keydown event.timeStamp → the first animation
//    frame in which the textarea's value holds its character, for the keys pressed in that
//    time (typed with page.keyboard.type, 50 ms between keys, at least MIN_KEYS of them);
//  - storm_stored_ms: the burst's first message stored → its last; storm_all_stored;
//    storm_longest_stall_ms: the longest the stored count stood still in between;
//  - storm_cpu_s: CPU seconds by process (host, browser, renderer, ...) while the burst was stored (cpu.mjs).
import { timedBurst } from './ingest.mjs';

const MIN_KEYS = 120;
const REPLY = 'Hoi, wat vervelend dat je pakket nog niet is bezorgd. We zoeken het meteen voor je uit en laten het je vandaag nog weten. ';

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : null;
};
const r1 = (x) => (x === null || x === undefined ? null : Number(x.toFixed(1)));

export async function benchStorm(page, sandboxUrl, burstSize, cpu = null) {
  // A conversation opened from a card of another column than the one scrolled.
  const target = await page.evaluate(() => {
    const cols = [...document.querySelectorAll('section.column')].filter((c) => c.querySelector('.column-body [data-testid="card"]'));
    cols.sort((a, b) => b.querySelector('.column-body').scrollHeight - a.querySelector('.column-body').scrollHeight);
    const other = cols[1] ?? cols[0];
    return other?.querySelector('[data-testid="card"]')?.getAttribute('data-key') ?? null;
  });
  if (!target) throw new Error('storm: no card to open');
  await page.locator(`[data-testid="card"][data-key="${target}"]`).first().click();
  const input = page.getByTestId('reply-input');
  await input.waitFor({ timeout: 30_000 });
  await input.click();

  await page.evaluate(() => {
    const fullest = () => [...document.querySelectorAll('section.column .column-body')].sort((a, b) => b.scrollHeight - a.scrollHeight)[0];
    let body = fullest();
    const box = () => document.querySelector('[data-testid="reply-input"]');
    const s = { frames: [], keys: [], running: true, scrolled: 0 };
    window.__storm = s;
    document.addEventListener(
      'keydown',
      (e) => {
        if (s.running && e.target instanceof HTMLTextAreaElement && e.target === box() && e.key.length === 1) s.keys.push({ down: e.timeStamp, len: e.target.value.length, glyph: null });
      },
      true,
    );
    const FRAME_MS = 1000 / 60;
    let dir = 1;
    let last = performance.now();
    const frame = () => {
      if (!s.running) return;
      const now = performance.now();
      s.frames.push([last, now]);
      last = now;
      const shown = box()?.value.length ?? 0;
      for (const k of s.keys) if (k.glyph === null && shown > k.len) k.glyph = now;
      // One step per frame; back up at the end of the column (a short one is gone through several times).
      if (body && !body.isConnected) body = fullest();
      if (body) {
        if (dir > 0 && body.scrollTop + body.clientHeight >= body.scrollHeight - 2) dir = -1;
        else if (dir < 0 && body.scrollTop <= 0) dir = 1;
        body.scrollTop += dir * 360;
        s.scrolled++;
      }
      // At most 60 frames a second, as a screen shows them: the browser runs without a frame cap
      // (run.mjs), and uncapped, scrolling would take the whole main thread and starve the ingest.
      setTimeout(() => requestAnimationFrame(frame), Math.max(0, now + FRAME_MS - performance.now()));
    };
    requestAnimationFrame(frame);
  });

  let typing = true;
  let typed = 0;
  const typer = (async () => {
    // The same reply over and over, 20 characters at a time, until the storm is over.
    for (let at = 0; typing || typed < MIN_KEYS; at = (at + 20) % REPLY.length) {
      // On the board the letters would be shortcuts (archive, assign...): type only into the reply box.
      if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'reply-input') await input.click();
      const part = REPLY.slice(at, at + 20);
      await page.keyboard.type(part, { delay: 50 });
      typed += part.length;
    }
  })();

  await page.waitForTimeout(500);
  const t = await timedBurst(page, sandboxUrl, burstSize, { timeoutMs: 120_000, cpu });
  await page.evaluate(() => window.__bench.quiet(60_000));
  const endAt = await page.evaluate(() => performance.now());
  // The storm: from the burst's first message stored (before it, the host waits for its next poll) to the end of its indexing.
  const startAt = t.firstMs || t.postedAt;
  typing = false;
  await typer;
  const s = await page.evaluate(() => {
    window.__storm.running = false;
    return { frames: window.__storm.frames, keys: window.__storm.keys, scrolled: window.__storm.scrolled };
  });
  await input.fill('');
  await page.keyboard.press('Escape');

  const inWindow = (t0) => t0 >= startAt && t0 <= endAt;
  const frames = s.frames.filter(([, end]) => inWindow(end)).map(([a, b]) => b - a);
  const keys = s.keys.filter((k) => inWindow(k.down));
  const delays = keys.filter((k) => k.glyph !== null).map((k) => k.glyph - k.down);
  return {
    storm_ms: Math.round(endAt - startAt),
    storm_frames: frames.length,
    storm_max_frame_ms: r1(frames.length ? Math.max(...frames) : null),
    storm_median_frame_ms: r1(quantile(frames, 0.5)),
    storm_keys: keys.length,
    storm_keys_unseen: keys.length - delays.length,
    storm_key_to_glyph_p50_ms: r1(quantile(delays, 0.5)),
    storm_key_to_glyph_p95_ms: r1(quantile(delays, 0.95)),
    storm_key_to_glyph_max_ms: r1(delays.length ? Math.max(...delays) : null),
    storm_stored_ms: Math.round(t.lastMs - t.firstMs),
    storm_first_stored_after_ms: Math.round(t.firstMs - t.postedAt),
    // The longest the burst's stored count stood still meanwhile (sampled every 250 ms).
    storm_longest_stall_ms: Math.round(t.stallMs),
    storm_indexed_after_ms: Math.round(endAt - t.lastMs),
    storm_stored: t.stored,
    storm_all_stored: t.stored >= burstSize && !t.timedOut,
    storm_scroll_steps: s.scrolled,
    // CPU seconds by process from the burst's first message stored to its last (run.mjs gives `cpu`).
    storm_cpu_s: t.cpu?.storing ?? null,
  };
}
