import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ColumnFilterSchema, compileFilter, MATCH_TEXT_MAX, matchesMessage, parseQuery, queryWords } from '../../shared/filter';
import type { Message } from '../../shared/model';
import { ruleMatcher } from '../../shared/routing';
import { MAX_WORDS } from '../../shared/text/fold';
import { RoutingRuleSchema } from '../../shared/workflow';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { indexGroupsOf, indexMessages, lookupAlternatives, lookupWords, rowExclusionsOf, rowMayMatch, searchMessages, searchRowOf } from '../../renderer/src/search/searchIndex';

/**
 * One query language for the board's columns, routing rules and the search
 * panel: every row of the table is asked of all three, and the search through
 * each of its plans (rare words intersected, common words merged, the walk),
 * so "save search as column" can never change what is found.
 */

const T0 = 1_760_000_000_000;
const MIN = 60_000;

const longText = `${Array.from({ length: MAX_WORDS + 20 }, (_, i) => `vulwoord${i.toString(36)}`).join(' ')} staartwoord`;

const corpus: [id: string, text: string, name: string, handle: string][] = [
  ['1', 'Mijn pakket is niet bezorgd', 'Els de Vries', 'elsdv'],
  ['2', 'Het pakketje is WEL bezorgd, dank!', 'Jan Bakker', 'janb'],
  ['3', 'Niet tevreden: bezorgd maar niet bij mij', 'Anna', 'anna_nl'],
  ['4', 'Lekker café bij het afhaalpunt', 'Sjoerd Café', 'sjoerd'],
  ['5', 'Zending 3SPLD998877 kwijt, wat nu?', 'Piet', 'piet'],
  ['6', 'Koers van het aandeel Polderpost stijgt', 'Beurs Bot', 'beursbot'],
  ['7', 'Wanneer komt mijn zending? Ik wacht al een week', 'Karin Émile', 'karine'],
  ['8', 'a b c v', 'Vera', 'v'],
  ['9', 'Nog steeds geen bericht over de levering', 'Tom', 'tom'],
  ['10', longText, 'Lange Tekst', 'langetekst'],
  ['11', 'Top service, niet bezorgd maar wel snel geholpen', 'Kees', 'kees'],
  // Longer than a filter reads (MATCH_TEXT_MAX): its last word is found by neither, nor excludes it.
  ['12', `Begin ${'x '.repeat(MATCH_TEXT_MAX / 2)} voorbijdegrens`, 'Ruud', 'ruud'],
  // Other scripts and dotted capitals fold alike for the index and the matcher.
  ['13', 'Pakket naar İstanbul', 'Σοφία ΟΔΟΣ', 'sofia'],
];

const messages: Message[] = corpus.map(([id, text, name, handle], i) => ({
  key: `${i % 2 ? 'fb_comment' : 'x_mention'}:${id}`,
  platformId: id,
  channel: i % 2 ? 'fb_comment' : 'x_mention',
  accountId: 'acc-1',
  conversationId: id,
  author: { id: `u-${id}`, name, handle },
  text,
  createdAt: T0 + i * MIN,
  fromUs: false,
}));

