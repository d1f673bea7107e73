import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { answeredKeys, answerThreadKey, isPrivateChannel, messageState, summarizeConversation } from '../../shared/conversation';
import { ColumnFilterSchema, type MessageMark } from '../../shared/filter';
import type { Channel, Message } from '../../shared/model';
import { readColumn, type ColumnItem } from '../../renderer/src/board/columnQuery';
import { markMessages } from '../../renderer/src/board/marks';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { mergeXPosts } from '../../renderer/src/db/ingest';
import { applyToThreads } from '../../renderer/src/db/threads';
import { msg, T0 } from '../support/conversationMessages';

/**
 * A column reads a card's state from its thread's row (renderer/src/db/threads.ts), not
 * from the whole thread: these check that it says exactly what shared/conversation.ts
 * says over the whole thread, however the messages arrived.
 */

const dbs: Dexie[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});
function freshDb(): WebcareDb {
  const db = openDb(`thread-rows-${crypto.randomUUID()}`);
  dbs.push(db);
  return db;
}


const ALL = ['x_mention', 'x_search', 'x_dm', 'fb_comment', 'fb_message'] as const;

/** Every card of every channel's column, of any status and of the open ones, as the column reads them. */
async function cards(db: WebcareDb): Promise<ColumnItem[]> {
  const out: ColumnItem[] = [];
  for (const statuses of [[], ['open' as const]]) {
    for (const channel of ALL) out.push(...(await readColumn(db, ColumnFilterSchema.parse({ channels: [channel], statuses }), { me: null }, { limit: 10_000, maxScan: 100_000 })).items);
  }
  return out;
}

/** What shared/conversation.ts says of those cards over their whole stored threads and marks. */
async function reference(db: WebcareDb, items: readonly ColumnItem[]) {
  const all = await db.messages.toArray();
  const marks = new Map((await db.marks.toArray()).map((m) => [m.key, m as MessageMark]));
  const threads = new Map<string, Message[]>();
  for (const m of all) {
    const k = answerThreadKey(m);
    threads.set(k, [...(threads.get(k) ?? []), m]);
  }
  return items.map(({ message: m }) => {
    const thread = threads.get(answerThreadKey(m)) ?? [];
    if (isPrivateChannel(m.channel)) {
      const s = summarizeConversation(thread, (k) => marks.get(k));
      return [m.key, s.state, s.unanswered, s.waitingSince] as const;
    }
    return [m.key, messageState(m, marks.get(m.key), answeredKeys(thread).has(m.key)), null, null] as const;
  });
}

const seen = (items: readonly ColumnItem[]) => items.map((i) => [i.message.key, i.state, i.conversation?.unanswered ?? null, i.conversation?.waitingSince ?? null] as const);
const stateOf = (items: readonly ColumnItem[], key: string) => items.find((i) => i.message.key === key)?.state;

async function same(db: WebcareDb): Promise<ColumnItem[]> {
  const items = await cards(db);
  expect(seen(items)).toEqual(await reference(db, items));
  return items;
}

