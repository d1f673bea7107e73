import { readFile } from 'node:fs/promises';
import twitterText from 'twitter-text';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { countText, parseX } from '../../shared/textLength';

/**
 * The official twitter-text conformance suite (test/fixtures/twitter-text, Apache-2.0),
 * run the way its own harness maps sections to calls (SOURCE.txt). The length
 * sections go through the console's own counting (shared/textLength.ts).
 */
type Case = { description: string; text: string; expected: unknown };
const suite = parse(await readFile('test/fixtures/twitter-text/validate.yml', 'utf8')) as { tests: Record<string, Case[]> };
const tt = twitterText as unknown as {
  configs: Record<'version1' | 'version2' | 'version3', object>;
  isValidTweetText(text: string, config: object): boolean;
  isValidUsername(t: string): boolean;
  isValidList(t: string): boolean;
  isValidHashtag(t: string): boolean;
  isValidUrl(t: string, unicodeDomains?: boolean, requireProtocol?: boolean): boolean;
};

const sections: Record<string, (text: string) => unknown> = {
  tweets: (t) => tt.isValidTweetText(t, tt.configs.version1),
  usernames: (t) => tt.isValidUsername(t),
  lists: (t) => tt.isValidList(t),
  hashtags: (t) => tt.isValidHashtag(t),
  urls: (t) => tt.isValidUrl(t),
  urls_without_protocol: (t) => tt.isValidUrl(t, true, false),
  WeightedTweetsCounterTest: (t) => parseX(t, tt.configs.version2),
  WeightedTweetsWithDiscountedEmojiCounterTest: (t) => parseX(t, tt.configs.version3),
  UnicodeDirectionalMarkerCounterTest: (t) => parseX(t),
};

describe('twitter-text conformance (validate.yml)', () => {
  it('has every section the harness knows, and nothing unknown', () => {
    expect(Object.keys(suite.tests).sort()).toEqual(Object.keys(sections).sort());
  });
  for (const [section, cases] of Object.entries(suite.tests)) {
    describe(section, () => {
      it.each(cases.map((c) => [c.description, c] as const))('%s', (_d, c) => {
        const fn = sections[section];
        expect(fn, `no mapping for ${section}`).toBeDefined();
        expect(fn!(c.text)).toEqual(c.expected);
      });
    });
  }

  it('the composer count agrees with the suite for every weighted case', () => {
    for (const c of [...(suite.tests.WeightedTweetsWithDiscountedEmojiCounterTest ?? []), ...(suite.tests.UnicodeDirectionalMarkerCounterTest ?? [])]) {
      const expected = c.expected as { weightedLength: number; valid: boolean };
      const count = countText('x_mention', c.text);
      expect(count.length, c.description).toBe(expected.weightedLength);
      expect(count.valid, c.description).toBe(expected.valid && c.text.trim().length > 0);
    }
  });

  it.each([
    ['ZWJ family', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}', 2],
    ['newer ZWJ handshake (twemoji-parser 14)', '\u{1FAF1}\u{1F3FB}\u200D\u{1FAF2}\u{1F3FF}', 2],
    ['NFD equals NFC', 'cafe\u0301', 4],
    ['three long links count 23 each', 'https://www.polderpost.nl/a/b/c/d/e/f/g/h/i https://example.com/x https://t.co/abc', 23 * 3 + 2],
    ['CJK counts 2', '日本語', 6],
  ])('%s', (_d, text, expected) => {
    expect(countText('x_mention', text).length).toBe(expected);
  });

  it('280 is the boundary: an emoji on 279 goes over', () => {
    expect(countText('x_mention', 'a'.repeat(280))).toMatchObject({ length: 280, remaining: 0, valid: true });
    expect(countText('x_mention', 'a'.repeat(279) + '\u{1F600}')).toMatchObject({ length: 281, remaining: -1, valid: false });
  });
});
