/**
 * A column's desktop notification and sound. The notification shows the
 * text as the platform gave it (a notification is plain text, never markup);
 * the sound is a short beep made with WebAudio, so no audio file ships.
 */
let audio: AudioContext | null = null;
let lastBeep = 0;

export function beep(now = Date.now()): void {
  // A burst of arrivals is one beep, not fifty.
  if (now - lastBeep < 1000) return;
  lastBeep = now;
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.18);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.2);
  } catch {
    // No audio device: a silent console is better than a broken one.
  }
}

export function notificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

/**
 * The permission as last read. Reading `Notification.permission` asks the browser process and
 * waits for its answer (in Chromium 25 ms of the board's first second, for the columns' bell
 * buttons), and every column header asks again each time it draws: read once, then again only
 * after the browser says it changed (its settings) or once we asked the agent.
 */
let permission: NotificationPermission | null = null;
/** Whose permission that is: a Notification put in its place (a wrapper, a test's recorder) is read anew. */
let readFrom: typeof Notification | null = null;

function currentPermission(): NotificationPermission {
  if (permission === null || readFrom !== Notification) {
    readFrom = Notification;
    permission = Notification.permission;
    const permissions = (globalThis.navigator as Navigator | undefined)?.permissions;
    permissions
      ?.query({ name: 'notifications' })
      .then((status) => {
        status.onchange = () => {
          permission = null;
        };
      })
      .catch(() => undefined);
  }
  return permission;
}

/** Asks once; answers whether notifications may be shown. */
export async function ensureNotificationPermission(): Promise<boolean> {
  if (!notificationsSupported()) return false;
  if (currentPermission() === 'granted') return true;
  if (currentPermission() === 'denied') return false;
  permission = await Notification.requestPermission();
  return permission === 'granted';
}

export function showNotification(title: string, body: string, tag: string): void {
  if (!notificationsSupported() || currentPermission() !== 'granted') return;
  try {
    new Notification(title, { body, tag, silent: true });
  } catch {
    // Some platforms only allow notifications from a service worker; the header count still shows it.
  }
}

export function notificationsDenied(): boolean {
  return !notificationsSupported() || currentPermission() === 'denied';
}
