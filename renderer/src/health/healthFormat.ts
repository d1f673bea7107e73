import type { Gap, StreamKind } from '../../../shared/model.js';

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

/**
 * US dollars in whole cents, as people read money ("$0.21", not "$0.208"); an
 * amount above zero but under a cent (one search result, $0.005) reads "< $0.01"
 * rather than a misleading $0.01 or $0.00.
 */
export function formatUsd(amount: number, lng: string): string {
  const f = usdFormat(lng);
  if (amount > 0 && amount < 0.01) return `< ${f.format(0.01)}`;
  return f.format(amount);
}

const usdFormats = new Map<string, Intl.NumberFormat>();
function usdFormat(lng: string): Intl.NumberFormat {
  let f = usdFormats.get(lng);
  if (!f) usdFormats.set(lng, (f = new Intl.NumberFormat(lng, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 })));
  return f;
}

/** The sum of the day's estimated costs, rounded to a hundredth of a cent. */
export function totalCost(costs: readonly number[]): number {
  return Math.round(costs.reduce((a, b) => a + b, 0) * 10_000) / 10_000;
}

function sameDay(a: number, b: number): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function timeFormat(lng: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${lng}:${withDate}`;
  let f = timeFormats.get(key);
  if (!f) timeFormats.set(key, (f = new Intl.DateTimeFormat(lng, withDate ? { dateStyle: 'medium', timeStyle: 'short' } : { timeStyle: 'short' })));
  return f;
}

/**
 * The two ends of a gap, in the agent's language: times of day when all of it
 * lies today; otherwise the start with its date, and the end with its date too
 * unless it falls on the start's day ("2 Dec 2026, 23:50" and "00:10" would
 * read as one day).
 */
export function formatGapRange(from: number | undefined, to: number, now: number, lng: string): { from?: string; to: string } {
  if ((from === undefined || sameDay(from, now)) && sameDay(to, now)) {
    const f = timeFormat(lng, false);
    return from === undefined ? { to: f.format(to) } : { from: f.format(from), to: f.format(to) };
  }
  if (from === undefined) return { to: timeFormat(lng, true).format(to) };
  return { from: timeFormat(lng, true).format(from), to: timeFormat(lng, !sameDay(from, to)).format(to) };
}

export type GapLineKey = 'gaps.health.filling' | 'gaps.health.fillingBefore' | 'gaps.health.unreachable' | 'gaps.health.unreachableBefore';
export type GapReasonKey =
  | 'gaps.health.reason.budget'
  | 'gaps.health.reason.rateLimit'
  | 'gaps.health.reason.rateLimitAt'
  | 'gaps.health.reason.windowDms'
  | 'gaps.health.reason.windowMentions'
  | 'gaps.health.reason.windowSearch'
  | 'gaps.health.reason.window'
  | 'gaps.health.reason.cursor';

/** The sentences for one gap of a stream: what is missing, and why. */
export function gapWording(
  kind: StreamKind,
  gap: Pick<Gap, 'from' | 'state' | 'reason'>,
  resetAt: number | undefined,
  now: number,
): { line: GapLineKey; reason: GapReasonKey } {
  const line: GapLineKey = `gaps.health.${gap.state}${gap.from === undefined ? 'Before' : ''}`;
  switch (gap.reason) {
    case 'budget':
      return { line, reason: 'gaps.health.reason.budget' };
    case 'rateLimit':
      return { line, reason: resetAt !== undefined && resetAt > now ? 'gaps.health.reason.rateLimitAt' : 'gaps.health.reason.rateLimit' };
    case 'cursor':
      return { line, reason: 'gaps.health.reason.cursor' };
    case 'window':
      return {
        line,
        reason:
          kind === 'x_dms'
            ? 'gaps.health.reason.windowDms'
            : kind === 'x_mentions'
              ? 'gaps.health.reason.windowMentions'
              : kind === 'x_search'
                ? 'gaps.health.reason.windowSearch'
                : 'gaps.health.reason.window',
      };
  }
}
