import fc from 'fast-check';
import twitter from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { countText } from '../../shared/textLength';
import { splitThread } from '../../shared/text/split';

/**
 * The thread splitter against random replies that mix what makes splitting
 * hard: CJK (weight 2, no spaces), emoji including ZWJ sequences, flags and
 * skin tones, links with and without a scheme (whatever twitter-text, the
 * counter's own detector, takes for a URL), hashtags and mentions, long words,
 * and every kind of whitespace, glued together or apart.
 */
const w = (s: string) => countText('x_mention', s).length;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const cjk = fc.oneof(
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x3041, max: 0x30fa }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0xac00, max: 0xd7a3 }).map((c) => String.fromCodePoint(c)),
);
const cjkRun = fc.array(cjk, { minLength: 1, maxLength: 160, size: 'large' }).map((a) => a.join(''));
const EMOJI = ['😀', '👍🏽', '🇳🇱', '🇯🇵', '👩‍👩‍👧', '👨🏽‍💻', '🏳️‍🌈', '❤️', '1️⃣', '🧑‍🤝‍🧑', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'];
const emojiRun = fc.array(fc.constantFrom(...EMOJI), { minLength: 1, maxLength: 40, size: 'medium' }).map((a) => a.join(''));
const pathChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_/'.split(''));
const url = fc
  .record({
    scheme: fc.constantFrom('https://', 'http://', 'HTTPS://', ''),
    host: fc.constantFrom('www.polderpost.nl', 'polderpost.nl', 'track.polderpost.com', 'example.co.jp', 't.co', 'klm.com'),
    path: fc.array(pathChars, { maxLength: 90, size: 'medium' }).map((a) => a.join('')),
    query: fc.constantFrom('', '?ref=webcare', '?a=1&b=2', '#faq'),
  })
  .map(({ scheme, host, path, query }) => `${scheme}${host}${path ? `/${path}` : ''}${query}`);
const word = fc.oneof(
  fc.constantFrom('Hoi', 'pakket', 'bezorging', 'excuses', 'vertraging', 'café', 'één', 'q\u0301', '請查看', 'ください', '🙏'),
  fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), { minLength: 1, maxLength: 400, size: 'large' }).map((a) => a.join('')),
);
const entity = fc.constantFrom('#pakketkwijt', '#PolderpostHelpt', '@polderpost', '@KeesMulder_01', '$PPST', '#配達');
const space = fc.constantFrom(' ', ' ', ' ', '  ', '\n', '\n\n', '\t', '\u3000', '\u00a0');
const piece = fc.oneof({ weight: 3, arbitrary: cjkRun }, { weight: 2, arbitrary: emojiRun }, { weight: 3, arbitrary: url }, { weight: 3, arbitrary: word }, { weight: 1, arbitrary: entity });
/** Pieces glued together or separated by whitespace, with whitespace maybe at both ends. */
const reply = fc
  .array(fc.tuple(piece, fc.oneof(fc.constant(''), space)), { minLength: 1, maxLength: 30, size: 'large' })
  .chain((pieces) => fc.tuple(fc.constant(pieces), fc.oneof(fc.constant(''), space), fc.oneof(fc.constant(''), space)))
  .map(([pieces, lead, tail]) => lead + pieces.map(([p, sep]) => p + sep).join('') + tail)
  .filter((t) => t === t.normalize('NFC'));

/**
 * Where each (unnumbered) part stands in the text; fails unless the parts are
 * the text in order with only whitespace dropped between them and at both
 * ends: whole clusters of whitespace (a space with a combining mark on it is
 * no whitespace), and parts neither start nor end with one.
 */
function locate(text: string, bodies: string[]): Array<[number, number]> {
  const clusters = new Map([...graphemes.segment(text)].map((g) => [g.index, g.segment]));
  const blank = (at: number) => /^\s+$/.test(clusters.get(at) ?? '');
  const at: Array<[number, number]> = [];
  let pos = 0;
  for (const body of bodies) {
    expect(body.length).toBeGreaterThan(0);
    while (blank(pos)) pos += clusters.get(pos)?.length ?? 1;
    expect(text.slice(pos, pos + body.length)).toBe(body);
    at.push([pos, pos + body.length]);
    pos += body.length;
  }
  while (blank(pos)) pos += clusters.get(pos)?.length ?? 1;
  expect(pos).toBe(text.length);
  for (const [start, end] of at) {
    expect(blank(start), `a part starts with whitespace at ${start}`).toBe(false);
    const last = [...clusters.keys()].filter((k) => k < end).at(-1) ?? 0;
    expect(blank(last), `a part ends with whitespace at ${end}`).toBe(false);
  }
  return at;
}

