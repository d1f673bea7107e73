import { describe, expect, it } from 'vitest';
import { answeredKeys, answerThreadKey, isPrivateChannel, isWaiting, messageState, summarizeConversation, type StateMark, type StateMessage } from '../../shared/conversation';
import type { Channel } from '../../shared/model';

/** A message in a thread: `who` is the author ('us' for our account), `to` the platformId it replies to. */
function msg(channel: Channel, id: string, who: string, at: number, extra: Partial<StateMessage> & { to?: string } = {}): StateMessage {
  const { to, ...rest } = extra;
  return {
    key: `${channel}:${id}`,
    platformId: id,
    channel,
    conversationId: 'c1',
    createdAt: at,
    fromUs: who === 'us',
    author: { id: who === 'us' ? 'brand' : who },
    ...(to !== undefined ? { inReplyToId: to } : {}),
    ...rest,
  };
}

const waitingIn = (thread: StateMessage[]) => {
  const answered = answeredKeys(thread);
  return thread.filter((m) => isWaiting(m, undefined, answered.has(m.key))).map((m) => m.platformId);
};

describe('which messages of a thread wait', () => {
  const cases: Array<{ name: string; thread: StateMessage[]; waiting: string[] }> = [
    { name: 'a DM nobody answered', thread: [msg('x_dm', '1', 'ann', 1)], waiting: ['1'] },
    { name: 'a DM we answered', thread: [msg('x_dm', '1', 'ann', 1), msg('x_dm', '2', 'us', 2)], waiting: [] },
    {
      name: 'four short Messenger messages, then our reply',
      thread: ['1', '2', '3', '4'].map((id, i) => msg('fb_message', id, 'ann', i + 1)).concat(msg('fb_message', '5', 'us', 10)),
      waiting: [],
    },
    {
      name: "the customer's second message after our reply waits again",
      thread: [msg('fb_message', '1', 'ann', 1), msg('fb_message', '2', 'us', 2), msg('fb_message', '3', 'ann', 3)],
      waiting: ['3'],
    },
    {
      name: 'our message before theirs (we wrote first) answers nothing after it',
      thread: [msg('x_dm', '1', 'us', 1), msg('x_dm', '2', 'ann', 2)],
      waiting: ['2'],
    },
    {
      name: 'the same millisecond: our reply answers the message, not the other way',
      thread: [msg('x_dm', '2', 'us', 5), msg('x_dm', '1', 'ann', 5)],
      waiting: [],
    },
    {
      name: 'a reply of ours that failed is not stored, so the message still waits',
      thread: [msg('x_mention', '1', 'ann', 1)],
      waiting: ['1'],
    },
    {
      name: 'a reply made on x.com and read back by the poller answers like one from the console',
      thread: [msg('x_mention', '1', 'ann', 1), msg('x_mention', '2', 'us', 2, { to: '1' })],
      waiting: [],
    },
    {
      name: 'X thread with several customers: our reply to Ann answers Ann, not Bob',
      thread: [msg('x_mention', '1', 'ann', 1), msg('x_mention', '2', 'bob', 2), msg('x_mention', '3', 'us', 3, { to: '1' })],
      waiting: ['2'],
    },
    {
      name: 'X thread with several customers: both answered, then Ann writes again',
      thread: [
        msg('x_mention', '1', 'ann', 1),
        msg('x_mention', '2', 'bob', 2),
        msg('x_mention', '3', 'us', 3, { to: '1' }),
        msg('x_mention', '4', 'us', 4, { to: '2' }),
        msg('x_mention', '5', 'ann', 5, { to: '3' }),
      ],
      waiting: ['5'],
    },
    {
      name: "X: Ann's earlier posts in the thread are answered by our reply to her later one",
      thread: [msg('x_mention', '1', 'ann', 1), msg('x_mention', '2', 'ann', 2, { to: '1' }), msg('x_mention', '3', 'us', 3, { to: '2' })],
      waiting: [],
    },
    {
      name: 'X: the second part of a split reply answers whom the first part answered',
      thread: [msg('x_mention', '1', 'ann', 1), msg('x_mention', '2', 'bob', 2), msg('x_mention', '3', 'us', 3, { to: '1' }), msg('x_mention', '4', 'us', 4, { to: '3' })],
      waiting: ['2'],
    },
    {
      name: 'X: a reply to a post the console does not hold answers the whole thread before it',
      thread: [msg('x_mention', '1', 'ann', 1), msg('x_mention', '2', 'bob', 2), msg('x_mention', '3', 'us', 3, { to: '999' })],
      waiting: [],
    },
    {
      name: 'another channel, one X conversation: a reply stored with the search hit answers the mention',
      thread: [msg('x_mention', '1', 'ann', 1), msg('x_search', '2', 'us', 2, { to: '1' })],
      waiting: [],
    },
    {
      name: 'Facebook comment thread: our public reply answers everyone before it in the thread',
      thread: [msg('fb_comment', '1', 'ann', 1), msg('fb_comment', '2', 'bob', 2, { to: '1' }), msg('fb_comment', '3', 'us', 3, { to: '1' })],
      waiting: [],
    },
    {
      name: 'Facebook: a private reply (Messenger, another channel) answers only that commenter',
      thread: [msg('fb_comment', '1', 'ann', 1), msg('fb_comment', '2', 'bob', 2, { to: '1' }), msg('fb_comment', '3', 'us', 3, { to: '2', privately: true })],
      waiting: ['1'],
    },
  ];
  it.each(cases)('$name', ({ thread, waiting }) => {
    expect(waitingIn(thread)).toEqual(waiting);
  });
});

