import type { MessageBatch } from '../../../shared/contract.js';
import { FOUND_BY_MAX, type Message } from '../../../shared/model.js';
import { prepareInsight, readBatch } from '../insight/index.js';
import { fitBatch, type FittedBatch } from '../overflow.js';
import type { Leader } from './leader.js';
import { teamError } from './pgErrors.js';
import { routeStored } from './wf/routing.js';

export interface TeamStoreOptions {
  leader: Leader;
  /** Connectors' look at every batch before it is stored (the X connector learns which posts it may answer). */
  transforms: ReadonlyArray<(messages: Message[]) => Message[] | null>;
  /** Keeps what could not be stored (poison) on this console and counts it on its stream, as solo does. */
  setAside(batch: MessageBatch, fit: FittedBatch): Promise<void>;
}

/** `x:123/mentions` → `x:123`. */
export function accountOfStream(streamId: string): string {
  const slash = streamId.indexOf('/');
  return slash < 0 ? streamId : streamId.slice(0, slash);
}

/**
 * The poller's side of team mode: the runner hooks (deliver, loadCursor, saveCursor) of the stream runners of the
 * accounts this console leads. A page read from the platform is stored in
 * webcare.messages (an upsert by key: a page read twice, by this console or the
 * one before it, changes nothing) and the stream's cursor in webcare.cursors,
 * after its messages. Every console, this one included, then copies the new rows
 * into its own store (sync.ts), so the poll never waits for a window.
 *
 * The messages a page inserts (not those it only updates) are routed by the
 * team's routing rules in the same transaction (wf/routing.ts): stored and
 * routed together or neither, so a message is routed exactly once, by the
 * console that stored it, and every console sees the same outcome in the log.
 * A page read again (a retry, or the next poller after a failover) inserts
 * nothing, so it routes nothing.
 *
 * Both writes go through the leader's lock-holding connection, never the pool:
 * once that connection is gone the locks are too, and a poll still under way
 * can store nothing more, so a console that lost its turn cannot move a cursor
 * back under its successor. A write is also refused as soon as the account is
 * no longer led here.
 */
export class TeamStore {
  /** Cursors of the led accounts' streams, read when the lock was gained (only the lock holder writes them). */
  private readonly cursors = new Map<string, string | undefined>();

  constructor(private readonly opts: TeamStoreOptions) {}

  /** Before an account's streams start: its cursors as the last poller left them. */
  async loadCursors(accountId: string): Promise<void> {
    const r = await this.opts.leader.write<{ stream_id: string; cursor: string | null }>('SELECT stream_id, cursor FROM webcare.cursors WHERE account_id = $1', [accountId]);
    for (const k of [...this.cursors.keys()]) if (accountOfStream(k) === accountId) this.cursors.delete(k);
    for (const row of r.rows) this.cursors.set(row.stream_id, row.cursor ?? undefined);
  }

  loadCursor(streamId: string): string | undefined {
    return this.cursors.get(streamId);
  }

  private fence(streamId: string): void {
    const accountId = accountOfStream(streamId);
    if (!this.opts.leader.leads(accountId)) throw new Error(`${accountId} is no longer polled by this console`);
  }

  async deliver(batch: MessageBatch): Promise<void> {
    this.fence(batch.streamId);
    // Unreadable messages never enter the team's store; the rest go in whole (each console shortens for its own store).
    const fit = fitBatch(batch);
    const aside = new Set(fit.setAside.map((s) => s.raw));
    if (aside.size) await this.opts.setAside(batch, { ...fit, fullTexts: [] });
    // The team's copy carries the language and sentiment read here, so every console and report sees the same.
    await prepareInsight();
    let messages = readBatch((batch.messages as unknown[]).filter((m) => !aside.has(m)) as Message[]);
    for (const t of this.opts.transforms) messages = t(messages) ?? messages;
    if (messages.length === 0) return;
    // One row per key (a page may repeat one); ON CONFLICT may touch a row once per statement.
    const byKey = new Map<string, Message>();
    for (const m of messages) byKey.set(m.key, m);
    this.fence(batch.streamId);
    const leader = this.opts.leader;
    await leader.tx(async (c) => {
      const r = await c.query<{ key: string; inserted: boolean }>(UPSERT, [JSON.stringify([...byKey.values()])]);
      const inserted = r.rows.filter((row) => row.inserted).map((row) => byKey.get(row.key)).filter((m): m is Message => m !== undefined);
      if (inserted.length === 0) return;
      // A routing failure (a rule a newer console wrote, a bug) must not cost the messages: they are
      // stored unrouted and the failure is logged; the connection breaking fails the whole page.
      await c.query('SAVEPOINT routing');
      try {
        await routeStored(c, inserted, (line) => leader.log(line));
        await c.query('RELEASE SAVEPOINT routing');
      } catch (e) {
        if (teamError(e).kind === 'unreachable') throw e;
        await c.query('ROLLBACK TO SAVEPOINT routing');
        leader.log(`team: routing ${inserted.length} new message(s) of ${batch.streamId} failed, stored unrouted: ${(e as Error).message}`);
      }
    });
  }

