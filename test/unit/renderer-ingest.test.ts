import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageBatch } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { ConnectionState } from '../../renderer/src/api/host';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { FakeHost } from '../support/fakeHost';
import { startHello, startIngest, storeIdOf } from '../../renderer/src/db/ingest';
import { onStored } from '../../renderer/src/db/stored';
import { indexMessages } from '../../renderer/src/search/searchIndex';


function message(id: string, text = `bericht ${id}`, createdAt = 1_760_000_000_000): Message {
  return {
    key: `x_mention:${id}`,
    platformId: id,
    channel: 'x_mention',
    accountId: 'acc-1',
    conversationId: id,
    author: { id: `u-${id}`, name: 'Els de Vries', handle: 'elsdv' },
    text,
    createdAt,
    fromUs: false,
  };
}

function batch(batchId: string, messages: Message[]): MessageBatch {
  return { batchId, streamId: 'acc-1:x_mentions', messages };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const open: WebcareDb[] = [];
function freshDb(): WebcareDb {
  const db = openDb(`webcare-test-${crypto.randomUUID()}`);
  open.push(db);
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  vi.restoreAllMocks();
});

describe('startIngest: a restart loses nothing and duplicates nothing', () => {
  it('stores a batch, then acknowledges it', async () => {
    const host = new FakeHost();
    const db = freshDb();
    startIngest(host, db);
    host.emit('messagesArrived', batch('b1', [message('1'), message('2'), message('3')]));
    await vi.waitFor(() => expect(host.acks()).toEqual(['b1']));
    expect((await db.messages.toArray()).map((m) => m.key).sort()).toEqual(['x_mention:1', 'x_mention:2', 'x_mention:3']);
    expect(await db.messages.get('x_mention:2')).toEqual(message('2'));
  });

  it('acknowledges only after the write has committed (visible to another connection)', async () => {
    const host = new FakeHost();
    const db = freshDb();
    const seenAtAck: number[] = [];
    host.onAck = async () => {
      const other = openDb(db.name);
      try {
        seenAtAck.push(await other.messages.count());
      } finally {
        other.close();
      }
    };
    startIngest(host, db);
    host.emit('messagesArrived', batch('b1', [message('1'), message('2')]));
    await vi.waitFor(() => expect(seenAtAck).toEqual([2]));
  });

  it('stores a batch that arrives twice once, and a message in two batches once', async () => {
    const host = new FakeHost();
    const db = freshDb();
    startIngest(host, db);
    const b = batch('b1', [message('1'), message('2')]);
    host.emit('messagesArrived', b);
    host.emit('messagesArrived', structuredClone(b));
    host.emit('messagesArrived', batch('b2', [message('2'), message('3')]));
    await vi.waitFor(() => expect(host.acks()).toEqual(['b1', 'b1', 'b2']));
    expect(await db.messages.count()).toBe(3);
  });

  it('does not acknowledge a failed write, stores none of that batch, and carries on with the next', async () => {
    const host = new FakeHost();
    const db = freshDb();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // IndexedDB refuses the write of one batch (every attempt), and the whole batch with it.
    const bulkPut = db.messages.bulkPut.bind(db.messages) as (items: readonly Message[]) => Promise<unknown>;
    vi.spyOn(db.messages, 'bulkPut').mockImplementation(((items: readonly Message[]) =>
      items.some((m) => m.platformId === 'bad') ? Promise.reject(new Error('DataError')) : bulkPut(items)) as never);
    startIngest(host, db);
    host.emit('messagesArrived', batch('b-bad', [message('1'), message('bad')]));
    host.emit('messagesArrived', batch('b-ok', [message('2')]));
    // Retried a few times first (250 + 500 + 1000 ms), then left to the host's resend.
    await vi.waitFor(() => expect(host.acks()).toEqual(['b-ok']), { timeout: 5000 });
    expect((await db.messages.toArray()).map((m) => m.key)).toEqual(['x_mention:2']);
    expect(warn).toHaveBeenCalled();
  });

  it('retries a write that fails for a passing reason, then acknowledges, in order', async () => {
    const host = new FakeHost();
    const db = freshDb();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(db.messages, 'bulkPut').mockRejectedValueOnce(new Error('QuotaExceededError'));
    startIngest(host, db);
    host.emit('messagesArrived', batch('b1', [message('1')]));
    host.emit('messagesArrived', batch('b2', [message('2')]));
    await vi.waitFor(() => expect(host.acks()).toEqual(['b1', 'b2']), { timeout: 3000 });
    expect(await db.messages.count()).toBe(2);
  });

  it('says hello with one stable store id, on every connect', async () => {
    const host = new FakeHost();
    const db = freshDb();
    let onConn: ((s: ConnectionState) => void) | null = null;
    host.onConnection = ((fn: (s: ConnectionState) => void) => {
      onConn = fn;
      return () => undefined;
    }) as FakeHost['onConnection'];
    startHello(host, db);
    await vi.waitFor(() => expect(host.calls.filter((c) => c.name === 'hello')).toHaveLength(1));
    onConn!('open');
    await vi.waitFor(() => expect(host.calls.filter((c) => c.name === 'hello')).toHaveLength(2));
    const ids = host.calls.filter((c) => c.name === 'hello').map((c) => (c.input as { storeId: string }).storeId);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(await storeIdOf(db)).toBe(ids[0]);
    expect(await storeIdOf(freshDb())).not.toBe(ids[0]);
  });

  it('processes batches strictly in arrival order, even when an earlier write is slow', async () => {
    const host = new FakeHost();
    const db = freshDb();
    // Delay the first batch's transaction before it starts (a delay inside it would end it).
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
    vi.spyOn(db, 'transaction').mockImplementationOnce((async (...args: unknown[]) => {
      await sleep(50);
      return transaction(...args);
    }) as never);
    startIngest(host, db);
    host.emit('messagesArrived', batch('b1', [message('1', 'eerste versie')]));
    host.emit('messagesArrived', batch('b2', [message('1', 'bewerkte versie'), message('2')]));
    host.emit('messagesArrived', batch('b3', [message('3')]));
    await vi.waitFor(() => expect(host.acks()).toEqual(['b1', 'b2', 'b3']));
    expect((await db.messages.get('x_mention:1'))?.text).toBe('bewerkte versie');
  });

  it('stops listening when stopped', async () => {
    const host = new FakeHost();
    const db = freshDb();
    const stop = startIngest(host, db);
    stop();
    host.emit('messagesArrived', batch('b1', [message('1')]));
    await sleep(30);
    expect(host.acks()).toEqual([]);
    expect(await db.messages.count()).toBe(0);
  });
});

