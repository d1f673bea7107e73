import type { Shape } from '../wf';
import type { assignEn } from './assign.en';

/** The team workflow's assign strings (Dutch): the same keys as English, checked by the compiler. */
export const assignNl: Shape<typeof assignEn> = {
  title: 'assign',
};
