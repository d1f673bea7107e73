import { platformOf, type Channel, type Message } from '../../../shared/model.js';
import { matchesTerms, parseSearch, words } from '../../../shared/text/fold.js';
import type { Table } from 'dexie';
import type { SearchRow, WebcareDb } from '../db/db';

/**
 * Full-text search over every cached message, indexed rather than scanned.
 *
 * One `searchIndex` row per message: `words` (folded, see shared/text/fold.ts)
 * sit in a multiEntry index, so a typed prefix is an index range
 * (`where('words').startsWith`). The row's key is
 * `${inverted createdAt, 13 digits}|${message key}`: ascending key order is
 * newest first, a date range is a key range, and the channel is the start of
 * the message key. So ordering and the date and channel filters need no
 * message reads; only the page of results shown is read from `messages`.
 *
 * The plans, cheapest first:
 * - of several terms, some are rare (a small bounded key read, SMALL_PROBE, gets
 *   all their keys): intersect those, sort (newest first), check the other terms
 *   on the candidate rows;
 * - one term, or all common: the entries of one word come in key order, newest
 *   first, so the newest few of each word starting with the longest term are
 *   merged (deeper only while the page is not full), the other terms checked;
 * - that term starts more than MAX_MERGED_WORDS words (part of a tracking code):
 *   all its keys when there are at most PROBE, sorted;
 * - no term, or a prefix that starts countless words ("p"): walk the index rows
 *   newest first and keep those that match. Such terms match often, so a page
 *   comes quickly; the walk stops after SCAN_BUDGET rows and says there may be
 *   more.
 */

const INVERT = 9_999_999_999_999;
const SMALL_PROBE = 150;
/** How deep the merge of common words reads per word before it says "there may be more". */
const PROBE = 5_000;
// Finding the words is one cursor step each: more than this, and reading the term's keys is cheaper.
const MAX_MERGED_WORDS = 16;
const SCAN_BUDGET = 40_000;
const FIRST_SCAN_PAGE = 250;
const MAX_SCAN_PAGE = 4_000;
const READ_PAGE = 100;

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

/** What a message is found by: its text, the author's name and handle. */
export function searchRowOf(m: Pick<Message, 'key' | 'channel' | 'createdAt' | 'text' | 'author'>): SearchRow {
  return { sk: searchKeyOf(m.createdAt, m.key), words: words(`${m.text} ${m.author.name} ${m.author.handle}`), who: identityOf(m) };
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
}

