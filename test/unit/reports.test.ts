import { describe, expect, it } from 'vitest';
import {
  cannedUsage,
  episodesOf,
  fillPeriods,
  periodsBetween,
  groupRows,
  median,
  percentile,
  periodOf,
  sentimentTrend,
  toCsv,
  topTerms,
  totalRow,
  volumeHeatmap,
  type ReportMark,
  type ReportMessage,
} from '../../shared/reports';
import type { Message } from '../../shared/model';
import { episodesOfFacts, factsOf, foldFacts, goneOf, hash53, tableFigures } from '../../shared/reportFacts';
import { BusinessHoursSchema, DEFAULT_TARGETS } from '../../shared/sla';
import type { WorkflowRecord } from '../../shared/workflow';
import { reduceWorkflow, specialistWaitBetween } from '../../shared/workflowState';

/**
 * A reference week worked out by hand (Europe/Amsterdam, January 2026: UTC+1).
 * Business hours: Monday to Thursday 08:00–22:00, Friday 08:00–02:00 (past
 * midnight into Saturday), closed at the weekend. Targets: X 60 min, Messenger
 * 240 min (the defaults). The report is read on Monday 12 January at 12:00.
 *
 *  conversation                                   FRT (business)  target  agent
 *  A  mention Fri 9 23:30, reply Sat 01:00           90 min       missed  Bas
 *  B  DM Sat 10 12:00, reply Mon 12 08:30            30 min       met     (on x.com)
 *  C  mention Mon 5 10:00, a DM at 10:10 (another    —            none    —
 *     channel: answers nothing), marked done 11:00   resolution 60 min
 *  D1 Messenger Tue 6 09:00, 09:05, 09:20; Eva       45 min       met     Eva
 *     09:45 (three messages, one conversation)
 *  D2 Messenger Tue 6 10:00, never answered          —            missed  —
 *  E  comment Wed 7 14:00, specialist asked 14:10,   30 min       met     Bas
 *     answered 14:40, reply 15:00, done 15:30        (specialist 30, resolution 90)
 *  F  mention Thu 8 09:00 by Frank, Gina replies in  Gina 10 min  met     Eva
 *     the thread 09:10, Eva answers Gina 09:20, Bas  Frank 90 min missed  Bas
 *     answers Frank 10:30
 *
 * FRTs: 10, 30, 30, 45, 90, 90 → median 37.5 min, p90 (nearest rank 6 of 6) 90.
 * Within target: met B, D1, E, Gina; missed A, D2, Frank → 4 of 7.
 */
const TZ = 'Europe/Amsterdam';
const MIN = 60_000;
/** Local (UTC+1 in January) wall time to epoch ms. */
const at = (day: number, h: number, m = 0) => Date.UTC(2026, 0, day, h - 1, m);

const hours = BusinessHoursSchema.parse({
  timeZone: TZ,
  week: [
    [{ start: '08:00', end: '22:00' }],
    [{ start: '08:00', end: '22:00' }],
    [{ start: '08:00', end: '22:00' }],
    [{ start: '08:00', end: '22:00' }],
    [{ start: '08:00', end: '02:00' }],
    [],
    [],
  ],
});
const NOW = at(12, 12);

let n = 0;
function msg(p: Partial<ReportMessage> & Pick<ReportMessage, 'channel' | 'conversationId' | 'createdAt'> & { who?: string }): ReportMessage {
  const platformId = p.platformId ?? `p${++n}`;
  const who = p.who ?? 'us';
  return {
    key: `${p.channel}:${platformId}`,
    platformId,
    accountId: p.channel.startsWith('x_') ? 'acc-x' : 'acc-fb',
    text: p.text ?? '',
    fromUs: p.fromUs ?? false,
    author: { id: who, name: who },
    ...p,
  };
}

