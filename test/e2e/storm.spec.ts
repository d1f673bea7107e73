import { expect, test } from '@playwright/test';
import { launchHost, type RunningHost } from './host';

/**
 * A burst of angry mentions raises the storm alert, which says how many against
 * how many usually and what they share, and opens an incident column of them.
 * Against a host of its own: the storm would otherwise show on every later
 * spec's board in this worker.
 */
let host: RunningHost;

test.beforeAll(async () => {
  host = await launchHost({ WEBCARE_SANDBOX_RATE: '6' });
  await fetch(`${host.sandboxUrl}/__sandbox/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scale: 100 }) });
});

test.afterAll(async () => {
  await host?.stop();
});

async function inject(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${host.sandboxUrl}/__sandbox/inject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { id } = (await res.json()) as { id: string };
  return `${body.channel as string}:${id}`;
}

test.setTimeout(180_000);

test('an injected burst of negative mentions raises the storm alert, explains it, and fills the incident column', async ({ page }) => {
  await page.goto(host.consoleUrl);
  const mentions = page.getByTestId('column-x_mention');
  await expect(mentions.getByTestId('card').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('storm-banner')).toHaveCount(0);

  const complaints = [
    'Niks werkt meer in de app, storing',
    'App: storing. Kan niet inloggen. Slecht',
    'Sinds vanochtend storing in de app, kapot',
    'De app is kapot, storing bij het inloggen',
    'Alweer storing! Inloggen lukt niet in de app',
    'Waardeloos, de app doet niks. Storing?',
    'Storing in de app, kan niet inloggen 😡',
    'Jullie app is kapot en niemand reageert',
    'Inloggen in de app: storing. Schandalig',
    'Storing storing storing, de app is waardeloos',
    'App kapot sinds vanochtend, echt slecht',
    'Weer een storing in de app. Belachelijk',
    'Kan niet inloggen, app geeft storing 🤬',
    'De app is waardeloos, alweer storing',
    'Storing in de app, waardeloze service',
  ];
  const keys: string[] = [];
  for (const [i, text] of complaints.entries()) keys.push(await inject({ channel: 'x_mention', text: `@polderpost ${text}`, authorName: `Klant ${i}`, authorHandle: `klant_storm_${i}` }));
  await expect(mentions.locator(`[data-testid="card"][data-key="${keys.at(-1)}"]`)).toBeVisible({ timeout: 60_000 });

  const banner = page.getByTestId('storm-banner');
  // Judged 15 s after arrivals (and every minute).
  await expect(banner).toHaveCount(1, { timeout: 45_000 });
  await expect(banner).toContainText('Storm on @polderpost');
  await expect(banner).toContainText(/\d+ negative messages in \d+ min, usually [\d.]+\./);
  await expect(banner).toContainText(/Most of them say: .*\bstoring\b.*/);
  await expect(banner).toContainText(/\bapp\b/);

  await banner.getByTestId('storm-column').click();
  const incident = page.locator('section.column').filter({ has: page.getByRole('heading', { name: /^Incident @polderpost \d\d:\d\d/ }) });
  await expect(incident).toHaveCount(1);
  // The newest on top (the column draws only what is in view), and all of them in it: picking all counts them.
  for (const key of keys.slice(-5)) await expect(incident.locator(`[data-testid="card"][data-key="${key}"]`)).toHaveCount(1, { timeout: 30_000 });
  await incident.getByTestId('column-select-all').click();
  await expect.poll(async () => Number((await page.getByTestId('bulk-count').textContent())?.match(/\d+/)?.[0] ?? 0)).toBeGreaterThanOrEqual(keys.length);
  await page.keyboard.press('Escape');
  // Only negative ones: every card drawn there reads so.
  const readings = await incident.getByTestId('card-sentiment').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.sentiment));
  expect(readings.length).toBeGreaterThan(3);
  expect(new Set(readings)).toEqual(new Set(['negative']));
  // Opening the column puts the banner away for this storm.
  await expect(banner).toHaveCount(0);
});
