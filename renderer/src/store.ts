import { create, type StateCreator } from 'zustand';

/**
 * UI state only: what is selected, which dialog is open, what is typed in the
 * composer. Messages and settings live in Dexie. Built from slices; components
 * select the smallest value they need.
 */
export interface SelectionSlice {
  selection: { messageKey: string | null };
  select(messageKey: string | null): void;
}

export interface DialogSlice {
  dialogs: { settingsOpen: boolean };
  setSettingsOpen(open: boolean): void;
}

/**
 * Drafts per thread (`${channel}:${conversationId}`), so switching to another
 * card never throws away typed text. `clientId` is the id of the first send
 * attempt of this exact text to this exact message (`clientIdFor`, its
 * platformId): pressing Send again after an uncertain failure reuses it, and
 * the host then looks for the earlier post before it ever posts again.
 */
export interface Draft {
  text: string;
  clientId: string | null;
  clientIdFor: string | null;
}

export interface ComposerSlice {
  drafts: Record<string, Draft>;
  setDraftText(thread: string, text: string): void;
  setDraftClientId(thread: string, clientId: string, clientIdFor: string): void;
  clearDraft(thread: string): void;
}

export type UiState = SelectionSlice & DialogSlice & ComposerSlice;

const selectionSlice: StateCreator<UiState, [], [], SelectionSlice> = (set) => ({
  selection: { messageKey: null },
  select: (messageKey) => set({ selection: { messageKey } }),
});

const dialogSlice: StateCreator<UiState, [], [], DialogSlice> = (set) => ({
  dialogs: { settingsOpen: false },
  setSettingsOpen: (settingsOpen) => set({ dialogs: { settingsOpen } }),
});

const composerSlice: StateCreator<UiState, [], [], ComposerSlice> = (set) => ({
  drafts: {},
  setDraftText: (thread, text) =>
    set((s) => {
      const prev = s.drafts[thread];
      // Other text is another reply: it gets its own id on its first attempt.
      const same = prev !== undefined && prev.text === text;
      return { drafts: { ...s.drafts, [thread]: { text, clientId: same ? prev.clientId : null, clientIdFor: same ? prev.clientIdFor : null } } };
    }),
  setDraftClientId: (thread, clientId, clientIdFor) =>
    set((s) => ({ drafts: { ...s.drafts, [thread]: { text: s.drafts[thread]?.text ?? '', clientId, clientIdFor } } })),
  clearDraft: (thread) =>
    set((s) => {
      const { [thread]: _gone, ...rest } = s.drafts;
      return { drafts: rest };
    }),
});

export const useUi = create<UiState>()((...a) => ({
  ...selectionSlice(...a),
  ...dialogSlice(...a),
  ...composerSlice(...a),
}));

export const selectSelectedKey = (s: UiState) => s.selection.messageKey;
export const selectSettingsOpen = (s: UiState) => s.dialogs.settingsOpen;
