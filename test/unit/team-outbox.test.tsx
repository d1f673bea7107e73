import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppError, CommandInput, CommandName, CommandOutput, EventName, EventPayload, SendReplyInput, Status } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { TeamStatus } from '../../shared/team';
import type { ConnectionState, HostApi } from '../../renderer/src/api/host';
import type { StatusSource } from '../../renderer/src/api/status';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { initI18n } from '../../renderer/src/i18n/index';
import { afterAttempt, enqueue, OutboxDrain, retry, sendAnyway, type NewReply, type OutboxEntry } from '../../renderer/src/outbox/outbox';
import { OutboxItem } from '../../renderer/src/outbox/OutboxItem';
import { ServicesContext } from '../../renderer/src/services';

type Answer = CommandOutput<'sendReply'> | 'ok';

/** A host whose sendReply answers from a script; it records every attempt, and posts once per client id. */
class FakeHost implements HostApi {
  connection: ConnectionState = 'open';
  readonly attempts: SendReplyInput[] = [];
  readonly posted = new Map<string, Message>();
  script: Answer[] = [];
  async call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    if (name !== 'sendReply') return { ok: true, value: {} } as CommandOutput<C>;
    const i = input as SendReplyInput;
    this.attempts.push(i);
    const next = this.script.shift() ?? 'ok';
    if (next !== 'ok') return next as CommandOutput<C>;
    let m = this.posted.get(i.clientId);
    if (!m) {
      const id = String(1000 + this.posted.size);
      m = { key: `${i.channel}:${id}`, platformId: id, channel: i.channel, accountId: i.accountId, conversationId: i.conversationId, inReplyToId: i.inReplyToId, author: { id: 'us', name: 'Polderpost', handle: 'polderpost' }, text: i.text, createdAt: 0, fromUs: true, by: 'Bram' };
      this.posted.set(i.clientId, m);
    }
    return { ok: true, value: m } as CommandOutput<C>;
  }
  on<E extends EventName>(_n: E, _fn: (p: EventPayload<E>) => void): () => void {
    return () => undefined;
  }
  onConnection(): () => void {
    return () => undefined;
  }
}

class FakeStatus implements StatusSource {
  value: Status | null = null;
  private readonly fns = new Set<() => void>();
  subscribe = (fn: () => void) => {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  };
  get = () => this.value;
  setTeam(state: TeamStatus['state'] | null) {
    this.value = {
      accounts: [],
      streams: [],
      online: true,
      shell: 'browser',
      vault: { encrypted: true, plaintextAllowed: false },
      xSignIn: 'sandbox',
      signIn: { pending: false },
      ...(state ? { team: { state, url: 'postgres://bram@db/webcare', members: [], claims: [], pollers: {}, leading: [], keyNeeded: false, queued: 0, lostRaces: [] } } : {}),
    };
    for (const fn of this.fns) fn();
  }
}

const OPENED = 900_000;
const reply = (conv: string, text = 'hoi', since: number | null = OPENED): NewReply => ({
  conversationKey: `x_mention:${conv}`,
  messageKey: `x_mention:${conv}`,
  request: { accountId: 'acc', channel: 'x_mention', conversationId: conv, inReplyToId: conv, text, ...(since !== null ? { since } : {}) },
});
const collided = (reason: 'replied' | 'queued' | 'newMessage', extra: { by?: string; at?: number } = {}): CommandOutput<'sendReply'> => ({
  ok: false,
  error: { kind: 'collision', reason, ...extra },
});

let db: WebcareDb;
let host: FakeHost;
let status: FakeStatus;
let drain: OutboxDrain;
let clock = 1_000_000;

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});
beforeEach(async () => {
  db = openDb(`team-outbox-${crypto.randomUUID()}`);
  await db.open();
  host = new FakeHost();
  status = new FakeStatus();
  status.setTeam('online');
  clock = 1_000_000;
  drain = new OutboxDrain(host, db, status, { now: () => clock, locks: null });
});
afterEach(async () => {
  drain.stop();
  db.close();
  await db.delete();
});

