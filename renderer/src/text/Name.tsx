import { hasBidiControls, stripBidiControls } from '../../../shared/text/bidi.js';
import { previewText } from '../../../shared/text/preview.js';
import { useLang } from '../i18n/useLang';

/**
 * A display name or handle from a stranger: isolated in <bdi> so it cannot
 * reorder what stands next to it, without the direction controls that would
 * reorder the name itself, and flagged when it had any.
 */
export function Name({ text, className, max = 200 }: { text: string; className?: string; max?: number }) {
  const { t } = useLang();
  const flagged = hasBidiControls(text);
  return (
    <>
      <bdi className={className}>{previewText(stripBidiControls(text), max)}</bdi>
      {flagged && (
        <span className="bidi-flag" role="img" aria-label={t('card.bidiName')} title={t('card.bidiName')}>
          ⚠
        </span>
      )}
    </>
  );
}
