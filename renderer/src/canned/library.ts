import { z } from 'zod';
import { CannedExportSchema, CannedReplySchema, validateCanned, type CannedProblem, type CannedReply } from '../../../shared/canned.js';
import type { CannedRecord, WebcareDb } from '../db/db';
import { STARTER_SET } from './starter';

/** The canned-reply library in Dexie (`canned`): the starter set on first use, save with validation, usage, import/export. */
const SEEDED_KEY = 'canned.seeded';

export function asReply(r: CannedRecord): CannedReply | null {
  const parsed = CannedReplySchema.safeParse(r);
  return parsed.success ? parsed.data : null;
}

export async function listCanned(db: WebcareDb): Promise<CannedReply[]> {
  return (await db.canned.toArray()).map(asReply).filter((r): r is CannedReply => r !== null);
}

/**
 * Puts the starter set in once; a team that deleted it does not get it back, nor
 * does a reply the team's library already holds (changed or deleted) go back to
 * the starter's text.
 */
export async function seedStarter(db: WebcareDb, now = Date.now()): Promise<void> {
  await db.transaction('rw', db.canned, db.settings, async () => {
    if (await db.settings.get(SEEDED_KEY)) return;
    const held = new Set(await db.canned.toCollection().primaryKeys());
    await db.canned.bulkPut(STARTER_SET.filter((r) => !held.has(r.id)).map((r) => ({ ...r, usage: 0, updatedAt: now })));
    await db.settings.put({ key: SEEDED_KEY, value: true });
  });
}

export type SaveResult = { ok: true } | { ok: false; problems: CannedProblem[] } | { ok: false; invalid: string };

/** Saves only what fits every channel it may be used on (longest variables and the signature included). */
export async function saveCanned(db: WebcareDb, reply: CannedReply, signature: string): Promise<SaveResult> {
  const parsed = CannedReplySchema.safeParse(reply);
  if (!parsed.success) return { ok: false, invalid: parsed.error.issues.map((i) => i.path.join('.')).join(', ') };
  const problems = validateCanned(parsed.data, signature);
  if (problems.length > 0) return { ok: false, problems };
  await db.canned.put(parsed.data);
  return { ok: true };
}

/** A canned reply was put into a reply: counted in the library, and recorded with who and when for the reports. */
export async function countUse(db: WebcareDb, id: string, by: string, at = Date.now()): Promise<void> {
  await db.cannedUses.add({ cannedId: id, by, at }).catch((e: unknown) => console.warn('use not recorded', e));
  await db.canned
    .where('id')
    .equals(id)
    .modify((r) => {
      r.usage = (typeof r.usage === 'number' ? r.usage : 0) + 1;
    })
    .catch((e: unknown) => console.warn('usage not counted', e));
}

export function exportJson(replies: readonly CannedReply[]): string {
  return JSON.stringify({ format: 'webcare-canned', version: 1, replies }, null, 2);
}

export interface ImportResult {
  imported: number;
  /** What was imported (for the team's library). */
  replies: CannedReply[];
  /** Titles (or positions) of replies refused, with why. */
  refused: Array<{ title: string; problems: CannedProblem[] | null }>;
}

/** Reads an export; every reply is validated as on save; usage counts are kept. */
export async function importJson(db: WebcareDb, text: string, signature: string, now = Date.now()): Promise<ImportResult | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const file = CannedExportSchema.safeParse(raw);
  if (!file.success) return null;
  const ok: CannedReply[] = [];
  const refused: ImportResult['refused'] = [];
  file.data.replies.forEach((r, i) => {
    const parsed = CannedReplySchema.safeParse(r);
    if (!parsed.success) {
      const title = z.object({ title: z.string() }).safeParse(r);
      refused.push({ title: title.success ? title.data.title.slice(0, 80) : `#${i + 1}`, problems: null });
      return;
    }
    const problems = validateCanned(parsed.data, signature);
    if (problems.length) refused.push({ title: parsed.data.title, problems });
    else ok.push({ ...parsed.data, updatedAt: now });
  });
  await db.canned.bulkPut(ok);
  return { imported: ok.length, replies: ok, refused };
}
