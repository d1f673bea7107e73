import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Message } from '../../../../shared/model.js';
import { applyRules, compileRules, routable, ruleDoesNothing, takeTurn, type AppliedRule, type RoundRobinCandidate, type RouteOutcome } from '../../../../shared/routing.js';
import { RoutingRuleSchema, type RoutingRule } from '../../../../shared/workflow.js';
import { DEFAULT_ROUTING_CAP } from '../../../../shared/workflowState.js';
import { TeamDbError } from '../pgErrors.js';
import { appendSystem, type WfHandlers, type WfOutcome } from './workflow.js';

const STAFF_ROLES = ['agent', 'specialist', 'lead', 'admin'];

/** A rule the host refuses whatever the editor let through: it must do something, and name a colleague who may take work. */
async function checkRule(c: pg.ClientBase, rule: RoutingRule): Promise<void> {
  if (ruleDoesNothing(rule)) throw new TeamDbError('other', 'the rule sets nothing (department, assignee, tag or priority)');
  if (rule.then.roundRobin && !rule.then.assignee && !rule.then.department) throw new TeamDbError('other', 'round-robin needs a department');
  if (rule.then.assignee) {
    const r = await c.query<{ role: string }>('SELECT role FROM webcare.members WHERE login = $1', [rule.then.assignee]);
    const role = r.rows[0]?.role;
    if (!role || !STAFF_ROLES.includes(role)) throw new TeamDbError('other', `${rule.then.assignee} is not a colleague who can be given work`);
  }
}

/**
 * What applying the routing actions changes besides the log: the rules and the
 * cap the poller reads. Only leads may write either (the tables' grants say so
 * before `append_action` does).
 */
export const routingHandlers: WfHandlers = {
  ruleSave: async (c, action) => {
    await checkRule(c, action.rule);
    await c.query(
      `INSERT INTO webcare.routing_rules (id, position, rule, action_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, rule = EXCLUDED.rule, action_id = EXCLUDED.action_id`,
      [action.rule.id, action.rule.order, JSON.stringify(action.rule), action.id],
    );
    return {};
  },
  ruleDelete: async (c, action, ctx): Promise<WfOutcome> => {
    const r = await c.query('DELETE FROM webcare.routing_rules WHERE id = $1', [action.ruleId]);
    if (r.rowCount) return {};
    // A colleague deleted it first (or it never reached the team): say who, when the log knows.
    const who = await c.query<{ by_login: string }>(
      `SELECT by_login FROM webcare.actions WHERE kind = 'ruleDelete' AND data->>'ruleId' = $1 ORDER BY seq LIMIT 1`,
      [action.ruleId],
    );
    const by = who.rows[0]?.by_login;
    return { lost: { ...(by ? { by: await ctx.names.of(by) } : {}), what: 'gone' } };
  },
  accountDepartment: async (c, action) => {
    const now = await c.query<{ department: string | null }>('SELECT department FROM webcare.accounts WHERE id = $1 FOR UPDATE', [action.accountId]);
    const row = now.rows[0];
    if (!row) throw new TeamDbError('other', 'that account is not one of the team\'s');
    const from = row.department;
    const to = action.department;
    if (from !== to) {
      await c.query('UPDATE webcare.accounts SET department = $2 WHERE id = $1', [action.accountId, to]);
      // Its messages in the old department (or in none) go along; a new department gives each a
      // new seq, so the consoles of the new department receive them. The record names the old
      // one (`from`): the old department's consoles let go of their copies (shared/team.ts, leftOf).
      await c.query('UPDATE webcare.messages SET department = $3 WHERE account_id = $1 AND department IS NOT DISTINCT FROM $2', [action.accountId, from, to]);
    }
    return { data: { accountId: action.accountId, department: to, from } };
  },
  routingCap: async (c, action) => {
    await c.query(
      `INSERT INTO webcare.routing_settings (id, cap, action_id) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET cap = EXCLUDED.cap, action_id = EXCLUDED.action_id`,
      [action.cap, action.id],
    );
    return {};
  },
};

