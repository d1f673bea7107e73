import { beforeEach, describe, expect, it } from 'vitest';
import { useUi } from '../../renderer/src/store';

const T = 'x_mention:c1';

describe('UI store: drafts keep typed text and the id of their first send attempt', () => {
  beforeEach(() => {
    useUi.setState({ drafts: {}, selection: { messageKey: null }, dialogs: { settingsOpen: false } });
  });

  it('keeps a draft per thread while the agent looks at other threads', () => {
    const ui = useUi.getState();
    ui.setDraftText(T, 'Hoi Els');
    ui.select('x_dm:9');
    ui.setDraftText('x_dm:other', 'iets anders');
    expect(useUi.getState().drafts[T]).toEqual({ text: 'Hoi Els', clientId: null, clientIdFor: null });
  });

  it('keeps the client id while the text stays the same, and drops it when the text changes', () => {
    const ui = useUi.getState();
    ui.setDraftText(T, 'Hoi Els');
    ui.setDraftClientId(T, 'id-1', '111');
    ui.setDraftText(T, 'Hoi Els');
    expect(useUi.getState().drafts[T]).toEqual({ text: 'Hoi Els', clientId: 'id-1', clientIdFor: '111' });
    ui.setDraftText(T, 'Hoi Els!');
    expect(useUi.getState().drafts[T]).toEqual({ text: 'Hoi Els!', clientId: null, clientIdFor: null });
  });

  it('clears only the thread that was sent', () => {
    const ui = useUi.getState();
    ui.setDraftText(T, 'a');
    ui.setDraftText('fb_comment:p1', 'b');
    ui.clearDraft(T);
    expect(useUi.getState().drafts).toEqual({ 'fb_comment:p1': { text: 'b', clientId: null, clientIdFor: null } });
  });
});
