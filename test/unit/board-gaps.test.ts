import { describe, expect, it } from 'vitest';
import { columnGapNotice, columnGaps, STREAM_CHANNEL, streamFeedsColumn } from '../../renderer/src/board/gaps';
import { ColumnFilterSchema, type ColumnFilterInput } from '../../shared/filter';
import { StreamKindSchema, type Gap, type StreamKind, type StreamStatus } from '../../shared/model';

const T = (h: number, m: number) => new Date(2026, 11, 3, h, m).getTime();

function stream(id: string, kind: StreamKind, accountId: string, gaps?: Gap[], searchId?: string): StreamStatus {
  return { id, kind, accountId, delivered: 0, itemsToday: 0, costTodayUsd: 0, ...(gaps ? { gaps } : {}), ...(searchId ? { searchId } : {}) };
}
const filling = (from: number | undefined, to: number): Gap => ({ ...(from === undefined ? {} : { from }), to, estimate: 300, state: 'filling', reason: 'budget' });
const unreachable = (from: number | undefined, to: number): Gap => ({ ...(from === undefined ? {} : { from }), to, state: 'unreachable', reason: 'window' });
const filter = (f: ColumnFilterInput) => ColumnFilterSchema.parse(f);

describe('which channel a stream feeds', () => {
  it.each([
    ['x_mentions', 'x_mention'],
    ['x_own', 'x_mention'],
    ['x_dms', 'x_dm'],
    ['x_search', 'x_search'],
    ['fb_comments', 'fb_comment'],
    ['fb_visitor_posts', 'fb_comment'],
    ['fb_messages', 'fb_message'],
  ] as const)('%s → %s', (kind, channel) => {
    expect(STREAM_CHANNEL[kind]).toBe(channel);
  });

  it('every stream kind has a channel', () => {
    for (const kind of StreamKindSchema.options) expect(STREAM_CHANNEL[kind]).toBeDefined();
  });
});

describe('whether a stream feeds a column', () => {
  const cases: Array<[string, ColumnFilterInput, Pick<StreamStatus, 'kind' | 'accountId' | 'searchId'>, boolean]> = [
    ['no restriction takes every stream', {}, { kind: 'fb_messages', accountId: 'fb1' }, true],
    ['a mentions column takes the mentions stream', { channels: ['x_mention'] }, { kind: 'x_mentions', accountId: 'x1' }, true],
    ['a mentions column takes our own posts', { channels: ['x_mention'] }, { kind: 'x_own', accountId: 'x1' }, true],
    ['a mentions column does not take DMs', { channels: ['x_mention'] }, { kind: 'x_dms', accountId: 'x1' }, false],
    ['a DM column takes DMs', { channels: ['x_dm', 'fb_message'] }, { kind: 'x_dms', accountId: 'x1' }, true],
    ['a comments column takes visitor posts', { channels: ['fb_comment'] }, { kind: 'fb_visitor_posts', accountId: 'fb1' }, true],
    ['a comments column does not take Messenger', { channels: ['fb_comment'] }, { kind: 'fb_messages', accountId: 'fb1' }, false],
    ['an account filter takes its account', { accounts: ['x1'] }, { kind: 'x_mentions', accountId: 'x1' }, true],
    ['an account filter leaves out another account', { accounts: ['x1'] }, { kind: 'x_mentions', accountId: 'x2' }, false],
    ['channel and account must both allow it', { channels: ['x_dm'], accounts: ['x2'] }, { kind: 'x_dms', accountId: 'x1' }, false],
    ['a search column takes its own search', { channels: ['x_search'], searchId: 's1' }, { kind: 'x_search', accountId: 'x1', searchId: 's1' }, true],
    ['a search column leaves out another search', { channels: ['x_search'], searchId: 's1' }, { kind: 'x_search', accountId: 'x1', searchId: 's2' }, false],
    ['a search column leaves out a search without id', { searchId: 's1' }, { kind: 'x_search', accountId: 'x1' }, false],
    ['a search column leaves out mentions', { searchId: 's1' }, { kind: 'x_mentions', accountId: 'x1' }, false],
    ['a column of every search takes any search', { channels: ['x_search'] }, { kind: 'x_search', accountId: 'x1', searchId: 's2' }, true],
    ['a column of done messages never shows unread ones', { statuses: ['done'] }, { kind: 'x_mentions', accountId: 'x1' }, false],
    ['open among the statuses takes it', { statuses: ['done', 'open'] }, { kind: 'x_mentions', accountId: 'x1' }, true],
    ['an agent’s column never shows unassigned ones', { assignee: 'mine' }, { kind: 'x_mentions', accountId: 'x1' }, false],
    ['an unassigned column takes it', { assignee: 'unassigned' }, { kind: 'x_mentions', accountId: 'x1' }, true],
    ['a tag column never shows untagged ones', { tags: ['billing'] }, { kind: 'x_mentions', accountId: 'x1' }, false],
    ['a text filter does not tell: it takes it', { text: 'pakket' }, { kind: 'x_mentions', accountId: 'x1' }, true],
  ];
  it.each(cases)('%s', (_name, f, s, expected) => {
    expect(streamFeedsColumn(s, filter(f))).toBe(expected);
  });
});

