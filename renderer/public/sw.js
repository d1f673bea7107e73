/* global self, caches, fetch, URL, Response */
/**
 * The browser host's app shell. Without it, reloading the tab while the host
 * is down (restarting, the laptop asleep, Ctrl-C) shows the browser's error
 * page, and with it the board the window had cached in IndexedDB. With it, the
 * page (index.html, its script, style and icon) comes from this cache when the
 * host does not answer; the console then starts from its local store and says
 * that the host is not reachable, as it does when the connection drops while open.
 *
 * - The page itself: from the host first (so a new build or launch is picked
 *   up at once), from the cache when the host does not answer.
 * - Built assets (`assets/…`, names carry a content hash, so they never change):
 *   from the cache first.
 * - Everything else the host answers (`/ws-auth`, the WebSocket) is never
 *   touched: only the host can say whether a secret is valid.
 *
 * Registered only by the browser host's page (Electron loads the app from its
 * own protocol and needs none). Plain JavaScript, copied as is into the build:
 * a service worker must be one script at the root of its scope.
 */
const CACHE = 'webcare-shell-v1';
const SHELL = './';

/** The URLs the page needs, read from the page itself (vite writes them into index.html). */
function shellUrls(html, base) {
  const urls = new Set([new URL(SHELL, base).href]);
  for (const m of html.matchAll(/\b(?:src|href)="([^"]+)"/g)) {
    const u = new URL(m[1], base);
    if (u.origin === new URL(base).origin) urls.add(u.href);
  }
  return urls;
}

/** Stores the page and everything it names; drops what an older build needed. */
async function storeShell(pageResponse, base) {
  const html = await pageResponse.clone().text();
  const wanted = shellUrls(html, base);
  const cache = await caches.open(CACHE);
  await cache.put(new URL(SHELL, base).href, pageResponse);
  for (const url of wanted) {
    if (url === new URL(SHELL, base).href) continue;
    if (await cache.match(url)) continue;
    try {
      const res = await fetch(url, { cache: 'no-cache' });
      if (res.ok) await cache.put(url, res);
    } catch {
      // The host went away meanwhile: the next visit fills it in.
    }
  }
  for (const req of await cache.keys()) if (!wanted.has(req.url)) await cache.delete(req);
}

self.addEventListener('install', (event) => {
  const base = self.registration.scope;
  event.waitUntil(
    fetch(new URL(SHELL, base).href, { cache: 'no-store' })
      .then((res) => (res.ok ? storeShell(res, base) : undefined))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      // The page is asked for while this worker starts, not after: no delay on a reload while the host is up.
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  const base = self.registration.scope;
  if (url.origin !== new URL(base).origin) return;

  if (req.mode === 'navigate') {
    event.respondWith(
      (async () => {
        try {
          const res = (await event.preloadResponse) ?? (await fetch(req));
          if (res.ok && (res.headers.get('content-type') ?? '').startsWith('text/html')) event.waitUntil(storeShell(res.clone(), base).catch(() => undefined));
          return res;
        } catch {
          const cached = await caches.match(new URL(SHELL, base).href, { cacheName: CACHE });
          if (cached) return cached;
          return new Response('The console host is not reachable, and this browser has no copy of the console yet.', {
            status: 503,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          });
        }
      })(),
    );
    return;
  }

  const scopePath = new URL(base).pathname;
  const isAsset = url.pathname.startsWith(`${scopePath}assets/`);
  const isShellFile = isAsset || url.pathname === `${scopePath}favicon.svg`;
  if (!isShellFile) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(req.url);
      if (cached && isAsset) return cached;
      try {
        const res = await fetch(req);
        if (res.ok) await cache.put(req.url, res.clone());
        return res;
      } catch (e) {
        if (cached) return cached;
        throw e;
      }
    })(),
  );
});
