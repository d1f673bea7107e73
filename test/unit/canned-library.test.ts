import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CannedReply } from '../../shared/canned';
import { countUse, exportJson, importJson, listCanned, saveCanned, seedStarter } from '../../renderer/src/canned/library';
import { STARTER_SET } from '../../renderer/src/canned/starter';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';

let db: WebcareDb;
beforeEach(async () => {
  db = openDb(`canned-${Math.random()}`);
  await db.open();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const reply = (over: Partial<CannedReply> = {}): CannedReply => ({
  id: 'r1',
  title: 'Test',
  shortcut: 'test',
  body: 'Hoi {{customer.name|daar}}!',
  category: 'Vraag',
  language: 'nl',
  variants: {},
  usage: 0,
  updatedAt: 1,
  ...over,
});

describe('canned library in Dexie', () => {
  it('adds the starter set once, and not again after the team deleted it', async () => {
    await seedStarter(db);
    await seedStarter(db);
    expect(await db.canned.count()).toBe(STARTER_SET.length);
    await db.canned.clear();
    await seedStarter(db);
    expect(await db.canned.count()).toBe(0);
  });

  it('refuses to save a reply that would not fit with the longest values and the signature, and says by how much', async () => {
    const ok = await saveCanned(db, reply(), '^{{agent.initials}}');
    expect(ok).toEqual({ ok: true });
    const tooLong = await saveCanned(db, reply({ id: 'r2', body: `${'a'.repeat(270)} {{customer.name}}` }), '^{{agent.initials}}');
    expect(tooLong.ok).toBe(false);
    expect(tooLong).toMatchObject({ problems: [{ kind: 'tooLong', channel: 'x_mention', over: 270 + 1 + 50 + 2 + 5 - 280 }] });
    expect(await db.canned.get('r2')).toBeUndefined();
    expect(await saveCanned(db, reply({ id: 'r3', shortcut: 'met spatie' }), '')).toMatchObject({ ok: false, invalid: 'shortcut' });
  });

  it('counts usage, and records each use with who and when for the reports', async () => {
    await saveCanned(db, reply(), '');
    await countUse(db, 'r1', 'Eva', 1000);
    await countUse(db, 'r1', 'Bas', 2000);
    expect((await listCanned(db))[0]?.usage).toBe(2);
    expect((await db.cannedUses.orderBy('at').toArray()).map(({ cannedId, by, at }) => ({ cannedId, by, at }))).toEqual([
      { cannedId: 'r1', by: 'Eva', at: 1000 },
      { cannedId: 'r1', by: 'Bas', at: 2000 },
    ]);
  });

  it('exports and imports as JSON, refusing what does not fit', async () => {
    await seedStarter(db);
    const file = exportJson(await listCanned(db));
    const other = openDb(`canned-import-${Math.random()}`);
    await other.open();
    try {
      const withBad = JSON.parse(file) as { replies: unknown[] };
      withBad.replies.push(reply({ id: 'bad', title: 'Te lang', body: 'x'.repeat(300) }), { title: 'kapot' });
      const result = await importJson(other, JSON.stringify(withBad), '');
      expect(result).toEqual({
        imported: STARTER_SET.length,
        // What was imported, for the team's library.
        replies: expect.arrayContaining(STARTER_SET.map((r) => expect.objectContaining({ id: r.id }))),
        refused: [
          { title: 'Te lang', problems: [expect.objectContaining({ kind: 'tooLong', channel: 'x_mention', over: 20 })] },
          { title: 'kapot', problems: null },
        ],
      });
      expect((await listCanned(other)).map((r) => r.id).sort()).toEqual(STARTER_SET.map((r) => r.id).sort());
      expect(await importJson(other, '{"format":"iets anders"}', '')).toBeNull();
      expect(await importJson(other, 'geen json', '')).toBeNull();
    } finally {
      other.close();
      await other.delete();
    }
  });
});
