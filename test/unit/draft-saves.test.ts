import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DRAFT_JOURNAL_KEY, DRAFT_SAVE_MS, flushDraftSaves, recoverDraftJournal, saveDraft, saveDraftSoon, type StoredDraft } from '../../renderer/src/composer/drafts';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import type { Draft } from '../../renderer/src/store';

// The page the composer runs in: where `pagehide` and `visibilitychange` arrive.
const page = new EventTarget();
const visibility = { state: 'visible' };
const storage = new Map<string, string>();
beforeAll(() => {
  Object.assign(globalThis, { addEventListener: page.addEventListener.bind(page) });
  Object.defineProperty(globalThis, 'localStorage', {
    value: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) },
    configurable: true,
  });
  Object.defineProperty(globalThis, 'document', { value: { get visibilityState() { return visibility.state; } }, configurable: true });
});

const meta = { messageKey: 'x_mention:1', channel: 'x_mention' };
const TK = 'x_mention:conv-1';
let db: WebcareDb;
let typed: Draft | undefined;
let puts: number;

beforeEach(() => {
  db = openDb(`drafts-${Math.random()}`);
  typed = undefined;
  puts = 0;
  db.drafts.hook('creating', () => void puts++);
  db.drafts.hook('updating', () => void puts++);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(async () => {
  flushDraftSaves();
  vi.useRealTimers();
  db.close();
});

/** The stored draft, read after the writes begun so far (a read waits for earlier read-write transactions). */
async function stored(): Promise<StoredDraft | undefined> {
  return (await db.drafts.get(TK)) as StoredDraft | undefined;
}

/** Types `text` one key at a time, as the composer's onChange does. */
function type(text: string): void {
  for (let i = 1; i <= text.length; i++) {
    typed = { ...typed, text: text.slice(0, i) };
    saveDraftSoon(db, TK, () => typed, meta);
  }
}

describe('the reply box’s draft, written while typing', () => {
  it('is written once per pause, not once per key, and with the text as it is when written', async () => {
    type('Hoi Anna');
    expect(await stored()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_MS);
    expect((await stored())?.text).toBe('Hoi Anna');
    expect(puts).toBe(1);

    // Typing on after the write: again one write, later.
    type('Hoi Anna, sorry!');
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_MS - 1);
    expect((await stored())?.text).toBe('Hoi Anna');
    await vi.advanceTimersByTimeAsync(1);
    expect((await stored())?.text).toBe('Hoi Anna, sorry!');
    expect(puts).toBe(2);
  });

  it('never puts an older draft back over a later save of another choice', async () => {
    type('Graag je DM');
    // The agent picks a private reply: saved at once, with the text typed so far.
    typed = { ...typed!, mode: 'private' };
    await saveDraft(db, TK, typed, meta);
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_MS);
    expect(await stored()).toMatchObject({ text: 'Graag je DM', mode: 'private' });
  });

  it('removes the stored draft when the reply was sent (or the draft deleted) before the write was due', async () => {
    type('Eerste');
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_MS);
    expect((await stored())?.text).toBe('Eerste');
    type('Eerste versie');
    typed = undefined; // sent: the reply box is empty again
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_MS);
    expect(await stored()).toBeUndefined();
  });

  it('is written at once when the composer closes, or the page is hidden or left', async () => {
    type('Moment');
    flushDraftSaves(TK);
    expect((await stored())?.text).toBe('Moment');

    type('Moment, ik kijk');
    visibility.state = 'hidden';
    page.dispatchEvent(new Event('visibilitychange'));
    visibility.state = 'visible';
    expect((await stored())?.text).toBe('Moment, ik kijk');

    type('Moment, ik kijk het na');
    page.dispatchEvent(new Event('pagehide'));
    expect((await stored())?.text).toBe('Moment, ik kijk het na');
    // Nothing is left due: the timer writes nothing more.
    const before = puts;
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_MS);
    expect(puts).toBe(before);
  });

  it('flushing one thread leaves another’s write due', async () => {
    type('Hier');
    let other: Draft | undefined = { text: 'Daar' };
    saveDraftSoon(db, 'fb_message:conv-2', () => other, { messageKey: 'fb_message:9', channel: 'fb_message' });
    flushDraftSaves(TK);
    expect((await stored())?.text).toBe('Hier');
    expect(await db.drafts.get('fb_message:conv-2')).toBeUndefined();
    other = { text: 'Daar, ja' };
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_MS);
    expect(((await db.drafts.get('fb_message:conv-2')) as StoredDraft | undefined)?.text).toBe('Daar, ja');
  });

  it('as the page is left, what was due is kept in localStorage too, and the next start puts it in the store', async () => {
    type('Tot zo');
    page.dispatchEvent(new Event('pagehide'));
    const journal = JSON.parse(storage.get(DRAFT_JOURNAL_KEY) ?? '{}') as Record<string, { draft: Draft }>;
    expect(journal[TK]?.draft.text).toBe('Tot zo');
    // The write begun as the page went did not commit: the store lost it.
    await db.drafts.delete(TK);
    await recoverDraftJournal(db);
    expect((await stored())?.text).toBe('Tot zo');
    expect(storage.has(DRAFT_JOURNAL_KEY)).toBe(false);
  });

  it('a write begun and not yet committed as the page goes is kept in the journal too', async () => {
    storage.delete(DRAFT_JOURNAL_KEY);
    type('Onderweg');
    // The write starts (the composer closes), and the page goes before IndexedDB has it.
    flushDraftSaves(TK);
    page.dispatchEvent(new Event('pagehide'));
    const journal = JSON.parse(storage.get(DRAFT_JOURNAL_KEY) ?? '{}') as Record<string, { draft: Draft }>;
    expect(journal[TK]?.draft.text).toBe('Onderweg');
    // Once committed, it is no longer in flight: a later page-leave adds nothing.
    expect((await stored())?.text).toBe('Onderweg');
    storage.delete(DRAFT_JOURNAL_KEY);
    page.dispatchEvent(new Event('pagehide'));
    expect(storage.has(DRAFT_JOURNAL_KEY)).toBe(false);
  });

  it('the next start keeps a draft the store has from later than the journal', async () => {
    storage.set(DRAFT_JOURNAL_KEY, JSON.stringify({ [TK]: { draft: { text: 'Oud' }, meta, at: 1_000 } }));
    await saveDraft(db, TK, { text: 'Nieuwer' }, meta, 2_000);
    await recoverDraftJournal(db);
    expect((await stored())?.text).toBe('Nieuwer');
    // A journal that is not JSON is dropped, not a reason to stop starting.
    storage.set(DRAFT_JOURNAL_KEY, '{niet');
    await expect(recoverDraftJournal(db)).resolves.toBeUndefined();
    expect(storage.has(DRAFT_JOURNAL_KEY)).toBe(false);
  });
});
