import { expect, test, type Locator, type Page } from './fixtures';

const consoleUrl = () => process.env.WEBCARE_CONSOLE_URL as string;
const sandboxUrl = () => process.env.WEBCARE_SANDBOX_URL as string;

async function sandbox(path: string, body?: unknown) {
  const res = await fetch(`${sandboxUrl()}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

async function inject(text: string, authorName: string, authorHandle: string): Promise<string> {
  const { id } = (await sandbox('/__sandbox/inject', { channel: 'x_mention', text, authorName, authorHandle, lang: 'nl' })) as { id: string };
  return `x_mention:${id}`;
}

const posted = async (): Promise<{ kind: string; text?: string }[]> => ((await sandbox('/__sandbox/posted')) as { posted: { kind: string; text?: string }[] }).posted;
const card = (scope: Page | Locator, key: string) => scope.locator(`[data-testid="card"][data-key="${key}"]`);

function failOnDialogs(page: Page) {
  page.on('dialog', async (d) => {
    await d.dismiss();
    throw new Error(`a dialog opened: ${d.message()}`);
  });
}

/** Columns shown whole inside the board's visible width. */
/** A setting as the console's store holds it (read by plain IndexedDB in the page). */
function storedSetting(page: Page, key: string): Promise<unknown> {
  return page.evaluate(
    (k) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('webcare');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('settings').objectStore('settings').get(k);
          get.onsuccess = () => {
            open.result.close();
            resolve((get.result as { value?: unknown } | undefined)?.value);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    key,
  );
}

async function wholeColumns(page: Page): Promise<number> {
  return page.getByTestId('board').evaluate((board) => {
    const edge = board.getBoundingClientRect();
    return [...board.querySelectorAll('section.column')].filter((c) => {
      const r = c.getBoundingClientRect();
      return r.left >= edge.left - 1 && r.right <= edge.right + 1;
    }).length;
  });
}

test.setTimeout(120_000);

test('after sending, Esc leaves the reply box and e marks the conversation done instead of typing; Esc again closes it', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const mentions = page.getByTestId('column-x_mention');
  const key = await inject(`Waar blijft mijn pakket? ${Date.now()}`, 'Ellen Esc', 'ellenesc');
  await expect(card(mentions, key)).toBeVisible({ timeout: 60_000 });

  // Open it from the keyboard and reply: r puts the keyboard in the reply box.
  await card(mentions, key).focus();
  await page.keyboard.press('r');
  const input = page.getByTestId('reply-input');
  await expect(input).toBeFocused();
  const reply = `We kijken ernaar ${Date.now()}`;
  await input.fill(reply);
  await input.press('Control+Enter');
  await expect(input).toHaveValue('');
  await expect(page.getByTestId('conversation').getByTestId('outbox-item').filter({ hasText: reply })).toHaveAttribute('data-state', 'sent', { timeout: 30_000 });

  // Esc leaves the field for the conversation's card; e is a shortcut again, not a letter in a new draft.
  await page.keyboard.press('Escape');
  await expect(input).not.toBeFocused();
  await expect(card(mentions, key)).toBeFocused();
  await expect(page.getByTestId('conversation')).toBeVisible();
  await page.keyboard.press('e');
  // Done leaves the column of open messages.
  await expect(card(mentions, key)).toHaveCount(0);
  await expect(input).toHaveValue('');
  expect((await posted()).filter((p) => p.text === reply)).toHaveLength(1);

  // One step back at a time: out of the field first, then the conversation closes.
  await input.click();
  await page.keyboard.press('Escape');
  await expect(input).not.toBeFocused();
  await expect(page.getByTestId('conversation')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('conversation')).toHaveCount(0);
});

test('d switches the reply to a DM and back, t tags, a archives, c closes the pane; the ? overlay lists every key', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const mentions = page.getByTestId('column-x_mention');
  const key = await inject(`Kan iemand me privé helpen? ${Date.now()}`, 'Dirk Dm', 'dirkdm');
  await expect(card(mentions, key)).toBeVisible({ timeout: 60_000 });
  await card(mentions, key).click();
  const conversation = page.getByTestId('conversation');
  await expect(conversation).toBeVisible();

  await card(mentions, key).focus();
  await page.keyboard.press('d');
  await expect(conversation.getByTestId('reply-mode-private')).toBeChecked();
  await expect(page.getByTestId('reply-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(card(mentions, key)).toBeFocused();
  await page.keyboard.press('d');
  await expect(conversation.getByTestId('reply-mode-public')).toBeChecked();
  await expect(page.getByTestId('reply-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(card(mentions, key)).toBeFocused();

  // t: the card at hand is picked and the bulk bar's tag field takes the keyboard.
  await page.keyboard.press('t');
  await expect(page.getByTestId('bulk-count')).toHaveText('1 selected');
  const tag = page.getByTestId('bulk-tag-input');
  await expect(tag).toBeFocused();
  await tag.fill('bezorging');
  await tag.press('Enter');
  await expect(page.getByTestId('bulk-bar')).toHaveCount(0);
  await expect(card(mentions, key)).toContainText('bezorging');

  await card(mentions, key).focus();
  const before = (await posted()).length;
  await page.keyboard.press('a');
  await expect(card(mentions, key)).toHaveCount(0);
  await expect(page.getByTestId('reply-input')).toHaveValue('');
  // Archived, not answered: nothing was sent.
  expect((await posted()).length).toBe(before);
  await page.keyboard.press('c');
  await expect(conversation).toHaveCount(0);

  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('?');
  const help = page.getByTestId('key-help');
  await expect(help).toBeVisible();
  for (const [k, what] of <[string, string][]>[
    ['m', 'Assign to me'],
    ['t', 'Tag'],
    ['a', 'Archive'],
    ['d', 'Reply privately (DM) or publicly'],
    ['c', 'Close the conversation'],
    ['Esc', 'Leave the field'],
  ]) {
    await expect(help.locator('.key-row').filter({ has: page.locator('kbd', { hasText: new RegExp(`^${k}$`) }) })).toContainText(what);
  }
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test.describe('at 1366×768', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('the pane is hidden with nothing selected, so more columns fit; open, it never squeezes the thread and can be narrowed', async ({ page }) => {
    failOnDialogs(page);
    await page.goto(consoleUrl());
    const mentions = page.getByTestId('column-x_mention');
    await expect(mentions.getByTestId('card').first()).toBeVisible();
    await expect(page.getByTestId('conversation')).toHaveCount(0);
    const hidden = await wholeColumns(page);
    expect(hidden).toBeGreaterThanOrEqual(3);

    await mentions.getByTestId('card').first().click();
    const pane = page.getByTestId('conversation');
    await expect(pane.getByTestId('thread-message').first()).toBeVisible();
    expect(await wholeColumns(page)).toBeLessThan(hidden);

    // The thread keeps a good part of the pane under the customer panel.
    const paneBox = await pane.boundingBox();
    const threadBox = await pane.locator('.thread').boundingBox();
    if (!paneBox || !threadBox) throw new Error('pane not laid out');
    expect(threadBox.height).toBeGreaterThanOrEqual(160);
    expect(threadBox.height).toBeGreaterThanOrEqual(paneBox.height * 0.3);

    // Narrower from the keyboard, down to its minimum; kept after a reload.
    await pane.getByTestId('conversation-resize').focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(async () => Math.round((await pane.boundingBox())?.width ?? 0)).toBe(320);
    // Kept once the store has it: a reload that comes before the write commits starts from the last one stored.
    await expect.poll(() => storedSetting(page, 'conversationPaneWidth')).toBe(320);
    await page.reload();
    await expect(page.getByTestId('conversation')).toHaveCount(0);
    await mentions.getByTestId('card').first().click();
    await expect.poll(async () => Math.round((await page.getByTestId('conversation').boundingBox())?.width ?? 0)).toBe(320);
    await page.getByTestId('conversation').getByRole('button', { name: 'Close conversation' }).click();
    await expect(page.getByTestId('conversation')).toHaveCount(0);
  });
});

test('a collapsed column is narrow; headers are equally tall however their figures wrap; the "N new" pill covers no card', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const mentions = page.getByTestId('column-x_mention');
  await expect(mentions.getByTestId('card').first()).toBeVisible();

  // Narrowest columns, where the figures wrapped before: every head as tall as every other.
  for (const id of ['x_mention', 'fb_comment']) {
    await page.getByTestId(`column-${id}`).getByTestId('column-resize').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => Math.round((await page.getByTestId(`column-${id}`).boundingBox())?.width ?? 0)).toBe(240);
  }
  const heights = await page.locator('section.column > .column-head').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().height)));
  expect(heights.length).toBeGreaterThanOrEqual(4);
  expect(new Set(heights).size).toBe(1);

  const dms = page.getByTestId('column-x_dm');
  await dms.getByTestId('column-collapse').click();
  await expect(dms).toHaveClass(/column--collapsed/);
  await expect.poll(async () => Math.round((await dms.boundingBox())?.width ?? 0)).toBe(44);
  await dms.getByTestId('column-expand').click();
  await expect(dms).not.toHaveClass(/column--collapsed/);

  // Read further down the mentions; a new one arrives and waits behind the pill.
  const body = mentions.locator('.column-body');
  await expect.poll(() => mentions.getByTestId('card').count()).toBeGreaterThan(6);
  const rowTop = await mentions.locator('.column-row[data-index="3"]').evaluate((el) => (el as HTMLElement).offsetTop);
  await body.evaluate((el, top) => el.scrollTo({ top }), rowTop);
  const key = await inject(`Nieuw terwijl ik lees ${Date.now()}`, 'Nina Nieuw', 'ninanieuw');
  const pill = mentions.locator('.column-newer');
  await expect(pill).toBeVisible({ timeout: 60_000 });
  await expect(card(mentions, key)).toHaveCount(0);
  // The card at the top of the list: its name is not under the pill.
  await body.evaluate((el, top) => el.scrollTo({ top }), rowTop);
  const name = mentions.locator('.column-row[data-index="3"] .card-name');
  const [p, n] = [await pill.boundingBox(), await name.boundingBox()];
  if (!p || !n) throw new Error('not laid out');
  expect(p.y + p.height <= n.y || n.y + n.height <= p.y || p.x + p.width <= n.x || n.x + n.width <= p.x).toBe(true);
  await pill.click();
  await expect(card(mentions, key)).toBeVisible();
});
