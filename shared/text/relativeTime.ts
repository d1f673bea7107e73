/**
 * Which unit a "5 min ago" label uses, decided without the clock (`now` is an
 * argument) so it is table-testable. Older than a week, a card shows the date
 * instead: `null`. A time slightly in the future (another machine's clock)
 * reads as "now" rather than "in 3 seconds".
 */
export type RelativeUnit = 'second' | 'minute' | 'hour' | 'day';
export interface RelativeTime {
  value: number;
  unit: RelativeUnit;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(at: number, now: number): RelativeTime | null {
  const ago = now - at;
  if (ago < 45 * SECOND) return { value: 0, unit: 'second' };
  if (ago < 45 * MINUTE) return { value: -Math.max(1, Math.round(ago / MINUTE)), unit: 'minute' };
  if (ago < 22 * HOUR) return { value: -Math.round(ago / HOUR), unit: 'hour' };
  if (ago < 7 * DAY) return { value: -Math.max(1, Math.round(ago / DAY)), unit: 'day' };
  return null;
}
