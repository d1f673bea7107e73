/**
 * Untrusted text (a post, a comment, a display name) split into pieces the
 * renderer can show without ever parsing markup: plain text, links, mentions
 * and hashtags. Nothing here produces HTML; a renderer maps each piece to a
 * text node or one allowlisted element, so markup stays inert (the 2014
 * TweetDeck XSS worm began where escaped text was turned back into HTML:
 * http://gizmodo.com/how-yesterdays-huge-tweetdeck-vulnerability-happened-1589852135).
 *
 * A link is made only for a plain http(s) URL the WHATWG parser accepts, with
 * no userinfo (`https://www.klm.com@evil.example`), no backslash and no
 * invisible or direction-changing characters (Signal-Desktop #4568). Anything
 * else stays text. The scan is linear: a rejected URL run is skipped whole, so
 * hostile input (a 64 KB URL, 20,000 spaces) cannot make it quadratic.
 */
export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string; handle: string }
  | { kind: 'hashtag'; text: string; tag: string };

/** Longer URLs are shown as text; the host's external opener refuses them anyway. */
export const MAX_LINK_LENGTH = 4096;

/**
 * Characters that make a URL look like something it is not: bidi embeddings,
 * overrides, isolates and marks; zero-width and other invisible format
 * characters; C0 and C1 controls. A URL containing any of them is not a link.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const DECEPTIVE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\\]/;

/** Characters that end a URL: whitespace, quotes, angle brackets, backticks. */
const URL_END = /[\s"'<>`]/;

/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = new Set(['.', ',', '!', '?', ')', ':', ';', '…']);

const FIND = /https?:\/\/|[@#]/gi;
/** X handles: 1-15 of A-Z, a-z, 0-9, _ (longer runs are not handles at all). */
const MENTION = /@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_@])/y;
const HASHTAG = /#([\p{L}\p{M}\p{N}_]{1,139})(?![\p{L}\p{M}\p{N}_])/uy;
const WORDISH = /[\p{L}\p{N}_]/u;
const MENTION_BLOCKED_BEFORE = /[\p{L}\p{N}_!#$%&*@]/u;
const HASHTAG_BLOCKED_BEFORE = /[\p{L}\p{N}_&/]/u;
const ONLY_DIGITS = /^[\p{N}_]+$/u;

interface ParsedUrl {
  protocol: string;
  username: string;
  password: string;
  hostname: string;
  href: string;
}

/**
 * shared/ has no DOM or Node types, but every runtime we target (Chromium,
 * Electron, Node) has the WHATWG URL parser as a global.
 */
const UrlParser = (globalThis as unknown as { URL: new (input: string) => ParsedUrl }).URL;

/** The normalised href when `raw` is a URL we may show as a link, else null. */
export function safeLinkHref(raw: string): string | null {
  if (raw.length > MAX_LINK_LENGTH || DECEPTIVE.test(raw)) return null;
  if (!/^https?:\/\//i.test(raw)) return null;
  let url: ParsedUrl;
  try {
    url = new UrlParser(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || !url.hostname) return null;
  return url.href;
}

/** Where a URL candidate starting at `start` ends (exclusive), before trimming punctuation. */
function urlRunEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && !URL_END.test(text.charAt(i))) i++;
  return i;
}

/** Drops sentence punctuation from the end; a `)` stays when it closes a `(` inside the URL (Wikipedia). */
function trimTrailing(candidate: string): string {
  let end = candidate.length;
  while (end > 0) {
    const ch = candidate.charAt(end - 1);
    if (!TRAILING.has(ch)) break;
    if (ch === ')') {
      const body = candidate.slice(0, end);
      const opens = body.split('(').length - 1;
      const closes = body.split(')').length - 1;
      if (opens >= closes) break;
    }
    end--;
  }
  return candidate.slice(0, end);
}

export function segmentText(text: string): Segment[] {
  const out: Segment[] = [];
  let buffer = '';
  const pushText = (s: string) => {
    buffer += s;
  };
  const flush = () => {
    if (buffer) out.push({ kind: 'text', text: buffer });
    buffer = '';
  };

  let pos = 0;
  while (pos < text.length) {
    FIND.lastIndex = pos;
    const found = FIND.exec(text);
    if (!found) break;
    const at = found.index;
    pushText(text.slice(pos, at));
    const before = at > 0 ? text.charAt(at - 1) : '';
    const lead = text.charAt(at);

    if (lead === '@') {
      MENTION.lastIndex = at;
      const m = before === '' || !MENTION_BLOCKED_BEFORE.test(before) ? MENTION.exec(text) : null;
      if (m?.[1]) {
        flush();
        out.push({ kind: 'mention', text: m[0], handle: m[1] });
        pos = at + m[0].length;
      } else {
        pushText('@');
        pos = at + 1;
      }
      continue;
    }

    if (lead === '#') {
      HASHTAG.lastIndex = at;
      const m = before === '' || !HASHTAG_BLOCKED_BEFORE.test(before) ? HASHTAG.exec(text) : null;
      if (m?.[1] && !ONLY_DIGITS.test(m[1])) {
        flush();
        out.push({ kind: 'hashtag', text: m[0], tag: m[1] });
        pos = at + m[0].length;
      } else {
        pushText('#');
        pos = at + 1;
      }
      continue;
    }

    // A URL: only at a word boundary (not "xhttps://"), ended by whitespace, quotes, < > or `.
    const runEnd = urlRunEnd(text, at);
    if (before && WORDISH.test(before)) {
      pushText(text.slice(at, runEnd));
      pos = runEnd;
      continue;
    }
    const candidate = trimTrailing(text.slice(at, runEnd));
    const href = safeLinkHref(candidate);
    if (href) {
      flush();
      out.push({ kind: 'link', text: candidate, href });
      pos = at + candidate.length;
    } else {
      // The whole run stays text, so a rejected URL is never partly linked.
      pushText(text.slice(at, runEnd));
      pos = runEnd;
    }
  }
  pushText(text.slice(pos));
  flush();
  return out;
}

/** Only https (an avatar, "open on platform"): the same checks as a link, and no plain http. */
export function safeHttpsHref(raw: string | undefined): string | null {
  if (!raw) return null;
  const href = safeLinkHref(raw);
  return href && /^https:/i.test(href) ? href : null;
}
