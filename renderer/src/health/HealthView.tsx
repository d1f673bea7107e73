import { Fragment, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Status } from '../../../shared/contract.js';
import type { StreamStatus } from '../../../shared/model.js';
import { formatMoment, formatNumber } from '../i18n/format';
import { PollerNote } from '../team/Badges';
import { Name } from '../text/Name';
import { Gaps } from './Gaps';
import { formatGapRange, formatRelativeSpan, formatUsd, totalCost } from './healthFormat';
import { SetAside } from './SetAside';
import './health.css';

/** Ticks every few seconds while the view is open: "next poll in 12 s" must move. */
function useTick(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/**
 * Connector health: per account and stream, the last successful poll, the next
 * one, the rate budget left, the last error, the items read today and the day's
 * estimated X API cost (StreamStatus from the host's status); under a stream,
 * the stretches it could not read (Gaps).
 */
export function HealthView({ status }: { status: Status }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const now = useTick(5000);
  const accounts = new Map(status.accounts.map((a) => [a.id, a]));
  const searches = new Map((status.searches ?? []).map((s) => [s.id, s]));
  const streams = [...status.streams].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.id.localeCompare(b.id));

  const streamName = (s: StreamStatus) => {
    if (s.kind === 'x_search') {
      const saved = s.searchId ? searches.get(s.searchId) : undefined;
      return t('health.kind.x_search', { name: saved ? saved.name || saved.query : '?' });
    }
    return t(`health.kind.${s.kind}`);
  };
  const dash = t('health.none_');
  // The host reports error kinds ("rateLimited", "offline", …): explain them in the agent's language.
  const explain = (kind: string) => (/^[a-zA-Z]+$/.test(kind) && i18n.exists(`error.${kind}`) ? t(`error.${kind}` as 'error.offline') : kind);

  if (streams.length === 0) return <p className="accounts-empty">{t('health.none')}</p>;
  // X credits are per app: one notice says what to do, above the streams that wait for it.
  const creditsOut = streams.some((s) => s.wait?.reason === 'creditsDepleted' || s.lastError === 'creditsDepleted');
  return (
    <div className="health" data-testid="health-view">
      {creditsOut && (
        <p className="health-notice" role="alert" data-testid="health-credits">
          {t('health.creditsDepleted')}
        </p>
      )}
      <p className="health-total" data-testid="health-total-cost">
        {t('health.totalCost', { cost: formatUsd(totalCost(streams.map((s) => s.costTodayUsd)), lng) })}
        <span className="health-note"> {t('health.costNote')}</span>
      </p>
      {status.accounts
        .filter((a) => a.spending?.dailyBudgetUsd !== undefined)
        .map((a) => (
          <p key={a.id} className={a.spending?.pausedUntil !== undefined ? 'health-total health-notice' : 'health-total'} data-testid="health-spending">
            {t(a.spending?.pausedUntil !== undefined ? 'health.spendingPaused' : 'health.spending', {
              account: a.handle ? `@${a.handle}` : a.name,
              spent: formatUsd(a.spending?.spentTodayUsd ?? 0, lng),
              budget: formatUsd(a.spending?.dailyBudgetUsd ?? 0, lng),
              time: formatMoment(a.spending?.pausedUntil ?? 0, now, lng),
            })}
          </p>
        ))}
      <div className="health-scroll">
        <table className="health-table">
          <thead>
            <tr>
              <th scope="col">{t('health.account')}</th>
              <th scope="col">{t('health.stream')}</th>
              <th scope="col">{t('health.lastOk')}</th>
              <th scope="col">{t('health.nextPoll')}</th>
              <th scope="col">{t('health.budget')}</th>
              <th scope="col">{t('health.lastError')}</th>
              <th scope="col" className="num">
                {t('health.itemsToday')}
              </th>
              <th scope="col" className="num">
                {t('health.costToday')}
              </th>
            </tr>
          </thead>
          <tbody>
            {streams.map((s) => {
              const a = accounts.get(s.accountId);
              const bad = Boolean(s.stopped ?? s.lastError);
              return (
                <Fragment key={s.id}>
                  <tr className={bad ? 'health-row health-row--bad' : 'health-row'} data-testid="health-stream" data-stream-id={s.id} data-kind={s.kind}>
                    <td>
                      {a ? a.handle ? <>@<Name text={a.handle} max={100} /></> : <Name text={a.name} /> : s.accountId}
                      {status.team && <PollerNote team={status.team} accountId={s.accountId} className="health-poller" />}
                    </td>
                    <th scope="row">{streamName(s)}{s.lookbackDays ? <div className="health-lookback" data-testid="health-lookback">{t('health.lookback', { days: formatNumber(s.lookbackDays, lng) })}</div> : null}</th>
                    <td>{s.lastOkAt ? formatRelativeSpan(s.lastOkAt, now, lng) : t('health.never')}</td>
                    <td>
                      {s.stopped ? (
                        t('health.stopped', { reason: explain(s.stopped) })
                      ) : s.wait && s.wait.until > now ? (
                        <span data-testid="health-wait" data-reason={s.wait.reason}>
                          {t('health.waitUntil', { time: formatGapRange(undefined, s.wait.until, now, lng).to, reason: t(`health.waitReason.${s.wait.reason}`) })}
                        </span>
                      ) : s.nextPollAt ? (
                        s.nextPollAt <= now ? t('health.now') : formatRelativeSpan(s.nextPollAt, now, lng)
                      ) : (
                        dash
                      )}
                    </td>
                    <td>
                      {s.rate
                        ? t('health.budgetValue', { remaining: formatNumber(s.rate.remaining, lng), limit: formatNumber(s.rate.limit, lng), time: formatRelativeSpan(s.rate.resetAt, now, lng) })
                        : dash}
                    </td>
                    <td className={s.lastError ? 'health-error' : undefined}>{s.lastError ? explain(s.lastError) : dash}</td>
                    <td className="num">{formatNumber(s.itemsToday, lng)}</td>
                    <td className="num">{formatUsd(s.costTodayUsd, lng)}</td>
                  </tr>
                  {s.gaps && s.gaps.length > 0 && (
                    <tr className="health-gaps-row" data-stream-id={s.id}>
                      <td colSpan={8}>
                        <Gaps stream={s} now={now} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <SetAside streams={streams} accounts={status.accounts} streamName={streamName} now={now} />
    </div>
  );
}
