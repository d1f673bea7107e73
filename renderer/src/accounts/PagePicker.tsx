import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageChoice } from '../../../shared/contract.js';
import { Name } from '../text/Name';

/**
 * Choose the Pages to connect, from a pasted token or a Facebook sign-in. Pages
 * with every task the console needs start ticked.
 */
export function PagePicker({ pages, busy, onConnect, onCancel }: { pages: PageChoice[]; busy: boolean; onConnect: (ids: string[]) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(pages.filter((p) => p.missingTasks.length === 0).map((p) => p.id)));
  return (
    <fieldset className="field connect-pages">
      <legend>{t('accounts.fb.choose')}</legend>
      {pages.length === 0 && <p>{t('accounts.fb.noPages')}</p>}
      {pages.map((p) => (
        <label key={p.id} className="radio">
          <input
            type="checkbox"
            checked={chosen.has(p.id)}
            onChange={(e) =>
              setChosen((prev) => {
                const next = new Set(prev);
                if (e.target.checked) next.add(p.id);
                else next.delete(p.id);
                return next;
              })
            }
            data-testid="fb-page-choice"
          />
          <span>
            <Name text={p.name} />
            {p.missingTasks.length > 0 && <span className="perm perm--missing"> {t('accounts.fb.missingTasks', { list: p.missingTasks.join(', ') })}</span>}
          </span>
        </label>
      ))}
      <div className="account-actions">
        <button type="button" className="button button--primary" disabled={chosen.size === 0 || busy} onClick={() => onConnect([...chosen])} data-testid="fb-connect">
          {busy ? t('accounts.busy') : t('accounts.fb.connect')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('accounts.fb.cancel')}
        </button>
      </div>
    </fieldset>
  );
}
