import { describe, expect, it } from 'vitest';
import {
  appendColumn,
  clampWidth,
  ColumnDefSchema,
  defaultColumns,
  duplicateColumn,
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  moveColumn,
  moveColumnBy,
  patchColumn,
  PRESETS,
  removeColumn,
  resizeColumn,
  type ColumnDef,
} from '../../renderer/src/board/layout';
import { applyMark } from '../../renderer/src/board/marks';
import { parseBoardSettings } from '../../renderer/src/board/boardSettings';
import { ageParts } from '../../renderer/src/board/formatAge';
import { ColumnFilterSchema } from '../../shared/filter';

const cols = (): ColumnDef[] => defaultColumns();
const shape = (list: ColumnDef[]) => list.map((c) => [c.id, c.order]);

describe('column layout operations', () => {
  it('seeds the four channel columns, in order, open messages only', () => {
    expect(defaultColumns().map((c) => [c.id, c.order, c.filter.channels, c.filter.statuses, c.width, c.kind])).toEqual([
      ['x_mention', 0, ['x_mention'], ['open'], 340, 'filter'],
      ['x_dm', 1, ['x_dm'], ['open'], 340, 'filter'],
      ['fb_comment', 2, ['fb_comment'], ['open'], 340, 'filter'],
      ['fb_message', 3, ['fb_message'], ['open'], 340, 'filter'],
    ]);
  });

  it.each<[string, number, string[]]>([
    ['fb_message', 0, ['fb_message', 'x_mention', 'x_dm', 'fb_comment']],
    ['x_mention', 3, ['x_dm', 'fb_comment', 'fb_message', 'x_mention']],
    ['x_mention', 99, ['x_dm', 'fb_comment', 'fb_message', 'x_mention']],
    ['x_dm', -5, ['x_dm', 'x_mention', 'fb_comment', 'fb_message']],
    ['nope', 0, ['x_mention', 'x_dm', 'fb_comment', 'fb_message']],
  ])('move %s to %i', (id, to, expected) => {
    expect(shape(moveColumn(cols(), id, to))).toEqual(expected.map((x, i) => [x, i]));
  });

  it.each<[string, number, string[]]>([
    ['x_dm', -1, ['x_dm', 'x_mention', 'fb_comment', 'fb_message']],
    ['x_dm', 1, ['x_mention', 'fb_comment', 'x_dm', 'fb_message']],
    ['x_mention', -1, ['x_mention', 'x_dm', 'fb_comment', 'fb_message']],
    ['fb_message', 1, ['x_mention', 'x_dm', 'fb_comment', 'fb_message']],
  ])('step %s by %i', (id, d, expected) => {
    expect(moveColumnBy(cols(), id, d).map((c) => c.id)).toEqual(expected);
  });

  it('orders are renumbered even from a gappy, unsorted store', () => {
    const gappy = cols().map((c, i) => ({ ...c, order: [30, 10, 20, 0][i] as number }));
    expect(shape(moveColumnBy(gappy, 'x_mention', 1))).toEqual([
      ['fb_message', 0],
      ['x_dm', 1],
      ['fb_comment', 2],
      ['x_mention', 3],
    ]);
  });

  it.each([
    [100, MIN_COLUMN_WIDTH],
    [239.6, 240],
    [400.4, 400],
    [5000, MAX_COLUMN_WIDTH],
    [Number.NaN, 340],
    [Number.POSITIVE_INFINITY, 340],
  ])('clamps width %d to %d', (w, expected) => expect(clampWidth(w)).toBe(expected));

  it('resizes one column only', () => {
    expect(resizeColumn(cols(), 'x_dm', 9999).map((c) => c.width)).toEqual([340, 720, 340, 340]);
  });

  it('duplicates right after the original with a new id and its own filter copy', () => {
    const list = patchColumn(cols(), 'x_dm', { title: 'DM', notify: true, filter: ColumnFilterSchema.parse({ channels: ['x_dm'], text: 'pakket' }) });
    const out = duplicateColumn(list, 'x_dm', 'col-2', 'Copy of DM');
    expect(out.map((c) => [c.id, c.order, c.title])).toEqual([
      ['x_mention', 0, ''],
      ['x_dm', 1, 'DM'],
      ['col-2', 2, 'Copy of DM'],
      ['fb_comment', 3, ''],
      ['fb_message', 4, ''],
    ]);
    const copy = out[2] as ColumnDef;
    expect(copy.filter).toEqual(out[1]?.filter);
    expect(copy.filter).not.toBe(out[1]?.filter);
    expect(copy.notify).toBe(true);
  });

  it('removes and appends, keeping orders dense', () => {
    const removed = removeColumn(cols(), 'x_dm');
    expect(shape(removed)).toEqual([
      ['x_mention', 0],
      ['fb_comment', 1],
      ['fb_message', 2],
    ]);
    const added = appendColumn(removed, { id: 'col-9', title: 'Binnendienst', filter: { text: 'factuur' } });
    expect(added.at(-1)).toEqual({
      id: 'col-9',
      order: 3,
      kind: 'filter',
      title: 'Binnendienst',
      filter: { channels: [], accounts: [], text: 'factuur', authors: [], languages: [], sentiments: [], statuses: ['open'], tags: [] },
      width: 340,
      collapsed: false,
      notify: false,
      sound: false,
      seenAt: 0,
      sort: 'time',
      onlyHigh: false,
    });
  });

  it('a stored column with a bad width or unknown channel does not parse', () => {
    expect(ColumnDefSchema.safeParse({ ...cols()[0], width: 5 }).success).toBe(false);
    expect(ColumnDefSchema.safeParse({ ...cols()[0], filter: { channels: ['myspace'] } }).success).toBe(false);
  });

  it('every preset is a valid filter', () => {
    for (const p of PRESETS) expect(ColumnFilterSchema.safeParse(p.filter).success, p.id).toBe(true);
  });
});

