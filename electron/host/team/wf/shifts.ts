import type pg from 'pg';
import type { HandoverItem } from '../../../../shared/workflow.js';
import { actionData, type WfHandlers, type WfOutcome } from './workflow.js';

/** Conversations (of `keys`) that belong to a department, as the caller may see them. */
async function departmental(c: pg.ClientBase, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const r = await c.query<{ key: string; department: string }>(
    `SELECT DISTINCT ON (channel || ':' || conversation_id) channel || ':' || conversation_id AS key, department
       FROM webcare.messages
      WHERE (channel || ':' || conversation_id) = ANY ($1::text[]) AND department IS NOT NULL`,
    [[...new Set(keys)]],
  );
  return new Map(r.rows.map((row) => [row.key, row.department]));
}

/**
 * What applying the shifts actions changes besides the log:
 *   shiftStart   the agent is on duty (webcare.shifts), from now
 *   shiftEnd     off duty, their claims released, in the same transaction as the handover record;
 *                the record lists the released claims among the items, so colleagues see them
 *   handoverAck  recorded once per colleague and handover
 */
export const shiftsHandlers: WfHandlers = {
  shiftStart: async (c): Promise<WfOutcome> => {
    const r = await c.query<{ t: Date | null }>('SELECT webcare.shift_start() AS t');
    // Another console of the same login started the shift first: nothing to record twice.
    if (!r.rows[0]?.t) return { lost: { what: 'onDuty' } };
    return {};
  },

  shiftEnd: async (c, action, ctx): Promise<WfOutcome> => {
    // Handed drafts go to colleagues who can open that conversation; checked before anything changes.
    const recipients = [...new Set(action.drafts.map((d) => d.to))];
    const members = recipients.length
      ? (await c.query<{ login: string; display_name: string; role: string; departments: string[] }>(
          'SELECT login, display_name, role, departments FROM webcare.members WHERE login = ANY ($1::text[])',
          [recipients],
        )).rows
      : [];
    const byLogin = new Map(members.map((m) => [m.login, m]));
    const itemKeys = action.items.map((i) => i.conversationKey);
    const departments = await departmental(c, [...itemKeys, ...action.drafts.map((d) => d.conversationKey)]);
    for (const d of action.drafts) {
      const to = byLogin.get(d.to);
      if (!to || d.to === ctx.login) return { lost: { by: d.to, what: 'unknownColleague' } };
      const dept = departments.get(d.conversationKey);
      if (to.role === 'department' && !(dept && to.departments.includes(dept))) return { lost: { by: to.display_name, what: 'notTheirDepartment' } };
    }

    const r = await c.query<{ started_at: Date | null; released: string[] | null }>('SELECT started_at, released FROM webcare.shift_end()');
    const row = r.rows[0];
    if (!row?.started_at) return { lost: { what: 'offDuty' } };
    const released = row.released ?? [];

    // The log is read by every login, department employees included (a handover names no single
    // conversation): an excerpt of a department's conversation stays out of it. Consoles that
    // hold the conversation show its text from their own store.
    const items: HandoverItem[] = action.items.map((i) => (i.text !== undefined && departments.has(i.conversationKey) ? { conversationKey: i.conversationKey, reason: i.reason } : i));
    const claimed = new Set(items.filter((i) => i.reason === 'claim').map((i) => i.conversationKey));
    for (const key of released) if (!claimed.has(key)) items.push({ conversationKey: key, reason: 'claim' });
    return { data: { ...actionData(action), items: items.slice(0, 500), released } };
  },

  handoverAck: async (c, action, ctx): Promise<WfOutcome> => {
    // One acknowledgement per colleague and handover, also when two of their consoles send one at once.
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`handoverAck:${action.handoverId}:${ctx.login}`]);
    const h = await c.query<{ by_login: string }>(`SELECT by_login FROM webcare.actions WHERE id = $1 AND kind = 'shiftEnd'`, [action.handoverId]);
    const handover = h.rows[0];
    if (!handover) return { lost: { what: 'unknownHandover' } };
    if (handover.by_login === ctx.login) return { lost: { what: 'ownHandover' } };
    const seen = await c.query(`SELECT 1 FROM webcare.actions WHERE kind = 'handoverAck' AND by_login = session_user AND data->>'handoverId' = $1`, [action.handoverId]);
    if (seen.rowCount) return { lost: { what: 'acknowledged' } };
    return {};
  },
};
