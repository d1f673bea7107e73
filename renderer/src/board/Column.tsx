import { useVirtualizer } from '@tanstack/react-virtual';
import { useLiveQuery } from 'dexie-react-hooks';
import { memo, useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBoundary } from '../ErrorBoundary';
import { formatNumber } from '../i18n/format';
import { useDb } from '../services';
import { selectSelectedKey, useUi } from '../store';
import { Card } from './Card';
import type { Message } from '../../../shared/model.js';
import type { ColumnDef } from './columns';
import { useColumnKeys } from './useColumnKeys';

/** Scrolled further than this from the top, the list holds still and new arrivals wait behind "N new". */
const HOLD_AFTER_PX = 48;

export function Column({ column }: { column: ColumnDef }) {
  const { t } = useTranslation();
  const titleId = `column-title-${column.id}`;
  return (
    <section className="column" data-testid={`column-${column.channel}`} aria-labelledby={titleId}>
      <ErrorBoundary
        fallback={(reset) => (
          <>
            <ColumnHeader titleId={titleId} title={t(`channel.${column.channel}`)} total={undefined} />
            <div className="column-state column-state--error" role="alert">
              <p>{t('column.error')}</p>
              <button type="button" className="button" onClick={reset}>
                {t('column.retry')}
              </button>
            </div>
          </>
        )}
      >
        <ChannelColumnBody column={column} titleId={titleId} />
      </ErrorBoundary>
    </section>
  );
}

function ColumnHeader({ titleId, title, total }: { titleId: string; title: string; total: number | undefined }) {
  const { t, i18n } = useTranslation();
  return (
    <header className="column-head">
      <h2 id={titleId} className="column-title">
        {title}
      </h2>
      {total !== undefined && <span className="column-count">{t('column.count', { count: total, n: formatNumber(total, i18n.language) })}</span>}
    </header>
  );
}

function ChannelColumnBody({ column, titleId }: { column: ColumnDef; titleId: string }) {
  const { t } = useTranslation();
  const db = useDb();
  const channel = column.channel;
  const data = useColumnKeys(db, channel);

  return (
    <>
      <ColumnHeader titleId={titleId} title={t(`channel.${channel}`)} total={data?.total} />
      {data === undefined ? (
        <div className="column-state" aria-busy="true">
          {t('column.loading')}
        </div>
      ) : data.keys.length === 0 ? (
        <div className="column-state column-state--empty">{t(`column.empty.${channel}`)}</div>
      ) : (
        <MessageList keys={data.keys} label={t(`channel.${channel}`)} />
      )}
    </>
  );
}

/**
 * The virtualised list: cost follows what is on screen, not the history.
 * While the agent reads further down, messages newer than the top one they
 * saw are held back behind a "N new" button, so nothing moves under the pointer.
 */
const MessageList = memo(function MessageList({ keys, label }: { keys: string[]; label: string }) {
  const { t, i18n } = useTranslation();
  const db = useDb();
  const selectedKey = useUi(selectSelectedKey);
  const select = useUi((s) => s.select);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The newest key the agent had seen when they scrolled away from the top; newest first, so
  // everything before it in `keys` arrived since. Gone from the list (deleted): hold nothing.
  const [holdKey, setHoldKey] = useState<string | null>(null);
  const holdIndex = holdKey === null ? -1 : keys.indexOf(holdKey);
  const shown = holdIndex > 0 ? keys.slice(holdIndex) : keys;
  const waiting = keys.length - shown.length;

  // The build does not use React Compiler; the virtualizer re-renders through its own state.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 120,
    overscan: 6,
    getItemKey: (i) => shown[i] ?? i,
    useFlushSync: false,
  });

  const onScroll = () => {
    const top = scrollRef.current?.scrollTop ?? 0;
    if (top > HOLD_AFTER_PX && holdKey === null) setHoldKey(shown[0] ?? null);
    else if (top <= 1 && holdKey !== null) setHoldKey(null);
  };

  // Scroll first and let onScroll release the hold at the top: released before the scroll, the
  // virtualizer would see new rows above its (stale) offset and keep the old position.
  const showNewest = useCallback(() => {
    const el = scrollRef.current;
    if (!el || el.scrollTop <= 1) setHoldKey(null);
    else el.scrollTo({ top: 0 });
  }, []);

  // One read for every row on screen (not one per row): each read transaction holds up the next
  // write of the ingest. Re-runs only when one of these messages changes or the window moves.
  const rows = virtualizer.getVirtualItems();
  const windowKeys = rows.map((r) => shown[r.index]).filter((k): k is string => k !== undefined);
  const windowId = JSON.stringify(windowKeys);
  const loaded = useLiveQuery(async () => {
    const found = await db.messages.bulkGet(JSON.parse(windowId) as string[]);
    return new Map(found.filter((m): m is Message => m !== undefined).map((m) => [m.key, m]));
  }, [db, windowId]);

  return (
    <div className="column-list-wrap">
      {waiting > 0 && (
        <button type="button" className="column-newer" onClick={showNewest}>
          {t('column.newer', { count: waiting, n: formatNumber(waiting, i18n.language) })}
        </button>
      )}
      <div ref={scrollRef} className="column-body" onScroll={onScroll}>
        <div className="column-list" role="list" aria-label={label} style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((row) => {
            const key = shown[row.index];
            if (key === undefined) return null;
            const message = loaded?.get(key);
            return (
              <div
                key={row.key}
                className="column-row"
                role="listitem"
                data-index={row.index}
                ref={virtualizer.measureElement}
                style={{ transform: `translateY(${row.start}px)` }}
              >
                {message ? (
                  <Card message={message} selected={key === selectedKey} onSelect={select} />
                ) : (
                  <div className="card-placeholder" aria-hidden="true" />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});