describe('marks', () => {
  const NOW = 1_770_000_000_000;
  it.each<[string, Parameters<typeof applyMark>[0], Parameters<typeof applyMark>[2], ReturnType<typeof applyMark>]>([
    ['new done', undefined, { status: 'done' }, { key: 'k', status: 'done', at: NOW }],
    ['tag kept when status changes', { key: 'k', status: 'open', tag: 'Binnendienst', at: 1 }, { status: 'archived' }, { key: 'k', status: 'archived', tag: 'Binnendienst', at: NOW }],
    ['assignee cleared with null', { key: 'k', status: 'open', assignee: 'Gijs', at: 1 }, { assignee: null }, { key: 'k', status: 'open', at: NOW }],
    ['blank tag is no tag', undefined, { tag: '   ' }, { key: 'k', status: 'open', at: NOW }],
    ['sentiment set', { key: 'k', status: 'done', at: 1 }, { sentiment: 'negative' }, { key: 'k', status: 'done', sentiment: 'negative', at: NOW }],
    ['sentiment kept when the tag changes', { key: 'k', status: 'open', sentiment: 'positive', at: 1 }, { tag: 'Retail' }, { key: 'k', status: 'open', tag: 'Retail', sentiment: 'positive', at: NOW }],
    ['sentiment back to the detected one with null', { key: 'k', status: 'open', sentiment: 'positive', at: 1 }, { sentiment: null }, { key: 'k', status: 'open', at: NOW }],
    ['hidden stays hidden', { key: 'k', status: 'done', hidden: true, at: 1 }, { status: 'open' }, { key: 'k', status: 'open', hidden: true, at: NOW }],
  ])('%s', (_n, prev, patch, expected) => expect(applyMark(prev, 'k', patch, NOW)).toEqual(expected));
});

describe('board settings', () => {
  it.each<[unknown, unknown, ReturnType<typeof parseBoardSettings>]>([
    [undefined, undefined, { me: null, responseTargetMin: 60 }],
    ['  Gijs ', 30, { me: 'Gijs', responseTargetMin: 30 }],
    ['', 0, { me: null, responseTargetMin: 60 }],
    [42, 'soon', { me: null, responseTargetMin: 60 }],
    ['A', 1e9, { me: 'A', responseTargetMin: 10_080 }],
  ])('%j %j', (a, b, expected) => expect(parseBoardSettings(a, b)).toEqual(expected));
});

describe('age of the oldest waiting message', () => {
  it.each([
    [0, { value: 0, unit: 'minute' }],
    [59 * 60_000, { value: 59, unit: 'minute' }],
    [119 * 60_000, { value: 119, unit: 'minute' }],
    [3 * 3_600_000, { value: 3, unit: 'hour' }],
    [50 * 3_600_000, { value: 2, unit: 'day' }],
    [-5, { value: 0, unit: 'minute' }],
  ])('%d ms', (ms, expected) => expect(ageParts(ms)).toEqual(expected));
});

describe('picking cards for a bulk action', () => {
  it('ctrl-click toggles, shift-click takes the range from the anchor in column order, select all replaces', async () => {
    const { useBoardUi } = await import('../../renderer/src/board/boardStore');
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'];
    const s = () => useBoardUi.getState();
    s().togglePick({ columnId: 'c', key: 'k2' });
    s().pickRange({ columnId: 'c', key: 'k4' }, keys);
    expect([...s().picked].sort()).toEqual(['k2', 'k3', 'k4']);
    s().togglePick({ columnId: 'c', key: 'k3' });
    expect([...s().picked].sort()).toEqual(['k2', 'k4']);
    // Another column's shift-click has no anchor there: it picks just that card.
    s().pickRange({ columnId: 'other', key: 'z9' }, ['z8', 'z9']);
    expect([...s().picked].sort()).toEqual(['k2', 'k4', 'z9']);
    s().pickAll(['k5']);
    expect([...s().picked]).toEqual(['k5']);
    s().clearPicked();
    expect(s().picked.size).toBe(0);
  });
});
