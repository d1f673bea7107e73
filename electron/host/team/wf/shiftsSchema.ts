/** The team database's part of the workflow: shifts and handovers. */
export const workflowShifts = /* sql */ `
SELECT 1;
`;
