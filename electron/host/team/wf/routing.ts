import type { WfHandlers } from './workflow.js';

/** What applying the routing actions changes besides the log. */
export const routingHandlers: WfHandlers = {};
