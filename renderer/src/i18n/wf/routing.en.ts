/** The team workflow's routing strings (English). */
export const routingEn = {
  title: 'routing',
} as const;
