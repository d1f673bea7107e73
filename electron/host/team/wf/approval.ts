import type { WfHandlers } from './workflow.js';

/** What applying the approval actions changes besides the log. */
export const approvalHandlers: WfHandlers = {};
