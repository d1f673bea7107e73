import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isSummoned, mapDmEvents, mapTweets, maxId, idValue } from '../../electron/host/connectors/x/mapping';

const fixture = async (name: string) => JSON.parse(await readFile(`test/fixtures/platform-apis/${name}`, 'utf8'));
const account = { id: 'x:42', platformUserId: '42' };
const NOW = Date.UTC(2026, 10, 22, 12);

describe('X payloads to the Message model', () => {
  it('maps the documented mentions response with its expanded author', async () => {
    const { messages, skipped } = mapTweets(await fixture('x-mentions.json'), account, NOW);
    expect(skipped).toBe(0);
    expect(messages).toEqual([
      {
        key: 'x_mention:1301573587187331074',
        platformId: '1301573587187331074',
        channel: 'x_mention',
        accountId: 'x:42',
        conversationId: '1301573587187331074',
        inReplyToId: undefined,
        author: { id: '1234567890', name: 'Dev Person', handle: 'developer', avatarUrl: undefined, followers: undefined, verified: false },
        text: 'Hey @XDevelopers, love the new API!',
        createdAt: Date.parse('2024-01-15T10:30:00.000Z'),
        lang: undefined,
        url: 'https://x.com/developer/status/1301573587187331074',
        fromUs: false,
        summoned: false,
      },
    ]);
    // The same post seen by @XDevelopers mentions it: a reply is allowed under the 2026 rule.
    const asDevs = mapTweets(await fixture('x-mentions.json'), { ...account, username: 'xdevelopers' }, NOW);
    expect(asDevs.messages[0]?.summoned).toBe(true);
  });

  it('maps a recent-search page (official fixture) as x_search with its searchId', async () => {
    const { messages } = mapTweets(await fixture('x-search.json'), account, NOW, { channel: 'x_search', searchId: 's1' });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ key: 'x_search:1234567890123456789', channel: 'x_search', searchId: 's1', summoned: false, author: { handle: 'pythondev' } });
  });

  it('the 2026 reply rule: a mention by id or handle, a quote of our post, or our own post qualifies', () => {
    const me = { id: 'x:42', platformUserId: '42', username: 'Polderpost' };
    const none = () => undefined;
    expect(isSummoned({ id: '1', author_id: '7', text: 'pakket kwijt', entities: {} }, me, none)).toBe(false);
    expect(isSummoned({ id: '1', author_id: '7', text: 'hoi', entities: { mentions: [{ username: 'polderpost' }] } }, me, none)).toBe(true);
    expect(isSummoned({ id: '1', author_id: '7', text: 'hoi', entities: { mentions: [{ username: 'other', id: '42' }] } }, me, none)).toBe(true);
    expect(isSummoned({ id: '1', author_id: '7', text: 'zie dit', referenced_tweets: [{ type: 'quoted', id: '9' }] }, me, (id) => (id === '9' ? '42' : undefined))).toBe(true);
    expect(isSummoned({ id: '1', author_id: '7', text: 'zie dit', referenced_tweets: [{ type: 'replied_to', id: '9' }] }, me, () => '42')).toBe(false);
    expect(isSummoned({ id: '1', author_id: '42', text: 'ons eigen bericht' }, me, none)).toBe(true);
    // Without entities the text decides; an e-mail address or a longer handle is no mention.
    expect(isSummoned({ id: '1', author_id: '7', text: 'hey @polderpost!' }, me, none)).toBe(true);
    expect(isSummoned({ id: '1', author_id: '7', text: 'mail info@polderpost of @polderpost_fan' }, me, none)).toBe(false);
  });

  it('threads by conversation_id and reply references', async () => {
    const page = await fixture('x-search-conversation.json');
    const { messages } = mapTweets(page, account, NOW);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      const raw = page.data.find((t: { id: string }) => t.id === m.platformId);
      expect(m.conversationId).toBe(raw.conversation_id);
      expect(m.inReplyToId).toBe(raw.referenced_tweets?.find((r: { type: string }) => r.type === 'replied_to')?.id);
    }
  });

  it('keeps ids above 2^53 exact and sets poison items aside', () => {
    const big = '1234567890123456789';
    const { messages, skipped } = mapTweets(
      { data: [{ id: big, text: 'hi @polderpost', author_id: '7' }, { id: 12 as unknown as string, text: 'x' }, null as never, { id: '5' }] },
      account,
      NOW,
    );
    expect(messages.map((m) => m.platformId)).toEqual([big]);
    expect(messages[0]?.createdAt).toBe(NOW);
    expect(skipped).toBe(3);
  });

  it('decodes X\'s HTML entities exactly once', () => {
    const { messages } = mapTweets({ data: [{ id: '1', text: 'a &lt;b&gt; &amp;amp; c', author_id: '7' }] }, account, NOW);
    expect(messages[0]?.text).toBe('a <b> &amp; c');
  });

  it('treats a page without data (no results) as empty', () => {
    expect(mapTweets({ meta: { result_count: 0 } }, account, NOW)).toEqual({ messages: [], skipped: 0 });
  });

  it('maps DM events, ours marked, other event types ignored', async () => {
    const page = await fixture('x-dm-events-with-users.json');
    const { messages } = mapDmEvents(page, account, NOW);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ key: 'x_dm:1234567890', channel: 'x_dm', text: 'Hello!', author: { id: '9876543210', handle: 'example_user' }, fromUs: false });
    const own = mapDmEvents({ data: [{ id: '9', event_type: 'MessageCreate', text: 'we', sender_id: '42', dm_conversation_id: '42-7' }, { id: '10', event_type: 'ParticipantsJoin' }] }, account, NOW);
    expect(own.messages.map((m) => [m.platformId, m.fromUs, m.conversationId])).toEqual([['9', true, '42-7']]);
  });

  it('compares ids as BigInt, not as strings', () => {
    expect('999999999999999999' > '1000000000000000000').toBe(true); // the trap
    expect(maxId('999999999999999999', '1000000000000000000')).toBe('1000000000000000000');
    expect(maxId(undefined, '5')).toBe('5');
    expect(maxId('5', 'abc')).toBe('5');
    expect(idValue('12a')).toBeNull();
  });
});
