import { foldText, MATCH_TEXT_MAX, matchesMessage, parseQuery, queryWords, type ParsedQuery } from '../../../shared/filter.js';
import { platformOf, type Channel, type Message } from '../../../shared/model.js';
import { MAX_WORD_LENGTH, MAX_WORDS, words } from '../../../shared/text/fold.js';
import { mayStartStopWord, STOP_WORDS } from '../../../shared/text/stopWords.js';
import type { Table } from 'dexie';
import { CODES_BACKFILL_KEY, type PendingRow, type SearchRow, type WebcareDb } from '../db/db';

/**
 * Full-text search over every cached message, indexed rather than scanned.
 *
 * What matches is decided by the board's query language (shared/filter.ts:
 * words, "phrases", OR, -exclusions, over the text and the author's name and
 * handle): `matchesMessage` runs on every message before it is shown, so a
 * search finds exactly what a column with the same words shows. The index only
 * finds the candidates, fast, and never leaves one out.
 *
 * One `searchIndex` row per message: `words` (folded, see shared/text/fold.ts)
 * sit in a multiEntry index, so a typed prefix is an index range
 * (`where('words').startsWith`). The row's key is
 * `${inverted createdAt, 13 digits}|${message key}`: ascending key order is
 * newest first, a date range is a key range, and the channel is the start of
 * the message key. So ordering and the date and channel filters need no
 * message reads; only the candidates that pass the row's words are read.
 *
 * Each group of the query (alternatives joined by OR) is looked up by one
 * word per alternative, its longest: a row the group can match holds a word
 * starting with it. The plans, cheapest first:
 * - of several words, some groups are rare (a small bounded key read,
 *   SMALL_PROBE, gets all their keys): intersect those, sort (newest first),
 *   check the rows' words against every group, then the messages;
 * - one group, or all common: the entries of one word come in key order,
 *   newest first, so the newest few of each word the driving group's words
 *   start are merged (deeper only while the page is not full);
 * - those words start more than MAX_MERGED_WORDS words (part of a tracking
 *   code, a postcode, a phone or order number): all their keys when they look
 *   few (see spreadOf); otherwise the walk below, which fills the page
 *   quickly when the prefix is common ("3spld" of every tracking code), and
 *   the keys of the group's rarest word once the rows walked say those cost
 *   less than the rows still to walk ("73" of postcodes, "06-40");
 * - nothing to look up (only exclusions, single letters, or no words), or a
 *   prefix that starts countless words ("p"): walk the index rows newest first
 *   and keep those that match. Such terms match often, so a page comes
 *   quickly; the walk stops after SCAN_BUDGET rows and says there may be more.
 *
 * Every key or row read from the store costs: in Chromium's store on disk a
 * key of the words index about as much as a row, so no plan reads thousands of
 * either when a few hundred do. A search given a signal stops at its next read
 * once it is aborted (the panel aborts the last keystroke's search).
 *
 * A row keeps MAX_WORDS words; a message with more carries LONG_ROW as well and
 * is a candidate of every lookup, so its later words are found too.
 *
 * Words with a digit (tracking codes, postcodes, order and phone numbers) are
 * also in a second multiEntry index, `codes`, as `${hour}|${word}` (the hour
 * inverted, so newest first): a prefix with a digit starts only such words, and
 * when it starts many of them its newest ones are a few ranges, one an hour,
 * back from the newest hour, where the words index gives them in word order
 * only and all of them must be read to find the newest ("3spld12": 750 keys at
 * 250,000 messages, each key a check against the store). Rows written before
 * the index existed get their codes from a backfill; until it is done the
 * plans above answer.
 *
 * Stop words ("de", "niet", "the": shared/text/stopWords.ts) are a third to
 * almost half of a message's words and found nothing anybody looks for; every
 * index entry is a write of its own, so a row keeps them apart (`rest`), out of
 * the words index. A typed word that starts one is checked on the rows, never
 * looked up: a group with such an alternative only is walked.
 */

const INVERT = 9_999_999_999_999;
const SMALL_PROBE = 150;
/** How deep the merge of common words reads per word before it says "there may be more". */
const PROBE = 5_000;
// Finding the words is one cursor step each: more than this, and reading the term's keys is cheaper.
const MAX_MERGED_WORDS = 16;
const SCAN_BUDGET = 40_000;
const FIRST_SCAN_PAGE = 250;
const MAX_SCAN_PAGE = 2_000;
const READ_PAGE = 100;
/**
 * A prefix of digits guessed to start more than this many words is walked first: in a large
 * store the walk then fills the page sooner than its keys are read ("3spld1" of tracking codes:
 * 5,000 keys, or 1,000 rows at 250,000 messages); fewer, and its keys are (650 keys, or 8,000 rows).
 */
const KEYS_FIRST = 1_000;
/** A prefix whose first words say nothing of how many it starts (letters) has this many keys read first. */
const FEW_KEYS = 300;
/**
 * What reading an index row costs against reading a key of the words index: in Chromium's store
 * on disk, on a busy 2-core machine, 100-170 µs a row and 60-400 µs a key (each entry of an index
 * is checked against the store), in memory less, a row still the dearer.
 */
