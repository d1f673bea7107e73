import { loadDraft, saveDraft } from '../../composer/drafts';
import type { WebcareDb } from '../../db/db';
import { useUi } from '../../store';
import { loadFacts } from './leftBehind';

/** This console's record of the handed drafts it took into a reply (`${handoverId}#${index}`). */
export const TAKEN_KEY = 'wf.shifts.taken';
const TAKEN_KEEP = 500;

export const takenId = (handoverId: string, index: number) => `${handoverId}#${index}`;

export function takenSet(value: unknown): ReadonlySet<string> {
  return new Set(Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : []);
}

/**
 * A reply text joined with a handed draft: the draft alone when nothing was
 * typed, unchanged when it holds the draft already, else both (what the agent
 * typed first), so taking a draft never throws text away.
 */
export function joinDraft(current: string, handed: string): string {
  if (current.trim() === '') return handed;
  if (current.includes(handed)) return current;
  return `${current.replace(/\s+$/, '')}\n\n${handed}`;
}

/**
 * Puts a draft a colleague handed over into this agent's reply for that
 * conversation (the composer's draft, kept in the local store like any other)
 * and opens the conversation. False when this console does not hold it.
 */
export async function takeHandedDraft(db: WebcareDb, d: { conversationKey: string; text: string; handoverId: string; index: number }): Promise<boolean> {
  const facts = (await loadFacts(db, [d.conversationKey])).get(d.conversationKey);
  if (!facts) return false;
  const ui = useUi.getState();
  const current = ui.drafts[d.conversationKey] ?? (await loadDraft(db, d.conversationKey)) ?? { text: '' };
  const next = { ...current, text: joinDraft(current.text, d.text) };
  ui.patchDraft(d.conversationKey, next);
  const channel = d.conversationKey.slice(0, d.conversationKey.indexOf(':'));
  await saveDraft(db, d.conversationKey, next, { messageKey: facts.messageKey, channel });
  await db.transaction('rw', db.settings, async () => {
    const taken = takenSet((await db.settings.get(TAKEN_KEY))?.value);
    await db.settings.put({ key: TAKEN_KEY, value: [...taken, takenId(d.handoverId, d.index)].slice(-TAKEN_KEEP) });
  });
  ui.select(facts.messageKey);
  return true;
}
