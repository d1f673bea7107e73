import { beforeEach, describe, expect, it } from 'vitest';
import { useUi } from '../../renderer/src/store';

const T = 'x_mention:c1';

describe('UI store: drafts per thread', () => {
  beforeEach(() => {
    useUi.setState({ drafts: {}, selection: { messageKey: null }, dialogs: { settingsOpen: false } });
  });

  it('keeps a draft per thread while the agent looks at other threads', () => {
    const ui = useUi.getState();
    ui.setDraftText(T, 'Hoi Els');
    ui.select('x_dm:9');
    ui.setDraftText('x_dm:other', 'iets anders');
    expect(useUi.getState().drafts[T]).toEqual({ text: 'Hoi Els' });
  });

  it('keeps the draft’s choices while the text changes', () => {
    const ui = useUi.getState();
    ui.patchDraft(T, { mode: 'private', split: true });
    ui.setDraftText(T, 'Hoi Els!');
    expect(useUi.getState().drafts[T]).toEqual({ text: 'Hoi Els!', mode: 'private', split: true });
  });

  it('a draft read back from the store never overwrites what was typed meanwhile', () => {
    const ui = useUi.getState();
    ui.hydrateDraft(T, { text: 'uit de opslag' });
    expect(useUi.getState().drafts[T]?.text).toBe('uit de opslag');
    ui.setDraftText(T, 'getypt');
    ui.hydrateDraft(T, { text: 'oud' });
    expect(useUi.getState().drafts[T]?.text).toBe('getypt');
  });

  it('clears only the thread that was sent', () => {
    const ui = useUi.getState();
    ui.setDraftText(T, 'a');
    ui.setDraftText('fb_comment:p1', 'b');
    ui.clearDraft(T);
    expect(useUi.getState().drafts).toEqual({ 'fb_comment:p1': { text: 'b' } });
  });
});
