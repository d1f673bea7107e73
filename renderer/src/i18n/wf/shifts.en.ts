/** The team workflow's shifts strings (English). */
export const shiftsEn = {
  title: 'shifts',
} as const;
