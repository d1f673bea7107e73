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
 * card never throws away typed text; the composer also writes each draft to
 * Dexie (`drafts`), so it survives a restart. Sending moves the text into the
 * outbox, which makes the send's id; a draft has none.
 */
export interface Draft {
  text: string;
  /** The account it posts as, when the agent switched away from the receiving account (confirmed). */
  accountId?: string;
  /** Public reply or private message, where the channel allows both. */
  mode?: 'public' | 'private';
  /** Messenger after 24 hours: the agent chose the HUMAN_AGENT tag. */
  humanAgent?: boolean;
  /** X: send an over-long reply as a numbered thread. */
  split?: boolean;
}

export interface ComposerSlice {
  drafts: Record<string, Draft>;
  setDraftText(thread: string, text: string): void;
  patchDraft(thread: string, patch: Partial<Draft>): void;
  /** A draft read back from the local store, unless the agent already typed here. */
  hydrateDraft(thread: string, draft: Draft): void;
  clearDraft(thread: string): void;
  composerUi: { outboxOpen: boolean; cannedOpen: boolean };
  setOutboxOpen(open: boolean): void;
  setCannedOpen(open: boolean): void;
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
  setDraftText: (thread, text) => set((s) => ({ drafts: { ...s.drafts, [thread]: { ...s.drafts[thread], text } } })),
  patchDraft: (thread, patch) => set((s) => ({ drafts: { ...s.drafts, [thread]: { text: '', ...s.drafts[thread], ...patch } } })),
  hydrateDraft: (thread, draft) => set((s) => (s.drafts[thread] ? s : { drafts: { ...s.drafts, [thread]: draft } })),
  clearDraft: (thread) =>
    set((s) => {
      const { [thread]: _gone, ...rest } = s.drafts;
      return { drafts: rest };
    }),
  composerUi: { outboxOpen: false, cannedOpen: false },
  setOutboxOpen: (outboxOpen) => set((s) => ({ composerUi: { ...s.composerUi, outboxOpen } })),
  setCannedOpen: (cannedOpen) => set((s) => ({ composerUi: { ...s.composerUi, cannedOpen } })),
});

export const useUi = create<UiState>()((...a) => ({
  ...selectionSlice(...a),
  ...dialogSlice(...a),
  ...composerSlice(...a),
}));

export const selectSelectedKey = (s: UiState) => s.selection.messageKey;
export const selectSettingsOpen = (s: UiState) => s.dialogs.settingsOpen;
