import { expect, test, type Browser, type Page } from '@playwright/test';
import pg from 'pg';
import { addMember } from '../../electron/host/team/members';
import { migrate } from '../../electron/host/team/migrate';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';
import { startPg, type PgServer } from '../support/pgServer';
import { launchHost, type RunningHost } from './host';

/**
 * A shift of a team of consoles on the sandbox: Lea (team lead; her console
 * signs the sandbox accounts in and polls), Bram (agent), Sara (specialist,
 * billing) and Dora (who handles only billing's conversations). Each test is
 * one part of the workflow, in order.
 */
const PASSWORD = 'e2e-workflow-password';
const TEAM_KEY = 'e2e-workflow-key-0123456789';

let server: PgServer;
let sandbox: Sandbox;
let lea: RunningHost;
let bram: RunningHost;
let sara: RunningHost;
let dora: RunningHost;
const pages = new Map<string, Page>();

async function sandboxCall<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandbox.url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as T;
}

async function posted(): Promise<{ text?: string }[]> {
  return (await sandboxCall<{ posted: { text?: string }[] }>('/__sandbox/posted')).posted;
}

/** The console of `who`, opened once and kept for the following tests. */
async function consoleOf(browser: Browser, who: 'lea' | 'bram' | 'sara' | 'dora'): Promise<Page> {
  const known = pages.get(who);
  if (known) return known;
  const host = { lea, bram, sara, dora }[who];
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(host.consoleUrl);
  await expect(page.getByTestId('team-bar')).toBeVisible({ timeout: 30_000 });
  pages.set(who, page);
  return page;
}

/** A new mention from a customer, as every console's board shows it. */
async function injectMention(text: string): Promise<{ id: string; key: string }> {
  const { id } = await sandboxCall<{ id: string }>('/__sandbox/inject', { channel: 'x_mention', text, authorName: 'Fleur Jansen', authorHandle: 'fleurj' });
  return { id, key: `x_mention:${id}` };
}

const cardOn = (page: Page, key: string) => page.locator(`[data-testid="card"][data-key="${key}"]`);

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  server = await startPg();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await migrate(admin);
    await addMember(admin, { login: 'lea', password: PASSWORD, name: 'Lea', role: 'admin', departments: [] });
    await addMember(admin, { login: 'bram', password: PASSWORD, name: 'Bram', role: 'agent', departments: [] });
    await addMember(admin, { login: 'sara', password: PASSWORD, name: 'Sara', role: 'specialist', departments: ['billing'] });
    await addMember(admin, { login: 'dora', password: PASSWORD, name: 'Dora', role: 'department', departments: ['billing'] });
    // Support has a specialist, so it is a department a conversation can be given to.
    await addMember(admin, { login: 'sven', password: PASSWORD, name: 'Sven', role: 'specialist', departments: ['support'] });
  } finally {
    await admin.end();
  }
  sandbox = await startSandbox({ port: 0, ratePerMinute: 0 });
  const common = { WEBCARE_SANDBOX_URL: sandbox.url, WEBCARE_TEAM_KEY: TEAM_KEY };
  // Lea first: the first console of a team connects the sandbox accounts and sets the team key.
  lea = await launchHost({ ...common, WEBCARE_TEAM_DB: server.urlFor('lea', PASSWORD) });
  [bram, sara, dora] = await Promise.all([
    launchHost({ ...common, WEBCARE_TEAM_DB: server.urlFor('bram', PASSWORD) }),
    launchHost({ ...common, WEBCARE_TEAM_DB: server.urlFor('sara', PASSWORD) }),
    launchHost({ ...common, WEBCARE_TEAM_DB: server.urlFor('dora', PASSWORD) }),
  ]);
});

test.afterAll(async () => {
  for (const p of pages.values()) await p.context().close().catch(() => undefined);
  await Promise.all([lea?.stop(), bram?.stop(), sara?.stop(), dora?.stop()]);
  await sandbox?.close();
  await server?.stop();
});

