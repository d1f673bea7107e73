import { Clock } from 'lucide-react';
import { slaState } from '../../../shared/sla.js';
import { responseClock, type Measure } from '../../../shared/workflowState.js';
import { useCardInsightT } from '../i18n/insight';
import { formatAge } from '../board/formatAge';
import { useLang } from '../i18n/useLang';
import { useNow } from '../useNow';
import { useWorkflowSelect } from '../workflow/store';

/**
 * A waiting card's clock against its column's response target: green, orange
 * from three quarters of it, red past it. Counted as the header counts: in
 * business hours, less the time a specialist was asked.
 */
export function SlaClock({ since, conversationKey, targetMin, measure }: { since: number; conversationKey: string; targetMin: number; measure: Measure }) {
  const t = useCardInsightT();
  const { lng } = useLang();
  const now = useNow();
  const state = useWorkflowSelect((v) => v.state);
  const counted = responseClock(state, conversationKey, since, now, measure).counted;
  const sla = slaState(counted, targetMin);
  const title = t(`sla.card.${sla}`, { age: formatAge(counted, lng), target: targetMin });
  return (
    <span className={`sla-clock sla-clock--${sla}`} data-testid="card-sla" data-sla={sla} title={title} aria-label={title} role="img">
      <Clock size={12} aria-hidden="true" />
    </span>
  );
}
