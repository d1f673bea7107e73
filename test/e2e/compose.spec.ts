import { expect, test, type Page } from './fixtures';
import { countText } from '../../shared/textLength';

const consoleUrl = () => process.env.WEBCARE_CONSOLE_URL as string;
const sandboxUrl = () => process.env.WEBCARE_SANDBOX_URL as string;

async function sandbox(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  const res = await fetch(`${sandboxUrl()}${path}`, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

type Posted = { kind: string; text?: string; inReplyToId?: string };
const posted = async (): Promise<Posted[]> => (await sandbox('/__sandbox/posted')).posted;

function failOnDialogs(page: Page) {
  page.on('dialog', async (d) => {
    await d.dismiss();
    throw new Error(`a dialog opened: ${d.message()}`);
  });
}

async function openMention(page: Page, text: string, authorName: string, authorHandle: string) {
  const injected = await sandbox('/__sandbox/inject', { channel: 'x_mention', text, authorName, authorHandle, lang: 'nl' });
  const card = page.locator(`[data-testid="card"][data-key="x_mention:${injected.id}"]`);
  await expect(card).toBeVisible({ timeout: 30_000 });
  await card.click();
  await expect(page.getByTestId('conversation')).toContainText(text.slice(0, 20));
  return injected as { id: string };
}

test('a canned reply inserted with / has its variables filled, fits, and is posted once', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const injected = await openMention(page, `Mijn pakket is kwijt en niemand helpt me ${Date.now()}`, 'Els de Vries', 'elsdv');

  const input = page.getByTestId('reply-input');
  await input.click();
  await input.pressSequentially('/kla');
  const menu = page.getByTestId('canned-menu');
  await expect(menu).toBeVisible();
  await expect(menu.getByTestId('canned-option').first()).toHaveAttribute('data-shortcut', 'klacht');
  await input.press('Enter');
  await expect(menu).toBeHidden();

  // The X variant, with the customer's first name for {{customer.name}}.
  const value = await input.inputValue();
  expect(value).toMatch(/^Hoi Els, wat vervelend! Dien je klacht in via polderpost\.nl\/klacht/);
  expect(value).not.toContain('{{');
  const left = 280 - countText('x_mention', value).length;
  await expect(page.getByTestId('reply-counter')).toContainText(String(left));

  // Editable before sending.
  await input.press('End');
  await input.pressSequentially(` ${Date.now()}`);
  const final = await input.inputValue();
  await page.getByTestId('reply-send').click();
  await expect(input).toHaveValue('');

  const conversation = page.getByTestId('conversation');
  await expect(conversation.getByTestId('outbox-item').filter({ hasText: final })).toHaveAttribute('data-state', 'sent');
  await expect(conversation.getByTestId('thread-message').filter({ hasText: final.slice(0, 40) })).toBeVisible();
  const mine = (await posted()).filter((p) => p.text === final);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ kind: 'x_reply', inReplyToId: injected.id });
});

