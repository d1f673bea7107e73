import { SENTIMENTS, type Sentiment } from '../../../shared/model.js';
import { useInsightT } from '../i18n/insight';

/** The sentiments a column or routing rule asks for (any of them; none: any message). */
export function SentimentChecks({ value, onChange, testId }: { value: readonly Sentiment[]; onChange(next: Sentiment[]): void; testId: string }) {
  const t = useInsightT();
  return (
    <fieldset className="field field--inline" data-testid={testId}>
      <legend>{t('sentiment.filter')}</legend>
      {SENTIMENTS.map((s) => (
        <label key={s} className="check">
          <input type="checkbox" checked={value.includes(s)} onChange={(e) => onChange(e.target.checked ? [...value.filter((x) => x !== s), s] : value.filter((x) => x !== s))} />
          <span>{t(`sentiment.${s}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}
