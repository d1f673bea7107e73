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

/** Asks once; answers whether notifications may be shown. */
export async function ensureNotificationPermission(): Promise<boolean> {
  if (!notificationsSupported()) return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

export function showNotification(title: string, body: string, tag: string): void {
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body, tag, silent: true });
  } catch {
    // Some platforms only allow notifications from a service worker; the header count still shows it.
  }
}

export function notificationsDenied(): boolean {
  return !notificationsSupported() || Notification.permission === 'denied';
}
