import { useTranslation } from 'react-i18next';
import type { Status } from '../../../shared/contract.js';
import { useCommand } from './useCommand';

/** How tokens are kept, and the consent the host needs before it stores a real account's tokens unencrypted. */
export function VaultNotice({ status }: { status: Status }) {
  const { t } = useTranslation();
  const consent = useCommand('setPlaintextConsent');
  if (status.vault.encrypted) return <p className="vault-note vault-note--ok">{t('accounts.vault.encrypted')}</p>;
  return (
    <div className={`vault-note ${status.vault.plaintextAllowed ? 'vault-note--ok' : 'vault-note--ask'}`} data-testid="vault-notice">
      <p>{status.vault.plaintextAllowed ? t('accounts.vault.allowed') : t('accounts.vault.plaintextAsk')}</p>
      <button
        type="button"
        className={status.vault.plaintextAllowed ? 'button' : 'button button--primary'}
        disabled={consent.busy}
        onClick={() => void consent.run({ allowed: !status.vault.plaintextAllowed })}
        data-testid="vault-consent"
      >
        {status.vault.plaintextAllowed ? t('accounts.vault.withdraw') : t('accounts.vault.allow')}
      </button>
      {consent.error && <p role="alert" className="form-error">{consent.error}</p>}
    </div>
  );
}
