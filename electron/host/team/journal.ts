import { RECONCILE_SKEW_MS, SendJournal } from '../sender.js';
import type { TeamConn } from './types.js';

/** A journal entry as sender.ts writes it (sending, unknown, sent). */
export type JournalEntry = Parameters<SendJournal['set']>[1];

/** What is known here of one team reply while it is being sent. */
interface Held {
  accountId: string;
  entry: JournalEntry | undefined;
  /** Finished steps of a two-step reply (Messenger image, then text), by step. */
  parts: Record<string, string>;
  /** Remote keys that other sent entries of the account already settled. */
  claimed: Set<string>;
}

/** A look for our own reply goes this far before the attempt; the journal's times are the database's, so one day more covers any clock. */
const CLAIMED_MARGIN_MS = RECONCILE_SKEW_MS + 24 * 3600_000;
/** Finished entries (and cleanly failed ones that only kept their parts) are forgotten after this. */
const KEEP_DAYS = 30;
const PRUNE_EVERY_MS = 3600_000;

/**
 * The exactly-once journal of team replies, kept in webcare.journal so that
 * whichever console leads an account next finds what the previous one did: an
 * attempt left "sending" by a leader that crashed is reconciled (looked for on
 * the platform before posting again) exactly like a local crash.
 *
 * sendOnce reads its journal synchronously, so a reply's entry, its finished
 * parts and the keys the account's other sent replies settled are loaded by
 * `prefetch` before the send; every change is written through to the database
 * before sendOnce goes on (an attempt is in the database before its request
 * leaves). Client ids that were not prefetched are solo replies and use the
 * local file journal this class extends, so one instance can serve the whole
 * host: the Sending and the connectors' part records (context `journal`) alike.
 *
 * A write that fails (database gone) throws: before the post, nothing is sent;
 * after it, the database still says "sending" and the next leader looks first.
 */
export class TeamJournal extends SendJournal {
  private conn: TeamConn | null;
  private readonly held = new Map<string, Held>();
  private prunedAt = 0;

  constructor(
    dataDir: string,
    private readonly clock: () => number,
    conn: TeamConn | null = null,
  ) {
    super(dataDir, clock);
    this.conn = conn;
  }

  /** Joins (or with null, leaves) the team database. */
  setConn(conn: TeamConn | null): void {
    this.conn = conn;
    if (!conn) this.held.clear();
  }

  /** The client id is a team reply being sent now. */
  isTeam(clientId: string): boolean {
    return this.held.has(clientId);
  }

  /**
   * Loads a team reply's journal before it is sent (throws when the database
   * cannot be read: then nothing may be sent). Fresh on every call, since
   * another console may have written it since.
   */
  async prefetch(clientId: string, accountId: string): Promise<void> {
    const conn = this.need();
    const row = await conn.query<{ entry: JournalEntry | null; parts: Record<string, string> | null }>('SELECT entry, parts FROM webcare.journal WHERE client_id = $1', [clientId]);
    const entry = row.rows[0]?.entry ?? undefined;
    const startedAt = entry && entry.state !== 'sent' ? entry.startedAt : this.clock();
    const keys = await conn.query<{ key: string | null }>(
      `SELECT entry->'message'->>'key' AS key FROM webcare.journal
        WHERE account_id = $1 AND client_id <> $2 AND entry->>'state' = 'sent' AND at >= to_timestamp($3::float8 / 1000)`,
      [accountId, clientId, startedAt - CLAIMED_MARGIN_MS],
    );
    const claimed = new Set(keys.rows.flatMap((r) => (r.key ? [r.key] : [])));
    this.held.set(clientId, { accountId, entry, parts: row.rows[0]?.parts ?? {}, claimed });
  }

  /** The send is over: the entry lives on in the database only. */
  forget(clientId: string): void {
    this.held.delete(clientId);
  }

  override get(clientId: string): JournalEntry | undefined {
    const h = this.held.get(clientId);
    return h ? h.entry : super.get(clientId);
  }

  override claimed(except: string): Set<string> {
    const ids = super.claimed(except);
    const h = this.held.get(except);
    if (!h) return ids;
    for (const k of h.claimed) ids.add(k);
    // Replies of the same account sent here since the prefetch.
    for (const [id, o] of this.held) if (id !== except && o.accountId === h.accountId && o.entry?.state === 'sent') ids.add(o.entry.message.key);
    return ids;
  }

  override part(clientId: string, step: string): string | undefined {
    const h = this.held.get(clientId);
    return h ? h.parts[step] : super.part(clientId, step);
  }

  override async setPart(clientId: string, step: string, platformId: string): Promise<void> {
    const h = this.held.get(clientId);
    if (!h) return super.setPart(clientId, step, platformId);
    const parts = { ...h.parts, [step]: platformId };
    // A step goes out only after the attempt was journaled, so the row is there; the upsert keeps that true regardless.
    await this.need().query(
      `INSERT INTO webcare.journal (client_id, account_id, entry, parts) VALUES ($1, $2, 'null'::jsonb, $3)
       ON CONFLICT (client_id) DO UPDATE SET parts = EXCLUDED.parts`,
      [clientId, h.accountId, JSON.stringify(parts)],
    );
    h.parts = parts;
  }

  override async set(clientId: string, entry: JournalEntry): Promise<void> {
    const h = this.held.get(clientId);
    if (!h) return super.set(clientId, entry);
    await this.need().query(
      `INSERT INTO webcare.journal (client_id, account_id, entry, at) VALUES ($1, $2, $3, clock_timestamp())
       ON CONFLICT (client_id) DO UPDATE SET entry = EXCLUDED.entry, account_id = EXCLUDED.account_id, at = clock_timestamp()`,
      [clientId, h.accountId, JSON.stringify(entry)],
    );
    h.entry = entry;
    // Off the send's path: a prune never delays a post.
    this.prune().catch(() => undefined);
  }

  override async delete(clientId: string): Promise<void> {
    const h = this.held.get(clientId);
    if (!h) return super.delete(clientId);
    // Steps that went out stay known (the image is on the platform even though the text failed):
    // such a row keeps its parts with an empty entry (JSON null), as the local journal keeps them apart.
    await this.need().query(
      `WITH gone AS (DELETE FROM webcare.journal WHERE client_id = $1 AND parts IS NULL RETURNING 1)
       UPDATE webcare.journal SET entry = 'null'::jsonb, at = clock_timestamp() WHERE client_id = $1 AND parts IS NOT NULL`,
      [clientId],
    );
    h.entry = undefined;
  }

  /** Forgets old finished entries now and then; an open question (sending, unknown) is never dropped. */
  private async prune(): Promise<void> {
    const now = this.clock();
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    await this.need().query(
      `DELETE FROM webcare.journal WHERE at < clock_timestamp() - make_interval(days => $1)
         AND (entry = 'null'::jsonb OR entry->>'state' = 'sent')`,
      [KEEP_DAYS],
    );
  }

  private need(): TeamConn {
    if (!this.conn) throw new Error('team journal used without a team database');
    return this.conn;
  }
}
