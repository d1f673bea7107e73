import type { MessagePriority } from '../../../shared/priority.js';
import { stripBidiControls } from '../../../shared/text/bidi.js';
import { useCardInsightT } from '../i18n/insight';
import './insight.css';

/** A high-priority card's mark, with why in its title ("VIP, negative, says 'opzeggen'"). */
export function PriorityMark({ priority }: { priority: MessagePriority }) {
  const t = useCardInsightT();
  if (priority.level !== 'high') return null;
  const why = priority.reasons.map((r) => (r === 'urgent' && priority.word ? t('priority.reason.urgentWord', { word: stripBidiControls(priority.word) }) : t(`priority.reason.${r}`))).join(', ');
  const title = t('priority.why', { reasons: why });
  return (
    <span className="priority-mark" data-testid="card-priority" data-level={priority.level} data-reasons={priority.reasons.join(' ')} title={title} aria-label={title} role="img">
      {t('priority.high')}
    </span>
  );
}
