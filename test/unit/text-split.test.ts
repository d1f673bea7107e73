import { describe, expect, it } from 'vitest';
import { compose, blockReason } from '../../renderer/src/composer/compose';
import { countText } from '../../shared/textLength';
import { splitThread, type SplitOptions } from '../../shared/text/split';

const w = (s: string) => countText('x_mention', s).length;
const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unnumbered = (p: string) => p.replace(/ \d+\/\d+$/, '');

/** The parts of a split that must succeed. */
function split(text: string, opts?: SplitOptions): string[] {
  const r = splitThread(text, opts);
  if (!r.ok) throw new Error(`refused: ${r.refusal.reason}`);
  return r.parts;
}

describe('splitThread: an over-long X answer as a numbered thread', () => {
  it('leaves a text that fits alone, unnumbered', () => {
    expect(split('Hoi Els, we zoeken het uit.')).toEqual(['Hoi Els, we zoeken het uit.']);
    expect(split('a'.repeat(280))).toEqual(['a'.repeat(280)]);
    expect(split('   ')).toEqual([]);
  });

  it('numbers the parts and keeps each within 280 weighted characters', () => {
    const text = Array.from({ length: 120 }, (_, i) => `woord${i}`).join(' ');
    const parts = split(text);
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((p, i) => {
      expect(w(p)).toBeLessThanOrEqual(280);
      expect(p.endsWith(` ${i + 1}/${parts.length}`)).toBe(true);
    });
    // Nothing lost, words not cut.
    expect(parts.map(unnumbered).join(' ')).toBe(text);
  });

  it('never splits an emoji, a flag or a surrogate pair, even in one long "word"', () => {
    const text = '😀👍🏽🇳🇱👩‍👩‍👧'.repeat(60);
    const parts = split(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(w(p)).toBeLessThanOrEqual(280);
      expect(lone.test(p)).toBe(false);
    }
    expect(parts.map(unnumbered).join('')).toBe(text);
  });

  it('counts CJK as 2 and a link as 23, and never cuts a link', () => {
    const cjk = '漢字'.repeat(150);
    for (const p of split(cjk)) expect(w(p)).toBeLessThanOrEqual(280);
    const link = 'https://www.polderpost.nl/klantenservice/klachten/formulier?ref=webcare';
    const text = `${'Lees dit eerst. '.repeat(16)}${link} ${'En dan dit. '.repeat(10)}`;
    const parts = split(text);
    expect(parts.some((p) => p.includes(link))).toBe(true);
    for (const p of parts) expect(w(p)).toBeLessThanOrEqual(280);
  });

  it('keeps a link whole when it is glued to a CJK run longer than a part', () => {
    const link = 'https://www.polderpost.nl/zh/klantenservice/pakket-kwijt?ref=webcare';
    for (const [before, after] of [
      ['您好，关于您的包裹，我们非常抱歉给您带来不便。'.repeat(6) + '请查看', '，谢谢。'],
      ['お問い合わせありがとうございます。ご不便をおかけして申し訳ございません。'.repeat(4) + '詳しくはこちら', 'をご覧ください。'],
      ['请查看'.repeat(45), ''],
    ] as const) {
      const text = `${before}${link}${after}`;
      const parts = split(text);
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.filter((p) => p.includes(link))).toHaveLength(1);
      for (const p of parts) expect(w(p)).toBeLessThanOrEqual(280);
      expect(parts.map(unnumbered).join('')).toBe(text);
    }
    // The same for a link without a scheme, as twitter-text finds it.
    const bare = 'www.polderpost.nl/zh/track?id=3SPOST123';
    const parts = split(`${'请查看'.repeat(46)}${bare}`);
    expect(parts.filter((p) => p.includes(bare))).toHaveLength(1);
  });

  it('fills the part before a word that is longer than a part, instead of leaving it short', () => {
    const text = `Beste klant, ${'漢'.repeat(300)}`;
    const parts = split(text);
    expect(parts[0]?.startsWith('Beste klant, 漢')).toBe(true);
    // 13 for `Beste klant, `, 2 for each 漢, 4 for ` 1/3`: 131 of them fill the part to 279.
    expect(w(parts[0] ?? '')).toBe(279);
  });

  it('keeps a hashtag or mention whole where a long word must be cut', () => {
    const tag = '#PolderpostHelpt';
    // The cut falls right before the hashtag, not inside it.
    const parts = split(`${'a'.repeat(268)},${tag},${'b'.repeat(100)}`);
    expect(parts.filter((p) => p.includes(tag))).toHaveLength(1);
    const mention = '@polderpost';
    expect(split(`${'漢'.repeat(135)}${mention}${'字'.repeat(60)}`).filter((p) => p.includes(mention))).toHaveLength(1);
  });

  it('keeps a link with what precedes it where twitter-text would read it differently at the start of a post', () => {
    // At the very start of a post twitter-text links `ééwww.…` only from its second letter.
    const link = 'éénwww.polderpost.nl';
    const text = `${'a'.repeat(270)} ${link} ${'b'.repeat(50)}`;
    for (const p of split(text)) {
      const found = (p.match(/\S*www\.polderpost\.nl/) ?? [])[0];
      if (found) expect(found).toBe(link);
    }
  });

  it('refuses, with the link, when a link cannot fit in a part with its number', () => {
    const link = 'https://www.polderpost.nl/klachten';
    expect(splitThread(`Kijk hier ${link} voor meer.`, { limit: 25 })).toEqual({ ok: false, refusal: { reason: 'link', link } });
    // With a part of 27 it just fits beside ` 1/3`.
    const parts = split(`Kijk hier ${link} voor meer.`, { limit: 27 });
    expect(parts).toContain(`${link} 2/3`);
    // A link longer than X will link is refused too rather than cut into pieces.
    const long = `https://www.polderpost.nl/${'x'.repeat(5000)}`;
    expect(splitThread(`Zie ${long}`)).toMatchObject({ ok: false, refusal: { reason: 'link' } });
  });

  it('refuses a single cluster heavier than a part, and a text of more than 9,999 parts', () => {
    const zalgo = `e${'\u0301'.repeat(300)}`;
    expect(splitThread(`Hoi ${zalgo} daar`)).toEqual({ ok: false, refusal: { reason: 'unbreakable', text: zalgo } });
    expect(splitThread('ab '.repeat(30_000), { limit: 12 })).toEqual({ ok: false, refusal: { reason: 'tooManyParts' } });
  });

  it('widens the numbering when ten or more parts are needed', () => {
    const text = 'abcde '.repeat(600);
    const parts = split(text);
    expect(parts.length).toBeGreaterThanOrEqual(10);
    for (const p of parts) expect(w(p)).toBeLessThanOrEqual(280);
    expect(parts.at(-1)).toMatch(new RegExp(` ${parts.length}/${parts.length}$`));
  });
});

describe('compose: a refused split disables Send with its reason', () => {
  it('has no parts and blocks with splitRefused', () => {
    const composed = compose(`Hoi ${'e' + '\u0301'.repeat(300)}`, 'x_mention', '', true);
    expect(composed).toMatchObject({ threaded: true, parts: [], splitRefused: { reason: 'unbreakable' } });
    expect(blockReason({ hasTarget: true, status: null, account: undefined, composed, window: { kind: 'none' }, humanAgent: false, needsRecipient: false })).toBe('splitRefused');
    // A thread that can be made goes.
    const ok = compose('woord '.repeat(100), 'x_mention', '', true);
    expect(ok.parts.length).toBe(3);
    expect(blockReason({ hasTarget: true, status: null, account: undefined, composed: ok, window: { kind: 'none' }, humanAgent: false, needsRecipient: false })).toBeNull();
  });
});
