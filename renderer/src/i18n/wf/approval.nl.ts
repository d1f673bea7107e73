import type { Shape } from '../wf';
import type { approvalEn } from './approval.en';

/** The team workflow's approval strings (Dutch): the same keys as English, checked by the compiler. */
export const approvalNl: Shape<typeof approvalEn> = {
  title: 'approval',
};