const ROW_COST = 3;
const KEY_COST = 2;
/**
 * A range read of the codes index (one hour of one word) against a key: in Chromium's store on
 * disk at 250,000 messages, 60 hour ranges took 24-40 ms and 780 keys of the words index 71-98 ms
 * on their first read, 27-36 ms after.
 */
const RANGE_COST = 6;
/** Hour ranges read at once, at most (one transaction). */
const MAX_RANGES = 256;

const HOUR_MS = 3_600_000;
const INVERT_HOURS = 9_999_999;
const DIGIT = /[0-9]/;

/** The codes index's hour of a row, newest first in key order. */
function hourKey(hour: number): string {
  return String(INVERT_HOURS - Math.min(INVERT_HOURS, Math.max(0, hour))).padStart(7, '0');
}

function hourOfSearchKey(sk: string): number {
  return Math.floor(createdAtOfSearchKey(sk) / HOUR_MS);
}

/** A row's entries of the codes index: its indexed words with a digit, under the row's hour. */
export function codesOf(sk: string, indexed: readonly string[]): string[] {
  const hour = hourKey(hourOfSearchKey(sk));
  return indexed.filter((w) => w !== LONG_ROW && DIGIT.test(w)).map((w) => `${hour}|${w}`);
}

function pad(createdAt: number): string {
  const inv = INVERT - Math.min(INVERT, Math.max(0, Math.floor(createdAt)));
  return String(inv).padStart(13, '0');
}

export function searchKeyOf(createdAt: number, messageKey: string): string {
  return `${pad(createdAt)}|${messageKey}`;
}

export function messageKeyOfSearchKey(sk: string): string {
  return sk.slice(14);
}

export function createdAtOfSearchKey(sk: string): number {
  return INVERT - Number(sk.slice(0, 13));
}

/**
 * Stands for "more words than the row keeps" in the row of a long message: such
 * rows join every lookup's candidates. Never a word (words are letters and digits).
 */
export const LONG_ROW = '\u0000';

/**
 * What a message is found by: its text, the author's name and handle, each
 * read and folded as the query language reads them (shared/filter.ts
 * haystackOf: the first MATCH_TEXT_MAX characters, at most twice that once
 * folded), so every word in the row is a word the matcher sees and a row may
 * rule a message out.
 */
export function searchRowOf(m: Pick<Message, 'key' | 'channel' | 'createdAt' | 'text' | 'author'>): SearchRow {
  const read = (s: string) => {
    const folded = foldText(s.length > MATCH_TEXT_MAX ? s.slice(0, MATCH_TEXT_MAX) : s);
    return folded.length > 2 * MATCH_TEXT_MAX ? folded.slice(0, 2 * MATCH_TEXT_MAX) : folded;
  };
  const found = words(`${read(m.text)} ${read(m.author.name)} ${read(m.author.handle)}`, true);
  const indexed: string[] = [];
  const rest: string[] = [];
  for (const w of found) (STOP_WORDS.has(w) ? rest : indexed).push(w);
  if (found.length >= MAX_WORDS) indexed.push(LONG_ROW);
  const row: SearchRow = { sk: searchKeyOf(m.createdAt, m.key), words: indexed, who: identityOf(m) };
  if (rest.length > 0) row.rest = rest;
  const codes = codesOf(row.sk, indexed);
  if (codes.length > 0) row.codes = codes;
  return row;
}

/** A person on one platform, as customers link them: `${platform}:${authorId}`. */
export function identityOf(m: Pick<Message, 'channel' | 'author'>): string {
  return `${platformOf(m.channel)}:${m.author.id}`;
}

/**
 * Index messages; call inside the transaction that stores them (its scope must
 * include `db.searchIndex`), so a message is never stored and unfindable.
 */
export function indexMessages(db: WebcareDb, messages: readonly Message[]): Promise<unknown> {
  return db.searchIndex.bulkPut(messages.map(searchRowOf));
}

export interface SearchQuery {
  text: string;
  /** Epoch ms, inclusive. */
  from?: number;
  to?: number;
  /** Any of these channels; empty or absent: all. */
  channels?: readonly Channel[];
  /** Any of these statuses; empty or absent: all. */
  statuses?: readonly string[];
}

export interface SearchResult {
  messages: Message[];
  /** More results exist (or may exist, when the walk hit its budget) beyond `messages`. */
  more: boolean;
  /** The folded prefixes that were looked for, for highlighting. */
  terms: string[];
}

/** What the board keeps about a message (shared/filter.ts MessageMark): read for the status filter and the hidden ones. */
interface MarkLike {
  status?: string;
  hidden?: boolean;
}

function marksTable(db: WebcareDb): Table<MarkLike, string> | null {
  // Looked up by name: the marks table belongs to the board's schema version.
  return (db.tables.find((t) => t.name === 'marks') as Table<MarkLike, string> | undefined) ?? null;
}

export interface SearchOptions {
  /** Results per page. */
  limit?: number;
  /** How deep the merge reads per word; 0 walks the rows instead (tests lower it). */
  probe?: number;
  /** A term with at most this many index entries is "rare" (tests lower it). */
  smallProbe?: number;
  /** False: never the codes index's hours (tests of the other plans; a store whose codes are still being backfilled). */
  byHour?: boolean;
  /**
   * Aborted once nobody waits for the answer (the agent typed on): the search stops at its next
   * read and rejects with the signal's reason, so the next keystroke's search has the store.
   */
  signal?: AbortSignal;
}

