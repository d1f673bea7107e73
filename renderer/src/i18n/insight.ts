import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLang } from './useLang';
import { insightEn } from './insight.en';
import { insightNl } from './insight.nl';

/**
 * What the console reads from messages (sentiment, storms): a namespace of its
 * own (`insight`), as the workflow's is, since one tree of every key is more than
 * the compiler can check (see index.ts).
 */
export { insightEn, insightNl };

type Leaves<T, P extends string = ''> = { [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`> }[keyof T & string];
type Unplural<K extends string> = K extends `${infer B}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? B : K;

/** A key of the `insight` namespace (plural forms by their base key, as i18next takes them with `count`). */
export type InsightKey = Unplural<Leaves<typeof insightEn>>;
export type InsightT = (key: InsightKey, values?: Record<string, unknown>) => string;

export function insightT(t: TFunction | ((...args: never[]) => unknown)): InsightT {
  const ask = t as unknown as (key: string, options: Record<string, unknown>) => string;
  return (key, values) => ask(key, { ...values, ns: 'insight' });
}

/** The insight namespace's translate function for a component (re-rendered when the language changes). */
export function useInsightT(): InsightT {
  const { t } = useTranslation();
  return useMemo(() => insightT(t), [t]);
}

/**
 * The same for what is drawn on every card: from the board's shared language
 * (useLang), not a useTranslation subscription per card, which costs scrolled frames.
 */
export function useCardInsightT(): InsightT {
  const { t } = useLang();
  return useMemo(() => insightT(t), [t]);
}