export async function searchMessages(db: WebcareDb, q: SearchQuery, options: SearchOptions = {}): Promise<SearchResult> {
  const { limit = 50, probe = PROBE } = options;
  const marks = marksTable(db);
  const { terms, excluded } = parseSearch(q.text);
  const rowOk = (row: SearchRow | undefined, required: readonly string[]) =>
    row !== undefined && matchesTerms(row.words, required) && !excluded.some((t) => row.words.some((w) => w.startsWith(t)));
  const lo = q.to === undefined ? '' : `${pad(q.to)}|`;
  const hi = q.from === undefined ? '\uffff' : `${pad(q.from)}|\uffff`;
  const channels = q.channels?.length ? q.channels.map((c) => `${c}:`) : null;
  const statuses = q.statuses?.length ? new Set(q.statuses) : null;
  const keyOk = (sk: string) => sk >= lo && sk <= hi && (channels === null || channels.some((c) => sk.startsWith(c, 14)));

  const out: Message[] = [];
  const seen = new Set<string>();
  let more = false;

  /**
   * Reads the messages of these keys (newest first) into `out`, no more than
   * it needs: only as many as are still missing, plus one to know whether more
   * exist. True once `out` is full and another match exists.
   */
  const collect = async (sks: readonly string[]): Promise<boolean> => {
    for (let i = 0; i < sks.length; ) {
      const batch = sks.slice(i, i + limit - out.length + 1);
      i += batch.length;
      const keys = batch.map(messageKeyOfSearchKey);
      const [found, marked] = await Promise.all([db.messages.bulkGet(keys), marks ? marks.bulkGet(keys) : []]);
      for (const [j, m] of found.entries()) {
        const mark = marked[j];
        if (!m || seen.has(m.key) || mark?.hidden || (statuses && !statuses.has(mark?.status ?? 'open'))) continue;
        if (out.length >= limit) return true;
        seen.add(m.key);
        out.push(m);
      }
    }
    return false;
  };

  const keysOf = (t: string, max: number) => db.searchIndex.where('words').startsWith(t).limit(max + 1).primaryKeys();

  /** Candidates newest first: their rows are checked for `unchecked` terms, then their messages read. */
  const fromCandidates = async (candidates: readonly string[], unchecked: readonly string[]): Promise<void> => {
    for (let i = 0; i < candidates.length && !more; i += READ_PAGE) {
      let page = candidates.slice(i, i + READ_PAGE);
      if (unchecked.length > 0 || excluded.length > 0) {
        const rows = await db.searchIndex.bulkGet(page);
        page = page.filter((_, j) => rowOk(rows[j], unchecked));
      }
      more = await collect(page);
    }
  };

  /**
   * The index holds the entries of one word in key order, newest first: read the newest few of
   * each of these words, merge them, and read deeper only while that does not fill the page.
   */
  const fromWords = async (distinct: readonly string[], others: readonly string[]): Promise<void> => {
    let k = limit * 2;
    let handled = '';
    let examined = 0;
    for (;;) {
      const lists = await Promise.all(distinct.map((w) => db.searchIndex.where('words').equals(w).limit(k).primaryKeys()));
      // Past the last key of a list that was cut short, that word may have older entries unread.
      const cut = lists.filter((l) => l.length >= k).map((l) => l[l.length - 1] ?? '');
      const edge = cut.length > 0 ? (cut.sort()[0] ?? '') : '\uffff';
      const candidates = [...new Set(lists.flat())].filter((sk) => sk > handled && sk <= edge && keyOk(sk)).sort();
      examined += candidates.length;
      await fromCandidates(candidates, others);
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

  if (terms.length > 0 && probe > 0) {
    if (terms.length > 1) {
      // Keys read and thrown away are the cost of a probe: it stays small.
      const small = options.smallProbe ?? Math.min(SMALL_PROBE, probe);
      const probes = await Promise.all(terms.map((t) => keysOf(t, small)));
      const rare = terms.map((t, i) => ({ t, keys: probes[i] ?? [] })).filter((p) => p.keys.length <= small);
      if (rare.length > 0) {
        rare.sort((a, b) => a.keys.length - b.keys.length);
        let set = new Set((rare[0]?.keys ?? []).filter(keyOk));
        for (const r of rare.slice(1)) {
          const other = new Set(r.keys);
          set = new Set([...set].filter((k) => other.has(k)));
        }
        const done = new Set(rare.map((r) => r.t));
        await fromCandidates([...set].sort(), terms.filter((t) => !done.has(t)));
        return { messages: out, more, terms };
      }
    }
    // One term, or every term common: driven by the longest (most likely the rarest).
    const driver = [...terms].sort((a, b) => b.length - a.length)[0] ?? '';
    const others = terms.filter((t) => t !== driver);
    // distinctWords reads IndexedDB directly, which a live query (the customer panel's) cannot see:
    // this one Dexie read of the same range lets it run again when a word with the prefix is indexed.
    const [distinct] = await Promise.all([distinctWords(db, driver, MAX_MERGED_WORDS + 1), keysOf(driver, 0)]);
    if (distinct.length <= MAX_MERGED_WORDS) {
      await fromWords(distinct, others);
      return { messages: out, more, terms };
    }
    // A prefix of many words ("3spld12" of tracking codes): all its keys, if they are not too many.
    const keys = await keysOf(driver, probe);
    if (keys.length <= probe) {
      await fromCandidates([...new Set(keys)].filter(keyOk).sort(), others);
      return { messages: out, more, terms };
    }
  }

  // No terms, or a prefix so short that it starts countless words: walk newest first.
  let after: string | null = null;
  let walked = 0;
  let pageSize = FIRST_SCAN_PAGE;
  while (!more) {
    const range = after === null ? db.searchIndex.where('sk').between(lo, hi, true, true) : db.searchIndex.where('sk').between(after, hi, false, true);
    const rows: SearchRow[] = await range.limit(pageSize).toArray();
    if (rows.length === 0) break;
    walked += rows.length;
    after = rows[rows.length - 1]?.sk ?? null;
    const hits = rows.filter((r) => keyOk(r.sk) && rowOk(r, terms)).map((r) => r.sk);
    more = await collect(hits);
    if (rows.length < pageSize) break;
    if (walked >= SCAN_BUDGET) {
      more = true;
      break;
    }
    pageSize = Math.min(MAX_SCAN_PAGE, pageSize * 2);
  }
  return { messages: out, more, terms };
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

/**
 * Notes stored messages for indexing; call inside the transaction that stores
 * them (its scope must include `db.searchPending`). One small row per message:
 * the ingest stays fast, and a message stored is never left out of search
 * (a restart picks the queue up again).
 */
export function queueForSearch(db: WebcareDb, messages: readonly Pick<Message, 'key'>[]): Promise<unknown> {
  for (const fn of pendingListeners) fn();
  return db.searchPending.bulkPut(messages.map((m) => ({ key: m.key })));
}

/** Indexing waits until no batch was queued for this long: during a burst the ingest has the store to itself. */
const QUIET_MS = 400;
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
  let lastIndexed = Date.now();
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
        // Under steady traffic that never pauses, a chunk still goes every MAX_DEFER_MS.
        const now = Date.now();
        const wait = lastQueued + quietMs - now;
        if (wait > 0 && now - lastIndexed < MAX_DEFER_MS) return schedule(Math.min(wait, lastIndexed + MAX_DEFER_MS - now));
        lastIndexed = now;
        const keys = await db.searchPending.limit(INDEX_CHUNK).primaryKeys();
        if (keys.length === 0) {
          onIdle?.();
          return;
        }
        const found = await db.messages.bulkGet(keys);
        const rows = found.filter((m): m is Message => m !== undefined).map(searchRowOf);
        await db.transaction('rw', db.searchIndex, db.searchPending, async () => {
          await db.searchIndex.bulkPut(rows);
          await db.searchPending.bulkDelete(keys);
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

/** The queue of new messages and the backfill of those stored before search existed. */
export function startSearchIndexing(db: WebcareDb): () => void {
  const stopIndexer = startSearchIndexer(db);
  const stopBackfill = startSearchBackfill(db);
  return () => {
    stopIndexer();
    stopBackfill();
  };
}

const BACKFILL_KEY = 'searchBackfill';
const BACKFILL_CHUNK = 1_000;

/**
 * Indexes messages stored before search existed, a chunk at a time between
 * other work, remembering where it got to (a restart resumes there). New
 * messages are indexed by the ingest itself. Returns a stop function.
 */
export function startSearchBackfill(db: WebcareDb, onDone?: () => void, pause: (next: () => void) => void = idle): () => void {
  let stopped = false;
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
  const run = () => {
    if (stopped) return;
    step().then(
      (finished) => (finished ? onDone?.() : pause(run)),
      (e: unknown) => console.warn('search backfill paused', e),
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
