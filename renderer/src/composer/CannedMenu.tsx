import { useTranslation } from 'react-i18next';
import type { CannedReply } from '../../../shared/canned.js';
import { previewText } from '../../../shared/text/preview.js';

/**
 * The list of canned replies under the reply box: opened by typing `/` (the
 * query is what follows it) or by the picker button (with its own search box).
 * Choosing one inserts it with its variables filled; nothing is sent.
 */
export function CannedMenu({
  id,
  items,
  active,
  preview,
  onPick,
  onHover,
  search,
  onSearch,
  onSearchKey,
  formal,
  onFormal,
  onManage,
}: {
  id: string;
  items: readonly CannedReply[];
  active: number;
  preview: (r: CannedReply) => string;
  onPick: (r: CannedReply) => void;
  onHover: (i: number) => void;
  /** Picker mode: a search box of its own. */
  search?: string;
  onSearch?: (q: string) => void;
  onSearchKey?: (e: React.KeyboardEvent<HTMLInputElement>) => void;
  formal: boolean;
  onFormal: (v: boolean) => void;
  onManage: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="canned-menu" data-testid="canned-menu">
      <div className="canned-menu-head">
        {onSearch ? (
          <input
            className="canned-menu-search"
            type="search"
            autoFocus
            value={search ?? ''}
            placeholder={t('canned.searchPlaceholder')}
            aria-label={t('canned.search')}
            aria-controls={id}
            aria-activedescendant={items[active] ? `${id}-${active}` : undefined}
            onChange={(e) => onSearch(e.target.value)}
            onKeyDown={onSearchKey}
            data-testid="canned-search"
          />
        ) : (
          <span className="canned-menu-hint">{t('canned.slashHint')}</span>
        )}
        <label className="canned-menu-formal">
          <input type="checkbox" checked={formal} onChange={(e) => onFormal(e.target.checked)} />
          {t('canned.formal')}
        </label>
        <button type="button" className="link-button" onClick={onManage}>
          {t('canned.manage')}
        </button>
      </div>
      {items.length === 0 ? (
        <p className="canned-menu-empty">{t('canned.noMatch')}</p>
      ) : (
        <ul id={id} className="canned-menu-list" role="listbox" aria-label={t('canned.title')}>
          {items.map((r, i) => (
            <li
              key={r.id}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`canned-option${i === active ? ' canned-option--active' : ''}`}
              data-testid="canned-option"
              data-shortcut={r.shortcut}
              onMouseDown={(e) => {
                // Keep the focus in the reply box.
                e.preventDefault();
                onPick(r);
              }}
              onMouseEnter={() => onHover(i)}
            >
              <span className="canned-option-head">
                {r.shortcut && <span className="canned-option-shortcut">/{r.shortcut}</span>}
                <span className="canned-option-title">{r.title}</span>
                <span className="canned-option-lang">{r.language.toUpperCase()}</span>
              </span>
              <span className="canned-option-preview">{previewText(preview(r), 160)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
