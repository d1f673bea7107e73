import { useTranslation } from 'react-i18next';
import { AccountsDialog } from './accounts/AccountsDialog';
import { useAccountsUi } from './accounts/accountsUi';
import { Avatar } from './board/Avatar';
import { OutboxButton } from './outbox/OutboxDialog';
import { NewPostLaunch } from './newpost/NewPost';
import { ReportsLaunch } from './reports/ReportsScreen';
import { SearchLaunch } from './search/Search';
import { TeamBar } from './team/TeamBar';
import { useConnection, useHostStatus } from './services';
import { useUi } from './store';
import { Name } from './text/Name';
import { Icon } from './icons/Icon';

export function TopBar() {
  const { t } = useTranslation();
  const status = useHostStatus();
  const connection = useConnection();
  const openSettings = useUi((s) => s.setSettingsOpen);
  const showAccounts = useAccountsUi((s) => s.show);
  const stateText = t(`connectionShort.${connection}`);
  return (
    <header className="topbar">
      <h1 className="brand">{t('app.name')}</h1>
      <span className={`conn conn--${connection}`} title={t('connection.stateLabel', { state: t(`connection.${connection}`) })} data-testid="connection-state">
        <span className="conn-dot" aria-hidden="true" />
        <span className="conn-text">{stateText}</span>
      </span>
      {status && !status.online && (
        <span className="offline-pill" title={t('topbar.offlineHint')} data-testid="offline">
          {t('topbar.offline')}
        </span>
      )}
      <TeamBar />
      <SearchLaunch />
      <NewPostLaunch />
      <ReportsLaunch />
      <button type="button" className="topbar-accounts-button" onClick={() => showAccounts('accounts')} aria-label={t('accounts.open')} title={t('accounts.open')} data-testid="open-accounts">
        <span className="accounts">
          {status?.accounts.length === 0 && <span className="accounts-none">{t('topbar.noAccounts')}</span>}
          {status?.accounts.map((a) => {
            const title =
              a.state === 'reconnect'
                ? t('topbar.accountReconnect', { name: a.name })
                : t('topbar.accountTitle', { name: a.name, handle: a.handle, platform: t(`platform.${a.platform}`) });
            return (
              <span key={a.id} className={`account account--${a.state}`} title={title} data-testid="account">
                <Avatar id={a.platformUserId} name={a.name} handle={a.handle} url={a.avatarUrl} size="sm" />
                <span className="account-handle">
                  {a.handle ? (
                    <>
                      @<Name text={a.handle} max={100} />
                    </>
                  ) : (
                    <Name text={a.name} />
                  )}
                </span>
                <span className="account-platform">{t(`platform.${a.platform}`)}</span>
                {a.sandbox && <span className="sandbox-mark">{t('topbar.sandbox')}</span>}
              </span>
            );
          })}
        </span>
      </button>
      <button type="button" className="icon-button" onClick={() => showAccounts('health')} aria-label={t('accounts.tabHealth')} title={t('accounts.tabHealth')} data-testid="open-health">
        <Icon name="health" />
      </button>
      <OutboxButton />
      <button type="button" className="icon-button settings-button" onClick={() => openSettings(true)} aria-label={t('topbar.settings')} title={t('topbar.settings')} data-testid="open-settings">
        <Icon name="settings" />
      </button>
      <AccountsDialog />
    </header>
  );
}
