import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { nl } from './nl';
import { teamEn } from './team.en';
import { teamNl } from './team.nl';
import { insightEn, insightNl } from './insight';
import { wfEn, wfNl } from './wf';

export type Language = 'nl' | 'en';
export type LanguageChoice = 'system' | Language;
export const LANGUAGE_CHOICES: readonly LanguageChoice[] = ['system', 'nl', 'en'];

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    // Only the main namespace: its keys are checked by i18next's types. Team mode's strings are
    // a namespace of their own (team.en.ts), with keys checked by TeamKey (team.ts) instead,
    // since one tree of every key is more than the compiler can check.
    resources: { translation: typeof en };
  }
}

/** The first of the person's preferred languages we speak; Dutch for any nl-*, else English. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower === 'nl' || lower.startsWith('nl-')) return 'nl';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

export function systemLanguage(): Language {
  const nav = globalThis.navigator as Navigator | undefined;
  return pickLanguage(nav?.languages?.length ? nav.languages : [nav?.language ?? 'en']);
}

export function resolveChoice(choice: LanguageChoice): Language {
  return choice === 'system' ? systemLanguage() : choice;
}

export function isLanguageChoice(v: unknown): v is LanguageChoice {
  return typeof v === 'string' && (LANGUAGE_CHOICES as readonly string[]).includes(v);
}

/** Synchronous: the resources are bundled, so the first render is already translated. */
export function initI18n(language: Language): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: {
      en: { translation: en, team: teamEn, wf: wfEn, insight: insightEn },
      nl: { translation: nl, team: teamNl, wf: wfNl, insight: insightNl },
    },
    ns: ['translation', 'team', 'wf', 'insight'],
    defaultNS: 'translation',
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['nl', 'en'],
    initAsync: false,
    returnNull: false,
    // React escapes every value it renders; escaping here too would show &amp; to the agent.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
  setDocumentLanguage(language);
  return i18next;
}

export async function applyLanguage(choice: LanguageChoice): Promise<void> {
  const language = resolveChoice(choice);
  if (i18next.language !== language) await i18next.changeLanguage(language);
  setDocumentLanguage(language);
}

function setDocumentLanguage(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
