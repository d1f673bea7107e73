import { cardSummary } from '../../../../shared/workflowState.js';
import { wfT } from '../../i18n/wf';
import { useLang } from '../../i18n/useLang';
import { Name } from '../../text/Name';
import { useWorkflowSelect } from '../store';
import { useAssignUi } from './assignUi';
import { useTeamLogin } from './team';
import { Icon } from '../../icons/Icon';

/**
 * A card's workflow marks: waiting on a specialist, the department it was
 * given to (a colleague shows as the card's assignee mark), and in team mode
 * the button that assigns its conversation. Drawn on every card: it selects one
 * string of the workflow state (see cardSummary) and the team login.
 */
export function CardWorkflow({ messageKey, conversationKey }: { messageKey: string; conversationKey: string }) {
  const summary = useWorkflowSelect((v) => cardSummary(v.state, conversationKey));
  const login = useTeamLogin();
  const { t } = useLang();
  if (login === null && summary === '') return null;
  const s = summary ? (JSON.parse(summary) as { w?: 1; d?: string }) : {};
  const tw = wfT(t);
  return (
    <>
      {s.w === 1 && (
        <span className="wf-badge wf-badge--waiting" data-testid="card-waiting">
          {tw('assign.waiting')}
        </span>
      )}
      {s.d !== undefined && (
        <span className="wf-badge" title={tw('assign.assignedToDepartment', { name: s.d })} data-testid="card-department">
          → <Name text={s.d} max={60} />
        </span>
      )}
      {login !== null && (
        <button
          type="button"
          className="card-assign"
          title={tw('assign.assignTitle')}
          aria-label={tw('assign.assignTitle')}
          data-testid="card-assign"
          onClick={() => useAssignUi.getState().openAssign([{ conversationKey, messageKey }])}
        >
          <Icon name="assign" size={14} />
        </button>
      )}
    </>
  );
}
