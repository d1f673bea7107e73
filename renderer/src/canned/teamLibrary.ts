import { CannedReplySchema } from '../../../shared/canned.js';
import type { WorkflowRecord } from '../../../shared/workflow.js';
import type { CannedRecord, WebcareDb } from '../db/db';

/**
 * Team mode: the canned-reply library is the team's. A reply saved or deleted
 * at any console is a `cannedSave` or `cannedDelete` record of the workflow
 * log, and each use a `cannedUse` record; every console applies them to its
 * own library (`canned`) and uses (`cannedUses`), so the composer offers the
 * same replies everywhere, the library's order counts the whole team's uses
 * and the reports name who used what.
 *
 * A record reaches this console twice (its own action's answer, then the sync)
 * and in no fixed order: its effect is applied once, when the record first
 * enters the local log, and a save or delete applies only over an older one
 * (`teamSeq`, the log's order). A deleted reply stays as a tombstone row, so an
 * older save that arrives later cannot bring it back.
 */
export const CANNED_KINDS: ReadonlySet<string> = new Set(['cannedSave', 'cannedDelete', 'cannedUse']);

/** A saved reply as the team's record carries it: without this console's count of uses. */
export const SavedSchema = CannedReplySchema.omit({ usage: true });

/** A row of the local library with what the team's log says of it. */
type TeamRow = CannedRecord & { teamSeq?: number; deleted?: boolean };

export function hasCannedRecords(records: readonly Pick<WorkflowRecord, 'kind'>[]): boolean {
  return records.some((r) => CANNED_KINDS.has(r.kind));
}

function cannedIdOf(r: WorkflowRecord): string | null {
  const id = r.kind === 'cannedSave' ? (r.data.reply as { id?: unknown } | undefined)?.id : r.data.cannedId;
  return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : null;
}

/**
 * Inside the caller's transaction, which holds `workflow`, `canned` and
 * `cannedUses` and puts `records` into the log after this: the effects of the
 * canned records among them that the log does not hold yet.
 */
export async function applyCannedRecords(db: WebcareDb, records: readonly WorkflowRecord[]): Promise<void> {
  const canned = records.filter((r) => CANNED_KINDS.has(r.kind));
  if (canned.length === 0) return;
  const known = await db.workflow.bulkGet(canned.map((r) => r.id));
  const seen = new Set<string>();
  const fresh = canned
    .filter((r, i) => !known[i] && !seen.has(r.id) && seen.add(r.id))
    .sort((a, b) => a.seq - b.seq);
  for (const r of fresh) {
    const id = cannedIdOf(r);
    if (!id) continue;
    const row = (await db.canned.get(id)) as TeamRow | undefined;
    if (r.kind === 'cannedUse') {
      await db.cannedUses.add({ cannedId: id, by: r.byName, at: r.at });
      if (row && !row.deleted) await db.canned.update(id, { usage: (typeof row.usage === 'number' ? row.usage : 0) + 1 });
      continue;
    }
    // A later save or delete of this reply is applied already.
    if (typeof row?.teamSeq === 'number' && row.teamSeq >= r.seq) continue;
    if (r.kind === 'cannedSave') {
      const saved = SavedSchema.safeParse(r.data.reply);
      if (!saved.success) continue;
      const usage = row && !row.deleted && typeof row.usage === 'number' ? row.usage : 0;
      await db.canned.put({ ...saved.data, usage, teamSeq: r.seq } satisfies TeamRow);
    } else {
      await db.canned.put({ id, shortcut: '', category: '', language: '', usage: 0, deleted: true, teamSeq: r.seq } satisfies TeamRow);
    }
  }
}
