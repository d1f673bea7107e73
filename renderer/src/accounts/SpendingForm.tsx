import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/model.js';
import { formatUsd } from '../health/healthFormat';
import { formatAbsolute } from '../i18n/format';
import { useCommand } from './useCommand';

/** Reads a typed amount the way the person typed it: "5", "5.50" or "5,50". */
export function parseAmount(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d{1,5}(\.\d{1,2})?$/.test(t)) return null;
  return Number(t);
}

/**
 * An X account's spending: what today cost, the daily budget that pauses its
 * streams, the page cap per poll, and whether it owns the developer app (which
 * sets what its mentions cost).
 */
export function SpendingForm({ account }: { account: Account }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const s = account.spending;
  const save = useCommand('setAccountSpending');
  const [budget, setBudget] = useState(String(s?.dailyBudgetUsd ?? ''));
  const [pages, setPages] = useState(String(s?.pagesPerPoll ?? ''));
  const [invalid, setInvalid] = useState(false);
  const [saved, setSaved] = useState(false);
  if (!s) return null;

  const submit = () => {
    // An empty budget field means no daily budget.
    const dailyBudgetUsd = budget.trim() === '' ? null : parseAmount(budget);
    const pagesPerPoll = /^\d{1,3}$/.test(pages.trim()) ? Number(pages.trim()) : NaN;
    if ((budget.trim() !== '' && dailyBudgetUsd === null) || (dailyBudgetUsd ?? 0) > 10_000 || !(pagesPerPoll >= 1 && pagesPerPoll <= 100)) {
      setInvalid(true);
      setSaved(false);
      return;
    }
    setInvalid(false);
    void save.run({ accountId: account.id, dailyBudgetUsd, pagesPerPoll }).then((v) => setSaved(v !== null));
  };
  const answer = (ownsApp: boolean) => void save.run({ accountId: account.id, ownsApp });

  return (
    <section className="account-spending" aria-label={t('accounts.spending.heading')} data-testid="account-spending">
      <h4 className="account-spending-title">{t('accounts.spending.heading')}</h4>
      <p className="account-card-note" data-testid="spending-spent">
        {s.dailyBudgetUsd === undefined
          ? t('accounts.spending.spentNoBudget', { spent: formatUsd(s.spentTodayUsd, lng) })
          : t('accounts.spending.spent', { spent: formatUsd(s.spentTodayUsd, lng), budget: formatUsd(s.dailyBudgetUsd, lng) })}
      </p>
      {s.pausedUntil !== undefined && (
        <p className="account-card-note account-card-note--warn" role="status" data-testid="spending-paused">
          {t('accounts.spending.paused', { time: formatAbsolute(s.pausedUntil, lng) })}
        </p>
      )}
      <form
        className="account-spending-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label>
          {t('accounts.spending.budgetLabel')}
          <span className="acc-sr"> {t('accounts.spending.budgetEmpty')}</span>
          <input type="text" inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} data-testid="spending-budget" aria-invalid={invalid} />
        </label>
        <label>
          {t('accounts.spending.pagesLabel')}
          <input type="text" inputMode="numeric" value={pages} onChange={(e) => setPages(e.target.value)} data-testid="spending-pages" aria-invalid={invalid} />
        </label>
        <button type="submit" className="button" disabled={save.busy} data-testid="spending-save">
          {t('accounts.spending.save')}
        </button>
        {saved && !invalid && <span role="status">{t('accounts.spending.saved')}</span>}
      </form>
      {invalid && (
        <p role="alert" className="form-error" data-testid="spending-invalid">
          {t('accounts.spending.invalid')}
        </p>
      )}
      <fieldset className="account-spending-owns">
        <legend>{t('accounts.spending.ownsQuestion')}</legend>
        <label>
          <input type="radio" name={`owns-${account.id}`} checked={s.ownsApp === true} onChange={() => answer(true)} data-testid="spending-owns-yes" />
          {t('accounts.spending.ownsYes')}
        </label>
        <label>
          <input type="radio" name={`owns-${account.id}`} checked={s.ownsApp === false} onChange={() => answer(false)} data-testid="spending-owns-no" />
          {t('accounts.spending.ownsNo')}
        </label>
        {s.ownsApp === undefined && <p className="account-card-note account-card-note--warn">{t('accounts.spending.ownsUnknown')}</p>}
      </fieldset>
      {save.error && (
        <p role="alert" className="form-error">
          {save.error}
        </p>
      )}
    </section>
  );
}
