import type { Shape } from '../wf';
import type { routingEn } from './routing.en';

/** The team workflow's routing strings (Dutch): the same keys as English, checked by the compiler. */
export const routingNl: Shape<typeof routingEn> = {
  title: 'routing',
};
