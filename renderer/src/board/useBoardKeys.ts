import { useEffect, useRef } from 'react';
import type { KeyCommand } from '../keys/keymap';
import { columnIdsInOrder, columnNav, focusCard, focusColumn, whenPresent } from '../keys/navigation';
import { useKeymap } from '../keys/useKeymap';
import type { WebcareDb } from '../db/db';
import { useServices } from '../services';
import { useUi } from '../store';
import { assignAll } from '../workflow/assign/AssignDialog';
import { subjectsOf } from '../workflow/assign/team';
import { useBoardUi, type CardRef } from './boardStore';
import { useBoardSettings } from './boardSettings';
import { markMessages, toggleDone } from './marks';

/** The composer's reply box; the composer marks it with one of these. */
const COMPOSER_INPUT = '[data-composer-input], [data-testid="reply-input"]';
/** The bulk bar's tag field: `t` tags the picked cards there, or the card at hand. */
const TAG_INPUT = '[data-testid="bulk-tag-input"]';

function cardElement(key: string, columnId?: string): HTMLElement | null {
  const card = `[data-testid="card"][data-key="${CSS.escape(key)}"]`;
  return document.querySelector<HTMLElement>(columnId ? `[data-column-id="${CSS.escape(columnId)}"] ${card}` : card);
}

/** What each key of the keymap does on the board. */
export function useBoardKeys(db: WebcareDb): void {
  const settings = useBoardSettings(db);
  const { status } = useServices();
  const me = useRef(settings.me);
  useEffect(() => {
    me.current = settings.me;
  }, [settings.me]);

  useKeymap((cmd: KeyCommand) => {
    const board = useBoardUi.getState();
    const ui = useUi.getState();
    const ids = columnIdsInOrder();
    const focus = board.focus && ids.includes(board.focus.columnId) ? board.focus : null;
    const keys = focus ? (columnNav(focus.columnId)?.keys() ?? []) : [];
    const index = focus ? keys.indexOf(focus.key) : -1;
    const selected = ui.selection.messageKey;
    // The card with the keyboard, or else the open conversation: after leaving the reply box
    // with Esc, `e` marks the conversation being answered.
    const focusHasKeyboard = focus !== null && document.activeElement === cardElement(focus.key, focus.columnId);
    const atHand = focus && (focusHasKeyboard || selected === null) ? focus.key : (selected ?? focus?.key ?? null);
    const targets = board.picked.size > 0 ? [...board.picked] : atHand !== null ? [atHand] : [];

    /** The keyboard moves on to the neighbour of a card that may leave its column. */
    const moveOn = (gone: ReadonlySet<string>) => {
      if (!focus || !gone.has(focus.key)) return () => undefined;
      const after = keys.slice(index + 1).find((k) => !gone.has(k)) ?? keys.slice(0, Math.max(0, index)).reverse().find((k) => !gone.has(k));
      return () => {
        if (after !== undefined && focusHasKeyboard) focusCard(focus.columnId, after);
      };
    };

    /** Opens the card at hand (if it is not open yet), then runs `fn` on an element of the conversation. */
    const inConversation = (selector: string, fn: (el: HTMLElement) => void) => {
      if (atHand === null) return;
      if (selected !== atHand) ui.select(atHand);
      whenPresent(() => document.querySelector<HTMLElement>(`[data-testid="conversation"] ${selector}`), fn, 60);
    };

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
      case 'private':
        // Public reply ⇄ private message (an X DM, a Facebook private reply), where the channel has both.
        inConversation(COMPOSER_INPUT, (input) => {
          const pane = document.querySelector('[data-testid="conversation"]');
          const priv = pane?.querySelector<HTMLInputElement>('[data-testid="reply-mode-private"]');
          const pub = pane?.querySelector<HTMLInputElement>('[data-testid="reply-mode-public"]');
          (priv && !priv.checked ? priv : pub)?.click();
          input.focus();
        });
        return;
      case 'done': {
        if (targets.length === 0) return;
        const after = moveOn(new Set(targets));
        toggleDone(db, targets)
          .then(() => {
            if (board.picked.size > 0) board.clearPicked();
            after();
          })
          .catch((e: unknown) => console.warn('status not saved', e));
        return;
      }
      case 'archive': {
        if (targets.length === 0) return;
        const after = moveOn(new Set(targets));
        // Archived when any of them is not, open again otherwise: like `e` for done.
        db.marks
          .bulkGet(targets)
          .then((marks) => markMessages(db, targets, { status: marks.some((m) => m?.status !== 'archived') ? 'archived' : 'open' }))
          .then(() => {
            if (board.picked.size > 0) board.clearPicked();
            after();
          })
          .catch((e: unknown) => console.warn('status not saved', e));
        return;
      }
      case 'assignMe': {
        if (targets.length === 0) return;
        const login = status.get()?.team?.me?.login;
        // In a team, an assignment is the workflow's named action on each conversation (as the bulk bar does it).
        const done = login
          ? subjectsOf(db, targets).then((subjects) => assignAll(db, subjects, { login }, ''))
          : me.current !== null
            ? markMessages(db, targets, { assignee: me.current })
            : null;
        if (done === null) {
          // Nobody to assign to yet: the name is asked where it is kept.
          ui.setSettingsOpen(true);
          return;
        }
        done.then(() => board.picked.size > 0 && board.clearPicked()).catch((e: unknown) => console.warn('assignment not saved', e));
        return;
      }
      case 'tag': {
        if (targets.length === 0) return;
        if (board.picked.size === 0) {
          const ref: CardRef = focus && focus.key === atHand ? focus : { columnId: '', key: atHand as string };
          board.togglePick(ref);
        }
        whenPresent(
          () => document.querySelector<HTMLElement>(TAG_INPUT),
          (el) => el.focus(),
        );
        return;
      }
      case 'select':
        if (focus) board.togglePick(focus);
        return;
      case 'search':
        window.dispatchEvent(new CustomEvent('webcare:search'));
        return;
      case 'newPost':
        window.dispatchEvent(new CustomEvent('webcare:newpost'));
        return;
      case 'close':
        closeConversation(selected, focus);
        return;
      case 'help':
        board.setHelpOpen(!board.helpOpen);
        return;
      case 'escape':
        // One step back at a time: out of the field, then the picks, then the conversation.
        if (cmd.inField) backToCard(selected, focus);
        else if (board.picked.size > 0) board.clearPicked();
        else closeConversation(selected, focus);
        return;
    }
  });
}

/** The keyboard goes back to the card of the open conversation when the board shows it, else to the page. */
function backToCard(selected: string | null, focus: CardRef | null): void {
  const card = selected === null ? null : focus?.key === selected ? cardElement(selected, focus.columnId) : cardElement(selected);
  if (card) {
    card.focus();
    return;
  }
  const active = document.activeElement;
  if (active instanceof HTMLElement) active.blur();
}

function closeConversation(selected: string | null, focus: CardRef | null): void {
  if (selected === null) return;
  // Focus first: the pane and whatever had the keyboard in it are about to go.
  backToCard(selected, focus);
  useUi.getState().select(null);
}
