import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandName, MessageBatch } from '../../shared/contract';
import type { Message } from '../../shared/model';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { FakeHost } from '../support/fakeHost';
import { GROUP_MAX_MESSAGES, startIngest } from '../../renderer/src/db/ingest';
import { Delivery } from '../../electron/host/delivery';
import { prepareInsight } from '../../electron/host/insight/index';
import { Settings } from '../../electron/host/settings';

/**
 * Batches that wait while a write is under way are written in one transaction
 * (group commit), and the guarantees of one batch at a time hold for each of them:
 * acknowledged only once committed, in order; a failed group acknowledges none of
 * its batches; a window that dies mid-group loses nothing, because the host sends
 * every unacknowledged batch again.
 */


function message(id: string): Message {
  return {
    key: `x_mention:${id}`,
    platformId: id,
    channel: 'x_mention',
    accountId: 'acc-1',
    conversationId: id,
    author: { id: `u-${id}`, name: 'Els de Vries', handle: 'elsdv' },
    text: `bericht ${id}`,
    createdAt: 1_760_000_000_000 + Number(id),
    fromUs: false,
  };
}

/** Batch `b<n>` holds messages `n*10 … n*10+size-1`. */
function batch(n: number, size = 3): MessageBatch {
  return { batchId: `b${n}`, streamId: 'acc-1:x_mentions', messages: Array.from({ length: size }, (_, i) => message(String(n * 10 + i))) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long a wait may take on a loaded machine (a bound, not a timing assertion). */
const WAIT = { timeout: 15_000 };

// The host reads language and sentiment before it hands a batch over; loaded here, so a first batch is not held up by the load (these tests time the order of batches).
beforeAll(() => prepareInsight());

const open: WebcareDb[] = [];
function freshDb(name = `webcare-test-${crypto.randomUUID()}`): WebcareDb {
  const db = openDb(name);
  open.push(db);
  return db;
}
const dirs: string[] = [];

afterEach(async () => {
  for (const db of open.splice(0)) db.close();
  vi.restoreAllMocks();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Keys stored, as another connection sees them (committed). */
async function committed(name: string): Promise<Set<string>> {
  const other = openDb(name);
  try {
    return new Set((await other.messages.toCollection().primaryKeys()) as string[]);
  } finally {
    other.close();
  }
}

/** At each acknowledgement: were all of that batch's messages committed? */
function checkAcks(host: FakeHost, db: WebcareDb, batches: MessageBatch[]): Array<[string, boolean]> {
  const seen: Array<[string, boolean]> = [];
  host.onAck = async (batchId) => {
    const keys = await committed(db.name);
    const b = batches.find((x) => x.batchId === batchId)!;
    seen.push([batchId, b.messages.every((m) => keys.has(m.key))]);
  };
  return seen;
}

describe('startIngest: batches that wait are written together', () => {
  it('writes the batches that arrived during a write in one transaction, and acknowledges each after that commit, in order', async () => {
    const host = new FakeHost();
    const db = freshDb();
    const batches = [1, 2, 3, 4].map((n) => batch(n));
    const seen = checkAcks(host, db, batches);
    // Counts the transactions; the first waits before it starts, so b2-b4 arrive while it is under way.
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    let writes = 0;
    vi.spyOn(db, 'transaction').mockImplementation((async (...args: unknown[]) => {
      if (++writes === 1) await sleep(50);
      return transaction(...args);
    }) as never);
    startIngest(host, db);
    host.emit('messagesArrived', batches[0]!);
    await sleep(10);
    for (const b of batches.slice(1)) host.emit('messagesArrived', b);
    await vi.waitFor(() => expect(host.acks()).toEqual(['b1', 'b2', 'b3', 'b4']), WAIT);
    await vi.waitFor(() => expect(seen).toHaveLength(4), WAIT);
    expect(seen).toEqual([
      ['b1', true],
      ['b2', true],
      ['b3', true],
      ['b4', true],
    ]);
    // b1 alone, then b2-b4 together.
    expect(writes).toBe(2);
    expect((await committed(db.name)).size).toBe(12);
  });

  it('a grouped write that fails acknowledges none of its batches; each is then written on its own, in order', async () => {
    const host = new FakeHost();
    const db = freshDb();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const batches = [1, 2, 3, 4].map((n) => batch(n));
    const seen = checkAcks(host, db, batches);
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    let call = 0;
    vi.spyOn(db, 'transaction').mockImplementation((async (...args: unknown[]) => {
      // The first waits before it starts, so b2-b4 arrive while it is under way.
      if (++call === 1) await sleep(50);
      return transaction(...args);
    }) as never);
    // The second transaction fails after the last of its batches was put: it is rolled back whole.
    const bulkPut = db.messages.bulkPut.bind(db.messages) as (items: readonly Message[]) => Promise<unknown>;
    let putInGroup = 0;
    let failed = false;
    vi.spyOn(db.messages, 'bulkPut').mockImplementation(((items: readonly Message[]) => {
      if (call !== 2) return bulkPut(items);
      putInGroup += items.length;
      if (!items.some((m) => m.key === 'x_mention:40')) return bulkPut(items);
      return bulkPut(items).then(() => {
        failed = true;
        throw new Error('AbortError: the disk said no');
      });
    }) as never);
    startIngest(host, db);
    host.emit('messagesArrived', batches[0]!);
    await sleep(10);
    for (const b of batches.slice(1)) host.emit('messagesArrived', b);
    await vi.waitFor(() => expect(host.acks()).toEqual(['b1', 'b2', 'b3', 'b4']), WAIT);
    await vi.waitFor(() => expect(seen).toHaveLength(4), WAIT);
    // The fault fired on the group: b2-b4 were put in that one transaction.
    expect(failed).toBe(true);
    expect(putInGroup).toBe(9);
    // Every acknowledgement came after its batch committed.
    expect(seen.every(([, ok]) => ok)).toBe(true);
    // b1, the failed group, then b2, b3 and b4 one by one.
    expect(call).toBe(5);
    expect((await committed(db.name)).size).toBe(12);
  });

  it('a batch that cannot be stored is not acknowledged and does not hold back the others of its group', async () => {
    const host = new FakeHost();
    const db = freshDb();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // b3 holds a message IndexedDB refuses (every attempt).
    const bad = { ...batch(3), messages: [message('30'), message('31'), message('39')] };
    const batches = [batch(1), batch(2), bad, batch(4)];
    const seen = checkAcks(host, db, batches);
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    let call = 0;
    let putInWrite = 0;
    vi.spyOn(db, 'transaction').mockImplementation((async (...args: unknown[]) => {
      // The first waits before it starts, so b2-b4 arrive while it is under way.
      if (++call === 1) await sleep(50);
      putInWrite = 0;
      return transaction(...args);
    }) as never);
    // Whether b3 was refused in the same write as another batch (the group).
    let refusedInGroup = false;
    const bulkPut = db.messages.bulkPut.bind(db.messages) as (items: readonly Message[]) => Promise<unknown>;
    vi.spyOn(db.messages, 'bulkPut').mockImplementation(((items: readonly Message[]) => {
      if (!items.some((m) => m.platformId === '39')) {
        putInWrite += items.length;
        return bulkPut(items);
      }
      if (putInWrite > 0) refusedInGroup = true;
      return Promise.reject(new Error('DataError'));
    }) as never);
    startIngest(host, db);
    host.emit('messagesArrived', batches[0]!);
    await sleep(10);
    for (const b of batches.slice(1)) host.emit('messagesArrived', b);
    // The bad batch is tried a few times on its own (250 + 500 + 1000 ms), then left to the host's resend.
    await vi.waitFor(() => expect(host.acks()).toEqual(['b1', 'b2', 'b4']), WAIT);
    await vi.waitFor(() => expect(seen).toHaveLength(3), WAIT);
    expect(seen.every(([, ok]) => ok)).toBe(true);
    const keys = await committed(db.name);
    expect(keys.has('x_mention:30')).toBe(false);
    expect(keys.size).toBe(9);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('b3 not stored'), expect.anything());
    expect(refusedInGroup).toBe(true);
  });

  it('a group holds at most GROUP_MAX_MESSAGES messages (but always one batch)', async () => {
    const host = new FakeHost();
    const db = freshDb();
    const sizes: number[] = [];
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    const bulkPut = db.messages.bulkPut.bind(db.messages) as (items: readonly Message[]) => Promise<unknown>;
    let inWrite = 0;
    vi.spyOn(db.messages, 'bulkPut').mockImplementation(((items: readonly Message[]) => {
      inWrite += items.length;
      return bulkPut(items);
    }) as never);
    let writes = 0;
    vi.spyOn(db, 'transaction').mockImplementation((async (...args: unknown[]) => {
      // The first waits before it starts, so the others arrive while it is under way.
      if (++writes === 1) await sleep(50);
      inWrite = 0;
      const r = await transaction(...args);
      sizes.push(inWrite);
      return r;
    }) as never);
    startIngest(host, db);
    const big = Math.floor(GROUP_MAX_MESSAGES / 3);
    host.emit('messagesArrived', batch(1, 1));
    await sleep(10);
    // Four batches of (about) a third of the maximum each: three fit in one group, the fourth goes in the next.
    for (const n of [2, 3, 4, 5]) host.emit('messagesArrived', { ...batch(n, 0), messages: Array.from({ length: big }, (_, i) => message(String(n * 10_000 + i))) });
    await vi.waitFor(() => expect(host.acks()).toHaveLength(5), WAIT);
    expect(sizes.every((s) => s <= GROUP_MAX_MESSAGES)).toBe(true);
    expect(sizes).toEqual([1, 3 * big, big]);
  });
});

describe('a window that dies in the middle of a group loses nothing', () => {
  it('the host keeps every unacknowledged batch and sends it again to the next window, which stores each once', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'webcare-group-'));
    dirs.push(dataDir);
    const settings = new Settings(dataDir);
    await settings.load();
    let renderer: FakeHost | null = null;
    const delivery = new Delivery({
      dataDir,
      settings,
      now: () => Date.now(),
      log: () => undefined,
      send: (b) => renderer?.emit('messagesArrived', b),
      statusOf: () => undefined,
      changed: () => undefined,
      transforms: [],
      pokeAll: () => undefined,
    });
    // Acknowledgements reach the host only from the window that is connected.
    const wire = (host: FakeHost) => {
      const call = host.call.bind(host);
      host.call = (async (name: CommandName, input: unknown) => {
        const r = await call(name, input as never);
        if (name === 'ackBatch' && renderer === host) delivery.ack((input as { batchId: string }).batchId);
        return r;
      }) as FakeHost['call'];
      renderer = host;
    };

    // The first window: its first write goes through; it dies in the grouped one, before the commit.
    const name = `webcare-test-${crypto.randomUUID()}`;
    const db1 = freshDb(name);
    const first = new FakeHost();
    wire(first);
    let dead = false;
    const transaction = db1.transaction.bind(db1) as (...args: unknown[]) => Promise<unknown>;
    let call = 0;
    vi.spyOn(db1, 'transaction').mockImplementation((async (...args: unknown[]) => {
      if (++call === 1) await sleep(50);
      // A dead window runs nothing more.
      if (dead) return new Promise(() => undefined);
      return transaction(...args);
    }) as never);
    const bulkPut = db1.messages.bulkPut.bind(db1.messages) as (items: readonly Message[]) => Promise<unknown>;
    let putInGroup = 0;
    vi.spyOn(db1.messages, 'bulkPut').mockImplementation(((items: readonly Message[]) => {
      if (call !== 2) return bulkPut(items);
      putInGroup += items.length;
      if (!items.some((m) => m.key === 'x_mention:40')) return bulkPut(items);
      // The window closes with the group's last batch put, before the commit: the transaction is aborted.
      return bulkPut(items).then(() => {
        dead = true;
        renderer = null;
        throw new Error('the window closed');
      });
    }) as never);
    startIngest(first, db1);
    const delivered = [delivery.deliver(batch(1))];
    await sleep(10);
    delivered.push(...[2, 3, 4].map((n) => delivery.deliver(batch(n))));
    const settled = delivered.map(() => false);
    delivered.forEach((p, i) => void p.then(() => (settled[i] = true)));
    await vi.waitFor(() => expect(dead).toBe(true), WAIT);
    expect(putInGroup).toBe(9);
    await sleep(50);
    // Only b1 was stored and acknowledged; b2-b4 are still the host's.
    expect(first.acks()).toEqual(['b1']);
    expect(settled).toEqual([true, false, false, false]);
    expect([...(await committed(name))].sort()).toEqual(['x_mention:10', 'x_mention:11', 'x_mention:12']);

    // The next window opens the same store and connects: the host sends b2-b4 again.
    const db2 = freshDb(name);
    const second = new FakeHost();
    wire(second);
    startIngest(second, db2);
    delivery.resend();
    await Promise.all(delivered);
    expect(second.acks()).toEqual(['b2', 'b3', 'b4']);
    const keys = await committed(name);
    expect(keys.size).toBe(12);
    expect(await db2.messages.count()).toBe(12);
  });
});
