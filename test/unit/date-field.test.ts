import { describe, expect, it } from 'vitest';
import { datePattern, datePlaceholder, formatIsoDate, parseLocalDate } from '../../renderer/src/settings/dateInput';

describe('date fields in the console language', () => {
  it('Dutch is day-month-year with dashes; English month/day/year', () => {
    expect(datePattern('nl')).toEqual({ order: ['day', 'month', 'year'], separator: '-' });
    expect(datePattern('en')).toEqual({ order: ['month', 'day', 'year'], separator: '/' });
    expect(datePlaceholder('nl', { day: 'dd', month: 'mm', year: 'jjjj' })).toBe('dd-mm-jjjj');
    expect(formatIsoDate('2026-12-03', 'nl')).toBe('03-12-2026');
    expect(formatIsoDate('2026-12-03', 'en')).toBe('12/03/2026');
    expect(formatIsoDate('', 'nl')).toBe('');
  });

  it.each<[string, string, string | null]>([
    ['3-12-2026', 'nl', '2026-12-03'],
    ['03.12.2026', 'nl', '2026-12-03'],
    ['3/12/26', 'nl', '2026-12-03'],
    ['3 12 2026', 'nl', '2026-12-03'],
    ['12/3/2026', 'en', '2026-12-03'],
    ['2026-12-03', 'nl', '2026-12-03'],
    ['2026-12-03', 'en', '2026-12-03'],
    ['31-02-2026', 'nl', null],
    ['29-02-2028', 'nl', '2028-02-29'],
    ['13/13/2026', 'en', null],
    ['morgen', 'nl', null],
    ['1-2-3-4', 'nl', null],
    ['1-2-202', 'nl', null],
    ['', 'nl', ''],
    ['   ', 'en', ''],
  ])('%j in %s → %j', (text, lng, want) => {
    expect(parseLocalDate(text, lng)).toBe(want);
  });
});
