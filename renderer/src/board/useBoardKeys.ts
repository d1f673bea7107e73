import type { KeyCommand } from '../keys/keymap';
import { columnIdsInOrder, columnNav, focusCard, focusColumn, whenPresent } from '../keys/navigation';
import { useKeymap } from '../keys/useKeymap';
import type { WebcareDb } from '../db/db';
import { useUi } from '../store';
import { useBoardUi } from './boardStore';
import { toggleDone } from './marks';

/** The composer's reply box; the composer marks it with one of these. */
const COMPOSER_INPUT = '[data-composer-input], [data-testid="reply-input"]';

/** What each key of the keymap does on the board. */
export function useBoardKeys(db: WebcareDb): void {
  useKeymap((cmd: KeyCommand) => {
    const board = useBoardUi.getState();
    const ui = useUi.getState();
    const ids = columnIdsInOrder();
    const focus = board.focus && ids.includes(board.focus.columnId) ? board.focus : null;
    const keys = focus ? (columnNav(focus.columnId)?.keys() ?? []) : [];
    const index = focus ? keys.indexOf(focus.key) : -1;

    switch (cmd.action) {
      case 'next':
      case 'prev': {
        if (!focus) {
          const first = ids[0];
          if (first) focusColumn(first);
          return;
        }
        const next = keys[Math.max(0, Math.min(keys.length - 1, index < 0 ? 0 : index + (cmd.action === 'next' ? 1 : -1)))];
        if (next !== undefined) focusCard(focus.columnId, next);
        return;
      }
      case 'left':
      case 'right': {
        const at = focus ? ids.indexOf(focus.columnId) : -1;
        const to = ids[Math.max(0, Math.min(ids.length - 1, at + (cmd.action === 'right' ? 1 : -1)))];
        if (to) focusColumn(to);
        return;
      }
      case 'column': {
        const id = ids[(cmd.column ?? 1) - 1];
        if (id) focusColumn(id);
        return;
      }
      case 'open':
        if (focus) ui.select(focus.key);
        return;
      case 'reply':
        if (!focus) return;
        ui.select(focus.key);
        whenPresent(
          () => document.querySelector<HTMLElement>(COMPOSER_INPUT),
          (el) => el.focus(),
          60,
        );
        return;
      case 'done': {
        const targets = board.picked.size > 0 ? [...board.picked] : focus ? [focus.key] : [];
        if (targets.length === 0) return;
        const gone = new Set(targets);
        const after = keys.slice(index + 1).find((k) => !gone.has(k)) ?? keys.slice(0, Math.max(0, index)).reverse().find((k) => !gone.has(k));
        toggleDone(db, targets)
          .then(() => {
            if (board.picked.size > 0) board.clearPicked();
            // The card may leave the column (it shows open messages): the keyboard moves on to its neighbour.
            if (focus && after !== undefined) focusCard(focus.columnId, after);
          })
          .catch((e: unknown) => console.warn('status not saved', e));
        return;
      }
      case 'select':
        if (focus) board.togglePick(focus);
        return;
      case 'search':
        window.dispatchEvent(new CustomEvent('webcare:search'));
        return;
      case 'help':
        board.setHelpOpen(!board.helpOpen);
        return;
      case 'escape':
        if (board.picked.size > 0) board.clearPicked();
        return;
    }
  });
}
