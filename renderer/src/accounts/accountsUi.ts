import { create } from 'zustand';

/** Whether the accounts screen is open and on which tab (UI state of this screen only). */
export type AccountsTab = 'accounts' | 'health';

interface AccountsUi {
  open: boolean;
  tab: AccountsTab;
  show(tab?: AccountsTab): void;
  setTab(tab: AccountsTab): void;
  close(): void;
}

export const useAccountsUi = create<AccountsUi>()((set) => ({
  open: false,
  tab: 'accounts',
  show: (tab = 'accounts') => set({ open: true, tab }),
  setTab: (tab) => set({ tab }),
  close: () => set({ open: false }),
}));
