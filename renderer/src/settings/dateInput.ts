/**
 * Dates typed and shown in the console's language. A native `<input type="date">`
 * follows the browser's own locale, not the console's, so a Dutch console in
 * an English browser shows `mm/dd/yyyy`. These fields are plain text instead,
 * in the order and with the separator of the console's language (`03-12-2026`
 * in Dutch), and keep their value as ISO `YYYY-MM-DD` like the native input.
 */
export type DatePart = 'day' | 'month' | 'year';

export interface DatePattern {
  order: [DatePart, DatePart, DatePart];
  separator: string;
}

const patterns = new Map<string, DatePattern>();

/** The order of day, month and year and the separator in this language's numeric date. */
export function datePattern(lng: string): DatePattern {
  let p = patterns.get(lng);
  if (p) return p;
  const parts = new Intl.DateTimeFormat(lng, { day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(Date.UTC(2026, 11, 31, 12));
  const order = parts.filter((x): x is Intl.DateTimeFormatPart & { type: DatePart } => x.type === 'day' || x.type === 'month' || x.type === 'year').map((x) => x.type);
  const separator = parts.find((x) => x.type === 'literal')?.value ?? '-';
  p = { order: order.length === 3 ? (order as DatePattern['order']) : ['day', 'month', 'year'], separator };
  patterns.set(lng, p);
  return p;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-12-03` as the language writes it (`03-12-2026`, `12/03/2026`); empty stays empty. */
export function formatIsoDate(iso: string, lng: string): string {
  const m = ISO.exec(iso);
  if (!m) return '';
  const value: Record<DatePart, string> = { year: m[1] as string, month: m[2] as string, day: m[3] as string };
  const { order, separator } = datePattern(lng);
  return order.map((k) => value[k]).join(separator);
}

function validIso(y: number, mo: number, d: number): string | null {
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > days) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * What was typed, read in the language's order: `3-12-2026`, `03.12.26`,
 * `3/12/2026` in Dutch are all 3 December 2026; an ISO date is always read as
 * such. Answers the ISO date, `''` for an empty field, or null when it is no date.
 */
export function parseLocalDate(text: string, lng: string): string | null {
  const s = text.trim();
  if (s === '') return '';
  const iso = ISO.exec(s);
  if (iso) return validIso(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const nums = s.split(/[\s./-]+/).filter(Boolean);
  if (nums.length !== 3 || !nums.every((n) => /^\d{1,4}$/.test(n))) return null;
  const { order } = datePattern(lng);
  const value = {} as Record<DatePart, number>;
  order.forEach((k, i) => {
    value[k] = Number(nums[i]);
  });
  const yearText = nums[order.indexOf('year')] as string;
  if (yearText.length === 2) value.year += 2000;
  else if (yearText.length !== 4) return null;
  return validIso(value.year, value.month, value.day);
}

/** `dd-mm-jjjj`: the pattern to show as a placeholder, with the language's own letters for the parts. */
export function datePlaceholder(lng: string, letters: Record<DatePart, string>): string {
  const { order, separator } = datePattern(lng);
  return order.map((k) => letters[k]).join(separator);
}
