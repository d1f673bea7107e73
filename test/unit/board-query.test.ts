import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ColumnFilterSchema, type ColumnFilterInput } from '../../shared/filter';
import type { Channel, Message } from '../../shared/model';
import { readColumn } from '../../renderer/src/board/columnQuery';
import { addColumn, deleteColumn, duplicateColumnIn, ensureColumns, loadColumns, moveColumnStep, resizeColumnIn, updateColumn } from '../../renderer/src/board/columns';
import { markMessages, toggleDone } from '../../renderer/src/board/marks';
import { WebcareDb } from '../../renderer/src/db/db';

const T0 = 1_770_000_000_000;
let db: WebcareDb;
let n = 0;

function msg(i: number, channel: Channel, text: string, extra: Partial<Message> = {}): Message {
  return {
    key: `${channel}:${i}`,
    platformId: String(i),
    channel,
    accountId: channel.startsWith('x') ? 'acc-x' : 'acc-fb',
    conversationId: String(i),
    author: { id: `u${i}`, name: `Person ${i}`, handle: `p${i}` },
    text,
    createdAt: T0 + i * 1000,
    fromUs: false,
    ...extra,
  };
}

const read = (f: ColumnFilterInput, me: string | null = null, limit = 500, maxScan = 20_000) => readColumn(db, ColumnFilterSchema.parse(f), { me }, { limit, maxScan });
const keys = (d: Awaited<ReturnType<typeof read>>) => d.items.map((i) => i.message.key);

beforeEach(() => {
  db = new WebcareDb(`board-query-${n++}`);
});
afterEach(async () => {
  await db.delete();
});

describe('readColumn', () => {
  it('newest first, matching only, stops at the limit', async () => {
    const ms: Message[] = [];
    for (let i = 0; i < 1000; i++) ms.push(msg(i, i % 2 ? 'x_mention' : 'fb_comment', i % 10 === 0 ? `Waar is mijn pakket ${i}?` : `Hallo ${i}`));
    await db.messages.bulkPut(ms);
    const d = await read({ text: 'pakket' }, null, 50);
    expect(keys(d)).toEqual(Array.from({ length: 50 }, (_, j) => `fb_comment:${990 - j * 10}`));
    expect(d.more).toBe(true);
    const one = await read({ channels: ['x_mention'] }, null, 3);
    expect(keys(one)).toEqual(['x_mention:999', 'x_mention:997', 'x_mention:995']);
  });

  it('a rare filter stops at the scan budget and says there may be more', async () => {
    await db.messages.bulkPut(Array.from({ length: 3000 }, (_, i) => msg(i, 'x_mention', i === 5 ? 'café' : 'nee')));
    const capped = await read({ text: 'cafe' }, null, 500, 1000);
    expect(capped).toEqual({ items: [], more: true });
    const full = await read({ text: 'cafe' }, null, 500, 5000);
    expect(keys(full)).toEqual(['x_mention:5']);
    expect(full.more).toBe(false);
  });

  it('pages past many messages of one millisecond, and a read continues after a given message', async () => {
    // 700 messages share one createdAt (more than a page), around them ordinary ones.
    const ms: Message[] = [];
    for (let i = 0; i < 1500; i++) ms.push(msg(i, i % 3 ? 'x_mention' : 'fb_comment', `m ${i}`, i >= 400 && i < 1100 ? { createdAt: T0 } : {}));
    await db.messages.bulkPut(ms);
    for (const channels of [['x_mention'] as Channel[], []]) {
      const all = await readColumn(db, ColumnFilterSchema.parse({ channels }), { me: null }, { limit: 5000, maxScan: 20_000 });
      const expected = ms
        .filter((m) => channels.length === 0 || channels.includes(m.channel))
        .sort((a, b) => b.createdAt - a.createdAt || (a.key < b.key ? 1 : -1))
        .map((m) => m.key);
      expect(keys(all)).toEqual(expected);
      expect(all.more).toBe(false);
      // In steps, each continuing after the last message of the one before: the same list.
      const stepped: string[] = [];
      let after: Message | undefined;
      for (;;) {
        const d = await readColumn(db, ColumnFilterSchema.parse({ channels }), { me: null }, { limit: 130, maxScan: 20_000, after });
        stepped.push(...keys(d));
        after = d.items.at(-1)?.message;
        if (!d.more) break;
      }
      expect(stepped).toEqual(expected);
    }
  });

  it('marks survive the host sending the same messages again', async () => {
    const ms = [msg(1, 'x_mention', 'a'), msg(2, 'x_mention', 'b'), msg(3, 'x_mention', 'c')];
    await db.messages.bulkPut(ms);
    await toggleDone(db, ['x_mention:2']);
    await markMessages(db, ['x_mention:3'], { status: 'archived', tag: 'Binnendienst', assignee: 'Gijs' });
    await db.messages.bulkPut(ms); // the re-sent batch: the ingest's upsert
    expect(keys(await read({}))).toEqual(['x_mention:1']);
    expect(keys(await read({ statuses: ['done'] }))).toEqual(['x_mention:2']);
    expect(keys(await read({ statuses: [], tags: ['binnendienst'] }))).toEqual(['x_mention:3']);
    expect(keys(await read({ statuses: [], assignee: 'mine' }, 'gijs'))).toEqual(['x_mention:3']);
    expect(keys(await read({ statuses: [], assignee: 'mine' }, null))).toEqual([]);
    await markMessages(db, ['x_mention:1'], { hidden: true });
    expect(keys(await read({ statuses: [] }))).toEqual(['x_mention:3', 'x_mention:2']);
    expect(await toggleDone(db, ['x_mention:2'])).toBe('open');
  });
});

describe('stored columns', () => {
  it('seeds once, then add, move, resize, duplicate, edit, delete persist', async () => {
    await ensureColumns(db);
    expect((await loadColumns(db)).map((c) => c.id)).toEqual(['x_mention', 'x_dm', 'fb_comment', 'fb_message']);
    const id = await addColumn(db, { title: 'Binnendienst', filter: { text: 'factuur OR offerte' } });
    await moveColumnStep(db, id, -1);
    await resizeColumnIn(db, id, 480);
    const copy = await duplicateColumnIn(db, id, 'Binnendienst 2');
    await updateColumn(db, copy, { collapsed: true });
    await deleteColumn(db, 'x_dm');
    const list = await loadColumns(db);
    expect(list.map((c) => [c.id === id ? 'new' : c.id === copy ? 'copy' : c.id, c.order, c.width, c.collapsed])).toEqual([
      ['x_mention', 0, 340, false],
      ['fb_comment', 1, 340, false],
      ['new', 2, 480, false],
      ['copy', 3, 480, true],
      ['fb_message', 4, 340, false],
    ]);
    // Everything deleted stays deleted: the defaults are not seeded a second time.
    for (const c of list) await deleteColumn(db, c.id);
    await ensureColumns(db);
    expect(await loadColumns(db)).toEqual([]);
  });
});
