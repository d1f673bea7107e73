import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError, CommandInput, CommandName, CommandOutput, EventName, EventPayload, SendReplyInput, Status } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { ConnectionState, HostApi } from '../../renderer/src/api/host';
import type { StatusSource } from '../../renderer/src/api/status';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { afterAttempt, discard, enqueue, nextToSend, OutboxDrain, retry, type NewReply, type OutboxEntry } from '../../renderer/src/outbox/outbox';

type Answer = CommandOutput<'sendReply'> | 'hang' | 'ok';

/** A host whose sendReply answers from a script; it records every attempt and what it "posted". */
class FakeHost implements HostApi {
  connection: ConnectionState = 'open';
  readonly attempts: SendReplyInput[] = [];
  readonly posted = new Map<string, Message>();
  script: Answer[] = [];
  private readonly conn = new Set<(s: ConnectionState) => void>();

  async call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    if (name !== 'sendReply') return { ok: true, value: {} } as CommandOutput<C>;
    const i = input as SendReplyInput;
    this.attempts.push(i);
    const next = this.script.shift() ?? 'ok';
    if (next === 'hang') return new Promise(() => undefined);
    if (next !== 'ok' && !next.ok) return next as CommandOutput<C>;
    // Like the host's journal: one post per client id.
    let m = this.posted.get(i.clientId);
    if (!m) {
      const id = String(1000 + this.posted.size);
      m = { key: `${i.channel}:${id}`, platformId: id, channel: i.channel, accountId: i.accountId, conversationId: i.conversationId, inReplyToId: i.inReplyToId, author: { id: 'us', name: 'Polderpost', handle: 'polderpost' }, text: i.text, createdAt: 0, fromUs: true };
      this.posted.set(i.clientId, m);
    }
    return { ok: true, value: m } as CommandOutput<C>;
  }
  on<E extends EventName>(_n: E, _fn: (p: EventPayload<E>) => void): () => void {
    return () => undefined;
  }
  onConnection(fn: (s: ConnectionState) => void): () => void {
    this.conn.add(fn);
    return () => this.conn.delete(fn);
  }
  setConnection(s: ConnectionState) {
    this.connection = s;
    for (const fn of this.conn) fn(s);
  }
}

class FakeStatus implements StatusSource {
  value: Status | null = null;
  private readonly fns = new Set<() => void>();
  subscribe(fn: () => void) {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }
  get = () => this.value;
  setOnline(online: boolean) {
    this.value = { accounts: [], streams: [], online, shell: 'browser', vault: { encrypted: false, plaintextAllowed: true }, xSignIn: 'sandbox', signIn: { pending: false } };
    for (const fn of this.fns) fn();
  }
}

const err = (error: AppError): CommandOutput<'sendReply'> => ({ ok: false, error });

const reply = (conv: string, text = 'hoi'): NewReply => ({
  conversationKey: `x_mention:${conv}`,
  messageKey: `x_mention:${conv}`,
  request: { accountId: 'acc', channel: 'x_mention', conversationId: conv, inReplyToId: conv, text },
});

let db: WebcareDb;
let host: FakeHost;
let status: FakeStatus;
let drain: OutboxDrain;
let clock = 1_000_000;

