/**
 * Pure formatting for the connector health view (no React), in the agent's language.
 */

/** "in 40 s", "3 min ago": the nearest whole unit, seconds to days. */
export function formatRelativeSpan(at: number, now: number, lng: string): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(lng, { numeric: 'auto', style: 'short' });
  if (abs < 60_000) return rtf.format(Math.round(diff / 1000), 'second');
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute');
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), 'hour');
  return rtf.format(Math.round(diff / 86_400_000), 'day');
}

/** US dollars with enough digits for tenths of a cent ($0.005 a search result). */
export function formatUsd(amount: number, lng: string): string {
  return new Intl.NumberFormat(lng, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(amount);
}

/** The sum of the day's estimated costs, rounded to a hundredth of a cent. */
export function totalCost(costs: readonly number[]): number {
  return Math.round(costs.reduce((a, b) => a + b, 0) * 10_000) / 10_000;
}