// ── assignment and the specialist lane ───────────────────────────────────────
test('an agent asks a specialist, the specialist drafts the reply, the agent sends it', async ({ browser }) => {
  const l = await consoleOf(browser, 'lea');
  const b = await consoleOf(browser, 'bram');
  const s = await consoleOf(browser, 'sara');
  // Desktop notifications as the console shows them, recorded instead of shown (headless has no desktop).
  for (const page of [b, s]) {
    await page.evaluate(() => {
      const w = window as unknown as { __notes: { title: string; body: string }[]; Notification: unknown };
      w.__notes = [];
      w.Notification = class {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        constructor(title: string, options?: { body?: string }) {
          w.__notes.push({ title, body: options?.body ?? '' });
        }
      };
    });
  }
  const notes = (page: Page) => page.evaluate(() => (window as unknown as { __notes: { title: string; body: string }[] }).__notes.map((n) => `${n.title} | ${n.body}`));

  // What stays inside the team, each with a marker that must never reach the platform.
  const stamp = Date.now();
  const assignNote = `INTERN-A-${stamp} ken jij deze klant?`;
  const mention = `INTERN-N-${stamp} @Sara kijk je even mee?`;
  const question = `INTERN-Q-${stamp} Klopt het dat er twee keer is gefactureerd?`;
  const answer = `INTERN-R-${stamp} Ja, de tweede factuur is een fout van ons.`;
  const draft = `Hoi Fleur, de tweede factuur vervalt; je hoeft niets te doen. Excuses! ^Bram ${stamp}`;

  const { key } = await injectMention('Ik ben twee keer gefactureerd voor zending 3SPLD7788, klopt dat?');
  const channelCard = (page: Page) => page.getByTestId('column-x_mention').locator(`[data-testid="card"][data-key="${key}"]`);
  for (const page of [l, b, s]) await expect(channelCard(page)).toBeVisible({ timeout: 30_000 });

  // Lea gives the conversation to Bram from the card, with an internal note.
  await channelCard(l).getByTestId('card-assign').click();
  await l.getByTestId('assign-target').selectOption('login:bram');
  await l.getByTestId('assign-note').fill(assignNote);
  await l.getByTestId('assign-submit').click();
  await expect(l.getByTestId('assign-dialog')).toBeHidden();
  // Bram is told, and his "Assigned to me" column (every agent of a team has it) holds it.
  await expect(b.getByTestId('column-mine').locator(`[data-testid="card"][data-key="${key}"]`)).toBeVisible({ timeout: 45_000 });
  await expect.poll(() => notes(b), { timeout: 10_000 }).toContain(`Lea gave you a conversation | ${assignNote}`);
  await expect(channelCard(b).locator('.assignee-mark')).toContainText('Bram');

  // Bram opens it: the internal side shows Lea's note; he mentions Sara, then asks her.
  await channelCard(b).click();
  const panel = b.getByTestId('wf-panel');
  await expect(panel.getByTestId('wf-assigned')).toContainText('Bram');
  await expect(panel.getByTestId('wf-thread')).toContainText(assignNote);
  await panel.getByTestId('wf-text').fill(mention);
  await expect(panel).toContainText('Notifies: Sara');
  await panel.getByTestId('wf-submit').click();
  await expect(panel.getByTestId('wf-thread')).toContainText(mention);
  await panel.getByTestId('wf-mode-ask').check();
  await panel.getByTestId('wf-ask-target').selectOption('login:sara');
  await panel.getByTestId('wf-text').fill(question);
  await panel.getByTestId('wf-submit').click();
  // The conversation waits on the specialist, on every console.
  await expect(panel.getByTestId('wf-waiting')).toBeVisible();
  await expect(channelCard(b).getByTestId('card-waiting')).toBeVisible();
  await expect(channelCard(l).getByTestId('card-waiting')).toBeVisible({ timeout: 10_000 });

  // Sara is told twice (the mention, the question) and finds both under "For you".
  await expect.poll(() => notes(s), { timeout: 10_000 }).toEqual(expect.arrayContaining([`Bram mentioned you | ${mention}`, `Bram asks you something | ${question}`]));
  await expect(s.getByTestId('wf-inbox')).toHaveAttribute('data-count', '2');
  await s.getByTestId('wf-inbox').click();
  await s.locator('[data-testid="wf-inbox-item"][data-kind="ask"]').click();
  const saraPanel = s.getByTestId('wf-panel');
  await expect(saraPanel.getByTestId('wf-thread')).toContainText(question);
  // She answers internally and drafts the customer's reply.
  await saraPanel.getByTestId('wf-answer-text').fill(answer);
  await saraPanel.getByTestId('wf-answer-draft').fill(draft);
  await saraPanel.getByTestId('wf-answer-submit').click();
  await expect(saraPanel.getByTestId('wf-answer-form')).toHaveCount(0);
  await expect(channelCard(s).getByTestId('card-waiting')).toHaveCount(0);

  // Bram is told; the wait is over; he reviews her draft in his reply box and sends it.
  await expect.poll(() => notes(b), { timeout: 10_000 }).toContain(`Sara answered your question | ${answer}`);
  await expect(panel.getByTestId('wf-waiting')).toHaveCount(0);
  await expect(channelCard(b).getByTestId('card-waiting')).toHaveCount(0);
  await expect(panel.getByTestId('wf-thread')).toContainText(answer);
  await panel.getByTestId('wf-use-draft').click();
  await expect(b.getByTestId('reply-input')).toHaveValue(draft);
  await b.getByTestId('reply-send').click();
  await expect(b.getByTestId('conversation').getByTestId('thread-message').filter({ hasText: draft })).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => (await posted()).filter((p) => p.text === draft).length, { timeout: 20_000 }).toBe(1);

  // Nothing internal ever reached the platform: not in what was posted, not in any request made.
  const everything = JSON.stringify(await sandboxCall('/__sandbox/posted')) + JSON.stringify(await sandboxCall('/__sandbox/requests'));
  for (const marker of ['INTERN-A-', 'INTERN-N-', 'INTERN-Q-', 'INTERN-R-']) expect(everything).not.toContain(`${marker}${stamp}`);
  // (and the check reads what the platform got: the reply itself is there)
  expect(everything).toContain(JSON.stringify(draft));
});

