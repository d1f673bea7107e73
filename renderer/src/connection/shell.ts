/**
 * The browser host's app shell (`public/sw.js`): registered so a reload while
 * the host is down still opens the console, from its cached page, on the board
 * stored in IndexedDB. Electron loads the app from its own protocol and has the
 * host in-process, so only a page served over http by the browser host (on
 * 127.0.0.1, a secure context) registers it.
 */
export function registerShell(): void {
  const bridge = (globalThis as { webcare?: unknown }).webcare;
  if (bridge || location.protocol !== 'http:' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((e: unknown) => {
    // Without it the console still works; only a reload while the host is down cannot show it.
    console.warn('app shell not registered', e);
  });
}
