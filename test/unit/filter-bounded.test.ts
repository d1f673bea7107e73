import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ColumnFilterSchema, compileFilter, foldText, MATCH_TEXT_MAX, matchesQuery, parseQuery, type FilterableMessage, type MatchWork } from '../../shared/filter';

/**
 * A column filter is typed by an agent and run over every message a column
 * reads (20,000 at most per read), on the UI thread; the messages are written
 * by anyone. No user text becomes a regular expression: a query is folded words
 * looked up as substrings. These tests hold that to a bound on work, with
 * hostile texts against hostile filters: a match costs a small constant times
 * the folded text, whatever the query, so no single match gets near a frame.
 * The work is counted, not timed (a busy machine makes any time flaky): the
 * characters folded and looked at, and what folding hands to String#normalize,
 * whose cost grows with the square of a run of stacked marks.
 */

/** The folding and matching as they were, to check the bounded versions answer the same. */
const WORD = /[\p{L}\p{N}]+/gu;
function referenceFold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/ß/g, 'ss');
}
function referenceMatch(text: string, query: string): boolean {
  const q = parseQuery(query);
  if (q.all.length === 0 && q.none.length === 0) return true;
  const hay = ` ${[...referenceFold(text).matchAll(WORD)].map((m) => m[0]).join(' ')}`;
  const has = (t: readonly string[]) => hay.includes(` ${t.join(' ')}`);
  return q.all.every((g) => g.some(has)) && !q.none.some(has);
}

const MARKS = ['\u0301', '\u0316', '\u0308', '\u0327', '\u05b0', '\u0334', '\u0345', '\u0e4d', '\u3099', '\u20d7', '\u1ab0', '\ufe20'];
/** Code points that decompose into several (ﷺ is 18), into marks (ﾞ), or fold specially (ß, ĳ, ﬁ, Ⅻ). */
const ODD = ['\ufdfa', '\uff9e', '\uff9f', '\u0e33', 'ß', 'ĳ', 'ﬁ', 'Ⅻ', 'é', 'Å', '\u1e9e', 'ǅ', '\u2460', '\u3300', '\u0130', '\u03a3'];

/** Texts a stranger might send: repeated characters, quotes, huge words, stacked marks. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', '-', '|', 'O', 'R', 'é', '\u0301', 'ß', '\ufdfa', '\uff9e'), maxLength: 400 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('a', 'a ', ' ', '"', '-', 'ab', 'aa a', '\u0301\u0316', 'é', '\ufdfa', 'OR ', '""a'), fc.integer({ min: 100, max: 10_000 })).map(([s, n]) => s.repeat(Math.ceil(n / s.length))) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 10_000 }).map((n) => `${'x'.repeat(n)} b`) },
  // Zalgo: one letter under thousands of marks of alternating combining classes (the costliest to normalise).
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 500, max: 20_000 }), fc.constantFrom(...MARKS), fc.constantFrom(...MARKS)).map(([n, m1, m2]) => `a${(m1 + m2).repeat(n / 2)} pakket`) },
  { weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom(...ODD, ...MARKS), fc.string({ maxLength: 5 })), { maxLength: 200 }).map((a) => a.join('')) },
);

const filterTexts: string[] = [
  'pakket',
  'pakket zending -spam',
  '"niet bezorgd" zwolle',
  // Many OR terms, up to the filter's 2,000 characters.
  Array.from({ length: 400 }, (_, i) => `w${i}`).join(' OR ').slice(0, 2000),
  'a OR '.repeat(400).slice(0, 2000),
  'a | '.repeat(500).slice(0, 2000),
  // Prefixes of one another: the longest failure chains a scanner can have.
  Array.from({ length: 60 }, (_, i) => 'a'.repeat(i + 1)).join(' OR ').slice(0, 2000),
  Array.from({ length: 40 }, (_, i) => `"${'a '.repeat(i)}b"`).join(' | ').slice(0, 2000),
  // Long phrases that almost match a text of repeated words.
  `"${'a '.repeat(990)}b"`,
  `-"${'a '.repeat(990)}a"`,
  `${'x'.repeat(1999)}`,
  '"'.repeat(2000),
  '-'.repeat(2000),
  '"a" "'.repeat(400),
  `a${'\u0301\u0316'.repeat(999)}`,
  '\ufdfa'.repeat(100),
  Array.from({ length: 200 }, (_, i) => `-w${i}`).join(' '),
];

/**
 * Unicode's stream-safe text format allows at most 30 combining marks in a row;
 * a run that long costs a normaliser little, a longer one costs it the run squared.
 */
const MARK_RUN_MAX = 30;
const LONG_MARK_RUN = new RegExp(`\\p{M}{${MARK_RUN_MAX + 1}}`, 'u');

/** What folding hands to String#normalize, counted from `watchNormalize()` on (reset by the caller between matches). */
const normalized = { chars: 0, longMarkRuns: 0 };

/**
 * Counts every String#normalize call into `normalized` until the returned function
 * is called. Installed once per test: swapping a String.prototype method per call
 * would throw V8 off its fast paths for every string method.
 */
function watchNormalize(): () => void {
  const original = String.prototype.normalize;
  String.prototype.normalize = function normalize(this: string, form?: string) {
    const text = String(this);
    normalized.chars += text.length;
    if (LONG_MARK_RUN.test(text)) normalized.longMarkRuns++;
    return original.call(text, form);
  };
  return () => {
    String.prototype.normalize = original;
  };
}

