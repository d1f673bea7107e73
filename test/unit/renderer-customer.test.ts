import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, Message } from '../../shared/model';
import { openDb, type CustomerRecord, type WebcareDb } from '../../renderer/src/db/db';
import { applyCustomerChange, earlierConversations, linkChange, unlinkChange } from '../../renderer/src/customer/customers';
import { indexMessages } from '../../renderer/src/search/searchIndex';

const T0 = 1_760_000_000_000;

describe('linking identities', () => {
  const c1: CustomerRecord = { id: 'c1', identities: ['x:1', 'facebook:9'] };
  const c2: CustomerRecord = { id: 'c2', identities: ['x:2', 'facebook:8'] };
  it.each<[string, CustomerRecord[], string, string, unknown]>([
    ['two strangers become a customer', [], 'x:1', 'facebook:9', { put: [{ id: 'new', identities: ['x:1', 'facebook:9'] }], delete: [] }],
    ['one joins an existing customer', [c1], 'x:5', 'x:1', { put: [{ id: 'c1', identities: ['x:5', 'x:1', 'facebook:9'] }], delete: [] }],
    ['two customers merge into the first', [c1, c2], 'x:1', 'x:2', { put: [{ id: 'c1', identities: ['x:1', 'facebook:9', 'x:2', 'facebook:8'] }], delete: ['c2'] }],
    ['already one customer: nothing', [c1], 'x:1', 'facebook:9', { put: [], delete: [] }],
    ['oneself: nothing', [], 'x:1', 'x:1', { put: [], delete: [] }],
  ])('%s', (_, records, a, b, expected) => {
    expect(linkChange(records, a, b, 'new')).toEqual(expected);
  });

  it('unlinking leaves a customer of two or more, and no customer of one', () => {
    const three: CustomerRecord = { id: 'c3', identities: ['x:1', 'x:2', 'facebook:3'] };
    expect(unlinkChange([three], 'x:2')).toEqual({ put: [{ id: 'c3', identities: ['x:1', 'facebook:3'] }], delete: [] });
    expect(unlinkChange([c1], 'x:1')).toEqual({ put: [], delete: ['c1'] });
    expect(unlinkChange([c1], 'x:7')).toEqual({ put: [], delete: [] });
  });
});

describe('customers in the store', () => {
  let db: WebcareDb;
  afterEach(async () => {
    await db.delete();
  });

  function message(id: string, channel: Channel, authorId: string, conversationId: string, at: number): Message {
    return { key: `${channel}:${id}`, platformId: id, channel, accountId: 'a', conversationId, author: { id: authorId, name: `P${authorId}`, handle: '' }, text: `bericht ${id}`, createdAt: at, fromUs: false };
  }

  it('a change and its undo put the records back exactly', async () => {
    db = openDb('customer-test-1');
    await db.customers.bulkPut([{ id: 'c1', identities: ['x:1', 'facebook:9'] }, { id: 'c2', identities: ['x:2', 'facebook:8'] }]);
    const before = await db.customers.toArray();
    const undo = await applyCustomerChange(db, linkChange(before, 'x:1', 'x:2', 'new'));
    expect(await db.customers.toArray()).toEqual([{ id: 'c1', identities: ['x:1', 'facebook:9', 'x:2', 'facebook:8'] }]);
    await applyCustomerChange(db, undo);
    expect(await db.customers.toArray()).toEqual(before);
    const undoNew = await applyCustomerChange(db, linkChange([], 'x:5', 'facebook:6', 'c5'));
    await applyCustomerChange(db, undoNew);
    expect(await db.customers.toArray()).toEqual(before);
  });

  it('earlier conversations across linked identities, newest first, without the open thread', async () => {
    db = openDb('customer-test-2');
    const all = [
      message('1', 'x_mention', '1', 'conv-a', T0),
      message('2', 'x_mention', '1', 'conv-a', T0 + 10),
      message('3', 'fb_message', '9', 'conv-b', T0 + 20),
      message('4', 'x_dm', '1', 'conv-c', T0 + 30),
      message('5', 'x_mention', '2', 'conv-d', T0 + 40),
    ];
    await db.transaction('rw', db.messages, db.searchIndex, () => Promise.all([db.messages.bulkPut(all), indexMessages(db, all)]));
    const { conversations, truncated } = await earlierConversations(db, ['x:1', 'facebook:9'], 'x_dm:conv-c');
    expect({ truncated, list: conversations.map((c) => [c.id, c.latest.platformId, c.count]) }).toEqual({
      truncated: false,
      list: [
        ['fb_message:conv-b', '3', 1],
        ['x_mention:conv-a', '2', 2],
      ],
    });
  });
});
