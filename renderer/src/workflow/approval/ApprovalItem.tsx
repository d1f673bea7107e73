import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/model.js';
import { checkText } from '../../../../shared/replyChecks.js';
import type { WorkflowRecord } from '../../../../shared/workflow.js';
import type { ApprovalView } from '../../../../shared/workflowState.js';
import { errorMessage } from '../../i18n/errors';
import { formatMoment } from '../../i18n/format';
import { useWfT } from '../../i18n/wf';
import { useDb } from '../../services';
import { useUi } from '../../store';
import { displayName } from '../../team/useTeam';
import { Name } from '../../text/Name';
import { useNow } from '../../useNow';
import { act } from '../store';

/** What the `submit` record says the reply answers (the approval view keeps only what the queue shows). */
export function submittedInput(records: readonly WorkflowRecord[], approvalId: string): { inReplyToId?: string; conversationId?: string; private?: boolean } {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.kind !== 'submit' || r.data.approvalId !== approvalId) continue;
    const input = (r.data.input ?? {}) as Record<string, unknown>;
    return {
      ...(typeof input.inReplyToId === 'string' ? { inReplyToId: input.inReplyToId } : {}),
      ...(typeof input.conversationId === 'string' ? { conversationId: input.conversationId } : {}),
      ...(input.private === true ? { private: true } : {}),
    };
  }
  return {};
}

type Mode = { kind: 'view' } | { kind: 'edit'; text: string; problem: string | null } | { kind: 'return'; comment: string; problem: boolean };

/**
 * One reply waiting for a lead: who wrote it, to whom, the text as it would be
 * sent, and the three decisions: approve (it goes to the team outbox and is sent
 * once), edit and approve (the lead's text is sent instead), or return with a
 * comment (the author sees it on their reply). Each is an action of the team's
 * log; a colleague who decided first wins, and the column says so.
 */
export function ApprovalItem({ approval: a, records }: { approval: ApprovalView; records: readonly WorkflowRecord[] }) {
  const { t, i18n } = useTranslation();
  const wt = useWfT();
  const db = useDb();
  const now = useNow();
  const select = useUi((s) => s.select);
  const ids = useId();
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [busy, setBusy] = useState(false);
  const input = submittedInput(records, a.id);
  const answered = useLiveQuery(async (): Promise<Message | null> => {
    const direct = input.inReplyToId ? await db.messages.get(`${a.channel}:${input.inReplyToId}`) : undefined;
    if (direct) return direct;
    // A private reply to a comment goes out on another channel than the comment's.
    if (!input.conversationId) return null;
    return (await db.messages.where('conversationId').equals(input.conversationId).filter((m) => !m.fromUs).last()) ?? null;
  }, [db, a.channel, input.inReplyToId, input.conversationId]);
  const author = displayName(a.byName) || a.by;

  const decide = async (action: Parameters<typeof act>[0]) => {
    setBusy(true);
    try {
      await act(action);
    } finally {
      setBusy(false);
    }
  };
  const approve = () => void decide({ kind: 'approve', approvalId: a.id });
  const approveEdited = () => {
    if (mode.kind !== 'edit') return;
    const problem = a.mediaCount > 0 && mode.text.trim() === '' ? null : checkText(a.channel, mode.text);
    if (problem) {
      setMode({ ...mode, problem: errorMessage(t, problem, i18n.language, now) });
      return;
    }
    void decide({ kind: 'approve', approvalId: a.id, text: mode.text });
  };
  const sendBack = () => {
    if (mode.kind !== 'return') return;
    if (mode.comment.trim() === '') {
      setMode({ ...mode, problem: true });
      return;
    }
    void decide({ kind: 'return', approvalId: a.id, comment: mode.comment.trim() });
  };

  return (
    <li className="approval-item" data-testid="approval-item" data-approval-id={a.id} data-author={a.by}>
      <div className="approval-head">
        <span className={`badge badge--${a.channel}`}>{t(`channelBadge.${a.channel}`)}</span>
        <span className="approval-by">{wt('approval.item.by', { name: author })}</span>
        <span className="approval-time">{formatMoment(a.at, now, i18n.language)}</span>
      </div>
      {answered && (
        <p className="approval-answered">
          <span className="approval-to">{wt('approval.item.to')}</span> <Name text={answered.author.name || answered.author.handle} max={40} />
          {': '}
          <span className="approval-quote">{answered.text.slice(0, 280)}</span>
        </p>
      )}
      {mode.kind === 'edit' ? (
        <>
          <label className="approval-label" htmlFor={`${ids}-edit`}>
            {wt('approval.item.edit')}
          </label>
          <textarea
            id={`${ids}-edit`}
            className="approval-input"
            value={mode.text}
            rows={5}
            onChange={(e) => setMode({ kind: 'edit', text: e.target.value, problem: null })}
            data-testid="approval-edit-input"
          />
          {mode.problem && (
            <p className="approval-problem" role="alert">
              {mode.problem}
            </p>
          )}
        </>
      ) : (
        <p className="approval-text" data-testid="approval-text">
          {a.text}
        </p>
      )}
      {(a.mediaCount > 0 || input.private) && (
        <p className="approval-tags">
          {[input.private ? wt('approval.item.private') : '', a.mediaCount > 0 ? wt('approval.item.images', { count: a.mediaCount, n: a.mediaCount }) : ''].filter(Boolean).join(' · ')}
        </p>
      )}
      {mode.kind === 'return' && (
        <>
          <label className="approval-label" htmlFor={`${ids}-comment`}>
            {wt('approval.item.returnLabel', { name: author })}
          </label>
          <textarea
            id={`${ids}-comment`}
            className="approval-input"
            value={mode.comment}
            rows={3}
            maxLength={4000}
            placeholder={wt('approval.item.returnPlaceholder')}
            onChange={(e) => setMode({ kind: 'return', comment: e.target.value, problem: false })}
            data-testid="approval-return-input"
          />
          {mode.problem && (
            <p className="approval-problem" role="alert">
              {wt('approval.item.commentNeeded', { name: author })}
            </p>
          )}
        </>
      )}
      <div className="approval-actions">
        {mode.kind === 'view' && (
          <>
            <button type="button" className="button button--small button--primary" disabled={busy} onClick={approve} data-testid="approval-approve">
              {wt('approval.item.approve')}
            </button>
            <button type="button" className="button button--small" disabled={busy} onClick={() => setMode({ kind: 'edit', text: a.text, problem: null })} data-testid="approval-edit">
              {wt('approval.item.edit')}
            </button>
            <button type="button" className="button button--small" disabled={busy} onClick={() => setMode({ kind: 'return', comment: '', problem: false })} data-testid="approval-return">
              {wt('approval.item.return')}
            </button>
          </>
        )}
        {mode.kind === 'edit' && (
          <button type="button" className="button button--small button--primary" disabled={busy} onClick={approveEdited} data-testid="approval-approve-edited">
            {wt('approval.item.approveEdited')}
          </button>
        )}
        {mode.kind === 'return' && (
          <button type="button" className="button button--small button--primary" disabled={busy} onClick={sendBack} data-testid="approval-return-send">
            {wt('approval.item.returnSend')}
          </button>
        )}
        {mode.kind !== 'view' && (
          <button type="button" className="button button--small" disabled={busy} onClick={() => setMode({ kind: 'view' })}>
            {wt('approval.item.cancel')}
          </button>
        )}
        {answered && (
          <button type="button" className="link-button" onClick={() => select(answered.key)}>
            {wt('approval.item.openConversation')}
          </button>
        )}
      </div>
    </li>
  );
}