describe('startIngest in team mode: a batch may carry the team’s marks', () => {
  const teamMark = (key: string, status: 'open' | 'done' | 'archived', at: number, by?: string) => ({ key, status, at, ...(by ? { by } : {}) });

  it('stores them with the batch’s messages, before the acknowledgement, keeping who set them', async () => {
    const host = new FakeHost();
    const db = freshDb();
    const seenAtAck: Array<[number, number]> = [];
    host.onAck = async () => {
      const other = openDb(db.name);
      try {
        seenAtAck.push([await other.messages.count(), await other.marks.count()]);
      } finally {
        other.close();
      }
    };
    startIngest(host, db);
    host.emit('messagesArrived', { ...batch('b1', [message('1'), message('2')]), marks: [teamMark('x_mention:1', 'done', 500, 'Anna'), { ...teamMark('x_mention:2', 'open', 501), tag: 'klantenservice', assignee: 'Bram' }] });
    await vi.waitFor(() => expect(seenAtAck).toEqual([[2, 2]]));
    expect(await db.marks.get('x_mention:1')).toEqual({ key: 'x_mention:1', status: 'done', at: 500, by: 'Anna' });
    expect(await db.marks.get('x_mention:2')).toEqual({ key: 'x_mention:2', status: 'open', at: 501, tag: 'klantenservice', assignee: 'Bram' });
  });

  it('the team’s mark overwrites this window’s; a batch of marks alone is stored and acknowledged too', async () => {
    const host = new FakeHost();
    const db = freshDb();
    await db.marks.put({ key: 'x_mention:1', status: 'archived', tag: 'oud', hidden: true, at: 900 });
    startIngest(host, db);
    host.emit('messagesArrived', { batchId: 'm1', streamId: 'team:marks', messages: [], marks: [teamMark('x_mention:1', 'done', 950, 'Anna')] });
    await vi.waitFor(() => expect(host.acks()).toEqual(['m1']));
    expect(await db.marks.get('x_mention:1')).toEqual({ key: 'x_mention:1', status: 'done', at: 950, by: 'Anna' });
  });

  it('messages and marks are one write: when the marks cannot be stored, neither are the messages, and nothing is acknowledged', async () => {
    const host = new FakeHost();
    const db = freshDb();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(db.marks, 'bulkPut').mockRejectedValue(new Error('QuotaExceededError'));
    startIngest(host, db);
    host.emit('messagesArrived', { ...batch('b1', [message('1')]), marks: [teamMark('x_mention:1', 'done', 500)] });
    // Tried a few times, then left to the host's resend.
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining('b1 not stored'), expect.anything()), { timeout: 5000 });
    expect(host.acks()).toEqual([]);
    expect(await db.messages.count()).toBe(0);
  });
});

