import { useTranslation } from 'react-i18next';
import { NameField } from '../settings/NameField';

/** The board's settings in the settings dialog: your name ("mine", one setting with the canned-reply profile's); response targets are the insight's (SlaSettingsFields). */
export function BoardSettingsFields() {
  const { t } = useTranslation();
  return (
    <fieldset className="field">
      <legend>{t('board.label')}</legend>
      <NameField testId="setting-agent-name" />
    </fieldset>
  );
}