/**
 * What the index can check of a parsed query: per group (every group must
 * match), per alternative, the words (two letters or more, cut as the index
 * cuts them) that a row's words must start. Null: a group the index cannot
 * narrow, because an alternative is single letters only (the index leaves them out).
 */
export type IndexGroups = (string[][] | null)[];

export function indexGroupsOf(q: ParsedQuery): IndexGroups {
  return q.all.map((group) => {
    const alternatives = group.map((term) => [...new Set(term.map((w) => w.slice(0, MAX_WORD_LENGTH)).filter((w) => w.length >= 2))]);
    return alternatives.some((a) => a.length === 0) ? null : alternatives;
  });
}

/**
 * What of a group the words index can find: per alternative, its words but those a stop word
 * starts with (shared/text/stopWords.ts: a row holds stop words apart from the index). Null
 * when an alternative has no other word: the group is then checked on each row, not looked up.
 */
export function lookupAlternatives(alternatives: readonly string[][] | null): string[][] | null {
  if (alternatives === null) return null;
  const found = alternatives.map((a) => a.filter((w) => !mayStartStopWord(w)));
  return found.some((a) => a.length === 0) ? null : found;
}

/**
 * The words a group is looked up by: the longest of each alternative (most
 * likely the rarest), without those that start with another of them (its
 * keys are among the other's).
 */
export function lookupWords(alternatives: readonly string[][]): string[] {
  const longest = [...new Set(alternatives.map((a) => a.reduce((x, y) => (y.length > x.length ? y : x), '')))];
  return longest.filter((w) => !longest.some((o) => o !== w && w.startsWith(o)));
}

/**
 * The exclusions a row can decide: single words the index keeps whole enough
 * (two to MAX_WORD_LENGTH letters). A row word that starts with one is a word
 * of the message, so the message is out; a phrase needs the message itself.
 */
export function rowExclusionsOf(q: ParsedQuery): string[] {
  return q.none.flatMap((term) => (term.length === 1 && (term[0]?.length ?? 0) >= 2 && (term[0]?.length ?? 0) <= MAX_WORD_LENGTH ? [term[0] as string] : []));
}

/** Whether a row may match: a row that cannot is never read further (the message decides the rest). */
export function rowMayMatch(row: Pick<SearchRow, 'words' | 'rest'>, groups: IndexGroups, excluded: readonly string[] = []): boolean {
  // The row's words in the index and its stop words alike, without joining them (walks check thousands of rows).
  const any = (test: (rw: string) => boolean) => row.words.some(test) || (row.rest?.some(test) ?? false);
  if (excluded.length > 0 && any((rw) => excluded.some((x) => rw.startsWith(x)))) return false;
  if (row.words[row.words.length - 1] === LONG_ROW) return true;
  return groups.every((g) => g === null || g.some((alt) => alt.every((w) => any((rw) => rw.startsWith(w)))));
}

