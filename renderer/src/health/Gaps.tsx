import { useTranslation } from 'react-i18next';
import { platformOf, type StreamStatus } from '../../../shared/model.js';
import { formatNumber } from '../i18n/format';
import { STREAM_CHANNEL } from '../board/gaps';
import { formatGapRange, gapWording } from './healthFormat';

/**
 * A stream's gaps, one line each: which stretch the host could not read, whether
 * it is still being fetched or the platform no longer serves it, and why.
 * Nothing when the stream has none.
 */
export function Gaps({ stream, now }: { stream: Pick<StreamStatus, 'kind' | 'gaps' | 'rate'>; now: number }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  if (!stream.gaps || stream.gaps.length === 0) return null;
  const platform = t(`platform.${platformOf(STREAM_CHANNEL[stream.kind])}`);
  const resetAt = stream.rate?.resetAt;
  return (
    <ul className="health-gaps" data-testid="health-gaps">
      {stream.gaps.map((gap, i) => {
        const { line, reason } = gapWording(stream.kind, gap, resetAt, now);
        const range = formatGapRange(gap.from, gap.to, now, lng);
        const upTo = gap.estimate !== undefined ? t('gaps.health.upTo', { n: formatNumber(gap.estimate, lng) }) : '';
        return (
          <li key={`${i}:${gap.to}`} className={`health-gap health-gap--${gap.state}`} data-testid="health-gap" data-state={gap.state} data-reason={gap.reason}>
            {t(line, { from: range.from ?? '', to: range.to, upTo })} {t(reason, { platform, time: resetAt !== undefined ? formatGapRange(undefined, resetAt, now, lng).to : '' })}
          </li>
        );
      })}
    </ul>
  );
}
