import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Result, SendReplyInput } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { Accounts } from '../../electron/host/accounts';
import type { HostCore } from '../../electron/host/hostCore';
import { Sending } from '../../electron/host/sending';
import type { TeamLink } from '../../electron/host/team/link';
import { TeamJournal } from '../../electron/host/team/journal';
import { TeamOutbox, type SendFn } from '../../electron/host/team/outbox';
import { teamDb, type TeamDb } from '../support/teamConn';
import { FakeRenderer, until, world, type Requests, type World } from './harness';

/**
 * The shared outbox against a real PostgreSQL and the sandbox: replies written
 * on one console are sent by the console that leads the account, through the
 * host's own send path with the team journal, each posted exactly once; the
 * collision guard holds back a colleague's reply (and `force` sends it); a
 * leader that dies mid-send is followed by one that looks before posting.
 */
let db: TeamDb;
let w: World;
let r: FakeRenderer;
let core: HostCore;
/** Consoles of a test stop with it, passed or not: a leader left behind would drain into the next test. */
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  db = await teamDb();
  await db.addMember('anna', 'Anna');
  await db.addMember('bert', 'Bert');
  await db.addMember('carl', 'Carl');
  await db.addMember('dora', 'Dora', 'department', ['sales']);
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

beforeEach(async () => {
  w = await world({ historyPerChannel: 2, seed: 5, limits: { scale: 100 } });
  r = new FakeRenderer();
  core = await w.core({ renderer: r, requestTimeoutMs: 1500 });
});
afterEach(async () => {
  for (const stop of cleanups.splice(0)) stop();
  await w.close();
  await db.admin.query('TRUNCATE webcare.outbox, webcare.journal, webcare.messages');
});

/** The send path a leading console uses: the host's Sending over its accounts, with a team journal. */
async function leader(link: TeamLink, host: HostCore, opts: { staleMs?: number } = {}) {
  const accounts = (host as unknown as { accounts: Accounts }).accounts;
  const journal = new TeamJournal(await w.tempDir(), Date.now, link);
  const sending = new Sending({ accounts, journal, now: Date.now, offline: () => undefined, changed: () => undefined });
  const outbox = new TeamOutbox({ conn: link, journal, waitMs: 15_000, pollMs: 200, staleMs: opts.staleMs });
  const send: SendFn = (i) => sending.sendReply(i);
  let draining = true;
  // As the runtime does for the accounts it leads: drain on every outbox notice.
  const off = link.onNotice((n) => {
    if (draining && n.t === 'outbox' && n.a) void outbox.drain(n.a, send);
  });
  const stop = () => {
    off();
    outbox.stop();
  };
  cleanups.push(stop);
  return {
    outbox,
    send,
    pause: () => (draining = false),
    resume: (accountId: string) => {
      draining = true;
      return outbox.drain(accountId, send);
    },
    stop,
  };
}

/** A console that only writes replies (it leads nothing). */
function writer(link: TeamLink, opts: { waitMs?: number; dataDir?: string } = {}) {
  const outbox = new TeamOutbox({ conn: link, journal: new TeamJournal('/nonexistent', Date.now, link), waitMs: opts.waitMs ?? 15_000, pollMs: 100, dataDir: opts.dataDir });
  cleanups.push(() => outbox.stop());
  return outbox;
}

const posted = async (text: string) => ((await w.api('/__sandbox/posted')) as { posted: { text?: string }[] }).posted.filter((p) => p.text === text);

/** A customer's message, arrived and stored in the team database (as the account's poller does). */
async function target(channel: 'x_mention' | 'fb_comment' = 'x_mention'): Promise<Message> {
  const injected = (await w.api('/__sandbox/inject', { channel, text: `Vraag ${Math.random()}` })) as { id: string };
  const m = await until(() => [...r.stored.values()].find((s) => s.platformId === injected.id), 'the injected message');
  await db.storeMessage(m);
  return m;
}

/** The moment the agent opens the conversation, after what it shows was stored. */
async function openedAt(): Promise<number> {
  await new Promise((res) => setTimeout(res, 30));
  return Date.now();
}

function replyTo(m: Message, text: string, extra: Partial<SendReplyInput> = {}): SendReplyInput {
  return { clientId: crypto.randomUUID(), accountId: m.accountId, channel: m.channel, conversationId: m.conversationId, inReplyToId: m.platformId, text, ...extra };
}