export async function searchMessages(db: WebcareDb, q: SearchQuery, options: SearchOptions = {}): Promise<SearchResult> {
  const { limit = 50, probe = PROBE, signal } = options;
  signal?.throwIfAborted();
  /** Every read of the store goes through here: an aborted search stops at the next one. */
  const read = async <T>(p: Promise<T>): Promise<T> => {
    const value = await p;
    signal?.throwIfAborted();
    return value;
  };
  const marks = marksTable(db);
  const query = parseQuery(q.text);
  const terms = queryWords(query);
  const groups = indexGroupsOf(query);
  const excluded = rowExclusionsOf(query);
  // What the words index can find of each group (no start of a stop word); the rows check the whole groups.
  const lookable = groups.map(lookupAlternatives);
  const lookups = lookable.flatMap((g, i) => (g === null ? [] : [{ i, words: lookupWords(g) }]));
  // Candidates found by one group's own words all pass that group: a lone group of single words needs no row read.
  const rowsDecide = excluded.length > 0 || !(groups.length === 1 && groups[0]?.every((alt) => alt.length === 1));
  const lo = q.to === undefined ? '' : `${pad(q.to)}|`;
  const hi = q.from === undefined ? '\uffff' : `${pad(q.from)}|\uffff`;
  const channels = q.channels?.length ? q.channels.map((c) => `${c}:`) : null;
  const statuses = q.statuses?.length ? new Set(q.statuses) : null;
  const keyOk = (sk: string) => sk >= lo && sk <= hi && (channels === null || channels.some((c) => sk.startsWith(c, 14)));

  const out: Message[] = [];
  const seen = new Set<string>();
  let more = false;

  // Messages that matched, over the whole search (the walk reads on by their share of the rows walked).
  let matched = 0;

  /**
   * Reads the messages of these keys (newest first) into `out`, no more than
   * it needs: only as many as are still missing, plus one to know whether more
   * exist; the query language decides on each. True once `out` is full and
   * another match exists.
   */
  const collect = async (sks: readonly string[]): Promise<boolean> => {
    for (let i = 0; i < sks.length; ) {
      const batch = sks.slice(i, i + limit - out.length + 1);
      i += batch.length;
      const keys = batch.map(messageKeyOfSearchKey);
      const [found, marked] = await read(Promise.all([db.messages.bulkGet(keys), marks ? marks.bulkGet(keys) : []]));
      for (const [j, m] of found.entries()) {
        const mark = marked[j];
        if (!m || seen.has(m.key) || mark?.hidden || (statuses && !statuses.has(mark?.status ?? 'open'))) continue;
        if (!matchesMessage(m, query)) continue;
        matched++;
        if (out.length >= limit) return true;
        seen.add(m.key);
        out.push(m);
      }
    }
    return false;
  };

  const keysOf = (t: string, max: number) => db.searchIndex.where('words').startsWith(t).limit(max + 1).primaryKeys();
  // Rows of long messages: few (a comment of more than MAX_WORDS distinct words), read once, whole.
  let long: Promise<string[]> | null = null;
  const longRows = () => read((long ??= db.searchIndex.where('words').equals(LONG_ROW).limit(PROBE).primaryKeys()));

  /** Candidates newest first: their rows are checked against the groups, then their messages read. */
  const fromCandidates = async (candidates: readonly string[]): Promise<void> => {
    for (let i = 0; i < candidates.length && !more; i += READ_PAGE) {
      let page = candidates.slice(i, i + READ_PAGE);
      if (rowsDecide) {
        const rows = await read(db.searchIndex.bulkGet(page));
        page = page.filter((_, j) => {
          const row = rows[j];
          return row !== undefined && rowMayMatch(row, groups, excluded);
        });
      }
      more = await collect(page);
    }
  };

  /**
   * The index holds the entries of one word in key order, newest first: read the newest few of
   * each of these words, merge them, and read deeper only while that does not fill the page.
   */
  const fromWords = async (distinct: readonly string[]): Promise<void> => {
    let k = limit * 2;
    let handled = '';
    let examined = 0;
    for (;;) {
      const lists = await read(Promise.all(distinct.map((w) => db.searchIndex.where('words').equals(w).limit(k).primaryKeys())));
      // Past the last key of a list that was cut short, that word may have older entries unread.
      const cut = lists.filter((l) => l.length >= k).map((l) => l[l.length - 1] ?? '');
      const edge = cut.length > 0 ? (cut.sort()[0] ?? '') : '\uffff';
      const candidates = [...new Set(lists.flat())].filter((sk) => sk > handled && sk <= edge && keyOk(sk)).sort();
      examined += candidates.length;
      await fromCandidates(candidates);
      if (more || cut.length === 0) return;
      if (k >= probe) {
        more = true;
        return;
      }
      handled = edge;
      // Deeper by what the hit rate so far says the rest of the page needs, with room to spare.
      const rate = out.length / Math.max(1, examined);
      const wanted = rate > 0 ? Math.ceil(((limit - out.length + 1) / rate) * 1.5) : k * 4;
      k = Math.min(probe, k + Math.max(k, Math.ceil(wanted / Math.max(1, distinct.length))));
    }
  };

  /**
   * The walk: the index rows newest first, a page at a time (twice the last until something
   * matches, then as many as the share of matches says are still needed), those whose words may
   * match read further. `done` once the rows in range are all walked or the page is full.
   */
  const walk = { after: null as string | null, rows: 0, page: FIRST_SCAN_PAGE, done: false, newest: 0, reached: 0 };
  const walkPage = async (observe?: (rows: readonly SearchRow[]) => void): Promise<void> => {
    const range = walk.after === null ? db.searchIndex.where('sk').between(lo, hi, true, true) : db.searchIndex.where('sk').between(walk.after, hi, false, true);
    const rows: SearchRow[] = await read(range.limit(walk.page).toArray());
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (walk.after === null && first) walk.newest = createdAtOfSearchKey(first.sk);
    if (last) {
      walk.after = last.sk;
      walk.reached = createdAtOfSearchKey(last.sk);
    }
    walk.rows += rows.length;
    observe?.(rows);
    more = await collect(rows.filter((r) => keyOk(r.sk) && rowMayMatch(r, groups, excluded)).map((r) => r.sk));
    walk.done = more || rows.length < walk.page;
    // The next page: what the share of matches so far says the rest of the page needs, with room to spare.
    const missing = limit + 1 - out.length;
    walk.page = Math.min(MAX_SCAN_PAGE, matched > 0 ? Math.max(FIRST_SCAN_PAGE, Math.ceil(((missing * walk.rows) / matched) * 1.25)) : walk.page * 2);
  };

  const result = () => ({ messages: out, more, terms });

  if (lookups.length > 0 && probe > 0) {
    if (lookups.reduce((n, l) => n + l.words.length, 0) > 1) {
      // Keys read and thrown away are the cost of a probe: it stays small.
      const small = options.smallProbe ?? Math.min(SMALL_PROBE, probe);
      const probes = await read(Promise.all(lookups.map((l) => Promise.all(l.words.map((w) => keysOf(w, small))))));
      const rare = probes.filter((lists) => lists.every((keys) => keys.length <= small)).map((lists) => new Set(lists.flat()));
      if (rare.length > 0) {
        rare.sort((a, b) => a.size - b.size);
        let set = new Set([...(rare[0] ?? [])].filter(keyOk));
        for (const other of rare.slice(1)) set = new Set([...set].filter((k) => other.has(k)));
        for (const k of await longRows()) if (keyOk(k)) set.add(k);
        await fromCandidates([...set].sort());
        return result();
      }
    }
    // One group, or every group common: driven by the group whose shortest word is longest (most likely the rarest).
    const score = (ws: readonly string[]) => Math.min(...ws.map((w) => w.length)) * 100 - ws.length;
    const driverGroup = lookups.reduce((a, b) => (score(b.words) > score(a.words) ? b : a));
    const driver = driverGroup.words;
    // distinctWords reads IndexedDB directly, which a live query (the customer panel's) cannot see:
    // one Dexie read of each range lets it run again when a word with the prefix is indexed.
    const [distinctLists] = await read(
      Promise.all([Promise.all(driver.map((w) => distinctWords(db, w, MAX_MERGED_WORDS + 1))), Promise.all(driver.map((w) => keysOf(w, 0))), longRows()]),
    );
    const distinct = [...new Set(distinctLists.flat())];
    if (distinct.length <= MAX_MERGED_WORDS) {
      await fromWords((await longRows()).length > 0 ? [...distinct, LONG_ROW] : distinct);
      return result();
    }
    if (options.byHour !== false && driver.every((w) => DIGIT.test(w)) && (await read(codesReady(db))) && (await fromHours(driver, distinctLists))) return result();
    if (await fromManyWords(lookable[driverGroup.i] ?? [], driver, distinctLists)) return result();
  }

  /**
   * A prefix with a digit that starts many words: every word it starts is in the codes index, so
   * the page comes from one hour's range per word, newest hour first, as many hours at a time as
   * the matches so far say the page still needs. Taken when its first words (see spreadOf) say
   * that reading every key costs more than the ranges; the ranges give way to the keys of what is
   * left once those look cheaper. False: not taken (nothing read but the range's ends).
   */
  async function fromHours(driver: readonly string[], distinct: readonly string[][]): Promise<boolean> {
    const range = () => db.searchIndex.where('sk').between(lo, hi, true, true);
    const [[newest], [oldest]] = await read(Promise.all([range().limit(1).primaryKeys(), range().reverse().limit(1).primaryKeys()]));
    if (newest === undefined || oldest === undefined) return false;
    const first = hourOfSearchKey(newest);
    const last = hourOfSearchKey(oldest);
    // How many keys the words have: their first words' guess, unknown (Infinity) when those say nothing.
    const guess = driver.reduce((n, w, i) => n + (spreadOf(w, distinct[i] ?? []) ?? Infinity), 0);
    const keysPerHour = (found: number, hours: number) => Math.max(found, 0.5) / Math.max(1, hours);
    const rangesFor = (keys: number, perHour: number) => Math.ceil(keys / perHour) * driver.length;
    if (rangesFor(limit + 1, keysPerHour(guess, first - last + 1)) * RANGE_COST > guess * KEY_COST) return false;
    const long = (await longRows()).filter(keyOk);
    let hour = first;
    let found = 0;
    let span = Math.max(1, Math.ceil(((limit + 1) / keysPerHour(guess, first - last + 1)) * 1.5));
    while (hour >= last && !more) {
      const left = hour - last + 1;
      // What the keys read so far say the hours left hold: reading them all may now cost less.
      const keysLeft = keysPerHour(found, first - hour) * left;
      if (first > hour && keysLeft <= probe && keysLeft * KEY_COST < Math.min(left * driver.length, rangesFor(limit + 1 - out.length, keysPerHour(found, first - hour))) * RANGE_COST) {
        const lists = await read(Promise.all(driver.map((w) => keysOf(w, probe))));
        if (lists.every((l) => l.length <= probe)) {
          const edge = `${pad((hour + 1) * HOUR_MS - 1)}|`;
          const keys = new Set(lists.flat().filter((k) => k >= edge));
          for (const k of long) if (k >= edge) keys.add(k);
          await fromCandidates([...keys].filter(keyOk).sort());
          return true;
        }
      }
      const n = Math.min(span, left, Math.max(1, Math.floor(MAX_RANGES / driver.length)));
      const hours = Array.from({ length: n }, (_, i) => hourKey(hour - i));
      const lists = await read(
        db.transaction('r', db.searchIndex, () => Promise.all(hours.flatMap((h) => driver.map((w) => db.searchIndex.where('codes').startsWith(`${h}|${w}`).primaryKeys())))),
      );
      const lowest = hour - n + 1;
      const keys = new Set(lists.flat());
      found += keys.size;
      for (const k of long) if (hourOfSearchKey(k) >= lowest && hourOfSearchKey(k) <= hour) keys.add(k);
      await fromCandidates([...keys].filter(keyOk).sort());
      hour = lowest - 1;
      // The next hours: as many as the matches per hour so far say the page still needs, with room to spare.
      const perHour = matched / (first - hour);
      span = perHour > 0 ? Math.max(n, Math.ceil(((limit + 1 - out.length) / perHour) * 1.5)) : n * 2;
    }
    return true;
  }

  /**
   * A prefix of many different words ("3spld1" of tracking codes, "10" of postcodes and order
   * numbers): the page comes from the keys of the group's words or from the walk, whichever
   * reads less. Unless its first words say that it starts more than KEYS_FIRST (see spreadOf),
   * its keys are read first (FEW_KEYS of them when they say nothing), and when they are all, that
   * is all. Otherwise the walk,
   * whose first pages show how often each word of the group occurs: the keys of the rarest are
   * read (only those past the rows walked count) when they are estimated to cost less than the
   * rows still to walk, no more than that many; a word whose read came back full is not read again
   * for as many. False: the walk is to go on to its end.
   */
  async function fromManyWords(alternatives: readonly string[][], driver: readonly string[], distinct: readonly string[][]): Promise<boolean> {
    // At least this many keys start with a word: a read of fewer came back full.
    const atLeast = new Map<string, number>();
    const spreads = new Map(driver.map((w, i) => [w, spreadOf(w, distinct[i] ?? [])]));
    // A prefix that is a word itself ("06" of phone numbers) may have any number of keys of its own.
    const guesses = driver.map((w, i) => (distinct[i]?.[0] === w ? undefined : spreads.get(w)));
    const guess = guesses.reduce<number>((n, g) => n + (g ?? 0), 0);
    if (guess <= KEYS_FIRST) {
      // All its keys when its first words say they are not many; a few of them when they say nothing.
      const cap = guesses.some((g) => g === undefined) ? FEW_KEYS : probe;
      const lists = await read(Promise.all(driver.map((w) => keysOf(w, cap))));
      if (lists.every((l) => l.length <= cap)) {
        const keys = new Set(lists.flat());
        for (const k of await longRows()) keys.add(k);
        await fromCandidates([...keys].filter(keyOk).sort());
        return true;
      }
      driver.forEach((w, i) => (lists[i]?.length ?? 0) > cap && atLeast.set(w, cap + 1));
    }
    const words = [...new Set(alternatives.flat())];
    const rowsWith = new Map(words.map((w) => [w, 0]));
    const observe = (rows: readonly SearchRow[]) => {
      for (const w of words) rowsWith.set(w, (rowsWith.get(w) ?? 0) + rows.filter((r) => r.words.some((rw) => rw.startsWith(w))).length);
    };
    const oldest = db.searchIndex.where('sk').between(lo, hi, true, true).reverse().limit(1).primaryKeys();
    // Awaited only once the first page is not enough.
    oldest.catch(() => undefined);
    for (;;) {
      await walkPage(observe);
      if (walk.done) return true;
      if (walk.rows >= SCAN_BUDGET) return false;
      // How many rows the range holds, from the pace of the rows walked (one read of the oldest key).
      const [end] = await read(oldest);
      const span = walk.newest - (end === undefined ? walk.reached : createdAtOfSearchKey(end));
      const rows = Math.max(walk.rows, (walk.rows * span) / Math.max(1, walk.newest - walk.reached));
      const rowsToGo = (limit + 1 - out.length) / ((matched + 0.5) / walk.rows);
      const budget = Math.min(probe, Math.floor((rowsToGo * ROW_COST) / KEY_COST));
      for (const w of words) if (!spreads.has(w)) spreads.set(w, spreadOf(w, await read(distinctWords(db, w, MAX_MERGED_WORDS + 1))));
      // A word's keys: as many as the rows walked say, at least one per word it starts (the guess from its first words) and what a read showed.
      const estimate = (w: string) => Math.max((Math.max(rowsWith.get(w) ?? 0, 0.5) / walk.rows) * rows, spreads.get(w) ?? 0, atLeast.get(w) ?? 0);
      // Of each alternative, the word with the fewest (the longest of those).
      const source = alternatives.map((alt) => alt.reduce((a, b) => (estimate(b) < estimate(a) || (estimate(b) === estimate(a) && b.length > a.length) ? b : a)));
      if (source.reduce((n, w) => n + estimate(w), 0) > budget) continue;
      const lists = await read(Promise.all(source.map((w) => keysOf(w, budget))));
      if (lists.some((l) => l.length > budget)) {
        source.forEach((w, i) => (lists[i]?.length ?? 0) > budget && atLeast.set(w, budget + 1));
        continue;
      }
      const all = new Set(lists.flat());
      for (const k of await longRows()) all.add(k);
      const edge = walk.after ?? '';
      await fromCandidates([...all].filter((k) => k > edge && keyOk(k)).sort());
      return true;
    }
  }

  // Nothing the index can look up, or a prefix so short that it starts countless words: walk newest first.
  while (!walk.done) {
    if (walk.rows >= SCAN_BUDGET) {
      more = true;
      break;
    }
    await walkPage();
  }
  return result();
}

