import { describe, expect, it } from 'vitest';
import { formatRelativeSpan, formatUsd, totalCost } from '../../renderer/src/health/healthFormat';
import { readCostUsd } from '../../shared/pricing';

describe('connector health formatting', () => {
  it('relative spans in both directions and both languages', () => {
    const now = Date.UTC(2026, 10, 29, 12);
    expect(formatRelativeSpan(now + 40_000, now, 'en')).toBe('in 40 sec.');
    expect(formatRelativeSpan(now - 3 * 60_000, now, 'en')).toBe('3 min. ago');
    expect(formatRelativeSpan(now + 2 * 3_600_000, now, 'nl')).toBe('over 2 uur');
  });

  it('costs: a search result costs five times an owned read; totals keep tenths of a cent', () => {
    expect(readCostUsd('x_search', 3)).toBe(0.015);
    expect(readCostUsd('x_mentions', 3)).toBe(0.003);
    expect(readCostUsd('fb_visitor_posts', 100)).toBe(0);
    expect(totalCost([0.015, 0.003, 0.19])).toBe(0.208);
    // Money in whole cents; under a cent says so instead of rounding to $0.01 or $0.00.
    expect(formatUsd(0.005, 'en')).toBe('< $0.01');
    expect(formatUsd(0.208, 'nl')).toMatch(/^(US)?\$\s0,21$/);
    expect(formatUsd(0, 'en')).toBe('$0.00');
    expect(formatUsd(5, 'nl')).toMatch(/^(US)?\$\s5,00$/);
  });
});
