import { create } from 'zustand';
import type { Channel } from '../../../shared/model.js';
import type { SearchQuery } from './searchIndex';

/** The event the keymap sends for `/` (renderer/src/keys): any part of the UI may ask for search. */
export const SEARCH_EVENT = 'webcare:search';

/** UI state of the search panel only; results are read from Dexie when asked for. */
export interface SearchForm {
  text: string;
  /** `YYYY-MM-DD` from a date input, or empty. */
  from: string;
  to: string;
  channel: Channel | '';
  status: string;
}

export const EMPTY_FORM: SearchForm = { text: '', from: '', to: '', channel: '', status: '' };

export interface SearchUiState {
  open: boolean;
  /** Kept while the panel is closed: reopening shows the last search. */
  form: SearchForm;
  setOpen(open: boolean): void;
  setForm(patch: Partial<SearchForm>): void;
}

export const useSearchUi = create<SearchUiState>()((set) => ({
  open: false,
  form: EMPTY_FORM,
  setOpen: (open) => set({ open }),
  setForm: (patch) => set((s) => ({ form: { ...s.form, ...patch } })),
}));

/** Local midnight of a `YYYY-MM-DD`, or undefined; `endOfDay` gives the last millisecond of that day. */
export function dayBoundary(value: string, endOfDay: boolean): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (endOfDay ? 1 : 0)).getTime();
  return endOfDay ? t - 1 : t;
}

export function queryOfForm(form: SearchForm): SearchQuery {
  return {
    text: form.text,
    from: dayBoundary(form.from, false),
    to: dayBoundary(form.to, true),
    channels: form.channel ? [form.channel] : undefined,
    statuses: form.status ? [form.status] : undefined,
  };
}

export function openSearch(): void {
  useSearchUi.getState().setOpen(true);
}