/**
 * About how many distinct words start with `prefix`, from the first of them in index order
 * (`found`, as distinctWords gives them): all of them when fewer than it looked for; where they
 * go on in digits only (tracking codes, phone numbers), by how far into the digits' range the last
 * one lies, as such numbers are spread evenly; otherwise no guess (undefined).
 */
export function spreadOf(prefix: string, found: readonly string[]): number | undefined {
  const last = found[found.length - 1];
  if (last === undefined || found.length <= MAX_MERGED_WORDS) return found.length;
  if (!found.every((w) => /^[0-9]*$/.test(w.slice(prefix.length)))) return undefined;
  let at = 0;
  let scale = 1;
  for (const c of last.slice(prefix.length, prefix.length + 8)) {
    scale /= 10;
    at += Number(c) * scale;
  }
  return at > 0 ? Math.ceil(found.length / at) : Infinity;
}

/**
 * The distinct indexed words that start with `prefix`, at most `max`: one seek
 * per word, never a walk over the entries of a common word, which is what a
 * unique-keys read does in Chromium. Each seek is a new cursor from just past
 * the last word: `cursor.continue(key)` steps over every entry in between in
 * Chromium's in-memory store (a private window), 30-50 ms past "pakket" in
 * `npm run bench`, where a new cursor takes about one.
 */
