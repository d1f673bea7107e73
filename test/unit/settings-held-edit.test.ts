import { describe, expect, it } from 'vitest';
import { heldTyped, type Landed } from '../../renderer/src/settings/heldEdit';

/**
 * A settings field that saves when it is left keeps what was typed until the store
 * shows the save. Going back to the store when the save resolved showed the value
 * from before the save until the live query ran again; a field cleared in that moment
 * did not change (it already looked empty), and the clear was never saved.
 */
describe('what a settings field shows while its save is on its way', () => {
  const before = JSON.stringify({ holidays: [] });
  const after = JSON.stringify({ holidays: ['2026-12-25'] });
  const typed = { holidays: '2026-12-25' };
  const landed: Landed<typeof typed> = { form: typed, saved: after, storedThen: before };

  it('shows the store when nothing was typed', () => {
    expect(heldTyped(null, null, before)).toBeNull();
  });

  it('shows what was typed before it is saved', () => {
    expect(heldTyped(typed, null, before)).toBe(typed);
  });

  it('keeps what was typed after the save resolved while the store still reads the value from before', () => {
    expect(heldTyped(typed, landed, before)).toBe(typed);
  });

  it('shows the store once it shows the save', () => {
    expect(heldTyped(typed, landed, after)).toBeNull();
  });

  it('shows the store once it shows anything new: the value the store made of it, or someone else’s later save', () => {
    expect(heldTyped(typed, landed, JSON.stringify({ holidays: ['2027-01-01'] }))).toBeNull();
  });

  it('keeps what was typed after the save started, even when the store shows the save', () => {
    const more = { holidays: '' };
    expect(heldTyped(more, landed, after)).toBe(more);
  });

  it('a save that changed nothing shows the store at once', () => {
    expect(heldTyped(typed, { form: typed, saved: before, storedThen: before }, before)).toBeNull();
  });
});