/** The query, and the ids it finds (in corpus order). */
const TABLE: [query: string, ids: string[]][] = [
  ['', ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13']],
  ['pakket', ['1', '2', '13']],
  ['PAKKET bezorgd', ['1', '2']],
  ['akket', []],
  ['"niet bezorgd"', ['1', '11']],
  ['"bezorgd niet"', []],
  ['"pakket is"', ['1']],
  ['"pakketje is wel"', ['2']],
  ['-"niet bezorgd" bezorgd', ['2', '3']],
  ['pakket OR zending', ['1', '2', '5', '7', '13']],
  ['pakket | zending', ['1', '2', '5', '7', '13']],
  ['pakket OR zending week', ['7']],
  ['zending -kwijt', ['7']],
  ['-koers -pakket -zending -bezorgd', ['4', '8', '9', '10', '12']],
  ['-koers -pakket -zending -bezorgd -x', ['4', '8', '9', '10']],
  ['cafe', ['4']],
  ['CAFÉ', ['4']],
  ['sjoerd', ['4']],
  ['emile', ['7']],
  ['anna_nl', ['3']],
  ['"afhaalpunt sjoerd"', []],
  ['3spld99', ['5']],
  ['3spld99 OR levering', ['5', '9']],
  ['v', ['1', '6', '8', '10']],
  ['v c', ['8']],
  ['"b c"', ['8']],
  ['staartw', ['10']],
  ['staartw OR pakket', ['1', '2', '10', '13']],
  ['istan', ['13']],
  ['stanbul', []],
  ['naar -istan', []],
  ['οδος', ['13']],
  ['"nog steeds" OR "niet bij"', ['3', '9']],
  ['-"aandeel polderpost"', ['1', '2', '3', '4', '5', '7', '8', '9', '10', '11', '12', '13']],
  ['voorbijdegr', []],
  ['begin -voorbijdegr', ['12']],
  ['bezorgd -wel -tevreden', ['1']],
  ['OR pakket OR', ['1', '2', '13']],
  ['"open phrase', []],
  ['"wacht al', ['7']],
  // Stop words (shared/text/stopWords.ts) are kept out of the words index but found all the same.
  ['niet', ['1', '3', '11']],
  ['het', ['2', '4', '6']],
  ['wel snel', ['11']],
  ['mijn -pakket', ['7']],
  ['"wacht al" OR kwijt', ['5', '7']],
];

describe('one query language: columns, routing rules and search agree', () => {
  let db: WebcareDb;
  beforeAll(async () => {
    db = openDb('query-language-test');
    await db.transaction('rw', db.messages, db.searchIndex, () => Promise.all([db.messages.bulkPut(messages), indexMessages(db, messages)]));
  });
  afterAll(async () => {
    await db.delete();
  });

  it.each(TABLE)('%j', async (query, expected) => {
    const column = compileFilter(ColumnFilterSchema.parse({ text: query, statuses: [] }), { me: null });
    expect(messages.filter((m) => column(m, undefined)).map((m) => m.platformId), 'column').toEqual(expected);
    const rule = ruleMatcher(RoutingRuleSchema.parse({ id: '00000000-0000-4000-8000-000000000001', name: 'Rule', order: 0, enabled: true, continue: false, when: { text: query }, then: {} }));
    expect(messages.filter((m) => rule(m, undefined)).map((m) => m.platformId), 'routing rule').toEqual(expected);
    for (const [plan, options] of [
      ['default', {}],
      ['every word common (merge)', { smallProbe: 0 }],
      ['walk', { probe: 0 }],
      ['small pages', { limit: 2 }],
    ] as const) {
      const limit = 'limit' in options ? options.limit : 100;
      const found = await searchMessages(db, { text: query }, { ...options, limit });
      // Newest first; a page of a longer answer holds its newest and says there is more.
      expect(found.messages.map((m) => m.platformId), `search, ${plan}`).toEqual([...expected].reverse().slice(0, limit));
      expect(found.more, `search, ${plan}: more`).toBe(expected.length > limit);
    }
  });

  it('search results come newest first, as a column shows them', async () => {
    const found = await searchMessages(db, { text: 'pakket OR zending' });
    expect(found.messages.map((m) => m.platformId)).toEqual(['13', '7', '5', '2', '1']);
    expect(found.terms).toEqual(['pakket', 'zending']);
  });
});

describe('what the index may rule out', () => {
  it('groups: an alternative of single letters only cannot be looked up', () => {
    expect(indexGroupsOf(parseQuery('pakket OR "niet bezorgd" v -koers'))).toEqual([[['pakket'], ['niet', 'bezorgd']], null]);
  });

  it('each group is looked up by the longest word of each alternative, no word twice', () => {
    expect(lookupWords([['pakket'], ['niet', 'bezorgd'], ['pakketje']])).toEqual(['pakket', 'bezorgd']);
  });

  it("a row rules out only what the message could never match; a long message's row never", () => {
    const groups = indexGroupsOf(parseQuery('"niet bezorgd" OR zending'));
    expect(rowMayMatch(searchRowOf(messages[0] as Message), groups)).toBe(true);
    expect(rowMayMatch(searchRowOf(messages[5] as Message), groups)).toBe(false);
    expect(rowMayMatch(searchRowOf(messages[9] as Message), indexGroupsOf(parseQuery('nergens')))).toBe(true);
  });

  it('a row rules out the single words it excludes, never a phrase', () => {
    const q = parseQuery('bezorgd -wel -"niet bij" -x');
    expect(rowExclusionsOf(q)).toEqual(['wel']);
    expect(rowMayMatch(searchRowOf(messages[1] as Message), indexGroupsOf(q), rowExclusionsOf(q))).toBe(false);
    expect(rowMayMatch(searchRowOf(messages[2] as Message), indexGroupsOf(q), rowExclusionsOf(q))).toBe(true);
  });

  it('every message the language matches, its row may match: the index never leaves a match out', () => {
    for (const [query] of TABLE) {
      const q = parseQuery(query);
      const groups = indexGroupsOf(q);
      for (const m of messages) if (matchesMessage(m, q)) expect(rowMayMatch(searchRowOf(m), groups, rowExclusionsOf(q)), `${query} / ${m.platformId}`).toBe(true);
    }
  });

  it('a row keeps stop words apart from the words index, and no start of a stop word is looked up there', () => {
    const row = searchRowOf(messages[0] as Message);
    expect(row.words).toEqual(['pakket', 'bezorgd', 'els', 'vries', 'elsdv']);
    expect(row.rest).toEqual(['mijn', 'is', 'niet', 'de']);
    expect(searchRowOf(messages[4] as Message).rest).toEqual(['wat', 'nu']);
    expect(lookupAlternatives([['pakket'], ['niet', 'bezorgd']])).toEqual([['pakket'], ['bezorgd']]);
    // "nie" may be "niet", which no row has in the index: the group is checked on each row instead.
    expect(lookupAlternatives([['pakket'], ['nie']])).toBeNull();
    expect(lookupAlternatives([['nieuw']])).toEqual([['nieuw']]);
  });

  it('the words to highlight are those looked for, not those excluded', () => {
    expect(queryWords(parseQuery('"niet bezorgd" OR pakket -koers'))).toEqual(['niet', 'bezorgd', 'pakket']);
  });
});
