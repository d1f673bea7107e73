import { afterEach, describe, expect, it, vi } from 'vitest';

/** The platform's Notification: counts how often its permission is read, and what asking answers. */
function fakeNotification(initial: NotificationPermission, answer: NotificationPermission) {
  const state = { permission: initial, reads: 0, shown: [] as string[] };
  class FakeNotification {
    static get permission() {
      state.reads++;
      return state.permission;
    }
    static async requestPermission() {
      state.permission = answer;
      return answer;
    }
    constructor(title: string) {
      state.shown.push(title);
    }
  }
  vi.stubGlobal('Notification', FakeNotification);
  return state;
}

/** The browser's permission status, whose change the test sets off. */
function fakePermissions() {
  const status: { onchange: (() => void) | null } = { onchange: null };
  vi.stubGlobal('navigator', { permissions: { query: async () => status } });
  return status;
}

describe('desktop notifications: the permission', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('is read from the browser once, not on every header drawn, and again once the browser says it changed', async () => {
    const platform = fakeNotification('denied', 'denied');
    const status = fakePermissions();
    const { notificationsDenied } = await import('../../renderer/src/board/alerts');
    for (let i = 0; i < 50; i++) expect(notificationsDenied()).toBe(true);
    expect(platform.reads).toBe(1);
    await vi.waitFor(() => expect(status.onchange).not.toBeNull());
    // Allowed in the browser's settings.
    platform.permission = 'granted';
    status.onchange?.();
    expect(notificationsDenied()).toBe(false);
    expect(platform.reads).toBe(2);
  });

  it('a Notification put in the place of the first is read anew (a wrapper, or a recorder in a test)', async () => {
    fakeNotification('denied', 'denied');
    fakePermissions();
    const { notificationsDenied, showNotification } = await import('../../renderer/src/board/alerts');
    expect(notificationsDenied()).toBe(true);
    const recorder = fakeNotification('granted', 'granted');
    expect(notificationsDenied()).toBe(false);
    showNotification('shown', 'body', 't');
    expect(recorder.shown).toEqual(['shown']);
    expect(recorder.reads).toBe(1);
  });

  it('follows what the agent answered when asked, and shows notifications only once granted', async () => {
    const platform = fakeNotification('default', 'granted');
    fakePermissions();
    const { ensureNotificationPermission, showNotification } = await import('../../renderer/src/board/alerts');
    showNotification('before', 'body', 't');
    expect(platform.shown).toEqual([]);
    expect(await ensureNotificationPermission()).toBe(true);
    showNotification('after', 'body', 't');
    expect(platform.shown).toEqual(['after']);
    expect(platform.reads).toBe(1);
  });
});
