import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { datePlaceholder, formatIsoDate, parseLocalDate } from './dateInput';

/**
 * A date typed in the console's language (see dateInput.ts): a drop-in for
 * `<input type="date">` whose value is ISO `YYYY-MM-DD` or empty. `onChange` gets
 * only dates it could read (or '' when cleared); anything else stays in the
 * field, marked, with a line saying how to write it, and nothing is lost.
 */
export function DateField({ value, onChange, id, testId, label }: { value: string; onChange(iso: string): void; id?: string; testId?: string; label?: string }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [draft, setDraft] = useState<string | null>(null);
  const [bad, setBad] = useState(false);
  const placeholder = datePlaceholder(lng, { day: t('dateField.day'), month: t('dateField.month'), year: t('dateField.year') });
  const take = (text: string, final: boolean) => {
    // While typing, `3-12-20` is on its way to 2026, not the year 2020: only a full year counts before the field is left.
    const iso = final || /\d{4}/.test(text) || text.trim() === '' ? parseLocalDate(text, lng) : null;
    if (iso === null) {
      if (final) setBad(true);
      return;
    }
    setBad(false);
    if (iso !== value) onChange(iso);
    if (final) setDraft(null);
  };
  return (
    <>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className="date-field"
        value={draft ?? formatIsoDate(value, lng)}
        placeholder={placeholder}
        aria-label={label}
        aria-invalid={bad || undefined}
        title={bad ? t('dateField.invalid', { pattern: placeholder }) : undefined}
        size={placeholder.length + 1}
        maxLength={20}
        onChange={(e) => {
          setDraft(e.target.value);
          take(e.target.value, false);
        }}
        onBlur={() => {
          if (draft !== null) take(draft, true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && draft !== null) take(draft, true);
        }}
        data-testid={testId}
      />
      {bad && (
        <span className="form-error" role="alert">
          {t('dateField.invalid', { pattern: placeholder })}
        </span>
      )}
    </>
  );
}
