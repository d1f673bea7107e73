import type { DraftRecord, WebcareDb } from '../db/db';
import type { Draft } from '../store';

/** A draft as stored in Dexie (`drafts`, by thread key): the text and choices, plus what the drafts list shows. */
export interface StoredDraft extends DraftRecord, Draft {
  /** The card it was written on, to open the conversation from the drafts list. */
  messageKey: string;
  channel: string;
}

export function isEmptyDraft(d: Draft): boolean {
  return d.text.trim() === '' && d.accountId === undefined;
}

/** Writes the draft (or removes it when nothing is left in it). Writes to one key keep their order. */
export function saveDraft(db: WebcareDb, threadKey: string, draft: Draft, meta: { messageKey: string; channel: string }, now = Date.now()): Promise<unknown> {
  const p: Promise<unknown> = isEmptyDraft(draft)
    ? db.drafts.delete(threadKey)
    : db.drafts.put({ ...draft, threadKey, updatedAt: now, messageKey: meta.messageKey, channel: meta.channel } satisfies StoredDraft);
  return p.catch((e: unknown) => console.warn('draft not saved', e));
}

export async function loadDraft(db: WebcareDb, threadKey: string): Promise<Draft | null> {
  const r = (await db.drafts.get(threadKey)) as StoredDraft | undefined;
  if (!r || typeof r.text !== 'string') return null;
  const d: Draft = { text: r.text };
  if (typeof r.accountId === 'string') d.accountId = r.accountId;
  if (r.mode === 'public' || r.mode === 'private') d.mode = r.mode;
  if (r.humanAgent === true) d.humanAgent = true;
  if (r.split === true) d.split = true;
  return d;
}