describe('team outbox', () => {
  it('two consoles answer one conversation: the first goes out once, the second is held back (replied, by Anna) until forced', async () => {
    const [anna, bert] = [await db.link('anna'), await db.link('bert')];
    const lead = await leader(anna, core);
    const m = await target();
    const since = await openedAt();

    const a = replyTo(m, `Antwoord Anna ${Date.now()}`, { since });
    const sentA = (await lead.outbox.enqueue(a)) as Result<Message>;
    expect(sentA).toMatchObject({ ok: true, value: { by: 'Anna', fromUs: true } });
    expect(await posted(a.text)).toHaveLength(1);

    // Every console sees who wrote it: the name, and the login (reviews go by it: a name may be shared or change).
    expect(sentA).toMatchObject({ value: { byLogin: 'anna' } });
    const stored = await db.admin.query<{ by: string; by_login: string }>("SELECT data->>'by' AS by, data->>'byLogin' AS by_login FROM webcare.messages WHERE key = $1", [sentA.ok ? sentA.value.key : '']);
    expect(stored.rows[0]).toEqual({ by: 'Anna', by_login: 'anna' });

    const bertOutbox = writer(bert);
    const b = replyTo(m, `Antwoord Bert ${Date.now()}`, { since });
    const held = await bertOutbox.enqueue(b);
    expect(held).toMatchObject({ ok: false, error: { kind: 'collision', reason: 'replied', by: 'Anna' } });
    expect(await posted(b.text)).toHaveLength(0);
    const queued = await db.admin.query('SELECT 1 FROM webcare.outbox WHERE client_id = $1', [b.clientId]);
    expect(queued.rowCount, 'a held-back reply is not queued').toBe(0);

    const forced = await bertOutbox.enqueue({ ...b, force: true });
    expect(forced).toMatchObject({ ok: true, value: { by: 'Bert' } });
    expect(await posted(b.text)).toHaveLength(1);

    // Asked again under the same ids (the renderer's retry): the stored results, nothing posted again.
    expect(await lead.outbox.enqueue(a)).toEqual(sentA);
    expect(await bertOutbox.enqueue({ ...b, force: true })).toEqual(forced);
    expect(await posted(a.text)).toHaveLength(1);
    expect(await posted(b.text)).toHaveLength(1);
    const authors = await db.admin.query<{ author: string }>('SELECT author FROM webcare.outbox ORDER BY created_at');
    expect(authors.rows.map((row) => row.author)).toEqual(['anna', 'bert']);
    lead.stop();
    bertOutbox.stop();
  }, 40_000);

  it('a colleague\'s reply still queued holds a send back (queued, by Anna); a new customer message does too', async () => {
    const [anna, bert] = [await db.link('anna'), await db.link('bert')];
    const lead = await leader(anna, core);
    const m = await target();
    const since = await openedAt();
    lead.pause();
    const a = replyTo(m, `Anna wacht ${Date.now()}`, { since });
    const pending = lead.outbox.enqueue(a);
    await until(async () => (await db.admin.query("SELECT 1 FROM webcare.outbox WHERE client_id = $1 AND state = 'queued'", [a.clientId])).rowCount, 'the queued row');

    const bertOutbox = writer(bert);
    const b = replyTo(m, `Bert ook ${Date.now()}`, { since });
    expect(await bertOutbox.enqueue(b)).toMatchObject({ ok: false, error: { kind: 'collision', reason: 'queued', by: 'Anna' } });

    await lead.resume(m.accountId);
    expect(await pending).toMatchObject({ ok: true, value: { by: 'Anna' } });

    // The customer writes again after Carl opened the conversation.
    const carl = writer(await db.link('carl'));
    const carlSince = await openedAt();
    await db.storeMessage({ ...m, key: `${m.channel}:later-${Date.now()}`, platformId: `later-${Date.now()}`, text: 'Hallo?', createdAt: Date.now() });
    expect(await carl.enqueue(replyTo(m, `Carl ${Date.now()}`, { since: carlSince }))).toMatchObject({ ok: false, error: { kind: 'collision', reason: 'newMessage' } });
    expect(await posted(a.text)).toHaveLength(1);
    lead.stop();
    bertOutbox.stop();
    carl.stop();
  }, 40_000);

  it('nobody sends within the wait: the reply is taken back out of the team queue (offline), and a retry sends it once', async () => {
    const [anna, bert] = [await db.link('anna'), await db.link('bert')];
    const lead = await leader(anna, core);
    lead.pause();
    const m = await target();
    const bertOutbox = writer(bert, { waitMs: 600 });
    const b = replyTo(m, `Niemand leidt ${Date.now()}`);
    expect(await bertOutbox.enqueue(b)).toEqual({ ok: false, error: { kind: 'offline' } });
    const row = await db.admin.query<{ state: string }>('SELECT state FROM webcare.outbox WHERE client_id = $1', [b.clientId]);
    expect(row.rows[0]?.state, 'withdrawn: no leader sends it behind the agent\'s back').toBe('done');
    // A leader appearing now finds nothing to send.
    expect(await lead.outbox.drain(m.accountId, lead.send)).toBe(0);
    expect(await posted(b.text)).toHaveLength(0);

    // The renderer retries under the same id: back in the queue, sent once. (Its wait is the
    // normal one: the short wait above was only there to make nobody answer in time.)
    const retry = writer(bert).enqueue(b);
    await until(async () => (await db.admin.query("SELECT 1 FROM webcare.outbox WHERE client_id = $1 AND state <> 'done'", [b.clientId])).rowCount, 'the row back in the queue');
    await lead.resume(m.accountId);
    expect(await retry).toMatchObject({ ok: true, value: { by: 'Bert' } });
    expect(await posted(b.text)).toHaveLength(1);
    lead.stop();
    bertOutbox.stop();
  }, 40_000);

  for (const then of ['timeout', 'reset'] as const) {
    it(`the leader's post is committed, then ${then}: settled by looking, posted once`, async () => {
      const [anna, bert] = [await db.link('anna'), await db.link('bert')];
      const lead = await leader(anna, core);
      const m = await target();
      const fault = await w.fault({ method: 'POST', path: '/x/2/tweets', fault: { type: 'commitThen', then } });
      const bertOutbox = writer(bert);
      const b = replyTo(m, `Fout ${then} ${Date.now()}`);
      let result = await bertOutbox.enqueue(b);
      // Either settled at once by looking, or honestly unknown; the renderer's retry settles it.
      for (let i = 0; i < 3 && !result.ok; i++) {
        expect(result).toMatchObject({ ok: false, error: { kind: 'sendUnknown' } });
        result = await bertOutbox.enqueue(b);
      }
      expect(result).toMatchObject({ ok: true, value: { by: 'Bert' } });
      expect(await w.faultHits(fault)).toBe(1);
      expect(await posted(b.text)).toHaveLength(1);
      lead.stop();
      bertOutbox.stop();
    }, 40_000);
  }

  it('the leader dies mid-send (row and journal left "sending"): the next leader looks before posting; posted once', async () => {
    const [anna, bert, carl] = [await db.link('anna'), await db.link('bert'), await db.link('carl')];
    const first = await leader(anna, core, { staleMs: 800 });
    const m = await target();
    // The platform commits the post and its answer never comes: the request is still out when the leader dies.
    const fault = await w.fault({ method: 'POST', path: '/x/2/tweets', fault: { type: 'commitThen', then: 'timeout' } });
    const bertOutbox = writer(bert, { waitMs: 30_000 });
    const b = replyTo(m, `Leider weg ${Date.now()}`);
    const pending = bertOutbox.enqueue(b);
    await until(async () => (await posted(b.text)).length, 'the post on the platform', 10_000);
    await anna.stop();
    first.stop();
    expect(await w.faultHits(fault)).toBe(1);

    const left = await db.admin.query<{ state: string; entry: string }>(
      "SELECT o.state, j.entry->>'state' AS entry FROM webcare.outbox o JOIN webcare.journal j ON j.client_id = o.client_id::text WHERE o.client_id = $1",
      [b.clientId],
    );
    expect(left.rows[0]).toEqual({ state: 'sending', entry: 'sending' });

    // Another console takes the account over (its own host, same accounts) and drains every few hundred ms.
    const core2 = await w.core({ dataDir: await w.tempDir(), requestTimeoutMs: 1500 });
    const next = await leader(carl, core2, { staleMs: 800 });
    const timer = setInterval(() => void next.outbox.drain(m.accountId, next.send), 300);
    try {
      expect(await pending).toMatchObject({ ok: true, value: { by: 'Bert', fromUs: true } });
    } finally {
      clearInterval(timer);
    }
    expect(await posted(b.text)).toHaveLength(1);
    const log = (await w.api('/__sandbox/requests')) as Requests;
    expect(log.requests.filter((q) => q.method === 'POST' && q.path === '/x/2/tweets'), 'the next leader looked instead of posting').toHaveLength(1);
    const done = await db.admin.query<{ state: string; attempts: number }>('SELECT state, attempts FROM webcare.outbox WHERE client_id = $1', [b.clientId]);
    expect(done.rows[0]).toEqual({ state: 'done', attempts: 2 });
    next.stop();
    bertOutbox.stop();
  }, 60_000);

  it('the database out of reach: a reply in the team queue is unknown (even after a restart), one never queued is offline', async () => {
    const anna = await db.link('anna');
    const lead = await leader(anna, core);
    lead.pause();
    const m = await target();
    const bert = await db.link('bert');
    const dataDir = await w.tempDir();
    const outbox = writer(bert, { dataDir });
    const b = replyTo(m, `Database weg ${Date.now()}`);
    const pending = outbox.enqueue(b);
    await until(async () => (await db.admin.query('SELECT 1 FROM webcare.outbox WHERE client_id = $1', [b.clientId])).rowCount, 'the queued row');
    await bert.stop();
    // Queued, and a leader may send it while this console cannot look: never "offline" (discardable).
    expect(await pending).toEqual({ ok: false, error: { kind: 'sendUnknown' } });
    expect(await outbox.enqueue(b)).toEqual({ ok: false, error: { kind: 'sendUnknown' } });
    const restarted = writer(bert, { dataDir });
    expect(await restarted.enqueue(b)).toEqual({ ok: false, error: { kind: 'sendUnknown' } });
    // Never handed to the team: certainly not sent.
    expect(await restarted.enqueue(replyTo(m, `Nooit in de wachtrij ${Date.now()}`))).toEqual({ ok: false, error: { kind: 'offline' } });

    // Back online (a new link for the same login): the reply goes out once, and is final from then on.
    const again = writer(await db.link('bert'), { dataDir });
    const result = again.enqueue(b);
    await lead.resume(m.accountId);
    expect(await result).toMatchObject({ ok: true, value: { by: 'Bert' } });
    expect(await posted(b.text)).toHaveLength(1);
  }, 40_000);

  it('a department login answers its own department\'s conversations only; its withdrawn reply can be retried without UPDATE rights', async () => {
    const lead = await leader(await db.link('anna'), core);
    lead.pause();
    const m = await target();
    const doraLink = await db.link('dora');
    const dora = writer(doraLink, { waitMs: 500 });
    // The account belongs to no department yet: Dora may not answer there.
    expect(await dora.enqueue(replyTo(m, `Niet van mij ${Date.now()}`))).toMatchObject({ ok: false, error: { kind: 'team', team: 'rights' } });

    await db.admin.query("INSERT INTO webcare.accounts (id, platform, record, department) VALUES ($1, 'x', '{}', 'sales')", [m.accountId]);
    try {
      await db.admin.query("UPDATE webcare.messages SET department = 'sales' WHERE account_id = $1", [m.accountId]);
      const d = replyTo(m, `Dora antwoordt ${Date.now()}`);
      expect(await dora.enqueue(d)).toEqual({ ok: false, error: { kind: 'offline' } });
      // The retry waits as long as a console normally does: the short wait was only for the withdrawal.
      const retry = writer(doraLink).enqueue(d);
      await until(async () => (await db.admin.query("SELECT 1 FROM webcare.outbox WHERE client_id = $1 AND state = 'queued'", [d.clientId])).rowCount, 'the row back in the queue');
      await lead.resume(m.accountId);
      expect(await retry).toMatchObject({ ok: true, value: { by: 'Dora' } });
      expect(await posted(d.text)).toHaveLength(1);
    } finally {
      await db.admin.query('DELETE FROM webcare.accounts WHERE id = $1', [m.accountId]);
    }
  }, 40_000);

  it('an invalid reply is refused before anything is queued', async () => {
    const bert = await db.link('bert');
    const outbox = writer(bert);
    const m = await target();
    expect(await outbox.enqueue(replyTo(m, '   '))).toEqual({ ok: false, error: { kind: 'empty' } });
    expect((await db.admin.query('SELECT 1 FROM webcare.outbox')).rowCount).toBe(0);
    outbox.stop();
  });
});
