import { expect, test } from './fixtures';

const consoleUrl = () => process.env.WEBCARE_CONSOLE_URL as string;
const sandboxUrl = () => process.env.WEBCARE_SANDBOX_URL as string;

async function inject(body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await fetch(`${sandboxUrl()}/__sandbox/inject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as { id: string };
}

test('the customer panel links an X handle to a Facebook name, shows their other conversation, and the link can be undone', async ({ page }) => {
  await page.goto(consoleUrl());
  await expect(page.getByTestId('card').first()).toBeVisible();
  const tag = Date.now().toString(36);
  const handle = `wietske${tag}`;
  const fbName = `Wietske Fb${tag}`;
  const onX = await inject({ channel: 'x_mention', text: `Waar blijft mijn pakket? ${tag}`, authorName: `Wietske X${tag}`, authorHandle: handle });
  const onFb = await inject({ channel: 'fb_message', text: `Ik stuurde jullie ook al een tweet over mijn pakket ${tag}`, authorName: fbName });

  const card = page.locator(`[data-testid="card"][data-key="x_mention:${onX.id}"]`);
  await expect(card).toBeVisible();
  await expect(page.locator(`[data-testid="card"][data-key="fb_message:${onFb.id}"]`)).toBeVisible();
  await card.click();

  const panel = page.getByTestId('customer');
  await expect(panel).toContainText(`@${handle}`);
  await expect(panel.getByTestId('open-on-platform')).toBeVisible();
  await expect(panel.getByTestId('customer-conversation')).toHaveCount(0);

  await panel.getByText('Link another identity').click();
  await panel.getByTestId('customer-link-input').fill(`fb${tag}`);
  await panel.getByTestId('customer-link').click();
  await expect(panel.getByTestId('customer-identities').locator('li')).toHaveCount(2);
  const earlier = panel.getByTestId('customer-conversation');
  await expect(earlier).toHaveCount(1);
  await expect(earlier).toHaveAttribute('data-key', `fb_message:${onFb.id}`);

  // Undo takes the link away again.
  await panel.getByTestId('customer-undo').click();
  await expect(panel.getByTestId('customer-identities')).toHaveCount(0);
  await expect(earlier).toHaveCount(0);

  // Linked again, the earlier conversation opens in the conversation view.
  await panel.getByTestId('customer-link-input').fill(`fb${tag}`);
  await panel.getByTestId('customer-link').click();
  await earlier.click();
  await expect(page.getByTestId('conversation').getByTestId('thread-message').filter({ hasText: 'een tweet over mijn pakket' })).toBeVisible();
  // From the Facebook side, the X conversation is the earlier one.
  await expect(page.getByTestId('customer').getByTestId('customer-conversation')).toHaveAttribute('data-key', `x_mention:${onX.id}`);
});

test('a person who writes while the link box is open is found without typing the name again', async ({ page }) => {
  await page.goto(consoleUrl());
  const tag = Date.now().toString(36);
  const onX = await inject({ channel: 'x_mention', text: `Mijn retour is zoek ${tag}`, authorName: `Joris X${tag}`, authorHandle: `joris${tag}` });
  const card = page.locator(`[data-testid="card"][data-key="x_mention:${onX.id}"]`);
  await card.click({ timeout: 30_000 });
  const panel = page.getByTestId('customer');
  await panel.getByText('Link another identity').click();
  await panel.getByTestId('customer-link-input').fill(`later${tag}`);
  // Nobody by that name yet: the search has run and found no one.
  await page.waitForTimeout(500);
  await expect(panel.getByTestId('customer-link')).toHaveCount(0);

  // Now they write on Facebook: stored, indexed a moment later, and offered in the open box.
  const onFb = await inject({ channel: 'fb_message', text: `Ik mailde ook al over mijn retour ${tag}`, authorName: `Joris Later${tag}` });
  await expect(page.locator(`[data-testid="card"][data-key="fb_message:${onFb.id}"]`)).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByTestId('customer-link')).toBeVisible({ timeout: 15_000 });
});
