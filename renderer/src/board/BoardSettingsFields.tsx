import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDb } from '../services';
import { saveAgentName, saveResponseTarget, useBoardSettings } from './boardSettings';

/** The board's settings in the settings dialog: the agent's name ("mine") and the team's response target. */
export function BoardSettingsFields() {
  const { t } = useTranslation();
  const db = useDb();
  const settings = useBoardSettings(db);
  const [name, setName] = useState<string | null>(null);
  const [target, setTarget] = useState<string | null>(null);
  const fail = (e: unknown) => console.warn('setting not saved', e);
  return (
    <fieldset className="field">
      <legend>{t('board.label')}</legend>
      <label className="field-line">
        <span>{t('boardSettings.agentName')}</span>
        <input
          type="text"
          maxLength={100}
          value={name ?? settings.me ?? ''}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => {
            if (name !== null) saveAgentName(db, name).then(() => setName(null), fail);
          }}
          data-testid="setting-agent-name"
        />
        <span className="field-hint">{t('boardSettings.agentNameHint')}</span>
      </label>
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
