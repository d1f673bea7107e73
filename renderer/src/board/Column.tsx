import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { slaState } from '../../../shared/sla.js';
import { askedConversations, type Measure } from '../../../shared/workflowState.js';
import { useInsightT } from '../i18n/insight';
import { columnTargetMin } from '../insight/slaSettings';
import { useBoardInsight } from '../insight/boardInsight';
import { priorityOf, type MessagePriority } from '../../../shared/priority.js';
import { sentimentOf } from '../../../shared/filter.js';
import { previewText } from '../../../shared/text/preview.js';
import { ErrorBoundary } from '../ErrorBoundary';
import { formatNumber } from '../i18n/format';
import { useLang } from '../i18n/useLang';
import { focusCard, registerColumn } from '../keys/navigation';
import { useDb } from '../services';
import { selectSelectedKey, useUi } from '../store';
import { useOthersClaims } from '../team/useTeam';
import { useNow } from '../useNow';
import { useWorkflowSelect } from '../workflow/store';
import { beep, ensureNotificationPermission, notificationsDenied, showNotification } from './alerts';
import { useBoardUi } from './boardStore';
import type { BoardSettings } from './boardSettings';
import { Card, type ActivateMode } from './Card';
import { ColumnGaps } from './ColumnGaps';
import type { ColumnItem, ColumnStats } from './columnQuery';
import { COLUMN_LIMIT, moveColumnStep, moveColumnTo, resizeColumnIn, updateColumn, type ColumnDef } from './columns';
import { formatAge } from './formatAge';
import { clampWidth, soleChannel } from './layout';
import { toggleDone } from './marks';
import { useColumnData } from './useColumnData';
import { headerClock, useColumnStats } from './useColumnStats';
import './board.css';
import { Icon } from '../icons/Icon';

/** Scrolled further than this from the top, the list holds still and new arrivals wait behind "N new". */
const HOLD_AFTER_PX = 48;
const RESIZE_STEP = 20;
/** Rows from the end of what is read at which the column reads further. */
const END_MARGIN = 150;
/** How many more a column reads each time the agent nears the end. */
const READ_MORE = 1_000;
/** The most a column reads while scrolling down; search finds anything older. */
const MAX_COLUMN_LIMIT = 10_000;
const DRAG_TYPE = 'application/x-webcare-column';

/**
 * About how many characters a card's text line holds in a column this wide:
 * the card's padding, border and avatar take about 90 px, an average character
 * at 14 px about 7.5 (counted low, so a text that may reach the fade gets it).
 */
function lineCharsAt(width: number): number {
  return Math.max(16, Math.floor((width - 90) / 7.5));
}

export function useColumnTitle(column: ColumnDef): string {
  const { t } = useTranslation();
  if (column.title.trim() !== '') return column.title;
  const channel = soleChannel(column);
  if (channel) return t(`channel.${channel}`);
  return t('column.untitled');
}

export function Column({ column, settings }: { column: ColumnDef; settings: BoardSettings }) {
  const { t } = useTranslation();
  const db = useDb();
  const title = useColumnTitle(column);
  const titleId = `column-title-${column.id}`;
  const [liveWidth, setLiveWidth] = useState<number | null>(null);
  const [dropping, setDropping] = useState(false);
  // The width being dragged or stepped to, until the store has it: a slow write never snaps back mid-resize.
  if (liveWidth !== null && liveWidth === column.width) setLiveWidth(null);
  const width = liveWidth ?? column.width;

  const onDragOver = (e: DragEvent<HTMLElement>) => {
    if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    setDropping(true);
  };
  const onDrop = (e: DragEvent<HTMLElement>) => {
    const id = e.dataTransfer.getData(DRAG_TYPE);
    setDropping(false);
    if (!id || id === column.id) return;
    e.preventDefault();
    moveColumnTo(db, id, column.order).catch((err: unknown) => console.warn('column not moved', err));
  };

  const className = ['column', column.collapsed ? 'column--collapsed' : '', dropping ? 'column--drop' : ''].filter(Boolean).join(' ');
  return (
    <section
      className={className}
      data-testid={`column-${column.id}`}
      data-column-id={column.id}
      aria-labelledby={titleId}
      tabIndex={-1}
      style={column.collapsed ? undefined : { width, flexBasis: width }}
      onDragOver={onDragOver}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
    >
      <ErrorBoundary
        fallback={(reset) => (
          <>
            <ColumnHeader column={column} title={title} titleId={titleId} items={undefined} stats={null} more={false} settings={settings} />
            <div className="column-state column-state--error" role="alert">
              <p>{t('column.error')}</p>
              <button type="button" className="button" onClick={reset}>
                {t('column.retry')}
              </button>
            </div>
          </>
        )}
      >
        <ColumnBody column={column} title={title} titleId={titleId} settings={settings} />
      </ErrorBoundary>
      {!column.collapsed && <ResizeHandle column={column} title={title} width={width} onLive={setLiveWidth} />}
    </section>
  );
}

