import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamStatus } from '../../../../shared/team.js';
import { handoversSince, type WorkflowState } from '../../../../shared/workflowState.js';
import { useWfT } from '../../i18n/wf';
import { useServices } from '../../services';
import { displayName } from '../../team/useTeam';
import { useModal } from '../../useModal';
import { openLoad } from './load';

/** Local midnight of the day `now` falls in. */
export function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The lead's view: who is on duty (since when), each colleague's open work, today's handovers and who read them. */
export function DutyOverview({ team, state, now, open, onClose }: { team: TeamStatus; state: WorkflowState; now: number; open: boolean; onClose(): void }) {
  const t = useWfT();
  const ref = useModal(open);
  return (
    <dialog ref={ref} className="dialog duty-dialog" aria-labelledby="duty-title" onClose={onClose} data-testid="duty-overview">
      <h2 id="duty-title">{t('shifts.overview.title')}</h2>
      {open && <DutyView team={team} state={state} now={now} />}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('shifts.overview.close')}
        </button>
      </div>
    </dialog>
  );
}

function DutyView({ team, state, now }: { team: TeamStatus; state: WorkflowState; now: number }) {
  const t = useWfT();
  const { i18n } = useTranslation();
  const { db } = useServices();
  const [load, setLoad] = useState<ReadonlyMap<string, number> | null>(null);
  // Counted again whenever the log changes (a new assignment, a routed message, a shift).
  useEffect(() => {
    let live = true;
    void openLoad(db, state).then(
      (l) => live && setLoad(l),
      (e: unknown) => console.warn('open load not counted', e),
    );
    return () => {
      live = false;
    };
  }, [db, state]);
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' });
  const claims = new Map<string, number>();
  for (const c of team.claims) claims.set(c.login, (claims.get(c.login) ?? 0) + 1);
  const nameOf = (login: string) => displayName(team.members.find((m) => m.login === login)?.name ?? '') || login;
  const people = [...team.members].sort((a, b) => Number(state.onDuty.has(b.login)) - Number(state.onDuty.has(a.login)) || a.name.localeCompare(b.name));
  const today = handoversSince(state, startOfDay(now));

  return (
    <div className="duty">
      <table className="duty-table">
        <thead>
          <tr>
            <th scope="col">{t('shifts.overview.colleague')}</th>
            <th scope="col">{t('shifts.overview.duty')}</th>
            <th scope="col">{t('shifts.overview.load')}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((m) => {
            const shift = state.onDuty.get(m.login);
            return (
              <tr key={m.login} data-testid="duty-row" data-login={m.login} data-on-duty={shift ? 'true' : 'false'}>
                <td>{displayName(m.name) || m.login}</td>
                <td>{shift ? t('shifts.overview.since', { time: time.format(shift.since) }) : t('shifts.overview.off')}</td>
                <td data-testid="duty-load">
                  {load === null ? t('shifts.overview.loading') : t('shifts.overview.loadValue', { assigned: load.get(m.login) ?? 0, claims: claims.get(m.login) ?? 0 })}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>{t('shifts.overview.handovers')}</h3>
      {today.length === 0 ? (
        <p role="status">{t('shifts.overview.none')}</p>
      ) : (
        <ul className="duty-handovers">
          {today.map((h) => (
            <li key={h.id} data-testid="duty-handover" data-id={h.id}>
              <p className="duty-handover-head">
                <strong>{t('shifts.overview.at', { name: displayName(h.byName) || h.by, time: time.format(h.at) })}</strong>
                {' · '}
                {t('shifts.banner.items', { count: h.items.length, n: h.items.length })}
              </p>
              {h.note && <p className="handover-note">{h.note}</p>}
              {h.drafts.length > 0 && <p>{t('shifts.overview.handed', { list: [...new Set(h.drafts.map((d) => nameOf(d.to)))].join(', ') })}</p>}
              <p data-testid="duty-acks">
                {h.acks.length === 0
                  ? t('shifts.overview.notAcked')
                  : t('shifts.overview.ackBy', { list: h.acks.map((a) => `${displayName(a.byName) || a.by} (${time.format(a.at)})`).join(', ') })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