// ── approval ─────────────────────────────────────────────────────────────────
test('a new agent’s reply waits for approval and is posted once, only after the lead approves', async ({ browser }) => {
  const l = await consoleOf(browser, 'lea');
  const b = await consoleOf(browser, 'bram');
  const reply = `Hoi Fleur, je pakket komt morgen tussen 9 en 12 uur. ^Bram ${Date.now()}`;
  const sent = async () => (await posted()).filter((p) => p.text === reply);

  // Lea puts Bram on "approval required" (team bar → Approval → Who needs approval).
  await l.getByTestId('open-approval').click();
  await l.getByTestId('approval-tab-policy').click();
  // The box follows the team's log (this console's action shows as pending at once), not the click itself.
  await l.getByTestId('approval-policy-login-bram').click();
  await expect(l.getByTestId('approval-policy-login-bram')).toBeChecked();
  await l.getByTestId('approval-dialog').getByRole('button', { name: 'Close', exact: true }).click();
  // The policy reached Bram's console through the team's log.
  await expect(b.getByTestId('approval-mine')).toBeVisible({ timeout: 20_000 });

  const { key } = await injectMention('Waar blijft mijn pakket? Track & trace zegt al twee dagen "onderweg".');
  const card = (page: Page) => page.getByTestId('column-x_mention').locator(`[data-testid="card"][data-key="${key}"]`);
  await expect(card(b)).toBeVisible({ timeout: 30_000 });
  await card(b).click();
  await expect(b.getByTestId('reply-needs-approval')).toBeVisible();
  await b.getByTestId('reply-input').fill(reply);
  await b.getByTestId('reply-send').click();

  // Bram's reply waits, and says so on his outbox entry under the conversation.
  const entry = b.getByTestId('conversation-outbox').getByTestId('outbox-item').filter({ hasText: reply });
  await expect(entry).toHaveAttribute('data-approval', 'pending', { timeout: 20_000 });
  await expect(entry.getByTestId('outbox-discard')).toHaveCount(0);

  // Lea's board shows it in the approval queue column; nothing is posted meanwhile.
  const item = l.getByTestId('approval-column').getByTestId('approval-item').filter({ hasText: reply });
  await expect(item).toBeVisible({ timeout: 20_000 });
  await expect(item).toContainText('Bram');
  await b.waitForTimeout(2_000);
  expect(await sent(), 'nothing is posted before Lea approves').toHaveLength(0);

  await item.getByTestId('approval-approve').click();
  await expect(item).toHaveCount(0, { timeout: 10_000 });
  await expect.poll(async () => (await sent()).length, { timeout: 20_000 }).toBe(1);

  // Bram's console learns it went out: his reply is in the thread, by him, and the entry is sent.
  await expect(b.getByTestId('conversation').getByTestId('thread-message').filter({ hasText: reply })).toBeVisible({ timeout: 30_000 });
  await expect(entry).toHaveAttribute('data-state', 'sent', { timeout: 30_000 });
  // And it stays posted exactly once.
  await b.waitForTimeout(3_000);
  expect(await sent()).toHaveLength(1);
});

