import { describe, expect, it } from 'vitest';
import { searchQueryFor, X_QUERY_MAX } from '../../electron/host/connectors/x/api';
import { XPostMemory } from '../../electron/host/connectors/x/index';
import { inMentionsOrOwn, mapTweets, type XPage, type XTweet } from '../../electron/host/connectors/x/mapping';
import { mergeFound, unionFound, type Message } from '../../shared/model';

/**
 * One X post, one message on the host side: a search hit that X also lists as a
 * mention (or our own post) gets the mention's key, every stream that read it is
 * remembered, and the search query leaves out what the other streams read anyway.
 */
const account = { id: 'x:42', platformUserId: '42', username: 'polderpost' };
const NOW = Date.UTC(2026, 10, 22, 12);

const tweet = (id: string, over: Partial<XTweet> = {}): XTweet => ({ id, text: 'pakket kwijt', author_id: '7', conversation_id: id, created_at: '2026-11-22T11:00:00.000Z', ...over });
const page = (...data: XTweet[]): XPage<XTweet> => ({ data, includes: { users: [{ id: '7', name: 'Els', username: 'elsdv' }], tweets: [{ id: '900', author_id: '42', text: 'onze post' }] } });

describe('a search hit that is also a mention or our own post', () => {
  it.each<[string, XTweet, 'x_mention' | 'x_search', boolean]>([
    ['mentions us (entity)', tweet('101', { text: '@polderpost pakket kwijt', entities: { mentions: [{ username: 'PolderPost', id: '42' }] } }), 'x_mention', true],
    ['mentions us (text only, no entities sent)', tweet('102', { text: 'hé @polderpost, pakket kwijt' }), 'x_mention', true],
    ['our own post', tweet('103', { author_id: '42' }), 'x_mention', true],
    ['quotes our post without mentioning us', tweet('104', { referenced_tweets: [{ type: 'quoted', id: '900' }], entities: {} }), 'x_search', true],
    ['names the brand only', tweet('105', { text: 'Polderpost pakket kwijt', entities: {} }), 'x_search', false],
    ['mentions someone else whose handle starts like ours', tweet('106', { text: '@polderpostfan pakket', entities: { mentions: [{ username: 'polderpostfan', id: '8' }] } }), 'x_search', false],
  ])('%s', (_name, t, channel, summoned) => {
    const { messages } = mapTweets(page(t), account, NOW, { channel: 'x_search', searchId: 's1', foundBy: 'search:s1' });
    expect(messages[0]).toMatchObject({ key: `${channel}:${t.id}`, channel, searchId: 's1', foundBy: ['search:s1'], summoned });
    expect(inMentionsOrOwn(t, account)).toBe(channel === 'x_mention');
  });

  it('mentions and own posts say which stream read them', () => {
    const { messages } = mapTweets(page(tweet('201', { text: '@polderpost hoi' })), account, NOW, { foundBy: 'mentions' });
    expect(messages[0]).toMatchObject({ key: 'x_mention:201', foundBy: ['mentions'] });
    expect(messages[0]?.searchId).toBeUndefined();
  });
});

