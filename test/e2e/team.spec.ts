import { expect, test, type Browser, type Page } from '@playwright/test';
import pg from 'pg';
import { addMember } from '../../electron/host/team/members';
import { migrate } from '../../electron/host/team/migrate';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';
import { startPg, type PgServer } from '../support/pgServer';
import { isPoll, launchHost, sandboxRelay, type RunningHost, type SandboxRelay } from './host';

/**
 * Two consoles of one team side by side, as two agents at two desks: two browser
 * hosts (each its own data folder), one sandbox shared the way a team shares one
 * real account (each console reaching it through a relay of its own, which notes
 * what that console asked), one PostgreSQL. Anna's console signs the sandbox
 * accounts in and polls; Bram's reads what she stores.
 */
const PASSWORD = 'e2e-team-password';
const TEAM_KEY = 'e2e-team-key-0123456789';

let server: PgServer;
let sandbox: Sandbox;
let anna: RunningHost;
let bram: RunningHost;
let annaRelay: SandboxRelay;
let bramRelay: SandboxRelay;

async function sandboxCall<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandbox.url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as T;
}

async function open(browser: Browser, host: RunningHost): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(host.consoleUrl);
  return page;
}

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  server = await startPg();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await migrate(admin);
    await addMember(admin, { login: 'anna', password: PASSWORD, name: 'Anna', role: 'admin', departments: [] });
    await addMember(admin, { login: 'bram', password: PASSWORD, name: 'Bram', role: 'agent', departments: [] });
  } finally {
    await admin.end();
  }
  sandbox = await startSandbox({ port: 0, ratePerMinute: 0 });
  // The hosts poll ten times as often as a console does (POLL_SCALE in host.ts): at the real limits the
  // DM stream spends its window in a minute, so the limits are raised as for every shared e2e console.
  await sandboxCall('/__sandbox/limits', { scale: 100 });
  [annaRelay, bramRelay] = await Promise.all([sandboxRelay(sandbox.url), sandboxRelay(sandbox.url)]);
  const common = { WEBCARE_TEAM_KEY: TEAM_KEY };
  // Anna first: the first console of a team connects the sandbox accounts and sets the team key.
  anna = await launchHost({ ...common, WEBCARE_SANDBOX_URL: annaRelay.url, WEBCARE_TEAM_DB: server.urlFor('anna', PASSWORD) });
  bram = await launchHost({ ...common, WEBCARE_SANDBOX_URL: bramRelay.url, WEBCARE_TEAM_DB: server.urlFor('bram', PASSWORD) });
});

test.afterAll(async () => {
  await Promise.all([anna?.stop(), bram?.stop()]);
  await Promise.all([annaRelay?.close(), bramRelay?.close()]);
  await sandbox?.close();
  await server?.stop();
});

test('two consoles of one team: one polls, both see every message, a claim shows on the other, the second reply is held back until sent anyway', async ({ browser }) => {
  const a = await open(browser, anna);
  const b = await open(browser, bram);
  for (const page of [a, b]) {
    await expect(page.getByTestId('team-bar')).toBeVisible();
    await expect(page.getByTestId('column-x_mention').getByTestId('card').first()).toBeVisible({ timeout: 30_000 });
  }

  // A new mention reaches both boards through one poller.
  const injected = await sandboxCall<{ id: string }>('/__sandbox/inject', { channel: 'x_mention', text: 'Waar blijft mijn pakket 3SPLD4455? Al een week onderweg.', authorName: 'Fleur Jansen', authorHandle: 'fleurj' });
  const cardOn = (page: Page) => page.locator(`[data-testid="card"][data-key="x_mention:${injected.id}"]`);
  await expect(cardOn(a)).toBeVisible({ timeout: 30_000 });
  await expect(cardOn(b)).toBeVisible({ timeout: 30_000 });

  // What each console asked the sandbox, from its start on: the mentions (and every other stream)
  // are polled by Anna's console alone; Bram's board got them from the team's database.
  const mentionPolls = annaRelay.seen.filter((r) => isPoll(r) && /^\/x\/2\/users\/[^/]+\/mentions$/.test(r.path));
  expect(mentionPolls.length).toBeGreaterThan(0);
  expect(bramRelay.seen.filter(isPoll)).toEqual([]);

  // Anna opens the conversation and starts typing: Bram's board shows that she is replying.
  await cardOn(a).click();
  const annaReply = `Hoi Fleur, we zoeken het voor je uit! ^Anna ${Date.now()}`;
  await a.getByTestId('reply-input').fill(annaReply);
  await expect(cardOn(b).getByTestId('card-replying')).toContainText('Anna', { timeout: 5_000 });

  // Bram opens it too (he sees the claim there as well) and writes his own answer.
  await cardOn(b).click();
  await expect(b.getByTestId('conversation-replying')).toContainText('Anna');
  const bramReply = `Hoi Fleur, stuur ons een DM met je postcode. ^Bram ${Date.now()}`;
  await b.getByTestId('reply-input').fill(bramReply);

  // Anna sends first.
  await a.getByTestId('reply-send').click();
  await expect(a.getByTestId('conversation').getByTestId('thread-message').filter({ hasText: annaReply })).toBeVisible({ timeout: 20_000 });
  // Her reply reaches Bram's conversation, marked as hers.
  await expect(b.getByTestId('conversation').getByTestId('thread-message').filter({ hasText: annaReply })).toBeVisible({ timeout: 20_000 });

  // Bram's send is held back: a colleague answered since he opened the conversation.
  await b.getByTestId('reply-send').click();
  const collision = b.getByTestId('outbox-collision');
  await expect(collision).toBeVisible({ timeout: 20_000 });
  await expect(collision).toHaveAttribute('data-reason', 'replied');
  await expect(collision).toContainText('Anna');
  let posted = (await sandboxCall<{ posted: { text?: string }[] }>('/__sandbox/posted')).posted;
  expect(posted.filter((p) => p.text === annaReply)).toHaveLength(1);
  expect(posted.filter((p) => p.text === bramReply)).toHaveLength(0);

  // Having read it, he sends anyway: it goes out once.
  await b.getByTestId('outbox-send-anyway').click();
  await expect(b.getByTestId('conversation').getByTestId('thread-message').filter({ hasText: bramReply })).toBeVisible({ timeout: 20_000 });
  posted = (await sandboxCall<{ posted: { text?: string }[] }>('/__sandbox/posted')).posted;
  expect(posted.filter((p) => p.text === annaReply)).toHaveLength(1);
  expect(posted.filter((p) => p.text === bramReply)).toHaveLength(1);
});

