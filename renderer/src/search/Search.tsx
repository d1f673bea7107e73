import Dexie, { type ObservabilitySet } from 'dexie';
import { DateField } from '../settings/DateField';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, platformOf, type Message } from '../../../shared/model.js';
import { stripBidiControls } from '../../../shared/text/bidi.js';
import { excerptAround, markTerms } from '../../../shared/text/fold.js';
import { TimeAgo } from '../board/TimeAgo';
import { formatNumber } from '../i18n/format';
import { useLang } from '../i18n/useLang';
import { useDb } from '../services';
import { useUi } from '../store';
import { Name } from '../text/Name';
import { SaveSearchButton } from './SaveSearchButton';
import { searchMessages, type SearchResult } from './searchIndex';
import { queryOfForm, SEARCH_EVENT, useSearchUi, type SearchForm } from './searchUi';
import './search.css';
import { Icon } from '../icons/Icon';

const PAGE = 20;
const DEBOUNCE_MS = 120;
const EXCERPT_CHARS = 280;
const INDEX_REFRESH_MS = 1_000;
export const SEARCH_STATUSES = ['open', 'done', 'archived'] as const;

/** The search button and, when open, the search panel over the board. `/` opens it through SEARCH_EVENT. */
export function Search() {
  const open = useSearchUi((s) => s.open);
  const setOpen = useSearchUi((s) => s.setOpen);
  const close = useCallback(() => setOpen(false), [setOpen]);

  useEffect(() => {
    const onSearch = () => setOpen(true);
    window.addEventListener(SEARCH_EVENT, onSearch);
    return () => window.removeEventListener(SEARCH_EVENT, onSearch);
  }, [setOpen]);

  return open ? <SearchPanel onClose={close} /> : null;
}

/** The search button of the top bar; pressed while the panel is open, it closes it. */
export function SearchLaunch() {
  const { t } = useTranslation();
  const open = useSearchUi((s) => s.open);
  const setOpen = useSearchUi((s) => s.setOpen);
  return (
    <button
      type="button"
      className={`bar-pill${open ? ' bar-pill--open' : ''}`}
      data-testid="search-open"
      aria-pressed={open}
      onClick={() => setOpen(!open)}
      title={t('search.openHint')}
      aria-keyshortcuts="/"
    >
      <Icon name="search" size={14} /> {t('search.open')}
    </button>
  );
}

/** The last answer and the query it answers; anything newer is still loading. */
type Answer = { query: string; result: SearchResult | null };

function hasQuery(form: SearchForm): boolean {
  return form.text.trim() !== '' || form.from !== '' || form.to !== '' || form.channel !== '' || form.status !== '';
}

