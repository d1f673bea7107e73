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
  // The field whose value was refused: it stays there as typed (nothing lost), with the limits said under it.
  const [refused, setRefused] = useState<keyof typeof lists | null>(null);
  const fail = (e: unknown) => console.warn('priority lists not saved', e);
  const save = (field: keyof typeof lists, patch: Partial<typeof lists>, clear: () => void) => {
    savePriorityLists(db, patch, scope).then((saved) => {
      if (saved) clear();
      // Another field saved leaves the message of one still refused.
      setRefused((r) => (saved ? (r === field ? null : r) : field));
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
          onBlur={() => vip !== null && save('vip', { vip: listOf(vip) }, () => setVip(null))}
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
          onBlur={() => urgent !== null && save('urgent', { urgent: listOf(urgent) }, () => setUrgent(null))}
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
            if (reach !== null && Number.isInteger(n) && n >= 0) save('reach', { reach: n }, () => setReach(null));
            else setReach(null);
          }}
          data-testid="setting-reach"
        />
      </label>
      {refused !== null && (
        <span className="form-error" role="alert" data-testid="priority-refused">
          {t('priority.refused')}
        </span>
      )}
      <span className="field-hint">{t('priority.hint')}</span>
      <SharedSettingNote scope={scope} names={['priorityLists']} />
    </fieldset>
  );
}