test('offline, two replies wait in the outbox; when the network is back each is posted exactly once', async ({ page }) => {
  test.setTimeout(180_000);
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const stamp = Date.now();
  const a = await sandbox('/__sandbox/inject', { channel: 'x_mention', text: `Waar blijft mijn zending A ${stamp}?`, authorName: 'Anna Bakker', authorHandle: 'annab' });
  const b = await sandbox('/__sandbox/inject', { channel: 'x_mention', text: `Pakket B ${stamp} is beschadigd`, authorName: 'Bram Smit', authorHandle: 'brams' });
  const cardA = page.locator(`[data-testid="card"][data-key="x_mention:${a.id}"]`);
  const cardB = page.locator(`[data-testid="card"][data-key="x_mention:${b.id}"]`);
  await expect(cardA).toBeVisible({ timeout: 30_000 });
  await expect(cardB).toBeVisible({ timeout: 30_000 });

  // The network goes: every platform request is reset. The host notices on its next poll.
  await sandbox('/__sandbox/faults', { path: '/', times: 0, fault: { type: 'reset' } });
  try {
    await expect(page.getByTestId('offline')).toBeVisible({ timeout: 60_000 });

    const texts = [`Hoi Anna, we zoeken het uit ${stamp}`, `Hoi Bram, wat vervelend ${stamp}`];
    for (const [card, text] of [
      [cardA, texts[0]],
      [cardB, texts[1]],
    ] as const) {
      await card.click();
      await page.getByTestId('reply-input').fill(text as string);
      await page.getByTestId('reply-send').click();
      await expect(page.getByTestId('reply-input')).toHaveValue('');
      await expect(page.getByTestId('conversation').getByTestId('outbox-item').filter({ hasText: text as string })).toHaveAttribute('data-state', 'queued');
    }
    await expect(page.getByTestId('outbox-count')).toHaveText('2');
    await page.getByTestId('open-outbox').click();
    const dialog = page.getByTestId('outbox');
    await expect(dialog.getByTestId('outbox-item').filter({ hasText: String(stamp) })).toHaveCount(2);
    for (const text of texts) await expect(dialog.getByTestId('outbox-item').filter({ hasText: text })).toHaveAttribute('data-state', 'queued');
    expect((await posted()).filter((p) => p.text && texts.includes(p.text))).toHaveLength(0);

    // The network is back: the queue drains by itself.
    await sandbox('/__sandbox/faults', undefined, 'DELETE');
    for (const text of texts) {
      await expect(dialog.getByTestId('outbox-item').filter({ hasText: text })).toHaveAttribute('data-state', 'sent', { timeout: 90_000 });
    }
    await page.waitForTimeout(2000);
    const all = await posted();
    expect(all.filter((p) => p.text === texts[0])).toEqual([expect.objectContaining({ kind: 'x_reply', inReplyToId: a.id })]);
    expect(all.filter((p) => p.text === texts[1])).toEqual([expect.objectContaining({ kind: 'x_reply', inReplyToId: b.id })]);
  } finally {
    await sandbox('/__sandbox/faults', undefined, 'DELETE');
  }
});

test('a draft typed just before the page is reloaded is kept (it is written as the page goes)', async ({ page }) => {
  await page.goto(consoleUrl());
  await openMention(page, `Waar is mijn pakket ${Date.now()}`, 'Kees Smit', 'keess');
  const input = page.getByTestId('reply-input');
  const text = `Direct weg ${Date.now()}`;
  await input.pressSequentially(text);
  // At once: the last keys' write is not due yet.
  await page.reload();
  await page.getByTestId('open-outbox').click();
  await expect(page.getByTestId('draft-item').filter({ hasText: text })).toBeVisible();
});

