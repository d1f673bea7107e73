import { useLiveQuery } from 'dexie-react-hooks';

import { useTranslation } from 'react-i18next';
import { BoardSettingsFields } from '../board/BoardSettingsFields';
import { PrioritySettingsFields } from '../insight/PrioritySettingsFields';
import { SlaSettingsFields } from '../insight/SlaSettingsFields';
import { StormSettingsFields } from '../insight/StormSettingsFields';
import { applyLanguage, isLanguageChoice, LANGUAGE_CHOICES, systemLanguage, type LanguageChoice } from '../i18n';
import { useDb } from '../services';
import { selectSettingsOpen, useUi } from '../store';
import { DENSITIES, DENSITY_SETTING_KEY, isDensity, isThemeChoice, saveAppearance, THEME_CHOICES, THEME_SETTING_KEY, type Density, type ThemeChoice } from './appearance';
import { LANGUAGE_SETTING_KEY, saveLanguageChoice } from './language';
import { useModal } from '../useModal';
import { TeamSettings } from '../team/TeamSettings';

/** A native modal <dialog>: focus trap, Escape and the backdrop come from the browser. */
export function SettingsDialog() {
  const { t } = useTranslation();
  const open = useUi(selectSettingsOpen);
  const setOpen = useUi((s) => s.setSettingsOpen);
  const db = useDb();
  const stored = useLiveQuery(async () => (await db.settings.get(LANGUAGE_SETTING_KEY))?.value ?? 'system', [db]);
  const choice: LanguageChoice = isLanguageChoice(stored) ? stored : 'system';
  const look = useLiveQuery(async () => {
    const [theme, density] = await db.settings.bulkGet([THEME_SETTING_KEY, DENSITY_SETTING_KEY]);
    return { theme: isThemeChoice(theme?.value) ? theme.value : 'system', density: isDensity(density?.value) ? density.value : 'comfortable' } as const;
  }, [db]);
  const saveLook = (patch: { theme?: ThemeChoice; density?: Density }) => {
    saveAppearance(db, patch).catch((e: unknown) => console.warn('appearance not saved', e));
  };
  const themeLabels: Record<ThemeChoice, string> = { system: t('appearance.themeSystem'), light: t('appearance.themeLight'), dark: t('appearance.themeDark') };
  const densityLabels: Record<Density, string> = { comfortable: t('appearance.densityComfortable'), compact: t('appearance.densityCompact') };
  const ref = useModal(open);

  const choose = (next: LanguageChoice) => {
    void applyLanguage(next);
    saveLanguageChoice(db, next).catch((e: unknown) => console.warn('language choice not saved', e));
  };

  const labels: Record<LanguageChoice, string> = {
    system: t('settings.languageSystem', { language: systemLanguage() === 'nl' ? t('settings.languageNl') : t('settings.languageEn') }),
    nl: t('settings.languageNl'),
    en: t('settings.languageEn'),
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="settings-title" onClose={() => setOpen(false)} data-testid="settings">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <fieldset className="field">
        <legend>{t('settings.language')}</legend>
        {LANGUAGE_CHOICES.map((c) => (
          <label key={c} className="radio">
            <input type="radio" name="language" value={c} checked={choice === c} onChange={() => choose(c)} lang={c === 'system' ? undefined : c} />
            <span lang={c === 'system' ? undefined : c}>{labels[c]}</span>
          </label>
        ))}
      </fieldset>
      <BoardSettingsFields />
      <SlaSettingsFields />
      <PrioritySettingsFields />
      <StormSettingsFields />
      <fieldset className="field">
        <legend>{t('appearance.theme')}</legend>
        {THEME_CHOICES.map((c) => (
          <label key={c} className="radio">
            <input type="radio" name="theme" value={c} checked={(look?.theme ?? 'system') === c} onChange={() => saveLook({ theme: c })} data-testid={`theme-${c}`} />
            <span>{themeLabels[c]}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="field">
        <legend>{t('appearance.density')}</legend>
        {DENSITIES.map((d) => (
          <label key={d} className="radio">
            <input type="radio" name="density" value={d} checked={(look?.density ?? 'comfortable') === d} onChange={() => saveLook({ density: d })} data-testid={`density-${d}`} />
            <span>{densityLabels[d]}</span>
          </label>
        ))}
      </fieldset>
      {open && <TeamSettings />}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => setOpen(false)}>
          {t('settings.close')}
        </button>
      </div>
    </dialog>
  );
}