export async function distinctWords(db: WebcareDb, prefix: string, max: number): Promise<string[]> {
  if (!db.isOpen()) await db.open();
  const idb = db.backendDB();
  return new Promise((resolve, reject) => {
    const tx = idb.transaction('searchIndex', 'readonly');
    tx.onabort = () => reject(tx.error ?? new Error('distinct words not read'));
    const index = tx.objectStore('searchIndex').index('words');
    const upper = `${prefix}\uffff`;
    const out: string[] = [];
    const seek = (from: string) => {
      if (out.length >= max || from > upper) {
        resolve(out);
        return;
      }
      // Asked from the answer's callback, so the transaction is still active.
      let req: IDBRequest<IDBCursor | null>;
      try {
        req = index.openKeyCursor(IDBKeyRange.bound(from, upper));
      } catch (e) {
        // The store was closed meanwhile (the console is closing, or another version opened it).
        reject(e instanceof Error ? e : new Error('distinct words not read'));
        return;
      }
      req.onsuccess = () => {
        const cursor = req.result;
        if (!cursor) {
          resolve(out);
          return;
        }
        const word = String(cursor.key);
        out.push(word);
        // The smallest string after every key equal to `word`.
        seek(`${word}\u0000`);
      };
      req.onerror = () => reject(req.error ?? new Error('distinct words not read'));
    };
    seek(prefix);
  });
}

