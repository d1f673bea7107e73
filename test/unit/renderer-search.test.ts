import Dexie, { liveQuery, type DBCore } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { matchesMessage, parseQuery } from '../../shared/filter';
import type { Channel, Message } from '../../shared/model';
import { excerptAround, fold, markTerms, MAX_WORDS, words } from '../../shared/text/fold';
import { CODES_BACKFILL_KEY, openDb, type WebcareDb } from '../../renderer/src/db/db';
import {
  codesOf,
  codesReady,
  createdAtOfSearchKey,
  distinctWords,
  indexMessages,
  LONG_ROW,
  messageKeyOfSearchKey,
  searchKeyOf,
  queueForSearch,
  searchMessages,
  searchRowOf,
  startCodesBackfill,
  startSearchBackfill,
  startSearchIndexer,
  type SearchQuery,
} from '../../renderer/src/search/searchIndex';

const T0 = 1_760_000_000_000;
const HOUR = 3_600_000;

function message(id: string, text: string, at = T0, channel: Channel = 'x_mention', extra: Partial<Message> = {}): Message {
  return {
    key: `${channel}:${id}`,
    platformId: id,
    channel,
    accountId: 'acc-1',
    conversationId: id,
    author: { id: `u-${id}`, name: 'Els de Vries', handle: 'elsdv' },
    text,
    createdAt: at,
    fromUs: false,
    ...extra,
  };
}

