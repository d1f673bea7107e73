import { useTranslation } from 'react-i18next';
import type { Status } from '../../../shared/contract.js';
import { formatAbsolute } from '../i18n/format';
import { useHostStatus } from '../services';

/** Says which X accounts spent their daily budget: their streams wait, and nothing new arrives from them until then. */
export function BudgetBanner() {
  return <BudgetNotice status={useHostStatus()} />;
}

export function BudgetNotice({ status }: { status: Status | null }) {
  const { t, i18n } = useTranslation();
  const paused = (status?.accounts ?? []).filter((a) => a.spending?.pausedUntil !== undefined);
  if (paused.length === 0) return null;
  const until = Math.min(...paused.map((a) => a.spending?.pausedUntil ?? Infinity));
  const accounts = paused.map((a) => (a.handle ? `@${a.handle}` : a.name)).join(', ');
  return (
    <div className="banner banner--budget" role="status" data-testid="budget-banner">
      {t('banner.budget', { accounts, time: formatAbsolute(until, i18n.language) })}
    </div>
  );
}