describe('startIngest in team mode: a department console lets go of what left its departments', () => {
  const inConversation = (id: string, conversationId: string, over: Partial<Message> = {}): Message => ({ ...message(id), conversationId, department: 'billing', ...over });

  it('a conversation given to another department: its messages and their search rows go, its marks and every other conversation stay; the columns are told', async () => {
    const host = new FakeHost();
    const db = freshDb();
    // The same conversation id on another channel is another conversation.
    const kept = [inConversation('2', 'c1', { channel: 'x_dm', key: 'x_dm:2' }), inConversation('3', 'c2')];
    const leaving = [inConversation('1', 'c1'), inConversation('4', 'c1'), inConversation('5', 'c1', { fromUs: true })];
    await db.messages.bulkPut([...kept, ...leaving]);
    await indexMessages(db, [...kept, ...leaving]);
    await db.searchPending.put({ key: 'x_mention:4' });
    await db.marks.put({ key: 'x_mention:4', status: 'done', at: 1 });
    const told: string[][] = [];
    // The setup's own writes may be told late, as changes of unknown content: only the ingest's reports count here.
    const off = onStored(db, (change) => {
      if (change.kind === 'stored') told.push(change.messages.map((m) => m.key));
    });
    startIngest(host, db);
    host.emit('messagesArrived', { batchId: 'l1', streamId: 'team', messages: [], left: [{ conversationKey: 'x_mention:c1' }] });
    await vi.waitFor(() => expect(host.acks()).toEqual(['l1']));
    off();
    expect((await db.messages.toArray()).map((m) => m.key).sort()).toEqual(['x_dm:2', 'x_mention:3']);
    const rows = (await db.searchIndex.toArray()).map((r) => r.sk);
    expect(rows.filter((sk) => /x_mention:[145]$/.test(sk))).toEqual([]);
    expect(rows.filter((sk) => /x_mention:3$|x_dm:2$/.test(sk))).toHaveLength(2);
    expect(await db.searchPending.get('x_mention:4')).toBeUndefined();
    expect(await db.marks.get('x_mention:4')).toMatchObject({ status: 'done' });
    expect(told.flat().sort()).toEqual(['x_mention:1', 'x_mention:4', 'x_mention:5']);
  });

  it('an account given to another department: its messages of the department it left go, the rest stay', async () => {
    const host = new FakeHost();
    const db = freshDb();
    await db.messages.bulkPut([
      inConversation('1', 'c1'),
      inConversation('2', 'c2', { department: 'support' }),
      inConversation('3', 'c3', { accountId: 'acc-2' }),
      inConversation('4', 'c4', { department: undefined }),
    ]);
    startIngest(host, db);
    host.emit('messagesArrived', { batchId: 'l2', streamId: 'team', messages: [], left: [{ accountId: 'acc-1', department: 'billing' }] });
    await vi.waitFor(() => expect(host.acks()).toEqual(['l2']));
    expect((await db.messages.toArray()).map((m) => m.key).sort()).toEqual(['x_mention:2', 'x_mention:3', 'x_mention:4']);
  });

  it('what left and what arrives in one batch: the messages that came with it stay unless they are of what left', async () => {
    const host = new FakeHost();
    const db = freshDb();
    await db.messages.put(inConversation('1', 'c1'));
    startIngest(host, db);
    host.emit('messagesArrived', { batchId: 'l3', streamId: 'team', messages: [inConversation('2', 'c1'), inConversation('3', 'c9')], left: [{ conversationKey: 'x_mention:c1' }] });
    await vi.waitFor(() => expect(host.acks()).toEqual(['l3']));
    expect((await db.messages.toArray()).map((m) => m.key)).toEqual(['x_mention:3']);
  });
});
