import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { teamEn } from './team.en';

type Leaves<T, P extends string = ''> = { [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`> }[keyof T & string];
type Unplural<K extends string> = K extends `${infer B}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? B : K;

/** A key of the `team` namespace (plural forms by their base key, as i18next takes them with `count`). */
export type TeamKey = Unplural<Leaves<typeof teamEn>>;

/** Translates a team key; values are interpolated as text (React renders them, never as markup). */
export type TeamT = (key: TeamKey, values?: Record<string, unknown>) => string;

/** Any translate function of this i18next instance, on the `team` namespace. */
export function teamT(t: TFunction | ((...args: never[]) => unknown)): TeamT {
  const ask = t as unknown as (key: string, options: Record<string, unknown>) => string;
  return (key, values) => ask(key, { ...values, ns: 'team' });
}

/** The team namespace's translate function for a component (re-rendered when the language changes). */
export function useTeamT(): TeamT {
  const { t } = useTranslation();
  return useMemo(() => teamT(t), [t]);
}