  async saveCursor(streamId: string, cursor: string | undefined): Promise<void> {
    this.fence(streamId);
    if (cursor === undefined || this.cursors.get(streamId) === cursor) return;
    await this.opts.leader.write(
      `INSERT INTO webcare.cursors (stream_id, account_id, cursor) VALUES ($1, $2, $3)
       ON CONFLICT (stream_id) DO UPDATE SET cursor = EXCLUDED.cursor, account_id = EXCLUDED.account_id, updated_at = now(), updated_by = session_user`,
      [streamId, accountOfStream(streamId), cursor],
    );
    this.cursors.set(streamId, cursor);
  }
}

/**
 * A message read again, merged with the stored row (`m.data`) as the consoles'
 * own stores merge it (mergeFound in shared/model.ts): the newer copy, with every
 * stream that found it (`foundBy`, first seen first, at most FOUND_BY_MAX), the
 * saved search of the first that had one (`searchId`), and what only the stored
 * row knows (`by` and `byLogin`, the colleague who wrote our reply, known only to the outbox;
 * `department`; `summoned`). Read from the row as it is when the conflict is
 * handled, so a reply the outbox stored meanwhile keeps its `by`. Replacing the
 * row with the new copy alone dropped the first search from a post a second search
 * found: a console filling a new store from the team then showed it in one
 * search's column only.
 */
const MERGED = `(EXCLUDED.data
  || CASE WHEN m.data ? 'searchId' THEN jsonb_build_object('searchId', m.data->'searchId') ELSE '{}'::jsonb END
  || CASE WHEN m.data ? 'by' AND NOT EXCLUDED.data ? 'by' THEN jsonb_build_object('by', m.data->'by') ELSE '{}'::jsonb END
  || CASE WHEN m.data ? 'byLogin' AND NOT EXCLUDED.data ? 'byLogin' THEN jsonb_build_object('byLogin', m.data->'byLogin') ELSE '{}'::jsonb END
  || CASE WHEN m.data ? 'department' AND NOT EXCLUDED.data ? 'department' THEN jsonb_build_object('department', m.data->'department') ELSE '{}'::jsonb END
  || CASE WHEN m.data ? 'summoned' AND NOT EXCLUDED.data ? 'summoned' THEN jsonb_build_object('summoned', m.data->'summoned') ELSE '{}'::jsonb END
  || CASE WHEN jsonb_typeof(m.data->'foundBy') = 'array' THEN jsonb_build_object('foundBy', (
       SELECT jsonb_agg(f.v ORDER BY f.o) FROM (
         SELECT e.v, min(e.o) AS o
         FROM jsonb_array_elements_text(m.data->'foundBy' || CASE WHEN jsonb_typeof(EXCLUDED.data->'foundBy') = 'array' THEN EXCLUDED.data->'foundBy' ELSE '[]'::jsonb END) WITH ORDINALITY AS e(v, o)
         GROUP BY e.v ORDER BY min(e.o) LIMIT ${FOUND_BY_MAX}
       ) f)) ELSE '{}'::jsonb END)`;

/**
 * Insert new messages; a message read again replaces the stored one, merged with
 * it (MERGED), only when that changes it (the trigger then gives it a new seq, so
 * every console copies it again). Returns the rows it wrote, each saying whether
 * it was inserted (a row version no earlier transaction touched has no xmax) or
 * updated; unchanged rows are not returned.
 */
const UPSERT = `
INSERT INTO webcare.messages AS m (key, account_id, channel, conversation_id, from_us, created_at, data)
SELECT r->>'key', r->>'accountId', r->>'channel', r->>'conversationId', coalesce((r->>'fromUs')::boolean, false),
       floor((r->>'createdAt')::float8)::bigint, r
FROM jsonb_array_elements($1::jsonb) AS r
ON CONFLICT (key) DO UPDATE SET
  data = ${MERGED},
  from_us = EXCLUDED.from_us,
  created_at = EXCLUDED.created_at
WHERE m.data IS DISTINCT FROM ${MERGED}
RETURNING m.key, (m.xmax = 0) AS inserted`;
