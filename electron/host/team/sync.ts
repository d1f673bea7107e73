import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { MessageBatch } from '../../../shared/contract.js';
import { leftOf, type TeamMark } from '../../../shared/team.js';
import { WorkflowRecordSchema, type WorkflowRecord } from '../../../shared/workflow.js';
import { WORKFLOW_RECORD_JSON } from './wf/workflow.js';
import { readJson, writeJson } from '../jsonFile.js';
import type { TeamConn } from './types.js';

export interface SyncTiming {
  /** A round even without a notice (a notice can be missed while reconnecting). */
  everyMs: number;
  /**
   * How long a transaction may hold a change number before it commits. Numbers
   * are taken in one order but committed in another, so a row with a lower
   * number can appear after a higher one was read; the position only moves past
   * a number once it has been looked at again this much later.
   */
  holdMs: number;
  /** Rows per batch. */
  pageSize: number;
}

export const SYNC_TIMING: SyncTiming = { everyMs: 10_000, holdMs: 30_000, pageSize: 500 };

export interface TeamSyncOptions {
  link: TeamConn;
  /** Which team this is (the redacted URL names the server, database and login). */
  team: string;
  dataDir: string;
  /** The local store the renderer said hello with. */
  storeId(): string | undefined;
  /** Hands a batch to the renderer(s); settles when one stored it. */
  deliver(batch: MessageBatch): Promise<void>;
  log(line: string): void;
  timing?: Partial<SyncTiming>;
  /** A monotonic clock in ms. */
  clock?: () => number;
}

interface SyncFile {
  team?: string;
  storeId?: string;
  seq?: number;
}

interface Row {
  seq: string;
  key: string;
  data: unknown;
  status: string | null;
  tag: string | null;
  assignee: string | null;
  hidden: boolean | null;
  sentiment: string | null;
  at: string | null;
  by_name: string | null;
  wf: unknown;
}

/**
 * Messages and marks, one order (webcare.change_seq) over both; row-level
 * security decides what this login sees. Marks carry who set them, by name.
 */
const CHANGES = `
SELECT * FROM (
  SELECT seq, key, CASE WHEN department IS NULL THEN data ELSE data || jsonb_build_object('department', department) END AS data,
         NULL::text AS status, NULL::text AS tag, NULL::text AS assignee, NULL::boolean AS hidden, NULL::text AS sentiment, NULL::bigint AS at, NULL::text AS by_name, NULL::jsonb AS wf
  FROM webcare.messages WHERE seq > $1
  UNION ALL
  SELECT k.seq, k.key, NULL::jsonb, k.status, k.tag, k.assignee, k.hidden, k.sentiment, k.at, coalesce(mb.display_name, k.by_login::text), NULL::jsonb
  FROM webcare.marks k LEFT JOIN webcare.members mb ON mb.login = k.by_login WHERE k.seq > $1
  UNION ALL
  SELECT a.seq, a.id::text, NULL::jsonb, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ${WORKFLOW_RECORD_JSON}
  FROM webcare.actions a LEFT JOIN webcare.members mb ON mb.login = a.by_login WHERE a.seq > $1
) AS changes ORDER BY seq LIMIT $2`;

/**
 * Team → this console's store. On a notice (`msg`, `mark`), on reconnecting
 * and every 10 s, the rows changed since the local position are read and
 * handed to the renderer as batches through the same delivery as solo polling
 * (a batch may carry marks, workflow records and, for a department login, what
 * moved out of its departments). The position moves, and is written to disk, only
 * after the renderer stored what came before it.
 *
 * The position belongs to one local store: a store that was never filled (a
 * new browser profile, a cleared cache) starts at 0 and so gets the team's
 * history from the database, never from the platform.
 */
export class TeamSync {
  private readonly timing: SyncTiming;
  private readonly clock: () => number;
  private settled = 0;
  /** Rows already handed over above `settled`, by seq (a changed row takes a new seq). */
  private readonly delivered = new Set<number>();
  /** When each round began and the highest seq it had seen by then. */
  private observations: { at: number; max: number }[] = [];
  private generation = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly offs: Array<() => void> = [];
  private stopped = false;
  private loadedFor: string | undefined;

  constructor(private readonly opts: TeamSyncOptions) {
    this.timing = { ...SYNC_TIMING, ...opts.timing };
    this.clock = opts.clock ?? (() => performance.now());
  }

  private get file(): string {
    return path.join(this.opts.dataDir, 'team-sync.json');
  }

  async load(): Promise<void> {
    const f = await readJson<SyncFile>(this.file, {});
    const storeId = this.opts.storeId();
    this.loadedFor = storeId;
    this.settled = f.team === this.opts.team && f.storeId === storeId && typeof f.seq === 'number' ? f.seq : 0;
  }

