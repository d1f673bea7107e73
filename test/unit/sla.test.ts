import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, BusinessHoursSchema, countedMs, DEFAULT_TARGETS, slaState, TargetsSchema, wall, type BusinessHours } from '../../shared/sla';
import { columnTargetMin, parseRanges, parseSla } from '../../renderer/src/insight/slaSettings';

/** Amsterdam wall-clock time in winter (CET, UTC+1) as an instant. */
const cet = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+01:00`);
const MIN = 60_000;

const office = (extra: Partial<BusinessHours> = {}): BusinessHours =>
  BusinessHoursSchema.parse({
    timeZone: 'Europe/Amsterdam',
    week: [
      [{ start: '09:00', end: '17:00' }],
      [{ start: '09:00', end: '17:00' }],
      [{ start: '09:00', end: '17:00' }],
      [{ start: '09:00', end: '17:00' }],
      [{ start: '09:00', end: '17:00' }],
      [{ start: '10:00', end: '14:00' }],
      [],
    ],
    holidays: ['2026-12-25'],
    ...extra,
  });

// Every answer below is worked out by hand: December 2026, the 2nd is a Wednesday.
describe('counted time in business hours (Mon–Fri 9–17, Sat 10–14, Sunday closed, Christmas off)', () => {
  it.each<[string, number, number, number]>([
    ['within one day', cet('2026-12-02', '10:00'), cet('2026-12-02', '11:30'), 90],
    ['before opening counts from nine', cet('2026-12-02', '08:00'), cet('2026-12-02', '09:30'), 30],
    ['after closing counts nothing', cet('2026-12-02', '17:30'), cet('2026-12-02', '23:00'), 0],
    ['overnight: the evening and night are free', cet('2026-12-02', '16:00'), cet('2026-12-03', '10:00'), 120],
    ['Friday evening to Monday 9:30: Saturday 10–14 and half an hour', cet('2026-12-04', '18:00'), cet('2026-12-07', '09:30'), 270],
    ['Christmas Eve to the Monday after: Thursday 16–17, Saturday 10–14, Monday 9–10', cet('2026-12-24', '16:00'), cet('2026-12-28', '10:00'), 360],
    ['a Sunday alone counts nothing', cet('2026-12-06', '00:00'), cet('2026-12-07', '00:00'), 0],
    ['a week: 5 × 8 h and 4 h', cet('2026-11-30', '00:00'), cet('2026-12-07', '00:00'), 44 * 60],
  ])('%s', (_n, from, to, minutes) => expect(countedMs(from, to, office()) / MIN).toBe(minutes));

  it('nothing when the end is not after the start', () => {
    expect(countedMs(cet('2026-12-02', '11:00'), cet('2026-12-02', '10:00'), office())).toBe(0);
  });
});

describe('a range past midnight belongs to the day it starts (every day 8–17 and 22–02)', () => {
  const shifts = BusinessHoursSchema.parse({
    timeZone: 'Europe/Amsterdam',
    week: Array.from({ length: 7 }, () => [
      { start: '08:00', end: '17:00' },
      { start: '22:00', end: '02:00' },
    ]),
  });
  it.each<[string, number, number, number]>([
    ['Wednesday 21:00 to Thursday 03:00: the night shift, four hours', cet('2026-12-02', '21:00'), cet('2026-12-03', '03:00'), 240],
    ["Thursday 01:00 to 09:00: the end of Wednesday's night and Thursday's first hour", cet('2026-12-03', '01:00'), cet('2026-12-03', '09:00'), 120],
    ['a night shift on a holiday eve still runs: the holiday closes only its own day', cet('2026-12-24', '23:00'), cet('2026-12-25', '01:30'), 150],
  ])('%s', (_n, from, to, minutes) => expect(countedMs(from, to, shifts) / MIN).toBe(minutes));

  it('a holiday closes the ranges that start on it', () => {
    const h = { ...shifts, holidays: ['2026-12-25'] };
    // 24 Dec 23:00 → 25 Dec 10:00: the 24th's night shift (23–02), nothing on the 25th.
    expect(countedMs(cet('2026-12-24', '23:00'), cet('2026-12-25', '10:00'), h) / MIN).toBe(180);
  });
});

describe('time zones and clock changes', () => {
  it('the night the clocks go forward (29 March 2026) has one hour less: whole days count real time', () => {
    const allDay = BusinessHoursSchema.parse({ timeZone: 'Europe/Amsterdam', week: Array.from({ length: 7 }, () => [{ start: '00:00', end: '00:00' }]) });
    const from = Date.parse('2026-03-28T23:00:00+01:00');
    const to = Date.parse('2026-03-29T05:00:00+02:00');
    expect(countedMs(from, to, allDay) / MIN).toBe(300);
  });

  it('nine o\'clock is nine in the team\'s zone: in summer (CEST) 9:00 is 07:00 UTC', () => {
    const summer = Date.parse('2026-07-01T07:00:00Z'); // a Wednesday, 9:00 in Amsterdam
    expect(countedMs(summer - 60 * MIN, summer + 30 * MIN, office()) / MIN).toBe(30);
  });

  it('with no hours set, every minute counts', () => {
    expect(countedMs(0, 90 * MIN, ALWAYS_OPEN)).toBe(90 * MIN);
  });
});

describe('targets and states', () => {
  it('default targets: an hour, Messenger four', () => {
    expect(DEFAULT_TARGETS).toEqual({ x_mention: 60, x_search: 60, x_dm: 60, fb_comment: 60, fb_message: 240 });
    expect(TargetsSchema.safeParse({ x_dm: 0 }).success).toBe(false);
  });
  it.each<[number, number, string]>([
    [0, 60, 'ok'],
    [44, 60, 'ok'],
    [45, 60, 'soon'],
    [59, 60, 'soon'],
    [60, 60, 'late'],
    [300, 240, 'late'],
  ])('%i minutes against %i: %s', (minutes, target, state) => expect(slaState(minutes * MIN, target)).toBe(state));
});

describe('the settings around it', () => {
  it.each<[string, ReturnType<typeof parseRanges>]>([
    ['09:00-17:00', [{ start: '09:00', end: '17:00' }]],
    ['8:00 - 12:00, 13.00-17.30', [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:30' }]],
    ['22:00-02:00', [{ start: '22:00', end: '02:00' }]],
    ['', []],
    ['9-17', null],
    ['25:00-26:00', null],
    ['09:00-17:00, 18:00-19:00, 20:00-21:00, 22:00-23:00, 23:10-23:20', null],
  ])('"%s" reads as %j', (text, want) => expect(parseRanges(text)).toEqual(want));

  it('a column takes its own target, else the strictest of its channels', () => {
    const targets = { ...DEFAULT_TARGETS, x_dm: 30 };
    expect(columnTargetMin({ channels: ['fb_message'] }, undefined, targets)).toBe(240);
    expect(columnTargetMin({ channels: ['fb_message', 'x_dm'] }, undefined, targets)).toBe(30);
    expect(columnTargetMin({ channels: [] }, undefined, targets)).toBe(30);
    expect(columnTargetMin({ channels: ['x_dm'] }, 15, targets)).toBe(15);
  });

  it('the one response target of earlier versions stands for every channel until targets are saved', () => {
    expect(parseSla(undefined, undefined, 45).targets).toEqual({ x_mention: 45, x_search: 45, x_dm: 45, fb_comment: 45, fb_message: 45 });
    expect(parseSla(undefined, { x_dm: 20 }, 45).targets.x_dm).toBe(20);
    expect(parseSla(undefined, undefined, 'soon').targets).toEqual(DEFAULT_TARGETS);
    expect(parseSla({ week: 'nonsense' }, undefined).hours).toEqual(ALWAYS_OPEN);
  });
});

describe('wall-clock time from a kept offset', () => {
  // The offset is asked of Intl once per quarter hour of UTC; zones with half-hour
  // shifts (Lord Howe), quarter-hour offsets (Kathmandu, Chatham) and DST at other
  // local hours must still read exactly as Intl reads them.
  const zones = ['Europe/Amsterdam', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns', 'UTC'];
  const formats = new Map<string, Intl.DateTimeFormat>();
  const intl = (at: number, timeZone: string) => {
    let f = formats.get(timeZone);
    if (!f) formats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })));
    const p = Object.fromEntries(
      f
        .formatToParts(at)
        .filter((x) => x.type !== 'literal')
        .map((x) => [x.type, Number(x.value)]),
    );
    return { y: p.year, m: p.month, d: p.day, h: (p.hour ?? 0) % 24, mi: p.minute, s: p.second };
  };
  it.each(zones)('%s: 4,000 instants over two years, around every clock change', (zone) => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 4000; i++) {
      const at = Date.UTC(2025, 0, 1) + Math.floor(rnd() * 730 * 86_400_000);
      expect(wall(at, zone)).toEqual(intl(at, zone));
    }
    // Every five minutes of the days of change in 2026 (Amsterdam, New York, Lord Howe).
    for (const day of [Date.UTC(2026, 2, 29), Date.UTC(2026, 9, 25), Date.UTC(2026, 2, 8), Date.UTC(2026, 3, 5), Date.UTC(2026, 9, 4)]) {
      for (let at = day - 86_400_000; at < day + 86_400_000; at += 300_000) expect(wall(at, zone)).toEqual(intl(at, zone));
    }
  });
});
