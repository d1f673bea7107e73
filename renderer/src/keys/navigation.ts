/**
 * Where the keyboard can go: each mounted column registers its ordered keys
 * and a way to scroll a row into view (its list is virtualised, so the next
 * card may not be in the DOM yet). Column order is the DOM's.
 */
export interface ColumnNav {
  keys(): readonly string[];
  scrollToIndex(index: number): void;
}

const registry = new Map<string, ColumnNav>();

export function registerColumn(id: string, nav: ColumnNav): () => void {
  registry.set(id, nav);
  return () => {
    if (registry.get(id) === nav) registry.delete(id);
  };
}

export function columnNav(id: string): ColumnNav | undefined {
  return registry.get(id);
}

export function columnIdsInOrder(): string[] {
  return [...document.querySelectorAll<HTMLElement>('[data-column-id]')].map((el) => el.dataset.columnId ?? '').filter((id) => id !== '');
}

function cardElement(columnId: string, key: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-column-id="${CSS.escape(columnId)}"] [data-testid="card"][data-key="${CSS.escape(key)}"]`);
}

/** Waits a few frames for an element (a row scrolled into view, a composer opened), then runs `fn` on it. */
export function whenPresent(find: () => HTMLElement | null, fn: (el: HTMLElement) => void, frames = 30): void {
  const el = find();
  if (el) fn(el);
  else if (frames > 0) requestAnimationFrame(() => whenPresent(find, fn, frames - 1));
}

/** Scrolls a card into view and gives it the keyboard focus. */
export function focusCard(columnId: string, key: string): void {
  const nav = registry.get(columnId);
  const i = nav?.keys().indexOf(key) ?? -1;
  if (nav && i >= 0) nav.scrollToIndex(i);
  whenPresent(
    () => cardElement(columnId, key),
    (el) => el.focus({ preventScroll: false }),
  );
}

/** A column without cards takes the focus itself (its section is focusable). */
export function focusColumn(columnId: string): void {
  const nav = registry.get(columnId);
  const first = nav?.keys()[0];
  if (first !== undefined) focusCard(columnId, first);
  else document.querySelector<HTMLElement>(`[data-column-id="${CSS.escape(columnId)}"]`)?.focus();
}
