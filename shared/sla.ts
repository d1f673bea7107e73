import { z } from 'zod';

/**
 * Response targets. A team answers within a target per channel (X in an hour,
 * Messenger in four), and only its business hours count: a message that comes
 * in on Friday evening and is answered on Monday at 9:30 waited half an hour
 * if the team opens at 9. Hours are wall-clock times in the team's time zone
 * (so they follow daylight saving), a day may have several ranges, a range may
 * run past midnight (22:00–02:00 belongs to the day it starts), and a holiday
 * closes the day it names. With no hours set, every minute counts.
 */
const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
export const HoursRangeSchema = z.object({ start: Clock, end: Clock });
export type HoursRange = z.infer<typeof HoursRangeSchema>;

export const BusinessHoursSchema = z.object({
  /** IANA time zone of the hours and holidays. */
  timeZone: z.string().min(1).max(64).default('Europe/Amsterdam'),
  /** Monday first; an empty day is closed. Absent: open around the clock. */
  week: z.array(z.array(HoursRangeSchema).max(4)).length(7).optional(),
  /** Closed days, as YYYY-MM-DD in the time zone. */
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(200).default([]),
});
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;
export const ALWAYS_OPEN: BusinessHours = BusinessHoursSchema.parse({});

/** Targets in minutes per channel; a column may set its own. */
export const TargetsSchema = z.object({
  x_mention: z.number().int().min(1).max(10_080).default(60),
  x_search: z.number().int().min(1).max(10_080).default(60),
  x_dm: z.number().int().min(1).max(10_080).default(60),
  fb_comment: z.number().int().min(1).max(10_080).default(60),
  fb_message: z.number().int().min(1).max(10_080).default(240),
});
export type Targets = z.infer<typeof TargetsSchema>;
export const DEFAULT_TARGETS: Targets = TargetsSchema.parse({});

const DAY = 86_400_000;
const partsCache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsCache.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields at an instant in a time zone, asked of Intl (slow: a few microseconds). */
function wallOfIntl(at: number, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour! % 24, mi: p.minute!, s: p.second! };
}

/**
 * A zone's offset is the same within each quarter hour of UTC: offsets are whole
 * quarters, and clocks change at a whole or half hour of local time. So the
 * offset is asked of Intl once per quarter hour and kept: reports count
 * business hours for a hundred thousand conversations.
 */
const QUARTER = 900_000;
const offsets = new Map<string, Map<number, number>>();

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
export function offsetAt(at: number, timeZone: string): number {
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  const q = Math.floor(at / QUARTER);
  let off = zone.get(q);
  if (off === undefined) {
    const start = q * QUARTER;
    const w = wallOfIntl(start, timeZone);
    off = Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - start;
    if (zone.size > 100_000) zone.clear();
    zone.set(q, off);
  }
  return off;
}

/** The wall-clock date and time at an instant in a time zone. */
export function wall(at: number, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const d = new Date(at + offsetAt(at, timeZone));
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds() };
}

/** The instant a wall-clock time of a local date happens (a time skipped by a clock change: just after it). */
export function instantOf(y: number, m: number, d: number, minutes: number, timeZone: string): number {
  const guess = Date.UTC(y, m - 1, d) + minutes * 60_000;
  let at = guess - offsetAt(guess, timeZone);
  const again = guess - offsetAt(at, timeZone);
  if (again !== at) at = Math.max(at, again);
  return at;
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * The milliseconds between two instants that fall in business hours. Every
 * local day from the one before `from` (a range past midnight may reach into
 * it) to the one of `to` adds the overlap of each of its ranges.
 */
export function countedMs(from: number, to: number, hours: BusinessHours): number {
  if (!(to > from)) return 0;
  if (!hours.week) return to - from;
  const holidays = new Set(hours.holidays);
  const first = wall(from - DAY, hours.timeZone);
  let total = 0;
  // Local dates walked by calendar (a UTC date carries them; DST never moves a date).
  let date = Date.UTC(first.y, first.m - 1, first.d);
  const last = wall(to, hours.timeZone);
  const end = Date.UTC(last.y, last.m - 1, last.d);
  for (let guard = 0; date <= end && guard < 3700; date += DAY, guard++) {
    const day = new Date(date);
    const y = day.getUTCFullYear();
    const m = day.getUTCMonth() + 1;
    const d = day.getUTCDate();
    const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (holidays.has(iso)) continue;
    const weekday = (day.getUTCDay() + 6) % 7; // Monday 0
    for (const r of hours.week[weekday] ?? []) {
      const s = minutesOf(r.start);
      let e = minutesOf(r.end);
      if (e <= s) e += 24 * 60; // past midnight, or the whole day when start = end
      const a = Math.max(from, instantOf(y, m, d, s, hours.timeZone));
      const b = Math.min(to, instantOf(y, m, d, e, hours.timeZone));
      if (b > a) total += b - a;
    }
  }
  return total;
}

export type SlaState = 'ok' | 'soon' | 'late';
/** Past this share of the target a wait shows orange. */
export const SOON_SHARE = 0.75;

export function slaState(counted: number, targetMin: number): SlaState {
  const target = targetMin * 60_000;
  if (counted >= target) return 'late';
  return counted >= target * SOON_SHARE ? 'soon' : 'ok';
}
