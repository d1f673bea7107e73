import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/model';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { queueForSearch, searchKeyOf, startSearchIndexer } from '../../renderer/src/search/searchIndex';

/**
 * A page of stored messages is queued for search in one row that names them all
 * (a row written costs the ingest about as much as a message), a handful in a row
 * each; the indexer takes both kinds, indexes every message they name that is
 * still stored, and empties the queue.
 */

const T0 = 1_760_000_000_000;

function message(i: number): Message {
  const id = String(1_900_000_000_000_000_000n + BigInt(i));
  return {
    key: `x_mention:${id}`,
    platformId: id,
    channel: 'x_mention',
    accountId: 'acc-1',
    conversationId: id,
    author: { id: `u-${i}`, name: 'Els de Vries', handle: 'elsdv' },
    text: i % 100 === 7 ? `verbinding ${i} kwijt` : `pakket ${i} onderweg`,
    createdAt: T0 + i,
    fromUs: false,
  };
}

const open: WebcareDb[] = [];
function freshDb(): WebcareDb {
  const db = openDb(`search-queue-${crypto.randomUUID()}`);
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

async function store(db: WebcareDb, messages: Message[]): Promise<void> {
  await db.transaction('rw', db.messages, db.searchPending, () => Promise.all([db.messages.bulkPut(messages), queueForSearch(db, messages)]));
}

function indexAll(db: WebcareDb): Promise<void> {
  let stop = () => {};
  return new Promise<void>((resolve) => {
    stop = startSearchIndexer(db, 10, resolve);
  }).then(() => stop());
}

describe('the search queue', () => {
  it('queues a page of 100 in one row, and a handful in a row each', async () => {
    const db = freshDb();
    await store(db, Array.from({ length: 100 }, (_, i) => message(i)));
    expect(await db.searchPending.count()).toBe(1);
    expect((await db.searchPending.toArray())[0]?.keys).toHaveLength(100);
    await store(db, [message(200), message(201)]);
    expect(await db.searchPending.count()).toBe(3);
  });

  it('indexes every message the rows name, in chunks, and empties the queue', async () => {
    const db = freshDb();
    // 23 pages of 100, two single messages, and a page of 1,200 (split into rows of at most one chunk).
    for (let p = 0; p < 23; p++) await store(db, Array.from({ length: 100 }, (_, i) => message(p * 100 + i)));
    await store(db, [message(5000), message(5001)]);
    await store(db, Array.from({ length: 1200 }, (_, i) => message(10_000 + i)));
    const total = 2300 + 2 + 1200;
    await indexAll(db);
    expect(await db.searchPending.count()).toBe(0);
    expect(await db.searchIndex.count()).toBe(total);
    // One message of each kind of row is findable by its words.
    for (const i of [7, 2207, 5001, 10_007]) {
      const m = message(i);
      const row = await db.searchIndex.get(searchKeyOf(m.createdAt, m.key));
      expect(row?.words, String(i)).toEqual(expect.arrayContaining(i % 100 === 7 ? ['verbinding'] : ['pakket']));
    }
  });

  it('a message removed after it was queued (a merged copy) is skipped, the rest indexed', async () => {
    const db = freshDb();
    const page = Array.from({ length: 20 }, (_, i) => message(i));
    await store(db, page);
    await db.messages.delete(page[3]!.key);
    await indexAll(db);
    expect(await db.searchPending.count()).toBe(0);
    expect(await db.searchIndex.count()).toBe(19);
    expect(await db.searchIndex.get(searchKeyOf(page[3]!.createdAt, page[3]!.key))).toBeUndefined();
  });

  it('waits until arrivals pause before it indexes: nothing is indexed while messages keep coming', async () => {
    const db = freshDb();
    let idle = 0;
    const quietMs = 1_000;
    const stop = startSearchIndexer(db, quietMs, () => idle++);
    try {
      // Started on an empty queue: it looked once and found nothing.
      await expect.poll(() => idle).toBe(1);
      // A page every 100 ms for 800 ms, each well within the quiet time of the one before.
      for (let p = 0; p < 8; p++) {
        await store(db, Array.from({ length: 10 }, (_, i) => message(p * 10 + i)));
        await new Promise((r) => setTimeout(r, 100));
        expect(await db.searchIndex.count(), `after page ${p + 1}`).toBe(0);
      }
      // Quiet now: all of it is indexed once the quiet time passed.
      await expect.poll(() => db.searchIndex.count(), { timeout: 5_000 }).toBe(80);
      expect(await db.searchPending.count()).toBe(0);
    } finally {
      stop();
    }
  });
});
