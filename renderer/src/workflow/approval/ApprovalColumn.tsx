import { pendingApprovals } from '../../../../shared/workflowState.js';
import { useWfT } from '../../i18n/wf';
import { useTeam } from '../../team/useTeam';
import { useWorkflowSelect } from '../store';
import { ApprovalQueue, isLead } from './ApprovalQueue';
import './approval.css';

/**
 * The approval queue as a column of the board, first, for leads: shown while a
 * reply waits or anyone is on "approval required" (a team that does not use
 * approval keeps its board as it was).
 */
export function ApprovalColumn() {
  const wt = useWfT();
  const team = useTeam();
  const lead = isLead(team?.me?.role);
  const waiting = useWorkflowSelect((v) => pendingApprovals(v.state).length);
  const inUse = useWorkflowSelect((v) => v.state.policy.logins.size + v.state.policy.channels.size > 0);
  if (!team || !lead || (waiting === 0 && !inUse)) return null;
  return (
    <section className="column approval-column" aria-labelledby="approval-column-title" data-testid="approval-column">
      <header className="column-head">
        <div className="column-head-row">
          <h2 id="approval-column-title" className="column-title">
            {wt('approval.column.title')}
          </h2>
          <span className="column-count" aria-label={wt('approval.pending', { count: waiting, n: waiting })} data-testid="approval-count">
            {waiting}
          </span>
        </div>
      </header>
      <div className="approval-column-body" aria-label={wt('approval.column.label')}>
        <ApprovalQueue />
      </div>
    </section>
  );
}
