import type { Shape } from '../wf';
import type { shiftsEn } from './shifts.en';

/** The team workflow's shifts strings (Dutch): the same keys as English, checked by the compiler. */
export const shiftsNl: Shape<typeof shiftsEn> = {
  title: 'shifts',
};
