import { useTeamT } from '../i18n/team';
import type { Presence, TeamMember, TeamStatus } from '../../../shared/team.js';
import { useUi } from '../store';
import { Name } from '../text/Name';
import { canReadAudit } from './TeamSettings';
import { useTeamUi } from './teamUi';
import { displayName, useTeam } from './useTeam';
import './team.css';
import { ApprovalButton } from '../workflow/approval/ApprovalButton';
import { InboxButton } from '../workflow/assign/InboxButton';
import { RulesButton } from '../workflow/routing/RulesButton';
import { ShiftButton } from '../workflow/shifts/ShiftButton';

/** Colleagues named in the top bar; the rest are counted (and listed in its title). */
const SHOWN_MEMBERS = 5;
const ORDER: Record<Presence, number> = { online: 0, away: 1, offline: 2 };

/** The top bar in team mode: colleagues' presence, whether the team database is reachable, and the audit trail for leads. */
export function TeamBar() {
  const team = useTeam();
  const openSettings = useUi((s) => s.setSettingsOpen);
  const openAudit = useTeamUi((s) => s.setAuditOpen);
  if (!team) return null;
  return <TeamBarView team={team} onOpenSettings={() => openSettings(true)} onOpenAudit={() => openAudit(true)} />;
}

export function TeamBarView({ team, onOpenSettings, onOpenAudit }: { team: TeamStatus; onOpenSettings(): void; onOpenAudit(): void }) {
  const t = useTeamT();
  const colleagues = team.members
    .filter((m) => m.login !== team.me?.login)
    .sort((a, b) => ORDER[a.presence] - ORDER[b.presence] || a.name.localeCompare(b.name));
  const shown = colleagues.slice(0, SHOWN_MEMBERS);
  const rest = colleagues.slice(SHOWN_MEMBERS);
  const online = colleagues.filter((m) => m.presence === 'online').length;
  const stateOf = (m: TeamMember) => t(`presence.${m.presence}`);
  return (
    <div className="team-bar" data-testid="team-bar">
      {team.state === 'offline' && (
        <span className="offline-pill team-pill" role="status" title={t('unreachableHint')} data-testid="team-offline">
          {t('unreachable')}
        </span>
      )}
      {team.state === 'error' && (
        <button type="button" className="offline-pill team-pill team-pill--error" onClick={onOpenSettings} title={t('notConnectedHint')} data-testid="team-error-pill">
          {t('notConnected')}
        </button>
      )}
      {team.state === 'connecting' && (
        <span className="team-connecting" role="status" data-testid="team-connecting">
          {t('connecting')}
        </span>
      )}
      {colleagues.length > 0 && (
        <ul className="team-presence" aria-label={t('presence.label', { count: colleagues.length, n: colleagues.length, online })} data-testid="team-presence">
          {shown.map((m) => (
            <li
              key={m.login}
              className={`team-member team-member--${m.presence}`}
              title={t('presence.member', { name: displayName(m.name) || m.login, state: stateOf(m) })}
              data-testid="team-member"
              data-presence={m.presence}
            >
              <span className="presence-dot" aria-hidden="true" />
              <Name className="team-member-name" text={m.name || m.login} max={40} />
              <span className="team-sr">: {stateOf(m)}</span>
            </li>
          ))}
          {rest.length > 0 && (
            <li
              className="team-member team-member--more"
              title={t('presence.moreTitle', { list: rest.map((m) => t('presence.member', { name: displayName(m.name) || m.login, state: stateOf(m) })).join(', ') })}
            >
              {t('presence.more', { count: rest.length, n: rest.length })}
              <span className="team-sr">
                {' '}
                {rest.map((m) => t('presence.member', { name: displayName(m.name) || m.login, state: stateOf(m) })).join(', ')}
              </span>
            </li>
          )}
        </ul>
      )}
      <ShiftButton />
      <InboxButton />
      <ApprovalButton />
      <RulesButton />
      {canReadAudit(team) && (
        <button type="button" className="icon-button" onClick={onOpenAudit} aria-label={t('audit.open')} title={t('audit.open')} data-testid="open-audit">
          <span aria-hidden="true">☰</span>
        </button>
      )}
    </div>
  );
}