const all = async () => (await db.outbox.toArray()) as OutboxEntry[];
const settle = async () => {
  await new Promise((r) => setTimeout(r, 10));
  await drain.idle();
};

describe('the collision guard in the outbox', () => {
  it('a collision is failed with its reason and waits for the agent: never sent again on its own', async () => {
    host.script = [collided('replied', { by: 'Anna', at: clock - 120_000 })];
    await enqueue(db, reply('A'), ['hoi'], null);
    await drain.start();
    await settle();
    const [e] = await all();
    expect(e).toMatchObject({ state: 'failed', error: { kind: 'collision', reason: 'replied', by: 'Anna' } });
    // Time passes, the connection comes and goes, the status changes: nothing goes out again.
    for (let i = 0; i < 5; i++) {
      clock += 10 * 60_000;
      status.setTeam('online');
      drain.kick();
      await settle();
    }
    expect(host.attempts).toHaveLength(1);
    expect(host.attempts[0]).toMatchObject({ since: OPENED });
    expect(host.attempts[0]?.force).toBeUndefined();
  });

  it('a collision holds the later replies of that conversation, not other conversations', async () => {
    host.script = [collided('newMessage')];
    await enqueue(db, reply('A', 'een'), ['een'], null, 1);
    await enqueue(db, reply('A', 'twee'), ['twee'], null, 2);
    await enqueue(db, reply('B', 'drie'), ['drie'], null, 3);
    await drain.start();
    await settle();
    expect(host.attempts.map((a) => a.text)).toEqual(['een', 'drie']);
    expect((await all()).map((e) => [e.request.text, e.state])).toEqual(expect.arrayContaining([['een', 'failed'], ['twee', 'queued'], ['drie', 'sent']]));
  });

  it('Send anyway re-sends the same entry, under the same client id, with force; then the rest follows', async () => {
    host.script = [collided('queued', { by: 'Anna' })];
    const [first] = await enqueue(db, reply('A', 'een'), ['een'], null, 1);
    await enqueue(db, reply('A', 'twee'), ['twee'], null, 2);
    await drain.start();
    await settle();
    expect(await sendAnyway(db, first!.clientId, clock)).toBe(true);
    drain.kick();
    await settle();
    expect(host.attempts.map((a) => [a.clientId === first!.clientId, a.text, a.force === true])).toEqual([
      [true, 'een', false],
      [true, 'een', true],
      [false, 'twee', false],
    ]);
    // The guard's time stays the one of opening the conversation.
    expect(host.attempts[1]?.since).toBe(OPENED);
    expect((await all()).every((e) => e.state === 'sent')).toBe(true);
    expect(host.posted.size).toBe(2);
  });

  it('Send anyway only for a held-back reply; Retry does not force', async () => {
    host.script = [{ ok: false, error: { kind: 'targetGone' } }];
    const [e] = await enqueue(db, reply('A'), ['hoi'], null);
    await drain.start();
    await settle();
    expect(await sendAnyway(db, e!.clientId)).toBe(false);
    expect(await retry(db, e!.clientId)).toBe(true);
    expect(((await db.outbox.get(e!.clientId)) as OutboxEntry).request.force).toBeUndefined();
  });

  it('only the first part of a split reply carries the guard: the later parts follow our own first post', async () => {
    const entries = await enqueue(db, reply('A', 'lang'), ['deel 1/2', 'deel 2/2'], null);
    expect(entries.map((e) => e.request.since)).toEqual([OPENED, undefined]);
    // Solo: no guard at all.
    const solo = await enqueue(db, reply('B', 'solo', null), ['solo'], null);
    expect('since' in (solo[0]?.request ?? {})).toBe(false);
  });

  it('the team database out of reach: the reply waits, and goes out by itself once the team is back', async () => {
    const teamDown: AppError = { kind: 'team', team: 'unreachable' };
    expect(afterAttempt({ attempts: 1 }, { ok: false, error: teamDown }, 5)).toMatchObject({ state: 'queued', error: teamDown });
    // Not allowed for this login (another department's conversation): the agent decides, it is not retried.
    expect(afterAttempt({ attempts: 1 }, { ok: false, error: { kind: 'team', team: 'rights' } }, 5).state).toBe('failed');
    status.setTeam('offline');
    await enqueue(db, reply('A'), ['hoi'], null);
    await drain.start();
    await settle();
    expect(host.attempts).toHaveLength(0);
    status.setTeam('online');
    await settle();
    expect(host.attempts).toHaveLength(1);
    expect((await all())[0]?.state).toBe('sent');
  });
});

