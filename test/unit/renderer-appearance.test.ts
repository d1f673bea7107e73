import { describe, expect, it } from 'vitest';
import { isDensity, isThemeChoice, resolveTheme } from '../../renderer/src/settings/appearance';

describe('appearance', () => {
  it.each([
    ['system', true, 'dark'],
    ['system', false, 'light'],
    ['light', true, 'light'],
    ['dark', false, 'dark'],
  ] as const)('theme %s with the OS preferring dark=%s is %s', (choice, prefersDark, expected) => {
    expect(resolveTheme(choice, prefersDark)).toBe(expected);
  });

  it('only known stored values are taken', () => {
    expect([isThemeChoice('dark'), isThemeChoice('sepia'), isThemeChoice(1), isDensity('compact'), isDensity('cosy')]).toEqual([true, false, false, true, false]);
  });
});
