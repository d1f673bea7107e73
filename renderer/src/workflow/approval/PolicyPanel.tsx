import { useTranslation } from 'react-i18next';
import { ALL_CHANNELS, type Channel } from '../../../../shared/model.js';
import { useTeamT } from '../../i18n/team';
import { useWfT } from '../../i18n/wf';
import { displayName, useTeam } from '../../team/useTeam';
import { act, useWorkflow } from '../store';

/**
 * Who needs a lead's approval: colleagues and channels, each a checkbox. Every
 * change is an `approvalPolicy` action (a named record with the lead and the
 * time); the database applies it before the next reply is sent.
 */
export function PolicyPanel() {
  const { t } = useTranslation();
  const wt = useWfT();
  const tt = useTeamT();
  const team = useTeam();
  const { state } = useWorkflow();
  const members = [...(team?.members ?? [])].filter((m) => m.login !== team?.me?.login).sort((a, b) => a.name.localeCompare(b.name));
  const setLogin = (login: string, required: boolean) => void act({ kind: 'approvalPolicy', target: { login }, required });
  const setChannel = (channel: Channel, required: boolean) => void act({ kind: 'approvalPolicy', target: { channel }, required });
  return (
    <div className="approval-policy" data-testid="approval-policy">
      <p className="approval-intro">{wt('approval.policy.intro')}</p>
      <fieldset className="field">
        <legend>{wt('approval.policy.people')}</legend>
        {members.length === 0 && <p className="approval-empty">{wt('approval.policy.nobody')}</p>}
        {members.map((m) => (
          <label key={m.login} className="approval-check">
            <input type="checkbox" checked={state.policy.logins.has(m.login)} onChange={(e) => setLogin(m.login, e.target.checked)} data-testid={`approval-policy-login-${m.login}`} />
            {wt('approval.policy.member', { name: displayName(m.name) || m.login, role: tt(`role.${m.role}`) })}
          </label>
        ))}
      </fieldset>
      <fieldset className="field">
        <legend>{wt('approval.policy.channels')}</legend>
        {ALL_CHANNELS.map((c) => (
          <label key={c} className="approval-check">
            <input type="checkbox" checked={state.policy.channels.has(c)} onChange={(e) => setChannel(c, e.target.checked)} data-testid={`approval-policy-channel-${c}`} />
            {t(`channel.${c}`)}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
