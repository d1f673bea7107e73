import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Status } from '../../../shared/contract.js';
import { safeHttpsHref } from '../../../shared/text/segments.js';
import { PagePicker } from './PagePicker';
import { DevDetails } from './DevDetails';
import { useCommand } from './useCommand';

/**
 * "Sign in with Facebook" (Facebook Login for Devices): the host asks Meta for a
 * short code, the person types it on Facebook's device page in their browser,
 * the host waits for the approval and offers the Pages to connect. No webview,
 * no app secret, and the user token stays in the host.
 */
export function SignInFacebook({ status }: { status: Status }) {
  const { t, i18n } = useTranslation();
  const start = useCommand('startFacebookSignIn');
  const open = useCommand('openFacebookSignIn');
  const connect = useCommand('connectFacebookSignIn');
  const cancel = useCommand('cancelFacebookSignIn');
  const [done, setDone] = useState<number | null>(null);
  const fb = status.fbSignIn ?? { available: 'unavailable' as const, pending: false };
  const unavailable = fb.available === 'unavailable';
  // In the console's language, not the browser's: a Dutch console shows 14:05, not 02:05 PM.
  const expiresAt = fb.expiresAt ? new Date(fb.expiresAt).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' }) : '';
  // The browser host cannot open the system browser: there the real device page is a plain link.
  const href = fb.available === 'facebook' && status.shell === 'browser' ? safeHttpsHref(fb.verificationUri) : null;
  const error = start.error ?? open.error ?? connect.error ?? cancel.error;
  return (
    <section className="connect-box" aria-labelledby="signin-fb-title" data-testid="signin-facebook">
      <h3 id="signin-fb-title">{t('accounts.fbLogin.heading')}</h3>
      <p className="connect-explain">{t('accounts.fbLogin.explain')}</p>
      {fb.available === 'sandbox' && <p className="connect-explain">{t('accounts.fbLogin.sandbox')}</p>}
      {unavailable && <p className="account-card-note account-card-note--warn">{t('accounts.fbLogin.unavailable')}</p>}
      <DevDetails>
        <p className="connect-explain">{t('accounts.fbLogin.developer')}</p>
        {unavailable && <p className="connect-explain">{t('accounts.fbLogin.unavailableDev')}</p>}
      </DevDetails>
      {!fb.pending && !fb.pages && (
        <div className="account-actions">
          <button
            type="button"
            className="button button--primary"
            disabled={unavailable || start.busy}
            onClick={() => {
              setDone(null);
              void start.run({});
            }}
            data-testid="fb-signin-start"
          >
            {start.busy ? t('accounts.busy') : t('accounts.fbLogin.start')}
          </button>
        </div>
      )}
      {fb.pending && fb.userCode && (
        <div className="connect-device" data-testid="fb-signin-pending">
          <p>{t('accounts.fbLogin.enterCode')}</p>
          <p className="connect-device-code" data-testid="fb-signin-code">
            {fb.userCode}
          </p>
          <p className="connect-explain">{t('accounts.fbLogin.where', { url: fb.verificationUri ?? '', time: expiresAt })}</p>
          <div className="account-actions">
            {href ? (
              <a className="button button--primary" href={href} target="_blank" rel="noopener noreferrer" data-testid="fb-signin-open">
                {t('accounts.fbLogin.open')}
              </a>
            ) : (
              <button type="button" className="button button--primary" disabled={open.busy} onClick={() => void open.run({})} data-testid="fb-signin-open">
                {t('accounts.fbLogin.open')}
              </button>
            )}
            <button type="button" className="button" onClick={() => void cancel.run({})}>
              {t('accounts.fb.cancel')}
            </button>
            <span className="connect-pending" role="status">
              {t('accounts.fbLogin.waiting')}
            </span>
          </div>
        </div>
      )}
      {fb.pages && (
        <PagePicker
          pages={fb.pages}
          busy={connect.busy}
          onConnect={(pageIds) =>
            void connect.run({ pageIds }).then((r) => {
              if (r) setDone(r.connected.length);
            })
          }
          onCancel={() => void cancel.run({})}
        />
      )}
      {done !== null && <p role="status">{t('accounts.fb.connected', { count: done })}</p>}
      {!fb.pending && fb.error && (
        <p role="alert" className="form-error" data-testid="fb-signin-error">
          {fb.error === 'expired' ? t('accounts.fbLogin.expired') : t('accounts.fbLogin.failed', { reason: fb.error })}
        </p>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </section>
  );
}