// ── shifts and handover ──────────────────────────────────────────────────────
test('ending a shift releases the claims and shows the handover on a colleague’s console', async ({ browser }) => {
  const b = await consoleOf(browser, 'bram');
  const s = await consoleOf(browser, 'sara');
  const l = await consoleOf(browser, 'lea');

  // Bram and Sara go on duty.
  for (const page of [b, s]) {
    await page.getByTestId('shift-start').click();
    await expect(page.getByTestId('shift-state')).toContainText('On duty since');
  }

  // A customer writes; Bram opens the conversation and starts typing: he claims it, Sara's board shows it.
  const mention = await injectMention(`Mijn pakket 3SPLD7788 is zoek, wie helpt me? ${Date.now()}`);
  for (const page of [b, s]) await expect(cardOn(page, mention.key)).toBeVisible({ timeout: 30_000 });
  await cardOn(b, mention.key).click();
  const draft = `Hoi Fleur, we zoeken je pakket op. ^Bram ${Date.now()}`;
  await b.getByTestId('reply-input').fill(draft);
  await expect(cardOn(s, mention.key).getByTestId('card-replying')).toContainText('Bram', { timeout: 10_000 });

  // Bram ends his shift: the dialog lists the claim and the unsent draft; he hands the draft to Sara
  // and writes a note (without one, leaving work behind is refused).
  await b.getByTestId('shift-end').click();
  const dialog = b.getByTestId('shift-end-dialog');
  const left = dialog.getByTestId('shift-left-draft').filter({ hasText: draft });
  await expect(left).toBeVisible();
  const conversationKey = await left.getAttribute('data-key');
  expect(conversationKey).toMatch(/^x_mention:/);
  await expect(dialog.locator(`[data-testid="shift-left-group"][data-reason="claim"] [data-testid="shift-left-item"][data-key="${conversationKey}"]`)).toBeVisible();
  await left.getByTestId('shift-hand-to').selectOption('sara');
  await dialog.getByTestId('shift-end-confirm').click();
  await expect(dialog.getByTestId('shift-end-error')).toBeVisible();
  const note = `Fleur (3SPLD7788) wacht op een antwoord; concept staat klaar voor Sara. ${Date.now()}`;
  await dialog.getByTestId('shift-note').fill(note);
  await dialog.getByTestId('shift-end-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(b.getByTestId('shift-start')).toBeVisible({ timeout: 10_000 });

  // The claim is gone: in the database, and on Sara's board.
  await expect(cardOn(s, mention.key).getByTestId('card-replying')).toHaveCount(0, { timeout: 10_000 });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    const claims = await admin.query(`SELECT 1 FROM webcare.claims WHERE login = 'bram'`);
    expect(claims.rowCount).toBe(0);
    // The end of the shift is a queued action: the board shows it at once, the database a moment later.
    const shifts = async () => (await admin.query<{ login: string; off: boolean }>(`SELECT login, ended_at IS NOT NULL AS off FROM webcare.shifts ORDER BY login`)).rows;
    await expect.poll(shifts, { timeout: 10_000 }).toEqual([
      { login: 'bram', off: true },
      { login: 'sara', off: false },
    ]);
  } finally {
    await admin.end();
  }

  // Sara, on duty, sees the handover: Bram's note, the claimed conversation, the draft handed to her.
  const handover = s.locator('[data-testid="handover"][data-by="bram"]');
  await expect(handover).toBeVisible({ timeout: 15_000 });
  await expect(handover.getByTestId('handover-note')).toHaveText(note);
  await expect(handover.locator(`[data-testid="handover-item"][data-reason="claim"][data-key="${conversationKey}"]`)).toBeVisible();
  // She takes the draft into her reply for that conversation.
  await handover.getByTestId('handover-take').click();
  await expect(s.getByTestId('reply-input')).toHaveValue(draft);
  // And acknowledges the handover: it leaves her screen.
  await handover.getByTestId('handover-ack').click();
  await expect(handover).toHaveCount(0);
  // Lea (lead, off duty) is not asked to read it, but her duty overview shows it, read by Sara.
  await expect(l.locator('[data-testid="handover"][data-by="bram"]')).toHaveCount(0);
  await l.getByTestId('duty-open').click();
  const overview = l.getByTestId('duty-overview');
  await expect(overview.locator('[data-testid="duty-row"][data-login="sara"]')).toHaveAttribute('data-on-duty', 'true');
  await expect(overview.locator('[data-testid="duty-row"][data-login="bram"]')).toHaveAttribute('data-on-duty', 'false');
  await expect(overview.getByTestId('duty-handover').filter({ hasText: note }).getByTestId('duty-acks')).toContainText('Sara', { timeout: 15_000 });
  await l.keyboard.press('Escape');
  // Nothing of the handover reached the customer.
  expect((await posted()).filter((p) => p.text === draft)).toHaveLength(0);
});