/** A message the poller has just stored. */
export type RoutableMessage = Message;

export interface RouteResult {
  /** Keys looked at for the first time (recorded in webcare.routed). */
  handled: number;
  /** Route records appended. */
  records: number;
}

const conversationKeyOf = (m: Pick<Message, 'channel' | 'conversationId'>) => `${m.channel}:${m.conversationId}`;

/** The rules and the cap as leads last saved them (a row a newer console wrote that this one cannot read is skipped). */
async function loadRules(c: pg.ClientBase, log: (line: string) => void): Promise<{ rules: RoutingRule[]; cap: number }> {
  const r = await c.query<{ id: string; rule: unknown }>('SELECT id, rule FROM webcare.routing_rules ORDER BY position, id');
  const rules: RoutingRule[] = [];
  for (const row of r.rows) {
    const p = RoutingRuleSchema.safeParse(row.rule);
    if (p.success) rules.push(p.data);
    else log(`team: routing rule ${row.id} unreadable, skipped: ${p.error.issues[0]?.message ?? ''}`);
  }
  const s = await c.query<{ cap: number }>('SELECT cap FROM webcare.routing_settings WHERE id = 1');
  return { rules, cap: s.rows[0]?.cap ?? DEFAULT_ROUTING_CAP };
}

/** Colleagues of a department who may be given work, with their load and turn. */
async function candidatesOf(c: pg.ClientBase, department: string): Promise<RoundRobinCandidate[]> {
  const r = await c.query<{ login: string; on_duty: boolean; open: number; last_at: number | null }>(
    `SELECT m.login::text AS login, (s.login IS NOT NULL) AS on_duty, coalesce(l.open, 0)::int AS open,
            (extract(epoch FROM t.at) * 1000)::float8 AS last_at
     FROM webcare.members m
     LEFT JOIN webcare.shifts s ON s.login = m.login AND s.ended_at IS NULL
     LEFT JOIN webcare.open_load l ON l.login = m.login
     LEFT JOIN webcare.routing_turns t ON t.login = m.login
     WHERE $1 = ANY (m.departments) AND m.role = ANY ($2::text[])
     ORDER BY m.login`,
    [department, STAFF_ROLES],
  );
  return r.rows.map((row) => ({ login: row.login, onDuty: row.on_duty, open: row.open, ...(row.last_at === null ? {} : { lastAt: row.last_at }) }));
}

async function onDuty(c: pg.ClientBase, login: string): Promise<boolean> {
  const r = await c.query('SELECT 1 FROM webcare.shifts WHERE login = $1 AND ended_at IS NULL', [login]);
  return (r.rowCount ?? 0) > 0;
}

interface Conversation {
  key: string;
  messages: Array<{ m: RoutableMessage; applied: AppliedRule[] }>;
}

/**
 * Routes messages the poller has just inserted, in the poller's transaction
 * (called by TeamStore with the messages its upsert inserted, never those it
 * updated): so a message is stored and routed together or not at all, and a
 * page read again (by this console or, after a failover, by the next) inserts
 * nothing and routes nothing. `webcare.routed` holds every key it looked at,
 * by primary key, so even a message deleted and stored again is routed once.
 * Rules are read here, at the time of storing: a rule saved later never
 * touches what was stored before it.
 *
 * Per conversation, the department and the assignee come from the first
 * message (oldest) whose rules set them; tag and priority are per message.
 * Nobody off duty is given work: round-robin picks among the department's
 * colleagues on duty under the cap, and a rule naming a colleague who is off
 * duty gives the conversation to the rule's department instead (or to nobody).
 * A conversation that already has an assignment keeps it (and its department).
 * The assignment row does the rest, as an agent's does (wf/assignSchema.ts):
 * the assignee marks on the conversation's messages, the messages' department.
 */
