import twitter from 'twitter-text';
import type { Rng } from './prng.js';
import { BASE62 } from './prng.js';

export interface XEntities {
  mentions?: { start: number; end: number; username: string; id?: string }[];
  urls?: { start: number; end: number; url: string; expanded_url: string; display_url: string }[];
  hashtags?: { start: number; end: number; tag: string }[];
  cashtags?: { start: number; end: number; tag: string }[];
}

export function weightedLength(text: string): number {
  return twitter.parseTweet(text).weightedLength;
}

/** X entity offsets count code points, twitter-text returns UTF-16 offsets. */
function codePointIndex(text: string, utf16: number): number {
  let cp = 0;
  for (let i = 0; i < utf16 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point: skip the pair's second half.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    cp++;
  }
  return cp;
}

function displayUrl(url: string): string {
  const bare = url.replace(/^https?:\/\//i, '');
  return bare.length > 26 ? `${bare.slice(0, 25)}…` : bare;
}

/**
 * X rewrites every link in a post to a t.co link (each counts 23) and keeps
 * the original in entities. Generated traffic and posted replies get the same
 * treatment; injected text is left exactly as given.
 */
export function wrapLinks(text: string, rng: Rng): { text: string; expanded: Map<string, string> } {
  const urls = twitter.extractUrlsWithIndices(text);
  const expanded = new Map<string, string>();
  if (urls.length === 0) return { text, expanded };
  let out = '';
  let last = 0;
  for (const u of urls) {
    const [start, end] = u.indices;
    const short = `https://t.co/${rng.chars(10, BASE62)}`;
    expanded.set(short, /^https?:\/\//i.test(u.url) ? u.url : `https://${u.url}`);
    out += text.slice(last, start) + short;
    last = end;
  }
  return { text: out + text.slice(last), expanded };
}

export function extractEntities(text: string, expanded: Map<string, string> | undefined, userIdOf: (username: string) => string | undefined): XEntities | undefined {
  const entities: XEntities = {};
  // Hostile text (lone surrogates, NUL, huge inputs) must never break a listing.
  let found: ReturnType<typeof twitter.extractEntitiesWithIndices>;
  try {
    found = twitter.extractEntitiesWithIndices(text);
  } catch {
    return undefined;
  }
  for (const e of found) {
    const start = codePointIndex(text, e.indices[0]);
    const end = codePointIndex(text, e.indices[1]);
    if ('screenName' in e && e.screenName) {
      const id = userIdOf(e.screenName);
      (entities.mentions ??= []).push(id ? { start, end, username: e.screenName, id } : { start, end, username: e.screenName });
    } else if ('url' in e && e.url) {
      const full = expanded?.get(e.url) ?? e.url;
      (entities.urls ??= []).push({ start, end, url: e.url, expanded_url: full, display_url: displayUrl(full) });
    } else if ('hashtag' in e && e.hashtag) {
      (entities.hashtags ??= []).push({ start, end, tag: e.hashtag });
    } else if ('cashtag' in e && e.cashtag) {
      (entities.cashtags ??= []).push({ start, end, tag: e.cashtag });
    }
  }
  return Object.keys(entities).length ? entities : undefined;
}

const DUTCH = /\b(de|het|een|ik|mijn|niet|wel|waar|blijft|pakket|bezorg\w*|jullie|nog|maar|al|dank|graag|hoi|hallo|vandaag|morgen|zijn|is er)\b/i;
const ENGLISH = /\b(the|my|where|parcel|package|delivery|delivered|thanks|please|is|not|you|your|today|tomorrow)\b/i;

/** A rough guess for injected text; X itself answers "und" when it cannot tell. */
export function guessLang(text: string): string {
  const nl = DUTCH.test(text);
  const en = ENGLISH.test(text);
  if (nl && !en) return 'nl';
  if (en && !nl) return 'en';
  if (nl && en) return (text.match(new RegExp(DUTCH.source, 'gi'))?.length ?? 0) >= (text.match(new RegExp(ENGLISH.source, 'gi'))?.length ?? 0) ? 'nl' : 'en';
  return 'und';
}
