import { useWfT } from '../../i18n/wf';
import type { Priority } from '../../../../shared/workflow.js';
import { stripBidiControls } from '../../../../shared/text/bidi.js';
import { useWorkflowSelect } from '../store';
import '../../team/team.css';
import './routing.css';

const PRIORITIES: readonly string[] = ['high', 'normal', 'low'];
const SEP = '\u0000';

/**
 * A card's priority set by a routing rule, with why (the rule's name) in its
 * title. Cheap on every card: one string from the workflow view, so the card
 * renders again only when its own routing changes.
 */
export function PriorityBadge({ messageKey }: { messageKey: string }) {
  const routed = useWorkflowSelect((v) => {
    const r = v.state.routed.get(messageKey);
    return r?.priority ? `${r.priority}${SEP}${r.ruleName}` : '';
  });
  if (!routed) return null;
  const at = routed.indexOf(SEP);
  return <PriorityBadgeView priority={routed.slice(0, at)} rule={routed.slice(at + 1)} />;
}

export function PriorityBadgeView({ priority, rule }: { priority: string; rule: string }) {
  const t = useWfT();
  if (!PRIORITIES.includes(priority)) return null;
  const label = t(`routing.priority.${priority as Priority}`);
  // The rule's name is a lead's text: shown as text only, without direction controls.
  const why = t('routing.priority.why', { priority: label, rule: stripBidiControls(rule).trim() });
  return (
    <span className={`priority-badge priority-badge--${priority}`} title={why} data-testid="priority-badge" data-priority={priority}>
      <span aria-hidden="true">{label}</span>
      <span className="team-sr">{why}</span>
    </span>
  );
}
