/**
 * Words for search, the same for what is indexed and what is typed (the query
 * language, shared/filter.ts, folds and splits with these rules): Unicode
 * compatibility-decomposed (so "ĳ" is "ij" and "ﬁ" is "fi"), accents dropped
 * ("café" is "cafe", "één" is "een"), lower case, split on anything that is not
 * a letter or digit. Dutch and English need no stemming for a word-prefix
 * search: "verbin" finds "verbinding" and "verbindingen" alike.
 */

/** Longer words are cut: nobody types 40 characters of one word, and keys stay small. */
export const MAX_WORD_LENGTH = 40;
/** A long comment still gets a bounded index row. */
export const MAX_WORDS = 400;

const MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/** Case- and diacritics-insensitive form of a text. */
export function fold(text: string): string {
  // ß has no decomposition; "straße" should still match "strasse". Marks already in the text go
  // before normalising: sorting a long run of stacked marks takes time growing with its square.
  return text.replace(MARKS, '').normalize('NFKD').replace(MARKS, '').toLowerCase().replace(/ß/g, 'ss');
}

/**
 * Every distinct word of a text, folded, in first-seen order. Single letters are left out: "'s", "u", "a" only add noise.
 * `folded`: the text is already fold()ed (folding twice is not always the same as once: "İ").
 */
export function words(text: string, folded = false): string[] {
  const seen = new Set<string>();
  for (const m of (folded ? text : fold(text)).matchAll(WORD)) {
    const w = m[0].length > MAX_WORD_LENGTH ? m[0].slice(0, MAX_WORD_LENGTH) : m[0];
    if (w.length < 2) continue;
    seen.add(w);
    if (seen.size >= MAX_WORDS) break;
  }
  return [...seen];
}

/** A piece of a text for display: `hit` when the word it is in starts with one of the terms. */
export interface Marked {
  text: string;
  hit: boolean;
}

/**
 * Splits a text into plain and matching runs for highlighting (shown as text
 * nodes, never markup). A whole word is marked when its folded form starts
 * with a term.
 */
export function markTerms(text: string, terms: readonly string[]): Marked[] {
  if (terms.length === 0) return text ? [{ text, hit: false }] : [];
  const out: Marked[] = [];
  let last = 0;
  const push = (t: string, hit: boolean) => {
    if (!t) return;
    const prev = out[out.length - 1];
    if (prev && prev.hit === hit) prev.text += t;
    else out.push({ text: t, hit });
  };
  const may = mayStartTerm(terms);
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    if (!may(m[0])) continue;
    const folded = fold(m[0]);
    if (!terms.some((t) => folded.startsWith(t))) continue;
    push(text.slice(last, m.index), false);
    push(m[0], true);
    last = m.index + m[0].length;
  }
  push(text.slice(last), false);
  return out;
}

/** About `max` characters of a long text around the first word that starts with a term, cut at code points. */
export function excerptAround(text: string, terms: readonly string[], max: number): string {
  if (text.length <= max) return text;
  let at = 0;
  const may = mayStartTerm(terms);
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    if (!may(m[0])) continue;
    const folded = fold(m[0]);
    if (terms.some((t) => folded.startsWith(t))) {
      at = m.index;
      break;
    }
  }
  let start = Math.max(0, Math.min(at - Math.floor(max / 3), text.length - max));
  let end = start + max;
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start++;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/** A quick no for words that cannot match: an ASCII first letter that starts no term (folding is the costly part). */
function mayStartTerm(terms: readonly string[]): (word: string) => boolean {
  const firsts = new Set(terms.map((t) => t[0]));
  return (word) => {
    const c = word.charCodeAt(0);
    return c >= 0x80 || firsts.has(word[0]?.toLowerCase());
  };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
