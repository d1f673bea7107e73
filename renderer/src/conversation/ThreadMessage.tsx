import { useTranslation } from 'react-i18next';
import { platformOf, type Message } from '../../../shared/model.js';
import { safeHttpsHref } from '../../../shared/text/segments.js';
import { Avatar } from '../board/Avatar';
import { TimeAgo } from '../board/TimeAgo';
import { Name } from '../text/Name';
import { SafeText } from '../text/SafeText';
import { ShortenedControls, useFullText } from '../text/Shortened';
import { displayName } from '../team/useTeam';
import { teamT } from '../i18n/team';

export function ThreadMessage({ message: m, selected }: { message: Message; selected: boolean }) {
  const { t } = useTranslation();
  const platform = platformOf(m.channel);
  const url = safeHttpsHref(m.url);
  const full = useFullText(m);
  const className = ['thread-message', m.fromUs ? 'thread-message--ours' : '', selected ? 'thread-message--selected' : ''].filter(Boolean).join(' ');
  return (
    <li className={className} data-testid="thread-message" data-key={m.key}>
      <Avatar id={m.author.id} name={m.author.name} handle={m.author.handle} url={m.author.avatarUrl} size="sm" />
      <div className="thread-main">
        <div className="thread-head">
          <Name className="card-name" text={m.author.name} />
          {platform === 'x' && m.author.handle && (
            <span className="card-handle">
              @<Name text={m.author.handle} max={100} />
            </span>
          )}
          <TimeAgo at={m.createdAt} className="card-time" />
        </div>
        <div className="thread-text">
          <SafeText text={full.text ?? m.text} />
        </div>
        <div className="thread-foot">
          {m.fromUs && <span className="ours-mark">{t('card.fromUs')}</span>}
          {m.fromUs && m.by && (
            <span className="by-mark" data-testid="thread-by">
              {teamT(t)('by', { name: displayName(m.by) })}
            </span>
          )}
          {m.shortened && <ShortenedControls message={m} full={full} />}
          {url && (
            <a className="platform-link" href={url} target="_blank" rel="noopener noreferrer">
              {t('conversation.openOnPlatform', { platform: t(`platform.${platform}`) })}
            </a>
          )}
        </div>
      </div>
    </li>
  );
}
