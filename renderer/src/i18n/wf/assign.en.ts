/** The team workflow's assign strings (English). */
export const assignEn = {
  title: 'assign',
} as const;
