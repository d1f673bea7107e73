import { expect, test, type Locator, type Page } from './fixtures';

const consoleUrl = () => process.env.WEBCARE_CONSOLE_URL as string;
const sandboxUrl = () => process.env.WEBCARE_SANDBOX_URL as string;

async function sandbox(path: string, body?: unknown) {
  const res = await fetch(
    `${sandboxUrl()}${path}`,
    body === undefined ? { method: 'GET' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

type Injected = { id: string; conversationId: string; authorId: string };
const inject = (body: Record<string, unknown>): Promise<Injected> => sandbox('/__sandbox/inject', body);
type Posted = { kind: string; id: string; text?: string; inReplyToId?: string };
const posted = async (): Promise<Posted[]> => (await sandbox('/__sandbox/posted')).posted;

const card = (scope: Page | Locator, key: string) => scope.locator(`[data-testid="card"][data-key="${key}"]`);

function failOnDialogs(page: Page) {
  page.on('dialog', async (d) => {
    await d.dismiss();
    throw new Error(`a dialog opened: ${d.message()}`);
  });
}

/** Opens a card's conversation, sends a reply and waits until the outbox says it went out. */
async function reply(page: Page, cardLocator: Locator, text: string) {
  await cardLocator.click();
  const conversation = page.getByTestId('conversation');
  const input = conversation.getByTestId('reply-input');
  await input.fill(text);
  await conversation.getByTestId('reply-send').click();
  await expect(input).toHaveValue('');
  await expect(conversation.getByTestId('outbox-item').filter({ hasText: text })).toHaveAttribute('data-state', 'sent', { timeout: 30_000 });
}

/** The column header's "oldest waiting" start (epoch ms), or null when nothing waits. */
async function oldestSince(column: Locator): Promise<number | null> {
  const age = column.getByTestId('column-age');
  if ((await age.count()) === 0) return null;
  const v = await age.getAttribute('data-since');
  return v === null ? null : Number(v);
}

test.setTimeout(180_000);

test('a reply answers: the card leaves waiting and the header age drops in the same column; a follow-up waits again', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  await expect(page.getByTestId('column-x_mention').getByTestId('card').first()).toBeVisible({ timeout: 60_000 });

  // A column of its own (a word nobody else writes), so its header is about these messages only.
  const word = `levering${Date.now().toString(36)}`;
  const title = `Gesprekken ${word.slice(-5)}`;
  await page.getByTestId('add-column').click();
  const editor = page.getByTestId('column-editor');
  await editor.getByTestId('editor-name').fill(title);
  await editor.getByTestId('editor-text').fill(word);
  await editor.getByTestId('editor-save').click();
  await expect(editor).toBeHidden();
  const column = page.locator('section.column').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
  await expect(column).toHaveCount(1);
  // The column counts as seen up to its creation, and X times are whole seconds: the messages come a second later.
  await page.waitForTimeout(1_100);

  const ann = await inject({ channel: 'x_mention', text: `Waar blijft mijn ${word}? Al drie dagen niets.`, authorName: 'Ann Smit', authorHandle: `ann${word.slice(-5)}`, lang: 'nl' });
  await expect(card(column, `x_mention:${ann.id}`)).toBeVisible({ timeout: 60_000 });
  // A moment later, so the two waiting messages have different ages.
  await page.waitForTimeout(1_100);
  const bob = await inject({ channel: 'x_mention', text: `Ook mijn ${word} is zoek`, authorName: 'Bob Jansen', authorHandle: `bob${word.slice(-5)}`, lang: 'nl' });
  const annCard = card(column, `x_mention:${ann.id}`);
  const bobCard = card(column, `x_mention:${bob.id}`);
  await expect(bobCard).toBeVisible({ timeout: 60_000 });
  await expect(annCard).toHaveAttribute('data-state', 'waiting');
  await expect(bobCard).toHaveAttribute('data-state', 'waiting');
  await expect(column.getByTestId('column-unread')).toContainText('2');
  await expect.poll(() => oldestSince(column)).not.toBeNull();
  const before = (await oldestSince(column)) as number;

  // Replying to Ann answers Ann: her card leaves "waiting", the oldest waiting is now Bob's (younger).
  const first = `Hoi Ann, we zoeken het uit ${Date.now()}`;
  await reply(page, annCard, first);
  await expect(annCard).toHaveAttribute('data-state', 'answered');
  await expect(annCard.getByTestId('card-answered')).toBeVisible();
  await expect(bobCard).toHaveAttribute('data-state', 'waiting');
  await expect.poll(() => oldestSince(column)).toBeGreaterThan(before);
  await expect(column.getByTestId('column-unread')).toContainText('1');

  // Replying to Bob too: nothing waits, the age is gone.
  await reply(page, bobCard, `Hoi Bob, we kijken ernaar ${Date.now()}`);
  await expect(bobCard).toHaveAttribute('data-state', 'answered');
  await expect(column.getByTestId('column-age')).toHaveCount(0);
  await expect(column.getByTestId('column-unread')).toHaveCount(0);

  // Ann answers our reply on X: her follow-up waits, and the header shows an age again.
  const ours = (await posted()).find((p) => p.text === first);
  expect(ours).toMatchObject({ kind: 'x_reply', inReplyToId: ann.id });
  const follow = await inject({ channel: 'x_mention', text: `Nog steeds geen ${word} hoor`, authorName: 'Ann Smit', authorHandle: `ann${word.slice(-5)}`, inReplyToId: ours?.id, lang: 'nl' });
  const followCard = card(column, `x_mention:${follow.id}`);
  await expect(followCard).toBeVisible({ timeout: 60_000 });
  await expect(followCard).toHaveAttribute('data-state', 'waiting');
  await expect(annCard).toHaveAttribute('data-state', 'answered');
  await expect.poll(() => oldestSince(column)).not.toBeNull();
  expect((await oldestSince(column)) as number).toBeGreaterThan(before);
  await expect(column.getByTestId('column-unread')).toContainText('1');
});

test('four Messenger messages are one card with "4"; the whole exchange is in the pane; a reply answers it, a new message waits with 1', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const column = page.getByTestId('column-fb_message');
  await expect(column.getByTestId('card').first()).toBeVisible({ timeout: 60_000 });

  const tag = Date.now().toString(36);
  const authorId = `9${Date.now()}`;
  const texts = ['Hallo', 'ik heb een vraag', `over pakket ${tag}`, `het is niet bezorgd ${tag}`];
  const sent: Injected[] = [];
  for (const text of texts) {
    // Messenger times are whole seconds: a second apart, the newest is known.
    if (sent.length > 0) await page.waitForTimeout(1_050);
    sent.push(await inject({ channel: 'fb_message', text, authorId, authorName: `Fenna ${tag}` }));
  }
  const conversation = sent[0]?.conversationId;
  expect(sent.every((s) => s.conversationId === conversation)).toBe(true);

  // One card, shown by the newest message, with the count of unanswered messages.
  const newest = card(column, `fb_message:${sent[3]?.id}`);
  await expect(newest).toBeVisible({ timeout: 60_000 });
  await expect(newest.getByTestId('card-unanswered')).toHaveText('4');
  await expect(newest).toHaveAttribute('data-state', 'waiting');
  await expect(column.locator('[data-testid="card"]').filter({ hasText: `Fenna ${tag}` })).toHaveCount(1);
  for (const s of sent.slice(0, 3)) await expect(card(column, `fb_message:${s.id}`)).toHaveCount(0);

  // The whole exchange in the conversation pane.
  await newest.click();
  const pane = page.getByTestId('conversation');
  for (const text of texts) await expect(pane.getByTestId('thread-message').filter({ hasText: text }).first()).toBeVisible();

  // Our reply answers the conversation: the card now shows our reply, no count, answered.
  const answer = `Hoi Fenna, we zoeken het uit ${tag}`;
  await reply(page, newest, answer);
  const answered = column.locator('[data-testid="card"]').filter({ hasText: answer });
  await expect(answered).toHaveCount(1);
  await expect(answered).toHaveAttribute('data-state', 'answered');
  await expect(answered.getByTestId('card-unanswered')).toHaveCount(0);
  await expect(column.locator('[data-testid="card"]').filter({ hasText: `Fenna ${tag}` })).toHaveCount(0);

  // She writes again (a second later: Messenger times are whole seconds, ours is to the millisecond): one card, waiting, with 1.
  await page.waitForTimeout(1_100);
  const again = await inject({ channel: 'fb_message', text: `dank je, en nu? ${tag}`, authorId, authorName: `Fenna ${tag}` });
  const againCard = card(column, `fb_message:${again.id}`);
  await expect(againCard).toBeVisible({ timeout: 60_000 });
  await expect(againCard.getByTestId('card-unanswered')).toHaveText('1');
  await expect(againCard).toHaveAttribute('data-state', 'waiting');
  await expect(answered).toHaveCount(0);

  // A filter still finds every message: a column for words of an older message shows the conversation.
  await page.getByTestId('add-column').click();
  const editor = page.getByTestId('column-editor');
  await editor.getByTestId('editor-name').fill(`Fenna ${tag}`);
  await editor.getByTestId('editor-text').fill(`"over pakket" ${tag}`);
  await editor.getByTestId('editor-save').click();
  await expect(editor).toBeHidden();
  const filtered = page.locator('section.column').filter({ has: page.getByRole('heading', { name: `Fenna ${tag}`, exact: true }) });
  await expect(card(filtered, `fb_message:${sent[2]?.id}`)).toBeVisible({ timeout: 30_000 });
  await expect(filtered.getByTestId('card')).toHaveCount(1);
  await expect(card(filtered, `fb_message:${sent[2]?.id}`)).toHaveAttribute('data-state', 'waiting');
});
