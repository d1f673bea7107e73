import { describe, expect, it } from 'vitest';
import { mayOverflow } from '../../renderer/src/board/Card';

// Whether a card text gets the fade mask: never missing on a text that may reach five lines
// at the column's width (here 22 characters a line, the narrowest), left off the short ones.
describe('mayOverflow', () => {
  it.each<[string, string, boolean]>([
    ['a short question', 'Waar blijft mijn pakket?', false],
    ['four lines of Latin text at the narrowest column', 'a'.repeat(22 * 4), false],
    ['five lines of it', 'a'.repeat(22 * 4 + 1), true],
    ['four short lines', 'een\ntwee\ndrie\nvier', false],
    ['five short lines', 'een\ntwee\ndrie\nvier\nvijf', true],
    ['wide characters count double', '包裹'.repeat(23), true],
    ['as many Latin ones do not', 'ab'.repeat(23), false],
    ['a line that wraps, then short lines', `${'b'.repeat(50)}\nc\nd\ne`, true],
    ['zalgo: every combining mark counts', `h${'\u0301'.repeat(120)}i`, true],
  ])('%s', (_name, text, expected) => {
    expect(mayOverflow(text, 22)).toBe(expected);
  });

  it('a wider column holds more before the fade', () => {
    const text = 'a'.repeat(120);
    expect(mayOverflow(text, 22)).toBe(true);
    expect(mayOverflow(text, 33)).toBe(false);
  });
});