describe('fold and words', () => {
  it.each([
    ['Café', 'cafe'],
    ['ÉÉN Één', 'een een'],
    ['ĳsbeer', 'ijsbeer'],
    ['Straße', 'strasse'],
    ['naïeve coöperatie', 'naieve cooperatie'],
    ['ﬁets', 'fiets'],
  ])('fold(%s) = %s', (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  it('splits on anything but letters and digits, drops single letters, keeps first-seen order once', () => {
    expect(words("Mijn pakket 3SPLD998877665 is niet bezorgd!! Auto's, e-mail: https://t.co/x #Pakket @Polderpost")).toEqual([
      'mijn',
      'pakket',
      '3spld998877665',
      'is',
      'niet',
      'bezorgd',
      'auto',
      'mail',
      'https',
      'co',
      'polderpost',
    ]);
  });

});

describe('search keys', () => {
  it('sort newest first and carry the message key and time', () => {
    const a = searchKeyOf(T0, 'x_mention:1');
    const b = searchKeyOf(T0 + 1, 'x_mention:2');
    expect(b < a).toBe(true);
    expect(messageKeyOfSearchKey(a)).toBe('x_mention:1');
    expect(createdAtOfSearchKey(a)).toBe(T0);
  });
});

describe('searchMessages', () => {
  let db: WebcareDb;
  let n = 0;
  afterEach(async () => {
    await db.delete();
  });

  async function seed(messages: Message[]): Promise<void> {
    db = openDb(`search-test-${++n}`);
    await db.transaction('rw', db.messages, db.searchIndex, () => Promise.all([db.messages.bulkPut(messages), indexMessages(db, messages)]));
  }

  const found = async (q: SearchQuery, probe?: number, smallProbe?: number) => (await searchMessages(db, q, { probe, smallProbe })).messages.map((m) => m.platformId);

  const history = [
    message('1', 'De verbinding met de app is weg', T0),
    message('2', 'Mijn pakket is niet bezorgd, verbindingsfout?', T0 + HOUR),
    message('3', 'Lekker café bij het afhaalpunt', T0 + 2 * HOUR, 'fb_comment'),
    message('4', 'Connection lost while tracking my parcel', T0 + 3 * HOUR, 'x_dm'),
    message('5', 'VERBINDING!!! nog steeds kapot', T0 + 4 * HOUR, 'fb_message'),
    message('6', 'niets aan de hand', T0 + 5 * HOUR, 'x_mention', { author: { id: 'u-6', name: 'Sjoerd Café', handle: 'sjoerd' } }),
  ];

  it.each<[string, SearchQuery, string[]]>([
    ['a word prefix, newest first', { text: 'verbin' }, ['5', '2', '1']],
    ['diacritics and case both ways', { text: 'CAFE' }, ['6', '3']],
    ['every term must match', { text: 'verbin kapot' }, ['5']],
    ['the author name and handle are found', { text: 'sjoer' }, ['6']],
    ['a date range (inclusive)', { text: 'verbin', from: T0 + HOUR, to: T0 + 4 * HOUR - 1 }, ['2']],
    ['a channel filter', { text: 'verbin', channels: ['fb_message', 'x_dm'] }, ['5']],
    ['not the middle of a word', { text: 'binding' }, []],
    ['no text: the filters alone, newest first', { text: '', channels: ['fb_comment', 'x_dm'] }, ['4', '3']],
    ['-word excludes, as in a column filter', { text: 'verbin -kapot -PAKK' }, ['1']],
    ['only exclusions', { text: '-verbin -cafe' }, ['4']],
    ['OR: either', { text: 'kapot OR weg' }, ['5', '1']],
    ['a phrase: its words in this order', { text: '"verbinding met"' }, ['1']],
    ['a phrase in the wrong order', { text: '"met verbinding"' }, []],
    ['-"phrase" excludes the phrase only', { text: 'verbin -"nog steeds"' }, ['2', '1']],
    ['a phrase never runs from the text into the name', { text: '"hand sjoerd"' }, []],
  ])('%s', async (_, q, expected) => {
    await seed(history);
    expect(await found(q)).toEqual(expected);
    // The same answer when every term counts as common: the merge of words, and the walk.
    expect(await found(q, undefined, 0)).toEqual(expected);
    expect(await found(q, 0)).toEqual(expected);
  });

  it('filters on the status the board keeps, leaves out what was deleted from the local view, pages with `more`', async () => {
    await seed(history);
    await db.marks.bulkPut([
      { key: 'x_mention:2', status: 'done', at: T0 },
      { key: 'fb_message:5', status: 'archived', at: T0 },
      { key: 'x_mention:6', status: 'open', hidden: true, at: T0 },
    ]);
    expect((await searchMessages(db, { text: 'verbin', statuses: ['open'] })).messages.map((m) => m.platformId)).toEqual(['1']);
    expect((await searchMessages(db, { text: 'verbin', statuses: ['done', 'archived'] })).messages.map((m) => m.platformId)).toEqual(['5', '2']);
    expect((await searchMessages(db, { text: 'cafe' })).messages.map((m) => m.platformId)).toEqual(['3']);
    await db.marks.clear();
    const page = await searchMessages(db, { text: 'verbin' }, { limit: 2 });
    expect({ ids: page.messages.map((m) => m.platformId), more: page.more }).toEqual({ ids: ['5', '2'], more: true });
    const walked = await searchMessages(db, { text: 'verbin' }, { limit: 2, probe: 0 });
    expect({ ids: walked.messages.map((m) => m.platformId), more: walked.more }).toEqual({ ids: ['5', '2'], more: true });
  });

  it('distinct words under a prefix, one seek each', async () => {
    await seed(history);
    expect(await distinctWords(db, 'verbin', 10)).toEqual(['verbinding', 'verbindingsfout']);
    // "niet" and "nog" are stop words: kept in their rows, not in the words index.
    expect(await distinctWords(db, 'n', 1)).toEqual(['niets']);
    expect(await distinctWords(db, 'zzz', 10)).toEqual([]);
  });

  it('the merge of common words reads deeper until the page is full, newest first across words', async () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      message(String(i).padStart(2, '0'), i % 2 ? 'verbindingen weg' : 'verbinding kapot', T0 + i * HOUR, i % 5 === 0 ? 'fb_comment' : 'x_mention'),
    );
    await seed(many);
    const page = await searchMessages(db, { text: 'verbin', channels: ['fb_comment'] }, { limit: 3, smallProbe: 0, probe: 1000 });
    expect({ ids: page.messages.map((m) => m.platformId), more: page.more }).toEqual({ ids: ['35', '30', '25'], more: true });
    const all = await searchMessages(db, { text: 'verbin kapot', channels: ['fb_comment'] }, { limit: 10, smallProbe: 0, probe: 1000 });
    expect({ ids: all.messages.map((m) => m.platformId), more: all.more }).toEqual({ ids: ['30', '20', '10', '00'], more: false });
    // A cap on the depth says there may be more rather than reading on.
    const capped = await searchMessages(db, { text: 'verbin', channels: ['fb_comment'] }, { limit: 3, smallProbe: 0, probe: 8 });
    expect(capped.more).toBe(true);
  });

  it('stop words are found by every plan, in rows written before they were kept apart as well', async () => {
    await seed(history);
    // Message 2 as a row of an older console: its stop words in the words index, no `rest`.
    const old = message('2', 'Mijn pakket is niet bezorgd, verbindingsfout?', T0 + HOUR);
    await db.searchIndex.put({ sk: searchKeyOf(old.createdAt, old.key), words: words(`${old.text} ${old.author.name} ${old.author.handle}`), who: 'x:u-2' });
    const row = await db.searchIndex.get(searchKeyOf(T0 + 5 * HOUR, 'x_mention:6'));
    expect(row).toMatchObject({ words: ['niets', 'hand', 'sjoerd', 'cafe'], rest: ['aan', 'de'] });
    for (const [q, expected] of [
      ['niet', ['6', '2']],
      ['de', ['6', '5', '4', '3', '2', '1']],
      ['pakket niet', ['2']],
      ['"met de" OR "niet bezorgd"', ['2', '1']],
      ['verbin -"met de"', ['5', '2']],
      ['nog', ['5']],
      ['is -niet', ['1']],
    ] as const) {
      // What the query language finds among them, newest first.
      expect([...history].reverse().filter((m) => matchesMessage(m, parseQuery(q))).map((m) => m.platformId), q).toEqual(expected);
      expect(await found({ text: q }), q).toEqual(expected);
      expect(await found({ text: q }, undefined, 0), q).toEqual(expected);
      expect(await found({ text: q }, 0), q).toEqual(expected);
    }
  });

  it('a message with more words than a row keeps is still found by its later words', async () => {
    const long = Array.from({ length: MAX_WORDS + 50 }, (_, i) => `woord${i.toString(36)}x`).join(' ');
    await seed([...history, message('7', `${long} laatstewoord`, T0 + 6 * HOUR)]);
    expect((await db.searchIndex.get(searchKeyOf(T0 + 6 * HOUR, 'x_mention:7')))?.words).toContain(LONG_ROW);
    expect(await found({ text: 'laatstewoo' })).toEqual(['7']);
    expect(await found({ text: 'laatstewoo' }, undefined, 0)).toEqual(['7']);
    expect(await found({ text: 'laatstewoo verbin' })).toEqual([]);
    expect(await found({ text: 'laatstewoo OR verbin' })).toEqual(['7', '5', '2', '1']);
  });

  it('a prefix of many different words (tracking codes) takes all its keys, newest first', async () => {
    await seed(Array.from({ length: 50 }, (_, i) => message(String(i).padStart(2, '0'), `zending 3SPLD${1000 + i} kwijt`, T0 + i)));
    const page = await searchMessages(db, { text: '3spld1' }, { limit: 3 });
    expect({ ids: page.messages.map((m) => m.platformId), more: page.more }).toEqual({ ids: ['49', '48', '47'], more: true });
    expect(await found({ text: '3spld1012 kwij' })).toEqual(['12']);
  });

  it('a live query of a word nobody wrote yet runs again once a message with it is indexed (the customer panel)', async () => {
    await seed(history);
    const answers: string[][] = [];
    const sub = liveQuery(() => searchMessages(db, { text: 'wietsk' })).subscribe((r) => answers.push(r.messages.map((m) => m.platformId)));
    try {
      await expect.poll(() => answers.length).toBe(1);
      expect(answers[0]).toEqual([]);
      const late = [message('7', 'Waar blijft mijn pakket?', T0 + 9 * HOUR, 'fb_message', { author: { id: 'u-7', name: 'Wietske Fbq', handle: '' } })];
      await db.transaction('rw', db.messages, db.searchIndex, () => Promise.all([db.messages.bulkPut(late), indexMessages(db, late)]));
      await expect.poll(() => answers.at(-1)).toEqual(['7']);
    } finally {
      sub.unsubscribe();
    }
  });

  it('queued messages are indexed once arrivals pause, and leave the queue', async () => {
    db = openDb(`search-test-${++n}`);
    await db.transaction('rw', db.messages, db.searchPending, () => Promise.all([db.messages.bulkPut(history), queueForSearch(db, history)]));
    expect(await db.searchPending.count()).toBe(6);
    expect(await found({ text: 'verbin' })).toEqual([]);
    let stop = () => {};
    await new Promise<void>((resolve) => {
      stop = startSearchIndexer(db, 20, resolve);
    });
    stop();
    expect(await found({ text: 'verbin' })).toEqual(['5', '2', '1']);
    expect(await db.searchPending.count()).toBe(0);
  });

  it('the backfill indexes messages stored before search existed, and resumes where it stopped', async () => {
    db = openDb(`search-test-${++n}`);
    const old = Array.from({ length: 2_500 }, (_, i) => message(String(i).padStart(5, '0'), i === 2_222 ? 'oude verbinding' : 'oud bericht', T0 + i));
    await db.messages.bulkPut(old);
    expect(await found({ text: 'verbin' })).toEqual([]);
    await new Promise<void>((resolve) => startSearchBackfill(db, resolve, (next) => setTimeout(next, 0)));
    expect(await found({ text: 'verbin' })).toEqual(['02222']);
    expect(await db.searchIndex.count()).toBe(2_500);
    expect((await db.settings.get('searchBackfill'))?.value).toBe('done');
  });
});

