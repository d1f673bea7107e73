import { countText } from '../textLength.js';

/**
 * An over-long X answer as a numbered thread of replies (`… 1/3`), each part
 * within X's 280 weighted characters by the same count the composer shows
 * (twitter-text: URLs 23, emoji 2, CJK 2). Parts break between words where
 * they can; a word longer than a whole part is cut between graphemes, so an
 * emoji, a flag, a surrogate pair or a letter with its accents is never split.
 * A link is never cut (it weighs 23 wherever it stands).
 */
export interface SplitOptions {
  /** Weighted limit per part; X's is 280. */
  limit?: number;
  /** Number the parts (` 1/3`); on by default. */
  numbered?: boolean;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const weight = (s: string) => countText('x_mention', s).length;

const suffixOf = (i: number, n: number) => ` ${i}/${n}`;

/** Words with the spacing that follows each, so joining them gives the text back. */
function tokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** A token too long for any part, cut into pieces that fit `room`, between graphemes. */
function cutToken(token: string, room: number): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (const { segment } of graphemes.segment(token)) {
    if (cur && weight(cur + segment) > room) {
      pieces.push(cur);
      cur = '';
    }
    cur += segment;
  }
  if (cur) pieces.push(cur);
  return pieces;
}

/** Greedy fill: every part plus its widest suffix stays within `limit`. */
function fill(text: string, limit: number, suffixWidth: number): string[] {
  const room = limit - suffixWidth;
  const parts: string[] = [];
  let cur = '';
  const flush = () => {
    const trimmed = cur.trim();
    if (trimmed) parts.push(trimmed);
    cur = '';
  };
  for (const token of tokens(text)) {
    if (weight((cur + token).trimEnd()) <= room) {
      cur += token;
      continue;
    }
    flush();
    if (weight(token.trimEnd()) <= room) {
      cur = token.trimStart();
      continue;
    }
    const pieces = cutToken(token.trimEnd(), room);
    for (const piece of pieces.slice(0, -1)) parts.push(piece);
    cur = (pieces.at(-1) ?? '') + token.slice(token.trimEnd().length);
  }
  flush();
  return parts;
}

/**
 * The parts of `text`: one part (unchanged, no number) when it fits; otherwise
 * numbered parts `text 1/n`. Every returned part weighs at most `limit`.
 */
export function splitThread(text: string, opts: SplitOptions = {}): string[] {
  const limit = opts.limit ?? 280;
  const numbered = opts.numbered ?? true;
  if (weight(text) <= limit) return text.trim() ? [text] : [];
  // Assume a digit count for the total, fill, and widen when the total needs more digits.
  for (let digits = 1; digits <= 4; digits++) {
    const widest = numbered ? suffixOf(10 ** digits - 1, 10 ** digits - 1).length : 0;
    const parts = fill(text, limit, widest);
    if (parts.length < 10 ** digits || !numbered) {
      return numbered ? parts.map((p, i) => p + suffixOf(i + 1, parts.length)) : parts;
    }
  }
  throw new Error('text too long to split');
}

/** How many parts `text` would become. */
export function threadLength(text: string, opts: SplitOptions = {}): number {
  return splitThread(text, opts).length;
}
