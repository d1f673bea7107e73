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
  // Until it commits, a page left meanwhile keeps it in the journal (see journalDue).
  listenForPageLeave();
  const entry: JournalEntry = { draft, meta, at: now };
  writing.set(threadKey, entry);
  const p: Promise<unknown> = isEmptyDraft(draft)
    ? db.drafts.delete(threadKey)
    : db.drafts.put({ ...draft, threadKey, updatedAt: now, messageKey: meta.messageKey, channel: meta.channel } satisfies StoredDraft);
  return p
    .catch((e: unknown) => console.warn('draft not saved', e))
    .finally(() => {
      if (writing.get(threadKey) === entry) writing.delete(threadKey);
    });
}

/** While typing, a thread's draft is written at most this often (ms). */
export const DRAFT_SAVE_MS = 300;

interface Due {
  timer: ReturnType<typeof setTimeout>;
  write: () => void;
  /** The draft as it is now, and where it was written. */
  read: () => Draft;
  meta: { messageKey: string; channel: string };
}
const due = new Map<string, Due>();
/** Writes begun and not yet committed: a page left meanwhile may lose them. */
const writing = new Map<string, JournalEntry>();
let flushOnHide = false;

/**
 * Drafts whose write was still due, or begun and not yet committed, as the page
 * went (localStorage, written at once): a write that has not committed when the
 * page is gone is lost, so the next start puts these in the store
 * (recoverDraftJournal).
 */
export const DRAFT_JOURNAL_KEY = 'webcare.drafts.unsaved';

interface JournalEntry {
  draft: Draft;
  meta: { messageKey: string; channel: string };
  at: number;
}

function journalDue(now = Date.now()): void {
  if ((due.size === 0 && writing.size === 0) || typeof localStorage === 'undefined') return;
  try {
    const journal = JSON.parse(localStorage.getItem(DRAFT_JOURNAL_KEY) ?? '{}') as Record<string, JournalEntry>;
    for (const [key, w] of writing) journal[key] = { ...w, at: now };
    for (const [key, d] of due) journal[key] = { draft: d.read(), meta: d.meta, at: now };
    localStorage.setItem(DRAFT_JOURNAL_KEY, JSON.stringify(journal));
  } catch (e) {
    console.warn('drafts not kept for the next start', e);
  }
}

/** Once per page: as it is hidden, what is due is written; as it is left, also journaled. */
function listenForPageLeave(): void {
  if (flushOnHide || typeof addEventListener !== 'function') return;
  flushOnHide = true;
  addEventListener('pagehide', () => {
    journalDue();
    flushDraftSaves();
  });
  addEventListener('visibilitychange', () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') flushDraftSaves();
  });
}

/**
 * At start: the drafts the page left with a write due or not yet committed go into the store,
 * unless the store has a later one (the write did commit, and the agent went on
 * typing elsewhere).
 */
export async function recoverDraftJournal(db: WebcareDb): Promise<void> {
  if (typeof localStorage === 'undefined') return;
  let journal: Record<string, JournalEntry>;
  try {
    journal = JSON.parse(localStorage.getItem(DRAFT_JOURNAL_KEY) ?? '{}') as Record<string, JournalEntry>;
  } catch {
    journal = {};
  }
  for (const [key, e] of Object.entries(journal)) {
    if (!e || typeof e.draft?.text !== 'string' || typeof e.at !== 'number') continue;
    const stored = (await db.drafts.get(key)) as StoredDraft | undefined;
    if (stored && typeof stored.updatedAt === 'number' && stored.updatedAt > e.at) continue;
    await saveDraft(db, key, e.draft, e.meta, e.at);
  }
  localStorage.removeItem(DRAFT_JOURNAL_KEY);
}

/**
 * Typing: each key changes the draft in memory (the store), and the draft is
 * written at most every DRAFT_SAVE_MS, not once per key: a write per key was a
 * third of the work a key press cost during a burst of arriving messages. The
 * write takes the draft as it is then (`read`), so it never puts back an older
 * one over a later save, nor a draft that was sent or deleted meanwhile (then it
 * removes the stored one). What is due is written at once when the page is
 * hidden or left, and by `flushDraftSaves` (the composer closing); as the page
 * is left it is also kept in localStorage, for a write that does not commit in time.
 */
export function saveDraftSoon(db: WebcareDb, threadKey: string, read: () => Draft | undefined, meta: { messageKey: string; channel: string }, delayMs = DRAFT_SAVE_MS): void {
  if (due.has(threadKey)) return;
  listenForPageLeave();
  const now = () => read() ?? { text: '' };
  const write = () => {
    due.delete(threadKey);
    void saveDraft(db, threadKey, now(), meta);
  };
  due.set(threadKey, { timer: setTimeout(write, delayMs), write, read: now, meta });
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
