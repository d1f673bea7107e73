import { useState } from 'react';
import type { StormRule } from '../../../shared/storm.js';
import { useInsightT } from '../i18n/insight';
import { useDb } from '../services';
import { SharedSettingNote } from './SharedSettingNote';
import { saveStormRule, useStormRule } from './stormSettings';
import { useSettingsScope } from './teamSettings';

type Bound = 'windowMin' | 'factor' | 'minCount';
const LIMITS: Record<Bound, { min: number; max: number; step: number }> = {
  windowMin: { min: 5, max: 1440, step: 5 },
  factor: { min: 1, max: 100, step: 0.5 },
  minCount: { min: 1, max: 100_000, step: 1 },
};

/** The storm alert's bounds in the settings dialog; a value out of range is put back as it was. */
export function StormSettingsFields() {
  const t = useInsightT();
  const db = useDb();
  const rule = useStormRule(db);
  const scope = useSettingsScope();
  const [typed, setTyped] = useState<Partial<Record<Bound, string>>>({});
  const field = (bound: Bound) => (
    <label className="field-line" key={bound}>
      <span>{t(`storm.${bound}`)}</span>
      <input
        type="number"
        {...LIMITS[bound]}
        disabled={scope === 'member'}
        value={typed[bound] ?? String(rule[bound])}
        onChange={(e) => setTyped((x) => ({ ...x, [bound]: e.target.value }))}
        onBlur={() => {
          const n = Number(typed[bound]);
          const clear = () => setTyped((x) => ({ ...x, [bound]: undefined }));
          if (typed[bound] === undefined || !Number.isFinite(n)) return clear();
          saveStormRule(db, { [bound]: bound === 'factor' ? n : Math.round(n) } as Partial<StormRule>, scope).then(clear, (e: unknown) => {
            console.warn('storm setting not saved', e);
            clear();
          });
        }}
        data-testid={`setting-storm-${bound}`}
      />
    </label>
  );
  return (
    <fieldset className="field" data-testid="storm-settings">
      <legend>{t('storm.settings')}</legend>
      {(['windowMin', 'factor', 'minCount'] as const).map(field)}
      <span className="field-hint">{t('storm.hint')}</span>
      <SharedSettingNote scope={scope} names={['stormRule']} />
    </fieldset>
  );
}
