/**
 * The team URL without its password. The host already reports it redacted; this
 * is the second line, so that a password can never be echoed by the settings
 * screen, whatever the host sends (`user:secret@` and libpq's `password=`).
 */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1@')
    .replace(/([?&])password=[^&#]*&?/gi, '$1')
    .replace(/[?&]$/, '');
}

/** The shape the host accepts; anything else would only come back as badUrl. */
export function looksLikePostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\/[^\s]+$/i.test(url.trim());
}
