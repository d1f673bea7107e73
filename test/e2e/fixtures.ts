import { test as base } from '@playwright/test';
import { launchHost } from './host';

export { expect, type Locator, type Page } from '@playwright/test';

/**
 * The console most specs share: one host per Playwright worker (its own sandbox and
 * data folder), started as a user would with `npm start` (after `npm run build`), so
 * workers running side by side never see each other's messages, faults or limits.
 * Its tests read the addresses from WEBCARE_CONSOLE_URL and WEBCARE_SANDBOX_URL.
 * Specs about hosts of their own start those themselves, from `@playwright/test`.
 */
export const test = base.extend<object, { sharedHost: void }>({
  sharedHost: [
    // eslint-disable-next-line no-empty-pattern -- a fixture that needs no other
    async ({}, use) => {
      const host = await launchHost({ WEBCARE_SANDBOX_RATE: '30' });
      try {
        // Every test opens a fresh browser profile: a new local store, so the host
        // fetches history again for each (cursors start over). Twenty such stores in
        // three minutes, with the host polling ten times as often as a console does
        // (POLL_SCALE), would spend X's real DM budget (15 requests per 15 minutes)
        // and leave later tests waiting on a rate-limit reset, so the sandbox gets a
        // hundred times the real limits. Rate-limit behaviour is tested where it is
        // the subject (the integration suite), at scale 1.
        const res = await fetch(`${host.sandboxUrl}/__sandbox/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scale: 100 }) });
        if (!res.ok) throw new Error(`sandbox limits: ${res.status} ${await res.text()}`);
        process.env.WEBCARE_CONSOLE_URL = host.consoleUrl;
        process.env.WEBCARE_SANDBOX_URL = host.sandboxUrl;
        await use();
      } finally {
        await host.stop();
      }
    },
    { scope: 'worker', auto: true, timeout: 60_000 },
  ],
});
