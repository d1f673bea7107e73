import { useTranslation } from 'react-i18next';
import { HealthView } from '../health/HealthView';
import { useHostStatus } from '../services';
import { AccountCard } from './AccountCard';
import { useAccountsUi, type AccountsTab } from './accountsUi';
import { ConnectFacebook } from './ConnectFacebook';
import { ConnectX } from './ConnectX';
import { SignInFacebook } from './SignInFacebook';
import { VaultNotice } from './VaultNotice';
import './accounts.css';
import { useModal } from '../useModal';

const TABS: readonly AccountsTab[] = ['accounts', 'health'];

/** The accounts screen: connected accounts, connecting new ones, and the connector health view. A native modal <dialog>. */
export function AccountsDialog() {
  const { t } = useTranslation();
  const { open, tab, setTab, close } = useAccountsUi();
  const status = useHostStatus();
  const ref = useModal(open);

  return (
    <dialog ref={ref} className="dialog accounts-dialog" aria-labelledby="accounts-title" onClose={close} data-testid="accounts-screen">
      <div className="accounts-head">
        <h2 id="accounts-title">{t('accounts.title')}</h2>
        <div role="tablist" className="accounts-tabs" aria-labelledby="accounts-title">
          {TABS.map((id) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`accounts-tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`accounts-panel-${id}`}
              className={`accounts-tab${tab === id ? ' accounts-tab--on' : ''}`}
              onClick={() => setTab(id)}
              data-testid={`accounts-tab-${id}`}
            >
              {id === 'accounts' ? t('accounts.tabAccounts') : t('accounts.tabHealth')}
            </button>
          ))}
        </div>
      </div>
      {open && status && tab === 'accounts' && (
        <div role="tabpanel" id="accounts-panel-accounts" aria-labelledby="accounts-tab-accounts" className="accounts-panel">
          <VaultNotice status={status} />
          {status.accounts.length === 0 ? (
            <p className="accounts-empty">{t('accounts.none')}</p>
          ) : (
            <ul className="account-cards">
              {status.accounts.map((a) => (
                <AccountCard key={a.id} account={a} status={status} />
              ))}
            </ul>
          )}
          <ConnectX status={status} />
          <SignInFacebook status={status} />
          <ConnectFacebook />
        </div>
      )}
      {open && status && tab === 'health' && (
        <div role="tabpanel" id="accounts-panel-health" aria-labelledby="accounts-tab-health" className="accounts-panel">
          <HealthView status={status} />
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={close}>
          {t('accounts.close')}
        </button>
      </div>
    </dialog>
  );
}
