import { describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { Channel, Message } from '../../shared/model';
import { blockReason, compose, replyRestricted, sendChannel } from '../../renderer/src/composer/compose';
import { replyTarget } from '../../renderer/src/conversation/thread';

/**
 * X's 2026 reply rule in the composer: a public reply to a post that neither
 * mentions nor quotes the account is refused before it is queued (Send disabled
 * with the reason); a private message to the same person, and every post that
 * mentions or quotes us, can still be sent.
 */
const post = (channel: Channel, summoned: boolean | undefined, over: Partial<Message> = {}): Message => ({
  key: `${channel}:1`,
  platformId: '1',
  channel,
  accountId: 'x:42',
  conversationId: '1',
  author: { id: '7', name: 'Els', handle: 'elsdv' },
  text: 'Polderpost gooit alles over de brievenbus',
  createdAt: 1,
  fromUs: false,
  ...(summoned === undefined ? {} : { summoned }),
  ...over,
});

const account: Status['accounts'][number] = { id: 'x:42', platform: 'x', platformUserId: '42', name: 'Polderpost', handle: 'polderpost', state: 'connected', sandbox: true, granted: [], missing: [] };
const status: Status = { accounts: [account], streams: [], online: true, shell: 'browser', vault: { encrypted: false, plaintextAllowed: false }, xSignIn: 'sandbox', signIn: { pending: false } };

describe('replyRestricted', () => {
  it.each<[string, Message[], 'public' | 'private', boolean, boolean]>([
    ['a search hit that does not mention or quote us', [post('x_search', false)], 'public', false, true],
    ['… answered privately (a DM) is fine', [post('x_search', false)], 'private', false, false],
    ['a search hit that mentions or quotes us', [post('x_search', true)], 'public', false, false],
    ['a mention', [post('x_mention', true)], 'public', false, false],
    ['a post whose rule is not known yet', [post('x_search', undefined)], 'public', false, false],
    ['… that the host refused a reply to before', [post('x_search', undefined)], 'public', true, true],
    ['a thread whose newest customer post does not qualify, after our reply', [post('x_search', true), post('x_search', true, { key: 'x_search:2', platformId: '2', fromUs: true }), post('x_search', false, { key: 'x_search:3', platformId: '3', author: { id: '8', name: 'Piet', handle: 'piet' } })], 'public', false, true],
    ['a Facebook comment is not X', [post('fb_comment', false)], 'public', false, false],
  ])('%s', (_name, thread, mode, refusedBefore, expected) => {
    const channel = thread[0]!.channel;
    expect(replyRestricted(channel, mode, replyTarget(thread), refusedBefore)).toBe(expected);
    const composed = compose('Wat vervelend!', sendChannel(channel, mode), '', false);
    const reason = blockReason({ hasTarget: true, status, account, composed, window: { kind: 'none' }, humanAgent: false, needsRecipient: false, restricted: replyRestricted(channel, mode, replyTarget(thread), refusedBefore) });
    expect(reason).toBe(expected ? 'replyRestricted' : null);
  });

  it('comes before what the agent can fix by typing: an empty reply to such a post already says why', () => {
    const composed = compose('', 'x_search', '', false);
    expect(blockReason({ hasTarget: true, status, account, composed, window: { kind: 'none' }, humanAgent: false, needsRecipient: false, restricted: true })).toBe('replyRestricted');
  });
});
