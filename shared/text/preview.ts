/**
 * The start of a long text for a card, which clips it visually anyway: keeps
 * the DOM small for 60,000-character posts. Cuts at a code point boundary
 * (never half a surrogate pair, which a plain slice can leave) and marks the cut.
 */
export function previewText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
