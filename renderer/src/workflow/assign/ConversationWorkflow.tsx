import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState, type FormEvent } from 'react';
import type { TeamStatus } from '../../../../shared/team.js';
import type { WorkflowAction, WorkTarget } from '../../../../shared/workflow.js';
import { isForMe, mentionsIn, responseClock, type AskView, type NoteView, type WorkflowState } from '../../../../shared/workflowState.js';
import { TimeAgo } from '../../board/TimeAgo';
import { formatAge } from '../../board/formatAge';
import { saveDraft } from '../../composer/drafts';
import { useWfT, type WfT } from '../../i18n/wf';
import { useLang } from '../../i18n/useLang';
import { useDb } from '../../services';
import { useUi } from '../../store';
import { displayName, useTeam } from '../../team/useTeam';
import { Name } from '../../text/Name';
import { useNow } from '../../useNow';
import { act, dismissFailed, useWorkflow } from '../store';
import { targetOf, TargetOptions } from './AssignDialog';
import { useAssignUi } from './assignUi';
import { conversationMessages, meOf, mentionables } from './team';
import './assign.css';

const MY_KINDS: ReadonlySet<WorkflowAction['kind']> = new Set(['assign', 'unassign', 'note', 'ask', 'answer']);

/** A target in words: a colleague's name, or "department billing". */
export function targetName(t: WfT, team: TeamStatus | null, to: WorkTarget): string {
  if ('department' in to) return t('assign.department', { name: to.department });
  const m = team?.members.find((x) => x.login === to.login) ?? (team?.me?.login === to.login ? team.me : undefined);
  return (m && displayName(m.name)) || to.login;
}

/** Why an action of this console was not applied, in the agent's words. */
export function failedText(t: WfT, f: { what: string; by?: string }): string {
  if (f.what === 'answered') return t('assign.failed.answered', { by: f.by ?? '?' });
  if (f.what === 'team:rights') return t('assign.failed.rights');
  return t('assign.failed.other', { what: f.what });
}

/** The conversation key an action of this area concerns (an answer: its question's). */
function conversationOf(action: WorkflowAction, state: WorkflowState): string | undefined {
  if (action.kind === 'answer') return state.asks.get(action.askId)?.conversationKey;
  return (action as { conversationKey?: string }).conversationKey;
}

/**
 * The conversation's internal side, under its header: who it is assigned to,
 * whether it waits on a specialist (and the response clock without that wait),
 * the internal thread (notes, questions and answers, assignments), and the
 * forms to write a note, ask a specialist or answer a question. Nothing here
 * ever reaches the customer: it is the team's log only. A specialist's draft
 * goes into the reply box, where the agent reviews and sends it as any reply.
 */
export function ConversationWorkflow({ conversationKey, messageKey }: { conversationKey: string; messageKey: string }) {
  const team = useTeam();
  if (!team?.me) return null;
  return <Panel team={team} conversationKey={conversationKey} messageKey={messageKey} />;
}

