import { describe, expect, it } from 'vitest';
import type { Channel, Message } from '../../shared/model';
import type { CustomerRecord } from '../../renderer/src/db/db';
import { groupIdentities, linkAllChange, peopleOf, unlinkAllChange } from '../../renderer/src/customer/customers';

let n = 0;
function msg(channel: Channel, authorId: string, name: string, handle = '', fromUs = false): Message {
  n++;
  return { key: `${channel}:${n}`, platformId: String(n), channel, accountId: 'a', conversationId: `c${n}`, author: { id: authorId, name, handle }, text: `t${n}`, createdAt: 1_760_000_000_000 - n, fromUs };
}

describe('identity linking lists a person once', () => {
  it('one Facebook person with several ids (two Pages, or comments and Messenger) is one row that links every id', () => {
    const people = peopleOf(
      [
        msg('fb_comment', '111', 'Femke van Leeuwen'),
        msg('fb_message', '222', 'Femke van Leeuwen'),
        msg('fb_comment', '111', 'Femke van Leeuwen'),
        msg('fb_message', '222', 'femke  van leeuwen'),
      ],
      new Set(),
    );
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ platform: 'facebook', name: 'Femke van Leeuwen', identities: ['facebook:111', 'facebook:222'], channels: ['fb_comment', 'fb_message'] });
  });

  it('X accounts with the same name stay apart (the handle tells them apart); our own messages and excluded identities are left out', () => {
    const people = peopleOf(
      [
        msg('x_mention', '1', 'Sanne Kok', 'sanne_kok'),
        msg('x_dm', '2', 'Sanne Kok', 'sannekok2'),
        msg('x_mention', '1', 'Sanne Kok', 'sanne_kok'),
        msg('fb_comment', 'page', 'Polderpost', '', true),
        msg('fb_comment', '333', 'Sanne Kok'),
        msg('fb_message', '444', 'Bram'),
      ],
      new Set(['facebook:444']),
    );
    expect(people.map((p) => [p.platform, p.identities])).toEqual([
      ['x', ['x:1']],
      ['x', ['x:2']],
      ['facebook', ['facebook:333']],
    ]);
  });

  it('a Facebook name that is only direction controls or blank is not merged with other blank names', () => {
    const people = peopleOf([msg('fb_comment', '1', '\u202E'), msg('fb_comment', '2', '\u202E')], new Set());
    expect(people.map((p) => p.identities)).toEqual([['facebook:1'], ['facebook:2']]);
  });

  it('at most `limit` people', () => {
    const many = Array.from({ length: 20 }, (_, i) => msg('x_mention', String(i), `P${i}`, `p${i}`));
    expect(peopleOf(many, new Set(), 8)).toHaveLength(8);
  });

  it('linked identities show one row per person', () => {
    expect(
      groupIdentities([
        { identity: 'x:1', name: 'Femke', handle: 'femke' },
        { identity: 'facebook:111', name: 'Femke van Leeuwen', handle: '' },
        { identity: 'facebook:222', name: 'Femke van Leeuwen', handle: '' },
      ]).map((r) => r.identities),
    ).toEqual([['x:1'], ['facebook:111', 'facebook:222']]);
  });
});

describe('linking and unlinking several identities at once', () => {
  const c1: CustomerRecord = { id: 'c1', identities: ['x:1', 'facebook:9'] };
  const c2: CustomerRecord = { id: 'c2', identities: ['facebook:8', 'x:2'] };
  it.each<[string, CustomerRecord[], string, string[], unknown]>([
    ['strangers become one customer', [], 'x:1', ['facebook:111', 'facebook:222'], { put: [{ id: 'new', identities: ['x:1', 'facebook:111', 'facebook:222'] }], delete: [] }],
    ['into an existing customer', [c1], 'x:1', ['facebook:111', 'facebook:222'], { put: [{ id: 'c1', identities: ['x:1', 'facebook:9', 'facebook:111', 'facebook:222'] }], delete: [] }],
    ['one of them has a customer already: merged', [c1, c2], 'x:1', ['facebook:8', 'facebook:7'], { put: [{ id: 'c1', identities: ['x:1', 'facebook:9', 'facebook:8', 'x:2', 'facebook:7'] }], delete: ['c2'] }],
    ['a single one is the plain link', [], 'x:1', ['facebook:5'], { put: [{ id: 'new', identities: ['x:1', 'facebook:5'] }], delete: [] }],
  ])('%s', (_, records, a, others, expected) => {
    expect(linkAllChange(records, a, others, 'new')).toEqual(expected);
  });

  it('unlinking a person with two ids leaves the rest; down to one identity the customer is gone', () => {
    const three: CustomerRecord = { id: 'c3', identities: ['x:1', 'facebook:111', 'facebook:222'] };
    expect(unlinkAllChange([three], ['facebook:111', 'facebook:222'])).toEqual({ put: [], delete: ['c3'] });
    const four: CustomerRecord = { id: 'c4', identities: ['x:1', 'x:2', 'facebook:111', 'facebook:222'] };
    expect(unlinkAllChange([four], ['facebook:111', 'facebook:222'])).toEqual({ put: [{ id: 'c4', identities: ['x:1', 'x:2'] }], delete: [] });
  });
});
