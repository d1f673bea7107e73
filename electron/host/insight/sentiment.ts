import { createRequire } from 'node:module';
import Sentiment from 'sentiment';
import type { Sentiment as Reading } from '../../../shared/model.js';
import { LUPJE } from './lupje.js';
import { WEBCARE_EMOJI, WEBCARE_EN, WEBCARE_NL } from './webcareWords.js';

/**
 * How a message sounds, from published word lists: each word of the list found
 * in the text adds its score (-5 to 5), a negation just before it ("not good",
 * "niet goed") turns it round, and the sum's sign is the reading. Emoji count
 * in both languages. The `sentiment` package (MIT) does the counting with its
 * English list, AFINN-165 (Finn Årup Nielsen, ODbL 1.0, shipped unchanged inside
 * the package) and its emoji scores (Kralj Novak et al. 2015, CC BY-SA 4.0);
 * Dutch uses LUPJE (see lupje.ts), built from Dutch tweets the same way. A few
 * words customer service reads differently are set over both (webcareWords.ts).
 *
 * A word count is a triage hint, not a verdict: a complaint without a negative
 * word ("on hold for two hours") reads neutral and sarcasm reads as what it
 * says. The agent's override is what reports count (README, "Insight", has
 * the accuracy measured, and on what). Other languages get no reading rather
 * than a wrong one.
 */
const analyzer = new Sentiment();
const require = createRequire(import.meta.url);

/** Dutch negations that turn the next word round (LUPJE has no rule of its own). */
const NL_NEGATORS = new Set(['niet', 'geen', 'nooit', 'niks', 'niets', 'nergens']);

function dutchLabels(): Record<string, number> {
  const labels: Record<string, number> = {};
  for (const line of LUPJE.split('\n')) {
    const [word, score] = line.split('\t');
    const n = Number(score);
    if (word && Number.isInteger(n)) labels[word] = n;
  }
  return labels;
}

type Strategy = { apply(tokens: string[], cursor: number, score: number): number };

/**
 * Registers a word list under a code of ours. The package adds its emoji scores
 * to the list it is given (the same object), so the webcare emoji go in after.
 */
function register(code: string, labels: Record<string, number>, scoringStrategy: Strategy): void {
  analyzer.registerLanguage(code, { labels, scoringStrategy });
  Object.assign(labels, WEBCARE_EMOJI);
}

/** A negation turns a word round, never an emoji after it ("nog steeds niks 🤬" is angry). */
const WORD = /\p{L}/u;
const wordsOnly = (strategy: Strategy): Strategy => ({ apply: (tokens, i, score) => (WORD.test(tokens[i]!) ? strategy.apply(tokens, i, score) : score) });

const NL = 'nl-webcare';
const EN = 'en-webcare';
register(NL, { ...dutchLabels(), ...WEBCARE_NL }, wordsOnly({ apply: (tokens, i, score) => (i > 0 && NL_NEGATORS.has(tokens[i - 1]!) ? -score : score) }));
// The package's English (AFINN-165 with its emoji and negators), with the webcare words over it.
const english = require('sentiment/languages/en/index.js') as { labels: Record<string, number>; scoringStrategy: Strategy };
register(EN, { ...english.labels, ...WEBCARE_EN }, wordsOnly(english.scoringStrategy));

/** Emoji glued to a word ("boos😡") count only as a word of their own: spaced out first. */
const PICTOGRAPH = /(\p{Extended_Pictographic})/gu;
/** The package's tokenizer keeps quotes and dashes; curly quotes and other punctuation are spaced out here. */
const PUNCT = /[“”‘’«»„…–—()[\]{}<>|+]/gu;

function score(text: string, language: typeof NL | typeof EN): number {
  return analyzer.analyze(text, { language }).score;
}

/**
 * The reading of a text in a language (BCP 47; "nl-BE" reads as Dutch), or
 * undefined for a language without a word list. With no language known (too
 * short to tell), both lists are summed: their words barely overlap.
 */
export function readSentiment(text: string, lang: string | undefined): Reading | undefined {
  const base = lang?.toLowerCase().split('-')[0];
  if (base !== undefined && base !== 'nl' && base !== 'en' && base !== 'und' && !/^q[a-z]{2}$/.test(base) && base !== 'zxx') return undefined;
  const t = (text.length > 2000 ? text.slice(0, 2000) : text).replace(PICTOGRAPH, ' $1 ').replace(PUNCT, ' ');
  const sum = base === 'nl' ? score(t, NL) : base === 'en' ? score(t, EN) : score(t, NL) + score(t, EN);
  return sum > 0 ? 'positive' : sum < 0 ? 'negative' : 'neutral';
}