  start(): void {
    this.offs.push(
      this.opts.link.onNotice((n) => {
        if (n.t === 'msg' || n.t === 'mark' || n.t === 'wf') this.poke();
      }),
      this.opts.link.onState((online) => {
        if (online) this.poke();
      }),
    );
    this.timer = setInterval(() => this.poke(), this.timing.everyMs);
    this.poke();
  }

  /** No more rounds from now on (the host is going down: a batch under way is given up, not retried). */
  halt(): void {
    this.stopped = true;
    this.generation++;
    for (const off of this.offs.splice(0)) off();
    if (this.timer) clearInterval(this.timer);
  }

  async stop(): Promise<void> {
    this.halt();
    await this.running?.catch(() => undefined);
  }

  /** The local seq, for tests and the status. */
  get position(): number {
    return this.settled;
  }

  /** A different local store said hello: it starts from the team's beginning. */
  async storeChanged(): Promise<void> {
    const storeId = this.opts.storeId();
    if (storeId === this.loadedFor) return;
    this.loadedFor = storeId;
    this.generation++;
    this.settled = 0;
    this.delivered.clear();
    this.observations = [];
    await this.persist();
    this.opts.log('team: a new local store connected: copying the team history into it');
    this.poke();
  }

  /** Read now (a notice, a reconnect, the timer). */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      if (!this.opts.link.online || this.stopped) return;
      // The renderer may have said hello with another store since the position was loaded.
      if (this.opts.storeId() !== this.loadedFor) await this.storeChanged();
      try {
        await this.round();
      } catch (e) {
        if (!this.stopped) this.opts.log(`team: copying changes failed: ${(e as Error).message}`);
        return;
      }
    } while (this.again && !this.stopped);
  }

  private async round(): Promise<void> {
    const generation = this.generation;
    const startedAt = this.clock();
    const { pageSize } = this.timing;
    let after = this.settled;
    for (;;) {
      const r = await this.opts.link.query<Row>(CHANGES, [after, pageSize]);
      const messages: unknown[] = [];
      const marks: TeamMark[] = [];
      const workflow: WorkflowRecord[] = [];
      const seqs: number[] = [];
      for (const row of r.rows) {
        const seq = Number(row.seq);
        after = Math.max(after, seq);
        if (this.delivered.has(seq)) continue;
        seqs.push(seq);
        if (row.data !== null) messages.push(row.data);
        else if (row.wf !== null) {
          const rec = WorkflowRecordSchema.safeParse(row.wf);
          if (rec.success) workflow.push(rec.data);
          else this.opts.log(`team: workflow record ${row.key} unreadable: ${rec.error.issues[0]?.message ?? ''}`);
        } else marks.push(markOf(row));
      }
      if (seqs.length) {
        // A department login: what moved out of its departments, for its store to let go of.
        const me = this.opts.link.me;
        const left = me ? leftOf(workflow, me) : [];
        await this.opts.deliver({
          batchId: randomUUID(),
          streamId: 'team',
          messages: messages as MessageBatch['messages'],
          ...(marks.length ? { marks } : {}),
          ...(workflow.length ? { workflow } : {}),
          ...(left.length ? { left } : {}),
        });
        // The store moved on to another while this was delivered: the new one starts over.
        if (generation !== this.generation) return;
        for (const s of seqs) this.delivered.add(s);
      }
      if (r.rows.length < pageSize) break;
    }
    this.observations.push({ at: startedAt, max: after });
    // Everything up to what was seen `holdMs` before this round began has now been looked at again.
    let settle = this.settled;
    while (this.observations.length && (this.observations[0]?.at ?? Infinity) <= startedAt - this.timing.holdMs) {
      settle = Math.max(settle, this.observations.shift()?.max ?? 0);
    }
    if (settle > this.settled) {
      this.settled = settle;
      for (const s of this.delivered) if (s <= settle) this.delivered.delete(s);
      await this.persist();
    }
  }

  private persist(): Promise<void> {
    const f: SyncFile = { team: this.opts.team, storeId: this.loadedFor, seq: this.settled };
    return writeJson(this.file, f);
  }
}

function markOf(row: Row): TeamMark {
  const status = row.status === 'done' || row.status === 'archived' ? row.status : 'open';
  return {
    key: row.key,
    status,
    ...(row.tag ? { tag: row.tag } : {}),
    ...(row.assignee ? { assignee: row.assignee } : {}),
    ...(row.hidden ? { hidden: true } : {}),
    ...(row.sentiment === 'positive' || row.sentiment === 'neutral' || row.sentiment === 'negative' ? { sentiment: row.sentiment } : {}),
    at: Number(row.at ?? 0),
    ...(row.by_name ? { by: row.by_name.slice(0, 100) } : {}),
  };
}
