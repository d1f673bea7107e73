import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamStatus } from '../../../../shared/team.js';
import type { WorkflowAction } from '../../../../shared/workflow.js';
import { useWfT, type WfT } from '../../i18n/wf';
import { useServices } from '../../services';
import { useTeam } from '../../team/useTeam';
import { useNow } from '../../useNow';
import { act, dismissFailed, useWorkflow } from '../store';
import { DutyOverview } from './DutyOverview';
import { EndShiftDialog } from './EndShiftDialog';
import { HandoverBanner } from './HandoverBanner';
import './shifts.css';

const SHIFT_KINDS: ReadonlySet<string> = new Set(['shiftStart', 'shiftEnd', 'handoverAck']);
const KNOWN_FAILURES = ['onDuty', 'offDuty', 'unknownColleague', 'notTheirDepartment', 'unknownHandover', 'ownHandover', 'acknowledged'] as const;

/** Why a shift action was not applied, in the agent's language. */
export function shiftFailureText(t: WfT, f: { what: string; by?: string }): string {
  if ((KNOWN_FAILURES as readonly string[]).includes(f.what)) return t(`shifts.failed.${f.what as (typeof KNOWN_FAILURES)[number]}`, { by: f.by ?? '' });
  if (f.what === 'team:rights') return t('shifts.failed.rights');
  return t('shifts.failed.other', { what: f.what });
}

/** Start / end shift in the team bar, the handover banner and the lead's duty overview. */
export function ShiftButton() {
  const team = useTeam();
  if (!team?.me) return null;
  return <Shifts team={team} login={team.me.login} />;
}

function Shifts({ team, login }: { team: TeamStatus; login: string }) {
  const t = useWfT();
  const { i18n } = useTranslation();
  const { db } = useServices();
  const { state, failed } = useWorkflow();
  const now = useNow();
  const [ending, setEnding] = useState(false);
  const [overview, setOverview] = useState(false);
  const shift = state.onDuty.get(login);
  const lead = team.me?.role === 'lead' || team.me?.role === 'admin';
  const mine = failed.filter((f) => SHIFT_KINDS.has(f.action.kind));
  const time = (at: number) => new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(at);

  return (
    <>
      {shift ? (
        <span className="shift-state" data-testid="shift-state" data-on-duty="true">
          <span className="shift-since">{t('shifts.onDuty', { time: time(shift.since) })}</span>
          <button type="button" className="button button--small" title={t('shifts.endTitle')} onClick={() => setEnding(true)} data-testid="shift-end">
            {t('shifts.end')}
          </button>
        </span>
      ) : (
        <button type="button" className="button button--small" title={t('shifts.startTitle')} onClick={() => void act({ kind: 'shiftStart' })} data-testid="shift-start">
          {t('shifts.start')}
        </button>
      )}
      {lead && (
        <button type="button" className="button button--small" title={t('shifts.overview.openTitle')} onClick={() => setOverview(true)} data-testid="duty-open">
          {t('shifts.overview.open')}
        </button>
      )}
      <EndShiftDialog team={team} open={ending} onClose={() => setEnding(false)} />
      {lead && <DutyOverview team={team} state={state} now={now} open={overview} onClose={() => setOverview(false)} />}
      <HandoverBanner state={state} login={login} now={now} />
      {mine.length > 0 && <ShiftFailures failed={mine} onDismiss={(a) => void dismissFailed(db, a.id)} />}
    </>
  );
}

function ShiftFailures({ failed, onDismiss }: { failed: ReadonlyArray<{ action: WorkflowAction; what: string; by?: string }>; onDismiss(a: WorkflowAction): void }) {
  const t = useWfT();
  return (
    <div className="shift-failures" role="alert" data-testid="shift-failed">
      <strong>{t('shifts.failed.title')}</strong>
      {failed.map((f) => (
        <p key={f.action.id}>
          {shiftFailureText(t, f)}{' '}
          <button type="button" className="link-button" onClick={() => onDismiss(f.action)}>
            {t('shifts.failed.dismiss')}
          </button>
        </p>
      ))}
    </div>
  );
}