test('a draft survives a reload and is listed', async ({ page }) => {
  await page.goto(consoleUrl());
  const text = `Klein concept ${Date.now()}`;
  await openMention(page, `Vraag over bezorging ${Date.now()}`, 'Piet Jansen', 'pietj');
  await page.getByTestId('reply-input').fill(text);
  await page.waitForTimeout(300);
  await page.reload();
  await page.getByTestId('open-outbox').click();
  const item = page.getByTestId('draft-item').filter({ hasText: text });
  await expect(item).toBeVisible();
  await item.getByRole('button', { name: 'Open conversation' }).click();
  await expect(page.getByTestId('reply-input')).toHaveValue(text);

  // Deleting it from the list takes two clicks (the first only asks), and empties the reply box too.
  await page.getByTestId('open-outbox').click();
  const del = page.getByTestId('draft-item').filter({ hasText: text }).getByTestId('draft-delete');
  await del.click();
  await expect(del).toHaveText('Really delete this draft?');
  await expect(page.getByTestId('draft-item').filter({ hasText: text })).toHaveCount(1);
  await del.click();
  await expect(page.getByTestId('draft-item').filter({ hasText: text })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('reply-input')).toHaveValue('');
});

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test('an image goes only when attached to this draft, shown as a thumbnail and confirmed', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const injected = await openMention(page, `Kijk, de doos is nat ${Date.now()}`, 'Sanne Visser', 'sannev');
  const text = `Hoi Sanne, zo hoort hij eruit te zien ${Date.now()}`;
  await page.getByTestId('reply-input').fill(text);
  await page.getByTestId('reply-attach-input').setInputFiles({ name: 'doos.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByTestId('reply-media-item').locator('img')).toBeVisible();
  await page.getByTestId('reply-send').click();
  const confirm = page.getByTestId('reply-media-confirm');
  await expect(confirm).toBeVisible();
  await expect(confirm.getByTestId('reply-media-confirm-item')).toHaveCount(1);
  expect((await posted()).some((p) => p.text === text)).toBe(false);
  await page.getByTestId('reply-media-confirm-send').click();
  await expect(page.getByTestId('conversation').getByTestId('outbox-item').filter({ hasText: text })).toHaveAttribute('data-state', 'sent');
  await expect(page.getByTestId('reply-media-item')).toHaveCount(0);
  const sent = (await posted()).filter((p) => p.text === text);
  expect(sent).toEqual([expect.objectContaining({ kind: 'x_reply', inReplyToId: injected.id })]);
  expect((sent[0] as Posted & { media?: string[] }).media).toHaveLength(1);
});

test('the signature counts; an over-long X reply can go as a numbered thread', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const injected = await openMention(page, `Lang verhaal over mijn pakket ${Date.now()}`, 'Kees Mulder', 'keesm');

  // The agent's initials give the signature ^GvA.
  await page.getByTestId('canned-picker').click();
  await page.getByTestId('canned-menu').getByRole('button').click();
  const library = page.getByTestId('canned-library');
  await expect(library).toBeVisible();
  await library.getByTestId('profile-initials').fill('GvA');
  await library.getByTestId('profile-save').click();
  await library.getByRole('button', { name: 'Close' }).last().click();
  await expect(library).toBeHidden();

  const input = page.getByTestId('reply-input');
  await input.fill('a'.repeat(275));
  await expect(page.getByTestId('reply-signature')).toContainText('^GvA');
  await expect(page.getByTestId('reply-counter')).toContainText('0');
  await input.fill('a'.repeat(276));
  await expect(page.getByTestId('reply-send')).toBeDisabled();

  const stamp = Date.now();
  const words = Array.from({ length: 50 }, (_, i) => `woord${i}`).join(' ');
  await input.fill(`${words} ${stamp}`);
  await expect(page.getByTestId('reply-send')).toBeDisabled();
  await page.getByTestId('reply-split').check();
  await expect(page.getByTestId('reply-counter')).toContainText('2');
  await page.getByTestId('reply-send').click();

  await expect
    .poll(async () => (await posted()).filter((p) => p.text?.includes('woord')).filter((p) => p.text?.includes(String(stamp)) || p.text?.startsWith('woord0 ')).length, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(2);
  const parts = (await posted()).filter((p) => /woord\d+/.test(p.text ?? '') && /\d\/2$/.test(p.text ?? ''));
  const first = parts.find((p) => p.text?.startsWith('woord0 ') && p.text.endsWith(' 1/2') && p.inReplyToId === injected.id);
  expect(first).toBeTruthy();
  const second = parts.find((p) => p.text?.endsWith(`${stamp} ^GvA 2/2`));
  expect(second).toMatchObject({ kind: 'x_reply' });
  expect(second?.inReplyToId).not.toBe(injected.id);
  expect(countText('x_mention', first?.text ?? '').length).toBeLessThanOrEqual(280);
});

test('a thread keeps a link glued to a long CJK run whole; a thread that cannot be made says why and cannot be sent', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  await openMention(page, `我的包裹在哪里？ ${Date.now()}`, 'Li Wei', 'liwei');

  const input = page.getByTestId('reply-input');
  const link = 'https://www.polderpost.nl/zh/klantenservice/pakket-kwijt?ref=webcare';
  await input.fill(`${'您好，关于您的包裹，我们非常抱歉给您带来不便。'.repeat(6)}请查看${link}，谢谢。`);
  await page.getByTestId('reply-split').check();
  const parts = page.locator('.composer-parts li');
  await expect(parts).toHaveCount(2);
  const texts = await parts.allTextContents();
  expect(texts.filter((p) => p.includes(link))).toHaveLength(1);
  for (const p of texts) expect(countText('x_mention', p).length).toBeLessThanOrEqual(280);
  await expect(page.getByTestId('reply-send')).toBeEnabled();

  // One letter with 300 accents cannot be cut and fits in no post: refused, with the reason.
  await input.fill(`Hoi e${'\u0301'.repeat(300)}`);
  await expect(page.getByTestId('reply-reason')).toContainText('cannot be split');
  await expect(page.getByTestId('reply-send')).toBeDisabled();
  await expect(parts).toHaveCount(0);
});

