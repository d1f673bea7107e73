import { useState } from 'react';
import { useInsightT } from '../i18n/insight';
import { useDb } from '../services';
import { useHeldEdit, type HeldEdit } from '../settings/heldEdit';
import { listOf, savePriorityLists, usePriorityLists } from './prioritySettings';
import { SharedSettingNote } from './SharedSettingNote';
import { useSettingsScope } from './teamSettings';

/** A list the store refused (over its limits). */
class Refused extends Error {}

/** The VIP list, urgent words and the reach bound in the settings dialog; each saved when the field is left. */
export function PrioritySettingsFields() {
  const t = useInsightT();
  const db = useDb();
  const { lists } = usePriorityLists(db);
  const scope = useSettingsScope();
  const readOnly = scope === 'member';
  const storedVip = lists.vip.join('\n');
  const storedUrgent = lists.urgent.join(', ');
  const storedReach = String(lists.reach);
  const vipEdit = useHeldEdit<string>(storedVip);
  const urgentEdit = useHeldEdit<string>(storedUrgent);
  const reachEdit = useHeldEdit<string>(storedReach);
  const [vip, urgent, reach] = [vipEdit.typed, urgentEdit.typed, reachEdit.typed];
  // The field whose value was refused: it stays there as typed (nothing lost), with the limits said under it.
  const [refused, setRefused] = useState<keyof typeof lists | null>(null);
  const fail = (e: unknown) => console.warn('priority lists not saved', e);
  const save = <K extends keyof typeof lists>(field: K, edit: HeldEdit<string>, typed: string, value: (typeof lists)[K], shown: string) => {
    edit.save(
      typed,
      shown,
      async () => {
        const saved = await savePriorityLists(db, { [field]: value }, scope);
        // Refused: what was typed stays in the field (an error keeps it there until it is changed).
        if (!saved) throw new Refused();
        // Another field saved leaves the message of one still refused.
        setRefused((r) => (r === field ? null : r));
      },
      (e) => {
        // Not saved for another reason: what was typed stays, and saves again when the field is left.
        if (e instanceof Refused) setRefused(field);
        else fail(e);
      },
    );
  };
  return (
    <fieldset className="field" data-testid="priority-settings">
      <legend>{t('priority.settings')}</legend>
      <label className="field">
        <span>{t('priority.vip')}</span>
        <textarea
          rows={3}
          disabled={readOnly}
          value={vip ?? storedVip}
          onChange={(e) => vipEdit.type(e.target.value)}
          onBlur={() => vip !== null && save('vip', vipEdit, vip, listOf(vip), listOf(vip).join('\n'))}
          data-testid="setting-vip"
        />
      </label>
      <label className="field">
        <span>{t('priority.urgent')}</span>
        <input
          type="text"
          disabled={readOnly}
          value={urgent ?? storedUrgent}
          onChange={(e) => urgentEdit.type(e.target.value)}
          onBlur={() => urgent !== null && save('urgent', urgentEdit, urgent, listOf(urgent), listOf(urgent).join(', '))}
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
          value={reach ?? storedReach}
          onChange={(e) => reachEdit.type(e.target.value)}
          onBlur={() => {
            const n = Number.parseInt(reach ?? '', 10);
            if (reach !== null && Number.isInteger(n) && n >= 0) save('reach', reachEdit, reach, n, String(n));
            else reachEdit.drop();
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