/** What `fn` hands to String#normalize (with `watchNormalize()` installed). */
function normalizing(fn: () => void): { chars: number; longMarkRuns: number } {
  normalized.chars = 0;
  normalized.longMarkRuns = 0;
  fn();
  return { ...normalized };
}

function message(text: string): FilterableMessage {
  return { key: 'x_mention:1', platformId: '1', channel: 'x_mention', accountId: 'a', conversationId: '1', author: { id: 'u', name: 'N', handle: 'h' }, text, createdAt: 0, fromUs: false };
}

describe('column filters on hostile texts', () => {
  it('20,000 hostile texts against hostile filters: work linear in the folded text, folding never sorts a long run of marks', () => {
    const texts = fc.sample(hostileText, { seed: 20_260_302, numRuns: 20_000 });
    const matchers = filterTexts.map((text) => {
      expect(text.length).toBeLessThanOrEqual(2000);
      const filter = ColumnFilterSchema.parse({ text, statuses: [] });
      return { text, query: parseQuery(filter.text), match: compileFilter(filter, { me: null }) };
    });
    let totalChars = 0;
    let longMarkRuns = 0;
    let normalizedChars = 0;
    onTestFinished(watchNormalize());
    texts.forEach((text, i) => {
      const f = matchers[i % matchers.length] as (typeof matchers)[number];
      const work: MatchWork = { chars: 0, steps: 0 };
      const folding = normalizing(() => {
        f.match(message(text), undefined);
        matchesQuery(text, f.query, work);
      });
      // Each of the two matches folds the text once, its first MATCH_TEXT_MAX characters at most (and the name and handle, one character each).
      expect(folding.chars).toBeLessThanOrEqual(2 * Math.min(text.length, MATCH_TEXT_MAX) + 2);
      longMarkRuns += folding.longMarkRuns;
      normalizedChars += folding.chars;
      // A folded text is at most twice the part of its source that is read (which is all of these), and one pass over it does for any number of terms.
      expect(work.chars).toBeLessThanOrEqual(Math.min(18 * text.length, 2 * MATCH_TEXT_MAX) + 1);
      // Eight direct lookups at most, or one scan: twice the text plus each term once.
      expect(work.steps).toBeLessThanOrEqual(8 * work.chars + f.text.length);
      totalChars += work.chars;
    });
    // The old folding normalised Zalgo texts with their marks (thousands in a row) and took over a second for one.
    expect(longMarkRuns).toBe(0);
    expect(totalChars).toBeGreaterThan(1_000_000);
    expect(normalizedChars).toBeGreaterThan(1_000_000);
  });

  it('the worst cases one by one: each folds and matches in linear work, without a long run of marks to sort', () => {
    const worst = [
      `a${'\u0316\u0301'.repeat(50_000)}`,
      `${'\u0301'.repeat(50_000)}${'\u0316'.repeat(50_000)}`,
      '\uff9e\uff9f'.repeat(50_000),
      '\ufdfa'.repeat(100_000),
      'a '.repeat(50_000),
      'a'.repeat(100_000),
      '"'.repeat(100_000),
    ];
    onTestFinished(watchNormalize());
    for (const text of worst) {
      for (const query of [Array.from({ length: 400 }, (_, i) => `a${i}`).join(' | '), `"${'a '.repeat(990)}b"`, 'a OR '.repeat(400), Array.from({ length: 60 }, (_, i) => 'a'.repeat(i + 1)).join(' OR ')]) {
        const q = parseQuery(query);
        const work: MatchWork = { chars: 0, steps: 0 };
        const folding = normalizing(() => matchesQuery(text, q, work));
        expect(folding.chars).toBeLessThanOrEqual(MATCH_TEXT_MAX);
        expect(folding.longMarkRuns).toBe(0);
        expect(work.chars).toBeLessThanOrEqual(2 * MATCH_TEXT_MAX + 1);
        expect(work.steps).toBeLessThanOrEqual(8 * work.chars + query.length);
      }
    }
  });

  it('reads the first MATCH_TEXT_MAX characters of a text', () => {
    const q = parseQuery('pakket');
    expect(matchesQuery(`${'x '.repeat((MATCH_TEXT_MAX - 10) / 2)}pakket`, q)).toBe(true);
    expect(matchesQuery(`${'x '.repeat(MATCH_TEXT_MAX / 2)}pakket`, q)).toBe(false);
  });

  it('folding answers as it did, stacked marks dropped before normalising or not', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...MARKS, ...ODD), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(foldText(text)).toBe(referenceFold(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('matching answers as it did, through direct lookups and through the one-pass scanner alike', () => {
    const word = fc.oneof(fc.constantFrom('a', 'aa', 'ab', 'b', 'ba', 'café', 'CAFE', 'x', 'ß', 'ss'), fc.string({ unit: fc.constantFrom('a', 'b', 'é'), minLength: 1, maxLength: 3 }));
    const text = fc.array(fc.oneof(word, fc.constantFrom(' ', '  ', ', ', '-', '"', '\u0301')), { maxLength: 30 }).map((a) => a.join(' '));
    const term = fc.oneof(word, fc.array(word, { minLength: 2, maxLength: 3 }).map((w) => `"${w.join(' ')}"`));
    const query = fc
      .array(fc.tuple(fc.constantFrom('', '-', 'OR ', '| '), term), { maxLength: 14 })
      .map((ts) => ts.map(([op, t]) => (op === '-' ? `-${t}` : `${op}${t}`)).join(' '));
    fc.assert(
      fc.property(text, query, (t, q) => {
        expect(matchesQuery(t, parseQuery(q))).toBe(referenceMatch(t, q));
      }),
      { numRuns: 5000 },
    );
  });
});
