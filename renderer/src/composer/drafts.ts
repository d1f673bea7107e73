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

/** While typing, a thread's draft is written at most this often (ms). */
export const DRAFT_SAVE_MS = 300;

const due = new Map<string, { timer: ReturnType<typeof setTimeout>; write: () => void }>();
let flushOnHide = false;

/**
 * Typing: each key changes the draft in memory (the store), and the draft is
 * written at most every DRAFT_SAVE_MS, not once per key: a write per key was a
 * third of the work a key press cost during a burst of arriving messages. The
 * write takes the draft as it is then (`read`), so it never puts back an older
 * one over a later save, nor a draft that was sent or deleted meanwhile (then it
 * removes the stored one). What is due is written at once when the page is
 * hidden or left, and by `flushDraftSaves` (the composer closing).
 */
export function saveDraftSoon(db: WebcareDb, threadKey: string, read: () => Draft | undefined, meta: { messageKey: string; channel: string }, delayMs = DRAFT_SAVE_MS): void {
  if (due.has(threadKey)) return;
  if (!flushOnHide && typeof addEventListener === 'function') {
    flushOnHide = true;
    addEventListener('pagehide', () => flushDraftSaves());
    addEventListener('visibilitychange', () => {
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') flushDraftSaves();
    });
  }
  const write = () => {
    due.delete(threadKey);
    void saveDraft(db, threadKey, read() ?? { text: '' }, meta);
  };
  due.set(threadKey, { timer: setTimeout(write, delayMs), write });
}

/** Writes now what saveDraftSoon has due: for one thread, or all. */
export function flushDraftSaves(threadKey?: string): void {
  for (const [key, d] of [...due]) {
    if (threadKey !== undefined && key !== threadKey) continue;
    clearTimeout(d.timer);
    d.write();
  }
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