describe('a held-back reply, as the agent sees it', () => {
  const entry = (error: AppError, state: OutboxEntry['state'] = 'failed'): OutboxEntry => ({
    clientId: '6f1c1f4e-5a55-4f53-9d0a-1d2b3c4d5e6f',
    state,
    conversationKey: 'x_mention:A',
    messageKey: 'x_mention:A',
    createdAt: Date.now() - 5 * 60_000,
    seq: 0,
    request: { accountId: 'acc', channel: 'x_mention', conversationId: 'A', inReplyToId: 'A', text: 'Wij kijken het na!' },
    attempts: 1,
    updatedAt: Date.now() - 60_000,
    error,
  });
  const render = (e: OutboxEntry, showConversation: boolean) =>
    renderToStaticMarkup(
      <ServicesContext value={{ host, db, status }}>
        <OutboxItem entry={e} showConversation={showConversation} />
      </ServicesContext>,
    );
  const reason = (html: string) => (html.match(/data-testid="outbox-collision"[^>]*><p>(.*?)<\/p><p>(.*?)<\/p>/) ?? []).slice(1);

  it('under the thread: the reason, "read above", Send anyway, Edit and Discard; no plain Retry', () => {
    const html = render(entry({ kind: 'collision', reason: 'replied', by: 'Anna', at: Date.now() - 2 * 60_000 }), false);
    expect(reason(html)).toEqual(['Anna replied 2 min. ago.', 'Read the conversation above first; then send anyway, edit your reply or discard it.']);
    expect(html).toContain('data-testid="outbox-send-anyway"');
    expect(html).toContain('data-testid="outbox-edit"');
    expect(html).toContain('data-testid="outbox-discard"');
    expect(html).not.toContain('data-testid="outbox-retry"');
  });

  it('in the outbox list: the reason and the way to the conversation, but no Send anyway (read it first)', () => {
    const html = render(entry({ kind: 'collision', reason: 'queued', by: 'Anna' }), true);
    expect(reason(html)).toEqual(['Anna’s reply is queued.', 'Open the conversation and read what changed before you send anyway.']);
    expect(html).not.toContain('outbox-send-anyway');
    expect(html).toContain('Open conversation');
  });

  it('in Dutch, each reason', async () => {
    await i18next.changeLanguage('nl');
    try {
      expect(reason(render(entry({ kind: 'collision', reason: 'replied', by: 'Anna', at: Date.now() - 2 * 60_000 }), false))[0]).toBe('Anna antwoordde 2 min. geleden.');
      expect(reason(render(entry({ kind: 'collision', reason: 'queued', by: 'Anna' }), false))[0]).toBe('De reactie van Anna staat al klaar om te versturen.');
      expect(reason(render(entry({ kind: 'collision', reason: 'newMessage' }), false))[0]).toBe('De klant schreef opnieuw.');
      expect(reason(render(entry({ kind: 'collision', reason: 'replied' }), false))[0]).toBe('Een collega heeft al geantwoord.');
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('waiting for the team database says so', () => {
    const html = render(entry({ kind: 'team', team: 'unreachable' }, 'queued'), false);
    expect(html).toContain('Waiting for the team database; it goes out by itself once the database can be reached.');
  });
});
