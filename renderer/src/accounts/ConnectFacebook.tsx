import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageChoice } from '../../../shared/contract.js';
import { Name } from '../text/Name';
import { useCommand } from './useCommand';

/**
 * "Connect a Facebook Page": the person pastes a Page, user or System User token,
 * the host lists the Pages it manages, the person picks. The token goes to the
 * host once and is never shown again; the form forgets it when done.
 */
export function ConnectFacebook({ inline = false, onDone }: { inline?: boolean; onDone?: () => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const list = useCommand('listFacebookPages');
  const connect = useCommand('connectFacebookPages');
  const [token, setToken] = useState('');
  const [pages, setPages] = useState<PageChoice[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<number | null>(null);

  const reset = () => {
    setToken('');
    setPages(null);
    setChosen(new Set());
  };

  const show = async () => {
    setDone(null);
    const found = await list.run({ token });
    if (!found) return;
    setPages(found);
    setChosen(new Set(found.filter((p) => p.missingTasks.length === 0).map((p) => p.id)));
  };

  const submit = async () => {
    const r = await connect.run({ token, pageIds: [...chosen] });
    if (!r) return;
    setDone(r.connected.length);
    reset();
    onDone?.();
  };

  const error = list.error ?? connect.error;
  return (
    <section className={inline ? 'connect-box connect-box--inline' : 'connect-box'} aria-labelledby={`${ids}-title`} data-testid="connect-facebook">
      <h3 id={`${ids}-title`}>{t('accounts.fb.heading')}</h3>
      {!inline && <p className="connect-explain">{t('accounts.fb.explain')}</p>}
      <form
        className="connect-form"
        onSubmit={(e) => {
          e.preventDefault();
          void show();
        }}
      >
        <label htmlFor={`${ids}-token`}>{t('accounts.fb.tokenLabel')}</label>
        <input
          id={`${ids}-token`}
          className="connect-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => {
            setToken(e.target.value);
            setPages(null);
          }}
          data-testid="fb-token"
        />
        <button type="submit" className="button" disabled={token.trim().length < 10 || list.busy} data-testid="fb-list-pages">
          {list.busy ? t('accounts.busy') : t('accounts.fb.list')}
        </button>
      </form>
      {pages && (
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
            <button type="button" className="button button--primary" disabled={chosen.size === 0 || connect.busy} onClick={() => void submit()} data-testid="fb-connect">
              {connect.busy ? t('accounts.busy') : t('accounts.fb.connect')}
            </button>
            <button type="button" className="button" onClick={reset}>
              {t('accounts.fb.cancel')}
            </button>
          </div>
        </fieldset>
      )}
      {done !== null && <p role="status">{t('accounts.fb.connected', { count: done })}</p>}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </section>
  );
}