function ColumnBody({ column, title, titleId, settings }: { column: ColumnDef; title: string; titleId: string; settings: BoardSettings }) {
  const { t } = useTranslation();
  const db = useDb();
  // Grows while the agent scrolls towards the end: what is read follows what is looked at.
  const [limit, setLimit] = useState(COLUMN_LIMIT);
  const data = useColumnData(db, column.filter, { me: settings.me }, limit);
  const more = data?.more ?? false;
  const onEndReached = useCallback(() => {
    const have = data?.items.length ?? 0;
    if (more && have >= limit) setLimit(Math.min(MAX_COLUMN_LIMIT, have + READ_MORE));
  }, [more, data?.items.length, limit]);
  // Back at the top, the column goes back to reading one page: later arrivals re-read little.
  const onTop = useCallback(() => setLimit(COLUMN_LIMIT), []);
  useArrivalAlerts(column, title, data?.items);
  const asked = useWorkflowSelect((v) => askedConversations(v.state));
  const stats = useColumnStats(db, column.filter, { me: settings.me }, data, column.seenAt, asked);
  const channel = soleChannel(column);
  const { sla, priority: compiled } = useBoardInsight();
  const targetMin = columnTargetMin(column.filter, column.targetMin, sla.targets);
  // Each card's priority with its reasons, and the column's order by it when asked (a stable sort: newest first within a level).
  const priorities = useMemo(() => {
    const map = new Map<string, MessagePriority>();
    for (const it of data?.items ?? []) map.set(it.message.key, priorityOf(it.message, sentimentOf(it.message, it.mark), compiled));
    return map;
  }, [data?.items, compiled]);
  // "Only high priority" keeps the high ones of what the column read (scrolling down reads further).
  const ordered = useMemo(() => {
    if (!data) return undefined;
    const shown = column.onlyHigh ? data.items.filter((it) => priorities.get(it.message.key)?.level === 'high') : data.items;
    if (column.sort !== 'priority') return shown;
    return [...shown].sort((a, b) => (priorities.get(b.message.key)?.score ?? 0) - (priorities.get(a.message.key)?.score ?? 0));
  }, [data, column.sort, column.onlyHigh, priorities]);

  return (
    <>
      <ColumnHeader column={column} title={title} titleId={titleId} items={data?.items} stats={stats} more={data?.more ?? false} settings={settings} targetMin={targetMin} measure={sla.measure} />
      {column.collapsed ? null : <ColumnGaps filter={column.filter} />}
      {column.collapsed ? null : data === undefined ? (
        <div className="column-state" aria-busy="true">
          {t('column.loading')}
        </div>
      ) : (ordered ?? data.items).length === 0 ? (
        <div className="column-state column-state--empty">{channel && column.title === '' ? t(`column.empty.${channel}`) : t('column.emptyFilter')}</div>
      ) : (
        <MessageList
          columnId={column.id}
          items={ordered ?? data.items}
          priorities={priorities}
          label={title}
          lineChars={lineCharsAt(column.width)}
          onEndReached={onEndReached}
          onTop={onTop}
          targetMin={targetMin}
          measure={sla.measure}
        />
      )}
    </>
  );
}

