import { afterEach, describe, expect, it } from 'vitest';
import { compileFilter, ColumnFilterSchema } from '../../shared/filter';
import type { Message } from '../../shared/model';
import { DEFAULT_STORM_RULE, StormRuleSchema, stormVerdict, stormWindows, topWords } from '../../shared/storm';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { readStorms } from '../../renderer/src/insight/storm';
import { msg, T0 } from '../support/conversationMessages';

const rule = DEFAULT_STORM_RULE;
const DAY = 86_400_000;
const MIN = 60_000;

describe('the storm rule', () => {
  it.each<[string, number, number[], { usual: number; threshold: number; storm: boolean }]>([
    ['no history: only the minimum holds, reached', 10, [], { usual: 0, threshold: 10, storm: true }],
    ['no history: one short of the minimum', 9, [], { usual: 0, threshold: 10, storm: false }],
    ['a usual of 5: three times that is the bound', 15, [5, 5, 5], { usual: 5, threshold: 15, storm: true }],
    ['a usual of 5: 14 is a bad half hour, no storm', 14, [4, 6, 5], { usual: 5, threshold: 15, storm: false }],
    ['a busy hour every day is no storm', 40, Array(28).fill(20) as number[], { usual: 20, threshold: 60, storm: false }],
    ['a fractional usual rounds the bound up', 11, [3, 4, 4], { usual: 11 / 3, threshold: 11, storm: true }],
    ['quiet days pull the usual down: zero days count', 10, [6, 0, 0, 0, 0, 0], { usual: 1, threshold: 10, storm: true }],
  ])('%s', (_n, count, baseline, want) => {
    const v = stormVerdict(count, baseline, rule);
    expect(v.count).toBe(count);
    expect(v.usual).toBeCloseTo(want.usual);
    expect(v.threshold).toBe(want.threshold);
    expect(v.storm).toBe(want.storm);
  });

  it('only the last baselineDays count', () => {
    expect(stormVerdict(10, [0, 0, 100, 100], { ...rule, baselineDays: 2 }).usual).toBe(0);
  });

  it('the settings are bounded: a window under 5 minutes or a factor under 1 is refused', () => {
    expect(StormRuleSchema.safeParse({ windowMin: 2 }).success).toBe(false);
    expect(StormRuleSchema.safeParse({ factor: 0.5 }).success).toBe(false);
    expect(StormRuleSchema.parse({})).toEqual({ windowMin: 30, factor: 3, minCount: 10, baselineDays: 28 });
  });

  it('windows: now, then the same half hour on each earlier day the store has history for', () => {
    const now = T0 + 10 * DAY;
    const w = stormWindows(now, rule, T0 + 7 * DAY - 45 * MIN);
    expect(w).toEqual([
      { from: now - 30 * MIN, to: now },
      { from: now - DAY - 30 * MIN, to: now - DAY },
      { from: now - 2 * DAY - 30 * MIN, to: now - 2 * DAY },
      { from: now - 3 * DAY - 30 * MIN, to: now - 3 * DAY },
    ]);
    expect(stormWindows(now, rule, 0)).toHaveLength(29);
  });

  it('less than a day of history: the half hours before stand in, back to the first message, at most twelve', () => {
    const now = T0 + 10 * DAY;
    expect(stormWindows(now, rule, now - 100 * MIN)).toEqual([
      { from: now - 30 * MIN, to: now },
      { from: now - 60 * MIN, to: now - 30 * MIN },
      { from: now - 90 * MIN, to: now - 60 * MIN },
    ]);
    expect(stormWindows(now, rule, now - 20 * 60 * MIN)).toHaveLength(13);
    expect(stormWindows(now, rule, now - 10 * MIN)).toHaveLength(1);
  });
});

describe('top words', () => {
  it('words most messages share, folded, once per message; no handles, links, codes or common words; hashtags stay', () => {
    const words = topWords([
      '@polderpost De app werkt niet!! Storing? https://x.example/1',
      'Weer een STORING bij @polderpost, de app laadt niet #storing',
      'App kapot, kan niet inloggen 3SPLD1234567',
      'Inloggen lukt niet, app crasht',
      'Storing storing storing',
    ]);
    expect(words).toEqual([
      { word: 'app', count: 4 },
      { word: 'storing', count: 3 },
      { word: 'inloggen', count: 2 },
    ]);
  });
});

