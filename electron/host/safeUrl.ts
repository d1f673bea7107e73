// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BIDI_OR_CONTROL = /[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * The one gate before the system browser opens anything: only https, no
 * userinfo (https://www.klm.com@evil.example), no control or bidi characters.
 * Parsed with the URL parser, never compared with startsWith (Electron's security
 * checklist: do not use shell.openExternal with untrusted content,
 * https://www.electronjs.org/docs/latest/tutorial/security).
 * Returns the normalised URL, or null when it must not be opened.
 */
export function safeExternalUrl(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 4096 || BIDI_OR_CONTROL.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || !url.hostname) return null;
  return url.toString();
}