function SearchPanel({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation();
  const db = useDb();
  const form = useSearchUi((s) => s.form);
  const setForm = useSearchUi((s) => s.setForm);
  const select = useUi((s) => s.select);
  const selectedKey = useUi((s) => s.selection.messageKey);
  const [limit, setLimit] = useState(PAGE);
  const [answer, setAnswer] = useState<Answer>({ query: '', result: null });
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const started = useRef(0);
  const returnFocus = useRef<Element | null>(null);

  // Escape with nothing focused (a result list re-rendered under the focus) still closes the panel, and
  // only the panel: taken before the board's keymap sees it (capture), which then leaves it alone.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && (document.activeElement === document.body || document.activeElement === null)) {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);

  useEffect(() => {
    returnFocus.current = document.activeElement;
    inputRef.current?.focus();
    inputRef.current?.select();
    return () => {
      if (returnFocus.current instanceof HTMLElement && returnFocus.current.isConnected) returnFocus.current.focus();
    };
  }, []);

  // New messages reach the index a moment after they arrive: an open search follows, at most once a second.
  const [indexVersion, setIndexVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const prefix = `idb://${db.name}/searchIndex/`;
    const onMutated = (parts: ObservabilitySet) => {
      if (timer !== undefined || !Object.keys(parts).some((p) => p.startsWith(prefix))) return;
      timer = setTimeout(() => {
        timer = undefined;
        setIndexVersion((v) => v + 1);
      }, INDEX_REFRESH_MS);
    };
    Dexie.on('storagemutated', onMutated);
    return () => {
      Dexie.on.storagemutated.unsubscribe(onMutated);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [db]);

  const active = hasQuery(form);
  const queryId = JSON.stringify([form, limit, indexVersion]);
  useEffect(() => {
    if (!active) return;
    // A search the next keystroke made stale stops at its next read, so the new one has the store.
    const stale = new AbortController();
    const timer = setTimeout(() => {
      started.current = performance.now();
      searchMessages(db, queryOfForm(form), { limit, signal: stale.signal }).then(
        (result) => {
          performance.measure('webcare:search-query', { start: started.current, end: performance.now() });
          if (!stale.signal.aborted) setAnswer({ query: queryId, result });
        },
        (e: unknown) => {
          if (stale.signal.aborted) return;
          console.warn('search failed', e);
          setAnswer({ query: queryId, result: null });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      stale.abort();
      clearTimeout(timer);
    };
  }, [db, form, limit, active, queryId]);

  const state = !active ? 'idle' : answer.query !== queryId ? 'loading' : answer.result === null ? 'error' : 'done';
  // While the next answer loads, the last one stays on screen.
  const result = state === 'idle' || state === 'error' ? null : answer.result;

  // Query to results on screen, for `npm run bench` (read from the performance timeline).
  useLayoutEffect(() => {
    if (state === 'done' && started.current > 0) {
      performance.measure('webcare:search', { start: started.current, end: performance.now() });
      started.current = 0;
    }
  }, [state, answer]);

  const update = (patch: Partial<SearchForm>) => {
    setLimit(PAGE);
    setForm(patch);
  };

  const focusResult = (from: Element | null, delta: number) => {
    const items = [...(listRef.current?.querySelectorAll<HTMLElement>('[data-testid="search-result"]') ?? [])];
    const i = from ? items.indexOf(from as HTMLElement) : -1;
    const next = items[i + delta];
    if (next) next.focus();
    else if (i + delta < 0) inputRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const target = e.target as HTMLElement;
      if (target !== inputRef.current && !target.matches('[data-testid="search-result"]')) return;
      e.preventDefault();
      focusResult(target === inputRef.current ? null : target, e.key === 'ArrowDown' ? 1 : -1);
    }
  };

  const lng = i18n.language;

  return (
    <aside className="search-panel" role="search" aria-label={t('search.title')} data-testid="search" onKeyDown={onKeyDown}>
      <header className="search-head">
        <h2 className="search-title">{t('search.title')}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('search.close')} title={t('search.close')}>
          <Icon name="close" />
        </button>
      </header>
      <div className="search-form">
        <input
          ref={inputRef}
          type="search"
          className="search-input"
          data-testid="search-input"
          value={form.text}
          placeholder={t('search.placeholder')}
          aria-label={t('search.title')}
          aria-describedby="search-hint"
          onChange={(e) => update({ text: e.target.value })}
          maxLength={500}
        />
        <div className="search-filters">
          <label className="search-filter">
            <span>{t('search.from')}</span>
            <DateField value={form.from} onChange={(v) => update({ from: v })} testId="search-from" />
          </label>
          <label className="search-filter">
            <span>{t('search.to')}</span>
            <DateField value={form.to} onChange={(v) => update({ to: v })} testId="search-to" />
          </label>
          <label className="search-filter">
            <span>{t('search.channel')}</span>
            <select value={form.channel} onChange={(e) => update({ channel: e.target.value as SearchForm['channel'] })} data-testid="search-channel">
              <option value="">{t('search.anyChannel')}</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="search-filter">
            <span>{t('search.status')}</span>
            <select value={form.status} onChange={(e) => update({ status: e.target.value })} data-testid="search-status">
              <option value="">{t('search.anyStatus')}</option>
              {SEARCH_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`search.statusName.${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="search-actions">
          <SaveSearchButton form={form} />
        </div>
      </div>
      <div className="search-status" role="status" aria-live="polite" id="search-hint">
        {state === 'idle'
          ? t('search.hint')
          : state === 'error'
            ? t('search.error')
            : result === null
              ? t('search.searching')
              : result.messages.length === 0
                ? t('search.none')
                : result.more
                  ? t('search.resultsMore', { n: formatNumber(result.messages.length, lng) })
                  : t('search.results', { count: result.messages.length, n: formatNumber(result.messages.length, lng) })}
      </div>
      {result && result.messages.length > 0 && (
        <ol ref={listRef} className="search-results" aria-label={t('search.resultsLabel')} aria-busy={state === 'loading'}>
          {result.messages.map((m) => (
            <li key={m.key}>
              <SearchHit message={m} terms={result.terms} selected={m.key === selectedKey} onOpen={select} />
            </li>
          ))}
        </ol>
      )}
      {result?.more && (
        <button type="button" className="button search-more" onClick={() => setLimit((l) => l + PAGE)} data-testid="search-more">
          {t('search.more')}
        </button>
      )}
    </aside>
  );
}

function SearchHit({ message: m, terms, selected, onOpen }: { message: Message; terms: string[]; selected: boolean; onOpen(key: string): void }) {
  // A page of hits is mounted per typed query: the shared language, not a useTranslation each (see useLang).
  const { t } = useLang();
  const pieces = markTerms(stripBidiControls(excerptAround(m.text, terms, EXCERPT_CHARS)), terms);
  return (
    <button
      type="button"
      className={`search-hit${selected ? ' search-hit--selected' : ''}`}
      data-testid="search-result"
      data-key={m.key}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onOpen(m.key)}
    >
      <span className="search-hit-head">
        <Name className="card-name" text={m.author.name} />
        {platformOf(m.channel) === 'x' && m.author.handle && (
          <span className="card-handle">
            @<Name text={m.author.handle} max={100} />
          </span>
        )}
        <span className={`badge badge--${m.channel}`}>{t(`channelBadge.${m.channel}`)}</span>
        <TimeAgo at={m.createdAt} className="card-time" />
      </span>
      <span className="search-hit-text">{pieces.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : p.text))}</span>
    </button>
  );
}
