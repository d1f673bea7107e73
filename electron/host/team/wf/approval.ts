import type pg from 'pg';
import type { Channel } from '../../../../shared/model.js';
import { checkText } from '../../../../shared/replyChecks.js';
import { TeamDbError } from '../pgErrors.js';
import type { WfHandlers, WfOutcome } from './workflow.js';

/**
 * What applying the approval actions changes besides the log (wf/approvalSchema.ts
 * holds the rules; these call its functions, which check that the caller is a lead
 * before anything changes).
 */

interface Decided {
  done: boolean;
  state: string;
  decided_by: string | null;
  conversation_key: string;
}

/** Approve or return: one row lock decides; a colleague who decided first makes this one lost. */
async function decide(c: pg.ClientBase, approvalId: string, actionId: string, decision: { approve: true; text?: string } | { approve: false; comment: string }): Promise<WfOutcome> {
  if (decision.approve && decision.text !== undefined) {
    const r = await c.query<{ channel: Channel; media: number }>(
      `SELECT channel, coalesce(jsonb_array_length(CASE WHEN jsonb_typeof(input->'media') = 'array' THEN input->'media' END), 0) AS media
         FROM webcare.approvals WHERE client_id = $1`,
      [approvalId],
    );
    const row = r.rows[0];
    // The edited text must be one the platform takes (as the composer checks the author's).
    const problem = row && !(row.media > 0 && decision.text.trim() === '') ? checkText(row.channel, decision.text) : null;
    if (problem) throw new TeamDbError('other', problem.kind === 'tooLong' ? `the edited reply is too long (at most ${problem.limit})` : 'the edited reply is empty or has characters the platform refuses');
  }
  const r = await c.query<Decided>('SELECT * FROM webcare.approval_decide($1, $2, $3, $4, $5)', [
    approvalId,
    decision.approve,
    decision.approve ? (decision.text ?? null) : null,
    decision.approve ? null : decision.comment,
    actionId,
  ]);
  const d = r.rows[0];
  if (!d) throw new Error('approval_decide answered nothing');
  if (!d.done) return { lost: { ...(d.decided_by ? { by: d.decided_by.slice(0, 100) } : {}), what: d.state } };
  return { conversationKey: d.conversation_key };
}

export const approvalHandlers: WfHandlers = {
  approve: (c, a) => decide(c, a.approvalId, a.id, { approve: true, ...(a.text !== undefined ? { text: a.text } : {}) }),
  return: (c, a) => decide(c, a.approvalId, a.id, { approve: false, comment: a.comment }),
  approvalPolicy: async (c, a) => {
    const [kind, value] = 'login' in a.target ? ['login', a.target.login] : ['channel', a.target.channel];
    await c.query('SELECT webcare.approval_policy_set($1, $2, $3)', [kind, value, a.required]);
    return {};
  },
  review: async (c, a) => {
    const r = await c.query<{ k: string }>('SELECT webcare.review_record($1, $2, $3, $4, $5) AS k', [a.messageKey, a.author, a.score, a.comment ?? null, a.id]);
    return { conversationKey: r.rows[0]!.k };
  },
};
