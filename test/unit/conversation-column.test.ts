import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ColumnFilterSchema, type ColumnFilterInput } from '../../shared/filter';
import type { Message } from '../../shared/model';
import { readColumn, readColumnStats, statsOf } from '../../renderer/src/board/columnQuery';
import { markMessages, toggleDone } from '../../renderer/src/board/marks';
import { WebcareDb } from '../../renderer/src/db/db';
import { msg, T0 } from '../support/conversationMessages';

const at = (s: number) => T0 + s * 1000;
let db: WebcareDb;
let n = 0;


const parse = (f: ColumnFilterInput) => ColumnFilterSchema.parse(f);
const read = (f: ColumnFilterInput, limit = 500) => readColumn(db, parse(f), { me: null }, { limit, maxScan: 20_000 });
const cards = async (f: ColumnFilterInput, limit = 500) =>
  (await read(f, limit)).items.map((i) => [i.message.platformId, i.state, i.conversation?.unanswered ?? null] as const);

beforeEach(() => {
  db = new WebcareDb(`conversation-column-${n++}`);
});
afterEach(async () => {
  await db.delete();
});

describe('a public column: replying answers, a follow-up waits again', () => {
  it('the card leaves waiting, the oldest waiting moves on, and a follow-up waits', async () => {
    await db.messages.bulkPut([msg('1', 'x_mention', '1', 'ann', 10), msg('2', 'x_mention', '2', 'bob', 20)]);
    const col = { channels: ['x_mention' as const] };
    expect(await cards(col)).toEqual([
      ['2', 'waiting', null],
      ['1', 'waiting', null],
    ]);
    expect(statsOf((await read(col)).items, 0)).toEqual({ unread: 2, oldest: at(10), oldestConversation: 'x_mention:1' });

    // Our reply to Ann, stored as a search-thread message (another channel of the same X conversation).
    await db.messages.put(msg('3', 'x_search', '1', 'us', 30, { inReplyToId: '1' }));
    expect(await cards(col)).toEqual([
      ['2', 'waiting', null],
      ['1', 'answered', null],
    ]);
    expect(statsOf((await read(col)).items, 0)).toEqual({ unread: 1, oldest: at(20), oldestConversation: 'x_mention:2' });

    // Ann writes again in her thread: that message waits, the answered one stays answered.
    await db.messages.put(msg('4', 'x_mention', '1', 'ann', 40, { inReplyToId: '3' }));
    expect((await cards(col))[0]).toEqual(['4', 'waiting', null]);
    expect(statsOf((await read(col)).items, 0).oldest).toBe(at(20));
  });

  it('the oldest waiting skips hundreds of answered messages before the rows shown', async () => {
    const ms: Message[] = [];
    for (let i = 0; i < 600; i++) {
      ms.push(msg(`c${i}`, 'fb_comment', `t${i}`, `p${i}`, i * 10));
      // Every thread before #500 answered, except #37.
      if (i < 500 && i !== 37) ms.push(msg(`r${i}`, 'fb_comment', `t${i}`, 'us', i * 10 + 5, { inReplyToId: `c${i}` }));
    }
    await db.messages.bulkPut(ms);
    const filter = parse({ channels: ['fb_comment'] });
    const shown = await readColumn(db, filter, { me: null }, { limit: 50, maxScan: 20_000 });
    expect(shown.more).toBe(true);
    const r = await readColumnStats(db, filter, { me: null }, shown, 0, undefined);
    expect(r.stats.oldest).toBe(at(370));
    expect(r.stats.oldestConversation).toBe('fb_comment:t37');
    // Answered now: the next waiting one is the first unanswered thread, #500.
    await db.messages.put(msg('r37', 'fb_comment', 't37', 'us', 371, { inReplyToId: 'c37' }));
    const again = await readColumnStats(db, filter, { me: null }, await readColumn(db, filter, { me: null }, { limit: 50, maxScan: 20_000 }), 0, undefined);
    expect(again.stats.oldest).toBe(at(5000));
  });
});

