import i18next from 'i18next';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface Lang {
  t: ReturnType<typeof useTranslation>['t'];
  lng: string;
}

const LangContext = createContext<Lang | null>(null);

/**
 * One subscription to the language for the whole tree. react-i18next's
 * useTranslation copies the i18next instance on every mount; a column
 * scrolling mounts several cards a frame, each with a few names and a time,
 * and that garbage cost whole frames. Components drawn per card read this
 * context instead; a language change still re-renders them all.
 */
export function LangProvider({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const value = useMemo(() => ({ t: remembering(t), lng }), [t, lng]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

/**
 * The same translate function, remembering the strings asked for without
 * options: a card asks for the same few labels (its badge, "done") every time
 * one is drawn, and i18next works each out anew. With options (a count, a
 * name) it is asked every time. A new language makes a new one.
 */
function remembering(t: Lang['t']): Lang['t'] {
  const known = new Map<string, unknown>();
  const ask = t as unknown as (...args: unknown[]) => unknown;
  return ((...args: unknown[]) => {
    const key = args[0];
    if (args.length !== 1 || typeof key !== 'string') return ask(...args);
    if (!known.has(key)) known.set(key, ask(key));
    return known.get(key);
  }) as unknown as Lang['t'];
}

/** The translate function and language for what is drawn per card or per row (see LangProvider). */
export function useLang(): Lang {
  const lang = useContext(LangContext);
  // Without a provider (a component rendered on its own in a test): the i18next instance itself.
  return lang ?? { t: i18next.t.bind(i18next) as Lang['t'], lng: i18next.language };
}