describe('a reply on another channel', () => {
  it('a DM to someone who mentioned us in public is another conversation and answers only the DM thread', () => {
    const mention = msg('x_mention', '1', 'ann', 1, { conversationId: '1' });
    const dm = msg('x_dm', '2', 'us', 2, { conversationId: '1' });
    // Alike ids in other id spaces are other threads: each thread is judged on its own.
    expect(answerThreadKey(mention)).not.toBe(answerThreadKey(dm));
    expect(answeredKeys([mention]).has(mention.key)).toBe(false);
  });
  it('a mention and a search hit of one X conversation are one thread', () => {
    expect(answerThreadKey({ channel: 'x_mention', conversationId: '7' })).toBe(answerThreadKey({ channel: 'x_search', conversationId: '7' }));
    expect(answerThreadKey({ channel: 'fb_comment', conversationId: '7' })).not.toBe(answerThreadKey({ channel: 'fb_message', conversationId: '7' }));
  });
});

describe('a message state', () => {
  const cases: Array<{ fromUs: boolean; mark?: StateMark; answered: boolean; state: string; waiting: boolean }> = [
    { fromUs: false, answered: false, state: 'waiting', waiting: true },
    { fromUs: false, answered: true, state: 'answered', waiting: false },
    { fromUs: false, mark: { status: 'done' }, answered: false, state: 'done', waiting: false },
    { fromUs: false, mark: { status: 'archived' }, answered: true, state: 'archived', waiting: false },
    { fromUs: false, mark: { status: 'open' }, answered: false, state: 'waiting', waiting: true },
    { fromUs: false, mark: { status: 'open', hidden: true }, answered: false, state: 'waiting', waiting: false },
    { fromUs: true, answered: false, state: 'answered', waiting: false },
  ];
  it.each(cases)('from us $fromUs, mark $mark, answered $answered → $state', ({ fromUs, mark, answered, state, waiting }) => {
    expect(messageState({ fromUs }, mark, answered)).toBe(state);
    expect(isWaiting({ fromUs }, mark, answered)).toBe(waiting);
  });
});

describe('a private conversation as one card', () => {
  const four = ['1', '2', '3', '4'].map((id, i) => msg('fb_message', id, 'ann', (i + 1) * 10));
  const marks = (m: Record<string, StateMark>) => (key: string) => m[key];
  const cases: Array<{ name: string; thread: StateMessage[]; marks?: Record<string, StateMark>; want: { state: string; unanswered: number; waitingSince: number | null; newest: string } }> = [
    { name: 'four messages, none answered', thread: four, want: { state: 'waiting', unanswered: 4, waitingSince: 10, newest: '4' } },
    { name: 'answered', thread: [...four, msg('fb_message', '5', 'us', 50)], want: { state: 'answered', unanswered: 0, waitingSince: null, newest: '5' } },
    {
      name: 'a second message after our reply',
      thread: [...four, msg('fb_message', '5', 'us', 50), msg('fb_message', '6', 'ann', 60)],
      want: { state: 'waiting', unanswered: 1, waitingSince: 60, newest: '6' },
    },
    {
      name: 'the agent marked the messages done',
      thread: four,
      marks: { 'fb_message:1': { status: 'done' }, 'fb_message:2': { status: 'done' }, 'fb_message:3': { status: 'done' }, 'fb_message:4': { status: 'done' } },
      want: { state: 'done', unanswered: 0, waitingSince: null, newest: '4' },
    },
    {
      name: 'done, then the customer wrote again',
      thread: [...four, msg('fb_message', '5', 'ann', 50)],
      marks: { 'fb_message:1': { status: 'done' }, 'fb_message:2': { status: 'done' }, 'fb_message:3': { status: 'done' }, 'fb_message:4': { status: 'done' } },
      want: { state: 'waiting', unanswered: 1, waitingSince: 50, newest: '5' },
    },
    {
      name: 'archived after our reply',
      thread: [...four, msg('fb_message', '5', 'us', 50)],
      marks: { 'fb_message:5': { status: 'archived' } },
      want: { state: 'archived', unanswered: 0, waitingSince: null, newest: '5' },
    },
    {
      name: 'a message deleted from the view neither counts nor shows',
      thread: four,
      marks: { 'fb_message:4': { status: 'open', hidden: true } },
      want: { state: 'waiting', unanswered: 3, waitingSince: 10, newest: '3' },
    },
  ];
  it.each(cases)('$name', ({ thread, marks: m, want }) => {
    const s = summarizeConversation(thread, marks(m ?? {}));
    expect({ state: s.state, unanswered: s.unanswered, waitingSince: s.waitingSince, newest: s.newest?.platformId }).toEqual(want);
  });
  it('only X DMs and Messenger are private', () => {
    expect((['x_mention', 'x_dm', 'fb_comment', 'fb_message', 'x_search'] as const).filter(isPrivateChannel)).toEqual(['x_dm', 'fb_message']);
  });
});