describe('a private conversation is one card', () => {
  const col = { channels: ['fb_message' as const] };
  const four = ['1', '2', '3', '4'].map((id, i) => msg(id, 'fb_message', 'ann-conv', 'ann', 10 + i));

  it('four short messages: one card with 4; our reply answers it; the next message waits with 1', async () => {
    await db.messages.bulkPut([...four, msg('9', 'fb_message', 'bob-conv', 'bob', 5)]);
    expect(await cards(col)).toEqual([
      ['4', 'waiting', 4],
      ['9', 'waiting', 1],
    ]);
    const items = (await read(col)).items;
    // The clock runs from Ann's first unanswered message; unread counts cards.
    expect(statsOf(items, 0)).toEqual({ unread: 2, oldest: at(5), oldestConversation: 'fb_message:bob-conv' });
    expect(statsOf(items, at(6))).toMatchObject({ unread: 1 });

    await db.messages.put(msg('5', 'fb_message', 'ann-conv', 'us', 20));
    expect(await cards(col)).toEqual([
      ['5', 'answered', 0],
      ['9', 'waiting', 1],
    ]);
    await db.messages.put(msg('6', 'fb_message', 'ann-conv', 'ann', 30));
    expect(await cards(col)).toEqual([
      ['6', 'waiting', 1],
      ['9', 'waiting', 1],
    ]);
  });

  it('a filter that matches an older message of a conversation still finds it, as the conversation', async () => {
    await db.messages.bulkPut([...four.map((m) => (m.platformId === '2' ? { ...m, text: 'mijn factuur klopt niet' } : m))]);
    expect(await cards({ ...col, text: 'factuur' })).toEqual([['2', 'waiting', 4]]);
  });

  it('reading further down never shows a conversation twice', async () => {
    // Ten conversations of three messages each, interleaved in time.
    const ms: Message[] = [];
    for (let k = 0; k < 3; k++) for (let c = 0; c < 10; c++) ms.push(msg(`${c}-${k}`, 'x_dm', `dm${c}`, `p${c}`, k * 100 + c));
    await db.messages.bulkPut(ms);
    const first = await read({ channels: ['x_dm'] }, 4);
    expect(first.items.map((i) => i.message.conversationId)).toEqual(['dm9', 'dm8', 'dm7', 'dm6']);
    const last = first.items[first.items.length - 1]?.message;
    const rest = await readColumn(db, parse({ channels: ['x_dm'] }), { me: null }, {
      limit: 100,
      maxScan: 20_000,
      after: last,
      shownConversations: new Set(first.items.map((i) => `x_dm:${i.message.conversationId}`)),
    });
    expect(rest.items.map((i) => i.message.conversationId)).toEqual(['dm5', 'dm4', 'dm3', 'dm2', 'dm1', 'dm0']);
    expect(rest.items.every((i) => i.conversation?.unanswered === 3)).toBe(true);
  });

  it('done on the card is done for the conversation up to it; a later message stays open and brings the card back', async () => {
    await db.messages.bulkPut([...four, msg('5', 'fb_message', 'ann-conv', 'us', 20)]);
    await toggleDone(db, ['fb_message:5']);
    expect(await cards(col)).toEqual([]);
    expect((await db.marks.toArray()).map((m) => [m.key, m.status]).sort()).toEqual(
      ['1', '2', '3', '4', '5'].map((id) => [`fb_message:${id}`, 'done']),
    );
    await db.messages.put(msg('6', 'fb_message', 'ann-conv', 'ann', 30));
    expect(await cards(col)).toEqual([['6', 'waiting', 1]]);
    // Done on the card of #6 while #7 (not yet seen) came in: #7 stays open.
    await db.messages.put(msg('7', 'fb_message', 'ann-conv', 'ann', 40));
    await markMessages(db, ['fb_message:6'], { status: 'done' });
    expect(await cards(col)).toEqual([['7', 'waiting', 1]]);
    // Toggling again reopens what it covers.
    await toggleDone(db, ['fb_message:7']);
    expect(await cards(col)).toEqual([]);
    await toggleDone(db, ['fb_message:7']);
    expect(await cards(col)).toEqual([['7', 'waiting', 2]]);
  });

  it('public messages are still marked one by one', async () => {
    await db.messages.bulkPut([msg('1', 'x_mention', '1', 'ann', 1), msg('2', 'x_mention', '1', 'ann', 2)]);
    await toggleDone(db, ['x_mention:2']);
    expect(await cards({ channels: ['x_mention'] })).toEqual([['1', 'waiting', null]]);
  });
});