beforeEach(async () => {
  db = openDb(`outbox-${Math.random()}`);
  await db.open();
  host = new FakeHost();
  status = new FakeStatus();
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

describe('outbox state machine', () => {
  it('maps every answer to the next state', () => {
    const e = { attempts: 1 };
    expect(afterAttempt(e, { ok: true, value: { key: 'k', platformId: 'p' } as Message }, 5).state).toBe('sent');
    expect(afterAttempt(e, err({ kind: 'sendUnknown' }), 5).state).toBe('unknown');
    expect(afterAttempt(e, err({ kind: 'offline' }), 5).state).toBe('queued');
    expect(afterAttempt(e, err({ kind: 'offline' }), 5, true).state).toBe('unknown');
    expect(afterAttempt(e, err({ kind: 'rateLimited', resetAt: 90_000 }), 5)).toMatchObject({ state: 'queued', nextAttemptAt: 90_000 });
    expect(afterAttempt(e, err({ kind: 'targetGone' }), 5).state).toBe('failed');
    expect(afterAttempt(e, err({ kind: 'platform', status: 400, detail: 'x' }), 5).state).toBe('failed');
  });

  it('picks the oldest unsent entry per conversation; a failed head holds its conversation', () => {
    const mk = (clientId: string, conv: string, createdAt: number, state: OutboxEntry['state'], nextAttemptAt?: number) =>
      ({ clientId, conversationKey: conv, createdAt, seq: 0, state, nextAttemptAt }) as OutboxEntry;
    const entries = [mk('a2', 'A', 2, 'queued'), mk('a1', 'A', 1, 'sent'), mk('b1', 'B', 1, 'failed'), mk('b2', 'B', 2, 'queued'), mk('c1', 'C', 3, 'unknown', 50), mk('d1', 'D', 0, 'queued')];
    expect(nextToSend(entries, 10).map((e) => e.clientId)).toEqual(['d1', 'a2']);
    expect(nextToSend(entries, 60).map((e) => e.clientId)).toEqual(['d1', 'a2', 'c1']);
  });
});

describe('outbox drain', () => {
  it('sends in order per conversation and stores the posted reply', async () => {
    await enqueue(db, reply('A', 'een'), ['een'], null, 1);
    await enqueue(db, reply('A', 'twee'), ['twee'], null, 2);
    await enqueue(db, reply('B', 'drie'), ['drie'], null, 3);
    await drain.start();
    await settle();
    expect(host.attempts.map((a) => a.text)).toEqual(['een', 'twee', 'drie']);
    expect((await all()).every((e) => e.state === 'sent')).toBe(true);
    expect(await db.messages.count()).toBe(3);
  });

  it('takes the draft away in the same step as it queues the reply', async () => {
    await db.drafts.put({ threadKey: 'x_mention:A', updatedAt: 1, text: 'hoi' });
    await enqueue(db, reply('A'), ['hoi'], 'x_mention:A');
    expect(await db.drafts.get('x_mention:A')).toBeUndefined();
    expect(await db.outbox.count()).toBe(1);
  });

  it('queues while the host is offline and drains, each once, when it is back', async () => {
    status.setOnline(false);
    await drain.start();
    await enqueue(db, reply('A', 'een'), ['een'], null);
    await enqueue(db, reply('B', 'twee'), ['twee'], null);
    drain.kick();
    await settle();
    expect(host.attempts).toHaveLength(0);
    expect((await all()).map((e) => e.state)).toEqual(['queued', 'queued']);
    status.setOnline(true);
    await settle();
    expect(host.attempts.map((a) => a.text).sort()).toEqual(['een', 'twee']);
    expect(host.posted.size).toBe(2);
  });

  it('also waits while the connection to the host is down', async () => {
    host.connection = 'closed';
    await drain.start();
    await enqueue(db, reply('A'), ['hoi'], null);
    drain.kick();
    await settle();
    expect(host.attempts).toHaveLength(0);
    host.setConnection('open');
    await settle();
    expect(host.attempts).toHaveLength(1);
  });

  it('after an unknown outcome it tries again under the same id, and the reply exists once', async () => {
    host.script = [err({ kind: 'sendUnknown' }), err({ kind: 'sendUnknown' }), 'ok'];
    await drain.start();
    await enqueue(db, reply('A'), ['hoi'], null);
    drain.kick();
    await settle();
    expect((await all())[0]?.state).toBe('unknown');
    for (let i = 0; i < 3; i++) {
      clock += 60_000;
      drain.kick();
      await settle();
    }
    const ids = new Set(host.attempts.map((a) => a.clientId));
    expect(host.attempts).toHaveLength(3);
    expect(ids.size).toBe(1);
    expect((await all())[0]).toMatchObject({ state: 'sent', attempts: 3 });
    expect(host.posted.size).toBe(1);
  });

  it('a window that closed mid-send finds the entry unknown on start and retries it under its id', async () => {
    host.script = ['hang'];
    await drain.start();
    const [e] = await enqueue(db, reply('A'), ['hoi'], null);
    drain.kick();
    await new Promise((r) => setTimeout(r, 20));
    expect((await db.outbox.get(e!.clientId))?.state).toBe('sending');
    drain.stop();
    // The next start of the window:
    const drain2 = new OutboxDrain(host, db, status, { now: () => clock, locks: null });
    await drain2.start();
    await new Promise((r) => setTimeout(r, 20));
    await drain2.idle();
    drain2.stop();
    expect(host.attempts.map((a) => a.clientId)).toEqual([e!.clientId, e!.clientId]);
    expect((await db.outbox.get(e!.clientId))?.state).toBe('sent');
  });

  it('a clean failure waits for the agent and holds later replies of that conversation; retry uses the same id', async () => {
    host.script = [err({ kind: 'targetGone' })];
    await drain.start();
    const [first] = await enqueue(db, reply('A', 'een'), ['een'], null, 1);
    await enqueue(db, reply('A', 'twee'), ['twee'], null, 2);
    await enqueue(db, reply('B', 'drie'), ['drie'], null, 3);
    drain.kick();
    await settle();
    expect(host.attempts.map((a) => a.text)).toEqual(['een', 'drie']);
    expect((await db.outbox.get(first!.clientId))).toMatchObject({ state: 'failed', error: { kind: 'targetGone' } });
    expect(await retry(db, first!.clientId)).toBe(true);
    drain.kick();
    await settle();
    expect(host.attempts.map((a) => a.text)).toEqual(['een', 'drie', 'een', 'twee']);
    expect(host.attempts[0]?.clientId).toBe(host.attempts[2]?.clientId);
  });

  it('discard removes a failed reply (and later parts of its thread) but never one that may be posted', async () => {
    host.script = [err({ kind: 'notAllowed' })];
    await drain.start();
    const parts = await enqueue(db, reply('A'), ['deel 1/2', 'deel 2/2'], null);
    drain.kick();
    await settle();
    expect(await discard(db, parts[0]!.clientId)).toEqual(['deel', 'deel']);
    expect(await db.outbox.count()).toBe(0);

    host.script = [err({ kind: 'sendUnknown' })];
    const [u] = await enqueue(db, reply('B'), ['x'], null);
    drain.kick();
    await settle();
    expect(await discard(db, u!.clientId)).toBeNull();
    expect(await db.outbox.count()).toBe(1);
  });

  it('a split X reply goes out as a thread: each part answers the part before it', async () => {
    await drain.start();
    await enqueue(db, reply('A'), ['een 1/3', 'twee 2/3', 'drie 3/3'], null);
    drain.kick();
    await settle();
    expect(host.attempts.map((a) => a.inReplyToId)).toEqual(['A', '1000', '1001']);
  });

  it('images go with the first post of a thread only, and leave the draft when it is queued', async () => {
    const media = [{ mimeType: 'image/png' as const, dataBase64: 'iVBORw0KGgo=' }];
    await db.draftMedia.add({ id: 'm1', threadKey: 'x_mention:A' });
    await enqueue(db, { ...reply('A'), request: { ...reply('A').request, media } }, ['een 1/2', 'twee 2/2'], 'x_mention:A');
    expect(await db.draftMedia.count()).toBe(0);
    await drain.start();
    await settle();
    expect(host.attempts.map((a) => a.media?.length ?? 0)).toEqual([1, 0]);
  });
});
