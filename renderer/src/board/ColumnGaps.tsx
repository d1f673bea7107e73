import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColumnFilter } from '../../../shared/filter.js';
import { useAccountsUi } from '../accounts/accountsUi';
import { formatGapRange } from '../health/healthFormat';
import { useHostStatus } from '../services';
import { useNow } from '../useNow';
import { columnGapNotice, type ColumnGapNotice } from './gaps';
import './gaps.css';

/**
 * Under a column's header: a slim line when a stream that feeds the column has
 * messages the host could not fetch. Its own component, so a status update
 * re-renders this line and not the column.
 */
export function ColumnGaps({ filter }: { filter: ColumnFilter }) {
  const status = useHostStatus();
  const now = useNow();
  const notice = useMemo(() => (status ? columnGapNotice(filter, status.streams) : null), [filter, status]);
  if (!notice) return null;
  return <ColumnGapsNotice notice={notice} now={now} onOpen={() => useAccountsUi.getState().show('health')} />;
}

export function ColumnGapsNotice({ notice, now, onOpen }: { notice: ColumnGapNotice; now: number; onOpen(): void }) {
  const { t, i18n } = useTranslation();
  const range = formatGapRange(notice.from, notice.to, now, i18n.language);
  return (
    <div className={`column-gaps column-gaps--${notice.state}`} role="status" data-testid="column-gaps" data-state={notice.state}>
      <span className="column-gaps-text">{t(notice.key, { from: range.from ?? '', to: range.to })}</span>
      <button type="button" className="column-gaps-open" title={t('gaps.column.detailsTitle')} onClick={onOpen} data-testid="column-gaps-open">
        {t('gaps.column.details')}
      </button>
    </div>
  );
}
