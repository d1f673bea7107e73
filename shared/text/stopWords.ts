/**
 * The commonest function words of Dutch and English, as fold()/words() give them
 * (shared/text/fold.ts): kept in a message's search row but out of the words
 * index (renderer/src/search/searchIndex.ts).
 *
 * Why: in Chromium's IndexedDB every entry of an index is a write of its own, and
 * the words index is most of what storing a message costs. In webcare messages a
 * third to almost half of the distinct words of a message are words like these
 * (measured on the labelled texts of test/fixtures/insight: 44 % of the Dutch
 * webcare messages' words, 36 % of the English ones', 31 % of 500 tweets'), and
 * nobody finds a message by "de" or "the": a search for them alone walks the
 * messages newest first, as for any prefix of countless words.
 *
 * A typed word that a stop word starts with ("nie" or "niet" of "niet") is never
 * looked up in the index: a row may lack the words it stands for there. The row
 * keeps them (`rest`), so a row still rules out a message for "niet bezorgd" as
 * before.
 *
 * Only ever add to this list: a word added is simply no longer looked up (rows
 * written before hold it in the index as well, harmlessly), but a word taken out
 * would be looked up while earlier rows never indexed it, and their messages
 * would not be found. Words with a meaning of their own in the other language
 * ("door", "ben", "want", "even", "hoor") or a name are left out of it.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  [
    // Dutch
    'aan al als bij dan dat de deze die dit dus een en er geen had heb hebben heeft hem het hier hij hoe hun ik in is je jij jou jouw jullie',
    'kan kon kunnen maar me mee meer men met mij mijn moet na naar niet nog nu of om omdat ons onze ook op te tot uw van voor was wat we wel werd',
    'wie wij wil worden wordt ze zelf zich zij zijn zo zou zal',
    // English
    'about all am an and any are as at be been but by can did do does for from has have he her him his how if in is it its me my no not of on',
    'or our she so than that the their them then there they this to too up us was we were what when where which who will with would you your',
  ]
    .join(' ')
    .split(' '),
);

/** Every start (two letters or more) of a stop word: a typed word among these may start a stop word. */
const STARTS: ReadonlySet<string> = new Set([...STOP_WORDS].flatMap((w) => Array.from({ length: w.length - 1 }, (_, i) => w.slice(0, i + 2))));

/** Whether words starting with `prefix` (folded) may be stop words, so that the words index cannot find them all. */
export function mayStartStopWord(prefix: string): boolean {
  return STARTS.has(prefix);
}
