import { relativeTime } from '../../../shared/text/relativeTime.js';

/**
 * Dates and numbers in the agent's language. Intl formatters are costly to
 * build and a board renders hundreds of cards, so each is built once per
 * language and kept.
 */
const cache = new Map<string, Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

export function formatNumber(n: number, lng: string): string {
  return cached(`n:${lng}`, () => new Intl.NumberFormat(lng)).format(n);
}

/** "5 min. geleden", "yesterday"; a date once it is more than a week old. */
export function formatRelative(at: number, now: number, lng: string): string {
  const rel = relativeTime(at, now);
  if (!rel) {
    const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
    return cached(`d:${lng}:${sameYear}`, () =>
      new Intl.DateTimeFormat(lng, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' }),
    ).format(at);
  }
  return cached(`r:${lng}`, () => new Intl.RelativeTimeFormat(lng, { numeric: 'auto', style: 'short' })).format(rel.value, rel.unit);
}

/** The full date and time, for a title and for screen readers. */
export function formatAbsolute(at: number, lng: string): string {
  return cached(`a:${lng}`, () => new Intl.DateTimeFormat(lng, { dateStyle: 'full', timeStyle: 'short' })).format(at);
}

/** A time of day today, or a date and time otherwise (a rate-limit reset). */
export function formatMoment(at: number, now: number, lng: string): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return cached(`m:${lng}:${sameDay}`, () =>
    new Intl.DateTimeFormat(lng, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(at);
}
