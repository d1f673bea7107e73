import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeamT } from '../i18n/team';
import type { CommandInput } from '../../../shared/contract.js';
import type { TeamStatus } from '../../../shared/team.js';
import { errorMessage, teamErrorMessage } from '../i18n/errors';
import { formatNumber } from '../i18n/format';
import { useServices } from '../services';
import { looksLikePostgresUrl, redactUrl } from './redact';
import { useTeamUi } from './teamUi';
import { displayName, useTeam } from './useTeam';
import './team.css';

/** The settings screen's Team section, wired to the host. */
export function TeamSettings() {
  const { host, db } = useServices();
  const { t, i18n } = useTranslation();
  const tt = useTeamT();
  const team = useTeam();
  const waiting = useLiveQuery(() => db.teamActions.count(), [db]) ?? 0;
  const openAudit = useTeamUi((s) => s.setAuditOpen);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (input: CommandInput<'setTeam'>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const r = await host.call('setTeam', input);
      if (!r.ok) {
        setError(r.error.kind === 'notAllowed' ? tt('scripted') : errorMessage(t, r.error, i18n.language, Date.now()));
        return false;
      }
      // Solo again: marks made for that team are not replayed into whatever team comes next.
      if (input.url === null) {
        await db.teamActions.clear().catch((e: unknown) => console.warn('queued team actions not cleared', e));
        await db.workflowQueue.clear().catch((e: unknown) => console.warn('queued workflow actions not cleared', e));
      }
      return true;
    } catch {
      setError(t('error.offline'));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return <TeamSettingsView team={team} waiting={waiting} busy={busy} error={error} onSubmit={submit} onOpenAudit={() => openAudit(true)} />;
}

/** What the form asks of the host, or why it cannot ask yet (checked here: the host would only say badUrl). */
export function teamSettingsInput(
  url: string,
  key: string,
  team: TeamStatus | null,
): { input: CommandInput<'setTeam'>; problem?: undefined } | { input?: undefined; problem: 'urlNeeded' | 'urlInvalid' | 'keyShort' } {
  const nextUrl = url.trim();
  const nextKey = key.trim();
  // In a team, a key alone keeps the URL in use (the host has it with its password; this screen never does).
  if (nextUrl === '' && team && nextKey !== '') return nextKey.length < 8 ? { problem: 'keyShort' } : { input: { key: nextKey } };
  if (nextUrl === '') return { problem: 'urlNeeded' };
  if (!looksLikePostgresUrl(nextUrl)) return { problem: 'urlInvalid' };
  if (nextKey !== '' && nextKey.length < 8) return { problem: 'keyShort' };
  return { input: { url: nextUrl, ...(nextKey ? { key: nextKey } : {}) } };
}

export const canReadAudit = (team: TeamStatus | null | undefined) => team?.me?.role === 'lead' || team?.me?.role === 'admin';

/**
 * Joining, changing and leaving the team database, and how it stands. The URL
 * field starts empty every time: the password in it goes to the host once and
 * is never shown again (the current URL is shown redacted).
 */
export function TeamSettingsView({
  team,
  waiting,
  busy,
  error,
  onSubmit,
  onOpenAudit,
}: {
  team: TeamStatus | null;
  /** Mark actions this window still has to share. */
  waiting: number;
  busy: boolean;
  /** The host's refusal of the last setTeam, in words. */
  error: string | null;
  onSubmit(input: CommandInput<'setTeam'>): Promise<boolean>;
  onOpenAudit(): void;
}) {
  const t = useTeamT();
  const ids = useId();
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const keyShown = Boolean(team && (team.keyNeeded || team.me?.role === 'admin'));
  const keyOffered = !team || keyShown;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = teamSettingsInput(url, key, team);
    setProblem(next.problem ? t(next.problem) : null);
    if (next.input && (await onSubmit(next.input))) {
      setUrl('');
      setKey('');
    }
  };

  const leave = async () => {
    if (await onSubmit({ url: null })) setLeaving(false);
  };

  const keyField = (
    <div className="team-field">
      <label htmlFor={`${ids}-key`}>{t('key')}</label>
      <input
        id={`${ids}-key`}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={key}
        maxLength={200}
        onChange={(e) => setKey(e.target.value)}
        aria-describedby={`${ids}-key-hint`}
        data-testid="team-key"
      />
      <p id={`${ids}-key-hint`} className="field-hint">
        {t('keyHint')}
      </p>
    </div>
  );

  return (
    <fieldset className="field team-settings" data-testid="team-settings">
      <legend>{t('title')}</legend>
      <p className="field-hint">{t('explain')}</p>
      {team ? <TeamState team={team} waiting={waiting} /> : <p data-testid="team-solo">{t('solo')}</p>}
      <form className="team-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="team-field">
          <label htmlFor={`${ids}-url`}>{t('url')}</label>
          <input
            id={`${ids}-url`}
            type="text"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            value={url}
            maxLength={2000}
            placeholder={t('urlPlaceholder')}
            onChange={(e) => setUrl(e.target.value)}
            aria-describedby={`${ids}-url-hint`}
            data-testid="team-url"
          />
          <p id={`${ids}-url-hint`} className="field-hint">
            {t('urlHint')}
          </p>
        </div>
        {team?.keyNeeded && (
          <p className="team-warn" data-testid="team-key-needed">
            {t('keyNeeded')}
          </p>
        )}
        {keyShown ? (
          keyField
        ) : keyOffered ? (
          <details className="team-key-more">
            <summary>{t('keyOptional')}</summary>
            {keyField}
          </details>
        ) : null}
        {(problem ?? error) && (
          <p className="form-error" role="alert" data-testid="team-form-error">
            {problem ?? error}
          </p>
        )}
        <div className="team-actions">
          <button type="submit" className="button button--primary" disabled={busy} data-testid="team-connect">
            {busy ? t('busy') : !team ? t('connect') : t('change')}
          </button>
          {team && !leaving && (
            <button type="button" className="button" onClick={() => setLeaving(true)} disabled={busy} data-testid="team-leave">
              {t('leave')}
            </button>
          )}
          {team && canReadAudit(team) && (
            <button type="button" className="button" onClick={onOpenAudit} data-testid="team-open-audit">
              {t('audit.open')}
            </button>
          )}
        </div>
        {leaving && (
          <div className="team-confirm" role="group" aria-label={t('leave')}>
            <p>{t('leaveConfirm')}</p>
            <button type="button" className="button acc-danger" onClick={() => void leave()} disabled={busy} data-testid="team-leave-yes">
              {t('leaveYes')}
            </button>
            <button type="button" className="button" onClick={() => setLeaving(false)}>
              {t('leaveNo')}
            </button>
          </div>
        )}
      </form>
    </fieldset>
  );
}

