import type { eld as Eld } from 'eld/small';

/**
 * The language of a message, for every channel: X tags its posts itself, but
 * DMs, Facebook comments and Messenger carry none. Detected here, in the host,
 * as each message arrives, with eld (Efficient Language Detector, Apache-2.0,
 * github.com/nitotm/efficient-language-detector-js): n-gram scores over a fixed
 * database, synchronous, about 25 µs a message. Chosen over tinyld, franc-min,
 * cld3-asm, lande and fastText after measuring all of them on short texts
 * (README, "Language and sentiment"); its `small` database is the best trade
 * of accuracy on one-line texts against memory (about 45 MB, loaded once).
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

type Detector = ReturnType<typeof Eld.newInstance>;
let detector: Detector | null = null;
let loading: Promise<void> | null = null;

/**
 * Loads the detector's database (about 0.7 s of CPU and 45 MB, once). Imported
 * on demand, not with the host: the host is up and serving before it is read,
 * and the first page of messages waits for it (readBatch), so none goes without.
 */
export function loadLanguage(): Promise<void> {
  loading ??= import('eld/small').then(({ eld }) => {
    // An instance of our own: nothing else in the process can change its subset.
    const d = eld.newInstance();
    d.setLanguageSubset([...DETECTED_LANGUAGES]);
    detector = d;
  });
  return loading;
}

export function languageLoaded(): boolean {
  return detector !== null;
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
  if (!detector) throw new Error('the language detector is not loaded yet (await loadLanguage())');
  const r = detector.detect(clean.length > 1000 ? clean.slice(0, 1000) : clean);
  return r.language && r.isReliable() ? r.language : undefined;
}