function ColumnHeader({
  column,
  title,
  titleId,
  items,
  stats,
  more,
  settings,
  targetMin,
  measure,
}: {
  column: ColumnDef;
  title: string;
  titleId: string;
  items: ColumnItem[] | undefined;
  /** Over everything the column matches, not only the rows read (useColumnStats). */
  stats: ColumnStats | null;
  more: boolean;
  settings: BoardSettings;
  /** The column's response target and how its time counts (business hours); absent while collapsed. */
  targetMin?: number;
  measure?: Measure;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const db = useDb();
  const now = useNow();
  const setEditor = useBoardUi((s) => s.setEditor);
  const pickAll = useBoardUi((s) => s.pickAll);

  // Newest first: "mark seen" marks up to the first row.
  const newest = items?.[0]?.message.createdAt ?? 0;

  const save = (patch: Partial<ColumnDef>) => updateColumn(db, column.id, patch).catch((e: unknown) => console.warn('column not saved', e));
  const toggleNotify = async () => {
    // Refused by the agent or the platform: the button's title says so and nothing changes.
    if (!column.notify && !(await ensureNotificationPermission())) return;
    await save({ notify: !column.notify });
  };
  const onGripKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const delta = e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowRight' ? 1 : 0;
    if (delta === 0) return;
    e.preventDefault();
    const grip = e.currentTarget;
    moveColumnStep(db, column.id, delta)
      .then(() => requestAnimationFrame(() => grip.focus()))
      .catch((err: unknown) => console.warn('column not moved', err));
  };

  const workflow = useWorkflowSelect((v) => v.state);
  // The clock stands still while a specialist is asked (team workflow): the time counted against the target.
  const ti = useInsightT();
  const clock = headerClock(stats, workflow, now, measure);
  const ageMs = clock?.ms ?? null;
  const target = targetMin ?? settings.responseTargetMin;
  const sla = ageMs === null ? null : slaState(ageMs, target);
  const late = sla === 'late';
  const count = items?.length ?? 0;

  if (column.collapsed) {
    return (
      <header className="column-head column-head--collapsed">
        <button type="button" className="column-expand" onClick={() => void save({ collapsed: false })} aria-label={t('column.expand', { title })} title={t('column.expand', { title })} data-testid="column-expand">
          <Icon name="expand" />
        </button>
        <h2 id={titleId} className="column-title column-title--vertical">
          {title}
        </h2>
        {stats && stats.unread > 0 && (
          <span className="column-unread">
            {formatNumber(stats.unread, lng)}
            {stats.unreadMore ? '+' : ''}
          </span>
        )}
      </header>
    );
  }

  return (
    <header
      className={`column-head${late ? ' column-head--late' : ''}`}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, column.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
    >
      <div className="column-head-row">
        <button type="button" className="column-grip" aria-label={t('column.move', { title })} title={t('column.moveHint')} onKeyDown={onGripKey} data-testid="column-grip">
          <Icon name="grip" />
        </button>
        <h2 id={titleId} className="column-title" data-testid="column-title">
          {title}
        </h2>
        <div className="column-tools">
          <button
            type="button"
            className={`tool-button${column.notify ? ' tool-button--on' : ''}`}
            aria-pressed={column.notify}
            aria-label={t('column.notify')}
            title={notificationsDenied() ? t('column.notifyDenied') : t('column.notify')}
            data-testid="column-notify"
            onClick={() => void toggleNotify()}
          >
            <Icon name="notify" />
          </button>
          <button
            type="button"
            className={`tool-button${column.sound ? ' tool-button--on' : ''}`}
            aria-pressed={column.sound}
            aria-label={t('column.sound')}
            title={t('column.sound')}
            data-testid="column-sound"
            onClick={() => void save({ sound: !column.sound })}
          >
            <Icon name="sound" />
          </button>
          <button
            type="button"
            className="tool-button"
            aria-label={t('column.selectAll')}
            title={t('column.selectAll')}
            data-testid="column-select-all"
            disabled={count === 0}
            onClick={() => pickAll(items?.map((i) => i.message.key) ?? [])}
          >
            <Icon name="selectAll" />
          </button>
          <button type="button" className="tool-button" aria-label={t('column.edit')} title={t('column.edit')} data-testid="column-edit" onClick={() => setEditor({ mode: 'edit', id: column.id })}>
            <Icon name="edit" />
          </button>
          <button type="button" className="tool-button" aria-label={t('column.collapse')} title={t('column.collapse')} data-testid="column-collapse" onClick={() => void save({ collapsed: true })}>
            <Icon name="collapse" />
          </button>
        </div>
      </div>
      <div className="column-stats">
        {stats && stats.unread > 0 ? (
          <button
            type="button"
            className="column-unread"
            data-testid="column-unread"
            title={t('column.markSeen')}
            onClick={() => void save({ seenAt: newest })}
          >
            {stats.unreadMore
              ? t('column.unreadMore', { n: formatNumber(stats.unread, lng) })
              : t('column.unread', { count: stats.unread, n: formatNumber(stats.unread, lng) })}
          </button>
        ) : null}
        {ageMs !== null && (
          <span
            className={`column-age column-age--${sla ?? 'ok'}`}
            data-testid="column-age"
            data-late={late ? 'true' : undefined}
            data-sla={sla ?? undefined}
            data-since={clock?.since ?? undefined}
            title={ti(`sla.header.${sla ?? 'ok'}`, { target: formatNumber(target, lng) })}
          >
            {t('column.oldestWaiting', { age: formatAge(ageMs, lng) })}
          </span>
        )}
        {items !== undefined && (
          <span className="column-count">
            {more ? t('column.countMore', { n: formatNumber(count, lng) }) : t('column.count', { count, n: formatNumber(count, lng) })}
          </span>
        )}
      </div>
    </header>
  );
}

