/**
 * Up to two initials for an avatar circle, taken by grapheme (so an emoji,
 * a flag or a letter with combining marks stays whole) from the words of a
 * display name, after dropping invisible and direction-changing characters
 * that would otherwise make an "empty" or reversed circle. Falls back to the
 * handle, then to "?".
 */
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** Combining marks beyond the first two on a letter (zalgo) are dropped. */
const EXCESS_MARKS = /(\p{M}{2})\p{M}+/gu;
const WORD_START = /[\p{L}\p{N}\p{Extended_Pictographic}]/u;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function firstGrapheme(word: string): string | null {
  for (const { segment } of segmenter.segment(word)) {
    if (WORD_START.test(segment)) return segment.replace(EXCESS_MARKS, '$1');
  }
  return null;
}

/**
 * Every card shows an avatar and a burst re-renders hundreds a second, mostly of the same
 * few authors: segmenting their names again each time was the largest of the board's own
 * functions in a storm's profile (0.8 s of 83 s). Kept for the last MAX_REMEMBERED names.
 */
const remembered = new Map<string, string>();
const MAX_REMEMBERED = 2_000;

export function initialsOf(name: string, handle = ''): string {
  const key = `${name}\u0000${handle}`;
  let found = remembered.get(key);
  if (found === undefined) {
    found = readInitials(name, handle);
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(key, found);
  }
  return found;
}

function readInitials(name: string, handle: string): string {
  for (const source of [name, handle]) {
    const words = source.replace(INVISIBLE, '').slice(0, 200).split(/[\s\p{P}]+/u).filter(Boolean);
    const letters: string[] = [];
    for (const word of words) {
      const g = firstGrapheme(word);
      if (g) letters.push(g);
    }
    if (letters.length === 0) continue;
    const picked = letters.length === 1 ? [letters[0]] : [letters[0], letters[letters.length - 1]];
    return picked.join('').toLocaleUpperCase();
  }
  return '?';
}

/** A stable hue (0-359) for an id, so the same author always gets the same colour. */
export function hueOf(id: string): number {
  // FNV-1a: cheap, stable, spreads short ids well.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 360;
}

/** Letters with upper and lower case: where a single letter is an initial rather than a name. */
const CASED_LETTER = /^[\p{Lu}\p{Ll}\p{Lt}]$/u;

/**
 * The first word of a display name with letters in it (`Els` of `Els de Vries`),
 * for greeting a customer by name; empty when there is none, or when that word
 * is only an initial (`K. Evans`, `J.R. Smith`, `k evans`): "Hi K," reads as a
 * mistake, so the reply takes its fallback instead. A one-character word in a
 * script without case (`王`) is a name, not an initial.
 */
export function firstNameOf(name: string): string {
  const clean = name.replace(INVISIBLE, '').trim();
  for (const word of clean.split(/\s+/)) {
    const w = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!/\p{L}/u.test(w)) continue;
    return isInitials(w) ? '' : w;
  }
  return '';
}

/** `K`, `J.R`, `J.-P`, `K.Evans` (a trailing dot is already trimmed): single cased letters, or a word that starts with one and a dot. */
function isInitials(word: string): boolean {
  const w = word.normalize('NFC');
  const single = (p: string) => p.length === 1 && CASED_LETTER.test(p);
  if (/^[\p{L}]\./u.test(w) && single(w.charAt(0))) return true;
  const parts = w.split(/[.\-\u2010]+/).filter(Boolean);
  return parts.length > 0 && parts.every(single);
}
