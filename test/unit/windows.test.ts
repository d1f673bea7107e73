import { describe, expect, it } from 'vitest';
import { messengerWindow, privateReplyWindow } from '../../shared/windows';

const T = Date.UTC(2026, 10, 22, 9);
const H = 3600_000;

describe('Facebook answer windows', () => {
  it.each([
    [0, { state: 'open', closesAt: T + 24 * H }],
    [23.9 * H, { state: 'open', closesAt: T + 24 * H }],
    [24 * H, { state: 'humanAgent', closesAt: T + 7 * 24 * H }],
    [6 * 24 * H, { state: 'humanAgent', closesAt: T + 7 * 24 * H }],
    [7 * 24 * H, { state: 'closed' }],
  ])('Messenger, %d ms after the last message', (after, expected) => {
    expect(messengerWindow(T, T + after)).toEqual(expected);
  });

  it('private replies: once, within 7 days', () => {
    expect(privateReplyWindow(T, T + H, false)).toEqual({ open: true, closesAt: T + 7 * 24 * H });
    expect(privateReplyWindow(T, T + H, true)).toEqual({ open: false });
    expect(privateReplyWindow(T, T + 7 * 24 * H, false)).toEqual({ open: false });
  });
});
