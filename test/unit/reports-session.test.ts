import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/model';
import { ColumnFilterSchema } from '../../shared/filter';
import { BusinessHoursSchema, DEFAULT_TARGETS } from '../../shared/sla';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { compactFacts, FACTS_COMPACTED_KEY } from '../../renderer/src/db/facts';
import { ReportSession } from '../../renderer/src/reports/compute';

/**
 * The reports' work over a real store (the worker runs this class): what it
 * reads for a range, the columns a conversation counts in, what is left out.
 * Amsterdam, winter (UTC+1), every minute counting.
 */
let db: WebcareDb;
beforeEach(async () => {
  db = openDb(`reports-${Math.random()}`);
  await db.open();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const MIN = 60_000;
const at = (day: number, h: number, m = 0) => Date.UTC(2026, 0, day, h - 1, m);
let n = 0;
function msg(p: Partial<Message> & Pick<Message, 'channel' | 'conversationId' | 'createdAt'>): Message {
  const platformId = p.platformId ?? `m${++n}`;
  return {
    key: `${p.channel}:${platformId}`,
    platformId,
    accountId: 'acc',
    author: { id: p.fromUs ? 'us' : 'klant', name: 'Klant', handle: 'klant' },
    text: 'Waar blijft mijn pakket',
    fromUs: false,
    ...p,
  };
}

const request = (from: number, to: number) => ({
  from,
  to,
  now: at(20, 12),
  hours: BusinessHoursSchema.parse({ timeZone: 'Europe/Amsterdam' }),
  targets: DEFAULT_TARGETS,
  columns: [
    { id: 'dms', filter: ColumnFilterSchema.parse({ channels: ['x_dm'], statuses: ['open'] }) },
    { id: 'pakket', filter: ColumnFilterSchema.parse({ text: 'pakket' }) },
  ],
  me: null,
});

describe('a report over the store', () => {
  it('reads the days before the range, so a conversation begun earlier is not counted as new', async () => {
    await db.messages.bulkPut([
      // Begun on the 9th, written again on the 10th, answered on the 10th: a conversation of the 9th.
      msg({ channel: 'x_dm', conversationId: 'a', createdAt: at(9, 22) }),
      msg({ channel: 'x_dm', conversationId: 'a', createdAt: at(10, 9) }),
      msg({ channel: 'x_dm', conversationId: 'a', createdAt: at(10, 10), fromUs: true, by: 'Eva' }),
      // Of the 10th, answered in 15 minutes.
      msg({ channel: 'x_dm', conversationId: 'b', createdAt: at(10, 11) }),
      msg({ channel: 'x_dm', conversationId: 'b', createdAt: at(10, 11, 15), fromUs: true, by: 'Bas' }),
    ]);
    const s = new ReportSession(db);
    const summary = await s.load(request(at(10, 0), at(11, 0)));
    expect(summary.total).toMatchObject({ conversations: 1, answered: 1, frtMedianMs: 15 * MIN });
    expect(summary.read).toBe(5);
    expect(summary.chart).toMatchObject({ period: 'day' });
    expect(summary.chart.rows.map((r) => [r.group, r.conversations])).toEqual([['2026-01-10', 1]]);
    expect(s.rows('agent').map((r) => r.group)).toEqual(['Bas']);
  });

  it('counts a conversation in each column its first message belongs to, whatever its status now, and leaves out what was deleted from view', async () => {
    await db.messages.bulkPut([
      msg({ channel: 'x_dm', conversationId: 'a', platformId: 'a1', createdAt: at(10, 9) }),
      msg({ channel: 'x_mention', conversationId: 'b', platformId: 'b1', createdAt: at(10, 9), author: { id: 'k2', name: 'K', handle: 'k' } }),
      msg({ channel: 'x_mention', conversationId: 'c', platformId: 'c1', createdAt: at(10, 9), text: 'Spam', author: { id: 'k3', name: 'S', handle: 's' } }),
    ]);
    await db.marks.bulkPut([
      { key: 'x_dm:a1', status: 'done', at: at(10, 10) },
      { key: 'x_mention:c1', status: 'open', hidden: true, at: at(10, 10) },
    ]);
    const s = new ReportSession(db);
    const summary = await s.load(request(at(10, 0), at(11, 0)));
    expect(summary.total.conversations).toBe(2);
    expect(Object.fromEntries((await s.rowsAsync('column')).map((r) => [r.group, r.conversations]))).toEqual({ dms: 1, pakket: 2 });
    expect(summary.heatmap.flat().reduce((a, b) => a + b, 0)).toBe(2);
    const terms = await s.terms();
    expect(terms?.words).toContainEqual({ word: 'pakket', count: 2 });
    expect(terms?.sample).toBe(2);
    // Asked to give way, it gives no answer.
    expect(await s.terms(() => true)).toBeNull();
  });

  it('keeps facts beside every write of messages: a re-sent message counts once, a removed one not at all, and a store from before is filled once', async () => {
    const a = msg({ channel: 'x_dm', conversationId: 'a', platformId: 'a1', createdAt: at(10, 9) });
    const b = msg({ channel: 'x_dm', conversationId: 'b', platformId: 'b1', createdAt: at(10, 10) });
    await db.messages.bulkPut([a, b]);
    await db.messages.put({ ...a, department: 'billing' });
    await db.messages.delete(b.key);
    expect(await db.reportFacts.count()).toBe(3);
    const s = new ReportSession(db);
    // Nothing stored before the facts: filling reads the one message there is and adds it again, which changes nothing.
    const summary = await s.load(request(at(10, 0), at(11, 0)));
    expect(summary.total.conversations).toBe(1);
    expect(s.rows('department').map((r) => r.group)).toEqual(['billing']);
    expect((await db.settings.get('reportFactsFilled'))?.value).toBe(true);
    // Cleared, the facts go with the messages.
    await db.messages.clear();
    expect(await db.reportFacts.count()).toBe(0);
  });

  it('fills the facts of messages stored before they were kept, once', async () => {
    // As an older version stored them: the messages without their facts.
    await db.messages.bulkPut([msg({ channel: 'x_dm', conversationId: 'a', createdAt: at(10, 9) }), msg({ channel: 'x_dm', conversationId: 'b', createdAt: at(10, 10) })]);
    await db.reportFacts.clear();
    const s = new ReportSession(db);
    expect((await s.load(request(at(10, 0), at(11, 0)))).total.conversations).toBe(2);
    expect(await db.reportFacts.count()).toBe(1);
    await s.load(request(at(10, 0), at(11, 0)));
    expect(await db.reportFacts.count()).toBe(1);
  });

  it('lists the canned replies used in the range by shortcut', async () => {
    await db.canned.put({ id: 'late', shortcut: 'laat', category: 'x', language: 'nl', usage: 2 });
    await db.cannedUses.bulkAdd([
      { cannedId: 'late', by: 'Eva', at: at(10, 9) },
      { cannedId: 'late', by: 'Eva', at: at(12, 9) },
    ]);
    const summary = await new ReportSession(db).load(request(at(10, 0), at(11, 0)));
    expect(summary.canned).toEqual([{ cannedId: 'late', shortcut: 'laat', uses: 1, agents: [{ by: 'Eva', uses: 1 }] }]);
  });

  it('merges the small chunks the ingest writes into larger ones, and the report reads the same', async () => {
    // A poll at a time: nine small writes, one message written again (its answer's author named), one removed.
    await db.settings.put({ key: 'reportFactsFilled', value: true });
    for (let i = 0; i < 9; i++) {
      await db.messages.bulkPut([
        msg({ channel: 'x_dm', conversationId: `c${i}`, platformId: `q${i}`, createdAt: at(10, 9, i) }),
        msg({ channel: 'x_dm', conversationId: `c${i}`, platformId: `r${i}`, createdAt: at(10, 9, 10 + i), fromUs: true, ...(i === 3 ? {} : { by: 'Eva' }) }),
      ]);
    }
    await db.messages.put(msg({ channel: 'x_dm', conversationId: 'c3', platformId: 'r3', createdAt: at(10, 9, 13), fromUs: true, by: 'Bas' }));
    await db.messages.delete('x_dm:q8');
    await db.messages.put(msg({ channel: 'x_dm', conversationId: 'c9', platformId: 'q9', createdAt: at(10, 11) }));
    const before = await new ReportSession(db).load(request(at(10, 0), at(11, 0)));
    const agentsBefore = new ReportSession(db);
    await agentsBefore.load(request(at(10, 0), at(11, 0)));
    expect(await db.reportFacts.count()).toBe(12);

    // Runs of 6 messages (three writes of two), r3 written again in a run of its own, the tombstone, one message after it.
    const merged = await compactFacts(db, () => false, { rows: 6, page: 500 });
    expect(merged).toBe(6);
    const chunks = await db.reportFacts.toArray();
    expect(chunks.length).toBe(12 - merged);
    expect(chunks.filter((c) => c.gone).length).toBe(1);
    // The newest chunks (the tail after the tombstone) wait for a full run.
    expect(chunks[chunks.length - 1]?.n).toBe(1);
    expect(Number((await db.settings.get(FACTS_COMPACTED_KEY))?.value)).toBeGreaterThan(0);

    const s = new ReportSession(db);
    const after = await s.load(request(at(10, 0), at(11, 0)));
    expect({ ...after, steps: null }).toEqual({ ...before, steps: null });
    expect(s.rows('agent')).toEqual(agentsBefore.rows('agent'));
    expect(s.rows('agent').map((r) => r.group).sort()).toEqual(['-', 'Bas', 'Eva']);
    // Run again: nothing more to merge until more is written.
    expect(await compactFacts(db, () => false, { rows: 6, page: 500 })).toBe(0);
  });
});
