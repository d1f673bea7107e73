import { expect, test } from './fixtures';

const consoleUrl = () => process.env.WEBCARE_CONSOLE_URL as string;
const sandboxUrl = () => process.env.WEBCARE_SANDBOX_URL as string;

async function inject(body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await fetch(`${sandboxUrl()}/__sandbox/inject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as { id: string };
}

test('search history by word prefix, open a result in the conversation, save the search as a column', async ({ page }) => {
  await page.goto(consoleUrl());
  await expect(page.getByTestId('card').first()).toBeVisible();

  // A word no generated message has, written with diacritics; searched without them, by its start.
  const word = `Kwëtterbörd${Date.now().toString(36)}`;
  const folded = word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const hit = await inject({ channel: 'x_mention', text: `De verbinding met ${word} is al de hele dag weg`, authorName: 'Zoë Jansen', authorHandle: 'zoej' });
  await inject({ channel: 'fb_comment', text: `Geen ${word.slice(0, 4)} hier, alleen een vraag over mijn pakket` });
  await expect(page.locator(`[data-testid="card"][data-key="x_mention:${hit.id}"]`)).toBeVisible();

  // `/` opens search from the board (nothing focused in a field).
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  const input = page.getByTestId('search-input');
  await expect(input).toBeFocused();

  await input.fill(folded.slice(0, folded.length - 3).toUpperCase());
  const results = page.getByTestId('search-result');
  await expect(results).toHaveCount(1);
  await expect(results.first()).toHaveAttribute('data-key', `x_mention:${hit.id}`);
  await expect(results.first().locator('mark')).toHaveText(word);

  // Two terms must both match; the channel filter narrows.
  await input.fill(`verbin ${folded.slice(0, 8)}`);
  await expect(results).toHaveCount(1);
  await page.getByTestId('search-channel').selectOption('fb_comment');
  await expect(page.getByTestId('search')).toContainText('Nothing found');
  await page.getByTestId('search-channel').selectOption('');
  await expect(results).toHaveCount(1);

  // Keyboard: down from the field to the result, Enter opens it in the conversation view.
  await input.press('ArrowDown');
  await expect(results.first()).toBeFocused();
  await page.keyboard.press('Enter');
  const conversation = page.getByTestId('conversation');
  await expect(conversation.getByTestId('thread-message').filter({ hasText: word })).toBeVisible();

  // Saved as a column: it shows on the board with the message in it.
  await page.getByTestId('search-save').click();
  await expect(page.getByTestId('search')).toContainText('Saved as a column');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('search')).toHaveCount(0);
  const column = page.locator('section.column').filter({ hasText: `Search: verbin ${folded.slice(0, 8)}` });
  await expect(column).toHaveCount(1);
  await expect(column.locator(`[data-testid="card"][data-key="x_mention:${hit.id}"]`)).toBeVisible();

  // The button opens it too, with the last search still there.
  await page.getByTestId('search-open').click();
  await expect(page.getByTestId('search-input')).toHaveValue(`verbin ${folded.slice(0, 8)}`);
});
