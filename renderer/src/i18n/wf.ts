import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { approvalEn } from './wf/approval.en';
import { approvalNl } from './wf/approval.nl';
import { assignEn } from './wf/assign.en';
import { assignNl } from './wf/assign.nl';
import { commonEn } from './wf/common.en';
import { commonNl } from './wf/common.nl';
import { routingEn } from './wf/routing.en';
import { routingNl } from './wf/routing.nl';
import { shiftsEn } from './wf/shifts.en';
import { shiftsNl } from './wf/shifts.nl';

/**
 * The team workflow's strings: a namespace of their own (`wf`), one part per
 * area (assign, approval, routing, shifts), each a file per language.
 */
export const wfEn = { common: commonEn, assign: assignEn, approval: approvalEn, routing: routingEn, shifts: shiftsEn } as const;
export const wfNl: Shape<typeof wfEn> = { common: commonNl, assign: assignNl, approval: approvalNl, routing: routingNl, shifts: shiftsNl };

/** The same keys with any string values (a translation's type). */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

type Leaves<T, P extends string = ''> = { [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`> }[keyof T & string];
type Unplural<K extends string> = K extends `${infer B}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? B : K;

/** A key of the `wf` namespace (plural forms by their base key, as i18next takes them with `count`). */
export type WfKey = Unplural<Leaves<typeof wfEn>>;
export type WfT = (key: WfKey, values?: Record<string, unknown>) => string;

export function wfT(t: TFunction | ((...args: never[]) => unknown)): WfT {
  const ask = t as unknown as (key: string, options: Record<string, unknown>) => string;
  return (key, values) => ask(key, { ...values, ns: 'wf' });
}

/** The workflow namespace's translate function for a component (re-rendered when the language changes). */
export function useWfT(): WfT {
  const { t } = useTranslation();
  return useMemo(() => wfT(t), [t]);
}
