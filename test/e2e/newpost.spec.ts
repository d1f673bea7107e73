import { expect, test, type Page } from './fixtures';
import { launchHost } from './host';

/**
 * New posts end to end, in the browser host against the sandbox: written in the
 * window (`n`), confirmed with the account they post as, kept by the host and
 * sent by it at their time, with no window open, exactly once; and once after a
 * restart when their time passed while the console was stopped.
 */
const consoleUrl = () => process.env.WEBCARE_CONSOLE_URL as string;
const sandboxUrl = () => process.env.WEBCARE_SANDBOX_URL as string;
const X_ACCOUNT = 'x:1460337282940219394';

type Posted = { kind: string; id: string; text?: string; inReplyToId?: string; at: number };

async function sandbox(path: string) {
  return (await fetch(`${sandboxUrl()}${path}`)).json();
}
const postedWith = async (text: string): Promise<Posted[]> => ((await sandbox('/__sandbox/posted')).posted as Posted[]).filter((p) => p.text === text);

function failOnDialogs(page: Page) {
  page.on('dialog', async (d) => {
    await d.dismiss();
    throw new Error(`a dialog opened: ${d.message()}`);
  });
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The date (ISO) and the clock (with seconds) the new-post box takes, in this machine's time zone (the browser's and the host's). */
function fields(at: number): { date: string; time: string } {
  const d = new Date(at);
  return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` };
}

/**
 * Opens the box with `n`, writes the post as @polderpost on X for a few seconds
 * after its time is typed, and confirms it. Resolves to that time (whole seconds,
 * as the box takes it). A few seconds: enough to confirm the post and close the
 * window or stop the console before it is due, at least three times what opening
 * the box and typing took (a busy machine gets longer), and at least 8 s.
 */
async function schedulePost(page: Page, text: string): Promise<number> {
  const began = Date.now();
  await expect(page.getByTestId('account').first()).toBeVisible({ timeout: 30_000 });
  await page.locator('body').click({ position: { x: 5, y: 200 } });
  await page.keyboard.press('n');
  const box = page.getByTestId('newpost');
  await expect(box).toBeVisible();
  await box.locator(`[data-testid="newpost-account"][data-account="${X_ACCOUNT}"] input`).check();
  await box.getByTestId('newpost-input').fill(text);
  await box.getByTestId('newpost-schedule').check();
  const at = Math.floor((Date.now() + Math.max(8_000, 3 * (Date.now() - began))) / 1000) * 1000;
  const f = fields(at);
  await box.getByTestId('newpost-date').fill(f.date);
  await box.getByTestId('newpost-time').fill(f.time);
  await expect(box.getByTestId('newpost-reason')).toHaveText('');
  await box.getByTestId('newpost-send').click();
  // The account guard: who it posts as, shown before anything is handed over.
  const confirm = box.getByTestId('newpost-confirm');
  await expect(confirm).toContainText('Polderpost');
  await confirm.getByTestId('newpost-confirm-send').click();
  await expect(box.getByTestId('newpost-outcome')).toContainText('Scheduled for');
  await expect(box.getByTestId('newpost-input')).toHaveValue('');
  const item = box.getByTestId('newpost-item').filter({ hasText: text });
  await expect(item).toHaveAttribute('data-state', 'scheduled');
  return at;
}

async function waitPosted(text: string, timeoutMs: number): Promise<Posted[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const mine = await postedWith(text);
    if (mine.length > 0 || Date.now() > end) return mine;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('a scheduled post is sent once at its time, by the host, with no window open', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const text = `Storing in regio Utrecht: pakketten komen een dag later ${Date.now()}`;
  const at = await schedulePost(page, text);
  // The window goes: the host alone keeps and sends the post.
  await context.close();
  expect(Date.now(), 'the window closed before the post was due').toBeLessThan(at);
  expect(await postedWith(text)).toHaveLength(0);
  const mine = await waitPosted(text, 45_000);
  expect(mine).toHaveLength(1);
  expect(mine[0]?.kind).toBe('x_post');
  // At its time on the sandbox's clock, not before (the sandbox runs without skew here).
  const state = (await sandbox('/__sandbox/state')) as { clockSkewMs: number };
  expect(mine[0]?.at).toBeGreaterThanOrEqual(at + state.clockSkewMs);
  expect(mine[0]?.at).toBeLessThan(at + state.clockSkewMs + 15_000);

  // A window opened later shows it as posted, and the post itself on the board.
  const again = await browser.newPage();
  await again.goto(consoleUrl());
  await expect(again.locator(`[data-testid="card"][data-key="x_mention:${mine[0]?.id}"]`)).toBeVisible({ timeout: 30_000 });
  await again.getByTestId('newpost-open').click();
  await expect(again.getByTestId('newpost-item').filter({ hasText: text })).toHaveAttribute('data-state', 'sent');
  await again.close();
  // Once: still one post at least 3 s after it went out.
  await new Promise((r) => setTimeout(r, Math.max(0, (mine[0]?.at ?? 0) - state.clockSkewMs + 3000 - Date.now())));
  expect(await postedWith(text)).toHaveLength(1);
});

test('a post whose time passed while the console was stopped is sent once at the next start', async ({ page }) => {
  test.setTimeout(150_000);
  failOnDialogs(page);
  // A console of its own (its own data folder) on the shared sandbox, which outlives the console's restarts.
  let host = await launchHost({ WEBCARE_SANDBOX_URL: sandboxUrl() });
  try {
    await page.goto(host.consoleUrl);
    const text = `Update: de storing duurt langer ${Date.now()}`;
    const at = await schedulePost(page, text);
    await host.stop();
    expect(Date.now(), 'the console stopped before the post was due').toBeLessThan(at);
    // Stopped through its time: nothing goes out.
    await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now()) + 1000));
    expect(await postedWith(text)).toHaveLength(0);

    host = await launchHost({ WEBCARE_SANDBOX_URL: sandboxUrl() }, host.dataDir);
    const mine = await waitPosted(text, 30_000);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.kind).toBe('x_post');
    // The window, pointed at the restarted host, shows it as posted.
    await page.goto(host.consoleUrl);
    await page.getByTestId('newpost-open').click();
    await expect(page.getByTestId('newpost-item').filter({ hasText: text })).toHaveAttribute('data-state', 'sent');
    // Once: another restart sends nothing more (what is due goes out as the host starts, before it
    // serves a window); the window, open on it again, shows the post as posted.
    await host.stop();
    host = await launchHost({ WEBCARE_SANDBOX_URL: sandboxUrl() }, host.dataDir);
    const restarted = Date.now();
    await page.goto(host.consoleUrl);
    await page.getByTestId('newpost-open').click();
    await expect(page.getByTestId('newpost-item').filter({ hasText: text })).toHaveAttribute('data-state', 'sent');
    await new Promise((r) => setTimeout(r, Math.max(0, restarted + 3000 - Date.now())));
    expect(await postedWith(text)).toHaveLength(1);
  } finally {
    await host.stop();
  }
});
