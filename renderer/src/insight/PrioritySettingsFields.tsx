import { useState } from 'react';
import { useInsightT } from '../i18n/insight';
import { useDb } from '../services';
import { listOf, savePriorityLists, usePriorityLists } from './prioritySettings';
import { SharedSettingNote } from './SharedSettingNote';
import { useSettingsScope } from './teamSettings';

/** The VIP list, urgent words and the reach bound in the settings dialog; each saved when the field is left. */
export function PrioritySettingsFields() {
  const t = useInsightT();
  const db = useDb();
  const { lists } = usePriorityLists(db);
  const scope = useSettingsScope();
  const readOnly = scope === 'member';
  const [vip, setVip] = useState<string | null>(null);
  const [urgent, setUrgent] = useState<string | null>(null);
  const [reach, setReach] = useState<string | null>(null);
  const [refused, setRefused] = useState(false);
  const fail = (e: unknown) => console.warn('priority lists not saved', e);
  // A refused list stays in its field as typed (nothing lost), with the limits said under it.
  const save = (patch: Partial<typeof lists>, clear: () => void) => {
    savePriorityLists(db, patch, scope).then((saved) => {
      setRefused(!saved);
      if (saved) clear();
    }, fail);
  };
  return (
    <fieldset className="field" data-testid="priority-settings">
      <legend>{t('priority.settings')}</legend>
      <label className="field">
        <span>{t('priority.vip')}</span>
        <textarea
          rows={3}
          disabled={readOnly}
          value={vip ?? lists.vip.join('\n')}
          onChange={(e) => setVip(e.target.value)}
          onBlur={() => vip !== null && save({ vip: listOf(vip) }, () => setVip(null))}
          data-testid="setting-vip"
        />
      </label>
      <label className="field">
        <span>{t('priority.urgent')}</span>
        <input
          type="text"
          disabled={readOnly}
          value={urgent ?? lists.urgent.join(', ')}
          onChange={(e) => setUrgent(e.target.value)}
          onBlur={() => urgent !== null && save({ urgent: listOf(urgent) }, () => setUrgent(null))}
          placeholder="opzeggen, advocaat, ombudsman"
          data-testid="setting-urgent"
        />
      </label>
      <label className="field-line">
        <span>{t('priority.reach')}</span>
        <input
          type="number"
          min={0}
          step={1000}
          disabled={readOnly}
          value={reach ?? String(lists.reach)}
          onChange={(e) => setReach(e.target.value)}
          onBlur={() => {
            const n = Number.parseInt(reach ?? '', 10);
            if (reach !== null && Number.isInteger(n) && n >= 0) save({ reach: n }, () => setReach(null));
            else setReach(null);
          }}
          data-testid="setting-reach"
        />
      </label>
      {refused && (
        <span className="form-error" role="alert" data-testid="priority-refused">
          {t('priority.refused')}
        </span>
      )}
      <span className="field-hint">{t('priority.hint')}</span>
      <SharedSettingNote scope={scope} names={['priorityLists']} />
    </fieldset>
  );
}
