import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, SavedSearch } from '../../../shared/model.js';
import { Name } from '../text/Name';
import { useCommand } from './useCommand';

/** The saved X keyword searches of one account: each is polled as its own stream (recent search). */
export function SearchList({ account, searches }: { account: Account; searches: SavedSearch[] }) {
  const { t } = useTranslation();
  const ids = useId();
  const save = useCommand('saveXSearch');
  const remove = useCommand('removeXSearch');
  const [name, setName] = useState('');
  const [query, setQuery] = useState('');
  return (
    <details className="account-searches" data-testid="account-searches">
      <summary>
        {t('accounts.searches.heading')} ({searches.length})
      </summary>
      <p className="connect-explain">{t('accounts.searches.explain')}</p>
      {searches.length === 0 ? (
        <p className="account-card-note">{t('accounts.searches.none')}</p>
      ) : (
        <ul className="search-list">
          {searches.map((s) => (
            <li key={s.id} className="search-item" data-testid="saved-search">
              <strong>
                <Name text={s.name || s.query} />
              </strong>
              <code className="search-query">{s.query}</code>
              <button type="button" className="button" disabled={remove.busy} onClick={() => void remove.run({ searchId: s.id })} aria-label={`${t('accounts.searches.remove')}: ${s.name || s.query}`}>
                {t('accounts.searches.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="connect-form search-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run({ accountId: account.id, query, name }).then((r) => {
            if (r) {
              setQuery('');
              setName('');
            }
          });
        }}
      >
        <label htmlFor={`${ids}-name`}>{t('accounts.searches.name')}</label>
        <input id={`${ids}-name`} className="connect-input" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} data-testid="search-name" />
        <label htmlFor={`${ids}-query`}>{t('accounts.searches.query')}</label>
        <input id={`${ids}-query`} className="connect-input" value={query} maxLength={512} spellCheck={false} onChange={(e) => setQuery(e.target.value)} data-testid="search-query" />
        <button type="submit" className="button" disabled={query.trim().length === 0 || save.busy} data-testid="search-save">
          {t('accounts.searches.add')}
        </button>
      </form>
      {(save.error ?? remove.error) && (
        <p role="alert" className="form-error">
          {save.error ?? remove.error}
        </p>
      )}
    </details>
  );
}
