import { memo, type KeyboardEvent, type MouseEvent } from 'react';
import { messageState, type MessageState } from '../../../shared/conversation.js';
import type { StoredMark } from '../db/db';
import { platformOf, type Message } from '../../../shared/model.js';
import { stripBidiControls } from '../../../shared/text/bidi.js';
import { previewText } from '../../../shared/text/preview.js';
import { teamT } from '../i18n/team';
import { formatNumber } from '../i18n/format';
import { useLang } from '../i18n/useLang';
import { Name } from '../text/Name';
import { SafeText } from '../text/SafeText';
import { ShortenedMark } from '../text/Shortened';
import { Avatar } from './Avatar';
import { SentimentMark } from './SentimentMark';
import { SlaClock } from '../insight/SlaClock';
import { PriorityMark } from '../insight/PriorityMark';
import type { MessagePriority } from '../../../shared/priority.js';
import type { Measure } from '../../../shared/workflowState.js';
import { TimeAgo } from './TimeAgo';
import { CardWorkflow } from '../workflow/assign/CardWorkflow';
import { PriorityBadge } from '../workflow/routing/PriorityBadge';

/** A card shows at most this much of a text; CSS clips it further with a fade. */
const PREVIEW_CHARS = 1200;

/** Lines of text before the fade begins (7.5em at a line height of 1.4). */
const FADE_LINES = 5;

/**
 * Whether a text may reach the fade at the bottom of a card: only those get
 * the mask, which is costly to paint on every card of a scrolling column.
 * Estimated generously for a line of `lineChars` characters (wide characters
 * twice, every combining mark one); a text estimated short is clipped all the same.
 */
export function mayOverflow(text: string, lineChars: number): boolean {
  const perLine = Math.max(1, lineChars);
  if (text.length > FADE_LINES * perLine * 2) return true;
  let lines = 0;
  let width = 0;
  for (const ch of text) {
    if (ch === '\n') {
      lines += Math.max(1, Math.ceil(width / perLine));
      width = 0;
    } else width += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1;
    if (lines + Math.ceil(width / perLine) >= FADE_LINES) return true;
  }
  return false;
}

export type ActivateMode = 'open' | 'toggle' | 'range';

interface Props {
  message: Message;
  mark: StoredMark | undefined;
  /**
   * Waiting, answered, done or archived (shared/conversation.ts); a private
   * conversation's card shows the conversation's. A column always knows it;
   * a card drawn on its own (a test, a preview) goes by its mark alone.
   */
  state?: MessageState;
  /**
   * X DMs and Messenger: the card stands for the whole conversation (shown by
   * its newest message), and this is how many of the customer's messages
   * since our last reply are open. Absent on a card of one public message.
   */
  unanswered?: number;
  /** Team mode: the colleague replying in this card's conversation (its claim), if any. */
  replying?: string;
  /** While it waits: since when (a conversation's oldest unanswered message), the column's target and how time counts. */
  waitingSince?: number | null;
  targetMin?: number;
  measure?: Measure;
  /** What makes it urgent (shared/priority.ts); a high one shows a mark saying why. */
  priority?: MessagePriority;
  selected: boolean;
  picked: boolean;
  /** About how many characters a text line holds in this column (see mayOverflow). */
  lineChars: number;
  onActivate(key: string, mode: ActivateMode): void;
  onFocusCard(key: string): void;
  onDone(key: string): void;
}

