import { describe, expect, it } from 'vitest';
import { isTypingElement, KEYMAP, resolveKey, type KeyCommand } from '../../renderer/src/keys/keymap';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({ key, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe('keymap', () => {
  it.each<[string, KeyCommand | null]>([
    ['j', { action: 'next' }],
    ['k', { action: 'prev' }],
    ['J', { action: 'next' }],
    ['h', { action: 'left' }],
    ['l', { action: 'right' }],
    ['Enter', { action: 'open' }],
    ['r', { action: 'reply' }],
    ['d', { action: 'private' }],
    ['e', { action: 'done' }],
    ['a', { action: 'archive' }],
    ['m', { action: 'assignMe' }],
    ['t', { action: 'tag' }],
    ['c', { action: 'close' }],
    ['n', { action: 'newPost' }],
    ['x', { action: 'select' }],
    ['1', { action: 'column', column: 1 }],
    ['9', { action: 'column', column: 9 }],
    ['0', null],
    ['/', { action: 'search' }],
    ['?', { action: 'help' }],
    ['Escape', { action: 'escape' }],
    ['q', null],
    ['ArrowDown', null],
  ])('%s', (key, expected) => expect(resolveKey(press(key), false)).toEqual(expected));

  it('nothing fires while typing or with a modifier held, but Esc leaves the field', () => {
    for (const b of KEYMAP) for (const key of b.keys) if (key !== 'Escape') expect(resolveKey(press(key), true), key).toBeNull();
    expect(resolveKey(press('Escape'), true)).toEqual({ action: 'escape', inField: true });
    expect(resolveKey(press('Escape', { ctrlKey: true }), true)).toBeNull();
    expect(resolveKey(press('r', { ctrlKey: true }), false)).toBeNull();
    expect(resolveKey(press('e', { metaKey: true }), false)).toBeNull();
    expect(resolveKey(press('1', { altKey: true }), false)).toBeNull();
  });

  it('every key is bound once and every action has a display for the help overlay', () => {
    const keys = KEYMAP.flatMap((b) => b.keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(KEYMAP.map((b) => b.action)).toEqual(['next', 'prev', 'left', 'right', 'open', 'reply', 'private', 'done', 'archive', 'assignMe', 'tag', 'select', 'column', 'search', 'newPost', 'close', 'help', 'escape']);
    for (const b of KEYMAP) expect(b.display.length).toBeGreaterThan(0);
  });

  it.each<[Parameters<typeof isTypingElement>[0], boolean]>([
    [{ tagName: 'INPUT' }, true],
    [{ tagName: 'input', type: 'search' }, true],
    [{ tagName: 'INPUT', type: 'checkbox' }, false],
    [{ tagName: 'INPUT', type: 'radio' }, false],
    [{ tagName: 'TEXTAREA' }, true],
    [{ tagName: 'SELECT' }, true],
    [{ tagName: 'DIV', isContentEditable: true }, true],
    [{ tagName: 'ARTICLE' }, false],
    [{ tagName: 'BUTTON' }, false],
    [null, false],
  ])('typing in %j: %s', (el, expected) => expect(isTypingElement(el)).toBe(expected));
});