function Panel({ team, conversationKey, messageKey }: { team: TeamStatus; conversationKey: string; messageKey: string }) {
  const t = useWfT();
  const { lng } = useLang();
  const db = useDb();
  const now = useNow();
  const { state, pending, failed } = useWorkflow();
  const me = meOf(team)!;
  const assignment = state.assignments.get(conversationKey);
  const entries = state.notes.get(conversationKey) ?? [];
  const asks = [...state.asks.values()].filter((a) => a.conversationKey === conversationKey);
  const open = asks.filter((a) => !a.answer);
  const mine = failed.filter((f) => MY_KINDS.has(f.action.kind) && conversationOf(f.action, state) === conversationKey);
  const openAssign = useAssignUi((s) => s.openAssign);

  // The response clock runs from the customer's oldest message since our last reply.
  const messages = useLiveQuery(() => conversationMessages(db, conversationKey), [db, conversationKey]);
  let waitingSince: number | null = null;
  for (const m of messages ?? []) {
    if (m.fromUs) waitingSince = null;
    else waitingSince ??= m.createdAt;
  }
  const clock = waitingSince !== null && asks.length > 0 ? responseClock(state, conversationKey, waitingSince, now) : null;

  return (
    <section className="wf-panel" aria-label={t('assign.panel.label')} data-testid="wf-panel">
      <div className="wf-panel-head">
        {assignment ? (
          <span className="wf-assigned" data-testid="wf-assigned" title={t('assign.assignedBy', { name: assignment.byName })}>
            {'department' in assignment.to
              ? t('assign.assignedToDepartment', { name: targetName(t, team, assignment.to) })
              : t('assign.assignedTo', { name: targetName(t, team, assignment.to) })}
          </span>
        ) : null}
        {open.length > 0 && (
          <span className="wf-badge wf-badge--waiting" title={t('assign.waitingTitle', { name: open.map((a) => targetName(t, team, a.to)).join(', ') })} data-testid="wf-waiting">
            {t('assign.waiting')}
          </span>
        )}
        <span className="wf-head-actions">
          <button type="button" className="button button--small" onClick={() => openAssign([{ conversationKey, messageKey }])} title={t('assign.assignTitle')} data-testid="wf-assign">
            {t('assign.assign')}
          </button>
          {assignment && (
            <button
              type="button"
              className="button button--small"
              title={t('assign.unassignTitle')}
              data-testid="wf-unassign"
              onClick={() => {
                void conversationMessages(db, conversationKey).then((list) => act({ kind: 'unassign', conversationKey, keys: list.map((m) => m.key).slice(0, 5000) }));
              }}
            >
              {t('assign.unassign')}
            </button>
          )}
        </span>
      </div>
      {clock && clock.specialist > 0 && (
        <p className="wf-clock" data-testid="wf-clock">
          {t('assign.panel.clock', { elapsed: formatAge(clock.elapsed, lng), specialist: formatAge(clock.specialist, lng), counted: formatAge(clock.counted, lng) })}
        </p>
      )}
      {mine.map((f) => (
        <p key={f.action.id} className="wf-problem" role="alert" data-testid="wf-failed">
          {t(`assign.failed.kind.${f.action.kind as 'assign'}`)}: {failedText(t, f)}{' '}
          <button type="button" className="link-button" onClick={() => void dismissFailed(db, f.action.id)}>
            {t('assign.failed.dismiss')}
          </button>
        </p>
      ))}
      <p className="wf-hint">{t('assign.panel.hint')}</p>
      {entries.length === 0 ? (
        <p className="wf-empty">{t('assign.panel.empty')}</p>
      ) : (
        <ol className="wf-thread" data-testid="wf-thread">
          {entries.map((n) => (
            <Entry key={`${n.kind}:${n.id}`} n={n} team={team} state={state} pending={pending.has(n.id)} conversationKey={conversationKey} messageKey={messageKey} />
          ))}
        </ol>
      )}
      {/* Whoever it was asked of answers; a lead or a colleague of the department may too, never the one who asked. */}
      {open
        .filter((a) => a.by !== me.login)
        .sort((a, b) => Number(isForMe(b.to, me)) - Number(isForMe(a.to, me)))
        .map((a) => (
          <AnswerForm key={a.id} ask={a} />
        ))}
      <Forms team={team} conversationKey={conversationKey} />
    </section>
  );
}

function Entry({ n, team, state, pending, conversationKey, messageKey }: { n: NoteView; team: TeamStatus; state: WorkflowState; pending: boolean; conversationKey: string; messageKey: string }) {
  const t = useWfT();
  const name = displayName(n.byName) || n.by;
  const to = n.to ? targetName(t, team, n.to) : '';
  const ask = n.kind === 'ask' ? state.asks.get(n.id) : undefined;
  // An answer's question: the one of this conversation it answered (the answer's time and author are the ask's answer).
  const answered = n.kind === 'answer' ? [...state.asks.values()].find((a) => a.conversationKey === conversationKey && a.answer?.by === n.by && a.answer.at === n.at) : undefined;
  const head =
    n.kind === 'route' ? t('assign.entry.route', { rule: n.text }) : t(`assign.entry.${n.kind}`, { name, to });
  return (
    <li className={`wf-entry wf-entry--${n.kind}`} data-testid="wf-entry" data-kind={n.kind} data-pending={pending ? 'true' : undefined}>
      <div className="wf-entry-head">
        <span className="wf-entry-who">{head}</span>
        {ask && <span className={`wf-ask-state wf-ask-state--${ask.answer ? 'answered' : 'open'}`}>{t(ask.answer ? 'assign.entry.answered' : 'assign.entry.open')}</span>}
        <TimeAgo at={n.at} className="card-time" />
        {pending && <span className="wf-pending">{t('assign.pending')}</span>}
      </div>
      {n.kind !== 'route' && n.text && (
        <div className="wf-entry-text" data-testid="wf-entry-text">
          <Name text={n.text} max={4000} />
        </div>
      )}
      {n.kind === 'note' && n.mentions.length > 0 && (
        <div className="wf-entry-mentions">{t('assign.panel.mentions', { list: n.mentions.map((l) => targetName(t, team, { login: l })).join(', ') })}</div>
      )}
      {answered?.answer?.draft && <DraftBox draft={answered.answer.draft} by={name} conversationKey={conversationKey} messageKey={messageKey} />}
    </li>
  );
}

