import type { StormRule } from '../../../shared/storm.js';
import { useInsightT } from '../i18n/insight';
import { useDb } from '../services';
import { useHeldEdit } from '../settings/heldEdit';
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
  return (
    <fieldset className="field" data-testid="storm-settings">
      <legend>{t('storm.settings')}</legend>
      {(['windowMin', 'factor', 'minCount'] as const).map((bound) => (
        <BoundField key={bound} bound={bound} value={rule[bound]} readOnly={scope === 'member'} save={(patch) => saveStormRule(db, patch, scope)} />
      ))}
      <span className="field-hint">{t('storm.hint')}</span>
      <SharedSettingNote scope={scope} names={['stormRule']} />
    </fieldset>
  );
}

function BoundField({ bound, value, readOnly, save }: { bound: Bound; value: number; readOnly: boolean; save: (patch: Partial<StormRule>) => Promise<boolean> }) {
  const t = useInsightT();
  const stored = String(value);
  const edit = useHeldEdit<string>(stored);
  return (
    <label className="field-line">
      <span>{t(`storm.${bound}`)}</span>
      <input
        type="number"
        {...LIMITS[bound]}
        disabled={readOnly}
        value={edit.typed ?? stored}
        onChange={(e) => edit.type(e.target.value)}
        onBlur={() => {
          const typed = edit.typed;
          const n = bound === 'factor' ? Number(typed) : Math.round(Number(typed));
          if (typed === null || typed.trim() === '' || !Number.isFinite(n)) return edit.drop();
          edit.save(typed, String(n), async () => {
            // Out of range: the store keeps its value and the field shows it again.
            if (!(await save({ [bound]: n }))) edit.drop();
          }, (e) => {
            console.warn('storm setting not saved', e);
            edit.drop();
          });
        }}
        data-testid={`setting-storm-${bound}`}
      />
    </label>
  );
}
