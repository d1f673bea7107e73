import { useWfT, type WfT } from '../i18n/wf';
import type { WorkflowKind } from '../../../shared/workflow.js';
import { useServices } from '../services';
import { displayName } from '../team/useTeam';
import { dismissFailed, useWorkflow } from './store';

/** What a colleague's earlier action did, as handlers name it (`lost.what`). */
const WHAT = ['answered', 'approved', 'returned', 'sent', 'gone'] as const;

/** Why an action of this console was not applied, in the agent's words. */
export function failedText(t: WfT, kind: WorkflowKind, whatRaw: string, by?: string): string {
  const action = t(`common.kind.${kind}`);
  const what = (WHAT as readonly string[]).includes(whatRaw) ? t(`common.what.${whatRaw as (typeof WHAT)[number]}`) : whatRaw;
  if (whatRaw === 'team:rights') return t('common.failed.rights', { action });
  if (whatRaw.startsWith('team:')) return t('common.failed.other', { action, what: whatRaw.slice(5) });
  const name = by ? displayName(by) : '';
  return name ? t('common.failed.lost', { action, by: name, what }) : t('common.failed.lostNobody', { action, what });
}

/**
 * Workflow actions of this console that the team did not apply (a colleague
 * was first, or the role does not allow it): kept until the agent read them,
 * so nothing they did disappears without a word.
 */
export function FailedActions() {
  const t = useWfT();
  const { db } = useServices();
  const { failed } = useWorkflow();
  if (failed.length === 0) return null;
  return (
    <section className="lost-races" role="status" aria-labelledby="wf-failed-title" data-testid="wf-failed">
      <h2 id="wf-failed-title" className="lost-races-title">
        {t('common.failed.title')}
      </h2>
      <ul className="lost-races-list">
        {failed.map((f) => (
          <li key={f.action.id} className="lost-race" data-testid="wf-failed-item" data-kind={f.action.kind}>
            <p>{failedText(t, f.action.kind, f.what, f.by)}</p>
            <div className="lost-race-actions">
              <button type="button" className="link-button" onClick={() => void dismissFailed(db, f.action.id)}>
                {t('common.failed.dismiss')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
