import { expect, test, type Locator, type Page } from './fixtures';

const consoleUrl = () => process.env.WEBCARE_CONSOLE_URL as string;
const sandboxUrl = () => process.env.WEBCARE_SANDBOX_URL as string;

async function inject(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${sandboxUrl()}/__sandbox/inject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { id } = (await res.json()) as { id: string };
  return `${body.channel as string}:${id}`;
}

const columnIds = (page: Page) => page.locator('[data-column-id]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.columnId));
const card = (scope: Page | Locator, key: string) => scope.locator(`[data-testid="card"][data-key="${key}"]`);

test.setTimeout(180_000);

test('a department column by keyword: only matches arrive; reorder, resize, reload; done by keyboard; bulk archive', async ({ page }) => {
  page.on('dialog', async (d) => {
    await d.dismiss();
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await page.goto(consoleUrl());
  await expect(page.getByTestId('column-x_mention').getByTestId('card').first()).toBeVisible();
  expect(await columnIds(page)).toEqual(['x_mention', 'x_dm', 'fb_comment', 'fb_message']);

  // A word nobody else writes; the filter is typed without the accent and in another case.
  const word = `factuurzq${Date.now().toString(36)}`;
  const title = `Binnendienst ${word.slice(-4)}`;
  await page.getByTestId('add-column').click();
  const editor = page.getByTestId('column-editor');
  await expect(editor).toBeVisible();
  await editor.getByTestId('editor-name').fill(title);
  await editor.getByTestId('editor-text').fill(`${word.toUpperCase()} OR cafézq${word.slice(-4)} -spam`);
  await editor.getByTestId('editor-save').click();
  await expect(editor).toBeHidden();

  const column = page.locator('section.column').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
  await expect(column).toHaveCount(1);
  const id = await column.getAttribute('data-column-id');
  expect(id).toMatch(/^col-/);
  expect(await columnIds(page)).toEqual(['x_mention', 'x_dm', 'fb_comment', 'fb_message', id]);

  // Only what matches arrives: by word (any case), by the second word without its accent; not the excluded or the unrelated.
  const a = await inject({ channel: 'x_mention', text: `Vraag over ${word} van maart`, authorName: 'Anna Bakker', authorHandle: 'annab' });
  const b = await inject({ channel: 'fb_comment', text: `Mijn bestelling bij Cafezq${word.slice(-4)} is kwijt` });
  const spam = await inject({ channel: 'x_mention', text: `${word} spam spam`, authorName: 'Spammer', authorHandle: 'spammer1' });
  const other = await inject({ channel: 'x_mention', text: 'Waar blijft mijn pakket?', authorName: 'Bert', authorHandle: 'bert' });
  await expect(card(page.getByTestId('column-x_mention'), other)).toBeVisible({ timeout: 60_000 });
  await expect(card(page.getByTestId('column-x_mention'), spam)).toBeVisible();
  await expect(card(column, a)).toBeVisible({ timeout: 60_000 });
  await expect(card(column, b)).toBeVisible({ timeout: 60_000 });
  await expect(column.getByTestId('card')).toHaveCount(2);
  await expect(column.getByTestId('column-age')).toBeVisible();

  // Reorder with the keyboard (two steps left) and resize with the keyboard (three steps wider).
  await column.getByTestId('column-grip').focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => columnIds(page)).toEqual(['x_mention', 'x_dm', 'fb_comment', id, 'fb_message']);
  await column.getByTestId('column-grip').focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => columnIds(page)).toEqual(['x_mention', 'x_dm', id, 'fb_comment', 'fb_message']);
  await column.getByTestId('column-resize').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Math.round((await column.boundingBox())?.width ?? 0)).toBe(400);

  // Drag a column by its header onto another place as well.
  await page.getByTestId('board').evaluate((el) => el.scrollTo({ left: 0 }));
  const from = await page.getByTestId('column-x_dm').getByTestId('column-title').boundingBox();
  const to = await page.getByTestId('column-x_mention').boundingBox();
  if (!from || !to) throw new Error('columns not laid out');
  await page.mouse.move(from.x + 10, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + 200, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => columnIds(page)).toEqual(['x_dm', 'x_mention', id, 'fb_comment', 'fb_message']);

  // The layout is stored: after a reload it is all still there.
  await page.reload();
  await expect(card(column, a)).toBeVisible();
  expect(await columnIds(page)).toEqual(['x_dm', 'x_mention', id, 'fb_comment', 'fb_message']);
  expect(Math.round((await column.boundingBox())?.width ?? 0)).toBe(400);

  // Keyboard: 3 jumps to the third column and focuses its newest card; e marks it done and it leaves
  // this column of open messages; the focus moves on to the next one.
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('3');
  // Both arrived within a second (the platforms' timestamps have whole seconds): either may be newest.
  const first = (await column.getByTestId('card').first().getAttribute('data-key')) as string;
  const second = first === a ? b : a;
  await expect(card(column, first)).toBeFocused();
  await page.keyboard.press('e');
  await expect(card(column, first)).toHaveCount(0);
  await expect(card(column, second)).toBeFocused();
  // Typing in a field is never a shortcut.
  await page.getByTestId('open-settings').click();
  await page.getByTestId('setting-agent-name').fill('ee');
  await page.keyboard.press('Escape');
  await expect(card(column, second)).toBeVisible();

  // Marks are local and survive a reload.
  await page.reload();
  await expect(card(column, second)).toBeVisible();
  await expect(card(column, first)).toHaveCount(0);

  // Enter opens the conversation, r goes to the reply box, and there e is just a letter.
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('3');
  await expect(card(column, second)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('conversation').getByTestId('thread-message').filter({ hasText: second === a ? word : `Cafezq${word.slice(-4)}` }).first()).toBeVisible();
  await card(column, second).focus();
  await page.keyboard.press('r');
  await expect(page.getByTestId('reply-input')).toBeFocused();
  await page.keyboard.type('e');
  await expect(page.getByTestId('reply-input')).toHaveValue('e');
  await expect(card(column, second)).toHaveAttribute('data-status', 'open');
  await page.getByTestId('reply-input').fill('');

  // Bulk: two more matches; pick with x and ctrl-click, archive both at once.
  const c = await inject({ channel: 'fb_comment', text: `Nog een ${word}`, authorName: 'Cees', authorHandle: 'cees' });
  const d = await inject({ channel: 'x_mention', text: `En nog een ${word}!`, authorName: 'Dirk', authorHandle: 'dirk' });
  // Polls are seconds apart; a quiet stream is polled less often.
  await expect(column.getByTestId('card')).toHaveCount(3, { timeout: 60_000 });
  await card(column, d).focus();
  await page.keyboard.press('x');
  await card(column, c).click({ modifiers: ['Control'] });
  await expect(page.getByTestId('bulk-count')).toHaveText('2 selected');
  await page.getByTestId('bulk-archive').click();
  await expect(page.getByTestId('bulk-bar')).toHaveCount(0);
  await expect(column.getByTestId('card')).toHaveCount(1);
  await expect(card(column, second)).toBeVisible();
  await expect(card(page.getByTestId('column-fb_comment'), c)).toHaveCount(0);

  // Select all in the column, then mark done: the column is empty and says so.
  await column.getByTestId('column-select-all').click();
  await expect(page.getByTestId('bulk-count')).toHaveText('1 selected');
  await page.getByTestId('bulk-done').click();
  await expect(column.getByTestId('card')).toHaveCount(0);
  await expect(column).toContainText('Nothing matches this column yet');

  // The help overlay lists the keymap.
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('?');
  const help = page.getByTestId('key-help');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Mark done');
  // Every key of the keymap (renderer/src/keys/keymap.ts), with the new-post, archive, assign, tag, DM and close keys.
  await expect(help.locator('kbd')).toHaveCount(18);
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('a department preset is one step; columns collapse, duplicate and delete', async ({ page }) => {
  await page.goto(consoleUrl());
  await expect(page.getByTestId('column-x_mention').getByTestId('card').first()).toBeVisible();
  await page.getByTestId('add-column').click();
  await page.getByTestId('preset-binnendienst').click();
  const column = page.locator('section.column').filter({ has: page.getByRole('heading', { name: 'Inside sales (Binnendienst)', exact: true }) });
  await expect(column).toHaveCount(1);
  const factuur = await inject({ channel: 'fb_message', text: 'Ik heb een vraag over mijn factuur', authorName: 'Fenna' });
  await expect(card(column, factuur)).toBeVisible({ timeout: 60_000 });

  await column.getByTestId('column-edit').click();
  await page.getByTestId('editor-duplicate').click();
  await expect(page.locator('section.column').filter({ has: page.getByRole('heading', { name: 'Copy of Inside sales (Binnendienst)' }) })).toHaveCount(1);

  await column.getByTestId('column-collapse').click();
  await expect(column).toHaveClass(/column--collapsed/);
  await column.getByTestId('column-expand').click();
  await expect(card(column, factuur)).toBeVisible();

  await column.getByTestId('column-edit').click();
  await page.getByTestId('editor-delete').click();
  await page.getByTestId('editor-delete').click();
  await expect(column).toHaveCount(0);
});

test("a column's bell and sound: a new match notifies with the column and the author, and beeps; switched off, it stays quiet", async ({ page }) => {
  // The platform's notification and audio, recorded: granted without a prompt, as an agent who allowed them.
  await page.addInitScript(() => {
    const w = window as unknown as { __notes: { title: string; body: string }[]; __beeps: number };
    w.__notes = [];
    w.__beeps = 0;
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = () => Promise.resolve('granted');
      constructor(title: string, options: { body?: string }) {
        w.__notes.push({ title, body: options.body ?? '' });
      }
    }
    const Real = window.AudioContext;
    class CountingAudio extends Real {
      override createOscillator() {
        w.__beeps++;
        return super.createOscillator();
      }
    }
    Object.assign(window, { Notification: FakeNotification, AudioContext: CountingAudio });
  });
  await page.goto(consoleUrl());
  await expect(page.getByTestId('column-x_mention').getByTestId('card').first()).toBeVisible();

  const word = `meldingzq${Date.now().toString(36)}`;
  const title = `Meldingen ${word.slice(-4)}`;
  await page.getByTestId('add-column').click();
  const editor = page.getByTestId('column-editor');
  await editor.getByTestId('editor-name').fill(title);
  await editor.getByTestId('editor-text').fill(word);
  await editor.getByTestId('editor-save').click();
  const column = page.locator('section.column').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
  await expect(column.locator('.column-state--empty')).toBeVisible();

  await column.getByTestId('column-notify').click();
  await column.getByTestId('column-sound').click();
  await expect(column.getByTestId('column-notify')).toHaveAttribute('aria-pressed', 'true');
  await expect(column.getByTestId('column-sound')).toHaveAttribute('aria-pressed', 'true');

  const first = await inject({ channel: 'x_mention', text: `Waar blijft ${word}?`, authorName: 'Greet Hoekstra', authorHandle: 'greeth' });
  await expect(card(column, first)).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => page.evaluate(() => (window as unknown as { __notes: unknown[] }).__notes)).toEqual([{ title: `${title} · Greet Hoekstra`, body: `@polderpost Waar blijft ${word}?` }]);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __beeps: number }).__beeps)).toBe(1);

  // Off again: the next match arrives in the column, without a notification or a sound.
  await column.getByTestId('column-notify').click();
  await column.getByTestId('column-sound').click();
  await expect(column.getByTestId('column-sound')).toHaveAttribute('aria-pressed', 'false');
  const second = await inject({ channel: 'fb_comment', text: `Nog steeds ${word}`, authorName: 'Hein' });
  await expect(card(column, second)).toBeVisible({ timeout: 60_000 });
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { __notes: unknown[] }).__notes)).toHaveLength(1);
  expect(await page.evaluate(() => (window as unknown as { __beeps: number }).__beeps)).toBe(1);
});