describe('the notice a column shows', () => {
  const streams = [
    stream('m', 'x_mentions', 'x1', [filling(T(14, 2), T(14, 10))]),
    stream('d', 'x_dms', 'x1', [unreachable(T(9, 0), T(9, 30))]),
    stream('s1', 'x_search', 'x1', [filling(undefined, T(13, 0))], 's1'),
    stream('s2', 'x_search', 'x1', [], 's2'),
    stream('f', 'fb_comments', 'fb1'),
  ];

  const cases: Array<[string, ColumnFilterInput, readonly StreamStatus[], ReturnType<typeof columnGapNotice>]> = [
    ['no gaps anywhere: nothing', {}, [stream('a', 'x_mentions', 'x1'), stream('b', 'x_dms', 'x1', [])], null],
    ['no status yet: nothing', {}, [], null],
    ['a stream without gaps: nothing', { channels: ['fb_comment'] }, streams, null],
    ['a search without gaps: nothing', { searchId: 's2' }, streams, null],
    ['filling', { channels: ['x_mention'] }, streams, { key: 'gaps.column.filling', state: 'filling', from: T(14, 2), to: T(14, 10), count: 1 }],
    ['unreachable', { channels: ['x_dm'] }, streams, { key: 'gaps.column.unreachable', state: 'unreachable', from: T(9, 0), to: T(9, 30), count: 1 }],
    ['without a start: before', { searchId: 's1' }, streams, { key: 'gaps.column.fillingBefore', state: 'filling', to: T(13, 0), count: 1 }],
    ['mixed: the stretch that holds both', { channels: ['x_mention', 'x_dm'] }, streams, { key: 'gaps.column.mixed', state: 'mixed', from: T(9, 0), to: T(14, 10), count: 2 }],
    ['any unknown start makes it "before"', { accounts: ['x1'] }, streams, { key: 'gaps.column.mixedBefore', state: 'mixed', to: T(14, 10), count: 3 }],
    ['the account filter leaves them out', { accounts: ['fb1'] }, streams, null],
    [
      'two unreachable gaps of one stream',
      {},
      [stream('d', 'x_dms', 'x1', [unreachable(T(8, 0), T(8, 5)), unreachable(T(7, 0), T(7, 30))])],
      { key: 'gaps.column.unreachable', state: 'unreachable', from: T(7, 0), to: T(8, 5), count: 2 },
    ],
  ];
  it.each(cases)('%s', (_name, f, list, expected) => {
    expect(columnGapNotice(filter(f), list)).toEqual(expected);
  });

  it('lists each gap with its stream', () => {
    expect(columnGaps(filter({ channels: ['x_mention', 'x_dm'] }), streams).map(({ stream: s, gap }) => [s.id, gap.state])).toEqual([
      ['m', 'filling'],
      ['d', 'unreachable'],
    ]);
  });
});
