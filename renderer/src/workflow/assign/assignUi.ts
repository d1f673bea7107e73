import { create } from 'zustand';

/** A conversation to assign: its key, and a message of it to open it by. */
export interface AssignSubject {
  conversationKey: string;
  messageKey: string;
}

/**
 * The assign dialog's state: which conversations it assigns (one from a card
 * or the conversation view, several from the bulk bar), and the "For you" list.
 * One dialog for the whole window, opened from wherever.
 */
export interface AssignUi {
  subjects: readonly AssignSubject[] | null;
  openAssign(subjects: readonly AssignSubject[]): void;
  closeAssign(): void;
  inboxOpen: boolean;
  setInboxOpen(open: boolean): void;
}

export const useAssignUi = create<AssignUi>()((set) => ({
  subjects: null,
  openAssign: (subjects) => set({ subjects: subjects.length ? subjects : null }),
  closeAssign: () => set({ subjects: null }),
  inboxOpen: false,
  setInboxOpen: (inboxOpen) => set({ inboxOpen }),
}));
