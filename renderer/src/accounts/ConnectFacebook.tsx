import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageChoice } from '../../../shared/contract.js';
import { PagePicker } from './PagePicker';
import { DevDetails } from './DevDetails';
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
  const [done, setDone] = useState<number | null>(null);

  const reset = () => {
    setToken('');
    setPages(null);
  };

  const show = async () => {
    setDone(null);
    const found = await list.run({ token });
    if (!found) return;
    setPages(found);
  };

  const submit = async (pageIds: string[]) => {
    const r = await connect.run({ token, pageIds });
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
      {!inline && (
        <DevDetails>
          <p className="connect-explain">{t('accounts.fb.developer')}</p>
        </DevDetails>
      )}
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
        <PagePicker
          pages={pages}
          busy={connect.busy}
          onConnect={(ids) => void submit(ids)}
          onCancel={reset}
        />
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
