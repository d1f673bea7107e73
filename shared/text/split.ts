import twitter from 'twitter-text';
import { countText } from '../textLength.js';

/**
 * An over-long X answer as a numbered thread of replies (`… 1/3`), each part
 * within X's 280 weighted characters by the same count the composer shows
 * (twitter-text: URLs 23, emoji 2, CJK 2), numbering included.
 *
 * Contract: the parts, without their numbering, are the text cut into pieces
 * in order, nothing added or changed; only whitespace is dropped, at the cut
 * points and at both ends. A cut falls, in order of preference, in whitespace;
 * inside a word (a run with no whitespace, such as CJK) but outside a hashtag,
 * mention or cashtag; inside one of those only when it is longer than a part.
 * A word that would not fit in a part of its own anyway starts in the part
 * before it rather than leave that part short.
 *
 * Never cut: a grapheme cluster (an emoji with its ZWJ sequence, skin tone or
 * flag pair, a surrogate pair, a letter with its accents) and a link, that is
 * every URL twitter-text finds (with or without a scheme; X shortens each to a
 * t.co link of 23) and any `http(s)://` run too long for X to link. When such a
 * piece cannot fit in a part together with its numbering, the split is refused
 * with the reason, never made with a broken link.
 */
export interface SplitOptions {
  /** Weighted limit per part; X's is 280. */
  limit?: number;
  /** Number the parts (` 1/3`); on by default. */
  numbered?: boolean;
}

export type SplitRefusal =
  /** This link does not fit in one part with its numbering. */
  | { reason: 'link'; link: string }
  /** A grapheme cluster (a letter with very many marks) heavier than a part. */
  | { reason: 'unbreakable'; text: string }
  /** More than MAX_THREAD_PARTS parts. */
  | { reason: 'tooManyParts' };

export type SplitResult = { ok: true; parts: string[] } | { ok: false; refusal: SplitRefusal };

const MAX_DIGITS = 4;
/** The most parts a thread can have: ` 9999/9999` is the widest numbering. */
export const MAX_THREAD_PARTS = 10 ** MAX_DIGITS - 1;
/** twitter-text links no URL longer than this, so X would show a longer one as plain, broken text. */
const MAX_URL_LENGTH = 4096;
const LONG_LINK = /https?:\/\/[\x21-\x7e]+/gi;
const SPACE = /^\s+$/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Characters before which a grapheme cluster always begins (ASCII, common
 * whitespace, CJK ideographs, kana, Hangul syllables), unless the character
 * before is a Prepend, an LF follows a CR, or a syllable follows a leading jamo.
 */
const CLUSTER_START = /[\t\n\x20-\x7e\u3000\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff\uac00-\ud7a3]/;
const GLUES_TO_NEXT = /[\r\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u{110bd}\u{110cd}\u0d4e\u1100-\u115f\ua960-\ua97c\u{111c2}\u{111c3}\u{1193f}\u{11941}\u{11a3a}\u{11a84}-\u{11a89}\u{11d46}\u{11f02}]/u;
const CHUNK = 256;

/** The code point that ends just before `at`. */
function lastCodePoint(text: string, at: number): string {
  const low = text.charCodeAt(at - 1);
  return text.slice(low >= 0xdc00 && low <= 0xdfff && at >= 2 ? at - 2 : at - 1, at);
}

/**
 * Where each grapheme cluster of `text` starts, plus `text.length`. The text
 * is segmented in chunks that end where a cluster surely starts: V8 makes
 * every segment of one long text in time proportional to the whole text.
 */
function clusterStarts(text: string): number[] {
  const starts: number[] = [];
  let from = 0;
  while (from < text.length) {
    let to = Math.min(from + CHUNK, text.length);
    while (to < text.length && !(CLUSTER_START.test(text.charAt(to)) && !GLUES_TO_NEXT.test(lastCodePoint(text, to)))) to++;
    for (const g of graphemes.segment(text.slice(from, to))) starts.push(from + g.index);
    from = to;
  }
  starts.push(text.length);
  return starts;
}

const weight = (s: string) => countText('x_mention', s).length;

const suffixOf = (i: number, n: number) => ` ${i}/${n}`;

/** How much a cut right after a unit is preferred: inside a hashtag, mention or cashtag; between two graphemes of a word; at whitespace (or the end). */
const ENTITY = 0;
const WORD = 1;
const SPACE_CUT = 2;
type Cut = typeof ENTITY | typeof WORD | typeof SPACE_CUT;

/** A link in the text: where it stands, and where in the NFC text X looks at (null for a run too long for X to link). */
interface Link {
  from: number;
  to: number;
  norm: [number, number] | null;
}

