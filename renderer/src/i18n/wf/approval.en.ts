/** The team workflow's approval strings (English). */
export const approvalEn = {
  title: 'approval',
} as const;
