import { expect, test, type Page } from './fixtures';

const consoleUrl = () => process.env.WEBCARE_CONSOLE_URL as string;
const sandboxUrl = () => process.env.WEBCARE_SANDBOX_URL as string;

async function sandbox(path: string, body?: unknown) {
  const res = await fetch(`${sandboxUrl()}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

function failOnDialogs(page: Page) {
  page.on('dialog', async (d) => {
    await d.dismiss();
    throw new Error(`a dialog opened: ${d.message()}`);
  });
}

test('sandbox messages arrive in all four columns; a reply is posted and survives a reload', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  for (const channel of ['x_mention', 'x_dm', 'fb_comment', 'fb_message']) {
    await expect(page.getByTestId(`column-${channel}`).getByTestId('card').first()).toBeVisible();
  }

  // A fresh mention arrives live.
  const injected = await sandbox('/__sandbox/inject', { channel: 'x_mention', text: 'Mijn pakket 3SPLD998877665 is nog steeds niet bezorgd, wat nu?', authorName: 'Els de Vries', authorHandle: 'elsdv' });
  const card = page.locator(`[data-testid="card"][data-key="x_mention:${injected.id}"]`);
  await expect(card).toBeVisible();
  await expect(card).toContainText('Els de Vries');
  await expect(card).toContainText('@elsdv');

  // Open it, reply with the keyboard, watch the counter.
  await card.click();
  const conversation = page.getByTestId('conversation');
  await expect(conversation).toContainText('3SPLD998877665');
  const reply = `Hoi Els, vervelend! Stuur je ons een DM met je postcode? ^GvA ${Date.now()}`;
  await page.getByTestId('reply-input').fill(reply);
  await expect(page.getByTestId('reply-counter')).toContainText(String(280 - reply.length));
  await page.getByTestId('reply-send').click();
  await expect(conversation.getByTestId('thread-message').filter({ hasText: reply })).toBeVisible();
  await expect(page.getByTestId('reply-input')).toHaveValue('');

  const posted = (await sandbox('/__sandbox/posted')).posted;
  expect(posted.filter((p: { text?: string }) => p.text === reply)).toHaveLength(1);
  expect(posted.find((p: { text?: string }) => p.text === reply)).toMatchObject({ kind: 'x_reply', inReplyToId: injected.id });

  // History lives in IndexedDB: after a reload it is all still there.
  await page.reload();
  await expect(card).toBeVisible();
  await card.click();
  await expect(page.getByTestId('conversation').getByTestId('thread-message').filter({ hasText: reply })).toBeVisible();
});

test('over-long replies cannot be sent and say why', async ({ page }) => {
  await page.goto(consoleUrl());
  await page.getByTestId('column-x_mention').getByTestId('card').first().click();
  await page.getByTestId('reply-input').fill('a'.repeat(281));
  await expect(page.getByTestId('reply-send')).toBeDisabled();
  await expect(page.getByTestId('reply-counter')).toContainText('-1');
});

test('the 2014 TweetDeck worm renders as inert text', async ({ page }) => {
  failOnDialogs(page);
  await page.goto(consoleUrl());
  const payload = `<script class="xss">$('.xss').parents().eq(1).find('a').eq(1).click();$('[data-action=retweet]').click();alert('XSS in Tweetdeck')</script>♥`;
  const injected = await sandbox('/__sandbox/inject', { channel: 'x_mention', text: payload, authorName: '<img src=x onerror=alert(1)>', authorHandle: 'derGeruhn' });
  const card = page.locator(`[data-testid="card"][data-key="x_mention:${injected.id}"]`);
  await expect(card).toBeVisible();
  await expect(card).toContainText("alert('XSS in Tweetdeck')</script>♥");
  await expect(card).toContainText('<img src=x onerror=alert(1)>');
  expect(await page.locator('script.xss, img[onerror]').count()).toBe(0);
  await card.click();
  await expect(page.getByTestId('conversation')).toContainText('XSS in Tweetdeck');
  expect((await sandbox('/__sandbox/posted')).posted.some((p: { text?: string }) => p.text?.includes('XSS'))).toBe(false);
});

test('a page opened without its secret explains what to do', async ({ page }) => {
  await page.goto(consoleUrl().replace(/#.*$/, ''));
  await expect(page.getByTestId('no-host')).toBeVisible();
});
