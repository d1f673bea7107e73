import { liveQuery } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, Message } from '../../shared/model';
import { excerptAround, fold, markTerms, MAX_WORDS, words } from '../../shared/text/fold';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import {
  createdAtOfSearchKey,
  distinctWords,
  indexMessages,
  LONG_ROW,
  messageKeyOfSearchKey,
  searchKeyOf,
  queueForSearch,
  searchMessages,
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
    expect(await distinctWords(db, 'n', 1)).toEqual(['niet']);
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
