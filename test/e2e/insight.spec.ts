import { expect, test, type Locator, type Page } from './fixtures';

const consoleUrl = () => process.env.WEBCARE_CONSOLE_URL as string;
const sandboxUrl = () => process.env.WEBCARE_SANDBOX_URL as string;

async function inject(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${sandboxUrl()}/__sandbox/inject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { id } = (await res.json()) as { id: string };
  return `${body.channel as string}:${id}`;
}

const card = (scope: Page | Locator, key: string) => scope.locator(`[data-testid="card"][data-key="${key}"]`);

async function addColumn(page: Page, title: string, fill: (editor: Locator) => Promise<void>): Promise<Locator> {
  await page.getByTestId('add-column').click();
  const editor = page.getByTestId('column-editor');
  await expect(editor).toBeVisible();
  await editor.getByTestId('editor-name').fill(title);
  await fill(editor);
  await editor.getByTestId('editor-save').click();
  await expect(editor).toBeHidden();
  return page.locator('section.column').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

test.setTimeout(180_000);

test('language and sentiment are read on arrival for Facebook comments too; a column by sentiment and by language; an agent overrides a reading and it stays', async ({ page }) => {
  await page.goto(consoleUrl());
  await expect(page.getByTestId('column-x_mention').getByTestId('card').first()).toBeVisible();

  // A word nobody else writes keeps these columns to this test's messages.
  const word = `zqins${Date.now().toString(36)}`;
  const negative = await addColumn(page, `Negatief ${word.slice(-4)}`, async (editor) => {
    await editor.getByTestId('editor-text').fill(word);
    await editor.getByTestId('editor-sentiments').getByRole('checkbox', { name: 'Negative' }).check();
  });
  const english = await addColumn(page, `English ${word.slice(-4)}`, async (editor) => {
    await editor.getByTestId('editor-text').fill(word);
    await editor.getByRole('textbox', { name: 'Languages' }).fill('en');
  });

  // Facebook gives no language: the console reads it, and how each one sounds.
  const angry = await inject({ channel: 'fb_comment', text: `Pakket ${word} kapot aangekomen en niemand reageert, waardeloos 😡`, authorName: 'Anouk Boos' });
  const glad = await inject({ channel: 'fb_comment', text: `Dank jullie wel, ${word} super snel geleverd!`, authorName: 'Bram Blij' });
  const late = await inject({ channel: 'fb_comment', text: `My parcel ${word} is lost and this is terrible`, authorName: 'Cleo Late' });
  const comments = page.getByTestId('column-fb_comment');
  for (const key of [angry, glad, late]) await expect(card(comments, key)).toBeVisible({ timeout: 60_000 });
  await expect(card(comments, angry).getByTestId('card-sentiment')).toHaveAttribute('data-sentiment', 'negative');
  await expect(card(comments, glad).getByTestId('card-sentiment')).toHaveAttribute('data-sentiment', 'positive');
  await expect(card(comments, late).getByTestId('card-sentiment')).toHaveAttribute('data-sentiment', 'negative');

  await expect(card(negative, angry)).toBeVisible();
  await expect(card(negative, late)).toBeVisible();
  await expect(negative.getByTestId('card')).toHaveCount(2);
  await expect(card(english, late)).toBeVisible();
  await expect(english.getByTestId('card')).toHaveCount(1);

  // The agent reads Bram's thanks as sarcasm: their reading wins, and the column takes it.
  const mark = card(comments, glad).getByTestId('card-sentiment');
  await mark.click();
  const menu = card(comments, glad).getByTestId('sentiment-menu');
  await expect(menu.getByRole('menuitemradio', { name: 'Positive' })).toHaveAttribute('aria-checked', 'true');
  await menu.getByRole('menuitemradio', { name: 'Negative' }).click();
  await expect(menu).toBeHidden();
  await expect(mark).toHaveAttribute('data-sentiment', 'negative');
  await expect(mark).toHaveAttribute('data-override', 'true');
  await expect(card(negative, glad)).toBeVisible();
  await expect(negative.getByTestId('card')).toHaveCount(3);

  // Stored: after a reload the reading is still the agent's; "as detected" gives the console's back.
  await page.reload();
  await expect(card(negative, glad)).toBeVisible({ timeout: 30_000 });
  await expect(card(comments, glad).getByTestId('card-sentiment')).toHaveAttribute('data-override', 'true');
  await card(comments, glad).getByTestId('card-sentiment').click();
  await card(comments, glad).getByTestId('sentiment-menu').getByRole('menuitem', { name: 'As detected: positive' }).click();
  await expect(card(comments, glad).getByTestId('card-sentiment')).toHaveAttribute('data-sentiment', 'positive');
  await expect(card(negative, glad)).toBeHidden();
  await expect(negative.getByTestId('card')).toHaveCount(2);
});

test('response targets: the header and waiting cards turn red past the channel target, and green again within it; business hours that are closed stop the clock', async ({ page }) => {
  await page.goto(consoleUrl());
  const mentions = page.getByTestId('column-x_mention');
  await expect(mentions.getByTestId('card').first()).toBeVisible();
  const age = mentions.getByTestId('column-age');
  await expect(age).toBeVisible({ timeout: 30_000 });

  const settings = async (fill: (dialog: Locator) => Promise<void>) => {
    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('sla-settings');
    await expect(dialog).toBeVisible();
    await fill(dialog);
    await page.keyboard.press('Escape');
  };

  // The sandbox's oldest waiting mention is hours old: one minute is long past.
  await settings(async (d) => {
    await d.getByTestId('setting-target-x_mention').fill('1');
    await d.getByTestId('setting-target-x_mention').blur();
  });
  await expect(age).toHaveAttribute('data-sla', 'late');
  await expect(age).toHaveAttribute('title', /Past the response target of 1 min/);
  // A late card: the column's oldest (other tests share this sandbox, and new mentions they inject can
  // fill the top of the column with cards that have waited less than a minute).
  const lateCard = mentions.locator('[data-testid="card-sla"][data-sla="late"]').first();
  await expect(async () => {
    await mentions.locator('.column-body').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(lateCard).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  // A week's target: within it.
  await settings(async (d) => {
    await d.getByTestId('setting-target-x_mention').fill('10080');
    await d.getByTestId('setting-target-x_mention').blur();
  });
  await expect(age).toHaveAttribute('data-sla', 'ok');
  await expect(mentions.locator('[data-testid="card-sla"][data-sla="late"]')).toHaveCount(0);

  // Back to a minute, but open all day every day and the last week off: no minute counts, nothing is late.
  const days = Array.from({ length: 8 }, (_, i) => new Date(Date.now() - i * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' }));
  await settings(async (d) => {
    await d.getByTestId('setting-target-x_mention').fill('1');
    await d.getByTestId('setting-target-x_mention').blur();
    for (let i = 0; i < 7; i++) {
      await d.getByTestId(`setting-hours-${i}`).fill('00:00-00:00');
      await d.getByTestId(`setting-hours-${i}`).blur();
    }
    await d.getByTestId('setting-holidays').fill(days.join(', '));
    await d.getByTestId('setting-holidays').blur();
  });
  await expect(age).toHaveAttribute('data-sla', 'ok');
  await expect(mentions.locator('[data-testid="card-sla"][data-sla="late"]')).toHaveCount(0);
  // Without the holidays the week's hours count again: late.
  await settings(async (d) => {
    await d.getByTestId('setting-holidays').fill('');
    await d.getByTestId('setting-holidays').blur();
  });
  await expect(age).toHaveAttribute('data-sla', 'late');

  // An unreadable line is refused with a message, and nothing is saved.
  await settings(async (d) => {
    await d.getByTestId('setting-hours-1').fill('9 tot 5');
    await d.getByTestId('setting-hours-1').blur();
    await expect(d.getByTestId('sla-error')).toBeVisible();
  });
});

test('priority: a VIP on the team list and an urgent word make a card high, it says why, and a column sorted by priority shows it first', async ({ page }) => {
  await page.goto(consoleUrl());
  await expect(page.getByTestId('column-x_mention').getByTestId('card').first()).toBeVisible();
  const word = `zqprio${Date.now().toString(36)}`;

  await page.getByTestId('open-settings').click();
  const lists = page.getByTestId('priority-settings');
  await lists.getByTestId('setting-vip').fill('@vip_vera');
  await lists.getByTestId('setting-vip').blur();
  // A word over the limit is refused with the limits said, and what was typed stays in the field.
  const tooLong = `ombudsman, ${'x'.repeat(61)}`;
  await lists.getByTestId('setting-urgent').fill(tooLong);
  await lists.getByTestId('setting-urgent').blur();
  await expect(lists.getByTestId('priority-refused')).toBeVisible();
  await expect(lists.getByTestId('setting-urgent')).toHaveValue(tooLong);
  await lists.getByTestId('setting-urgent').fill('ombudsman');
  await lists.getByTestId('setting-urgent').blur();
  await expect(lists.getByTestId('priority-refused')).toHaveCount(0);
  await page.keyboard.press('Escape');

  const column = await addColumn(page, `Prio ${word.slice(-4)}`, async (editor) => {
    await editor.getByTestId('editor-text').fill(word);
  });
  // Vera first (older), then an ordinary question (newer): newest first, the question is on top.
  const vip = await inject({ channel: 'x_mention', text: `@polderpost vraagje over ${word}, ik stap naar de ombudsman`, authorName: 'Vera', authorHandle: 'vip_vera' });
  await expect(card(column, vip)).toBeVisible({ timeout: 60_000 });
  const plain = await inject({ channel: 'x_mention', text: `@polderpost wanneer komt ${word}?`, authorName: 'Piet', authorHandle: 'piet_p' });
  await expect(card(column, plain)).toBeVisible({ timeout: 60_000 });
  const order = () => column.getByTestId('card').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key));
  await expect.poll(order).toEqual([plain, vip]);

  const mark = card(column, vip).getByTestId('card-priority');
  await expect(mark).toHaveAttribute('data-level', 'high');
  // Why, in order of weight (the word list may also read it as negative).
  await expect(mark).toHaveAttribute('data-reasons', /^vip urgent\b/);
  await expect(mark).toHaveAttribute('title', /^High priority: on the VIP list, says “ombudsman”/);
  await expect(card(column, plain).getByTestId('card-priority')).toHaveCount(0);

  // Sorted by priority: Vera first.
  await column.getByTestId('column-edit').click();
  const editor = page.getByTestId('column-editor');
  await editor.getByTestId('editor-sort').getByRole('radio', { name: 'Priority first, then newest' }).check();
  await editor.getByTestId('editor-save').click();
  await expect.poll(order).toEqual([vip, plain]);

  // Only high priority: Vera stays, the plain message goes.
  await column.getByTestId('column-edit').click();
  await editor.getByTestId('editor-only-high').check();
  await editor.getByTestId('editor-save').click();
  await expect(card(column, plain)).toHaveCount(0);
  await expect(card(column, vip)).toBeVisible();
});
