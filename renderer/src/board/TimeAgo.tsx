import { formatAbsolute, formatRelative } from '../i18n/format';
import { useLang } from '../i18n/useLang';
import { useNow } from '../useNow';

/** The range a Date can hold; a hostile or broken timestamp outside it shows no time rather than throwing. */
const MAX_DATE_MS = 8.64e15;

/** "5 min ago" in the agent's language, with the full date and time as its title. */
export function TimeAgo({ at, className }: { at: number; className?: string }) {
  const { lng } = useLang();
  const now = useNow();
  if (!Number.isFinite(at) || Math.abs(at) > MAX_DATE_MS) return null;
  return (
    <time className={className} dateTime={new Date(at).toISOString()} title={formatAbsolute(at, lng)}>
      {formatRelative(at, now, lng)}
    </time>
  );
}
