import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageBatch } from '../../shared/contract';
import type { WorkflowRecord } from '../../shared/workflow';
import { listCanned, seedStarter } from '../../renderer/src/canned/library';
import { STARTER_SET } from '../../renderer/src/canned/starter';
import { applyCannedRecords } from '../../renderer/src/canned/teamLibrary';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { startIngestFrom } from '../../renderer/src/db/ingest';

let db: WebcareDb;
beforeEach(() => {
  db = openDb(`canned-team-${Math.random()}`);
});
afterEach(() => db.close());

const reply = (id: string, title: string) => ({
  id,
  title,
  shortcut: id,
  category: 'bezorging',
  language: 'nl' as const,
  body: `${title}: we kijken het na.`,
  variants: {},
  updatedAt: 1,
});

let n = 0;
function record(kind: string, seq: number, data: Record<string, unknown>, by = 'anna', byName = 'Anna'): WorkflowRecord {
  return { id: crypto.randomUUID(), kind, seq, by, byName, at: 1_000 + seq, clientAt: 1_000 + seq + ++n, data };
}

/** As the ingest and the action queue do: the effects, then the records into the log, in one transaction. */
async function arrive(...records: WorkflowRecord[]): Promise<void> {
  await db.transaction('rw', [db.workflow, db.workflowQueue, db.canned, db.cannedUses], async () => {
    await applyCannedRecords(db, records);
    await db.workflow.bulkPut(records);
  });
}

const titles = async () => (await listCanned(db)).map((r) => r.title).sort();

describe('the team’s canned-reply library, from the log’s records', () => {
  it('a colleague’s save and delete reach this library; a record that arrives twice counts once', async () => {
    const save = record('cannedSave', 10, { reply: reply('waar', 'Waar is mijn pakket') });
    await arrive(save);
    expect(await titles()).toEqual(['Waar is mijn pakket']);
    const use = record('cannedUse', 11, { cannedId: 'waar' }, 'bram', 'Bram');
    // Once as this console's own action's answer, once more through the sync.
    await arrive(use);
    await arrive(use, save);
    expect(await db.cannedUses.toArray()).toEqual([expect.objectContaining({ cannedId: 'waar', by: 'Bram', at: use.at })]);
    expect((await listCanned(db))[0]?.usage).toBe(1);

    // Changed by another colleague: the text changes, the count of uses stays.
    await arrive(record('cannedSave', 12, { reply: { ...reply('waar', 'Waar blijft mijn pakket'), body: 'Nieuw' } }));
    expect(await listCanned(db)).toEqual([expect.objectContaining({ title: 'Waar blijft mijn pakket', body: 'Nieuw', usage: 1 })]);

    await arrive(record('cannedDelete', 13, { cannedId: 'waar' }));
    expect(await titles()).toEqual([]);
  });

  it('records in any order: an older save never undoes a later save or delete', async () => {
    await arrive(record('cannedDelete', 20, { cannedId: 'a' }), record('cannedSave', 30, { reply: reply('b', 'Tweede versie') }));
    // Older ones, late (the sync brings what colleagues did before this console's own answer).
    await arrive(record('cannedSave', 15, { reply: reply('a', 'Verwijderd') }), record('cannedSave', 25, { reply: reply('b', 'Eerste versie') }));
    expect(await titles()).toEqual(['Tweede versie']);
    // A later save brings a deleted reply back.
    await arrive(record('cannedSave', 40, { reply: reply('a', 'Terug') }));
    expect(await titles()).toEqual(['Terug', 'Tweede versie']);
  });

  it('a record a newer console wrote that this one cannot read is left alone', async () => {
    await arrive(record('cannedSave', 5, { reply: { id: 'x', title: 42 } }), record('cannedUse', 6, { cannedId: 'nergens' }));
    expect(await titles()).toEqual([]);
    // A use of a reply this console does not hold is still the team's use, for the reports.
    expect(await db.cannedUses.count()).toBe(1);
  });

  it('the starter set does not bring back a reply the team deleted or changed', async () => {
    const [first, second] = STARTER_SET;
    await arrive(record('cannedDelete', 50, { cannedId: first!.id }), record('cannedSave', 51, { reply: { ...second!, title: 'Ons eigen', updatedAt: 2 } }));
    await seedStarter(db);
    const now = await listCanned(db);
    expect(now.find((r) => r.id === first!.id)).toBeUndefined();
    expect(now.find((r) => r.id === second!.id)?.title).toBe('Ons eigen');
    expect(now).toHaveLength(STARTER_SET.length - 1);
  });

  it('arrives through the ingest with the batch that carries it', async () => {
    const listeners = new Set<(b: MessageBatch) => void>();
    const acked: string[] = [];
    const stop = startIngestFrom({ onBatch: (fn) => (listeners.add(fn), () => listeners.delete(fn)), ack: (id) => acked.push(id) }, db);
    try {
      const save = record('cannedSave', 60, { reply: reply('dank', 'Bedankt') });
      for (const fn of listeners) fn({ batchId: 'w1', streamId: 'team:workflow', messages: [], workflow: [save, record('cannedUse', 61, { cannedId: 'dank' })] } as MessageBatch);
      await expect.poll(() => acked, { timeout: 5_000 }).toEqual(['w1']);
      expect(await listCanned(db)).toEqual([expect.objectContaining({ title: 'Bedankt', usage: 1 })]);
      expect(await db.workflow.get(save.id)).toBeTruthy();
    } finally {
      stop();
    }
  });
});
