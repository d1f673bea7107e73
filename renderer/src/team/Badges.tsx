import { useTeamT } from '../i18n/team';
import type { TeamStatus } from '../../../shared/team.js';
import { useOthersClaims, pollerOf } from './useTeam';
import './team.css';

/** "Anna is replying" on the conversation header, while a colleague holds its claim. */
export function ReplyingBadge({ conversationKey }: { conversationKey: string }) {
  const t = useTeamT();
  const name = useOthersClaims().get(conversationKey);
  if (!name) return null;
  return (
    <span className="replying-badge" role="status" title={t('replyingTitle', { name })} data-testid="conversation-replying">
      {t('replying', { name })}
    </span>
  );
}

/** Which console polls (and sends for) an account, in team mode. */
export function PollerNote({ team, accountId, className = 'account-card-note' }: { team: TeamStatus; accountId: string; className?: string }) {
  const t = useTeamT();
  const p = pollerOf(team, accountId);
  const text = p.by === 'me' ? t('poller.me') : p.by === 'other' ? t('poller.other', { name: p.name }) : t('poller.none');
  return (
    <p className={className} data-testid="account-poller" data-poller={p.by}>
      {text}
    </p>
  );
}
