/**
 * The one keymap of the console. The help overlay (`?`) is generated from
 * this list, so a shortcut that is not here does not exist. Nothing fires
 * while the agent types in a field or holds Ctrl, Alt or Meta, except Esc,
 * which leaves the field: the next key is a shortcut again, never a letter in
 * a new draft.
 */
export type KeyAction =
  | 'next'
  | 'prev'
  | 'left'
  | 'right'
  | 'open'
  | 'reply'
  | 'private'
  | 'done'
  | 'archive'
  | 'assignMe'
  | 'tag'
  | 'select'
  | 'column'
  | 'search'
  | 'newPost'
  | 'close'
  | 'help'
  | 'escape';

export interface KeyBinding {
  action: KeyAction;
  /** KeyboardEvent.key values. */
  keys: readonly string[];
  /** What the help overlay shows; the `column` binding shows a range. */
  display: string;
}

export const KEYMAP: readonly KeyBinding[] = [
  { action: 'next', keys: ['j'], display: 'j' },
  { action: 'prev', keys: ['k'], display: 'k' },
  { action: 'left', keys: ['h'], display: 'h' },
  { action: 'right', keys: ['l'], display: 'l' },
  { action: 'open', keys: ['Enter'], display: 'Enter' },
  { action: 'reply', keys: ['r'], display: 'r' },
  { action: 'private', keys: ['d'], display: 'd' },
  { action: 'done', keys: ['e'], display: 'e' },
  { action: 'archive', keys: ['a'], display: 'a' },
  { action: 'assignMe', keys: ['m'], display: 'm' },
  { action: 'tag', keys: ['t'], display: 't' },
  { action: 'select', keys: ['x'], display: 'x' },
  { action: 'column', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], display: '1–9' },
  { action: 'search', keys: ['/'], display: '/' },
  { action: 'newPost', keys: ['n'], display: 'n' },
  { action: 'close', keys: ['c'], display: 'c' },
  { action: 'help', keys: ['?'], display: '?' },
  { action: 'escape', keys: ['Escape'], display: 'Esc' },
];

export interface KeyCommand {
  action: KeyAction;
  /** For `column`: 1-9. */
  column?: number;
  /** For `escape`: pressed in a field, which it leaves. */
  inField?: boolean;
}

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

const BY_KEY = new Map<string, KeyAction>(KEYMAP.flatMap((b) => b.keys.map((k) => [k, b.action] as const)));

/** The command for a key press, or null (typing in a field, a modifier held, an unbound key); Esc in a field leaves it. */
export function resolveKey(e: KeyInput, typing: boolean): KeyCommand | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  if (typing) return e.key === 'Escape' ? { action: 'escape', inField: true } : null;
  // Caps Lock turns j into J: the same key to the agent.
  const key = e.key.length === 1 && /[A-Z]/.test(e.key) ? e.key.toLowerCase() : e.key;
  const action = BY_KEY.get(key);
  if (!action) return null;
  return action === 'column' ? { action, column: Number(key) } : { action };
}

/** What counts as a field: typing there is text, never a shortcut. */
export interface ElementLike {
  tagName: string;
  isContentEditable?: boolean;
  type?: string;
}

const NOT_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

export function isTypingElement(el: ElementLike | null | undefined): boolean {
  if (!el) return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NOT_TEXT_INPUTS.has((el.type ?? 'text').toLowerCase());
  return el.isContentEditable === true;
}
