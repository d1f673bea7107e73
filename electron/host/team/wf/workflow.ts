import type pg from 'pg';
import { err, ok, type Result } from '../../../../shared/contract.js';
import type { TeamRole } from '../../../../shared/team.js';
import { WorkflowRecordSchema, type ActionOf, type ActResult, type WorkflowAction, type WorkflowKind, type WorkflowRecord } from '../../../../shared/workflow.js';
import { teamErr, type MemberNames } from '../actions.js';
import type { TeamConn } from '../types.js';

/** A log row as the WorkflowRecord every console receives (sync.ts reads the same). */
export const WORKFLOW_RECORD_JSON = `jsonb_strip_nulls(jsonb_build_object(
    'id', a.id, 'kind', a.kind, 'seq', a.seq, 'conversationKey', a.conversation_key, 'department', a.department,
    'by', a.by_login, 'byName', left(coalesce(mb.display_name, a.by_login::text), 100),
    'at', round(extract(epoch FROM a.at) * 1000), 'clientAt', a.client_at, 'data', a.data)) AS wf`;

const RECORD_BY_ID = `SELECT ${WORKFLOW_RECORD_JSON} FROM webcare.actions a LEFT JOIN webcare.members mb ON mb.login = a.by_login WHERE a.id = $1`;

export interface WfCtx {
  login: string;
  role: TeamRole | undefined;
  names: MemberNames;
  conn: TeamConn;
}

/**
 * What a handler decided:
 *   applied: the record is appended (`data` replaces the action's own fields when given;
 *            `conversationKey` when the action names no conversation itself)
 *   lost:    a colleague got there first; nothing the handler wrote is kept
 */
export type WfOutcome = { conversationKey?: string; data?: Record<string, unknown> } | { lost: { by?: string; what: string } };
export type WfHandler<K extends WorkflowKind> = (c: pg.ClientBase, action: ActionOf<K>, ctx: WfCtx) => Promise<WfOutcome>;
export type WfHandlers = { [K in WorkflowKind]?: WfHandler<K> };

class Lost extends Error {
  constructor(readonly lost: { by?: string; what: string }) {
    super('lost');
  }
}

const RETRYABLE = new Set(['40P01', '40001']);

/** The record's data: the action without what every record has anyway. */
export function actionData(action: WorkflowAction): Record<string, unknown> {
  const { id: _id, kind: _kind, at: _at, ...rest } = action as WorkflowAction & { conversationKey?: string };
  delete (rest as { conversationKey?: string }).conversationKey;
  return rest;
}

export function recordOf(json: unknown): WorkflowRecord {
  return WorkflowRecordSchema.parse(json);
}

/**
 * Appends a record only the console writes (a routed message, a reply queued
 * for approval or sent) inside the caller's transaction; false when that id is
 * in the log already.
 */
export async function appendSystem(
  c: pg.ClientBase,
  rec: { id: string; kind: 'submit' | 'sent' | 'route'; conversationKey?: string; clientAt: number; data: Record<string, unknown> },
): Promise<boolean> {
  const r = await c.query<{ ok: boolean }>('SELECT webcare.append_system($1, $2, $3, $4, $5) AS ok', [
    rec.id,
    rec.kind,
    rec.conversationKey ?? null,
    Math.round(rec.clientAt),
    JSON.stringify(rec.data),
  ]);
  return r.rows[0]?.ok === true;
}

export interface TeamWorkflowOptions {
  conn: TeamConn;
  names: MemberNames;
  /** Per kind, what applying it changes besides the log (the areas' wf/*.ts); a kind without one is only recorded. */
  handlers: WfHandlers;
  log?: (line: string) => void;
}

/**
 * Applies workflow actions: each in one transaction, its handler's changes and
 * the log record together, or neither. An id already in the log is a replay:
 * answered as applied with the record as it was, and nothing runs again.
 */
export class TeamWorkflow {
  constructor(private readonly opts: TeamWorkflowOptions) {}

  async act(action: WorkflowAction): Promise<Result<ActResult>> {
    const { conn, names } = this.opts;
    try {
      const record = await this.retrying(() =>
        conn.tx(async (c) => {
          const prior = await c.query<{ wf: unknown }>(RECORD_BY_ID, [action.id]);
          if (prior.rows[0]) return recordOf(prior.rows[0].wf);
          const handler = this.opts.handlers[action.kind] as WfHandler<WorkflowKind> | undefined;
          const ctx: WfCtx = { login: conn.me?.login ?? '', role: conn.me?.role, names, conn };
          const outcome: WfOutcome = handler ? await handler(c, action as never, ctx) : {};
          if ('lost' in outcome) throw new Lost(outcome.lost);
          const key = (action as { conversationKey?: string }).conversationKey ?? outcome.conversationKey ?? null;
          await c.query('SELECT webcare.append_action($1, $2, $3, $4, $5)', [
            action.id,
            action.kind,
            key,
            Math.round(action.at),
            JSON.stringify(outcome.data ?? actionData(action)),
          ]);
          const r = await c.query<{ wf: unknown }>(RECORD_BY_ID, [action.id]);
          return recordOf(r.rows[0]?.wf);
        }),
      );
      return ok({ applied: true, record });
    } catch (e) {
      if (e instanceof Lost) return ok({ applied: false, lost: e.lost });
      this.opts.log?.(`team workflow ${action.kind} failed: ${(e as Error).message}`);
      return err(teamErr(e));
    }
  }

  /** A deadlock or serialization failure is the database asking to try again. */
  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (attempt >= 4 || typeof code !== 'string' || !RETRYABLE.has(code)) throw e;
        await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
      }
    }
  }
}