test('an admin puts an account in a department on the accounts screen; a colleague reads it there', async ({ browser }) => {
  const a = await open(browser, anna);
  const b = await open(browser, bram);
  await a.getByTestId('open-accounts').click();
  const xCard = a.getByTestId('accounts-screen').locator('[data-testid="account-card"][data-account-id^="x:"]');
  const field = xCard.getByTestId('account-department-input');
  await expect(field).toHaveValue('');
  await field.fill('billing');
  await xCard.getByTestId('account-department-save').click();
  // Saved once the team's answer carries it: the field shows the account's department, no longer "saving".
  await expect(xCard.getByTestId('account-department')).not.toContainText('Saving', { timeout: 20_000 });
  await expect(field).toHaveValue('billing');

  // Bram, an agent, reads it and cannot change it.
  await b.getByTestId('open-accounts').click();
  const bramCard = b.getByTestId('accounts-screen').locator('[data-testid="account-card"][data-account-id^="x:"]');
  await expect(bramCard.getByTestId('account-department')).toHaveText('Department: billing', { timeout: 20_000 });
  await expect(bramCard.getByTestId('account-department-input')).toHaveCount(0);
  await a.screenshot({ path: test.info().outputPath('account-department.png') });
});

test('the canned-reply library is the team’s: a reply Anna saves is offered to Bram, and his use counts at Anna’s console', async ({ browser }) => {
  const a = await open(browser, anna);
  const b = await open(browser, bram);
  const injected = await sandboxCall<{ id: string }>('/__sandbox/inject', { channel: 'x_mention', text: `Mijn pakket is beschadigd ${Date.now()}`, authorName: 'Joost de Vries', authorHandle: 'joostdv' });
  const cardOn = (page: Page) => page.locator(`[data-testid="card"][data-key="x_mention:${injected.id}"]`);
  await cardOn(a).click({ timeout: 30_000 });
  await a.getByTestId('canned-picker').click();
  await a.getByTestId('canned-menu').getByRole('button').click();
  const library = a.getByTestId('canned-library');
  await library.getByTestId('canned-new').click();
  const title = `Schade melden ${Date.now()}`;
  await library.getByTestId('canned-title').fill(title);
  await library.getByTestId('canned-shortcut').fill('teamschade');
  await library.getByTestId('canned-body').fill('Hoi {{customer.name|daar}}, wat vervelend! Stuur ons een foto van de schade via een DM.');
  await library.getByTestId('canned-save').click();
  await library.getByRole('button', { name: 'Close' }).last().click();

  // Bram's console offers it, as typed after "/".
  await cardOn(b).click({ timeout: 30_000 });
  await b.getByTestId('reply-input').fill('/teamschade');
  const option = b.getByTestId('canned-menu').getByTestId('canned-option').filter({ hasText: title });
  await expect(option).toBeVisible({ timeout: 20_000 });
  await option.click();
  await expect(b.getByTestId('reply-input')).toHaveValue(/^Hoi Joost, wat vervelend!/);

  // His use reaches Anna's store, under his name (what her reports count).
  const usesAt = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<{ cannedId: string; by: string }[]>((resolve, reject) => {
          const req = indexedDB.open('webcare');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const tx = req.result.transaction('cannedUses', 'readonly');
            const all = tx.objectStore('cannedUses').getAll();
            all.onsuccess = () => {
              resolve((all.result as { cannedId: string; by: string }[]).map(({ cannedId, by }) => ({ cannedId, by })));
              req.result.close();
            };
            all.onerror = () => reject(all.error);
          };
        }),
    );
  await expect.poll(async () => (await usesAt(a)).filter((u) => u.by === 'Bram').length, { timeout: 20_000 }).toBe(1);
});
