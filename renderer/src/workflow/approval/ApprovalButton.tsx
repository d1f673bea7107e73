import { useState } from 'react';
import { pendingApprovals } from '../../../../shared/workflowState.js';
import { useWfT } from '../../i18n/wf';
import { useTeam } from '../../team/useTeam';
import { useModal } from '../../useModal';
import { useWorkflowSelect } from '../store';
import { ApprovalQueue, isLead } from './ApprovalQueue';
import { PolicyPanel } from './PolicyPanel';
import { ReviewPanel } from './ReviewPanel';
import './approval.css';

type Tab = 'queue' | 'policy' | 'reviews';
const TABS: readonly Tab[] = ['queue', 'policy', 'reviews'];

/**
 * The team bar's approval entry. Leads: a button with the number of replies
 * waiting, opening the approval queue, who needs approval, and reviews of sent
 * replies. An agent on "approval required" sees that they are.
 */
export function ApprovalButton() {
  const wt = useWfT();
  const team = useTeam();
  const me = team?.me;
  const lead = isLead(me?.role);
  const waiting = useWorkflowSelect((v) => pendingApprovals(v.state).length);
  const mine = useWorkflowSelect((v) => (me && !isLead(me.role) ? v.state.policy.logins.has(me.login) : false));
  const [open, setOpen] = useState(false);
  if (!team || !me) return null;
  if (!lead) {
    return mine ? (
      <span className="approval-mine" title={wt('approval.mineHint')} data-testid="approval-mine">
        {wt('approval.mine')}
      </span>
    ) : null;
  }
  return (
    <>
      <button
        type="button"
        className={`button button--small approval-button${waiting ? ' approval-button--waiting' : ''}`}
        onClick={() => setOpen(true)}
        title={wt('approval.open')}
        aria-label={waiting ? `${wt('approval.open')}: ${wt('approval.pending', { count: waiting, n: waiting })}` : wt('approval.open')}
        data-testid="open-approval"
      >
        {wt('approval.title')}
        {waiting > 0 && (
          <span className="outbox-count approval-button-count" data-testid="approval-button-count">
            {waiting}
          </span>
        )}
      </button>
      <ApprovalDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}

function ApprovalDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const wt = useWfT();
  const ref = useModal(open);
  const [tab, setTab] = useState<Tab>('queue');
  return (
    <dialog ref={ref} className="dialog approval-dialog" aria-labelledby="approval-title" onClose={onClose} data-testid="approval-dialog">
      <h2 id="approval-title">{wt('approval.dialogTitle')}</h2>
      <div className="approval-tabs" role="tablist">
        {TABS.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            aria-selected={tab === x}
            className={`approval-tab${tab === x ? ' approval-tab--on' : ''}`}
            onClick={() => setTab(x)}
            data-testid={`approval-tab-${x}`}
          >
            {wt(`approval.tabs.${x}`)}
          </button>
        ))}
      </div>
      {open && (
        <div className="approval-panel" role="tabpanel">
          {tab === 'queue' && <ApprovalQueue />}
          {tab === 'policy' && <PolicyPanel />}
          {tab === 'reviews' && <ReviewPanel />}
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {wt('approval.close')}
        </button>
      </div>
    </dialog>
  );
}

