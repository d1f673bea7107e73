import { describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { Account, Channel, Message } from '../../shared/model';
import { answerWindow, blockReason, compose, firstName, modesOf, sendChannel, type AnswerWindow } from '../../renderer/src/composer/compose';
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
  const none: AnswerWindow = { kind: 'none' };
  const base = { hasTarget: true, status, account, window: none, humanAgent: false, needsRecipient: false };
  const c = (channel: Channel, text: string, split = false) => ({ composed: compose(text, channel, '', split) });

  it.each([
    ['ok', c('x_mention', 'Hoi!'), null],
    ['empty', c('x_mention', ''), 'empty'],
    ['whitespace only (ideographic spaces)', c('x_mention', '\u3000\u3000'), 'empty'],
    ['281 weighted characters on X', c('x_mention', 'a'.repeat(281)), 'tooLong'],
    ['279 + an emoji is 281 on X', c('x_mention', 'a'.repeat(279) + '\u{1F600}'), 'tooLong'],
    ['281 on X split into a thread is fine', c('x_mention', 'a '.repeat(141), true), null],
    ['280 on X is fine', c('x_mention', 'a'.repeat(280)), null],
    ['2,001 on Messenger', c('fb_message', 'a'.repeat(2001)), 'tooLong'],
    ['split is only for X', c('fb_message', 'a '.repeat(1001), true), 'tooLong'],
    ['noncharacters X refuses', c('x_mention', 'ABC\u202A\uFFFFABC\uFFFE'), 'invalid'],
    ['no target', { hasTarget: false, ...c('x_mention', 'Hoi') }, 'noTarget'],
    ['account not connected', { account: undefined, ...c('x_mention', 'Hoi') }, 'noAccount'],
    ['account needs reconnect', { account: { ...account, state: 'reconnect' as const }, ...c('x_mention', 'Hoi') }, 'reconnect'],
    ['Messenger window closed', { window: { kind: 'messenger', state: 'closed' } as AnswerWindow, ...c('fb_message', 'Hoi') }, 'windowClosed'],
    ['Messenger after 24 h without the tag', { window: { kind: 'messenger', state: 'humanAgent', closesAt: 1 } as AnswerWindow, ...c('fb_message', 'Hoi') }, 'humanAgentNeeded'],
    ['Messenger after 24 h with the tag', { humanAgent: true, window: { kind: 'messenger', state: 'humanAgent', closesAt: 1 } as AnswerWindow, ...c('fb_message', 'Hoi') }, null],
    ['images without text on X', { media: { count: 1, max: 4, textRequired: false }, ...c('x_mention', '') }, null],
    ['images without text on Messenger', { media: { count: 1, max: 1, textRequired: true }, ...c('fb_message', '') }, 'empty'],
    ['five images on X', { media: { count: 5, max: 4, textRequired: false }, ...c('x_mention', 'Hoi') }, 'tooManyMedia'],
    ['private reply window closed', { window: { kind: 'privateReply', open: false } as AnswerWindow, ...c('fb_comment', 'Hoi') }, 'privateReplyClosed'],
  ])('%s', (_name, over, expected) => {
    expect(blockReason({ ...base, ...over } as Parameters<typeof blockReason>[0])).toBe(expected);
  });

  it('does not claim "not connected" before the status has arrived', () => {
    expect(blockReason({ ...base, status: null, account: undefined, ...c('x_mention', 'Hoi') })).toBeNull();
  });

  it('the signature is counted inside the limit', () => {
    const composed = compose('a'.repeat(275), 'x_mention', '^GvA', false);
    expect(composed.full).toBe(`${'a'.repeat(275)} ^GvA`);
    expect(composed.count.length).toBe(280);
    expect(compose('a'.repeat(276), 'x_mention', '^GvA', false).count.length).toBe(281);
  });
});

describe('composer helpers', () => {
  it('takes the first name for {{customer.name}}, without direction controls or emoji', () => {
    expect(firstName('Els de Vries')).toBe('Els');
    expect(firstName('🚀 \u202EJan')).toBe('Jan');
    expect(firstName('📦📦')).toBe('');
  });

  it('answers an X mention privately by DM and a comment by private reply', () => {
    expect(modesOf('x_mention')).toEqual(['public', 'private']);
    expect(modesOf('fb_message')).toEqual(['private']);
    expect(sendChannel('x_mention', 'private')).toBe('x_dm');
    expect(sendChannel('fb_comment', 'private')).toBe('fb_comment');
  });

  it('shows the Messenger and private-reply windows', () => {
    const now = 10 * 86_400_000;
    const m = msg('1', { channel: 'fb_message', createdAt: now - 2 * 3600_000 });
    expect(answerWindow('fb_message', 'private', [m], replyTarget([m]), now)).toEqual({ kind: 'messenger', state: 'open', closesAt: m.createdAt + 86_400_000 });
    const old = msg('2', { channel: 'fb_comment', createdAt: now - 8 * 86_400_000 });
    expect(answerWindow('fb_comment', 'private', [old], replyTarget([old]), now)).toEqual({ kind: 'privateReply', open: false });
    expect(answerWindow('fb_comment', 'public', [old], replyTarget([old]), now)).toEqual({ kind: 'none' });
  });
});
