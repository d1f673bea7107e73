import { create } from 'zustand';

/**
 * The board's UI state: which card has the keyboard, which cards are picked
 * for a bulk action, which dialog is open. Saved things (columns, marks) live
 * in Dexie.
 */
export interface CardRef {
  columnId: string;
  key: string;
}

export type EditorState = { mode: 'add' } | { mode: 'edit'; id: string } | null;

export interface BoardUiState {
  focus: CardRef | null;
  setFocus(focus: CardRef | null): void;
  /** Picked for a bulk action, with the card a shift-click extends from. */
  picked: ReadonlySet<string>;
  anchor: CardRef | null;
  togglePick(ref: CardRef): void;
  /** Shift-click: everything between the anchor and this card, in the column's order. */
  pickRange(ref: CardRef, columnKeys: readonly string[]): void;
  pickAll(keys: readonly string[]): void;
  clearPicked(): void;
  helpOpen: boolean;
  setHelpOpen(open: boolean): void;
  editor: EditorState;
  setEditor(editor: EditorState): void;
}

export const useBoardUi = create<BoardUiState>()((set) => ({
  focus: null,
  setFocus: (focus) => set({ focus }),
  picked: new Set(),
  anchor: null,
  togglePick: (ref) =>
    set((s) => {
      const picked = new Set(s.picked);
      if (picked.has(ref.key)) picked.delete(ref.key);
      else picked.add(ref.key);
      return { picked, anchor: ref };
    }),
  pickRange: (ref, columnKeys) =>
    set((s) => {
      const from = s.anchor && s.anchor.columnId === ref.columnId ? columnKeys.indexOf(s.anchor.key) : -1;
      const to = columnKeys.indexOf(ref.key);
      if (from < 0 || to < 0) {
        const picked = new Set(s.picked);
        picked.add(ref.key);
        return { picked, anchor: ref };
      }
      const picked = new Set(s.picked);
      for (const k of columnKeys.slice(Math.min(from, to), Math.max(from, to) + 1)) picked.add(k);
      return { picked };
    }),
  pickAll: (keys) => set({ picked: new Set(keys), anchor: null }),
  clearPicked: () => set({ picked: new Set(), anchor: null }),
  helpOpen: false,
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  editor: null,
  setEditor: (editor) => set({ editor }),
}));
