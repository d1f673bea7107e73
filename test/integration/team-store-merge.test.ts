import { afterAll, afterEach, describe, expect, test } from 'vitest';
import type pg from 'pg';
import type { Leader } from '../../electron/host/team/leader.js';
import { TeamStore } from '../../electron/host/team/teamStore.js';
import { FOUND_BY_MAX, type Message } from '../../shared/model.js';
import { stopTeamCluster, teamDbFixture, type TeamDbFixture } from './teamSupport.js';

/**
 * The team's copy of a message read again: merged with the stored row as every
 * console's own store merges it, so a post two saved searches found remembers both
 * (a console filling a new store from the team shows it in both searches' columns).
 */

const fixtures: TeamDbFixture[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.stop();
});
afterAll(async () => {
  await stopTeamCluster();
});

const ACCOUNT = 'x:1001';

function post(patch: Partial<Message>): Message {
  return {
    key: 'x_search:1900000000000000001',
    platformId: '1900000000000000001',
    channel: 'x_search',
    accountId: ACCOUNT,
    conversationId: '1900000000000000001',
    author: { id: '42', name: 'Els de Vries', handle: 'elsdv' },
    text: 'Waar blijft mijn pakket? 3SPLD123456789',
    createdAt: 1_764_000_000_000,
    fromUs: false,
    ...patch,
  };
}

/** The poller's store of the team, writing as a leader of the account does (through one connection). */
async function teamStore(): Promise<{ store: TeamStore; admin: pg.Client }> {
  const db = await teamDbFixture();
  fixtures.push(db);
  const admin = db.admin;
  const leader = {
    leads: () => true,
    log: () => undefined,
    write: (sql: string, params: unknown[]) => admin.query(sql, params),
    tx: async <T>(fn: (c: pg.ClientBase) => Promise<T>): Promise<T> => {
      await admin.query('BEGIN');
      try {
        const r = await fn(admin);
        await admin.query('COMMIT');
        return r;
      } catch (e) {
        await admin.query('ROLLBACK');
        throw e;
      }
    },
  } as unknown as Leader;
  const store = new TeamStore({ leader, transforms: [], setAside: async () => undefined });
  return { store, admin };
}

let batches = 0;
const deliver = (store: TeamStore, stream: string, messages: Message[]) => store.deliver({ batchId: `b${++batches}`, streamId: `${ACCOUNT}/${stream}`, messages });

async function row(admin: pg.Client, key: string): Promise<{ data: Message; seq: string }> {
  const r = await admin.query<{ data: Message; seq: string }>('SELECT data, seq::text AS seq FROM webcare.messages WHERE key = $1', [key]);
  return r.rows[0]!;
}

describe('a message read again by the team’s poller', () => {
  test('a post a second search found keeps the first search and both in foundBy; a read that changes nothing writes nothing', async () => {
    const { store, admin } = await teamStore();
    await deliver(store, 'search:s1', [post({ searchId: 's1', foundBy: ['search:s1'] })]);
    await deliver(store, 'search:s2', [post({ searchId: 's2', foundBy: ['search:s2'], text: 'Waar blijft mijn pakket? 3SPLD123456789 (bewerkt)' })]);
    const merged = await row(admin, post({}).key);
    expect(merged.data.searchId).toBe('s1');
    expect(merged.data.foundBy).toEqual(['search:s1', 'search:s2']);
    // The newer copy's own fields stand.
    expect(merged.data.text).toContain('(bewerkt)');

    // Both searches again: nothing new, so no new version for every console to copy.
    await deliver(store, 'search:s1', [post({ searchId: 's1', foundBy: ['search:s1'], text: 'Waar blijft mijn pakket? 3SPLD123456789 (bewerkt)' })]);
    await deliver(store, 'search:s2', [post({ searchId: 's2', foundBy: ['search:s2'], text: 'Waar blijft mijn pakket? 3SPLD123456789 (bewerkt)' })]);
    expect((await row(admin, post({}).key)).seq).toBe(merged.seq);
  });

  test('what only the stored row knows stays: the colleague who wrote our reply, the department, whether it may be answered', async () => {
    const { store, admin } = await teamStore();
    const reply = post({ key: 'x_mention:1900000000000000002', platformId: '1900000000000000002', channel: 'x_mention', fromUs: true, text: 'We kijken het na!' });
    await deliver(store, 'own', [{ ...reply, summoned: true }]);
    // The outbox stored who wrote it, and routing its department.
    await admin.query(`UPDATE webcare.messages SET data = data || '{"by": "Anna de Wit", "byLogin": "anna", "department": "billing"}'::jsonb WHERE key = $1`, [reply.key]);
    await deliver(store, 'own', [reply]);
    const { data } = await row(admin, reply.key);
    expect(data).toMatchObject({ by: 'Anna de Wit', byLogin: 'anna', department: 'billing', summoned: true, text: 'We kijken het na!' });
  });

  test(`foundBy stays at most ${FOUND_BY_MAX} streams, the first seen first`, async () => {
    const { store, admin } = await teamStore();
    const many = Array.from({ length: FOUND_BY_MAX }, (_, i) => `search:s${i}`);
    await deliver(store, 'search:s0', [post({ searchId: 's0', foundBy: many })]);
    await deliver(store, 'search:new', [post({ searchId: 'new', foundBy: ['search:new', 'search:s3'] })]);
    const { data } = await row(admin, post({}).key);
    expect(data.foundBy).toEqual(many);
    expect(data.searchId).toBe('s0');
  });
});
