import { expect, test, type Page } from '@playwright/test';
import { launchHost, type RunningHost } from './host';

/**
 * One message, one card; a reply that cannot be sent is refused before it is
 * queued; a queued reply goes out by itself once its account is reconnected.
 * Against a host of its own: the last test takes the X account through
 * "needs reconnecting", which must not disturb the shared host of the other specs.
 */
let host: RunningHost;

test.beforeAll(async () => {
  host = await launchHost({ WEBCARE_SANDBOX_RATE: '6' });
  // Every test opens a fresh local store, which reads history again, and the host polls ten times as often as
  // a console does: the real limits would make later polls wait.
  await sandbox('/__sandbox/limits', { scale: 100 });
});

test.afterAll(async () => {
  await host?.stop();
});

async function sandbox(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  const res = await fetch(`${host.sandboxUrl}${path}`, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

type Req = { method: string; path: string; query: string; status: number };
const requests = async (): Promise<Req[]> => (await sandbox('/__sandbox/requests')).requests;
const posted = async (): Promise<Array<{ kind: string; text?: string; inReplyToId?: string }>> => (await sandbox('/__sandbox/posted')).posted;

/** Saves an X keyword search on the accounts screen and closes it again. */
async function saveSearch(page: Page, name: string, query: string) {
  await page.getByTestId('open-accounts').click();
  const screen = page.getByTestId('accounts-screen');
  const xCard = screen.locator('[data-testid="account-card"][data-account-id^="x:"]');
  const searches = xCard.getByTestId('account-searches');
  if (!(await searches.evaluate((d) => (d as HTMLDetailsElement).open))) await searches.locator('summary').click();
  await searches.getByTestId('search-name').fill(name);
  await searches.getByTestId('search-query').fill(query);
  await searches.getByTestId('search-save').click();
  await expect(searches.getByTestId('saved-search').filter({ hasText: name })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(screen).toBeHidden();
}

/** A board column showing one saved search's stream. */
async function searchColumn(page: Page, search: string) {
  await page.getByTestId('add-column').click();
  const editor = page.getByTestId('column-editor');
  await expect(editor).toBeVisible();
  const title = `Zoek ${search}`;
  await editor.getByTestId('editor-name').fill(title);
  await editor.getByLabel('X search stream').selectOption({ label: search });
  await editor.getByTestId('editor-save').click();
  await expect(editor).toBeHidden();
  const column = page.locator('section.column').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
  await expect(column).toHaveCount(1);
  return column;
}

test('a mention that is also a keyword-search hit is one card, in both columns, with one status', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(host.consoleUrl);
  const word = `bus${Date.now().toString(36)}`;
  // Posted first: a new search's first poll reads it at once (a quiet search is polled every minute or two).
  const mention = await sandbox('/__sandbox/inject', { channel: 'x_mention', text: `mijn ${word} is te klein voor jullie pakket`, authorName: 'Els de Vries', authorHandle: 'elsdv', lang: 'nl' });
  // A query too long for the console to leave mentions out: the search reads the mention too.
  const filler = Array.from({ length: 70 }, (_, i) => `-ruis${i}`).join(' ');
  const long = `${word} ${filler}`.slice(0, 500);
  await saveSearch(page, `Lang ${word}`, long);
  // A normal query: mentions are left out of it, so the search never reads (or bills) them.
  await saveSearch(page, `Kort ${word}`, word);
  const column = await searchColumn(page, `Lang ${word}`);

  const mentions = page.getByTestId('column-x_mention');
  const key = `x_mention:${mention.id}`;
  await expect(mentions.locator(`[data-testid="card"][data-key="${key}"]`)).toHaveCount(1, { timeout: 60_000 });
  await expect(column.locator(`[data-testid="card"][data-key="${key}"]`)).toHaveCount(1, { timeout: 60_000 });
  await expect(page.locator(`[data-testid="card"][data-key="x_search:${mention.id}"]`)).toHaveCount(0);

  // One message: done in the search column is done in the mentions column.
  await column.locator(`[data-testid="card"][data-key="${key}"]`).getByTestId('card-done').click();
  await expect(column.locator(`[data-testid="card"][data-key="${key}"]`)).toHaveCount(0);
  await expect(mentions.locator(`[data-testid="card"][data-key="${key}"]`)).toHaveCount(0);

  // The short search asked X without the mentions of the brand.
  const short = (await requests()).filter((r) => r.path === '/x/2/tweets/search/recent' && new URLSearchParams(r.query).get('query')?.includes(`(${word})`));
  expect(short.length).toBeGreaterThan(0);
  for (const r of short) expect(new URLSearchParams(r.query).get('query')).toBe(`(${word}) -@polderpost -from:polderpost`);
});

test('a search hit X forbids answering: Send is disabled with the reason and "Open on X" before anything is queued', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(host.consoleUrl);
  const word = `bak${Date.now().toString(36)}`;
  const bare = await sandbox('/__sandbox/inject', { channel: 'x_mention', bare: true, text: `Polderpost en de ${word}, altijd mis`, authorName: 'Piet Jansen', authorHandle: 'pietj', lang: 'nl' });
  await saveSearch(page, `Zoek ${word}`, word);
  const column = await searchColumn(page, `Zoek ${word}`);
  const card = column.locator(`[data-testid="card"][data-key="x_search:${bare.id}"]`);
  await expect(card).toBeVisible({ timeout: 60_000 });
  await sandbox('/__sandbox/requests', undefined, 'DELETE');
  await card.click();

  const composer = page.getByTestId('composer');
  const send = composer.getByTestId('reply-send');
  const reason = composer.getByTestId('reply-reason');
  await expect(reason).toHaveAttribute('data-reason', 'replyRestricted');
  await expect(reason).toContainText('mention or quote @polderpost');
  await expect(send).toBeDisabled();
  await expect(composer.getByTestId('reply-open-x')).toHaveAttribute('href', new RegExp(`^https://x\\.com/.+/status/${bare.id}$`));

  // Typed and sent with the keyboard: still nothing queued, nothing asked of X.
  const input = composer.getByTestId('reply-input');
  await input.fill('Wat vervelend, we zoeken het uit!');
  await expect(send).toBeDisabled();
  await input.press('Control+Enter');
  await page.waitForTimeout(1000);
  await expect(composer.getByTestId('outbox-item')).toHaveCount(0);
  await expect(input).toHaveValue('Wat vervelend, we zoeken het uit!');
  expect((await requests()).filter((r) => r.path.startsWith('/x/2/tweets') && r.path !== '/x/2/tweets/search/recent')).toEqual([]);

  // A private message to the same person is allowed.
  await composer.getByTestId('reply-mode-private').check();
  await expect(send).toBeEnabled();
  await expect(composer.getByTestId('reply-open-x')).toHaveCount(0);
});

test('a queued reply goes out by itself, once, when its account is reconnected', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(host.consoleUrl);
  const stamp = Date.now();
  const mention = await sandbox('/__sandbox/inject', { channel: 'x_mention', text: `Waar blijft pakket ${stamp}?`, authorName: 'Anna Bakker', authorHandle: 'annab', lang: 'nl' });
  const card = page.getByTestId('column-x_mention').locator(`[data-testid="card"][data-key="x_mention:${mention.id}"]`);
  await expect(card).toBeVisible({ timeout: 60_000 });
  await card.click();

  // X refuses the token for the post and again after a refresh: the account must be reconnected.
  await sandbox('/__sandbox/faults', { method: 'POST', path: '/x/2/tweets', times: 2, fault: { type: 'revoked' } });
  try {
    const text = `Hoi Anna, we zoeken het uit ${stamp}`;
    await page.getByTestId('reply-input').fill(text);
    await page.getByTestId('reply-send').click();
    const item = page.getByTestId('conversation').getByTestId('outbox-item').filter({ hasText: text });
    await expect(item).toHaveAttribute('data-state', 'queued', { timeout: 30_000 });
    await expect(item.getByTestId('outbox-waiting')).toHaveAttribute('data-waits', 'account');
    await expect(item.getByTestId('outbox-waiting')).toContainText('Waiting for @polderpost to be reconnected');
    await expect(item.getByTestId('outbox-retry')).toHaveCount(0);
    await expect(page.locator('[data-testid="account"].account--reconnect')).toHaveCount(1);
    expect((await posted()).filter((p) => p.text === text)).toEqual([]);
    await sandbox('/__sandbox/faults', undefined, 'DELETE');

    // Reconnect on the accounts screen (the sandbox's sign-in page approves by itself); nobody presses Retry.
    await page.getByTestId('open-accounts').click();
    const xCard = page.getByTestId('accounts-screen').locator('[data-testid="account-card"][data-account-id^="x:"]');
    await xCard.getByTestId('account-reconnect').click();
    await expect(xCard.getByTestId('account-state')).toHaveText('Connected', { timeout: 30_000 });
    await page.keyboard.press('Escape');

    await expect(item).toHaveAttribute('data-state', 'sent', { timeout: 60_000 });
    await page.waitForTimeout(2000);
    expect((await posted()).filter((p) => p.text === text)).toEqual([expect.objectContaining({ kind: 'x_reply', inReplyToId: mention.id })]);
  } finally {
    await sandbox('/__sandbox/faults', undefined, 'DELETE');
  }
});