const pendingListeners = new Set<() => void>();

/** Keys of a queue row that names several messages start with this (it sorts before every message key). */
const GROUP_ROW = '\u0000';
/** From this many messages on, they are queued in rows of several (at most INDEX_CHUNK each). */
const GROUP_FROM = 8;

/**
 * Notes stored messages for indexing; call inside the transaction that stores
 * them (its scope must include `db.searchPending`). A small row per message, or
 * for a page of them one row naming them all (each row written costs about as
 * much as a message): the ingest stays fast, and a message stored is never left
 * out of search (a restart picks the queue up again).
 */
export function queueForSearch(db: WebcareDb, messages: readonly Pick<Message, 'key'>[]): Promise<unknown> {
  for (const fn of pendingListeners) fn();
  if (messages.length < GROUP_FROM) return db.searchPending.bulkPut(messages.map((m) => ({ key: m.key })));
  const rows: PendingRow[] = [];
  for (let i = 0; i < messages.length; i += INDEX_CHUNK) rows.push({ key: `${GROUP_ROW}${crypto.randomUUID()}`, keys: messages.slice(i, i + INDEX_CHUNK).map((m) => m.key) });
  return db.searchPending.bulkPut(rows);
}

/** The queue's next chunk: the rows to remove once indexed, and the keys of the messages they name. */
async function pendingChunk(db: WebcareDb): Promise<{ rows: string[]; keys: string[] }> {
  const first = (await db.searchPending.limit(INDEX_CHUNK).primaryKeys()) as string[];
  const groups = first.filter((k) => k.startsWith(GROUP_ROW));
  if (groups.length === 0) return { rows: first, keys: first };
  const rows: string[] = [];
  const keys: string[] = [];
  for (let i = 0; i < groups.length && keys.length < INDEX_CHUNK; i += 4) {
    for (const row of await db.searchPending.bulkGet(groups.slice(i, i + 4))) {
      if (!row || keys.length >= INDEX_CHUNK) continue;
      rows.push(row.key);
      keys.push(...(row.keys ?? [row.key]));
    }
  }
  return { rows, keys };
}

/**
 * Indexing waits until no batch was queued for this long: during a burst the ingest has the store to
 * itself (a burst's writes can be this far apart on a busy machine, and a chunk in between holds them up).
 */
const QUIET_MS = 1_000;
const INDEX_CHUNK = 500;
const MAX_DEFER_MS = 5_000;

/**
 * Indexes queued messages a chunk at a time once arrivals pause, each chunk
 * in one transaction with the removal of its queue entries. Returns a stop function.
 */