describe('a card state from the thread row is the state over the whole thread', () => {
  it('a reply arriving before the post it answers answers everyone until that post is stored, then only its author', async () => {
    const db = freshDb();
    await db.messages.bulkPut([msg('b', 'x_mention', 'c', 'bob', 2), msg('r', 'x_mention', 'c', 'us', 3, { inReplyToId: 'a' })]);
    expect(stateOf(await same(db), 'x_mention:b')).toBe('answered');
    await db.messages.put(msg('a', 'x_mention', 'c', 'ann', 1));
    const items = await same(db);
    expect(stateOf(items, 'x_mention:a')).toBe('answered');
    expect(stateOf(items, 'x_mention:b')).toBe('waiting');
  });

  it('a reply after the message answers it; a later message waits again', async () => {
    const db = freshDb();
    await db.messages.put(msg('1', 'fb_comment', 't', 'ann', 1));
    expect(stateOf(await same(db), 'fb_comment:1')).toBe('waiting');
    await db.messages.put(msg('2', 'fb_comment', 't', 'us', 2, { inReplyToId: '1' }));
    expect(stateOf(await same(db), 'fb_comment:1')).toBe('answered');
    await db.messages.put(msg('3', 'fb_comment', 't', 'cas', 3, { inReplyToId: '1' }));
    const items = await same(db);
    expect([stateOf(items, 'fb_comment:1'), stateOf(items, 'fb_comment:3')]).toEqual(['answered', 'waiting']);
  });

  it('a Facebook private reply answers its commenter only; a split X reply answers the one its first part replied to', async () => {
    const db = freshDb();
    await db.messages.bulkPut([
      msg('1', 'fb_comment', 't', 'ann', 1),
      msg('2', 'fb_comment', 't', 'bob', 2),
      msg('3', 'fb_comment', 't', 'us', 3, { inReplyToId: '2', privately: true }),
      msg('x1', 'x_mention', 'c', 'ann', 1),
      msg('x2', 'x_search', 'c', 'bob', 2),
      msg('x3', 'x_search', 'c', 'us', 3, { inReplyToId: 'x2' }),
      msg('x4', 'x_mention', 'c', 'us', 4, { inReplyToId: 'x3' }),
    ]);
    const items = await same(db);
    expect(['fb_comment:1', 'fb_comment:2', 'x_mention:x1', 'x_search:x2'].map((k) => stateOf(items, k))).toEqual(['waiting', 'answered', 'waiting', 'answered']);
  });

  it('marks set after: done, archived, a team mark on a conversation, hidden messages of theirs and ours', async () => {
    const db = freshDb();
    await db.messages.bulkPut([
      msg('1', 'x_dm', 'd', 'ann', 1),
      msg('2', 'x_dm', 'd', 'us', 2),
      msg('3', 'x_dm', 'd', 'ann', 3),
      msg('4', 'x_dm', 'd', 'ann', 4),
      msg('m', 'x_mention', 'c', 'bob', 1),
    ]);
    let items = await same(db);
    expect(items.find((i) => i.message.key === 'x_dm:4')?.conversation?.unanswered).toBe(2);
    // Our reply alone deleted from the view: the conversation waits since the first message.
    await db.marks.put({ key: 'x_dm:2', status: 'open', hidden: true, at: T0 });
    items = await same(db);
    expect(items.find((i) => i.message.key === 'x_dm:4')?.conversation?.unanswered).toBe(3);
    // A colleague's mark (team mode writes it as the ingest does): their last message hidden.
    await db.marks.put({ key: 'x_dm:4', status: 'open', hidden: true, at: T0, by: 'Sanne' });
    items = await same(db);
    await markMessages(db, ['x_mention:m'], { status: 'archived' }, T0, null);
    items = await same(db);
    expect(stateOf(items, 'x_mention:m')).toBe('archived');
    await markMessages(db, ['x_dm:3'], { status: 'done' }, T0, null);
    await same(db);
  });

  it('a post stored twice by an earlier version and merged keeps the rows right (their deletes too)', async () => {
    const db = freshDb();
    await db.messages.bulkPut([msg('1', 'x_mention', 'c', 'ann', 1), msg('2', 'x_mention', 'c', 'us', 2, { inReplyToId: '1' }), msg('2', 'x_search', 'c', 'us', 2, { inReplyToId: '1' })]);
    await db.messages.delete('x_mention:2');
    expect((await db.threads.get('x_post:c'))?.items.map((i) => i.key)).toEqual(['x_search:2']);
    expect(stateOf(await same(db), 'x_mention:1')).toBe('answered');
    // A range of keys deleted at once (IndexedDB's delete of a key range).
    await db.messages.where('key').startsWith('x_search:').delete();
    expect(await db.threads.get('x_post:c')).toBeUndefined();
    expect(stateOf(await same(db), 'x_mention:1')).toBe('waiting');
    // Every message cleared: every row with them.
    await db.messages.put(msg('5', 'x_dm', 'd', 'us', 5));
    await db.messages.clear();
    expect(await db.threads.count()).toBe(0);
  });

  it('inside one transaction every step of the caller stays in it, however the rows are kept', async () => {
    const db = freshDb();
    await db.messages.bulkPut([msg('1', 'x_search', 'c', 'ann', 1), msg('9', 'x_dm', 'd', 'bob', 1)]);
    const tx: unknown[] = [];
    await db.transaction('rw', [db.messages, db.marks, db.searchPending, db.searchIndex], async () => {
      tx.push(Dexie.currentTransaction);
      await db.messages.put(msg('2', 'x_dm', 'd', 'us', 2));
      tx.push(Dexie.currentTransaction);
      await db.messages.delete('x_dm:9');
      tx.push(Dexie.currentTransaction);
      // The ingest's merge of a post stored before under the search's key: it deletes that copy.
      const merged = await mergeXPosts(db, [msg('1', 'x_mention', 'c', 'ann', 1), msg('3', 'x_mention', 'c', 'us', 3, { inReplyToId: '1' })]);
      tx.push(Dexie.currentTransaction);
      await db.messages.bulkPut(merged);
      tx.push(Dexie.currentTransaction);
      await db.searchPending.put({ key: 'x_mention:1' });
    });
    expect(new Set(tx).size).toBe(1);
    expect((await db.threads.toArray()).map((r) => [r.key, r.items.map((i) => i.key)])).toEqual([
      ['x_dm:d', ['x_dm:2']],
      ['x_post:c', ['x_mention:3']],
    ]);
    await same(db);
  });

  it('the rows are filled from the messages stored before the version that added them', async () => {
    const name = `thread-rows-old-${crypto.randomUUID()}`;
    const old = new Dexie(name);
    // The stores of the version before (only those with rows here matter).
    old.version(10).stores({ messages: 'key, [channel+createdAt], conversationId, createdAt', settings: 'key', marks: 'key, assignee, tag' });
    await old.table('messages').bulkPut([msg('1', 'x_dm', 'd', 'ann', 1), msg('2', 'x_dm', 'd', 'us', 2), msg('3', 'x_dm', 'd', 'ann', 3), msg('a', 'x_mention', 'c', 'bob', 1), msg('b', 'x_mention', 'c', 'us', 2, { inReplyToId: 'a' })]);
    old.close();
    const db = openDb(name);
    dbs.push(db);
    expect((await db.threads.toArray()).map((r) => [r.key, r.items.length])).toEqual([
      ['x_dm:d', 3],
      ['x_post:c', 1],
    ]);
    const items = await same(db);
    expect(stateOf(items, 'x_mention:a')).toBe('answered');
    expect(items.find((i) => i.message.key === 'x_dm:3')?.conversation?.unanswered).toBe(1);
  });

  it('random threads, arriving in random batches and order, with marks and deletes: always the whole-thread state', async () => {
    let seed = 16;
    const r = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    for (let round = 0; round < 4; round++) {
      const db = freshDb();
      const all: Message[] = [];
      let id = 0;
      for (let t = 0; t < 40; t++) {
        const channel = pick(['x_mention', 'x_dm', 'fb_comment', 'fb_message', 'x_search'] as const);
        const people = ['ann', 'bob', 'cas'].slice(0, isPrivateChannel(channel) ? 1 : 3);
        const thread: Message[] = [];
        for (let k = 0, n = 1 + Math.floor(r() * 7); k < n; k++) {
          const who = r() < 0.35 ? 'us' : pick(people);
          const to = thread.length > 0 && r() < 0.8 ? pick(thread).platformId : r() < 0.2 ? `gone${id}` : undefined;
          const ch: Channel = channel === 'x_mention' || channel === 'x_search' ? pick(['x_mention', 'x_search'] as const) : channel;
          const m = msg(`p${id++}`, ch, `c${t}`, who, Math.floor(r() * 50), {
            ...(to !== undefined && !isPrivateChannel(ch) ? { inReplyToId: to } : {}),
            ...(ch === 'fb_comment' && who === 'us' && r() < 0.3 ? { privately: true } : {}),
          });
          thread.push(m);
        }
        all.push(...thread);
      }
      // Random arrival: shuffled, in batches of 1 to 9.
      const order = [...all].sort(() => r() - 0.5);
      for (let i = 0; i < order.length; ) {
        const n = 1 + Math.floor(r() * 9);
        await db.messages.bulkPut(order.slice(i, i + n));
        i += n;
        if (r() < 0.3) await same(db);
      }
      // Some deleted again (as a merge does), some marked (done, archived, hidden, open again).
      await db.messages.bulkDelete(all.filter(() => r() < 0.08).map((m) => m.key));
      for (const m of all.filter(() => r() < 0.3)) {
        await markMessages(db, [m.key], pick([{ status: 'done' }, { status: 'archived' }, { hidden: true }, { status: 'open' }, { hidden: false }] as const), T0, null);
      }
      await same(db);
      // One message at a time (as a colleague's mark may come): our replies in private conversations deleted from the view.
      for (const m of all.filter((x) => isPrivateChannel(x.channel) && (x.fromUs ? r() < 0.6 : r() < 0.2))) {
        await db.marks.put({ key: m.key, status: pick(['open', 'done', 'archived'] as const), ...(r() < 0.8 ? { hidden: true } : {}), at: T0 });
      }
      await same(db);
    }
  });
});

describe('applyToThreads', () => {
  it('keeps every message of a private conversation and only ours elsewhere; a row left empty is dropped', () => {
    const put = [msg('1', 'x_dm', 'd', 'ann', 1), msg('2', 'x_dm', 'd', 'us', 2), msg('3', 'x_mention', 'c', 'ann', 1), msg('4', 'x_search', 'c', 'us', 2, { inReplyToId: '3' })];
    const first = applyToThreads(new Map(), put, []);
    expect(first.write).toEqual([
      {
        key: 'x_dm:d',
        items: [
          { key: 'x_dm:1', at: T0 + 1000, us: false },
          { key: 'x_dm:2', at: T0 + 2000, us: true },
        ],
      },
      { key: 'x_post:c', items: [{ key: 'x_search:4', at: T0 + 2000, us: true, to: '3' }] },
    ]);
    const rows = new Map(first.write.map((w) => [w.key, w]));
    expect(applyToThreads(rows, [], [put[3] as Message])).toEqual({ write: [], drop: ['x_post:c'] });
  });
});
