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
    // The look for an unanswered reply was itself rate limited: the next look waits for the reset.
    expect(afterAttempt(e, err({ kind: 'sendUnknown', resetAt: 900_000 }), 5)).toMatchObject({ state: 'unknown', nextAttemptAt: 900_000 });
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

/** A small seeded generator, so a failing schedule can be replayed from its seed. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('outbox: random schedules', () => {
  it('every reply is posted exactly once under its own id, in order per conversation, whatever happens on the way', async () => {
    for (let seed = 1; seed <= 15; seed++) {
      const rnd = mulberry32(seed);
      const sdb = openDb(`outbox-prop-${seed}-${Math.random()}`);
      await sdb.open();
      const shost = new FakeHost();
      const sstatus = new FakeStatus();
      sstatus.setOnline(true);
      let now = 1_000_000;
      const order: string[] = [];
      // The host posts at most once per id (its journal); some answers are lost after it posted.
      const realCall = shost.call.bind(shost);
      shost.call = (async (name: CommandName, input: CommandInput<CommandName>) => {
        if (name !== 'sendReply') return realCall(name, input as never);
        const i = input as SendReplyInput;
        const r = rnd();
        if (r < 0.15) {
          shost.attempts.push(i);
          return err({ kind: 'offline' }); // refused: not posted
        }
        const out = (await realCall('sendReply', i)) as CommandOutput<'sendReply'>;
        if (out.ok && !order.includes(i.clientId)) order.push(i.clientId);
        if (r < 0.35) return err({ kind: 'sendUnknown' }); // posted, answer lost
        if (r < 0.45) {
          shost.connection = 'closed'; // the link to the host broke after it posted
          return err({ kind: 'offline' });
        }
        if (r < 0.5) return err({ kind: 'rateLimited', resetAt: now + 1000 });
        return out;
      }) as FakeHost['call'];
      let d = new OutboxDrain(shost, sdb, sstatus, { now: () => now, locks: null });
      await d.start();
      const queued: Array<{ conv: string; id: string }> = [];
      for (let step = 0; step < 40; step++) {
        const r = rnd();
        if (r < 0.35) {
          const conv = `C${Math.floor(rnd() * 3)}`;
          const [e] = await enqueue(sdb, reply(conv, `antwoord ${step}`), [`antwoord ${step}`], null, now);
          queued.push({ conv, id: e!.clientId });
        } else if (r < 0.45) {
          sstatus.setOnline(rnd() < 0.5);
        } else if (r < 0.55) {
          // The window restarts.
          d.stop();
          d = new OutboxDrain(shost, sdb, sstatus, { now: () => now, locks: null });
          await d.start();
        } else if (shost.connection !== 'open') {
          shost.setConnection('open');
        }
        now += Math.floor(rnd() * 70_000);
        d.kick();
        await new Promise((res) => setTimeout(res, 1));
        await d.idle();
      }
      // Healthy from here on: everything drains.
      shost.call = realCall as FakeHost['call'];
      shost.setConnection('open');
      sstatus.setOnline(true);
      for (let i = 0; i < 10; i++) {
        now += 120_000;
        d.kick();
        await new Promise((res) => setTimeout(res, 1));
        await d.idle();
      }
      d.stop();
      const entries = (await sdb.outbox.toArray()) as OutboxEntry[];
      expect(entries.every((e) => e.state === 'sent'), `seed ${seed}`).toBe(true);
      // Each reply posted exactly once, under its own id: no retry ever made a new id.
      expect(shost.posted.size, `seed ${seed}`).toBe(queued.length);
      expect(new Set(shost.attempts.map((a) => a.clientId)).size, `seed ${seed}`).toBe(queued.length);
      for (const q of queued) expect(shost.posted.has(q.id), `seed ${seed}`).toBe(true);
      // In order per conversation (by when each was first posted).
      const firstPosted = [...order, ...[...shost.posted.keys()].filter((k) => !order.includes(k))];
      for (const conv of ['C0', 'C1', 'C2']) {
        const mine = queued.filter((q) => q.conv === conv).map((q) => q.id);
        expect(firstPosted.filter((id) => mine.includes(id)), `seed ${seed} ${conv}`).toEqual(mine);
      }
      sdb.close();
      await sdb.delete();
    }
  });
});
