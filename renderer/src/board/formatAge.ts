/**
 * How long a message has waited, short and in the agent's language:
 * "45 min", "3 h", "2 d" (Intl unit formatting, so "3 u" and "2 d" in Dutch).
 */
const cache = new Map<string, Intl.NumberFormat>();

function unitFormat(lng: string, unit: 'minute' | 'hour' | 'day'): Intl.NumberFormat {
  const k = `${lng}:${unit}`;
  let f = cache.get(k);
  if (!f) cache.set(k, (f = new Intl.NumberFormat(lng, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 0 })));
  return f;
}

export function ageParts(ms: number): { value: number; unit: 'minute' | 'hour' | 'day' } {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 120) return { value: minutes, unit: 'minute' };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { value: hours, unit: 'hour' };
  return { value: Math.floor(hours / 24), unit: 'day' };
}

export function formatAge(ms: number, lng: string): string {
  const { value, unit } = ageParts(ms);
  return unitFormat(lng, unit).format(value);
}
