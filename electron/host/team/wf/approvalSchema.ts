/** The team database's part of the workflow: approvals and reviews. */
export const workflowApproval = /* sql */ `
SELECT 1;
`;