/** The right edge: drag with the pointer, or focus it and use the arrow keys. The width is saved per column. */
function ResizeHandle({ column, title, width, onLive }: { column: ColumnDef; title: string; width: number; onLive(w: number | null): void }) {
  const { t } = useTranslation();
  const db = useDb();
  const start = useRef<{ x: number; w: number } | null>(null);
  // Key presses come faster than the store answers: each step goes from the last one asked for.
  const intended = useRef<number | null>(null);
  const persist = (w: number) => {
    intended.current = w;
    resizeColumnIn(db, column.id, w)
      .then(() => {
        if (intended.current === w) intended.current = null;
      })
      .catch((e: unknown) => {
        console.warn('width not saved', e);
        intended.current = null;
        onLive(null);
      });
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { x: e.clientX, w: width };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    onLive(clampWidth(start.current.w + e.clientX - start.current.x));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    const w = clampWidth(start.current.w + e.clientX - start.current.x);
    start.current = null;
    onLive(w);
    persist(w);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? RESIZE_STEP * 3 : RESIZE_STEP;
    const delta = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0;
    if (delta === 0) return;
    e.preventDefault();
    const w = clampWidth((intended.current ?? width) + delta);
    onLive(w);
    persist(w);
  };
  return (
    <div
      className="column-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={t('column.resize', { title })}
      title={t('column.resizeHint')}
      aria-valuenow={width}
      tabIndex={0}
      data-testid="column-resize"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        start.current = null;
        onLive(null);
      }}
      onKeyDown={onKeyDown}
    />
  );
}

/** A desktop notification and/or a beep for each waiting message that arrives while the column is open. */
function useArrivalAlerts(column: ColumnDef, title: string, items: ColumnItem[] | undefined) {
  // The newest message already accounted for: reading further back (a longer list) is not news.
  const newest = useRef<number | null>(null);
  const { notify, sound, id } = column;
  useEffect(() => {
    if (!items) return;
    const before = newest.current;
    const top = items.reduce((m, i) => Math.max(m, i.message.createdAt), before ?? 0);
    newest.current = top;
    // The first read is history, not news.
    if (before === null || (!notify && !sound)) return;
    const fresh = items.filter((i) => i.message.createdAt > before && i.state === 'waiting');
    if (fresh.length === 0) return;
    if (sound) beep();
    if (notify) {
      for (const { message } of fresh.slice(0, 3)) showNotification(`${title} · ${message.author.name}`, previewText(message.text, 200), `${id}:${message.key}`);
    }
  }, [items, notify, sound, id, title]);
}

/**
 * The virtualised list: cost follows what is on screen, not the history.
 * While the agent reads further down, messages newer than the top one they
 * saw are held back behind a "N new" button, so nothing moves under the pointer.
 */