const messages: ReportMessage[] = [
  // A
  msg({ channel: 'x_mention', conversationId: 'a', platformId: 'a1', createdAt: at(9, 23, 30), who: 'anna', text: 'Pakket kwijt' }),
  msg({ channel: 'x_mention', conversationId: 'a', platformId: 'a2', createdAt: at(10, 1), fromUs: true, inReplyToId: 'a1', by: 'Bas' }),
  // B
  msg({ channel: 'x_dm', conversationId: 'b', createdAt: at(10, 12), who: 'bert', text: 'Pakket kwijt, graag hulp' }),
  msg({ channel: 'x_dm', conversationId: 'b', createdAt: at(12, 8, 30), fromUs: true }),
  // C: a public mention answered only by DM
  msg({ channel: 'x_mention', conversationId: 'c', platformId: 'c1', createdAt: at(5, 10), who: 'carol', text: 'Waar blijft mijn pakket' }),
  msg({ channel: 'x_dm', conversationId: 'c-dm', createdAt: at(5, 10, 10), fromUs: true, by: 'Bas' }),
  // D
  msg({ channel: 'fb_message', conversationId: 'd', platformId: 'd1', createdAt: at(6, 9), who: 'dave' }),
  msg({ channel: 'fb_message', conversationId: 'd', platformId: 'd2', createdAt: at(6, 9, 5), who: 'dave' }),
  msg({ channel: 'fb_message', conversationId: 'd', platformId: 'd3', createdAt: at(6, 9, 20), who: 'dave' }),
  msg({ channel: 'fb_message', conversationId: 'd', createdAt: at(6, 9, 45), fromUs: true, by: 'Eva' }),
  msg({ channel: 'fb_message', conversationId: 'd', platformId: 'd5', createdAt: at(6, 10), who: 'dave' }),
  // E
  msg({ channel: 'fb_comment', conversationId: 'e', platformId: 'e1', createdAt: at(7, 14), who: 'erik', department: 'billing' }),
  msg({ channel: 'fb_comment', conversationId: 'e', createdAt: at(7, 15), fromUs: true, inReplyToId: 'e1', by: 'Bas' }),
  // F: two customers in one X thread
  msg({ channel: 'x_mention', conversationId: 'f', platformId: 'f1', createdAt: at(8, 9), who: 'frank' }),
  msg({ channel: 'x_mention', conversationId: 'f', platformId: 'g1', createdAt: at(8, 9, 10), who: 'gina', inReplyToId: 'f1' }),
  msg({ channel: 'x_mention', conversationId: 'f', createdAt: at(8, 9, 20), fromUs: true, inReplyToId: 'g1', by: 'Eva' }),
  msg({ channel: 'x_mention', conversationId: 'f', createdAt: at(8, 10, 30), fromUs: true, inReplyToId: 'f1', by: 'Bas' }),
];

const marks = new Map<string, ReportMark>([
  ['x_mention:c1', { status: 'done', at: at(5, 11) }],
  ['fb_comment:e1', { status: 'done', at: at(7, 15, 30), tag: 'billing', sentiment: 'negative' }],
]);
const markOf = (k: string) => marks.get(k);

let seq = 0;
const rec = (kind: string, tAt: number, data: Record<string, unknown>, conversationKey?: string): WorkflowRecord =>
  ({ id: `r${++seq}`, kind, seq, by: 'bas', byName: 'Bas', at: tAt, clientAt: tAt, data, ...(conversationKey ? { conversationKey } : {}) }) as WorkflowRecord;
const workflow = reduceWorkflow([
  rec('ask', at(7, 14, 10), { to: { login: 'sara' }, question: 'Is dit betaald?' }, 'fb_comment:e'),
  { ...rec('answer', at(7, 14, 40), { askId: 'r1', text: 'Ja' }) },
]);

const opts = {
  hours,
  targets: DEFAULT_TARGETS,
  now: NOW,
  specialist: (key: string, from: number, to: number) => specialistWaitBetween(workflow, key, from, to),
};
const eps = episodesOf(messages, markOf, at(5, 0), at(12, 0), opts);

