import { expect, test } from '@playwright/test';
import { launchHost, type RunningHost } from './host';

/**
 * The accounts screen against a host of its own (removing accounts must not
 * disturb the shared host of the other specs): list, remove, connect X through
 * the sandbox's OAuth, connect a Facebook Page with a pasted token, and the
 * connector health view.
 */
let host: RunningHost;

test.beforeAll(async () => {
  host = await launchHost({ WEBCARE_SANDBOX_RATE: '30' });
});

test.afterAll(async () => {
  await host?.stop();
});

async function sandbox(path: string, body?: unknown) {
  const res = await fetch(`${host.sandboxUrl}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

test('accounts: listed with token state and scopes; X removed and connected again through OAuth; a Page connected by token; health shows streams', async ({ page }) => {
  await page.goto(host.consoleUrl);
  await expect(page.getByTestId('account')).toHaveCount(2);
  await page.getByTestId('open-accounts').click();
  const screen = page.getByTestId('accounts-screen');
  await expect(screen).toBeVisible();
  const cards = screen.getByTestId('account-card');
  await expect(cards).toHaveCount(2);

  const xCard = screen.locator('[data-testid="account-card"][data-account-id^="x:"]');
  await expect(xCard).toContainText('@polderpost');
  await expect(xCard.getByTestId('account-state')).toHaveText('Connected');
  await expect(xCard.getByTestId('account-token')).toContainText('Access token valid until');
  await expect(xCard).toContainText('media.write');
  await expect(xCard).toContainText('Everything the console needs is granted.');
  const fbCard = screen.locator('[data-testid="account-card"][data-account-id^="fb:"]');
  await expect(fbCard.getByTestId('account-token')).toContainText('does not expire');
  await expect(fbCard).toContainText('MODERATE');

  // Remove the X account (with a confirmation); it leaves the top bar too.
  await xCard.getByTestId('account-remove').click();
  await xCard.getByTestId('account-remove-yes').click();
  await expect(cards).toHaveCount(1);
  await expect(page.getByTestId('account')).toHaveCount(1);

  // Connect X: the sandbox's authorize page approves by itself, the loopback listener gets the code.
  await screen.getByTestId('connect-x-button').click();
  await expect(cards).toHaveCount(2);
  await expect(xCard.getByTestId('account-state')).toHaveText('Connected');
  const requests = (await sandbox('/__sandbox/requests')).requests as { method: string; path: string; status: number }[];
  expect(requests.filter((r) => r.method === 'POST' && r.path === '/x/2/oauth2/token' && r.status === 200).length).toBeGreaterThanOrEqual(2);

  // Remove the Page, then connect it again with a pasted System User token.
  await fbCard.getByTestId('account-remove').click();
  await fbCard.getByTestId('account-remove-yes').click();
  await expect(cards).toHaveCount(1);
  const { access_token: token } = (await sandbox('/__sandbox/facebook/token', {})) as { access_token: string };
  const connectFb = screen.getByTestId('connect-facebook').first();
  await connectFb.getByTestId('fb-token').fill(token);
  await connectFb.getByTestId('fb-list-pages').click();
  await expect(connectFb.getByTestId('fb-page-choice')).toHaveCount(1);
  await expect(connectFb.getByTestId('fb-page-choice')).toBeChecked();
  await connectFb.getByTestId('fb-connect').click();
  await expect(cards).toHaveCount(2);
  await expect(connectFb.getByTestId('fb-token')).toHaveValue('');

  // A keyword search on the X account: saved, listed, polled as a stream of its own.
  const searches = xCard.getByTestId('account-searches');
  await searches.locator('summary').click();
  await searches.getByTestId('search-name').fill('Kwijt');
  await searches.getByTestId('search-query').fill('"pakket kwijt" -is:retweet lang:nl');
  await searches.getByTestId('search-save').click();
  await expect(searches.getByTestId('saved-search')).toHaveCount(1);
  await expect(searches.getByTestId('saved-search')).toContainText('"pakket kwijt" -is:retweet lang:nl');

  // The health view: every stream of both accounts, with a poll behind it.
  await screen.getByTestId('accounts-tab-health').click();
  const health = screen.getByTestId('health-view');
  await expect(health).toBeVisible();
  for (const kind of ['x_mentions', 'x_own', 'x_dms', 'x_search', 'fb_comments', 'fb_visitor_posts', 'fb_messages']) {
    await expect(health.locator(`[data-testid="health-stream"][data-kind="${kind}"]`)).toHaveCount(1);
  }
  await expect(health.locator('[data-kind="x_search"]')).toContainText('Search: Kwijt');
  await expect(health.locator('[data-kind="x_mentions"]')).not.toContainText('not yet');
  await expect(page.getByTestId('health-total-cost')).toContainText('$');

  // Nothing token-like ever reached the page.
  const html = await page.content();
  expect(html).not.toContain(token);
});

test('Sign in with Facebook: the code is shown, the device page approves it, the Page is chosen and connected', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(host.consoleUrl);
  await page.getByTestId('open-accounts').click();
  const screen = page.getByTestId('accounts-screen');
  const cards = screen.getByTestId('account-card');
  const fbCard = screen.locator('[data-testid="account-card"][data-account-id^="fb:"]');
  await expect(fbCard).toHaveCount(1);
  await fbCard.getByTestId('account-remove').click();
  await fbCard.getByTestId('account-remove-yes').click();
  await expect(fbCard).toHaveCount(0);

  const signIn = screen.getByTestId('signin-facebook');
  await signIn.getByTestId('fb-signin-start').click();
  await expect(signIn.getByTestId('fb-signin-code')).toHaveText(/^[A-Z0-9]{8}$/);
  await expect(signIn.getByTestId('fb-signin-pending')).toContainText('/facebook/device');
  // The host polls Graph every 5 s meanwhile; the sandbox's device page approves the code.
  await signIn.getByTestId('fb-signin-open').click();
  await expect(signIn.getByTestId('fb-page-choice')).toHaveCount(1, { timeout: 20_000 });
  await expect(signIn.getByTestId('fb-page-choice')).toBeChecked();
  await signIn.getByTestId('fb-connect').click();
  await expect(fbCard).toHaveCount(1);
  await expect(cards).toHaveCount(2);
  await expect(signIn.getByTestId('fb-signin-start')).toBeVisible();
  const requests = (await sandbox('/__sandbox/requests')).requests as { path: string; status: number }[];
  expect(requests.filter((r) => r.path.endsWith('/device/login_status') && r.status === 200)).toHaveLength(1);
  expect(await page.content()).not.toContain('EAAS');
});