/** The smallest pieces the text is cut into: a grapheme cluster, a link with whatever clusters overlap it, or whitespace. */
interface Unit {
  start: number;
  end: number;
  space: boolean;
  /** The link this unit holds, if any. */
  link: Link | null;
  /** Its weight on its own; a part weighs about the sum of its units. */
  weight: number;
  /** Preference of a cut right after this unit. */
  cut: Cut;
  /** No part may end here: the next part would start with a link that X reads differently at the start of a post. */
  noEnd: boolean;
}

interface Layout {
  text: string;
  /** The text in NFC, normalised cluster by cluster (NFC never reaches across a cluster), as X sees it. */
  norm: string;
  /** For each cluster boundary of `text`, the same place in `norm`. */
  normAt: Int32Array;
  units: Unit[];
}

/** The links twitter-text finds in `norm`, as [from, to) in `norm`. */
const linksIn = (norm: string) => twitter.extractUrlsWithIndices(norm).map((u) => u.indices);

/** `starts`: where each cluster of `text` starts, and `text.length`. */
function layout(text: string, starts: number[]): Layout {
  const normAt = new Int32Array(text.length + 1);
  const clusterAt: number[] = [];
  let norm = '';
  for (let i = 0; i < starts.length - 1; i++) {
    const [from, to] = [starts[i] ?? 0, starts[i + 1] ?? text.length];
    normAt[from] = norm.length;
    clusterAt.push(norm.length);
    norm += text.slice(from, to).normalize('NFC');
  }
  normAt[text.length] = norm.length;
  clusterAt.push(norm.length);
  /** The start in `text` of the cluster holding `norm` offset `at`. */
  const clusterStart = (at: number): number => {
    let lo = 0;
    let hi = clusterAt.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((clusterAt[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const back = ([from, to]: [number, number]): [number, number] => [starts[clusterStart(from)] ?? 0, starts[clusterStart(to - 1) + 1] ?? text.length];

  const links: Link[] = linksIn(norm).map((n) => {
    const [from, to] = back(n);
    return { from, to, norm: n };
  });
  for (const m of text.matchAll(LONG_LINK)) if (m[0].length > MAX_URL_LENGTH) links.push({ from: m.index, to: m.index + m[0].length, norm: null });
  // A tag that runs into a link (`#vraagexample.com`) cannot be kept whole anyway: the link is.
  const tags = [...twitter.extractHashtagsWithIndices(norm), ...twitter.extractMentionsWithIndices(norm), ...twitter.extractCashtagsWithIndices(norm)]
    .map((e) => back(e.indices))
    .filter(([from, to]) => !links.some((l) => l.from < to && from < l.to));

  // Offsets a cut may not fall on (inside a link), and those it should avoid (inside a tag).
  const linkAt: Array<Link | undefined> = [];
  const inLink = new Uint8Array(text.length + 1);
  const inTag = new Uint8Array(text.length + 1);
  for (const l of links) {
    inLink.fill(1, l.from + 1, l.to);
    for (let k = l.from; k < l.to; k++) linkAt[k] ??= l;
  }
  for (const [from, to] of tags) inTag.fill(1, from + 1, to);

  const memo = new Map<string, number>();
  const weigh = (s: string) => {
    let w = memo.get(s);
    if (w === undefined) memo.set(s, (w = weight(s)));
    return w;
  };
  const units: Unit[] = [];
  let from = 0;
  for (let i = 1; i < starts.length; i++) {
    const at = starts[i] ?? text.length;
    if (at < text.length && inLink[at]) continue;
    const s = text.slice(from, at);
    let link: Link | null = null;
    for (let k = from; k < at && !link; k++) link = linkAt[k] ?? null;
    units.push({ start: from, end: at, space: SPACE.test(s), link, weight: weigh(s), cut: WORD, noEnd: false });
    from = at;
  }
  let lastWord = -1;
  for (let i = 0; i < units.length; i++) {
    const u = units[i] as Unit;
    const next = units[i + 1];
    u.cut = !next || u.space || next.space ? SPACE_CUT : inTag[u.end] ? ENTITY : WORD;
    if (u.space) continue;
    // twitter-text reads some links differently at the very start of a post
    // (`ééwww.polderpost.nl` becomes a link from the second letter on): keep
    // such a link in one part with what stands before it.
    const n = u.link?.norm;
    if (n && lastWord >= 0 && !sameLinks(linksIn(norm.slice(normAt[u.start], normAt[u.end])), [n], normAt[u.start] ?? 0)) {
      (units[lastWord] as Unit).noEnd = true;
    }
    lastWord = i;
  }
  return { text, norm, normAt, units };
}

/** Whether `found` (in a piece of the NFC text starting at `offset`) holds every link of `expected` where it stands. */
function sameLinks(found: Array<[number, number]>, expected: Array<[number, number]>, offset: number): boolean {
  return expected.every(([from, to]) => found.some(([f, t]) => f + offset === from && t + offset === to));
}

/**
 * Greedy fill: each part as long as it can be with the cut most preferred,
 * checked with the real count (part plus its widest numbering) and with
 * twitter-text finding every link of the part just as in the whole text.
 */
function fill({ text, norm, normAt, units }: Layout, limit: number, suffix: string): string[] | SplitRefusal {
  const room = limit - weight(suffix);
  const fits = (i: number, j: number): boolean => {
    const [start, end] = [(units[i] as Unit).start, (units[j] as Unit).end];
    if (weight(text.slice(start, end) + suffix) > limit) return false;
    const links: Array<[number, number]> = [];
    for (let k = i; k <= j; k++) {
      const n = units[k]?.link?.norm;
      if (n && !links.includes(n)) links.push(n);
    }
    const from = normAt[start] ?? 0;
    return links.length === 0 || sameLinks(linksIn(norm.slice(from, normAt[end]) + suffix), links, from);
  };
  const parts: string[] = [];
  let i = 0;
  while (i < units.length && units[i]?.space) i++;
  while (i < units.length) {
    // Candidate ends (index of the last unit of the part) per kind of cut, nearest first.
    const ends: [number[], number[], number[]] = [[], [], []];
    let sum = 0;
    for (let j = i; j < units.length; j++) {
      const u = units[j] as Unit;
      sum += u.weight;
      if (sum > room && j > i) break;
      if (!u.space && !u.noEnd) ends[u.cut].push(j);
    }
    const [entity, word, space] = ends;
    // A word heavier than a whole part is cut anyway: start it here instead of leaving this part short.
    const lastSpace = space.at(-1);
    const longWordNext = lastSpace !== undefined && wordAfter(units, lastSpace, room) > room;
    const byPreference = [...(longWordNext ? word.filter((j) => j > lastSpace).reverse() : []), ...space.reverse(), ...word.reverse(), ...entity.reverse()];
    const end = byPreference.find((j) => fits(i, j));
    if (end === undefined) return refusal(text, units, i, suffix, limit);
    parts.push(text.slice((units[i] as Unit).start, (units[end] as Unit).end));
    i = end + 1;
    while (i < units.length && units[i]?.space) i++;
  }
  return parts;
}

/** Why no part can start at unit `i`: a cluster heavier than a part, or else the link that cannot be cut. */
function refusal(text: string, units: Unit[], i: number, suffix: string, limit: number): SplitRefusal {
  const first = units[i] as Unit;
  if (!first.link && weight(text.slice(first.start, first.end) + suffix) > limit) return { reason: 'unbreakable', text: text.slice(first.start, first.end) };
  for (let k = i; k < units.length; k++) {
    const link = units[k]?.link;
    if (link) return { reason: 'link', link: text.slice(link.from, link.to) };
  }
  return { reason: 'unbreakable', text: text.slice(first.start, first.end) };
}

/** The weight of the word after the whitespace that follows unit `after`, counted up to just past `room`. */
function wordAfter(units: Unit[], after: number, room: number): number {
  let j = after + 1;
  while (j < units.length && units[j]?.space) j++;
  let sum = 0;
  for (; j < units.length; j++) {
    const u = units[j] as Unit;
    sum += u.weight;
    if (u.cut === SPACE_CUT || sum > room) break;
  }
  return sum;
}

/**
 * The parts of `text`: one part (unchanged, no number) when it fits; otherwise
 * numbered parts `text 1/n`, each weighing at most `limit` with its number. A
 * blank text has no parts. Refused, with the reason, where it would take a
 * broken link or cluster.
 */
export function splitThread(text: string, opts: SplitOptions = {}): SplitResult {
  const limit = opts.limit ?? 280;
  const numbered = opts.numbered ?? true;
  if (!text.trim()) return { ok: true, parts: [] };
  if (weight(text) <= limit) return { ok: true, parts: [text] };
  // The whitespace at both ends goes first, so that a link at the start is read as at the start of a post.
  const starts = clusterStarts(text);
  const cluster = (k: number) => text.slice(starts[k], starts[k + 1]);
  let [first, last] = [0, starts.length - 2];
  while (first < last && SPACE.test(cluster(first))) first++;
  while (last > first && SPACE.test(cluster(last))) last--;
  const [from, to] = [starts[first] ?? 0, starts[last + 1] ?? text.length];
  const laid = layout(
    text.slice(from, to),
    starts.slice(first, last + 2).map((at) => at - from),
  );
  // Assume a digit count for the total, fill, and widen when the total needs more digits.
  for (let digits = 1; digits <= MAX_DIGITS; digits++) {
    const widest = 10 ** digits - 1;
    const parts = fill(laid, limit, numbered ? suffixOf(widest, widest) : '');
    if (!Array.isArray(parts)) return { ok: false, refusal: parts };
    if (!numbered) return { ok: true, parts };
    if (parts.length <= widest) return { ok: true, parts: parts.map((p, i) => p + suffixOf(i + 1, parts.length)) };
  }
  return { ok: false, refusal: { reason: 'tooManyParts' } };
}