describe('code-like queries: tracking codes, postcodes, order and phone numbers', () => {
  let db: WebcareDb;
  let n = 0;
  afterEach(async () => {
    await db.delete();
  });

  /** Entries (keys, rows, messages) every read of the store returned, counted by a DBCore middleware, and which index each range read used. */
  const reads = { entries: 0, ranges: [] as string[], codes: 0 };
  function countReads(target: WebcareDb): void {
    target.use({
      stack: 'dbcore',
      name: 'count-reads',
      create: (down: DBCore): DBCore => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return {
            ...table,
            query: async (req) => {
              const res = await table.query(req);
              reads.entries += res.result.length;
              if (req.query.index.name === 'codes') reads.codes += res.result.length;
              reads.ranges.push(`${name}.${req.query.index.name || ':id'}`);
              return res;
            },
            getMany: async (req) => {
              const res = await table.getMany(req);
              reads.entries += res.length;
              return res;
            },
          };
        },
      }),
    });
  }

  /** 2,000 messages, most with a tracking code of their own (thousands of words under "3spld"), some with postcodes, order and phone numbers. */
  function traffic(): Message[] {
    let seed = 7;
    const r = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const digits = (k: number) => String(Math.floor(r() * 10 ** k)).padStart(k, '0');
    const channels: Channel[] = ['x_mention', 'x_dm', 'fb_comment', 'fb_message'];
    return Array.from({ length: 2_000 }, (_, i) => {
      const parts = [r() < 0.8 ? `Mijn pakket 3SPLD${digits(9)} is er nog niet` : 'Waar blijft mijn pakket?'];
      if (i % 97 === 5) parts.push('Postcode 1012 AB, huisnummer 4');
      if (i % 89 === 3) parts.push('Nieuw adres: 1012AB Amsterdam');
      if (i % 83 === 1) parts.push('Verhuisd naar 3511AB Utrecht');
      if (i % 7 === 2) parts.push(`postcode ${1000 + Math.floor(r() * 9000)} ${r() < 0.5 ? 'AB' : 'XZ'}`);
      if (i % 101 === 7) parts.push('Bestelling #4711-2289 kwam nooit');
      if (i % 5 === 1) parts.push(`Bestelling #${1000 + Math.floor(r() * 9000)}-${digits(4)}`);
      if (i % 103 === 11) parts.push('Bel me op 06-12345678');
      if (i % 6 === 4) parts.push(`Bel 06-${digits(8)}`);
      return message(`c${String(i).padStart(4, '0')}`, parts.join('. '), T0 + i * 60_000, channels[i % 4]);
    });
  }

  async function seed(messages: Message[]): Promise<void> {
    db = openDb(`search-codes-${++n}`);
    countReads(db);
    await db.transaction('rw', db.messages, db.searchIndex, () => Promise.all([db.messages.bulkPut(messages), indexMessages(db, messages)]));
  }

  /** What the query language says: every match, newest first, the first `limit`, and whether there are more. */
  function expected(messages: readonly Message[], q: SearchQuery, limit: number): { ids: string[]; more: boolean } {
    const query = parseQuery(q.text);
    const all = messages
      .filter((m) => matchesMessage(m, query) && (q.from === undefined || m.createdAt >= q.from) && (q.to === undefined || m.createdAt <= q.to))
      .filter((m) => !q.channels?.length || q.channels.includes(m.channel))
      .sort((a, b) => b.createdAt - a.createdAt);
    return { ids: all.slice(0, limit).map((m) => m.platformId), more: all.length > limit };
  }

  /** The newest 4,000 messages: one in five hundred with a code; the 1,000 before them each with one. */
  function codesInOlderMessages(): Message[] {
    return Array.from({ length: 5_000 }, (_, i) =>
      message(`m${String(i).padStart(4, '0')}`, i >= 1_000 && i % 500 !== 7 ? 'Waar blijft mijn pakket?' : `Pakket 3SPLD${String(100_000_000 + i * 7_919).slice(0, 9)} kwijt`, T0 + i * 60_000),
    );
  }

  const codeOf = (m: Message | undefined) => /3SPLD\d{9}/.exec(m?.text ?? '')?.[0] ?? '';

  it('every prefix of a code, a postcode with and without its space, an order and a phone number as typed: exactly what the query language finds', async () => {
    const messages = traffic();
    await seed(messages);
    const code = codeOf(messages.find((m, i) => i === 700 && codeOf(m)) ?? messages.find((m) => codeOf(m)));
    expect(code).not.toBe('');
    const typed = (s: string) => Array.from({ length: s.length }, (_, i) => s.slice(0, i + 1));
    const queries = [...typed(code), ...typed('1012 AB'), ...typed('3511AB'), ...typed('#4711-2289'), ...typed('06-12345678'), '3spld1 OR 3spld2', '3spld -pakket', '"pakket 3spld1"'];
    const windows: Omit<SearchQuery, 'text'>[] = [{}, { channels: ['fb_comment'] }, { from: T0 + 500 * 60_000, to: T0 + 1_500 * 60_000 }];
    // Each with the date and channel filters, every result at once, and as the walk alone finds it.
    const cases = windows.map((w) => ({ w, limit: 20, options: {} })).concat([
      { w: {}, limit: 5_000, options: {} },
      { w: {}, limit: 20, options: { probe: 0 } },
      // The plans of a store whose codes are still being backfilled.
      { w: {}, limit: 20, options: { byHour: false } },
      { w: { channels: ['fb_comment'] }, limit: 20, options: { byHour: false } },
    ]);
    for (const text of queries) {
      for (const { w, limit, options } of cases) {
        const q = { text, ...w };
        const got = await searchMessages(db, q, { limit, ...options });
        expect({ text, w, limit, options, ids: got.messages.map((m) => m.platformId), more: got.more }).toEqual({ text, w, limit, options, ...expected(messages, q, limit) });
      }
    }
  }, 120_000);

  it('a prefix of thousands of codes fills its page from the newest rows without reading every key', async () => {
    const messages = traffic();
    await seed(messages);
    const distinct = await distinctWords(db, '3spld', 5_000);
    expect(distinct.length).toBeGreaterThan(1_500);
    for (const text of ['3SPLD', '3spld', '3s']) {
      reads.entries = 0;
      const got = await searchMessages(db, { text }, { limit: 20 });
      expect(got.messages.map((m) => m.platformId)).toEqual(expected(messages, { text }, 20).ids);
      expect(got.more).toBe(true);
      // A few keys and the newest rows: far fewer than the prefix's 1,500-odd keys.
      expect(reads.entries).toBeLessThan(800);
    }
  });

  it('a prefix of a few hundred codes among thousands reads its keys rather than walking every row', async () => {
    const messages = traffic();
    await seed(messages);
    const text = '3spld1';
    for (const byHour of [true, false]) {
      reads.entries = 0;
      const got = await searchMessages(db, { text, channels: ['fb_message'] }, { limit: 20, byHour });
      expect(got.messages.map((m) => m.platformId)).toEqual(expected(messages, { text, channels: ['fb_message'] }, 20).ids);
      expect(reads.entries).toBeLessThan(1_000);
    }
  });

  it('a prefix of hundreds of codes: the newest hours of the codes index, far fewer keys than the words index holds', async () => {
    // 24,000 messages a minute apart (400 hours), each with a code: "3spld12" starts about 240 of them.
    let seed_ = 3;
    const r = () => {
      seed_ = (seed_ * 1664525 + 1013904223) >>> 0;
      return seed_ / 2 ** 32;
    };
    const messages = Array.from({ length: 24_000 }, (_, i) => message(`h${String(i).padStart(5, '0')}`, `Zending 3SPLD${String(Math.floor(r() * 1e9)).padStart(9, '0')} kwijt`, T0 + i * 60_000));
    await seed(messages);
    const all = (await db.searchIndex.where('words').startsWith('3spld12').primaryKeys()).length;
    expect(all).toBeGreaterThan(150);
    for (const [text, limit] of [['3spld12', 20], ['3SPLD12', 50], ['3spld1 OR 3spld2', 20], ['3spld12 kwijt', 20], ['3spld', 20]] as const) {
      reads.codes = 0;
      reads.ranges = [];
      const got = await searchMessages(db, { text }, { limit });
      expect({ text, ids: got.messages.map((m) => m.platformId), more: got.more }).toEqual({ text, ...expected(messages, { text }, limit) });
      expect(reads.ranges, text).toContain('searchIndex.codes');
      // About the newest matches, not every key the words start.
      expect(reads.codes, text).toBeGreaterThan(limit);
      expect(reads.codes, text).toBeLessThan(limit * 3);
    }
    // Without the codes index every key of the words is read.
    reads.entries = 0;
    await searchMessages(db, { text: '3spld12' }, { limit: 20, byHour: false });
    expect(reads.entries).toBeGreaterThan(all);
  }, 60_000);

  it('a prefix of codes in older messages only: a few hours, then the keys of the rest, nothing missed or twice', async () => {
    const messages = codesInOlderMessages();
    await seed(messages);
    for (const limit of [20, 60]) {
      reads.ranges = [];
      const got = await searchMessages(db, { text: '3s' }, { limit });
      expect({ ids: got.messages.map((m) => m.platformId), more: got.more }).toEqual(expected(messages, { text: '3s' }, limit));
      // Hours of the codes index first, then the keys of the word, then no more hours.
      const hours = reads.ranges.indexOf('searchIndex.codes');
      const keyed = reads.ranges.lastIndexOf('searchIndex.words');
      expect(hours).toBeGreaterThanOrEqual(0);
      expect(keyed).toBeGreaterThan(hours);
      expect(reads.ranges.slice(keyed).filter((r) => r === 'searchIndex.codes')).toEqual([]);
      expect(reads.ranges.filter((r) => r === 'searchIndex.codes').length).toBeLessThan(40);
    }
  });

  it('rows stored before the codes index: found by the other plans until the backfill has given them theirs', async () => {
    const messages = traffic();
    const name = `search-codes-old-${crypto.randomUUID()}`;
    // The store as the version before the codes index left it.
    const old = new Dexie(name);
    old.version(12).stores({ messages: 'key, [channel+createdAt], conversationId, createdAt', settings: 'key', searchIndex: 'sk, *words, who' });
    await old.table('messages').bulkPut(messages);
    await old.table('searchIndex').bulkPut(
      messages.map((m) => {
        const { codes: _codes, ...row } = searchRowOf(m);
        return row;
      }),
    );
    old.close();
    db = openDb(name);
    expect((await db.settings.get(CODES_BACKFILL_KEY))?.value).toBe('');
    expect(await codesReady(db)).toBe(false);
    expect(await db.searchIndex.where('codes').startsWith('').count()).toBe(0);
    const q = { text: '3spld1' };
    expect((await searchMessages(db, q, { limit: 20 })).messages.map((m) => m.platformId)).toEqual(expected(messages, q, 20).ids);
    // A row the indexer writes meanwhile keeps its codes.
    const fresh = message('new1', 'Zending 3SPLD123456789 kwijt', T0 + 3_000 * 60_000);
    await db.transaction('rw', db.messages, db.searchIndex, () => Promise.all([db.messages.put(fresh), indexMessages(db, [fresh])]));
    await new Promise<void>((resolve) => startCodesBackfill(db, resolve, (next) => setTimeout(next, 0)));
    expect((await db.settings.get(CODES_BACKFILL_KEY))?.value).toBe('done');
    expect(await codesReady(db)).toBe(true);
    const row = await db.searchIndex.get(searchKeyOf(messages[1_999]!.createdAt, messages[1_999]!.key));
    expect(row?.codes).toEqual(codesOf(row!.sk, row!.words));
    const withCodes = [...messages, fresh];
    expect(await db.searchIndex.where('codes').startsWith('').count()).toBe(withCodes.reduce((n, m) => n + codesOf(searchKeyOf(m.createdAt, m.key), searchRowOf(m).words).length, 0));
    reads.ranges = [];
    countReads(db);
    for (const text of ['3spld1', '3spld12345', '1012', '06-']) {
      expect((await searchMessages(db, { text }, { limit: 20 })).messages.map((m) => m.platformId), text).toEqual(expected(withCodes, { text }, 20).ids);
    }
  });

  it('a store made with the codes index has nothing to backfill', async () => {
    db = openDb(`search-codes-${++n}`);
    await db.open();
    expect(await db.settings.get(CODES_BACKFILL_KEY)).toBeUndefined();
    expect(await codesReady(db)).toBe(true);
  });

  it('a prefix common in older messages only: the newest rows walked, then the keys of the rest, nothing missed or twice', async () => {
    const messages = codesInOlderMessages();
    await seed(messages);
    // "3s": its first words say nothing of how many it starts (letters follow), and a few keys do not hold them all.
    for (const limit of [20, 60]) {
      reads.ranges = [];
      const got = await searchMessages(db, { text: '3s' }, { limit, byHour: false });
      expect({ ids: got.messages.map((m) => m.platformId), more: got.more }).toEqual(expected(messages, { text: '3s' }, limit));
      // First the walk (rows by key), then the keys of the word (its index), then no more walking.
      const walked = reads.ranges.indexOf('searchIndex.:id');
      const keyed = reads.ranges.lastIndexOf('searchIndex.words');
      expect(walked).toBeGreaterThanOrEqual(0);
      expect(keyed).toBeGreaterThan(walked);
      expect(reads.ranges.slice(keyed).filter((r) => r === 'searchIndex.:id')).toEqual([]);
    }
  });

  it('a search nobody waits for any more stops at its next read', async () => {
    const messages = traffic();
    await seed(messages);
    const stale = new AbortController();
    reads.entries = 0;
    const search = searchMessages(db, { text: '3spld1' }, { limit: 20, signal: stale.signal });
    stale.abort();
    await expect(search).rejects.toMatchObject({ name: 'AbortError' });
    const before = reads.entries;
    await new Promise((r) => setTimeout(r, 50));
    expect(reads.entries).toBe(before);
    expect(reads.entries).toBeLessThan(400);
    await expect(searchMessages(db, { text: 'pakket' }, { signal: stale.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('highlighting', () => {
  it('marks whole words that start with a term, diacritics and case aside', () => {
    expect(markTerms('Het Café en de cafetaria; ÉÉN keer', ['cafe', 'een'])).toEqual([
      { text: 'Het ', hit: false },
      { text: 'Café', hit: true },
      { text: ' en de ', hit: false },
      { text: 'cafetaria', hit: true },
      { text: '; ', hit: false },
      { text: 'ÉÉN', hit: true },
      { text: ' keer', hit: false },
    ]);
  });

  it('an excerpt of a long text starts near the first hit and never cuts a surrogate pair', () => {
    const text = `${'😀'.repeat(100)} verbinding ${'x '.repeat(100)}`;
    const ex = excerptAround(text, ['verbin'], 60);
    expect(ex.includes('verbinding')).toBe(true);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(ex)).toBe(false);
  });
});