test('a lead sets the team’s response target: every console counts against it, and an agent cannot change it', async ({ browser }) => {
  const l = await consoleOf(browser, 'lea');
  const b = await consoleOf(browser, 'bram');
  const ageOn = (page: Page) => page.getByTestId('column-x_mention').getByTestId('column-age');
  // The sandbox's oldest waiting mention is hours old: past the default hour on both consoles.
  for (const page of [l, b]) await expect(ageOn(page)).toHaveAttribute('data-sla', 'late', { timeout: 30_000 });

  // Lea (admin) sets a week for X mentions: a setting of the whole team, and she is told so.
  await l.getByTestId('open-settings').click();
  const mine = l.getByTestId('sla-settings');
  await expect(mine.getByTestId('shared-setting-businessHours')).toContainText('whole team’s: a change applies to every console');
  await mine.getByTestId('setting-target-x_mention').fill('10080');
  await mine.getByTestId('setting-target-x_mention').blur();
  await expect(mine.getByTestId('shared-setting-businessHours')).toContainText('Last changed by Lea', { timeout: 10_000 });
  await l.keyboard.press('Escape');

  // Bram's console counts against it too, and shows it without letting him change it.
  await expect(ageOn(b)).toHaveAttribute('data-sla', 'ok', { timeout: 15_000 });
  await expect(ageOn(l)).toHaveAttribute('data-sla', 'ok');
  await b.getByTestId('open-settings').click();
  const his = b.getByTestId('sla-settings');
  await expect(his.getByTestId('setting-target-x_mention')).toHaveValue('10080');
  await expect(his.getByTestId('setting-target-x_mention')).toBeDisabled();
  await expect(his.getByTestId('setting-holidays')).toBeDisabled();
  await expect(his.getByTestId('shared-setting-businessHours')).toContainText('only a lead can change them. Last changed by Lea');
  await b.keyboard.press('Escape');

  // On record: one teamSetting action, by Lea.
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    const rows = (await admin.query<{ by_login: string; name: string }>(`SELECT by_login, data->'setting'->>'name' AS name FROM webcare.actions WHERE kind = 'teamSetting'`)).rows;
    expect(rows).toEqual([{ by_login: 'lea', name: 'targets' }]);
  } finally {
    await admin.end();
  }
});

test('a conversation given to another department leaves the console of the department it left', async ({ browser }) => {
  const l = await consoleOf(browser, 'lea');
  const d = await consoleOf(browser, 'dora');
  const { key } = await injectMention(`Mijn factuur van deze maand klopt niet (${Date.now()})`);
  const leaCard = l.getByTestId('column-x_mention').locator(`[data-testid="card"][data-key="${key}"]`);
  await expect(leaCard).toBeVisible({ timeout: 30_000 });
  const giveTo = async (target: string) => {
    await leaCard.getByTestId('card-assign').click();
    await l.getByTestId('assign-target').selectOption(target);
    await l.getByTestId('assign-submit').click();
    await expect(l.getByTestId('assign-dialog')).toBeHidden();
  };
  // Billing's: Dora's console receives it.
  await giveTo('department:billing');
  await expect(cardOn(d, key).first()).toBeVisible({ timeout: 45_000 });
  // She has it open when it is given on to support.
  await cardOn(d, key).first().click();
  await expect(d.getByTestId('conversation').getByTestId('reply-input')).toBeVisible();
  // Given on to support: it leaves Dora's board (her console lets go of its copy), not Lea's.
  await giveTo('department:support');
  await expect(cardOn(d, key)).toHaveCount(0, { timeout: 45_000 });
  await expect(d.getByTestId('conversation-gone')).toHaveText('This message is no longer in the local store: it was most likely given to another department.');
  await expect(leaCard).toBeVisible();
  expect(await d.evaluate((k) => new Promise((res) => {
    const open = indexedDB.open('webcare');
    open.onsuccess = () => {
      const get = open.result.transaction('messages').objectStore('messages').get(k);
      get.onsuccess = () => res(get.result === undefined ? 'gone' : 'kept');
    };
  }), key)).toBe('gone');
});
