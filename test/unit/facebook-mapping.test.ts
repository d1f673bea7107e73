import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fbTime, mapComments, mapConversations } from '../../electron/host/connectors/facebook/api';

const fixture = async (name: string) => JSON.parse(await readFile(`test/fixtures/platform-apis/${name}`, 'utf8'));
const page = { id: 'fb:111111111111111', platformUserId: '111111111111111', name: 'Example Brand' };

describe('Graph payloads to the Message model', () => {
  it('maps feed comments, threaded by their top-level comment', async () => {
    const { messages, skipped } = mapComments((await fixture('fb-feed-with-comments.json')).data, page, 0);
    expect(skipped).toBe(0);
    expect(messages).toEqual([
      {
        key: 'fb_comment:111111111111111_222222222222222_333333333333333',
        platformId: '111111111111111_222222222222222_333333333333333',
        channel: 'fb_comment',
        accountId: 'fb:111111111111111',
        conversationId: '111111111111111_222222222222222_333333333333333',
        inReplyToId: undefined,
        author: { id: '4444444444444444', name: 'Example Customer', handle: '' },
        text: 'My order has not arrived yet, can you help?',
        createdAt: Date.parse('2026-01-15T10:30:00Z'),
        url: 'https://www.facebook.com/111111111111111_222222222222222_333333333333333',
        fromUs: false,
      },
    ]);
  });

  it('puts a reply in its parent thread and marks the Page own replies', () => {
    const { messages } = mapComments(
      [{ id: 'p', comments: { data: [{ id: 'p_2', message: 'Bedankt!', created_time: '2026-11-22T10:00:00+0000', from: { id: '111111111111111', name: 'Example Brand' }, parent: { id: 'p_1' } }] } }],
      page,
      0,
    );
    expect(messages[0]).toMatchObject({ conversationId: 'p_1', inReplyToId: 'p_1', fromUs: true });
  });

  it('maps Messenger conversations', async () => {
    const convs = await fixture('fb-conversation-messages.json');
    const { messages } = mapConversations([convs], page, 0);
    expect(messages.map((m) => [m.key, m.conversationId, m.author.id, m.fromUs])).toEqual([
      ['fb_message:m_AAAAAAAAAAAAAAAAAAAAAA', 't_10000000000000000', '4444444444444444', false],
      ['fb_message:m_BBBBBBBBBBBBBBBBBBBBBB', 't_10000000000000000', '111111111111111', true],
    ]);
  });

  it('reads Graph times with +0000 offsets', () => {
    expect(fbTime('2026-01-15T10:30:00+0000')).toBe(Date.UTC(2026, 0, 15, 10, 30));
    expect(fbTime('garbage')).toBeNull();
    expect(fbTime(undefined)).toBeNull();
  });
});
