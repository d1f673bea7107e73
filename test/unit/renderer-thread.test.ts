import { describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { Account, Message } from '../../shared/model';
import { countText } from '../../shared/textLength';
import { blockReason } from '../../renderer/src/composer/Composer';
import { replyTarget, threadOf } from '../../renderer/src/conversation/thread';

function msg(id: string, over: Partial<Message> = {}): Message {
  const channel = over.channel ?? 'x_mention';
  return {
    key: `${channel}:${id}`,
    platformId: id,
    channel,
    accountId: 'acc-x',
    conversationId: 'c1',
    author: { id: `u-${id}`, name: `Klant ${id}`, handle: `klant${id}` },
    text: `tekst ${id}`,
    createdAt: Number(id) * 1000,
    fromUs: false,
    ...over,
  };
}

describe('threadOf', () => {
  it('keeps one channel, oldest first, ties by key', () => {
    const all = [msg('3'), msg('1'), msg('2', { channel: 'x_dm' }), msg('2'), msg('20', { createdAt: 3000 })];
    expect(threadOf(all, 'x_mention').map((m) => m.key)).toEqual(['x_mention:1', 'x_mention:2', 'x_mention:20', 'x_mention:3']);
  });
});

describe('replyTarget: what a reply answers and from which account', () => {
  it('answers the newest message we did not send, from the account that received it', () => {
    const thread = [msg('1'), msg('2', { accountId: 'acc-other' }), msg('3', { fromUs: true, author: { id: 'us', name: 'Polderpost', handle: 'polderpost' } })];
    expect(replyTarget(thread)).toEqual({ message: thread[1], accountId: 'acc-other', inReplyToId: '2', recipientId: undefined });
  });

  it('names the recipient on direct channels', () => {
    for (const channel of ['x_dm', 'fb_message'] as const) {
      const m = msg('7', { channel });
      expect(replyTarget([m])).toMatchObject({ inReplyToId: '7', recipientId: 'u-7' });
    }
    expect(replyTarget([msg('8', { channel: 'fb_comment' })])?.recipientId).toBeUndefined();
  });

  it('has nothing to answer when every message is ours', () => {
    expect(replyTarget([msg('1', { fromUs: true })])).toBeNull();
    expect(replyTarget([])).toBeNull();
  });
});

describe('blockReason: why Send is disabled', () => {
  const account: Account = {
    id: 'acc-x', platform: 'x', platformUserId: '42', name: 'Polderpost', handle: 'polderpost', state: 'connected', sandbox: true, granted: [], missing: [],
  };
  const status: Status = {
    accounts: [account], streams: [], online: true, shell: 'browser', vault: { encrypted: false, plaintextAllowed: false }, xSignIn: 'sandbox', signIn: { pending: false },
  };
  const base = { hasTarget: true, status, account, connection: 'open' as const };

  it.each([
    ['ok', { count: countText('x_mention', 'Hoi!') }, null],
    ['empty', { count: countText('x_mention', '') }, 'empty'],
    ['whitespace only (ideographic spaces)', { count: countText('x_mention', '\u3000\u3000') }, 'empty'],
    ['281 weighted characters on X', { count: countText('x_mention', 'a'.repeat(281)) }, 'tooLong'],
    ['279 + an emoji is 281 on X', { count: countText('x_mention', 'a'.repeat(279) + '\u{1F600}') }, 'tooLong'],
    ['280 on X is fine', { count: countText('x_mention', 'a'.repeat(280)) }, null],
    ['2,001 on Messenger', { count: countText('fb_message', 'a'.repeat(2001)) }, 'tooLong'],
    ['noncharacters X refuses', { count: countText('x_mention', 'ABC\u202A\uFFFFABC\uFFFE') }, 'invalid'],
    ['no target', { hasTarget: false, count: countText('x_mention', 'Hoi') }, 'noTarget'],
    ['account not connected', { account: undefined, count: countText('x_mention', 'Hoi') }, 'noAccount'],
    ['account needs reconnect', { account: { ...account, state: 'reconnect' as const }, count: countText('x_mention', 'Hoi') }, 'reconnect'],
    ['host unreachable', { connection: 'closed' as const, count: countText('x_mention', 'Hoi') }, 'offline'],
  ])('%s', (_name, over, expected) => {
    expect(blockReason({ ...base, ...over })).toBe(expected);
  });

  it('does not claim "not connected" before the status has arrived', () => {
    expect(blockReason({ ...base, status: null, account: undefined, count: countText('x_mention', 'Hoi') })).toBeNull();
  });
});
