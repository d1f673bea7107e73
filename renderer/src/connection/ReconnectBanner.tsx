import { useTranslation } from 'react-i18next';
import type { Status } from '../../../shared/contract.js';
import { useAccountsUi } from '../accounts/accountsUi';
import { useHostStatus } from '../services';

/**
 * Says in words which accounts need reconnecting, with the way there: a red
 * outline on a chip in the top bar is easy to miss, and until the account is
 * reconnected nothing new arrives from it and replies through it wait.
 */
export function ReconnectBanner() {
  return <ReconnectNotice status={useHostStatus()} />;
}

export function ReconnectNotice({ status }: { status: Status | null }) {
  const { t } = useTranslation();
  const show = useAccountsUi((s) => s.show);
  const stale = (status?.accounts ?? []).filter((a) => a.state === 'reconnect');
  if (stale.length === 0) return null;
  const accounts = stale.map((a) => t('banner.reconnectAccount', { name: a.handle ? `@${a.handle}` : a.name, platform: t(`platform.${a.platform}`) })).join(', ');
  return (
    <div className="banner banner--reconnect" role="alert" data-testid="reconnect-banner">
      <span>{t('banner.reconnect', { count: stale.length, accounts })}</span>{' '}
      <button type="button" className="link-button" onClick={() => show('accounts')} data-testid="reconnect-banner-open">
        {t('banner.reconnectOpen')}
      </button>
    </div>
  );
}
