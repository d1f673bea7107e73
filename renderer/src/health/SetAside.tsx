import { useLiveQuery } from 'dexie-react-hooks';
import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, StreamStatus } from '../../../shared/model.js';
import { formatNumber } from '../i18n/format';
import { ServicesContext } from '../services';
import { Name } from '../text/Name';
import { formatRelativeSpan } from './healthFormat';
import './setAside.css';

const PROBLEMS = ['missing', 'tooLong', 'invalid'] as const;

/**
 * Messages that could not be stored as they were and were set aside instead of
 * holding up their stream: per stream the count and the last reason the host
 * reported, and those this window's own store set aside. Nothing when there are none.
 */
export function SetAside({
  streams,
  accounts,
  streamName,
  now,
}: {
  streams: readonly StreamStatus[];
  accounts: readonly Account[];
  streamName: (s: StreamStatus) => string;
  now: number;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  // The window's store, when there is one (the view is also drawn on its own).
  const db = useContext(ServicesContext)?.db;
  const local = useLiveQuery(async () => (db ? db.setAside.count() : 0), [db]) ?? 0;
  const shown = streams.filter((s) => s.setAside && s.setAside.count > 0);
  if (shown.length === 0 && local === 0) return null;

  // `${field}:${problem}` (shared/fitMessage.ts): the field as it is, the problem in words.
  const reason = (r: string) => {
    const at = r.lastIndexOf(':');
    const problem = r.slice(at + 1);
    if (at <= 0 || !(PROBLEMS as readonly string[]).includes(problem)) return r;
    return t('setAside.reason', { field: r.slice(0, at), problem: t(`setAside.problem.${problem as (typeof PROBLEMS)[number]}`) });
  };
  return (
    <section className="health-set-aside" data-testid="health-set-aside">
      <h3 className="health-set-aside-title">{t('setAside.title')}</h3>
      <ul>
        {shown.map((s) => {
          const a = s.setAside!;
          const account = accounts.find((x) => x.id === s.accountId);
          return (
            <li key={s.id} data-testid="health-set-aside-stream" data-stream-id={s.id}>
              <span className="health-set-aside-stream">
                {account ? account.handle ? <>@<Name text={account.handle} max={100} /></> : <Name text={account.name} /> : s.accountId} · {streamName(s)}
              </span>
              : {t('setAside.stream', { count: a.count, n: formatNumber(a.count, lng), reason: reason(a.lastReason), time: formatRelativeSpan(a.lastAt, now, lng) })}
            </li>
          );
        })}
        {local > 0 && <li data-testid="health-set-aside-local">{t('setAside.local', { count: local, n: formatNumber(local, lng) })}</li>}
      </ul>
      <p className="health-note">{t('setAside.note')}</p>
    </section>
  );
}
