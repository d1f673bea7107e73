import { RangeSet } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageBatch } from '../../shared/contract';
import { ColumnFilterSchema, type ColumnFilterInput } from '../../shared/filter';
import type { Message } from '../../shared/model';
import type { ColumnData } from '../../renderer/src/board/columnQuery';
import { markMessages } from '../../renderer/src/board/marks';
import { newColumnMemory, watchColumn } from '../../renderer/src/board/useColumnData';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { startIngest } from '../../renderer/src/db/ingest';
import { onStored, type StoredChange } from '../../renderer/src/db/stored';
import { msg, T0 } from '../support/conversationMessages';
import { FakeHost } from '../support/fakeHost';


let seq = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: () => boolean, ms = 5_000): Promise<void> {
  for (const end = Date.now() + ms; !what(); await sleep(20)) if (Date.now() > end) throw new Error('timed out');
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function freshDb(): WebcareDb {
  const db = openDb(`column-refresh-${crypto.randomUUID()}`);
  cleanup.push(() => db.delete());
  return db;
}

/** A column watched as the board does: every read it reports. */
function watch(db: WebcareDb, filter: ColumnFilterInput) {
  const reads: ColumnData[] = [];
  const stop = watchColumn(db, ColumnFilterSchema.parse(filter), { me: null }, 500, newColumnMemory(), (r) => {
    if ('error' in r) throw r.error;
    reads.push(r.data);
  });
  cleanup.push(stop);
  const last = () => reads[reads.length - 1] as ColumnData;
  return { reads, last, cards: () => last().items.map((i) => [i.message.platformId, i.state] as const) };
}

/** Until a column has not read for a while (its first screen and full read done, or a re-read). */
async function quiet(reads: readonly unknown[], ms = 700): Promise<void> {
  let n = -1;
  while (n !== reads.length) {
    n = reads.length;
    await sleep(ms);
  }
}

/** Sends batches through the real ingest, resolving once each is stored and acknowledged. */
function ingest(db: WebcareDb) {
  const host = new FakeHost();
  cleanup.push(startIngest(host, db));
  return async (messages: Message[], marks?: MessageBatch['marks']) => {
    const batchId = `b${seq++}`;
    host.emit('messagesArrived', { batchId, streamId: 'acc:test', messages, ...(marks ? { marks } : {}) });
    await until(() => host.acks().includes(batchId));
  };
}

describe('a column re-reads only for a stored change that concerns it', () => {
  it('a batch of another channel does not re-read a mentions column; a batch of its channel does, coalesced', async () => {
    const db = freshDb();
    const store = ingest(db);
    await store([msg('1', 'x_mention', 'c1', 'ann', 1)]);
    const col = watch(db, { channels: ['x_mention'] });
    await until(() => col.reads.length > 0);
    await quiet(col.reads);
    const before = col.reads.length;

    // Ten batches of comments and DMs while the column is shown: not one read.
    for (let i = 0; i < 10; i++) await store([msg(`f${i}`, 'fb_comment', `fc${i}`, 'bob', 10 + i), msg(`d${i}`, 'x_dm', 'dm1', 'cas', 10 + i)]);
    await sleep(800);
    expect(col.reads.length).toBe(before);

    // Twenty batches of mentions at once: the column reads again, far fewer times than batches, and shows them all.
    await Promise.all(Array.from({ length: 20 }, (_, i) => store([msg(`m${i}`, 'x_mention', `cm${i}`, 'dirk', 30 + i)])));
    await until(() => col.last().items.length === 21);
    await quiet(col.reads);
    expect(col.reads.length - before).toBeGreaterThanOrEqual(1);
    expect(col.reads.length - before).toBeLessThan(10);
    expect(col.cards()[0]).toEqual(['m19', 'waiting']);
  });

  it('a reply of ours stored in another stream re-reads the column showing its thread, and the card is answered', async () => {
    const db = freshDb();
    const store = ingest(db);
    // A keyword search's hit; our reply to it comes back through the mentions stream (another channel, the same X thread).
    await store([msg('h1', 'x_search', 'c1', 'ann', 1), msg('h2', 'x_search', 'c2', 'bob', 2)]);
    const col = watch(db, { channels: ['x_search'] });
    await until(() => col.reads.length > 0);
    await quiet(col.reads);
    expect(col.cards()).toEqual([
      ['h2', 'waiting'],
      ['h1', 'waiting'],
    ]);
    const before = col.reads.length;
    await store([msg('r1', 'x_mention', 'c1', 'us', 5, { inReplyToId: 'h1' })]);
    await until(() => col.reads.length > before);
    expect(col.cards()).toEqual([
      ['h2', 'waiting'],
      ['h1', 'answered'],
    ]);
  });

  it('a mark stored by another window re-reads the column; one set here re-reads only where it shows', async () => {
    const db = freshDb();
    const store = ingest(db);
    await store([msg('1', 'x_mention', 'c1', 'ann', 1), msg('2', 'x_mention', 'c2', 'bob', 2), msg('9', 'fb_comment', 'f9', 'cas', 3)]);
    const col = watch(db, { channels: ['x_mention'] });
    await until(() => col.reads.length > 0);
    await quiet(col.reads);
    let before = col.reads.length;

    // Another window's console writes a mark (its own connection, no Dexie of this window) and its
    // Dexie tells the other windows, as it does, on the broadcast channel.
    await rawPut(db.name, 'marks', { key: 'x_mention:1', status: 'done', at: T0 });
    const other = new BroadcastChannel('x-storagemutated-1');
    other.postMessage({ [`idb://${db.name}/marks/`]: new RangeSet().addKey('x_mention:1') });
    other.close();
    await until(() => col.reads.length > before);
    expect(col.cards().map(([id]) => id)).toEqual(['2']);

    // Done here on a comment: not in this column, no read. Done on a mention shown: read.
    await quiet(col.reads);
    before = col.reads.length;
    await markMessages(db, ['fb_comment:9'], { status: 'done' }, T0, null);
    await sleep(800);
    expect(col.reads.length).toBe(before);
    await markMessages(db, ['x_mention:2'], { status: 'done' }, T0, null);
    await until(() => col.reads.length > before);
    expect(col.cards()).toEqual([]);
  });

  it('a write this window did not describe re-reads: the outbox copy of a sent reply, the merge of an X post stored twice', async () => {
    const db = freshDb();
    const store = ingest(db);
    await store([msg('h1', 'x_search', 'c1', 'ann', 1), msg('d1', 'x_dm', 'dm1', 'bob', 2)]);
    const col = watch(db, { channels: ['x_search'] });
    const dms = watch(db, { channels: ['x_dm'] });
    await until(() => col.reads.length > 0 && dms.reads.length > 0);
    await Promise.all([quiet(col.reads), quiet(dms.reads)]);
    const told: StoredChange['kind'][] = [];
    cleanup.push(onStored(db, (c) => told.push(c.kind)));

    // The outbox stores the reply it sent at once, not through the ingest.
    let before = dms.reads.length;
    await db.messages.put(msg('d2', 'x_dm', 'dm1', 'us', 3));
    await until(() => dms.reads.length > before);
    expect(dms.cards()).toEqual([['d2', 'answered']]);
    expect(told).toEqual(['unknown']);

    // The same post comes as a mention: stored once under the mention's key, the search's copy deleted.
    before = col.reads.length;
    await store([msg('h1', 'x_mention', 'c1', 'ann', 1)]);
    await until(() => col.reads.length > before);
    expect(told.slice(1).sort()).toEqual(['stored', 'unknown']);
  });
});

/** Writes a row as another window would: its own IndexedDB connection, without this window's Dexie. */
async function rawPut(name: string, store: string, value: unknown): Promise<void> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = idb.transaction(store, 'readwrite');
    tx.objectStore(store).put(value);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  idb.close();
}
