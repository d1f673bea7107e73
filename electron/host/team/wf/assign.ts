import type pg from 'pg';
import type { WorkTarget } from '../../../../shared/workflow.js';
import { actionData, type WfHandlers } from './workflow.js';

const targetParams = (to: WorkTarget): [string | null, string | null] => ('login' in to ? [to.login, null] : [null, to.department]);

/** Logins that are members of the team, of those named (in their order, once each). */
async function knownLogins(c: pg.ClientBase, logins: readonly string[]): Promise<string[]> {
  if (logins.length === 0) return [];
  const r = await c.query<{ login: string }>('SELECT login::text AS login FROM webcare.members WHERE login = ANY ($1::name[])', [[...new Set(logins)]]);
  const known = new Set(r.rows.map((x) => x.login));
  return [...new Set(logins)].filter((l) => known.has(l));
}

/** The conversation's department as the caller sees it (as webcare.conversation_department reads it). */
async function departmentOf(c: pg.ClientBase, conversationKey: string): Promise<string | null> {
  const r = await c.query<{ department: string }>(
    "SELECT department FROM webcare.messages WHERE (channel || ':' || conversation_id) = $1 AND department IS NOT NULL LIMIT 1",
    [conversationKey],
  );
  return r.rows[0]?.department ?? null;
}

/**
 * What applying the assign actions changes besides the log (the SQL functions
 * of wf/assignSchema.ts check the target and the caller's rights, in the
 * action's transaction).
 */
export const assignHandlers: WfHandlers = {
  async assign(c, action) {
    // The department it leaves, if it goes to another: named in the record, which lets that
    // department's employees read it, so their consoles let go of their copies.
    const before = 'department' in action.to ? await departmentOf(c, action.conversationKey) : null;
    await c.query('SELECT webcare.assign($1, $2, $3, $4)', [action.id, action.conversationKey, ...targetParams(action.to)]);
    // The database marks every message of the conversation it holds; the log keeps who and why,
    // not the (possibly thousands of) message keys this console happened to have.
    const { keys: _keys, ...data } = actionData(action) as ReturnType<typeof actionData> & { keys?: unknown };
    return { data: before !== null && 'department' in action.to && before !== action.to.department ? { ...data, left: before } : data };
  },

  async unassign(c, action) {
    await c.query('SELECT webcare.unassign($1)', [action.conversationKey]);
    const { keys: _keys, ...data } = actionData(action) as ReturnType<typeof actionData> & { keys?: unknown };
    return { data };
  },

  async note(c, action) {
    // Only colleagues are notified: an @word that names nobody stays text.
    const mentions = await knownLogins(c, action.mentions);
    return { data: { ...actionData(action), mentions } };
  },

  async ask(c, action) {
    await c.query('SELECT webcare.ask($1, $2, $3, $4)', [action.id, action.conversationKey, ...targetParams(action.to)]);
    return {};
  },

  async answer(c, action) {
    // The colleague's name comes from the same transaction: the pool may have no other connection free.
    const r = await c.query<{ conversation_key: string; won: boolean; by_name: string | null }>(
      'SELECT a.conversation_key, a.won, webcare.member_name(a.answered_by) AS by_name FROM webcare.answer_ask($1, $2) a',
      [action.askId, action.id],
    );
    const row = r.rows[0];
    if (!row) throw new Error('the question did not answer');
    if (!row.won) return { lost: { ...(row.by_name ? { by: row.by_name } : {}), what: 'answered' } };
    return { conversationKey: row.conversation_key };
  },
};
