import { useEffect, useRef } from 'react';
import { isTypingElement, resolveKey, type KeyCommand } from './keymap';

/**
 * The one window-level listener for the keymap. It stays out of the way of
 * fields (but for Esc, which leaves them), of anything that already handled
 * the key (a card's own Enter, a menu's Esc), and of modal dialogs other than
 * the help overlay itself.
 */
export function useKeymap(run: (cmd: KeyCommand, e: KeyboardEvent) => void): void {
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      const cmd = resolveKey(e, isTypingElement(target));
      if (!cmd) return;
      const dialog = target?.closest('dialog') ?? document.querySelector('dialog[open]');
      if (dialog && !(dialog.matches('[data-testid="key-help"]') && cmd.action === 'help')) return;
      // Enter belongs to buttons and links when they have the focus; Escape to the popups that close on it.
      if (cmd.action === 'open' && target?.closest('button, a, [role="separator"]')) return;
      if (cmd.action === 'escape' && target?.closest('[role="dialog"], [role="menu"], [role="listbox"], [aria-expanded="true"]')) return;
      e.preventDefault();
      latest.current(cmd, e);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
