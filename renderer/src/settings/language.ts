import { isLanguageChoice, type LanguageChoice } from '../i18n';
import type { WebcareDb } from '../db/db';

const KEY = 'language';

export async function loadLanguageChoice(db: WebcareDb): Promise<LanguageChoice> {
  const row = await db.settings.get(KEY);
  return isLanguageChoice(row?.value) ? row.value : 'system';
}

export async function saveLanguageChoice(db: WebcareDb, choice: LanguageChoice): Promise<void> {
  await db.settings.put({ key: KEY, value: choice });
}

export const LANGUAGE_SETTING_KEY = KEY;
