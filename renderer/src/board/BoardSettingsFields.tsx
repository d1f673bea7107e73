import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDb } from '../services';
import { NameField } from '../settings/NameField';
import { saveResponseTarget, useBoardSettings } from './boardSettings';

/** The board's settings in the settings dialog: your name ("mine", one setting with the canned-reply profile's) and the team's response target. */
export function BoardSettingsFields() {
  const { t } = useTranslation();
  const db = useDb();
  const settings = useBoardSettings(db);
  const [target, setTarget] = useState<string | null>(null);
  const fail = (e: unknown) => console.warn('setting not saved', e);
  return (
    <fieldset className="field">
      <legend>{t('board.label')}</legend>
      <NameField testId="setting-agent-name" />
      <label className="field-line">
        <span>{t('boardSettings.responseTarget')}</span>
        <input
          type="number"
          min={1}
          max={10080}
          step={1}
          value={target ?? String(settings.responseTargetMin)}
          onChange={(e) => setTarget(e.target.value)}
          onBlur={() => {
            const n = Number.parseInt(target ?? '', 10);
            if (target !== null && Number.isFinite(n) && n >= 1) saveResponseTarget(db, n).then(() => setTarget(null), fail);
            else setTarget(null);
          }}
          data-testid="setting-response-target"
        />
        <span className="field-hint">{t('boardSettings.responseTargetHint')}</span>
      </label>
    </fieldset>
  );
}
