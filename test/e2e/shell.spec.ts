import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { launchHost, type RunningHost } from './host';

/** A port free right now, so a restarted host comes back at the same address (the same origin, with its store). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

test.describe('the browser host’s app shell', () => {
  let host: RunningHost | null = null;
  test.afterEach(async () => {
    await host?.stop();
    host = null;
  });

  test('a reload while the host is down shows the cached board with the "host not reachable" banner, and the new link works once it is back', async ({ page }) => {
    test.setTimeout(120_000);
    const port = await freePort();
    host = await launchHost({ WEBCARE_PORT: String(port), WEBCARE_SANDBOX_RATE: '0' });
    const first = host;
    await page.goto(first.consoleUrl);
    const cards = page.getByTestId('card');
    await expect(cards.first()).toBeVisible();
    // The shell worker has taken the page over (and so holds its copy) before the host goes.
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 15_000 });
    const key = await cards.first().getAttribute('data-key');
    expect(key).toBeTruthy();

    await first.stop();
    host = null;
    // The host is really gone: nothing answers on its port.
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();

    await page.reload();
    // Not the browser's error page: the console, on the board it had stored.
    await expect(page.getByTestId('connection-banner')).toContainText('not reachable', { timeout: 20_000 });
    await expect(page.locator(`[data-testid="card"][data-key="${key}"]`)).toBeVisible();
    await expect(page.getByTestId('connection-state')).toHaveText(/Disconnected|Connecting/);
    // Opening a card shows its thread from the store, while the host is still away.
    await page.locator(`[data-testid="card"][data-key="${key}"]`).click();
    await expect(page.getByTestId('conversation')).toBeVisible();

    // Back (same address, a new launch with a new secret): this tab's link is stale, and says so in plain words.
    host = await launchHost({ WEBCARE_PORT: String(port), WEBCARE_SANDBOX_RATE: '0' }, first.dataDir);
    await expect(page.getByTestId('connection-banner')).toContainText('Open the new link', { timeout: 30_000 });
    await expect(page.getByTestId('connection-banner')).not.toContainText('`');
    // The new link, pasted into the same tab, connects without a reload.
    await page.goto(host.consoleUrl);
    await expect(page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 20_000 });
    await expect(page.getByTestId('connection-banner')).toHaveCount(0);
  });
});
