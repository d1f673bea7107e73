import type { WfHandlers } from './workflow.js';

/** What applying the assign actions changes besides the log. */
export const assignHandlers: WfHandlers = {};
