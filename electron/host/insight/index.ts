import type { Message } from '../../../shared/model.js';
import { detectLanguage, languageLoaded, loadLanguage, platformSaysNone } from './language.js';
import { readSentiment } from './sentiment.js';

/**
 * What the host reads from a message as it arrives, before anything stores it:
 * its language (where the platform gave none) and how it sounds. Done here, in
 * the host, once per message, so the board never spends a frame on it and every
 * console of a team reads the same values from the team's copy.
 *
 * withInsight needs the language detector loaded (prepareInsight). A message already read (a team copy coming back, a page read twice) is left
 * as it is: the reading is a function of the text, so doing it again would give
 * the same answer for the same cost.
 */
export function withInsight(m: Message): Message {
  const needsLang = m.langDetected !== true && platformSaysNone(m.lang);
  const needsSentiment = !m.fromUs && m.sentiment === undefined;
  if (!needsLang && !needsSentiment) return m;
  const out: Message = { ...m };
  let lang = m.lang;
  if (needsLang) {
    const found = detectLanguage(m.text);
    // Not found: X's own tag ("und", "media only") stays; it says more than nothing.
    if (found !== undefined) {
      out.lang = found;
      out.langDetected = true;
      lang = found;
    }
  }
  if (needsSentiment) {
    const s = readSentiment(m.text, lang);
    if (s !== undefined) out.sentiment = s;
  }
  return out;
}

/** Every message of a batch through withInsight (insightReady() first, or await prepareInsight()). */
export function readBatch(messages: readonly Message[]): Message[] {
  return READING_OFF ? [...messages] : messages.map(withInsight);
}

/**
 * `WEBCARE_INSIGHT=off` leaves language and sentiment unread: for the bench's
 * measure of what reading costs the ingest (the same burst with and without),
 * never for use.
 */
const READING_OFF = typeof process !== 'undefined' && process.env.WEBCARE_INSIGHT === 'off';

/** Whether reading can start now: the language detector is loaded. */
export function insightReady(): boolean {
  return languageLoaded();
}

/** Loads what reading needs; the host starts it once it is serving, and a first page waits for it. */
export function prepareInsight(): Promise<void> {
  return loadLanguage();
}