function CardView({ message: m, mark, state: known, unanswered, replying, waitingSince, targetMin, measure, priority, selected, picked, lineChars, onActivate, onFocusCard, onDone }: Props) {
  const { t, lng } = useLang();
  const conversation = unanswered !== undefined;
  const state = known ?? messageState(m, mark, false);
  const status = mark?.status ?? 'open';
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    // Only the card itself: Enter on a link or button inside it is theirs.
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onActivate(m.key, 'open');
    }
  };
  const onClick = (e: MouseEvent<HTMLElement>) => {
    if ((e.target as HTMLElement).closest('a, button')) return;
    onActivate(m.key, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'open');
  };
  const className = ['card', selected ? 'card--selected' : '', m.fromUs ? 'card--ours' : '', picked ? 'card--picked' : '', status !== 'open' ? `card--${status}` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <article
      className={className}
      data-testid="card"
      data-key={m.key}
      data-status={status}
      data-state={state}
      data-conversation={conversation ? 'true' : undefined}
      data-picked={picked ? 'true' : undefined}
      tabIndex={0}
      aria-current={selected ? 'true' : undefined}
      onClick={onClick}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        if (e.target === e.currentTarget) onFocusCard(m.key);
      }}
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
        <div className={mayOverflow(m.text, lineChars) ? 'card-text card-text--long' : 'card-text'}>
          <SafeText text={previewText(m.text, PREVIEW_CHARS)} />
        </div>
        <footer className="card-foot">
          {picked && (
            <span className="card-picked-mark" aria-label={t('card.picked')} role="img">
              ✓
            </span>
          )}
          <span className={`badge badge--${m.channel}`}>{t(`channelBadge.${m.channel}`)}</span>
          {m.fromUs && <span className="ours-mark">{t('card.fromUs')}</span>}
          {unanswered !== undefined && unanswered > 0 && (
            <span className="status-mark card-unanswered" data-testid="card-unanswered" title={t('convState.unanswered', { count: unanswered, n: formatNumber(unanswered, lng) })}>
              {formatNumber(unanswered, lng)}
            </span>
          )}
          {state === 'answered' && !m.fromUs && (
            <span className="status-mark status-mark--answered" data-testid="card-answered" title={t('convState.answeredTitle')}>
              {t('convState.answered')}
            </span>
          )}
          {priority && <PriorityMark priority={priority} />}
          {state === 'waiting' && waitingSince != null && targetMin !== undefined && measure && (
            <SlaClock since={waitingSince} conversationKey={`${m.channel}:${m.conversationId}`} targetMin={targetMin} measure={measure} />
          )}
          {!m.fromUs && <SentimentMark messageKey={m.key} detected={m.sentiment} override={mark?.sentiment} />}
          {m.shortened && <ShortenedMark />}
          {status !== 'open' && (
            <span className={`status-mark status-mark--${status}`} title={mark?.by ? teamT(t)('markedBy', { name: stripBidiControls(mark.by) }) : undefined}>
              {t(`status.${status}`)}
            </span>
          )}
          {mark?.tag && (
            <span className="tag-mark" title={t('card.tag')}>
              <Name text={mark.tag} max={60} />
            </span>
          )}
          {mark?.assignee && (
            <span className="assignee-mark" title={t('card.assignee')}>
              → <Name text={mark.assignee} max={100} />
            </span>
          )}
          {replying && (
            <span className="replying-badge" title={teamT(t)('replyingTitle', { name: replying })} data-testid="card-replying">
              {teamT(t)('replying', { name: replying })}
            </span>
          )}
          <CardWorkflow messageKey={m.key} conversationKey={`${m.channel}:${m.conversationId}`} />
          <PriorityBadge messageKey={m.key} />
          {(!m.fromUs || conversation) && (
            <button
              type="button"
              className="card-done"
              data-testid="card-done"
              aria-pressed={status === 'done'}
              title={status === 'done' ? t('card.reopen') : t('card.done')}
              aria-label={status === 'done' ? t('card.reopen') : t('card.done')}
              onClick={() => onDone(m.key)}
            >
              ✓
            </button>
          )}
        </footer>
      </div>
    </article>
  );
}

/** Reads hand out fresh objects on every change; compare what is shown. */
function same(a: Props, b: Props): boolean {
  const x = a.message;
  const y = b.message;
  return (
    a.selected === b.selected &&
    a.picked === b.picked &&
    a.lineChars === b.lineChars &&
    a.onActivate === b.onActivate &&
    a.onFocusCard === b.onFocusCard &&
    a.onDone === b.onDone &&
    a.state === b.state &&
    a.unanswered === b.unanswered &&
    a.mark?.status === b.mark?.status &&
    a.mark?.tag === b.mark?.tag &&
    a.mark?.assignee === b.mark?.assignee &&
    a.mark?.by === b.mark?.by &&
    a.mark?.sentiment === b.mark?.sentiment &&
    a.replying === b.replying &&
    a.waitingSince === b.waitingSince &&
    a.targetMin === b.targetMin &&
    a.measure === b.measure &&
    a.priority?.level === b.priority?.level &&
    a.priority?.reasons.join() === b.priority?.reasons.join() &&
    a.priority?.word === b.priority?.word &&
    x.key === y.key &&
    x.text === y.text &&
    x.createdAt === y.createdAt &&
    x.fromUs === y.fromUs &&
    x.shortened === y.shortened &&
    x.sentiment === y.sentiment &&
    x.author.id === y.author.id &&
    x.author.name === y.author.name &&
    x.author.handle === y.author.handle &&
    x.author.avatarUrl === y.author.avatarUrl
  );
}

export const Card = memo(CardView, same);
