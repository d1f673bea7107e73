import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Status } from '../../../shared/contract.js';
import type { Account } from '../../../shared/model.js';
import { Avatar } from '../board/Avatar';
import { formatAbsolute } from '../i18n/format';
import { PollerNote } from '../team/Badges';
import { Name } from '../text/Name';
import { useNow } from '../useNow';
import { AccountDepartment } from './AccountDepartment';
import { ConnectFacebook } from './ConnectFacebook';
import { SearchList } from './SearchList';
import { SpendingForm } from './SpendingForm';
import { DevDetails } from './DevDetails';
import { useCommand } from './useCommand';

/** What the token of an account allows and how long, in plain words. */
function useTokenText(a: Account, now: number): string {
  const { t, i18n } = useTranslation();
  if (a.platform === 'facebook') return t('accounts.token.fbPage');
  if (a.expiresAt === undefined) return t('accounts.token.xNoExpiry');
  const time = formatAbsolute(a.expiresAt, i18n.language);
  return a.expiresAt > now ? t('accounts.token.xValid', { time }) : t('accounts.token.xExpired', { time });
}

export function AccountCard({ account: a, status }: { account: Account; status: Status }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const tokenText = useTokenText(a, now);
  const remove = useCommand('removeAccount');
  const reconnectX = useCommand('connectX');
  const [confirming, setConfirming] = useState(false);
  const [fbForm, setFbForm] = useState(false);
  const platform = t(`platform.${a.platform}`);
  const listLabel = a.platform === 'x' ? t('accounts.scopesX') : t('accounts.tasksFb');
  const reconnect = () => {
    if (a.platform === 'x') void reconnectX.run({});
    else setFbForm((v) => !v);
  };
  return (
    <li className={`account-card account-card--${a.state}`} data-testid="account-card" data-account-id={a.id}>
      <div className="account-card-head">
        <Avatar id={a.platformUserId} name={a.name} handle={a.handle} url={a.avatarUrl} />
        <div className="account-card-who">
          <strong className="account-card-name">
            <Name text={a.name} />
          </strong>
          <span className="account-card-handle">
            {a.handle ? (
              <>
                @<Name text={a.handle} max={100} />
              </>
            ) : null}{' '}
            · {platform}
          </span>
        </div>
        <span className={`account-state account-state--${a.state}`} data-testid="account-state">
          {t(`accounts.state.${a.state}`)}
        </span>
      </div>
      {a.sandbox && <p className="account-card-note">{t('accounts.sandbox')}</p>}
      {status.team && <PollerNote team={status.team} accountId={a.id} />}
      {status.team && <AccountDepartment account={a} team={status.team} />}
      {a.state === 'reconnect' && a.reason && <p className="account-card-note account-card-note--warn">{t('accounts.reconnectReason', { reason: /^[a-zA-Z]+$/.test(a.reason) && i18n.exists(`error.${a.reason}`) ? t(`error.${a.reason}` as 'error.offline') : a.reason })}</p>}
      <p className="account-card-note" data-testid="account-token">
        {tokenText}
      </p>
      <div className="account-perms">
        <p className={a.missing.length ? 'account-card-note account-card-note--warn' : 'account-card-note'}>
          {a.missing.length ? t('accounts.missingHint', { list: a.missing.join(', ') }) : t('accounts.allGranted')}
        </p>
        <DevDetails testId="account-details">
          <span className="account-perms-label">{listLabel}:</span>
          <ul className="perm-list" aria-label={listLabel}>
            {a.granted.map((g) => (
              <li key={`g:${g}`} className="perm perm--granted" title={t('accounts.granted')}>
                <span aria-hidden="true">✓ </span>
                {g}
              </li>
            ))}
            {a.missing.map((m) => (
              <li key={`m:${m}`} className="perm perm--missing" title={t('accounts.missing')}>
                <span aria-hidden="true">✗ </span>
                <span className="acc-sr">{t('accounts.missing')}: </span>
                {m}
              </li>
            ))}
          </ul>
        </DevDetails>
      </div>
      <div className="account-actions">
        <button type="button" className="button" onClick={reconnect} disabled={reconnectX.busy || (a.platform === 'x' && (status.signIn.pending || status.xSignIn === 'unavailable'))} data-testid="account-reconnect">
          {t('accounts.reconnect')}
        </button>
        {!confirming ? (
          <button type="button" className="button" onClick={() => setConfirming(true)} data-testid="account-remove">
            {t('accounts.remove')}
          </button>
        ) : (
          <span className="account-confirm" role="group">
            <span>{t('accounts.removeConfirm', { name: a.handle ? `@${a.handle}` : a.name })}</span>
            <button
              type="button"
              className="button acc-danger"
              disabled={remove.busy}
              onClick={() => void remove.run({ accountId: a.id }).then(() => setConfirming(false))}
              data-testid="account-remove-yes"
            >
              {t('accounts.removeYes')}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              {t('accounts.removeNo')}
            </button>
          </span>
        )}
      </div>
      {(remove.error ?? reconnectX.error) && (
        <p role="alert" className="form-error">
          {remove.error ?? reconnectX.error}
        </p>
      )}
      {fbForm && a.platform === 'facebook' && <ConnectFacebook inline onDone={() => setFbForm(false)} />}
      {a.platform === 'x' && <SpendingForm account={a} />}
      {a.platform === 'x' && <SearchList account={a} searches={(status.searches ?? []).filter((s) => s.accountId === a.id)} />}
    </li>
  );
}