/** A specialist's draft of the customer reply; "use" puts it in the reply box for the agent to review and send. */
function DraftBox({ draft, by, conversationKey, messageKey }: { draft: string; by: string; conversationKey: string; messageKey: string }) {
  const t = useWfT();
  const db = useDb();
  const use = () => {
    const ui = useUi.getState();
    const current = ui.drafts[conversationKey] ?? { text: '' };
    ui.setDraftText(conversationKey, draft);
    void saveDraft(db, conversationKey, { ...current, text: draft }, { messageKey, channel: conversationKey.slice(0, conversationKey.indexOf(':')) });
  };
  return (
    <div className="wf-draft" data-testid="wf-draft">
      <div className="wf-draft-head">{t('assign.panel.draftBy', { name: by })}</div>
      <div className="wf-draft-text">
        <Name text={draft} max={20_000} />
      </div>
      <button type="button" className="button button--small" onClick={use} title={t('assign.panel.useDraftTitle')} data-testid="wf-use-draft">
        {t('assign.panel.useDraft')}
      </button>
    </div>
  );
}

function AnswerForm({ ask }: { ask: AskView }) {
  const t = useWfT();
  const ids = useId();
  const [text, setText] = useState('');
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === '' && draft.trim() === '') {
      setProblem(t('assign.panel.answerEmpty'));
      return;
    }
    setProblem(null);
    await act({ kind: 'answer', askId: ask.id, text: text.trim(), ...(draft.trim() ? { draft } : {}) });
    setText('');
    setDraft('');
  };
  return (
    <form className="wf-form wf-answer" onSubmit={(e) => void submit(e)} data-testid="wf-answer-form">
      <label className="wf-label" htmlFor={`${ids}-a`}>
        {t('assign.panel.answerLabel', { name: displayName(ask.byName) || ask.by })}
      </label>
      <textarea id={`${ids}-a`} rows={2} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('assign.panel.answerPlaceholder')} data-testid="wf-answer-text" />
      <textarea rows={3} maxLength={20_000} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={t('assign.panel.draftPlaceholder')} aria-label={t('assign.panel.draftPlaceholder')} data-testid="wf-answer-draft" />
      {problem && (
        <p className="wf-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="wf-actions">
        <button type="submit" className="button button--primary button--small" data-testid="wf-answer-submit">
          {t('assign.panel.answerSubmit')}
        </button>
      </div>
    </form>
  );
}

/** Write a note (with @mentions) or ask a specialist. */
function Forms({ team, conversationKey }: { team: TeamStatus; conversationKey: string }) {
  const t = useWfT();
  const ids = useId();
  const [mode, setMode] = useState<'note' | 'ask'>('note');
  const [text, setText] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const members = mentionables(team);
  const mentions = mode === 'note' ? mentionsIn(text, members) : [];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (body === '') {
      setProblem(t('assign.panel.textEmpty'));
      return;
    }
    if (mode === 'ask') {
      const target = targetOf(to);
      if (!target) {
        setProblem(t('assign.dialog.chooseFirst'));
        return;
      }
      setProblem(null);
      await act({ kind: 'ask', conversationKey, to: target, question: body.slice(0, 4000) });
    } else {
      setProblem(null);
      await act({ kind: 'note', conversationKey, text: body.slice(0, 4000), mentions });
    }
    setText('');
  };
  return (
    <form className="wf-form wf-compose" onSubmit={(e) => void submit(e)} data-testid="wf-compose">
      <div className="wf-tabs" role="radiogroup" aria-label={t('assign.panel.label')}>
        <label className="radio">
          <input type="radio" name={`${ids}-mode`} checked={mode === 'note'} onChange={() => setMode('note')} data-testid="wf-mode-note" />
          {t('assign.panel.note')}
        </label>
        <label className="radio">
          <input type="radio" name={`${ids}-mode`} checked={mode === 'ask'} onChange={() => setMode('ask')} data-testid="wf-mode-ask" />
          {t('assign.panel.ask')}
        </label>
      </div>
      {mode === 'ask' && (
        <select value={to} onChange={(e) => setTo(e.target.value)} aria-label={t('assign.panel.askTo')} data-testid="wf-ask-target">
          <option value="" disabled>
            {t('assign.dialog.choose')}
          </option>
          <TargetOptions team={team} />
        </select>
      )}
      <textarea
        rows={2}
        maxLength={4000}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={mode === 'ask' ? t('assign.panel.askPlaceholder') : t('assign.panel.notePlaceholder')}
        aria-label={mode === 'ask' ? t('assign.panel.askPlaceholder') : t('assign.panel.notePlaceholder')}
        data-testid="wf-text"
      />
      {mentions.length > 0 && <p className="wf-hint">{t('assign.panel.mentions', { list: mentions.map((l) => targetName(t, team, { login: l })).join(', ') })}</p>}
      {problem && (
        <p className="wf-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="wf-actions">
        <button type="submit" className="button button--small" data-testid="wf-submit">
          {mode === 'ask' ? t('assign.panel.askSubmit') : t('assign.panel.addNote')}
        </button>
      </div>
    </form>
  );
}
