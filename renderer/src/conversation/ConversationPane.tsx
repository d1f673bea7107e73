import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../shared/model.js';
import { Composer } from '../composer/Composer';
import { CustomerPanel } from '../customer/CustomerPanel';
import { ErrorBoundary } from '../ErrorBoundary';
import { formatNumber } from '../i18n/format';
import { Icon } from '../icons/Icon';
import { useDb } from '../services';
import { selectSelectedKey, useUi } from '../store';
import { ReplyingBadge } from '../team/Badges';
import { useTeam } from '../team/useTeam';
import { ConversationWorkflow } from '../workflow/assign/ConversationWorkflow';
import { clampPaneWidth, DEFAULT_PANE_WIDTH, MAX_PANE_WIDTH, MIN_PANE_WIDTH, PANE_WIDTH_KEY, PANE_WIDTH_STEP } from './paneWidth';
import { THREAD_LIMIT, threadKey, threadOf } from './thread';
import { ThreadMessage } from './ThreadMessage';

/**
 * The whole thread of the selected card, oldest first, with the reply box
 * under it. Shown only while a conversation is open, so the board has the
 * whole width otherwise; its left edge narrows or widens it (kept per console).
 * Esc (renderer/src/board/useBoardKeys.ts) or × closes it.
 */
export function ConversationPane() {
  const { t } = useTranslation();
  const key = useUi(selectSelectedKey);
  const db = useDb();
  const saved = useLiveQuery(async () => (await db.settings.get(PANE_WIDTH_KEY))?.value, [db]);
  // The width being dragged or stepped to, until the store has it: a slow write never snaps back.
  const [live, setLive] = useState<number | null>(null);
  if (live !== null && live === saved) setLive(null);
  if (key === null) return null;
  const width = live ?? (typeof saved === 'number' ? clampPaneWidth(saved) : null);
  return (
    <aside className="conversation" data-testid="conversation" aria-label={t('conversation.label')} style={width === null ? undefined : { width }}>
      <PaneResize width={width} onLive={setLive} />
      <ErrorBoundary key={key} fallback={() => <div className="conversation-state" role="alert">{t('conversation.gone')}</div>}>
        <Conversation messageKey={key} />
      </ErrorBoundary>
    </aside>
  );
}

/** The pane's left edge: drag it, or focus it and use ←/→. */
function PaneResize({ width, onLive }: { width: number | null; onLive(w: number | null): void }) {
  const { t } = useTranslation();
  const db = useDb();
  const start = useRef<{ x: number; w: number } | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  // Until the agent sets one, the pane is as wide as the stylesheet makes it.
  const current = () => width ?? ref.current?.parentElement?.getBoundingClientRect().width ?? DEFAULT_PANE_WIDTH;
  const persist = (w: number) => {
    db.settings.put({ key: PANE_WIDTH_KEY, value: w }).catch((e: unknown) => {
      console.warn('pane width not saved', e);
      onLive(null);
    });
  };
  // The pane is dragged by its left edge: moving left widens it.
  const at = (e: PointerEvent<HTMLDivElement>) => clampPaneWidth((start.current?.w ?? 0) - (e.clientX - (start.current?.x ?? 0)));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? PANE_WIDTH_STEP * 3 : PANE_WIDTH_STEP;
    const delta = e.key === 'ArrowLeft' ? step : e.key === 'ArrowRight' ? -step : 0;
    if (delta === 0) return;
    e.preventDefault();
    const w = clampPaneWidth(current() + delta);
    onLive(w);
    persist(w);
  };
  return (
    <div
      ref={ref}
      className="conversation-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={t('conversation.resize')}
      title={t('conversation.resizeHint')}
      aria-valuenow={width ?? DEFAULT_PANE_WIDTH}
      aria-valuemin={MIN_PANE_WIDTH}
      aria-valuemax={MAX_PANE_WIDTH}
      tabIndex={0}
      data-testid="conversation-resize"
      onPointerDown={(e) => {
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { x: e.clientX, w: current() };
      }}
      onPointerMove={(e) => {
        if (start.current) onLive(at(e));
      }}
      onPointerUp={(e) => {
        if (!start.current) return;
        const w = at(e);
        start.current = null;
        onLive(w);
        persist(w);
      }}
      onPointerCancel={() => {
        start.current = null;
        onLive(null);
      }}
      onKeyDown={onKeyDown}
    />
  );
}

function Conversation({ messageKey }: { messageKey: string }) {
  const { t } = useTranslation();
  const db = useDb();
  const select = useUi((s) => s.select);
  // undefined while loading, null when the message is not (or no longer) stored.
  const selected = useLiveQuery(async () => (await db.messages.get(messageKey)) ?? null, [db, messageKey]);
  // A department login lets go of what is given to another department: most likely why it went.
  const departmentOnly = useTeam()?.me?.role === 'department';
  if (selected === undefined) return <div className="conversation-state">{t('conversation.loading')}</div>;
  if (selected === null) return <div className="conversation-state" data-testid="conversation-gone">{t(departmentOnly ? 'conversation.goneElsewhere' : 'conversation.gone')}</div>;
  return (
    <>
      <header className="conversation-head">
        <h2 className="conversation-title">
          {t('conversation.label')} · <span className={`badge badge--${selected.channel}`}>{t(`channelBadge.${selected.channel}`)}</span>
        </h2>
        <ReplyingBadge conversationKey={threadKey(selected)} />
        <button type="button" className="icon-button" onClick={() => select(null)} aria-label={t('conversation.close')} title={t('conversation.close')}>
          <Icon name="close" />
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
