import { approvalHandlers } from './approval.js';
import { assignHandlers } from './assign.js';
import { routingHandlers } from './routing.js';
import { shiftsHandlers } from './shifts.js';
import type { WfHandlers } from './workflow.js';

/** Every area's handlers; each kind belongs to one area. */
export const workflowHandlers: WfHandlers = { ...assignHandlers, ...shiftsHandlers, ...approvalHandlers, ...routingHandlers };