describe('readStorms over the store', () => {
  let db: WebcareDb | null = null;
  afterEach(async () => {
    await db?.delete();
    db = null;
  });

  /** A customer's message on an account, `minutesAgo` before now, read as `sentiment`. */
  const at = (id: string, account: string, ms: number, sentiment: Message['sentiment'], extra: Partial<Message> = {}): Message =>
    msg(id, 'x_mention', `c-${id}`, `p-${id}`, 0, { accountId: account, createdAt: ms, sentiment, text: `De app doet het niet, storing ${id}`, ...extra });

  it("counts the window's negative messages per account against the same window of earlier days; the agent's reading wins; hidden and our own do not count", async () => {
    db = openDb(`storm-${crypto.randomUUID()}`);
    const now = T0 + 30 * DAY;
    const rows: Message[] = [];
    // Three earlier days, two negative messages each in the same half hour, and one outside it.
    for (let d = 1; d <= 3; d++) {
      rows.push(at(`h${d}a`, 'acc-x', now - d * DAY - 10 * MIN, 'negative'), at(`h${d}b`, 'acc-x', now - d * DAY - 20 * MIN, 'negative'));
      rows.push(at(`h${d}c`, 'acc-x', now - d * DAY - 90 * MIN, 'negative'));
    }
    // Now: 12 negative, 2 neutral on acc-x; 3 negative on acc-fb; our own reply and a hidden one.
    for (let i = 0; i < 12; i++) rows.push(at(`n${i}`, 'acc-x', now - (i + 1) * MIN, 'negative'));
    rows.push(at('q1', 'acc-x', now - 2 * MIN, 'neutral'), at('q2', 'acc-x', now - 3 * MIN, 'positive'));
    for (let i = 0; i < 3; i++) rows.push(at(`f${i}`, 'acc-fb', now - (i + 1) * MIN, 'negative'));
    rows.push(at('ours', 'acc-x', now - MIN, undefined, { fromUs: true }));
    await db.messages.bulkPut(rows);

    let storms = await readStorms(db, now, rule);
    const x = storms.find((s) => s.accountId === 'acc-x');
    expect(x?.verdict).toMatchObject({ count: 12, usual: 2, threshold: 10, storm: true });
    expect(x?.from).toBe(now - 30 * MIN);
    expect(x?.words.map((w) => w.word)).toEqual(['app', 'storing']);
    expect(storms.find((s) => s.accountId === 'acc-fb')?.verdict).toMatchObject({ count: 3, storm: false });

    // Agents read three of them otherwise, and one is deleted from view: 8 left, no storm.
    await db.marks.bulkPut([
      { key: 'x_mention:n0', status: 'open', sentiment: 'neutral', at: now },
      { key: 'x_mention:n1', status: 'open', sentiment: 'positive', at: now },
      { key: 'x_mention:n2', status: 'done', sentiment: 'neutral', at: now },
      { key: 'x_mention:n3', status: 'open', hidden: true, at: now },
    ]);
    // An agent reading a neutral one as negative is not counted here (only the console's negative ones are read).
    await db.marks.put({ key: 'x_mention:q1', status: 'open', sentiment: 'negative', at: now });
    storms = await readStorms(db, now, rule);
    expect(storms.find((s) => s.accountId === 'acc-x')?.verdict).toMatchObject({ count: 8, storm: false });
  });

  it('a window with fewer messages in all than the minimum is not read further', async () => {
    db = openDb(`storm-${crypto.randomUUID()}`);
    const now = T0 + DAY;
    await db.messages.bulkPut(Array.from({ length: 9 }, (_, i) => at(`s${i}`, 'acc-x', now - (i + 1) * MIN, 'negative')));
    expect(await readStorms(db, now, rule)).toEqual([]);
    expect(await readStorms(db, now, { ...rule, minCount: 9 })).toMatchObject([{ accountId: 'acc-x', verdict: { count: 9, storm: true } }]);
  });

  it('an empty store has no storms', async () => {
    db = openDb(`storm-${crypto.randomUUID()}`);
    expect(await readStorms(db, T0, rule)).toEqual([]);
  });
});

describe('the incident column', () => {
  it("takes the storm's account's negative messages from the window's start on", () => {
    const from = T0 - 30 * MIN;
    const match = compileFilter(ColumnFilterSchema.parse({ accounts: ['acc-x'], sentiments: ['negative'], since: from, statuses: ['open'] }), { me: null });
    const m = (over: Partial<Message>) => msg('1', 'x_mention', 'c', 'p', 0, { accountId: 'acc-x', sentiment: 'negative', createdAt: T0, ...over });
    expect(match(m({}), undefined)).toBe(true);
    expect(match(m({ createdAt: from - 1 }), undefined)).toBe(false);
    expect(match(m({ accountId: 'acc-fb' }), undefined)).toBe(false);
    expect(match(m({ sentiment: 'neutral' }), undefined)).toBe(false);
  });
});
