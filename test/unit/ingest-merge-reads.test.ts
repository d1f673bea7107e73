import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../shared/model';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { mergeStoredPosts, mergeXPosts } from '../../renderer/src/db/ingest';

/**
 * The X post merge reads the stored copies of a batch's posts. A page's posts
 * have neighbouring ids: the keys in their range are read first (one request),
 * and only the copies that exist are read, not every key one by one. The merge
 * itself stays exactly as before, whichever way the copies were found.
 */

const post = (channel: 'x_mention' | 'x_search', id: string, over: Partial<Message> = {}): Message => ({
  key: `${channel}:${id}`,
  platformId: id,
  channel,
  accountId: 'x:42',
  conversationId: id,
  author: { id: '7', name: 'Els de Vries', handle: 'elsdv' },
  text: `pakket kwijt ${id}`,
  createdAt: 1_760_000_000_000 + Number(id.slice(-6)),
  fromUs: false,
  summoned: true,
  ...(channel === 'x_search' ? { searchId: 's1', foundBy: ['search:s1'] } : { foundBy: ['mentions'] }),
  ...over,
});

/** 19-digit ids, as X's are: `base + i`. */
const id = (i: number) => String(1_900_000_000_000_000_000n + BigInt(i));

const open: WebcareDb[] = [];
async function mergedDb(): Promise<WebcareDb> {
  const db = openDb(`merge-reads-${crypto.randomUUID()}`);
  open.push(db);
  // The once-per-store merge ran: a mention is looked up under its own key only.
  await mergeStoredPosts(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  vi.restoreAllMocks();
});

function inTransaction<T>(db: WebcareDb, fn: () => Promise<T>): Promise<T> {
  return db.transaction('rw', [db.messages, db.marks, db.searchIndex, db.searchPending], fn);
}

describe('mergeXPosts reads only the stored copies that exist', () => {
  it('a page of 100 new mentions, two of them read before: reads those two, and merges them', async () => {
    const db = await mergedDb();
    await db.messages.bulkPut([post('x_mention', id(10), { foundBy: ['search:s1'], searchId: 's1' }), post('x_mention', id(70), { foundBy: ['search:s1'], searchId: 's1' })]);
    // Other channels' messages sort elsewhere; they are never read.
    await db.messages.bulkPut([{ ...post('x_mention', id(50)), key: `x_dm:${id(50)}`, channel: 'x_dm' }]);
    const page = Array.from({ length: 100 }, (_, i) => post('x_mention', id(i)));
    const bulkGet = vi.spyOn(db.messages, 'bulkGet');
    const put = await inTransaction(db, () => mergeXPosts(db, page));
    expect(bulkGet.mock.calls.map((c) => [...(c[0] as string[])].sort())).toEqual([[`x_mention:${id(10)}`, `x_mention:${id(70)}`]]);
    expect(put).toHaveLength(100);
    const merged = put.find((m) => m.platformId === id(10))!;
    expect(merged.foundBy).toEqual(expect.arrayContaining(['mentions', 'search:s1']));
    expect(merged.searchId).toBe('s1');
    expect(put.find((m) => m.platformId === id(11))).toEqual(page[11]);
  });

  it('a page with nothing stored reads no message at all', async () => {
    const db = await mergedDb();
    const page = Array.from({ length: 50 }, (_, i) => post('x_mention', id(1000 + i)));
    const bulkGet = vi.spyOn(db.messages, 'bulkGet');
    const put = await inTransaction(db, () => mergeXPosts(db, page));
    expect(bulkGet).not.toHaveBeenCalled();
    expect(put).toEqual(page);
  });

  it('search hits: their own keys and their mention twins, each by its range; a hit that is a stored mention becomes that mention', async () => {
    const db = await mergedDb();
    await db.messages.bulkPut([post('x_mention', id(3)), post('x_search', id(8))]);
    const hits = Array.from({ length: 20 }, (_, i) => post('x_search', id(i)));
    const bulkGet = vi.spyOn(db.messages, 'bulkGet');
    const put = await inTransaction(db, () => mergeXPosts(db, hits));
    expect(bulkGet.mock.calls.map((c) => [...(c[0] as string[])].sort())).toEqual([[`x_mention:${id(3)}`, `x_search:${id(8)}`]]);
    const keys = put.map((m) => m.key);
    expect(keys).toContain(`x_mention:${id(3)}`);
    expect(keys).not.toContain(`x_search:${id(3)}`);
    expect(put.find((m) => m.key === `x_mention:${id(3)}`)?.foundBy).toEqual(expect.arrayContaining(['mentions', 'search:s1']));
  });

  it('keys spread over a range full of other messages are read one by one, with the same outcome', async () => {
    const db = await mergedDb();
    // Ids of different lengths: string order puts thousands of stored mentions between the page's keys.
    const stored = Array.from({ length: 300 }, (_, i) => post('x_mention', String(5_000_000 + i)));
    await db.messages.bulkPut(stored);
    const page = [...Array.from({ length: 9 }, (_, i) => post('x_mention', String(10 + i))), post('x_mention', '5000007', { foundBy: ['search:s1'], searchId: 's1' }), post('x_mention', '90')];
    const bulkGet = vi.spyOn(db.messages, 'bulkGet');
    const put = await inTransaction(db, () => mergeXPosts(db, page));
    expect(bulkGet).toHaveBeenCalledTimes(1);
    expect(bulkGet.mock.calls[0]![0]).toHaveLength(11);
    expect(put.find((m) => m.platformId === '5000007')?.foundBy).toEqual(expect.arrayContaining(['mentions', 'search:s1']));
  });
});
