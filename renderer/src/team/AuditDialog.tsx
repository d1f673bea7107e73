import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { useTeamT, type TeamKey, type TeamT } from '../i18n/team';
import type { AuditRow } from '../../../shared/team.js';
import { useCommand } from '../accounts/useCommand';
import { useModal } from '../useModal';
import { useTeamUi } from './teamUi';
import './team.css';

/** At most this many rows per search: the newest; a narrower search finds older ones. */
export const AUDIT_LIMIT = 200;
/** The range a Date can hold: a broken timestamp shows no time rather than throwing. */
const MAX_DATE_MS = 8.64e15;
const validTime = (at: number) => Number.isFinite(at) && Math.abs(at) <= MAX_DATE_MS;

/** A known action in words ("reply.sent" → "reply sent"); an unknown one as the database wrote it. */
export function auditActionLabel(t: TeamT, i18n: I18n, action: string): string {
  const m = /^([a-z]+)(?:\.([a-z]+))?$/i.exec(action);
  if (!m) return action;
  // "reply.sent" is the key replySent.
  const name = m[2] ? `${m[1]}${m[2].charAt(0).toUpperCase()}${m[2].slice(1)}` : (m[1] ?? '');
  const key = `audit.actions.${name}`;
  return typeof i18n.getResource('en', 'team', key) === 'string' ? t(key as TeamKey) : action;
}

/** The audit trail (leads and admins), searchable, newest first. */
export function AuditDialog() {
  const t = useTeamT();
  const open = useTeamUi((s) => s.auditOpen);
  const setOpen = useTeamUi((s) => s.setAuditOpen);
  const ref = useModal(open);
  return (
    <dialog ref={ref} className="dialog audit-dialog" aria-labelledby="audit-title" onClose={() => setOpen(false)} data-testid="audit">
      <h2 id="audit-title">{t('audit.title')}</h2>
      {open && <AuditSearch />}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => setOpen(false)}>
          {t('audit.close')}
        </button>
      </div>
    </dialog>
  );
}

/** Mounted while the dialog is open: searches once on opening, then on every submit. */
function AuditSearch() {
  const search = useCommand('auditSearch');
  const { run } = search;
  const [rows, setRows] = useState<AuditRow[] | null>(null);
  const [q, setQ] = useState('');
  useEffect(() => {
    let live = true;
    void run({ limit: AUDIT_LIMIT }).then((v) => {
      if (live && v) setRows(v.rows);
    });
    return () => {
      live = false;
    };
  }, [run]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const query = q.trim();
    const v = await run({ ...(query ? { q: query.slice(0, 200) } : {}), limit: AUDIT_LIMIT });
    if (v) setRows(v.rows);
  };
  return <AuditView rows={rows} busy={search.busy} error={search.error} q={q} onQ={setQ} onSubmit={(e) => void submit(e)} />;
}

export function AuditView({
  rows,
  busy,
  error,
  q,
  onQ,
  onSubmit,
}: {
  rows: readonly AuditRow[] | null;
  busy: boolean;
  error: string | null;
  q: string;
  onQ(q: string): void;
  onSubmit(e: FormEvent): void;
}) {
  const { i18n } = useTranslation();
  const t = useTeamT();
  const lng = i18n.language;
  const ids = useId();
  const time = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <div className="audit">
      <p className="field-hint">{t('audit.intro')}</p>
      <form className="audit-search" role="search" onSubmit={onSubmit}>
        <label htmlFor={`${ids}-q`} className="team-sr">
          {t('audit.searchLabel')}
        </label>
        <input
          id={`${ids}-q`}
          type="search"
          value={q}
          maxLength={200}
          placeholder={t('audit.placeholder')}
          onChange={(e) => onQ(e.target.value)}
          data-testid="audit-q"
        />
        <button type="submit" className="button" disabled={busy} data-testid="audit-search">
          {t('audit.search')}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {rows === null ? (
        busy && <p role="status">{t('audit.loading')}</p>
      ) : rows.length === 0 ? (
        <p role="status" data-testid="audit-none">
          {t('audit.none')}
        </p>
      ) : (
        <div className="audit-scroll">
          <table className="audit-table" data-testid="audit-table">
            <caption>{t('audit.count', { count: rows.length, n: rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.time')}</th>
                <th scope="col">{t('audit.login')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.subject')}</th>
                <th scope="col">{t('audit.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="audit-row">
                  <td>
                    {validTime(r.at) && <time dateTime={new Date(r.at).toISOString()}>{time.format(r.at)}</time>}
                  </td>
                  <td>{r.login}</td>
                  <td title={r.action}>{auditActionLabel(t, i18n, r.action)}</td>
                  <td className="audit-subject">{r.subject ?? ''}</td>
                  <td className="audit-detail">{r.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