test('a reply the platform refuses says why; Retry sends it under the same id, Edit puts it back in the draft', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  await openMention(page, `Kan iemand mij helpen ${Date.now()}`, 'Lotte de Boer', 'lotteb');
  const conversation = page.getByTestId('conversation');

  // The platform refuses the next post once (a clean 4xx: certainly not posted).
  await sandbox('/__sandbox/faults', { method: 'POST', path: '/x/2/tweets', times: 1, fault: { type: 'status', status: 400, body: { title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' } } });
  const text = `Hoi Lotte, we helpen je graag ${Date.now()}`;
  await page.getByTestId('reply-input').fill(text);
  await page.getByTestId('reply-send').click();
  const item = conversation.getByTestId('outbox-item').filter({ hasText: text });
  await expect(item).toHaveAttribute('data-state', 'failed');
  await expect(item.getByRole('alert')).toBeVisible();
  expect((await posted()).filter((p) => p.text === text)).toHaveLength(0);
  await item.getByTestId('outbox-retry').click();
  await expect(item).toHaveAttribute('data-state', 'sent');
  expect((await posted()).filter((p) => p.text === text)).toHaveLength(1);

  // Refused again: this time the agent edits it.
  await sandbox('/__sandbox/faults', { method: 'POST', path: '/x/2/tweets', times: 1, fault: { type: 'status', status: 400 } });
  const second = `Nog een vraag voor Lotte ${Date.now()}`;
  await page.getByTestId('reply-input').fill(second);
  await page.getByTestId('reply-send').click();
  const item2 = conversation.getByTestId('outbox-item').filter({ hasText: second });
  await expect(item2).toHaveAttribute('data-state', 'failed');
  await item2.getByTestId('outbox-edit').click();
  await expect(page.getByTestId('reply-input')).toHaveValue(second);
  await expect(item2).toHaveCount(0);
  expect((await posted()).filter((p) => p.text === second)).toHaveLength(0);
});

test('a reply whose answer got lost shows "checking" and ends posted exactly once', async ({ page }) => {
  test.setTimeout(120_000);
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const injected = await openMention(page, `Is mijn pakket al onderweg ${Date.now()}`, 'Noor Hendriks', 'noorh');
  const { brand } = await sandbox('/__sandbox/state');
  // X carries out the post, then the connection drops before the answer; looking for it fails for now too.
  await sandbox('/__sandbox/faults', { method: 'POST', path: '/x/2/tweets', times: 1, fault: { type: 'commitThen', then: 'reset' } });
  const lookup = await sandbox('/__sandbox/faults', { method: 'GET', path: `/x/2/users/${brand.xUserId}/tweets`, times: 0, fault: { type: 'status', status: 503 } });
  try {
    const text = `Hoi Noor, hij is onderweg ${Date.now()}`;
    await page.getByTestId('reply-input').fill(text);
    await page.getByTestId('reply-send').click();
    const item = page.getByTestId('conversation').getByTestId('outbox-item').filter({ hasText: text });
    await expect(item).toHaveAttribute('data-state', 'unknown', { timeout: 30_000 });
    await expect(item).toContainText('it will not post it twice');
    expect((await posted()).filter((p) => p.text === text)).toHaveLength(1);

    // The platform can be read again: the console finds its reply instead of posting it again.
    await sandbox(`/__sandbox/faults/${lookup.id}`, undefined, 'DELETE');
    await expect(item).toHaveAttribute('data-state', 'sent', { timeout: 60_000 });
    await page.waitForTimeout(1000);
    expect((await posted()).filter((p) => p.text === text)).toEqual([expect.objectContaining({ kind: 'x_reply', inReplyToId: injected.id })]);
  } finally {
    await sandbox('/__sandbox/faults', undefined, 'DELETE');
  }
});
