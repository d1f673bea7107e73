import { useState } from 'react';

/**
 * What an agent typed into a settings field that saves when it is left, kept on
 * screen until the stored value shows the save.
 *
 * A save resolves before the live query that reads the store has run again: a
 * field that went back to the store the moment its save resolved showed the value
 * from before the save for a moment. Whatever was typed in that moment started from
 * the old value, and a field filled with the old value's text did not change at all
 * (no change event), so nothing was saved: clearing the holidays right after setting
 * them kept them.
 */
export interface Landed<F> {
  /** The typed value that was saved. */
  form: F;
  /** The stored value's key once the save shows. */
  saved: string;
  /** The stored value's key when the save started. */
  storedThen: string;
}

/**
 * The typed value to show, or null to show the store: typed stays until its save
 * has resolved and the store shows it, or shows anything else than before the save
 * (a value the store made of it, or a later save by someone else).
 */
export function heldTyped<F>(form: F | null, landed: Landed<F> | null, stored: string): F | null {
  if (form === null) return null;
  if (landed === null || landed.form !== form) return form;
  return stored === landed.saved || stored !== landed.storedThen ? null : form;
}

export interface HeldEdit<F> {
  /** What was typed and is not yet shown by the store; null: show the stored value. */
  typed: F | null;
  type: (next: F) => void;
  /**
   * Saves `form` with `save`, which resolves once stored; `savedKey` is the stored
   * value's key once that shows. A failed save keeps what was typed (nothing lost).
   */
  save: (form: F, savedKey: string, save: () => Promise<unknown>, failed: (e: unknown) => void) => void;
  /** Puts the field back as stored (a value refused before it was saved). */
  drop: () => void;
}

/** `stored`: a key of the stored value (its text as the field shows it, or its JSON). */
export function useHeldEdit<F>(stored: string): HeldEdit<F> {
  const [form, setForm] = useState<F | null>(null);
  const [landed, setLanded] = useState<Landed<F> | null>(null);
  const typed = heldTyped(form, landed, stored);
  if (form !== null && typed === null) {
    // Shown by the store now: forget it (while rendering, so no frame shows it; React renders again at once).
    setForm(null);
    setLanded(null);
  }
  return {
    typed,
    type: setForm,
    save: (saving, saved, save, failed) => {
      const storedThen = stored;
      save().then(() => setLanded({ form: saving, saved, storedThen }), failed);
    },
    drop: () => {
      setForm(null);
      setLanded(null);
    },
  };
}
