import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../shared/model.js';
import { Composer } from '../composer/Composer';
import { CustomerPanel } from '../customer/CustomerPanel';
import { ErrorBoundary } from '../ErrorBoundary';
import { formatNumber } from '../i18n/format';
import { useDb } from '../services';
import { selectSelectedKey, useUi } from '../store';
import { ReplyingBadge } from '../team/Badges';
import { ConversationWorkflow } from '../workflow/assign/ConversationWorkflow';
import { THREAD_LIMIT, threadKey, threadOf } from './thread';
import { ThreadMessage } from './ThreadMessage';

/** The whole thread of the selected card, oldest first, with the reply box under it. */
export function ConversationPane() {
  const { t } = useTranslation();
  const key = useUi(selectSelectedKey);
  const select = useUi((s) => s.select);
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape' && !(e.target instanceof HTMLTextAreaElement)) select(null);
  };
  return (
    <aside className="conversation" data-testid="conversation" aria-label={t('conversation.label')} onKeyDown={onKeyDown}>
      {key === null ? (
        <div className="conversation-state">{t('conversation.empty')}</div>
      ) : (
        <ErrorBoundary key={key} fallback={() => <div className="conversation-state" role="alert">{t('conversation.gone')}</div>}>
          <Conversation messageKey={key} />
        </ErrorBoundary>
      )}
    </aside>
  );
}

function Conversation({ messageKey }: { messageKey: string }) {
  const { t } = useTranslation();
  const db = useDb();
  const select = useUi((s) => s.select);
  // undefined while loading, null when the message is not (or no longer) stored.
  const selected = useLiveQuery(async () => (await db.messages.get(messageKey)) ?? null, [db, messageKey]);
  if (selected === undefined) return <div className="conversation-state">{t('conversation.loading')}</div>;
  if (selected === null) return <div className="conversation-state">{t('conversation.gone')}</div>;
  return (
    <>
      <header className="conversation-head">
        <h2 className="conversation-title">
          {t('conversation.label')} · <span className={`badge badge--${selected.channel}`}>{t(`channelBadge.${selected.channel}`)}</span>
        </h2>
        <ReplyingBadge conversationKey={threadKey(selected)} />
        <button type="button" className="icon-button" onClick={() => select(null)} aria-label={t('conversation.close')} title={t('conversation.close')}>
          ×
        </button>
      </header>
      <CustomerPanel message={selected} />
      <ConversationWorkflow conversationKey={threadKey(selected)} messageKey={selected.key} />
      <Thread selected={selected} />
    </>
  );
}

function Thread({ selected }: { selected: Message }) {
  const { t, i18n } = useTranslation();
  const db = useDb();
  const { conversationId, channel } = selected;
  const thread = useLiveQuery(
    async () => threadOf(await db.messages.where('conversationId').equals(conversationId).toArray(), channel),
    [db, conversationId, channel],
  );
  const listRef = useRef<HTMLOListElement>(null);
  const length = thread?.length ?? 0;

  // Like a chat: open at the newest message, and follow new ones while the agent is at the bottom.
  const atBottom = useRef(true);
  useEffect(() => {
    const el = listRef.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [length, conversationId]);

  if (thread === undefined) return <div className="conversation-state">{t('conversation.loading')}</div>;
  const shown = thread.slice(-THREAD_LIMIT);
  const hidden = thread.length - shown.length;
  return (
    <>
      <ol
        ref={listRef}
        className="thread"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {hidden > 0 && <li className="thread-earlier">{t('conversation.earlier', { count: hidden, n: formatNumber(hidden, i18n.language) })}</li>}
        {shown.map((m) => (
          <ThreadMessage key={m.key} message={m} selected={m.key === selected.key} />
        ))}
      </ol>
      <Composer key={threadKey(selected)} thread={thread} fallback={selected} />
    </>
  );
}
