import { describe, expect, it } from 'vitest';
import {
  ColumnFilterSchema,
  compileFilter,
  foldText,
  isWaiting,
  matchesQuery,
  parseQuery,
  type ColumnFilterInput,
  type FilterableMessage,
  type MessageMark,
} from '../../shared/filter';

const NOW = Date.UTC(2026, 2, 2, 9, 0, 0);

function msg(over: Partial<Omit<FilterableMessage, 'author'>> & { author?: Partial<FilterableMessage['author']> } = {}): FilterableMessage {
  const { author, ...rest } = over;
  return {
    key: 'x_mention:1',
    platformId: '1',
    channel: 'x_mention',
    accountId: 'acc-x',
    conversationId: '1',
    author: { id: 'u1', name: 'Els de Vries', handle: 'elsdv', followers: 120, ...author },
    text: 'Mijn pakket is niet bezorgd',
    createdAt: NOW,
    lang: 'nl',
    fromUs: false,
    ...rest,
  };
}

const mark = (status: MessageMark['status'], extra: Partial<MessageMark> = {}): MessageMark => ({ key: 'x_mention:1', status, at: NOW, ...extra });

describe('foldText', () => {
  it.each([
    ['Café', 'cafe'],
    ['CAFÉ', 'cafe'],
    ['één', 'een'],
    ['Straße', 'strasse'],
    ['ĳs', 'ijs'],
  ])('%s → %s', (input, out) => expect(foldText(input)).toBe(out));
});

describe('parseQuery', () => {
  it.each<[string, ReturnType<typeof parseQuery>]>([
    ['', { all: [], none: [] }],
    ['pakket', { all: [[['pakket']]], none: [] }],
    ['pakket zending', { all: [[['pakket']], [['zending']]], none: [] }],
    ['pakket OR zending', { all: [[['pakket'], ['zending']]], none: [] }],
    ['pakket | zending OR brief track', { all: [[['pakket'], ['zending'], ['brief']], [['track']]], none: [] }],
    ['"niet bezorgd" -koers', { all: [[['niet', 'bezorgd']]], none: [['koers']] }],
    ['-"aandeel polderpost" Café', { all: [[['cafe']]], none: [['aandeel', 'polderpost']] }],
    ['OR pakket OR', { all: [[['pakket']]], none: [] }],
    ['- !!! "" pakket', { all: [[['pakket']]], none: [] }],
    ['"open phrase', { all: [[['open', 'phrase']]], none: [] }],
  ])('%j', (q, parsed) => expect(parseQuery(q)).toEqual(parsed));
});

describe('matchesQuery', () => {
  const text = 'Ik zit in het café en mijn pakketje is NIET bezorgd! #polderpost https://example.com/x';
  it.each<[string, boolean]>([
    ['', true],
    ['cafe', true],
    ['CAFÉ', true],
    ['pakket', true], // word prefix
    ['akket', false], // not inside a word
    ['"niet bezorgd"', true],
    ['"bezorgd niet"', false],
    ['"pakketje is niet"', true],
    ['"pakket is"', false], // inner words are whole words
    ['brief OR pakket', true],
    ['brief OR envelop', false],
    ['pakket -bezorgd', false],
    ['pakket -"wel bezorgd"', true],
    ['pakket -koers', true],
    ['polderpost', true], // hashtag word
    ['cafe brief', false],
    ['cafe brief OR bezorgd', true],
  ])('%j → %s', (q, expected) => expect(matchesQuery(text, parseQuery(q))).toBe(expected));
});

