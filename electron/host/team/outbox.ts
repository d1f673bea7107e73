import { err, ok, type AppError, type Result, type SendReplyInput } from '../../../shared/contract.js';
import type { Message } from '../../../shared/model.js';
import { checkMedia, checkText } from '../../../shared/replyChecks.js';
import path from 'node:path';
import type { z } from 'zod';
import type { CollisionSchema } from '../../../shared/team.js';
import { MemberNames, teamErr } from './actions.js';
import { readJson, writeJson } from '../jsonFile.js';
import type { TeamJournal } from './journal.js';
import { teamError } from './pgErrors.js';
import type { TeamConn } from './types.js';

export type Collision = z.infer<typeof CollisionSchema>;

/** How the leader sends one reply: the host's own Sending (with the team journal), so exactly-once holds as in solo. */
export type SendFn = (input: SendReplyInput) => Promise<Result<Message>>;

type State = 'queued' | 'sending' | 'done';

interface Row {
  state: State;
  result: Result<Message> | null;
}

export interface TeamOutboxOptions {
  conn: TeamConn;
  journal: TeamJournal;
  /**
   * The console's data folder: the client ids this console put in the team queue
   * and has no final answer for are kept there (team-outbox.json), so that with the
   * database out of reach, even after a restart, such a reply is "unknown" rather
   * than "offline" (which would let the agent discard it while a leader may send it).
   * Without it they are kept in memory only.
   */
  dataDir?: string;
  names?: MemberNames;
  /** How long `enqueue` waits for the leader to send; default 20 s. */
  waitMs?: number;
  /** How often a waiting `enqueue` looks at its row besides the notices; default 1 s. */
  pollMs?: number;
  /**
   * A row left "sending" this long is taken over by the account's (new) leader;
   * default 2 min. Longer than any one send (timeouts, an X media upload), so a
   * leader that lost the database but not the platform has finished by then.
   */
  staleMs?: number;
  log?: (line: string) => void;
}

/**
 * The team's shared outbox. The console where the agent pressed Send puts the
 * reply in webcare.outbox (`enqueue`) after the collision guard; the console
 * that polls the account sends it (`drain`) through the host's Sending with the
 * team journal, and writes the result back with the posted message, named
 * after its author, for every console to show.
 *
 * Errors `enqueue` returns keep the renderer's outbox truthful:
 *   ok(message)             posted (by whichever console leads the account)
 *   err(offline)            not posted, and not in the team queue: the renderer
 *                           keeps it queued and tries again later (nobody sent
 *                           it in time and it was taken back, or the database is
 *                           out of reach and this console never queued it)
 *   err(sendUnknown)        maybe posted, or maybe still going to be (a leader
 *                           is sending it, the database is out of reach while it
 *                           is in the team queue, or a write's answer was lost):
 *                           the renderer retries on its own and cannot discard
 *                           it; the leader looks on the platform before it ever
 *                           posts again
 *   err(collision)          held back by the guard; nothing was queued
 *   err(team)               refused by the database (rights), nothing queued
 *   err(approval)           the author or the channel needs a lead's approval: the
 *                           reply waits in the approval queue (pending; the
 *                           renderer asks again, and once a lead approved it the
 *                           answer is the send's), or a lead returned it with a
 *                           comment (returned; the agent edits and sends anew)
 *   any other error         the platform's answer to the leader's send
 */
export class TeamOutbox {
  private readonly conn: TeamConn;
  private readonly journal: TeamJournal;
  private readonly names: MemberNames;
  private readonly waitMs: number;
  private readonly pollMs: number;
  private readonly staleMs: number;
  /** Waiting `enqueue` calls by account, woken by the account's outbox notices. */
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly draining = new Map<string, Promise<number>>();
  private readonly drainAgain = new Set<string>();
  private readonly inflight = new Map<string, Promise<Result<Message>>>();
  private readonly offNotice: () => void;
  private stopped = false;
  /** Client ids this console put (or put back) in the team queue without a final answer yet, with when. */
  private live: Record<string, number> | null = null;
  private readonly liveFile: string | null;

