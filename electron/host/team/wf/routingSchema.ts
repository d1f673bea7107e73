/** The team database's part of the workflow: routing rules. */
export const workflowRouting = /* sql */ `
SELECT 1;
`;
