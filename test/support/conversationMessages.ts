import type { Channel, Message } from '../../shared/model';

/** The time the conversation tests count from: a message `s` seconds in is at T0 + s seconds. */
export const T0 = 1_770_000_000_000;

/**
 * A message of a conversation: `who` is a person's id, or 'us' for the brand's own reply;
 * `s` seconds after T0.
 */
export function msg(id: string, channel: Channel, conversationId: string, who: string, s: number, extra: Partial<Message> = {}): Message {
  const ours = who === 'us';
  return {
    key: `${channel}:${id}`,
    platformId: id,
    channel,
    accountId: channel.startsWith('x') ? 'acc-x' : 'acc-fb',
    conversationId,
    author: { id: ours ? 'brand' : who, name: ours ? 'Polderpost' : `Person ${who}`, handle: ours ? 'polderpost' : who },
    text: `bericht ${id}`,
    createdAt: T0 + s * 1000,
    fromUs: ours,
    ...extra,
  };
}