/** How the team connection stands, who this console is, and what waits to be shared. */
function TeamState({ team, waiting }: { team: TeamStatus; waiting: number }) {
  const { i18n } = useTranslation();
  const t = useTeamT();
  const lng = i18n.language;
  const pending = team.queued + waiting;
  return (
    <div className={`team-state team-state--${team.state}`} data-testid="team-state" data-state={team.state}>
      <p role="status">
        <span className="team-state-dot" aria-hidden="true" /> {t(`state.${team.state}`)}
        {pending > 0 && <> {t('waiting', { count: pending, n: formatNumber(pending, lng) })}</>}
      </p>
      {team.error && (
        <p className="team-error" data-testid="team-error" data-kind={team.error.kind}>
          {teamErrorMessage(t, team.error.kind, team.error.detail)}
        </p>
      )}
      <p>
        {t('connectedTo')}: <code className="team-url" data-testid="team-url-current">{redactUrl(team.url)}</code>
      </p>
      {team.me && (
        <>
          <p data-testid="team-me">
            {t('me', { name: displayName(team.me.name), login: team.me.login, role: t(`role.${team.me.role}`) })}
          </p>
          <p data-testid="team-departments">
            {team.me.departments.length > 0 ? t('departments', { list: team.me.departments.map(displayName).join(', ') }) : t('noDepartments')}
          </p>
        </>
      )}
    </div>
  );
}
