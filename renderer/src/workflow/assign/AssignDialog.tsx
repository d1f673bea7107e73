import { useId, useState, type FormEvent } from 'react';
import type { TeamStatus } from '../../../../shared/team.js';
import type { WorkTarget } from '../../../../shared/workflow.js';
import { useWfT } from '../../i18n/wf';
import { useDb } from '../../services';
import { useTeam } from '../../team/useTeam';
import { useModal } from '../../useModal';
import { act } from '../store';
import { useAssignUi, type AssignSubject } from './assignUi';
import { conversationMessages, departmentsOf, meOf } from './team';
import './assign.css';

/** A target as the dialog's select names it (`login:…` or `department:…`). */
export function targetValue(to: WorkTarget): string {
  return 'login' in to ? `login:${to.login}` : `department:${to.department}`;
}

export function targetOf(value: string): WorkTarget | null {
  if (value.startsWith('login:') && value.length > 6) return { login: value.slice(6) };
  if (value.startsWith('department:') && value.length > 11) return { department: value.slice(11) };
  return null;
}

/**
 * Gives conversations to a colleague, a specialist or a department, with an
 * optional internal note: one `assign` action per conversation (queued here
 * first, so it is kept while the team database is away).
 */
export async function assignAll(db: ReturnType<typeof useDb>, subjects: readonly AssignSubject[], to: WorkTarget, note: string): Promise<void> {
  const text = note.trim();
  for (const s of subjects) {
    const keys = (await conversationMessages(db, s.conversationKey)).map((m) => m.key).slice(0, 5000);
    await act({ kind: 'assign', conversationKey: s.conversationKey, keys: keys.length ? keys : [s.messageKey], to, ...(text ? { note: text.slice(0, 4000) } : {}) });
  }
}

/** The select's options: colleagues (by role) and departments. */
export function TargetOptions({ team }: { team: TeamStatus }) {
  const t = useWfT();
  const me = meOf(team);
  const members = [...team.members].sort((a, b) => a.name.localeCompare(b.name));
  if (me && !members.some((m) => m.login === me.login)) members.unshift({ login: me.login, name: me.name, role: me.role, departments: [...me.departments], presence: 'online' });
  const departments = departmentsOf(team);
  return (
    <>
      <optgroup label={t('assign.dialog.colleagues')}>
        {members.map((m) => (
          <option key={m.login} value={`login:${m.login}`}>
            {m.login === me?.login ? t('assign.dialog.me', { name: m.name || m.login }) : t('assign.dialog.member', { name: m.name || m.login, role: t(`assign.role.${m.role}`) })}
          </option>
        ))}
      </optgroup>
      {departments.length > 0 && (
        <optgroup label={t('assign.dialog.departments')}>
          {departments.map((d) => (
            <option key={d} value={`department:${d}`}>
              {t('assign.department', { name: d })}
            </option>
          ))}
        </optgroup>
      )}
    </>
  );
}

/** The window's one assign dialog (opened from a card, the conversation view or the bulk bar). */
export function AssignDialog() {
  const team = useTeam();
  const subjects = useAssignUi((s) => s.subjects);
  const close = useAssignUi((s) => s.closeAssign);
  const ref = useModal(subjects !== null && team !== null);
  const t = useWfT();
  return (
    <dialog ref={ref} className="dialog wf-assign-dialog" aria-labelledby="wf-assign-title" onClose={close} data-testid="assign-dialog">
      <h2 id="wf-assign-title">{subjects && subjects.length > 1 ? t('assign.dialog.titleMany', { count: subjects.length, n: subjects.length }) : t('assign.dialog.title')}</h2>
      {subjects && team && <AssignForm key={subjects.map((s) => s.conversationKey).join('\n')} team={team} subjects={subjects} onDone={close} />}
    </dialog>
  );
}

function AssignForm({ team, subjects, onDone }: { team: TeamStatus; subjects: readonly AssignSubject[]; onDone(): void }) {
  const t = useWfT();
  const db = useDb();
  const ids = useId();
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const to = targetOf(value);
    if (!to) {
      setProblem(t('assign.dialog.chooseFirst'));
      return;
    }
    setBusy(true);
    try {
      await assignAll(db, subjects, to, note);
      onDone();
    } catch (err) {
      console.warn('assignment not queued', err);
      setProblem(String((err as Error).message ?? err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="wf-form">
      <label className="wf-label" htmlFor={`${ids}-to`}>
        {t('assign.dialog.to')}
      </label>
      <select id={`${ids}-to`} value={value} onChange={(e) => setValue(e.target.value)} data-testid="assign-target" required>
        <option value="" disabled>
          {t('assign.dialog.choose')}
        </option>
        <TargetOptions team={team} />
      </select>
      <label className="wf-label" htmlFor={`${ids}-note`}>
        {t('assign.dialog.note')}
      </label>
      <textarea id={`${ids}-note`} value={note} maxLength={4000} rows={3} onChange={(e) => setNote(e.target.value)} placeholder={t('assign.dialog.notePlaceholder')} data-testid="assign-note" />
      {team.state !== 'online' && <p className="wf-hint">{t('assign.dialog.offline')}</p>}
      {problem && (
        <p className="wf-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="dialog-actions wf-actions">
        <button type="button" className="button" onClick={onDone}>
          {t('assign.dialog.cancel')}
        </button>
        <button type="submit" className="button button--primary" disabled={busy} data-testid="assign-submit">
          {t('assign.dialog.submit')}
        </button>
      </div>
    </form>
  );
}