function check(text: string, limit: number) {
  const result = splitThread(text, { limit });
  if (!result.ok) {
    // Only a link that cannot fit in a part beside its numbering (` 1/3`) is a reason here.
    expect(result.refusal.reason).toBe('link');
    if (result.refusal.reason === 'link') expect(w(`${result.refusal.link} 9999/9999`)).toBeGreaterThan(limit);
    return;
  }
  const parts = result.parts;
  if (w(text) <= limit) {
    expect(parts).toEqual([text]);
    return;
  }
  for (const p of parts) expect(w(p)).toBeLessThanOrEqual(limit);
  const n = parts.length;
  const bodies = parts.map((p, i) => {
    const suffix = ` ${i + 1}/${n}`;
    expect(p.endsWith(suffix)).toBe(true);
    return p.slice(0, -suffix.length);
  });
  const at = locate(text, bodies);

  const boundaries = new Set([...graphemes.segment(text)].map((s) => s.index));
  boundaries.add(text.length);
  for (const [start, end] of at) {
    expect(boundaries.has(start), `a part starts inside a grapheme at ${start}`).toBe(true);
    expect(boundaries.has(end), `a part ends inside a grapheme at ${end}`).toBe(true);
  }

  for (const { url: link, indices } of twitter.extractUrlsWithIndices(text)) {
    const [from, to] = indices;
    expect(at.filter(([start, end]) => start <= from && to <= end), `the link ${link} is cut`).toHaveLength(1);
  }
  // Each link is still the same link in its part, so X links it there as the
  // agent wrote it (and it weighs 23). Read as a post is: without the
  // whitespace at its start (twitter-text reads `ééwww.polderpost.nl` at the
  // start of a text from its second letter on).
  const lead = at[0]?.[0] ?? 0;
  for (const { url: link, indices } of twitter.extractUrlsWithIndices(text.slice(lead))) {
    const from = indices[0] + lead;
    const [start, end] = at.find(([s, e]) => s <= from && from + link.length <= e) ?? [0, 0];
    expect(twitter.extractUrlsWithIndices(text.slice(start, end)).map((u) => [u.url, u.indices[0]]), `the link ${link} reads differently in its part`).toContainEqual([link, from - start]);
  }

  // A hashtag, mention or cashtag short enough for a part is not cut either
  // (unless it runs into a link, as `#vraagexample.com`: the link is kept whole).
  const links = twitter.extractUrlsWithIndices(text).map((u) => u.indices);
  const tags = [...twitter.extractHashtagsWithIndices(text), ...twitter.extractMentionsWithIndices(text), ...twitter.extractCashtagsWithIndices(text)];
  for (const { indices } of tags) {
    const [from, to] = indices;
    if (w(`${text.slice(from, to)} ${n}/${n}`) > limit || links.some(([f, t]) => f < to && from < t)) continue;
    expect(at.filter(([start, end]) => start <= from && to <= end), `${text.slice(from, to)} is cut`).toHaveLength(1);
  }
}

describe('splitThread (property): links, graphemes and the limit', () => {
  it('keeps every link whole in one part, every part within 280, the text intact and graphemes uncut', () => {
    fc.assert(
      fc.property(reply, (text) => check(text, 280)),
      { numRuns: 300 },
    );
  });

  it('does the same under tighter limits, refusing only where a link cannot fit beside its number', () => {
    fc.assert(
      fc.property(reply, fc.integer({ min: 24, max: 280 }), (text, limit) => check(text, limit)),
      { numRuns: 200 },
    );
  });

  // Known and not yet fixed (found by the property above, seed -135955224): a word glued to a link
  // that twitter-text reads only at a post's start ("éénwww…") must stay in the part of what
  // follows it, and at tight limits that refuses the split naming the first link, which would
  // fit. This case fails until splitThread cuts before the glued word; then drop the `.fails`.
  it.fails('a word glued to a link read only at a post start does not make the split refuse a link that fits', () => {
    check(' https://www.polderpost.nl éénwww.polderpost.nl?ref=webcarehttps://www.polderpost.nl ', 33);
  });
});