describe('the reference week', () => {
  it('finds eight conversations with the hand-worked response times', () => {
    const byKey = Object.fromEntries(eps.map((e) => [e.key, e]));
    expect(eps).toHaveLength(8);
    expect(byKey['x_mention:a1']).toMatchObject({ frtMs: 90 * MIN, target: 'missed', by: 'Bas' }); // past midnight on Friday's hours
    expect(byKey[eps.find((e) => e.channel === 'x_dm')!.key]).toMatchObject({ frtMs: 30 * MIN, target: 'met', by: '' }); // the weekend does not count
    expect(byKey['x_mention:c1']).toMatchObject({ target: 'none', resolutionMs: 60 * MIN, doneAt: at(5, 11) });
    expect(byKey['x_mention:c1']!.frtMs).toBeUndefined(); // a DM answers nothing in the public thread
    expect(byKey['fb_message:d1']).toMatchObject({ messages: 3, frtMs: 45 * MIN, target: 'met', by: 'Eva' });
    expect(byKey['fb_message:d5']).toMatchObject({ messages: 1, target: 'missed' });
    expect(byKey['fb_message:d5']!.replyAt).toBeUndefined();
    expect(byKey['fb_comment:e1']).toMatchObject({ frtMs: 30 * MIN, specialistMs: 30 * MIN, resolutionMs: 90 * MIN, department: 'billing', target: 'met' });
    expect(byKey['x_mention:f1']).toMatchObject({ frtMs: 90 * MIN, target: 'missed', by: 'Bas' });
    expect(byKey['x_mention:g1']).toMatchObject({ frtMs: 10 * MIN, target: 'met', by: 'Eva' });
  });

  it('totals: median 37.5 min, p90 90 min, 4 of 7 within target, resolution median 75 min', () => {
    const t = totalRow(eps);
    expect(t).toMatchObject({ conversations: 8, messages: 10, answered: 6, met: 4, missed: 3, resolved: 2, withSpecialist: 1 });
    expect(t.frtMedianMs).toBe(37.5 * MIN);
    expect(t.frtP90Ms).toBe(90 * MIN);
    expect(t.withinTarget).toBeCloseTo(4 / 7, 10);
    expect(t.resolutionMedianMs).toBe(75 * MIN);
    expect(t.specialistMedianMs).toBe(30 * MIN);
  });

  it('by agent: a colleague counts for the colleague, a reply on the platform as elsewhere, the unanswered apart', () => {
    const rows = Object.fromEntries(groupRows(eps, 'agent', { timeZone: TZ }).map((r) => [r.group, r]));
    expect(rows.Bas).toMatchObject({ conversations: 3, frtMedianMs: 90 * MIN, met: 1, missed: 2 });
    expect(rows.Eva).toMatchObject({ conversations: 2, frtMedianMs: 27.5 * MIN, met: 2, missed: 0, withinTarget: 1 });
    expect(rows['']).toMatchObject({ conversations: 1, frtMedianMs: 30 * MIN });
    expect(rows['-']).toMatchObject({ conversations: 2, answered: 0, frtMedianMs: null, missed: 1 });
  });

  it('by day in the team time zone, by week from Monday, by channel', () => {
    expect(groupRows(eps, 'day', { timeZone: TZ }).map((r) => [r.group, r.conversations])).toEqual([
      ['2026-01-05', 1],
      ['2026-01-06', 2],
      ['2026-01-07', 1],
      ['2026-01-08', 2],
      ['2026-01-09', 1],
      ['2026-01-10', 1],
    ]);
    expect(groupRows(eps, 'week', { timeZone: TZ }).map((r) => [r.group, r.conversations])).toEqual([['2026-01-05', 8]]);
    expect(groupRows(eps, 'channel', { timeZone: TZ }).map((r) => [r.group, r.conversations])).toEqual([
      ['x_mention', 4],
      ['fb_message', 2],
      ['fb_comment', 1],
      ['x_dm', 1],
    ]);
    expect(groupRows(eps, 'department', { timeZone: TZ }).find((r) => r.group === 'billing')?.conversations).toBe(1);
    const cols = groupRows(eps, 'column', { timeZone: TZ, columnsOf: (e) => (e.channel.startsWith('x_') ? ['x', 'all'] : ['all']) });
    expect(cols.map((r) => [r.group, r.conversations])).toEqual([
      ['all', 8],
      ['x', 5],
    ]);
  });

  it('a conversation that started before the range is not cut in two', () => {
    // Dave's Tuesday messages from 09:05 on: the range starts after his first.
    const later = episodesOf(messages, markOf, at(6, 9, 1), at(12, 0), opts);
    expect(later.find((e) => e.key === 'fb_message:d2')).toBeUndefined();
    expect(later).toHaveLength(6);
  });
});

