/**
 * Which sent replies a lead reviews: a sample of N per agent per day, the same
 * on every console that holds the same replies (no randomness, no clock), so two
 * leads reviewing the same day see the same replies and never score two
 * different samples. Pure.
 *
 * Each reply gets a rank from a hash of the day and its key; per agent the N
 * lowest ranks are the sample. A reply arriving later enters the sample only if
 * it ranks lower than one in it, so the sample changes little as the cache
 * fills; replies already reviewed always stay in it (a lead's work never
 * disappears from the list), and count towards the N.
 */

export interface SentReply {
  /** The message key. */
  key: string;
  /** Who wrote it: the team login. */
  author: string;
  createdAt: number;
}

export interface SampleOptions {
  /** Replies per agent (at least 1). */
  perAgent: number;
  /** The day sampled ('2026-12-04'): the same day gives the same sample. */
  day: string;
  /** Keys already reviewed: kept in the sample whatever their rank. */
  reviewed?: ReadonlySet<string>;
}

/** 32-bit FNV-1a over the UTF-16 code units: small, fast and the same in every engine. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A reply's place in the day's order (lower is sampled first). */
export function sampleRank(day: string, key: string): number {
  return fnv1a(`${day}\u0000${key}`);
}

/**
 * The sample per author (authors in name order, each author's replies oldest
 * first). Replies are taken as given: the caller picks those of the day.
 */
export function reviewSample(replies: readonly SentReply[], opts: SampleOptions): Map<string, SentReply[]> {
  const n = Math.max(1, Math.floor(opts.perAgent));
  const reviewed = opts.reviewed ?? new Set<string>();
  const byAuthor = new Map<string, SentReply[]>();
  const seen = new Set<string>();
  for (const r of replies) {
    // The same reply twice (a cache read from two places) is one reply.
    if (!r.author || seen.has(r.key)) continue;
    seen.add(r.key);
    const list = byAuthor.get(r.author);
    if (list) list.push(r);
    else byAuthor.set(r.author, [r]);
  }
  const out = new Map<string, SentReply[]>();
  for (const author of [...byAuthor.keys()].sort()) {
    const list = byAuthor.get(author)!;
    const kept = list.filter((r) => reviewed.has(r.key));
    const rest = list
      .filter((r) => !reviewed.has(r.key))
      .map((r) => ({ r, rank: sampleRank(opts.day, r.key) }))
      // Equal ranks (a hash collision) are broken by key, so the order never depends on the input's.
      .sort((a, b) => a.rank - b.rank || (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : 0))
      .map((x) => x.r);
    const picked = [...kept, ...rest.slice(0, Math.max(0, n - kept.length))];
    out.set(
      author,
      picked.sort((a, b) => a.createdAt - b.createdAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    );
  }
  return out;
}
