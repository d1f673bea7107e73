import { describe, expect, it } from 'vitest';
import { hasBidiControls, stripBidiControls } from '../../shared/text/bidi';
import { hueOf, initialsOf } from '../../shared/text/initials';
import { previewText } from '../../shared/text/preview';
import { relativeTime } from '../../shared/text/relativeTime';

const NOW = Date.UTC(2026, 2, 2, 9, 0, 0);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('relativeTime (fixed now)', () => {
  it.each([
    [0, { value: 0, unit: 'second' }],
    [-5 * S, { value: 0, unit: 'second' }],
    [44 * S, { value: 0, unit: 'second' }],
    [50 * S, { value: -1, unit: 'minute' }],
    [5 * M, { value: -5, unit: 'minute' }],
    [44 * M, { value: -44, unit: 'minute' }],
    [50 * M, { value: -1, unit: 'hour' }],
    [21 * H, { value: -21, unit: 'hour' }],
    [23 * H, { value: -1, unit: 'day' }],
    [6 * D, { value: -6, unit: 'day' }],
    [8 * D, null],
  ])('%d ms ago', (ago, expected) => {
    expect(relativeTime(NOW - ago, NOW)).toEqual(expected);
  });
});

describe('initialsOf', () => {
  it.each([
    ['Els de Vries', '', 'EV'],
    ['Polderpost', '', 'P'],
    ['', 'elsdv', 'E'],
    ['', '', '?'],
    ['   ', '', '?'],
    ['Klantenservice\u202Emoc.mlk', '', 'KM'],
    ['\u200B\u2066\u2069', 'x', 'X'],
    ['Émile Zola', '', 'ÉZ'],
    ['👋 Jan', '', '👋J'],
    ['Z' + '\u0336\u0335\u0489'.repeat(300), '', 'Z\u0336\u0335'],
    ['<img src=x onerror=alert(1)>', '', 'I1'],
    ['\u0301\u0301', '', '?'],
  ])('%j / %j → %j', (name, handle, expected) => {
    expect(initialsOf(name, handle)).toBe(expected);
  });
});

describe('hueOf', () => {
  it('is stable and in range', () => {
    expect(hueOf('1234567890123456789')).toBe(hueOf('1234567890123456789'));
    for (const id of ['', 'a', '104234_578123', 'x'.repeat(1000)]) {
      const h = hueOf(id);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(360);
    }
    expect(new Set(['a', 'b', 'c', 'd', 'e'].map(hueOf)).size).toBeGreaterThan(1);
  });
});

describe('previewText', () => {
  it('leaves short text alone and never splits a surrogate pair', () => {
    expect(previewText('kort', 10)).toBe('kort');
    expect(previewText('abc😀def', 4)).toBe('abc…');
    expect(previewText('abc😀def', 5)).toBe('abc😀…');
  });
});

describe('bidi controls in names', () => {
  it.each([
    ['Klantenservice\u202Emoc.mlk', true, 'Klantenservicemoc.mlk'],
    ['\u2066Polderpost\u2069', true, 'Polderpost'],
    ['\u202Aa\u202Bb\u202Cc\u202Dd', true, 'abcd'],
    ['محمد\u200F', false, 'محمد\u200F'],
    ['Els de Vries', false, 'Els de Vries'],
  ])('%j', (name, flagged, shown) => {
    expect(hasBidiControls(name)).toBe(flagged);
    expect(stripBidiControls(name)).toBe(shown);
  });
});

describe('fold on hostile input', () => {
  it('stacked combining marks fold in linear time and to the same result', async () => {
    const { fold } = await import('../../shared/text/fold');
    expect(fold('Café Straße ÅNGSTRÖM')).toBe('cafe strasse angstrom');
    const zalgo = 'a' + '\u0301\u0302\u0303\u0308'.repeat(25_000);
    const t = performance.now();
    expect(fold(zalgo)).toBe('a');
    // Quadratic normalising took seconds here; linear takes a few milliseconds.
    expect(performance.now() - t).toBeLessThan(500);
  });
});