  constructor(private readonly opts: TeamOutboxOptions) {
    this.conn = opts.conn;
    this.journal = opts.journal;
    this.names = opts.names ?? new MemberNames(opts.conn);
    this.waitMs = opts.waitMs ?? 20_000;
    this.pollMs = opts.pollMs ?? 1000;
    this.staleMs = opts.staleMs ?? 120_000;
    this.liveFile = opts.dataDir ? path.join(opts.dataDir, 'team-outbox.json') : null;
    this.offNotice = this.conn.onNotice((n) => {
      if (n.t === 'outbox' && n.a) this.wake(n.a);
    });
  }

  stop(): void {
    this.stopped = true;
    this.offNotice();
    for (const id of this.waiters.keys()) this.wake(id);
  }

  // ── the console where Send was pressed ────────────────────────────────────

  /** Queues a reply for the account's leader and waits (up to `waitMs`) for its result. */
  enqueue(input: SendReplyInput): Promise<Result<Message>> {
    // The same client id twice at once (two windows) is one reply: one guard, one wait.
    let p = this.inflight.get(input.clientId);
    if (!p) {
      p = this.enqueueNow(input).finally(() => this.inflight.delete(input.clientId));
      this.inflight.set(input.clientId, p);
    }
    return p;
  }

  private async enqueueNow(input: SendReplyInput): Promise<Result<Message>> {
    const problem = replyProblem(input);
    if (problem) return err(problem);
    await this.loadLive();
    const result = await this.enqueueOnce(input);
    // A final answer: the reply is no longer live in the team queue (only this console could put it back).
    // One waiting for approval is live: a lead may put it in the team queue at any moment.
    const live = !result.ok && (result.error.kind === 'sendUnknown' || (result.error.kind === 'approval' && result.error.state === 'pending'));
    if (!live) await this.setLive(input.clientId, false);
    return result;
  }

  private async enqueueOnce(input: SendReplyInput): Promise<Result<Message>> {
    if (!this.conn.online) return err(this.outOfReach(input.clientId));
    let row: Row | undefined;
    try {
      row = await this.row(input.clientId);
    } catch (e) {
      return err(this.failure(e, input.clientId));
    }
    if (row?.state === 'done') {
      if (row.result?.ok) return row.result;
      const maybePosted = row.result?.ok === false && row.result.error.kind === 'sendUnknown';
      // A reply that certainly failed is a new decision to send: the guard looks again.
      // One that may be on the platform is not: the leader must settle it.
      if (!maybePosted) {
        const held = await this.guard(input);
        if (held) return held;
      }
      // Live before the write leaves, as the journal is before a post: its answer may be lost.
      await this.setLive(input.clientId, true);
      try {
        await this.conn.query('SELECT webcare.outbox_requeue($1)', [input.clientId]);
      } catch (e) {
        return err(this.failure(e, input.clientId));
      }
    } else if (!row) {
      let approval: Approval | undefined;
      try {
        approval = await this.approval(input.clientId);
      } catch (e) {
        return err(this.failure(e, input.clientId));
      }
      if (approval?.state === 'pending' || approval?.state === 'returned') return err(approvalError(approval));
      // Approved (or sent) but not in the team queue (a row removed behind the consoles' backs):
      // inserted again, the database takes the approved reply itself, under this id.
      if (!approval) {
        const held = await this.guard(input);
        if (held) return held;
        const submitted = await this.submitOrQueue(input);
        if (submitted) return submitted;
      } else {
        await this.setLive(input.clientId, true);
        try {
          await this.insert(input);
        } catch (e) {
          return err(this.failure(e, input.clientId));
        }
      }
    }
    return this.wait(input.clientId, input.accountId);
  }

