/** The team database's part of the workflow: assignment, notes and asks. */
export const workflowAssign = /* sql */ `
SELECT 1;
`;