export function startSearchIndexer(db: WebcareDb, quietMs = QUIET_MS, onIdle?: () => void): () => void {
  let stopped = false;
  let running = false;
  let lastQueued = 0;
  // When the oldest of what waits was queued (0: nothing waits that a chunk has not taken yet).
  let waitingSince = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (delay: number) => {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void run();
    }, delay);
  };

  const run = async () => {
    if (stopped) return;
    if (running) return schedule(quietMs);
    running = true;
    try {
      for (;;) {
        // Under steady traffic that never pauses, a chunk still goes MAX_DEFER_MS after it began.
        const now = Date.now();
        const wait = lastQueued + quietMs - now;
        const since = waitingSince || now;
        if (wait > 0 && now - since < MAX_DEFER_MS) return schedule(Math.min(wait, since + MAX_DEFER_MS - now));
        waitingSince = lastQueued > now - quietMs ? now : 0;
        const chunk = await pendingChunk(db);
        if (chunk.rows.length === 0) {
          onIdle?.();
          return;
        }
        const found = await db.messages.bulkGet(chunk.keys);
        const rows = found.filter((m): m is Message => m !== undefined).map(searchRowOf);
        await db.transaction('rw', db.searchIndex, db.searchPending, async () => {
          await db.searchIndex.bulkPut(rows);
          await db.searchPending.bulkDelete(chunk.rows);
        });
        // Let the UI and the ingest in between chunks.
        await new Promise((r) => setTimeout(r, 0));
        if (stopped) return;
      }
    } catch (e) {
      console.warn('search indexing paused', e);
      schedule(5_000);
    } finally {
      running = false;
    }
  };

  const onQueued = () => {
    lastQueued = Date.now();
    waitingSince ||= lastQueued;
    schedule(quietMs);
  };
  pendingListeners.add(onQueued);
  schedule(0);
  return () => {
    stopped = true;
    pendingListeners.delete(onQueued);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/** The queue of new messages, the backfill of those stored before search existed, and of rows stored before the codes index. */
export function startSearchIndexing(db: WebcareDb): () => void {
  const stopIndexer = startSearchIndexer(db);
  const stopBackfill = startSearchBackfill(db);
  const stopCodes = startCodesBackfill(db);
  return () => {
    stopIndexer();
    stopBackfill();
    stopCodes();
  };
}

const CODES_CHUNK = 1_000;
const codesDone = new WeakSet<WebcareDb>();

/** Whether every row that has words with a digit has them in the codes index too. */
export async function codesReady(db: WebcareDb): Promise<boolean> {
  if (codesDone.has(db)) return true;
  const mark = (await db.settings.get(CODES_BACKFILL_KEY))?.value;
  if (mark !== undefined && mark !== 'done') return false;
  codesDone.add(db);
  return true;
}

/**
 * Gives rows stored before the codes index their entries, a chunk at a time between other work,
 * each chunk read and written in one transaction (a row the indexer rewrites meanwhile is not
 * overwritten with an older one), remembering where it got to. Returns a stop function.
 */
export function startCodesBackfill(db: WebcareDb, onDone?: () => void, pause: (next: () => void) => void = idle): () => void {
  const step = (): Promise<boolean> =>
    db.transaction('rw', db.searchIndex, db.settings, async () => {
      const mark = (await db.settings.get(CODES_BACKFILL_KEY))?.value;
      if (mark === undefined || mark === 'done') return true;
      const rows = await db.searchIndex.where('sk').above(typeof mark === 'string' ? mark : '').limit(CODES_CHUNK).toArray();
      const changed = rows.flatMap((row) => {
        const codes = row.codes ? [] : codesOf(row.sk, row.words);
        return codes.length > 0 ? [{ ...row, codes }] : [];
      });
      if (changed.length > 0) await db.searchIndex.bulkPut(changed);
      const last = rows[rows.length - 1];
      const finished = rows.length < CODES_CHUNK || last === undefined;
      await db.settings.put({ key: CODES_BACKFILL_KEY, value: finished ? 'done' : last.sk });
      return finished;
    });
  return inChunks(step, 'search codes backfill', onDone, pause);
}

const BACKFILL_KEY = 'searchBackfill';
const BACKFILL_CHUNK = 1_000;

/**
 * Indexes messages stored before search existed, a chunk at a time between
 * other work, remembering where it got to (a restart resumes there). New
 * messages are indexed by the ingest itself. Returns a stop function.
 */
export function startSearchBackfill(db: WebcareDb, onDone?: () => void, pause: (next: () => void) => void = idle): () => void {
  const step = async (): Promise<boolean> => {
    const mark = (await db.settings.get(BACKFILL_KEY))?.value;
    if (mark === 'done') return true;
    const after = typeof mark === 'string' ? mark : '';
    const chunk = await db.messages.where('key').above(after).limit(BACKFILL_CHUNK).toArray();
    const last = chunk[chunk.length - 1];
    await db.transaction('rw', db.searchIndex, db.settings, async () => {
      if (chunk.length > 0) await indexMessages(db, chunk);
      await db.settings.put({ key: BACKFILL_KEY, value: chunk.length < BACKFILL_CHUNK || !last ? 'done' : last.key });
    });
    return chunk.length < BACKFILL_CHUNK;
  };
  return inChunks(step, 'search backfill', onDone, pause);
}

/**
 * Runs `step` (true: all done) a chunk at a time, `pause` in between, until it is done or stopped;
 * a failing step stops it with a warning (the next start resumes where the last step left off).
 */
function inChunks(step: () => Promise<boolean>, what: string, onDone: (() => void) | undefined, pause: (next: () => void) => void): () => void {
  let stopped = false;
  const run = () => {
    if (stopped) return;
    step().then(
      (finished) => (finished ? onDone?.() : pause(run)),
      (e: unknown) => console.warn(`${what} paused`, e),
    );
  };
  pause(run);
  return () => {
    stopped = true;
  };
}

function idle(next: () => void): void {
  const ric = (globalThis as { requestIdleCallback?: (fn: () => void, o?: { timeout: number }) => void }).requestIdleCallback;
  if (ric) ric(next, { timeout: 1000 });
  else setTimeout(next, 0);
}