const MessageList = memo(function MessageList({
  columnId,
  items,
  label,
  lineChars,
  onEndReached,
  onTop,
  targetMin,
  measure,
  priorities,
}: {
  columnId: string;
  items: ColumnItem[];
  label: string;
  /** About how many characters a card's text line holds at this column's width (Card's fade). */
  lineChars: number;
  onEndReached(): void;
  onTop(): void;
  targetMin: number;
  measure: Measure;
  priorities: ReadonlyMap<string, MessagePriority>;
}) {
  // Rendered on every scrolled frame: the shared language, not a useTranslation of its own (see useLang).
  const { t, lng } = useLang();
  const db = useDb();
  const selectedKey = useUi(selectSelectedKey);
  const select = useUi((s) => s.select);
  const picked = useBoardUi((s) => s.picked);
  const setFocus = useBoardUi((s) => s.setFocus);
  // Team mode: who is replying where; the same Map until a claim changes (empty when solo).
  const claims = useOthersClaims();
  const scrollRef = useRef<HTMLDivElement>(null);
  // The newest key the agent had seen when they scrolled away from the top; newest first, so
  // everything before it arrived since. Gone from the list (done, deleted): hold nothing.
  const [holdKey, setHoldKey] = useState<string | null>(null);
  const keys = useMemo(() => items.map((i) => i.message.key), [items]);
  const holdIndex = useMemo(() => (holdKey === null ? -1 : keys.indexOf(holdKey)), [keys, holdKey]);
  // Kept between renders: a new list (or key function) makes the virtualizer measure every row again, each scrolled frame.
  const shown = useMemo(() => (holdIndex > 0 ? items.slice(holdIndex) : items), [items, holdIndex]);
  const shownKeys = useMemo(() => (holdIndex > 0 ? keys.slice(holdIndex) : keys), [keys, holdIndex]);
  const waiting = items.length - shown.length;
  const getItemKey = useCallback((i: number) => shown[i]?.message.key ?? i, [shown]);

  // The build does not use React Compiler; the virtualizer re-renders through its own state.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 120,
    overscan: 6,
    getItemKey,
    useFlushSync: false,
  });

  // The keyboard walks what is shown; the registry always sees the latest list.
  const navState = useRef({ keys: shownKeys, virtualizer });
  navState.current = { keys: shownKeys, virtualizer };
  useEffect(
    () =>
      registerColumn(columnId, {
        keys: () => navState.current.keys,
        scrollToIndex: (i) => navState.current.virtualizer.scrollToIndex(i, { align: 'auto' }),
      }),
    [columnId],
  );

  const onScroll = () => {
    const top = scrollRef.current?.scrollTop ?? 0;
    if (top > HOLD_AFTER_PX && holdKey === null) setHoldKey(shownKeys[0] ?? null);
    else if (top <= 1 && holdKey !== null) setHoldKey(null);
    if (top <= 1) onTop();
  };

  // Scroll first and let onScroll release the hold at the top: released before the scroll, the
  // virtualizer would see new rows above its (stale) offset and keep the old position.
  const showNewest = useCallback(() => {
    const el = scrollRef.current;
    if (!el || el.scrollTop <= 1) setHoldKey(null);
    else el.scrollTo({ top: 0 });
  }, []);

  const keysRef = useRef(shownKeys);
  keysRef.current = shownKeys;
  const onActivate = useCallback(
    (key: string, mode: ActivateMode) => {
      const ui = useBoardUi.getState();
      if (mode === 'toggle') ui.togglePick({ columnId, key });
      else if (mode === 'range') ui.pickRange({ columnId, key }, keysRef.current);
      else {
        select(key);
        ui.setFocus({ columnId, key });
      }
    },
    [columnId, select],
  );
  const onFocusCard = useCallback((key: string) => setFocus({ columnId, key }), [columnId, setFocus]);
  const onDone = useCallback(
    (key: string) => {
      const list = keysRef.current;
      const i = list.indexOf(key);
      const next = list[i + 1] ?? list[i - 1];
      const hadFocus = document.activeElement?.closest('[data-testid="card"]')?.getAttribute('data-key') === key;
      toggleDone(db, [key])
        .then(() => {
          if (hadFocus && next !== undefined) focusCard(columnId, next);
        })
        .catch((e: unknown) => console.warn('status not saved', e));
    },
    [db, columnId],
  );

  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows.length > 0 ? (rows[rows.length - 1]?.index ?? 0) : 0;
  const nearEnd = rows.length > 0 && lastIndex >= shown.length - END_MARGIN;
  useEffect(() => {
    if (nearEnd) onEndReached();
  }, [nearEnd, onEndReached]);

  return (
    <div className="column-list-wrap">
      {waiting > 0 && (
        <button type="button" className="column-newer" onClick={showNewest}>
          {t('column.newer', { count: waiting, n: formatNumber(waiting, lng) })}
        </button>
      )}
      <div ref={scrollRef} className="column-body" onScroll={onScroll}>
        <div className="column-list" role="list" aria-label={label} style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((row) => {
            const item = shown[row.index];
            if (item === undefined) return null;
            const key = item.message.key;
            return (
              <div
                key={row.key}
                className="column-row"
                role="listitem"
                data-index={row.index}
                ref={virtualizer.measureElement}
                style={{ top: row.start }}
              >
                <Card
                  message={item.message}
                  mark={item.mark}
                  state={item.state}
                  unanswered={item.conversation?.unanswered}
                  waitingSince={item.conversation ? item.conversation.waitingSince : item.state === 'waiting' ? item.message.createdAt : null}
                  targetMin={targetMin}
                  measure={measure}
                  priority={priorities.get(key)}
                  replying={claims.get(`${item.message.channel}:${item.message.conversationId}`)}
                  selected={key === selectedKey}
                  picked={picked.has(key)}
                  lineChars={lineChars}
                  onActivate={onActivate}
                  onFocusCard={onFocusCard}
                  onDone={onDone}
                />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});