export async function routeStored(c: pg.ClientBase, stored: readonly RoutableMessage[], log: (line: string) => void = () => undefined): Promise<RouteResult> {
  const fresh = stored.filter(routable);
  if (fresh.length === 0) return { handled: 0, records: 0 };
  const { rules, cap } = await loadRules(c, log);
  const compiled = compileRules(rules);

  // Decide in memory, then claim the keys: only those this transaction records as routed are routed.
  const decided = new Map(fresh.map((m) => [m.key, applyRules(compiled, m)]));
  const claimed = await c.query<{ key: string }>(
    `INSERT INTO webcare.routed (key, conversation_key, rule_ids)
     SELECT r->>'key', r->>'conversationKey', ARRAY(SELECT jsonb_array_elements_text(r->'ruleIds'))::uuid[]
     FROM jsonb_array_elements($1::jsonb) AS r
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    [JSON.stringify(fresh.map((m) => ({ key: m.key, conversationKey: conversationKeyOf(m), ruleIds: (decided.get(m.key) ?? []).map((a) => a.rule.id) })))],
  );
  const mine = new Set(claimed.rows.map((r) => r.key));
  const conversations = new Map<string, Conversation>();
  for (const m of [...fresh].sort((a, b) => a.createdAt - b.createdAt)) {
    const applied = decided.get(m.key) ?? [];
    if (!mine.has(m.key) || applied.length === 0) continue;
    const key = conversationKeyOf(m);
    let conv = conversations.get(key);
    if (!conv) conversations.set(key, (conv = { key, messages: [] }));
    conv.messages.push({ m, applied });
  }
  if (conversations.size === 0) return { handled: mine.size, records: 0 };

  // Round-robin across pollers of different accounts: one department's turns one transaction at a time.
  const departments = new Set<string>();
  for (const conv of conversations.values()) {
    const d = conversationOutcome(conv).department;
    if (d) departments.add(d.value);
  }
  for (const d of [...departments].sort()) await c.query(`SELECT pg_advisory_xact_lock(hashtextextended('webcare:route:' || $1, 0))`, [d]);
  const pools = new Map<string, RoundRobinCandidate[]>();

  let records = 0;
  const now = Date.now();
  for (const conv of conversations.values()) {
    const outcome = conversationOutcome(conv);
    const department = outcome.department?.value;
    // A conversation already assigned keeps its assignment: nobody's turn is spent on it.
    const already = (await c.query('SELECT 1 FROM webcare.assignments WHERE conversation_key = $1', [conv.key])).rowCount ?? 0;
    // Who gets it: a named colleague on duty, else round-robin in the department, else the department itself.
    let assignee: string | null = null;
    let turn = false;
    if (already === 0) {
      if (outcome.assignee && (await onDuty(c, outcome.assignee.value))) assignee = outcome.assignee.value;
      else if (outcome.roundRobin && department) {
        let pool = pools.get(department);
        if (!pool) pools.set(department, (pool = await candidatesOf(c, department)));
        assignee = takeTurn(pool, cap, now);
        turn = assignee !== null;
        if (!turn) log(`team: routing ${conv.key}: nobody of ${department} is on duty under the cap of ${cap}; given to the department`);
      }
    }
    const recordOfAssignment = randomUUID();
    // The department the conversation leaves, when messages of it were there before these: its
    // record names it, which lets that department's employees read it and their consoles let go.
    const before = already === 0 && department !== undefined ? await departmentBefore(c, conv) : null;
    // route_assign adds an assignment only where there is none (an agent may have been quicker).
    const assigned =
      already === 0 &&
      (assignee !== null || department !== undefined) &&
      (await c.query<{ ok: boolean }>('SELECT webcare.route_assign($1, $2, $3, $4) AS ok', [conv.key, assignee, department ?? null, recordOfAssignment])).rows[0]?.ok === true;
    if (assigned && turn) {
      await c.query(`INSERT INTO webcare.routing_turns (login, at) VALUES ($1, clock_timestamp()) ON CONFLICT (login) DO UPDATE SET at = EXCLUDED.at`, [assignee]);
    }
    // The records: one per rule and what it gave, naming the keys it applied to. The rule that chose
    // who gets the conversation (or, given to the department, the rule that chose that) carries the
    // assignment, under the id the assignment row names.
    const whoRule = assignee ? (outcome.assignee?.rule ?? outcome.roundRobin?.rule) : outcome.department?.rule;
    const groups = new Map<string, { rule: RoutingRule; keys: string[]; data: Record<string, unknown> }>();
    for (const { m, applied } of conv.messages) {
      for (const a of applied) {
        const data: Record<string, unknown> = {};
        if (a.fields.tag) data.tag = a.fields.tag;
        if (a.fields.priority) data.priority = a.fields.priority;
        if (assigned && department && outcome.department?.rule.id === a.rule.id) data.department = department;
        if (assigned && assignee && whoRule?.id === a.rule.id) data.assignee = assignee;
        const sig = `${a.rule.id}\u0000${JSON.stringify(data)}`;
        let g = groups.get(sig);
        if (!g) groups.set(sig, (g = { rule: a.rule, keys: [], data }));
        g.keys.push(m.key);
      }
    }
    let assignmentRecorded = !assigned;
    for (const g of groups.values()) {
      const carries = !assignmentRecorded && g.rule.id === whoRule?.id;
      const id = carries ? recordOfAssignment : randomUUID();
      if (carries) assignmentRecorded = true;
      const left = carries && assigned && before !== null && before !== department ? { left: before } : {};
      await appendSystem(c, { id, kind: 'route', conversationKey: conv.key, clientAt: now, data: { ruleId: g.rule.id, ruleName: g.rule.name, keys: g.keys, ...g.data, ...left } });
      records++;
      const tag = typeof g.data.tag === 'string' ? g.data.tag : null;
      if (tag) await tagMessages(c, g.keys, tag, id, now);
    }
  }
  return { handled: mine.size, records };
}

/** The department of the conversation's messages stored before the ones being routed (null: none, or no department). */
async function departmentBefore(c: pg.ClientBase, conv: Conversation): Promise<string | null> {
  const r = await c.query<{ department: string }>(
    `SELECT department FROM webcare.messages
     WHERE (channel || ':' || conversation_id) = $1 AND department IS NOT NULL AND NOT (key = ANY ($2::text[])) LIMIT 1`,
    [conv.key, conv.messages.map((x) => x.m.key)],
  );
  return r.rows[0]?.department ?? null;
}

/** Tags messages (apply_mark without a base: the rule decides, as an agent's tag would). */
async function tagMessages(c: pg.ClientBase, keys: string[], tag: string, actionId: string, at: number): Promise<void> {
  await c.query(
    `SELECT webcare.apply_mark($1, k, NULL, $3, false, NULL, false, NULL, NULL, $4) FROM unnest($2::text[]) AS k ORDER BY k`,
    [actionId, [...keys].sort(), tag, at],
  );
}

type Decided<T> = { value: T; rule: RoutingRule } | undefined;

/** The conversation-wide fields: from the oldest message whose rules set them. */
function conversationOutcome(conv: Conversation): { department: Decided<string>; assignee: Decided<string>; roundRobin: Decided<true> } {
  let department: Decided<string>;
  let assignee: Decided<string>;
  let roundRobin: Decided<true>;
  for (const { applied } of conv.messages) {
    for (const a of applied) {
      const f: RouteOutcome = a.fields;
      if (!department && f.department) department = { value: f.department, rule: a.rule };
      if (!assignee && !roundRobin && f.assignee) assignee = { value: f.assignee, rule: a.rule };
      if (!assignee && !roundRobin && f.roundRobin) roundRobin = { value: true, rule: a.rule };
    }
  }
  return { department, assignee, roundRobin };
}