describe('the saved search leaves out what the mentions and own-posts streams read', () => {
  it.each<[string, string, string]>([
    ['a plain query', '"pakket kwijt" lang:nl', '("pakket kwijt" lang:nl) -@polderpost -from:polderpost'],
    ['OR keeps its meaning inside the group', 'pakket OR zending', '(pakket OR zending) -@polderpost -from:polderpost'],
    ['a query that asks for mentions of us stays as typed', '@polderpost kapot', '@polderpost kapot'],
    ['… or for our posts', 'from:PolderPost actie', 'from:PolderPost actie'],
    ['… or for replies to us', 'to:polderpost', 'to:polderpost'],
    ['… or leaves them out itself', 'pakket -@polderpost -from:polderpost', 'pakket -@polderpost -from:polderpost'],
    ['only what it does not leave out itself is added', '"pakket kwijt" -is:retweet -from:polderpost', '("pakket kwijt" -is:retweet -from:polderpost) -@polderpost'],
    ['another account with a longer handle is not ours', 'pakket @polderpostfan', '(pakket @polderpostfan) -@polderpost -from:polderpost'],
  ])('%s', (_name, query, sent) => {
    expect(searchQueryFor(query, 'polderpost')).toBe(sent);
  });

  it('a query too long for the exclusions is sent as typed, never cut', () => {
    const long = `pakket ${'x'.repeat(X_QUERY_MAX - 20)}`;
    expect(long.length).toBeLessThanOrEqual(X_QUERY_MAX);
    expect(searchQueryFor(long, 'polderpost')).toBe(long);
    expect(searchQueryFor('pakket', undefined)).toBe('pakket');
  });
});

const msg = (over: Partial<Message>): Message => ({
  key: 'x_mention:1',
  platformId: '1',
  channel: 'x_mention',
  accountId: 'x:42',
  conversationId: '1',
  author: { id: '7', name: 'Els', handle: 'elsdv' },
  text: 'hoi',
  createdAt: 1,
  fromUs: false,
  ...over,
});

describe('every stream that found it', () => {
  it('unions streams in first-seen order and keeps the first saved search', () => {
    expect(unionFound(['mentions'], ['search:a', 'mentions'])).toEqual(['mentions', 'search:a']);
    expect(unionFound(undefined, undefined)).toBeUndefined();
    const stored = msg({ foundBy: ['search:a'], searchId: 'a', by: 'Anna', byLogin: 'anna' });
    const incoming = msg({ foundBy: ['mentions'], text: 'hoi (bewerkt)' });
    expect(mergeFound(incoming, stored)).toMatchObject({ text: 'hoi (bewerkt)', foundBy: ['search:a', 'mentions'], searchId: 'a', by: 'Anna', byLogin: 'anna' });
    expect(mergeFound(incoming, undefined)).toBe(incoming);
  });

  it('the host remembers what read a post, so the copy the other stream brings later still says so', () => {
    const memory = new XPostMemory();
    expect(memory.learn([msg({ foundBy: ['search:a'], searchId: 'a' })])).toBeNull();
    const later = memory.learn([msg({ foundBy: ['mentions'] })]);
    expect(later?.[0]).toMatchObject({ key: 'x_mention:1', foundBy: ['search:a', 'mentions'], searchId: 'a' });
    // Read again by the same stream: nothing to change.
    expect(memory.learn([msg({ foundBy: ['mentions', 'search:a'], searchId: 'a' })])).toBeNull();
  });

  it("our reply to a search hit stays in the search's thread; to a mention found by a search, in the mention's", () => {
    const memory = new XPostMemory();
    memory.learn([msg({ key: 'x_search:10', platformId: '10', channel: 'x_search', searchId: 'a', foundBy: ['search:a'], summoned: true })]);
    memory.learn([msg({ key: 'x_mention:20', platformId: '20', searchId: 'a', foundBy: ['search:a'], summoned: true })]);
    const ours = memory.learn([
      msg({ key: 'x_mention:11', platformId: '11', inReplyToId: '10', fromUs: true, foundBy: ['own'] }),
      msg({ key: 'x_mention:21', platformId: '21', inReplyToId: '20', fromUs: true, foundBy: ['own'] }),
    ]);
    expect(ours?.[0]).toMatchObject({ key: 'x_search:11', channel: 'x_search', searchId: 'a' });
    expect(ours?.[1]).toMatchObject({ key: 'x_mention:21', channel: 'x_mention' });
    // Read back again (a resent batch), the reply stays where it went the first time.
    expect(memory.learn([msg({ key: 'x_mention:11', platformId: '11', inReplyToId: '10', fromUs: true, foundBy: ['own'] })])?.[0]).toMatchObject({ key: 'x_search:11' });
  });
});