  /**
   * A new reply: into the approval queue when the team says its author or channel
   * needs a lead's approval (answered as pending), else into the team queue
   * (null: wait for the leader). The database decides both, so a policy a lead set
   * a moment ago holds; a policy set between the two statements makes the outbox
   * refuse the insert, and the reply is submitted after all.
   */
  private async submitOrQueue(input: SendReplyInput): Promise<Result<Message> | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.conn.query<{ state: string; comment: string | null; decided_by: string | null }>(
          'SELECT * FROM webcare.approval_submit($1, $2)',
          [input.clientId, JSON.stringify(input)],
        );
        const state = r.rows[0]?.state ?? 'none';
        if (state !== 'none') {
          // Live from now on: a lead may put it in the team queue while this console is away.
          await this.setLive(input.clientId, true);
          if (state === 'pending' || state === 'returned') return err(approvalError({ state, comment: r.rows[0]?.comment ?? null, by: r.rows[0]?.decided_by ?? null }));
          return null;
        }
      } catch (e) {
        return err(this.failure(e, input.clientId));
      }
      await this.setLive(input.clientId, true);
      try {
        await this.insert(input);
        return null;
      } catch (e) {
        if (attempt >= 2 || !isApprovalRefusal(e)) return err(this.failure(e, input.clientId));
      }
    }
  }

  private async insert(input: SendReplyInput): Promise<void> {
    await this.conn.query(
      `INSERT INTO webcare.outbox (client_id, account_id, conversation_key, input) VALUES ($1, $2, $3, $4)
       ON CONFLICT (client_id) DO NOTHING`,
      [input.clientId, input.accountId, `${input.channel}:${input.conversationId}`, JSON.stringify(input)],
    );
  }

  /** The reply's place in the approval queue, if it ever was in it; `by` is the deciding lead's name. */
  private async approval(clientId: string): Promise<Approval | undefined> {
    const r = await this.conn.query<Approval>(
      `SELECT a.state, a.comment, coalesce(m.display_name, a.decided_by::text) AS by
         FROM webcare.approvals a LEFT JOIN webcare.members m ON m.login = a.decided_by
        WHERE a.client_id = $1`,
      [clientId],
    );
    return r.rows[0];
  }

  /**
   * The collision guard: since the agent opened the conversation (`since`, their
   * clock), did a colleague reply, queue a reply, or the customer write again?
   * Read under this login's row-level security, on the database's clock.
   */
  private async guard(input: SendReplyInput): Promise<Result<Message> | null> {
    if (input.force || input.since === undefined) return null;
    const me = this.conn.me;
    const myName = me?.name ?? '';
    const sinceDb = input.since + this.conn.skewMs;
    try {
      const r = await this.conn.query<{ kind: 'replied' | 'queued' | 'newMessage'; by: string | null; at: number | null }>(
        `SELECT * FROM (
           (SELECT 'replied' AS kind, data->>'by' AS by, created_at::float8 AS at, 1 AS rank FROM webcare.messages
             WHERE account_id = $1 AND channel = $2 AND conversation_id = $3 AND from_us
               AND stored_at > to_timestamp($4::float8 / 1000) AND (data->>'by' IS NULL OR CASE WHEN data ? 'byLogin' THEN data->>'byLogin' <> session_user::text ELSE data->>'by' <> $5 END)
             ORDER BY stored_at DESC LIMIT 1)
           UNION ALL
           (SELECT CASE WHEN o.state = 'done' THEN 'replied' ELSE 'queued' END, coalesce(m.display_name, o.author::text),
                   (extract(epoch FROM o.created_at) * 1000)::float8, 2 FROM webcare.outbox o
              LEFT JOIN webcare.members m ON m.login = o.author
             WHERE o.account_id = $1 AND o.conversation_key = $6 AND o.author <> session_user AND o.client_id <> $7::uuid
               AND (o.state IN ('queued', 'sending') OR (o.state = 'done' AND o.result->>'ok' = 'true'
                    AND o.created_at > to_timestamp($4::float8 / 1000)))
             ORDER BY o.created_at DESC LIMIT 1)
           UNION ALL
           (SELECT 'newMessage', NULL, created_at::float8, 3 FROM webcare.messages
             WHERE account_id = $1 AND channel = $2 AND conversation_id = $3 AND NOT from_us
               AND stored_at > to_timestamp($4::float8 / 1000)
             ORDER BY stored_at DESC LIMIT 1)
         ) found ORDER BY rank LIMIT 1`,
        [input.accountId, input.channel, input.conversationId, sinceDb, myName, `${input.channel}:${input.conversationId}`, input.clientId],
      );
      const hit = r.rows[0];
      if (!hit) return null;
      const collision: Collision = { reason: hit.kind, ...(hit.by ? { by: hit.by.slice(0, 100) } : {}), ...(hit.at === null ? {} : { at: hit.at }) };
      return err({ kind: 'collision', ...collision });
    } catch (e) {
      return err(this.failure(e, input.clientId));
    }
  }

  private async wait(clientId: string, accountId: string): Promise<Result<Message>> {
    const end = Date.now() + this.waitMs;
    for (;;) {
      let row: Row | undefined;
      try {
        row = await this.row(clientId);
      } catch {
        // The row is in the team queue; whether it went out, the renderer asks again.
        return err({ kind: 'sendUnknown' });
      }
      if (row?.state === 'done' && row.result) return row.result;
      if (!row) return err({ kind: 'offline' });
      if (this.stopped || Date.now() >= end) break;
      await this.sleep(accountId, Math.min(this.pollMs, end - Date.now()));
    }
    // Nobody sent it in time. Still queued: take it back, so "not sent" stays true
    // (no leader sends it behind the agent's back while their outbox holds it).
    try {
      const back = await this.conn.query<{ withdrawn: boolean }>('SELECT webcare.outbox_withdraw($1) AS withdrawn', [clientId]);
      if (back.rows[0]?.withdrawn) return err({ kind: 'offline' });
      const row = await this.row(clientId);
      if (row?.state === 'done' && row.result) return row.result;
    } catch {
      // Unknown what became of it: the renderer asks again.
    }
    // A leader is sending it (or took it just now).
    return err({ kind: 'sendUnknown' });
  }

  private async row(clientId: string): Promise<Row | undefined> {
    const r = await this.conn.query<Row>('SELECT state, result FROM webcare.outbox WHERE client_id = $1', [clientId]);
    return r.rows[0];
  }

  /** A query that failed: the database's refusal as it is; out of reach, as `outOfReach` says. */
  private failure(e: unknown, clientId: string): AppError {
    return teamError(e).kind === 'unreachable' ? this.outOfReach(clientId) : teamErr(e);
  }

  /**
   * The database cannot be asked what became of a reply: a reply this console may
   * have put in the team queue may go out (unknown); any other certainly was not sent.
   */
  private outOfReach(clientId: string): AppError {
    return this.live && clientId in this.live ? { kind: 'sendUnknown' } : { kind: 'offline' };
  }

  private async loadLive(): Promise<void> {
    if (this.live) return;
    const loaded = this.liveFile ? await readJson<Record<string, number>>(this.liveFile, {}) : {};
    this.live ??= loaded;
  }

  private async setLive(clientId: string, live: boolean): Promise<void> {
    const record = this.live ?? (this.live = {});
    if (live === clientId in record) return;
    if (live) {
      record[clientId] = Date.now();
      // Replies are retried within days: a month-old id is long settled (or discarded on purpose).
      for (const [id, at] of Object.entries(record)) if (Date.now() - at > LIVE_KEEP_MS) delete record[id];
    } else {
      delete record[clientId];
    }
    if (this.liveFile) await writeJson(this.liveFile, record);
  }

  private sleep(accountId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(accountId);
      if (!set) this.waiters.set(accountId, (set = new Set()));
      const waiters = set;
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.waiters.delete(accountId);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      waiters.add(done);
    });
  }

  private wake(accountId: string): void {
    for (const fn of [...(this.waiters.get(accountId) ?? [])]) fn();
  }

  // ── the console that leads the account ────────────────────────────────────

  /**
   * Sends the account's queued replies, oldest first, one at a time (so per
   * conversation in order). Call it on every outbox notice for an account this
   * console leads, and every few seconds. Calls while a drain of the account
   * runs fold into one more pass. Resolves to the number of replies finished.
   */
  drain(accountId: string, send: SendFn): Promise<number> {
    const running = this.draining.get(accountId);
    if (running) {
      this.drainAgain.add(accountId);
      return running;
    }
    const p = (async () => {
      let finished = 0;
      try {
        do {
          this.drainAgain.delete(accountId);
          finished += await this.drainOnce(accountId, send);
        } while (this.drainAgain.has(accountId) && !this.stopped);
      } catch (e) {
        this.log(`outbox of ${accountId}: ${(e as Error).message}`);
      } finally {
        this.draining.delete(accountId);
      }
      return finished;
    })();
    this.draining.set(accountId, p);
    return p;
  }

  private async drainOnce(accountId: string, send: SendFn): Promise<number> {
    // A reply left "sending" by a leader that is gone goes back in the queue: the team journal
    // then tells the next attempt what that leader did (and it looks before posting again).
    await this.conn.query(
      `UPDATE webcare.outbox SET state = 'queued', updated_at = clock_timestamp()
        WHERE account_id = $1 AND state = 'sending' AND updated_at < clock_timestamp() - make_interval(secs => $2::float8 / 1000)`,
      [accountId, this.staleMs],
    );
    let finished = 0;
    while (!this.stopped && this.conn.online) {
      const r = await this.conn.query<{ client_id: string; input: SendReplyInput; author: string; attempts: number }>(
        `UPDATE webcare.outbox SET state = 'sending', attempts = attempts + 1, updated_at = clock_timestamp()
          WHERE state = 'queued' AND client_id = (
            SELECT client_id FROM webcare.outbox WHERE account_id = $1 AND state = 'queued'
             ORDER BY created_at, client_id FOR UPDATE SKIP LOCKED LIMIT 1)
          RETURNING client_id, input, author, attempts`,
        [accountId],
      );
      const claimed = r.rows[0];
      if (!claimed) break;
      await this.sendOne(claimed.client_id, claimed.attempts, claimed.input, claimed.author, send);
      finished++;
    }
    return finished;
  }

  private async sendOne(clientId: string, attempt: number, stored: SendReplyInput, author: string, send: SendFn): Promise<void> {
    // The guard ran where the reply was written; the send itself needs none of it.
    const { since: _since, force: _force, ...input } = { ...stored, clientId };
    let result: Result<Message>;
    try {
      await this.journal.prefetch(clientId, stored.accountId);
      result = await send(input);
    } catch (e) {
      this.journal.forget(clientId);
      // The database went away: the row stays "sending" and is taken over once stale,
      // when the journal tells the next attempt what happened here.
      if (!this.conn.online || teamError(e).kind === 'unreachable') throw e;
      // Anything else: maybe posted, maybe not; the author's retry makes the leader look first.
      this.log(`outbox send ${clientId} failed: ${(e as Error).message}`);
      result = err({ kind: 'sendUnknown' });
    }
    this.journal.forget(clientId);
    const by = await this.names.of(author);
    const stamped: Result<Message> = result.ok ? ok({ ...result.value, by, byLogin: author }) : result;
    await this.conn.tx(async (c) => {
      const done = await c.query(
        `UPDATE webcare.outbox SET state = 'done', result = $2, updated_at = clock_timestamp()
          WHERE client_id = $1 AND state = 'sending' AND attempts = $3`,
        [clientId, JSON.stringify(stamped), attempt],
      );
      // Taken over meanwhile (this leader was too slow): that attempt settles it from the journal.
      if (done.rowCount === 0 || !stamped.ok) return;
      const m = stamped.value;
      // The poller may have stored our reply already (without knowing who wrote it): name the author.
      await c.query(
        `INSERT INTO webcare.messages (key, account_id, channel, conversation_id, from_us, created_at, data)
         VALUES ($1, $2, $3, $4, true, $5, $6)
         ON CONFLICT (key) DO UPDATE SET data = webcare.messages.data || jsonb_build_object('by', $7::text, 'byLogin', $8::text)
           WHERE webcare.messages.data->>'by' IS DISTINCT FROM $7::text OR webcare.messages.data->>'byLogin' IS DISTINCT FROM $8::text`,
        [m.key, m.accountId, m.channel, m.conversationId, m.createdAt, JSON.stringify(m), by, author],
      );
    });
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }
}

const LIVE_KEEP_MS = 30 * 24 * 3600_000;

interface Approval {
  state: string;
  comment: string | null;
  by: string | null;
}

/** What the author's outbox shows for a reply in the approval queue. */
function approvalError(a: Approval): AppError {
  if (a.state !== 'returned') return { kind: 'approval', state: 'pending' };
  return { kind: 'approval', state: 'returned', ...(a.comment ? { comment: a.comment.slice(0, 4000) } : {}), ...(a.by ? { by: a.by.slice(0, 100) } : {}) };
}

/** The outbox trigger refused a reply that needs approval (the policy changed a moment ago). */
function isApprovalRefusal(e: unknown): boolean {
  return (e as { code?: unknown }).code === '42501' && /approval/.test((e as Error).message ?? '');
}

/** What the host's Sending would refuse before sending, refused before anything is queued. */
function replyProblem(input: SendReplyInput): AppError | null {
  const problem = checkMedia(input) ?? (input.media?.length && input.text.trim() === '' ? null : checkText(input.channel, input.text));
  if (problem) return problem;
  if ((input.channel === 'x_dm' || input.channel === 'fb_message') && !input.recipientId) {
    return { kind: 'invalidInput', detail: 'recipientId is required for a direct message' };
  }
  return null;
}