describe('periods, heatmap, sentiment, words', () => {
  it('a message at 00:30 on Saturday in Amsterdam is Friday 23:30 UTC but Saturday here', () => {
    const t = Date.UTC(2026, 0, 9, 23, 30);
    expect(periodOf(t, 'day', TZ)).toBe('2026-01-10');
    expect(periodOf(t, 'week', TZ)).toBe('2026-01-05');
    expect(periodOf(t, 'month', TZ)).toBe('2026-01');
    // Summer time: 2026-03-29 00:30 UTC is 01:30 CET; 01:30 UTC is 03:30 CEST.
    expect(periodOf(Date.UTC(2026, 2, 29, 22, 30), 'day', TZ)).toBe('2026-03-30');
    expect(periodOf(Date.UTC(2026, 2, 29, 21, 30), 'day', TZ)).toBe('2026-03-29');
  });

  it('lists every period of a range, quiet ones too', () => {
    expect(periodsBetween(at(5, 0), at(12, 0), 'day', TZ)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11']);
    expect(periodsBetween(at(1, 0), at(20, 0), 'week', TZ)).toEqual(['2025-12-29', '2026-01-05', '2026-01-12', '2026-01-19']); // the 19th, a Monday, is the range's last day
    // 30 Nov 23:00 UTC is 1 December in Amsterdam; the range ends as 1 February begins there.
    expect(periodsBetween(Date.UTC(2025, 10, 30, 23), at(32, 0), 'month', TZ)).toEqual(['2025-12', '2026-01']);
    const rows = fillPeriods(groupRows(eps, 'day', { timeZone: TZ }), periodsBetween(at(5, 0), at(12, 0), 'day', TZ));
    expect(rows.map((r) => r.conversations)).toEqual([1, 2, 1, 2, 1, 1, 0]);
    expect(rows[6]).toMatchObject({ group: '2026-01-11', frtMedianMs: null, withinTarget: null });
  });

  it('the heatmap counts customers by local weekday and hour', () => {
    const grid = volumeHeatmap(messages, at(5, 0), at(12, 0), TZ);
    expect(grid[4]![23]).toBe(1); // Anna, Friday 23:30
    expect(grid[5]![12]).toBe(1); // Bert, Saturday 12:00
    expect(grid[1]![9]).toBe(3); // Dave, Tuesday 9
    expect(grid[3]![9]).toBe(2); // Frank and Gina, Thursday 9
    expect(grid.flat().reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('sentiment per day counts the agent reading over the console one', () => {
    const withReading = messages.map((m) => (m.platformId === 'e1' ? { ...m, sentiment: 'positive' as const } : m.platformId === 'a1' ? { ...m, sentiment: 'negative' as const } : m));
    const rows = sentimentTrend(withReading, markOf, at(5, 0), at(12, 0), 'day', TZ);
    expect(rows.find((r) => r.period === '2026-01-07')).toEqual({ period: '2026-01-07', positive: 0, neutral: 0, negative: 1, unknown: 0 });
    expect(rows.find((r) => r.period === '2026-01-09')).toEqual({ period: '2026-01-09', positive: 0, neutral: 0, negative: 1, unknown: 0 });
    expect(rows.reduce((a, r) => a + r.positive + r.neutral + r.negative + r.unknown, 0)).toBe(10);
  });

  it('top words and phrases are shared by at least two messages', () => {
    const { words, phrases } = topTerms(['Pakket kwijt', 'Pakket kwijt, graag hulp', 'Waar blijft mijn pakket', 'Iets anders']);
    expect(words[0]).toEqual({ word: 'pakket', count: 3 });
    expect(phrases).toEqual([{ phrase: 'pakket kwijt', count: 2 }]);
  });
});

describe('statistics, canned use and CSV', () => {
  it.each([
    [[], null, null],
    [[5], 5, 5],
    [[1, 2], 1.5, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10],
  ])('%j: median %s, p90 %s', (xs, med, p90) => {
    expect(median(xs)).toBe(med);
    expect(percentile(xs, 0.9)).toBe(p90);
  });

  it('counts canned replies in the range, by agent', () => {
    const rows = cannedUsage(
      [
        { cannedId: 'late', by: 'Eva', at: at(6, 10) },
        { cannedId: 'late', by: 'Bas', at: at(6, 11) },
        { cannedId: 'late', by: 'Eva', at: at(7, 10) },
        { cannedId: 'thanks', by: 'Eva', at: at(7, 10) },
        { cannedId: 'thanks', by: 'Eva', at: at(13, 10) },
      ],
      at(5, 0),
      at(12, 0),
    );
    expect(rows).toEqual([
      { cannedId: 'late', uses: 3, agents: [{ by: 'Eva', uses: 2 }, { by: 'Bas', uses: 1 }] },
      { cannedId: 'thanks', uses: 1, agents: [{ by: 'Eva', uses: 1 }] },
    ]);
  });

  it('writes RFC 4180 CSV and defuses formulas in untrusted text', () => {
    expect(toCsv(['group', 'n'], [['=HYPERLINK("x")', 3], ['a,b', null], ['say "hi"\nthere', 1.5], ['-1', -1]])).toBe(
      'group,n\r\n"\'=HYPERLINK(""x"")",3\r\n"a,b",\r\n"say ""hi""\nthere",1.5\r\n\'-1,-1\r\n',
    );
  });
});

describe('the same figures from the facts kept beside the messages', () => {
  it('finds the reference week exactly as from the messages', () => {
    const asMessages = messages.map((m) => ({ ...m, author: { ...m.author, handle: '' } })) as unknown as Message[];
    // Written in three chunks, one of them again (a batch sent twice): the last write of each message counts.
    const chunks = [factsOf(asMessages.slice(0, 7)), factsOf(asMessages.slice(5)), factsOf(asMessages.slice(0, 3))].map((c, id) => ({ ...c, id }));
    const table = foldFacts(chunks, at(1, 0));
    expect(table.n).toBe(messages.length);
    const byHash = new Map([...marks].map(([k, v]) => [hash53(k), v]));
    const convs = new Map(['fb_comment:e'].map((k) => [String(hash53(k)), k]));
    const fromFacts = episodesOfFacts(table, (h) => byHash.get(h), at(5, 0), at(12, 0), {
      ...opts,
      specialist: (key, a, b) => specialistWaitBetween(workflow, convs.get(key) ?? key, a, b),
    });
    const strip = (e: object) => {
      const { key: _k, keyHash: _h, conversationKey: _c, ...rest } = e as Record<string, unknown>;
      return rest;
    };
    const byStart = <T extends { start: number }>(list: T[], h: (e: T) => number) => [...list].sort((a, b) => a.start - b.start || h(a) - h(b));
    const facts = byStart(fromFacts, (e) => e.keyHash);
    const direct = byStart(eps, (e) => hash53(e.key));
    expect(facts.map(strip)).toEqual(direct.map(strip));
    expect(facts.map((e) => e.keyHash)).toEqual(direct.map((e) => hash53(e.key)));
  });

  it('a removed message is gone, and one stored again after its removal is back', () => {
    const asMessages = messages.slice(0, 2) as unknown as Message[];
    const t1 = foldFacts([{ ...factsOf(asMessages), id: 1 }, { ...goneOf([asMessages[0]!.key]), id: 2 }], 0);
    expect(t1.n).toBe(1);
    const t2 = foldFacts([{ ...factsOf(asMessages), id: 1 }, { ...goneOf([asMessages[0]!.key]), id: 2 }, { ...factsOf(asMessages.slice(0, 1)), id: 3 }], 0);
    expect(t2.n).toBe(2);
  });
});

describe('the heatmap and sentiment trends from the facts', () => {
  it('are those of the messages themselves', () => {
    const withReading = messages.map((m, i) => ({ ...m, sentiment: (['positive', 'neutral', 'negative', undefined] as const)[i % 4] }));
    const byHash = new Map([...marks].map(([k, v]) => [hash53(k), v]));
    const facts = tableFigures(foldFacts([{ ...factsOf(withReading as unknown as Message[]), id: 1 }], 0), (h) => byHash.get(h), at(5, 0), at(12, 0), TZ);
    expect(facts.heatmap).toEqual(volumeHeatmap(withReading, at(5, 0), at(12, 0), TZ));
    for (const p of ['day', 'week', 'month'] as const) expect(facts.sentiment[p]).toEqual(sentimentTrend(withReading, markOf, at(5, 0), at(12, 0), p, TZ));
  });
});
