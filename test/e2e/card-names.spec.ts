import { expect, test } from './fixtures';

const consoleUrl = () => process.env.WEBCARE_CONSOLE_URL as string;
const sandboxUrl = () => process.env.WEBCARE_SANDBOX_URL as string;

async function inject(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${sandboxUrl()}/__sandbox/inject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { id } = (await res.json()) as { id: string };
  return `${body.channel as string}:${id}`;
}

test('a 45-character display name ellipsizes; the @handle and the time stay inside the card', async ({ page }) => {
  await page.goto(consoleUrl());
  const name = 'Wilhelmina Maria Van Oldenbarnevelt-Wassenaar'; // 45 characters
  expect(name).toHaveLength(45);
  const handle = `wmvow${Date.now().toString(36).slice(-6)}`;
  const key = await inject({ channel: 'x_mention', text: 'Waar blijft mijn pakket?', authorName: name, authorHandle: handle });
  const card = page.locator(`[data-testid="card"][data-key="${key}"]`);
  await expect(card).toBeVisible({ timeout: 60_000 });

  const head = card.locator('.card-head');
  const handleEl = card.locator('.card-handle');
  await expect(handleEl).toHaveText(`@${handle}`);
  const [headBox, handleBox, timeBox] = await Promise.all([head.boundingBox(), handleEl.boundingBox(), card.locator('.card-time').boundingBox()]);
  if (!headBox || !handleBox || !timeBox) throw new Error('card head not laid out');
  // The head clips what overflows it, so "inside" is what can be seen.
  expect(handleBox.x).toBeGreaterThanOrEqual(headBox.x);
  expect(handleBox.x + handleBox.width).toBeLessThanOrEqual(headBox.x + headBox.width + 0.5);
  expect(timeBox.x + timeBox.width).toBeLessThanOrEqual(headBox.x + headBox.width + 0.5);
  expect(handleBox.x + handleBox.width).toBeLessThanOrEqual(timeBox.x);
  // The whole handle is shown, not cut; the name is the one that gives way.
  const widths = await card.evaluate((el) => {
    const h = el.querySelector('.card-handle') as HTMLElement;
    const n = el.querySelector('.card-name') as HTMLElement;
    return { handleScroll: h.scrollWidth, handleClient: h.clientWidth, nameScroll: n.scrollWidth, nameClient: n.clientWidth, ellipsis: getComputedStyle(n).textOverflow };
  });
  expect(widths.handleScroll).toBeLessThanOrEqual(widths.handleClient);
  expect(widths.nameScroll).toBeGreaterThan(widths.nameClient);
  expect(widths.ellipsis).toBe('ellipsis');
});

test('loading the console reports no Content-Security-Policy violation', async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  await page.goto(consoleUrl());
  await expect(page.getByTestId('column-x_mention').getByTestId('card').first()).toBeVisible();
  // Open a conversation too: more of the console (and its schemas) in use.
  await page.getByTestId('column-x_mention').getByTestId('card').first().click();
  await expect(page.getByTestId('conversation')).toBeVisible();
  // Violation events are queued tasks: give them a moment to arrive.
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
});
