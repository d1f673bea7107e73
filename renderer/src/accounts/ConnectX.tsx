import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Status } from '../../../shared/contract.js';
import { safeHttpsHref } from '../../../shared/text/segments.js';
import { DevDetails } from './DevDetails';
import { useCommand } from './useCommand';

/** "Connect X": OAuth 2.0 with PKCE in the person's browser; the host listens for the answer on 127.0.0.1. */
export function ConnectX({ status }: { status: Status }) {
  const { t } = useTranslation();
  const connect = useCommand('connectX');
  const [authorizeUrl, setAuthorizeUrl] = useState<string | null>(null);
  const { pending, error } = status.signIn;
  const unavailable = status.xSignIn === 'unavailable';
  // Only a real https sign-in page is offered as a link (the sandbox approves by itself).
  const href = pending ? safeHttpsHref(authorizeUrl ?? undefined) : null;
  return (
    <section className="connect-box" aria-labelledby="connect-x-title" data-testid="connect-x">
      <h3 id="connect-x-title">{t('accounts.x.heading')}</h3>
      <p className="connect-explain">{t('accounts.x.explain')}</p>
      <p className="connect-explain">{t('accounts.x.costs')}</p>
      {status.xSignIn === 'sandbox' && <p className="connect-explain">{t('accounts.x.sandbox')}</p>}
      {unavailable && <p className="account-card-note account-card-note--warn">{t('accounts.x.unavailable')}</p>}
      <DevDetails testId="connect-x-details">
        <p className="connect-explain">{t('accounts.x.developer')}</p>
        {unavailable && <p className="connect-explain">{t('accounts.x.unavailableDev')}</p>}
      </DevDetails>
      <div className="account-actions">
        <button
          type="button"
          className="button button--primary"
          disabled={unavailable || pending || connect.busy}
          onClick={() =>
            void connect.run({}).then((v) => {
              if (v) setAuthorizeUrl(v.authorizeUrl);
            })
          }
          data-testid="connect-x-button"
        >
          {t('accounts.x.connect')}
        </button>
        {pending && (
          <span className="connect-pending" role="status" data-testid="sign-in-pending">
            {t('accounts.x.pending')}
          </span>
        )}
        {href && (
          <a className="link" href={href} target="_blank" rel="noopener noreferrer">
            {t('accounts.x.openAgain')}
          </a>
        )}
      </div>
      {!pending && error && (
        <p role="alert" className="form-error" data-testid="sign-in-error">
          {t('accounts.x.failed', { reason: signInReason(t, error) })}
        </p>
      )}
      {connect.error && !error && (
        <p role="alert" className="form-error">
          {connect.error}
        </p>
      )}
    </section>
  );
}

/** The host names a known refusal by its error kind (credits used up, consent needed); anything else is the platform's own words. */
function signInReason(t: TFunction, error: string): string {
  return error === 'consentNeeded' || error === 'creditsDepleted' || error === 'rateLimited'  ? t(`error.${error}`) : error;
}
