import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ColumnFilterSchema, type ColumnFilterInput } from '../../shared/filter';
import type { Channel, Message } from '../../shared/model';
import { readColumn, readColumnStats, statsOf, type OldestProgress } from '../../renderer/src/board/columnQuery';
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

describe('readColumnStats: the header over everything a column matches', () => {
  const at = (i: number) => T0 + i * 1000;
  const stats = async (f: ColumnFilterInput, shownLimit: number, seenAt: number, progress?: OldestProgress, maxScan?: number) => {
    const filter = ColumnFilterSchema.parse(f);
    const shown = await readColumn(db, filter, { me: 'els' }, { limit: shownLimit, maxScan: 20_000 });
    return readColumnStats(db, filter, { me: 'els' }, shown, seenAt, progress, maxScan);
  };
  const everyKey = (channel: Channel, n: number) => Array.from({ length: n }, (_, i) => `${channel}:${i}`);

  it('finds the one customer left waiting behind hundreds of newer, handled messages', async () => {
    await db.messages.bulkPut(Array.from({ length: 1000 }, (_, i) => msg(i, 'x_mention', `bericht ${i}`)));
    await markMessages(db, everyKey('x_mention', 1000).filter((k) => k !== 'x_mention:37' && k !== 'x_mention:990'), { status: 'done' });
    // A column that shows handled messages too (an open-only one holds just the two).
    const filter = ColumnFilterSchema.parse({ channels: ['x_mention'], statuses: [] });
    const shown = await readColumn(db, filter, { me: null }, { limit: 500, maxScan: 20_000 });
    expect(shown.more).toBe(true);
    // The rows read alone would say the oldest waiting is #990.
    expect(statsOf(shown.items, 0).oldest).toBe(at(990));
    const { stats: s } = await readColumnStats(db, filter, { me: null }, shown, at(500), undefined);
    expect(s.oldest).toBe(at(37));
    // Unread: waiting and newer than seen (#500, the last row read) — #990 only.
    expect(s).toEqual({ unread: 1, unreadMore: false, oldest: at(37), oldestConversation: 'x_mention:37' });
  });

  it('a conversation a specialist was asked about is counted apart: the oldest is the next one waiting, and later walks carry it along', async () => {
    await db.messages.bulkPut(Array.from({ length: 1000 }, (_, i) => msg(i, 'x_mention', `bericht ${i}`)));
    await markMessages(db, everyKey('x_mention', 1000).filter((k) => !['x_mention:37', 'x_mention:60', 'x_mention:990', 'x_mention:995'].includes(k)), { status: 'done' });
    const filter = ColumnFilterSchema.parse({ channels: ['x_mention'], statuses: [] });
    const shown = await readColumn(db, filter, { me: null }, { limit: 500, maxScan: 20_000 });
    const paused = new Set(['x_mention:37', 'x_mention:995']);
    const r = await readColumnStats(db, filter, { me: null }, shown, at(500), undefined, undefined, paused);
    expect(r.stats).toMatchObject({ oldest: at(60), oldestConversation: 'x_mention:60' });
    expect(r.stats.paused).toEqual(expect.arrayContaining([{ conversation: 'x_mention:995', since: at(995) }, { conversation: 'x_mention:37', since: at(37) }]));
    expect(r.stats.paused).toHaveLength(2);
    // Found before the rows shown: #37 only (#995 is among them).
    expect(r.pausedBeyond).toEqual([{ conversation: 'x_mention:37', since: at(37) }]);
    // Up to just before #60 nothing waits but #37: the next call walks on from there and keeps it.
    expect(r.progress).toEqual({ clear: { createdAt: at(59), key: 'x_mention:59' }, paused: [{ conversation: 'x_mention:37', since: at(37) }] });
    const again = await readColumnStats(db, filter, { me: null }, shown, at(500), r.progress, undefined, paused);
    expect(again.pausedBeyond).toEqual([{ conversation: 'x_mention:37', since: at(37) }]);
    expect(again.stats).toMatchObject({ oldest: at(60) });
    // With a budget shorter than the way from #37 to #60 the walks still get there (none starts over before #37).
    let step = await readColumnStats(db, filter, { me: null }, shown, at(500), undefined, 20, paused);
    for (let calls = 1; !step.complete && calls < 5; calls++) step = await readColumnStats(db, filter, { me: null }, shown, at(500), step.progress, 20, paused);
    expect(step.complete).toBe(true);
    expect(step.stats).toMatchObject({ oldest: at(60) });
    expect(step.pausedBeyond).toEqual([{ conversation: 'x_mention:37', since: at(37) }]);
    // Without any asked about, as before.
    expect((await readColumnStats(db, filter, { me: null }, shown, at(500), undefined)).stats).toMatchObject({ oldest: at(37) });
    // The rows shown alone, the same way.
    expect(statsOf(shown.items, 0, paused)).toEqual({ unread: 2, oldest: at(990), oldestConversation: 'x_mention:990', paused: [{ conversation: 'x_mention:995', since: at(995) }] });
  });

  it('unread: exact when "seen" falls within the rows read, "N+" when every row read is newer', async () => {
    await db.messages.bulkPut(Array.from({ length: 1000 }, (_, i) => msg(i, 'fb_comment', `bericht ${i}`, { fromUs: i % 4 === 0 })));
    // Waiting: not ours, open. Rows read: #999..#800; newer than #900: 99, of which 24 are ours.
    expect((await stats({ channels: ['fb_comment'] }, 200, at(900))).stats).toEqual({ unread: 75, unreadMore: false, oldest: at(1), oldestConversation: 'fb_comment:1' });
    // Seen up to #100: all 200 rows read are newer (50 ours), and more lie beyond them.
    expect((await stats({ channels: ['fb_comment'] }, 200, at(100))).stats).toEqual({ unread: 150, unreadMore: true, oldest: at(1), oldestConversation: 'fb_comment:1' });
    // Everything seen: nothing unread.
    expect((await stats({ channels: ['fb_comment'] }, 200, at(2000))).stats).toEqual({ unread: 0, unreadMore: false, oldest: at(1), oldestConversation: 'fb_comment:1' });
  });

  it('continues the search for the oldest where it stopped, and goes past it once answered', async () => {
    await db.messages.bulkPut(Array.from({ length: 1000 }, (_, i) => msg(i, 'x_dm', `dm ${i}`)));
    await markMessages(db, everyKey('x_dm', 1000).filter((k) => k !== 'x_dm:450' && k !== 'x_dm:470'), { status: 'done' });
    let progress: OldestProgress | undefined;
    const seen: (number | null)[] = [];
    const complete: boolean[] = [];
    for (let call = 0; call < 6; call++) {
      const r = await stats({ channels: ['x_dm'], statuses: [] }, 500, at(2000), progress, 100);
      progress = r.progress;
      seen.push(r.stats.oldest);
      complete.push(r.complete);
    }
    // 100 rows a call: nothing found before the fifth (and it says it is not done), then #450, found again at once each time.
    expect(seen).toEqual([null, null, null, null, at(450), at(450)]);
    expect(complete).toEqual([false, false, false, false, true, true]);
    await toggleDone(db, ['x_dm:450']);
    expect((await stats({ channels: ['x_dm'], statuses: [] }, 500, at(2000), progress, 100)).stats.oldest).toBe(at(470));
    await toggleDone(db, ['x_dm:470']);
    expect((await stats({ channels: ['x_dm'], statuses: [] }, 500, at(2000), progress, 100)).stats.oldest).toBe(null);
  });

  it('messages of the same millisecond as the last row shown, but not shown, are looked at too', async () => {
    // 30 messages in one millisecond; the column shows 10 of them (the highest keys), the rest are older in its order.
    const same = Array.from({ length: 30 }, (_, i) => msg(100 + i, 'fb_message', `tie ${i}`, { createdAt: at(5) }));
    await db.messages.bulkPut([...same, ...Array.from({ length: 5 }, (_, i) => msg(i, 'fb_message', `ouder ${i}`))]);
    await markMessages(db, [...same.map((m) => m.key), ...everyKey('fb_message', 5)].filter((k) => k !== 'fb_message:103'), { status: 'done' });
    const r = await stats({ channels: ['fb_message'], statuses: [] }, 10, 0);
    expect(r.stats.oldest).toBe(at(5));
    expect(r.complete).toBe(true);
    // Answered: nothing waits, and the walk says so without reading past the rows shown.
    await toggleDone(db, ['fb_message:103']);
    expect((await stats({ channels: ['fb_message'], statuses: [] }, 10, 0)).stats.oldest).toBe(null);
  });

  it('a column of few rows, a keyword column over several channels, and a department tag', async () => {
    const ms = Array.from({ length: 900 }, (_, i) => msg(i, i % 2 ? 'x_mention' : 'fb_comment', i % 3 === 0 ? `factuur ${i}` : `hallo ${i}`));
    await db.messages.bulkPut(ms);
    const small = await stats({ text: 'factuur' }, 1000, 0);
    expect(small.stats).toEqual({ unread: 300, unreadMore: false, oldest: at(0), oldestConversation: 'fb_comment:0' });
    await markMessages(db, ['fb_comment:0', 'x_mention:3'], { status: 'done' });
    expect((await stats({ text: 'factuur' }, 50, at(800))).stats).toEqual({ unread: 33, unreadMore: false, oldest: at(6), oldestConversation: 'fb_comment:6' });
    await markMessages(db, Array.from({ length: 300 }, (_, i) => ms[i * 3]?.key ?? ''), { tag: 'Binnendienst' });
    await markMessages(db, ['fb_comment:6'], { status: 'archived' });
    expect((await stats({ tags: ['binnendienst'] }, 10, 0)).stats).toEqual({ unread: 297, unreadMore: false, oldest: at(9), oldestConversation: 'x_mention:9' });
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
