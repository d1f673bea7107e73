import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/model.js';
import type { TeamStatus } from '../../../shared/team.js';
import { DEPARTMENT_MAX } from '../../../shared/workflow.js';
import { displayName } from '../team/useTeam';
import { isLead } from '../workflow/approval/ApprovalQueue';
import { departmentsOf } from '../workflow/assign/team';
import { act, useWorkflowSelect } from '../workflow/store';

/**
 * Team mode: the department an account's messages belong to. A department
 * login sees only its departments' messages, so this decides who sees them.
 * Everyone reads it; a lead (or admin) changes it, as an `accountDepartment`
 * record of the workflow log (queued like every action, on record with who
 * and when). The database moves the account's messages along, and every
 * console shows the new department once it has it.
 */
export function AccountDepartment({ account, team }: { account: Account; team: TeamStatus }) {
  const { t } = useTranslation();
  const ids = useId();
  const [typed, setTyped] = useState<string | null>(null);
  const [sent, setSent] = useState<{ id: string; department: string | null } | null>(null);
  // The team refused it (the failed actions say why, at the top of the console).
  const refused = useWorkflowSelect((v) => (sent ? v.failed.some((f) => f.action.id === sent.id) : false));
  const [problem, setProblem] = useState<string | null>(null);
  const current = account.department ?? null;
  const lead = isLead(team.me?.role);

  if (!lead) {
    return (
      <p className="account-card-note" data-testid="account-department">
        {current ? t('accounts.department.is', { name: displayName(current) }) : t('accounts.department.none')}
      </p>
    );
  }

  // What was sent shows as saving until the team's answer carries it (or another lead's later choice).
  const waiting = sent !== null && sent.department !== current && !refused;
  const value = typed ?? current ?? '';
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const name = value.trim();
    if (name.length > DEPARTMENT_MAX) {
      setProblem(t('accounts.department.tooLong', { max: DEPARTMENT_MAX }));
      return;
    }
    setProblem(null);
    const department = name === '' ? null : name;
    if (department === current) {
      setTyped(null);
      return;
    }
    const queued = await act({ kind: 'accountDepartment', accountId: account.id, department });
    if (!queued) {
      setProblem(t('accounts.department.notSent'));
      return;
    }
    setSent({ id: queued.id, department });
    setTyped(null);
  };
  return (
    <form className="account-department" onSubmit={(e) => void save(e)} data-testid="account-department">
      <label htmlFor={`${ids}-dep`}>{t('accounts.department.label')}</label>
      <input
        id={`${ids}-dep`}
        list={`${ids}-deps`}
        value={value}
        maxLength={DEPARTMENT_MAX + 20}
        placeholder={t('accounts.department.placeholder')}
        onChange={(e) => setTyped(e.target.value)}
        aria-describedby={`${ids}-hint`}
        data-testid="account-department-input"
      />
      <datalist id={`${ids}-deps`}>
        {departmentsOf(team).map((d) => (
          <option key={d} value={d} />
        ))}
      </datalist>
      <button type="submit" className="button" disabled={typed === null || typed.trim() === (current ?? '')} data-testid="account-department-save">
        {t('accounts.department.save')}
      </button>
      <p id={`${ids}-hint`} className="account-card-note">
        {waiting ? t('accounts.department.saving') : t('accounts.department.hint')}
      </p>
      {refused && sent?.department !== current && (
        <p role="alert" className="form-error" data-testid="account-department-refused">
          {t('accounts.department.refused')}
        </p>
      )}
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
    </form>
  );
}
