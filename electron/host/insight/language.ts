import { eld } from 'eld/small';

/**
 * The language of a message, for every channel: X tags its posts itself, but
 * DMs, Facebook comments and Messenger carry none. Detected here, in the host,
 * as each message arrives, with eld (Efficient Language Detector, Apache-2.0,
 * github.com/nitotm/efficient-language-detector-js): n-gram scores over a fixed
 * database, synchronous, about 25 µs a message. Chosen over tinyld, franc-min,
 * cld3-asm, lande and fastText after measuring all of them on short texts
 * (README, "Insight"); its `small` database is the best trade of accuracy on
 * one-line texts against memory (about 45 MB, loaded once).
 *
 * Only the languages a Dutch webcare team meets are candidates: a text is
 * never tagged as a language nobody on the team reads, and a short text has
 * fewer look-alikes to be mistaken for (restricting to the team's languages
 * took short texts from 95.7 % to 98.4 % right).
 */
export const DETECTED_LANGUAGES = ['nl', 'en', 'de', 'fr', 'es', 'it', 'pt', 'tr', 'ar', 'pl', 'ro', 'ru', 'uk', 'zh', 'ja', 'id'] as const;

/**
 * X's tags that say "no language": undetermined, media, hashtags, mentions or
 * links only, no linguistic content (developer.x.com, "Post object: lang";
 * `qme`, `qht`, `qam`, `qst`, `qct`, `zxx` are documented there). Those posts
 * are detected here like any other message.
 */
export function platformSaysNone(lang: string | undefined): boolean {
  if (lang === undefined) return true;
  const l = lang.toLowerCase();
  return l === '' || l === 'und' || l === 'zxx' || /^q[a-z]{2}$/.test(l);
}

const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/giu;
const HANDLE = /(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_]+/gu;
/** Tracking codes, order numbers, times and prices: any word with a digit in it. */
const CODE = /\S*\p{N}\S*/gu;
const LETTER = /\p{L}/gu;
/** Fewer letters than this (an emoji, "ok", a code) tell nothing: no guess. */
const MIN_LETTERS = 3;

let detector: ReturnType<typeof eld.newInstance> | null = null;

/** The detector (the database itself is read when this module is imported, about 0.7 s at the host's start). */
function instance(): ReturnType<typeof eld.newInstance> {
  if (!detector) {
    // An instance of our own: nothing else in the process can change its subset.
    detector = eld.newInstance();
    detector.setLanguageSubset([...DETECTED_LANGUAGES]);
  }
  return detector;
}

/**
 * The language of a text as an ISO 639-1 code, or undefined when it cannot be
 * told (too short, only handles, links, codes or emoji, or no reliable guess):
 * an unknown language is better than a wrong one in a filter or a route.
 */
export function detectLanguage(text: string): string | undefined {
  const clean = text.replace(URL, ' ').replace(HANDLE, '$1 ').replace(CODE, ' ').replace(/#/gu, '').replace(/\s+/gu, ' ').trim();
  let letters = 0;
  for (const _ of clean.matchAll(LETTER)) if (++letters >= MIN_LETTERS) break;
  if (letters < MIN_LETTERS) return undefined;
  const r = instance().detect(clean.length > 1000 ? clean.slice(0, 1000) : clean);
  return r.language && r.isReliable() ? r.language : undefined;
}
