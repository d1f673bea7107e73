import { memo, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { platformOf, type Message } from '../../../shared/model.js';
import { previewText } from '../../../shared/text/preview.js';
import { Name } from '../text/Name';
import { SafeText } from '../text/SafeText';
import { Avatar } from './Avatar';
import { TimeAgo } from './TimeAgo';

/** A card shows at most this much of a text; CSS clips it further with a fade. */
const PREVIEW_CHARS = 1200;

interface Props {
  message: Message;
  selected: boolean;
  onSelect(key: string): void;
}

function CardView({ message: m, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    // Only the card itself: Enter on a link inside it opens the link.
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(m.key);
    }
  };
  const className = ['card', selected ? 'card--selected' : '', m.fromUs ? 'card--ours' : ''].filter(Boolean).join(' ');
  return (
    <article
      className={className}
      data-testid="card"
      data-key={m.key}
      tabIndex={0}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(m.key)}
      onKeyDown={onKeyDown}
    >
      <Avatar id={m.author.id} name={m.author.name} handle={m.author.handle} url={m.author.avatarUrl} />
      <div className="card-main">
        <header className="card-head">
          <Name className="card-name" text={m.author.name} />
          {platformOf(m.channel) === 'x' && m.author.handle && (
            <span className="card-handle">
              @<Name text={m.author.handle} max={100} />
            </span>
          )}
          <TimeAgo at={m.createdAt} className="card-time" />
        </header>
        <div className="card-text">
          <SafeText text={previewText(m.text, PREVIEW_CHARS)} />
        </div>
        <footer className="card-foot">
          <span className={`badge badge--${m.channel}`}>{t(`channelBadge.${m.channel}`)}</span>
          {m.fromUs && <span className="ours-mark">{t('card.fromUs')}</span>}
        </footer>
      </div>
    </article>
  );
}

/** Live queries hand out fresh objects on every change; compare what is shown. */
function same(a: Props, b: Props): boolean {
  const x = a.message;
  const y = b.message;
  return (
    a.selected === b.selected &&
    a.onSelect === b.onSelect &&
    x.key === y.key &&
    x.text === y.text &&
    x.createdAt === y.createdAt &&
    x.fromUs === y.fromUs &&
    x.author.id === y.author.id &&
    x.author.name === y.author.name &&
    x.author.handle === y.author.handle &&
    x.author.avatarUrl === y.author.avatarUrl
  );
}

export const Card = memo(CardView, same);