describe('compileFilter', () => {
  const me = { me: 'Gijs' };
  it.each<[string, ColumnFilterInput, FilterableMessage, MessageMark | undefined, boolean]>([
    ['empty filter takes an open message', {}, msg(), undefined, true],
    ['empty filter leaves done out (default statuses: open)', {}, msg(), mark('done'), false],
    ['statuses [] takes any', { statuses: [] }, msg(), mark('archived'), true],
    ['hidden is never shown', { statuses: [] }, msg(), mark('open', { hidden: true }), false],
    ['channel in', { channels: ['x_mention', 'x_dm'] }, msg(), undefined, true],
    ['channel out', { channels: ['fb_comment'] }, msg(), undefined, false],
    ['account in', { accounts: ['acc-x'] }, msg(), undefined, true],
    ['account out', { accounts: ['acc-fb'] }, msg(), undefined, false],
    ['keyword with diacritics', { text: 'cafe' }, msg({ text: 'Goede koffie in het Café' }), undefined, true],
    ['exclusion', { text: 'pakket -bezorgd' }, msg(), undefined, false],
    ['author by handle with @', { authors: ['@ElsDV'] }, msg(), undefined, true],
    ['author by part of the name, no accents', { authors: ['vries'] }, msg({ author: { name: 'Élise de Vriës' } }), undefined, true],
    ['author out', { authors: ['jan'] }, msg(), undefined, false],
    ['language prefix', { languages: ['nl'] }, msg({ lang: 'nl-NL' }), undefined, true],
    ['language out', { languages: ['en'] }, msg(), undefined, false],
    ['language unknown', { languages: ['nl'] }, msg({ lang: undefined }), undefined, false],
    ['sentiment as read', { sentiments: ['negative'] }, msg({ sentiment: 'negative' }), undefined, true],
    ['sentiment other', { sentiments: ['negative'] }, msg({ sentiment: 'neutral' }), undefined, false],
    ['sentiment unknown', { sentiments: ['negative', 'neutral', 'positive'] }, msg(), undefined, false],
    ["the agent's reading wins over the console's", { sentiments: ['negative'] }, msg({ sentiment: 'positive' }), mark('open', { sentiment: 'negative' }), true],
    ["the console's reading overruled", { sentiments: ['positive'] }, msg({ sentiment: 'positive' }), mark('open', { sentiment: 'negative' }), false],
    ['has link', { hasLink: true }, msg({ text: 'kijk op https://polderpost.example/track' }), undefined, true],
    ['has no link', { hasLink: true }, msg(), undefined, false],
    ['has media', { hasMedia: true }, msg({ media: [{ type: 'photo' }] }), undefined, true],
    ['has no media', { hasMedia: true }, msg(), undefined, false],
    ['min followers met', { minFollowers: 100 }, msg(), undefined, true],
    ['min followers not met', { minFollowers: 245_000 }, msg(), undefined, false],
    ['min followers unknown', { minFollowers: 1 }, msg({ author: { followers: undefined } }), undefined, false],
    ['tag matches case-insensitively', { tags: ['binnendienst'] }, msg(), mark('open', { tag: 'Binnendienst' }), true],
    ['tag missing', { tags: ['binnendienst'] }, msg(), undefined, false],
    ['mine', { assignee: 'mine' }, msg(), mark('open', { assignee: 'gijs' }), true],
    ['someone else', { assignee: 'mine' }, msg(), mark('open', { assignee: 'Anna' }), false],
    ['unassigned', { assignee: 'unassigned' }, msg(), undefined, true],
    ['unassigned but assigned', { assignee: 'unassigned' }, msg(), mark('open', { assignee: 'Anna' }), false],
    ['named colleague', { assignee: { name: 'Anna' } }, msg(), mark('open', { assignee: 'anna' }), true],
    ['search stream', { searchId: 's1' }, msg({ searchId: 's1' }), undefined, true],
    ['other search stream', { searchId: 's1' }, msg(), undefined, false],
    ['found by a second search too (stored once, under the first)', { searchId: 's2' }, msg({ searchId: 's1', foundBy: ['search:s1', 'search:s2'] }), undefined, true],
    ['found by other searches only', { searchId: 's3' }, msg({ searchId: 's1', foundBy: ['search:s1', 'search:s2'] }), undefined, false],
    [
      'everything at once',
      { channels: ['x_mention'], text: '"niet bezorgd" OR kwijt -koers', languages: ['nl'], minFollowers: 10, tags: ['Klantenservice'], statuses: ['open', 'done'] },
      msg(),
      mark('done', { tag: 'klantenservice' }),
      true,
    ],
  ])('%s', (_name, input, m, mk, expected) => {
    expect(compileFilter(ColumnFilterSchema.parse(input), me)(m, mk)).toBe(expected);
  });

  it('"mine" matches nothing while the agent has no name', () => {
    expect(compileFilter(ColumnFilterSchema.parse({ assignee: 'mine' }), { me: null })(msg(), mark('open', { assignee: 'Gijs' }))).toBe(false);
  });

  it('the schema fills defaults and refuses nonsense', () => {
    expect(ColumnFilterSchema.parse({})).toEqual({ channels: [], accounts: [], text: '', authors: [], languages: [], sentiments: [], statuses: ['open'], tags: [] });
    expect(ColumnFilterSchema.safeParse({ channels: ['myspace'] }).success).toBe(false);
    expect(ColumnFilterSchema.safeParse({ minFollowers: -1 }).success).toBe(false);
    expect(ColumnFilterSchema.safeParse({ statuses: ['deleted'] }).success).toBe(false);
  });
});

describe('isWaiting (the table over threads is in conversation-state.test.ts)', () => {
  it.each<[boolean, MessageMark | undefined, boolean, boolean]>([
    [false, undefined, false, true],
    [false, undefined, true, false],
    [true, undefined, false, false],
    [false, mark('done'), false, false],
    [false, mark('open'), false, true],
  ])('fromUs %s, mark %j, answered %s → %s', (fromUs, mk, answered, expected) => expect(isWaiting({ fromUs }, mk, answered)).toBe(expected));
});
