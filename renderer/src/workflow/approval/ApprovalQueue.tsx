import { pendingApprovals } from '../../../../shared/workflowState.js';
import { useWfT } from '../../i18n/wf';
import { useDb } from '../../services';
import { displayName } from '../../team/useTeam';
import { dismissFailed, useWorkflow } from '../store';
import { ApprovalItem } from './ApprovalItem';

/** A role that decides on replies. */
export function isLead(role: string | undefined): boolean {
  return role === 'lead' || role === 'admin';
}

/**
 * The approval queue: the replies waiting for a lead, oldest first, and above
 * them the decisions of this console the team did not apply (a colleague
 * decided first), until read.
 */
export function ApprovalQueue() {
  const wt = useWfT();
  const db = useDb();
  const { state, failed, records } = useWorkflow();
  const pending = pendingApprovals(state);
  const lost = failed.filter((f) => f.action.kind === 'approve' || f.action.kind === 'return');
  return (
    <>
      {lost.map((f) => {
        const what = f.what === 'approved' || f.what === 'returned' || f.what === 'sent' ? f.what : null;
        const by = displayName(f.by ?? '') || '?';
        return (
          <p key={f.action.id} className="approval-lost" role="alert" data-testid="approval-lost">
            <span>{what ? wt(`approval.item.lost.${what}`, { by }) : wt('approval.item.lost.other', { what: f.what })}</span>
            <button type="button" className="link-button" onClick={() => void dismissFailed(db, f.action.id)}>
              {wt('approval.item.dismiss')}
            </button>
          </p>
        );
      })}
      {pending.length === 0 ? (
        <p className="approval-empty">{wt('approval.column.empty')}</p>
      ) : (
        <ul className="approval-list">
          {pending.map((a) => (
            <ApprovalItem key={a.id} approval={a} records={records} />
          ))}
        </ul>
      )}
    </>
  );
}
