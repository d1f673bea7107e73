import type { WfHandlers } from './workflow.js';

/** What applying the shifts actions changes besides the log. */
export const shiftsHandlers: WfHandlers = {};
