import { describe, expect, it } from 'vitest';
import { countText } from '../../shared/textLength';
import { splitThread } from '../../shared/text/split';

const w = (s: string) => countText('x_mention', s).length;
const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('splitThread: an over-long X answer as a numbered thread', () => {
  it('leaves a text that fits alone, unnumbered', () => {
    expect(splitThread('Hoi Els, we zoeken het uit.')).toEqual(['Hoi Els, we zoeken het uit.']);
    expect(splitThread('a'.repeat(280))).toEqual(['a'.repeat(280)]);
    expect(splitThread('   ')).toEqual([]);
  });

  it('numbers the parts and keeps each within 280 weighted characters', () => {
    const text = Array.from({ length: 120 }, (_, i) => `woord${i}`).join(' ');
    const parts = splitThread(text);
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((p, i) => {
      expect(w(p)).toBeLessThanOrEqual(280);
      expect(p.endsWith(` ${i + 1}/${parts.length}`)).toBe(true);
    });
    // Nothing lost, words not cut.
    const back = parts.map((p) => p.replace(/ \d+\/\d+$/, '')).join(' ');
    expect(back).toBe(text);
  });

  it('never splits an emoji, a flag or a surrogate pair, even in one long "word"', () => {
    const text = '😀👍🏽🇳🇱👩‍👩‍👧'.repeat(60);
    const parts = splitThread(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(w(p)).toBeLessThanOrEqual(280);
      expect(lone.test(p)).toBe(false);
    }
    expect(parts.map((p) => p.replace(/ \d+\/\d+$/, '')).join('')).toBe(text);
  });

  it('counts CJK as 2 and a link as 23, and never cuts a link', () => {
    const cjk = '漢字'.repeat(150);
    for (const p of splitThread(cjk)) expect(w(p)).toBeLessThanOrEqual(280);
    const link = 'https://www.polderpost.nl/klantenservice/klachten/formulier?ref=webcare';
    const text = `${'Lees dit eerst. '.repeat(16)}${link} ${'En dan dit. '.repeat(10)}`;
    const parts = splitThread(text);
    expect(parts.some((p) => p.includes(link))).toBe(true);
    for (const p of parts) expect(w(p)).toBeLessThanOrEqual(280);
  });

  it('widens the numbering when ten or more parts are needed', () => {
    const text = 'abcde '.repeat(600);
    const parts = splitThread(text);
    expect(parts.length).toBeGreaterThanOrEqual(10);
    for (const p of parts) expect(w(p)).toBeLessThanOrEqual(280);
    expect(parts.at(-1)).toMatch(new RegExp(` ${parts.length}/${parts.length}$`));
  });
});
