import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MarkAction } from '../../shared/team';
import { TeamActions } from '../../electron/host/team/actions';
import { TeamSync } from '../../electron/host/team/sync';
import type { MessageBatch } from '../../shared/contract';
import type { TeamMark } from '../../shared/team';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TeamLink } from '../../electron/host/team/link';
import { teamDb, type TeamDb } from '../support/teamConn';
import { until } from './harness';

/**
 * Claims, shared marks, presence and the audit trail between consoles, against
 * a real PostgreSQL: every console is a TeamLink of its own login.
 */
let db: TeamDb;
const started: TeamActions[] = [];
const AGENTS = Array.from({ length: 50 }, (_, i) => `a${String(i + 1).padStart(2, '0')}`);

beforeAll(async () => {
  db = await teamDb();
  await db.addMember('anna', 'Anna');
  await db.addMember('bert', 'Bert');
  await db.addMember('lena', 'Lena', 'lead');
  await db.addMember('dora', 'Dora', 'department', ['sales']);
  for (const a of AGENTS) await db.addMember(a, `Agent ${a}`);
}, 60_000);
afterAll(async () => {
  await db?.stop();
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.stop()));
});

function actions(link: TeamLink, opts: Partial<ConstructorParameters<typeof TeamActions>[0]> = {}): TeamActions {
  const a = new TeamActions({ conn: link, ...opts });
  a.start();
  started.push(a);
  return a;
}

const mark = (keys: string[], patch: MarkAction['patch'], base?: Record<string, number>, at = Date.now()): MarkAction => ({ id: crypto.randomUUID(), keys, patch, base, at });

describe('claims', () => {
  it('50 consoles claim one conversation at once: exactly one wins, all name the winner, a watching console shows it within a second', async () => {
    const watcher = actions(await db.link('anna'));
    await until(() => watcher.members().length > 0, 'members read');
    // Fifty consoles that only claim (not started: no heartbeats or reads of their own).
    const consoles = await Promise.all(AGENTS.map(async (a) => new TeamActions({ conn: await db.link(a) })));
    const key = `x_mention:race-${Date.now()}`;
    const results = await Promise.all(consoles.map((c) => c.claim(key)));
    const won = results.filter((r) => r.ok && r.value.won);
    expect(won).toHaveLength(1);
    const winner = won[0]!.ok ? won[0]!.value.claim : null;
    expect(winner?.mine).toBe(true);
    for (const r of results) {
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) expect(r.value.claim).toMatchObject({ conversationKey: key, login: winner?.login, name: `Agent ${winner?.login}` });
    }
    const seenBy = Date.now() + 1000;
    await until(() => watcher.claims().find((c) => c.conversationKey === key), 'the claim on the watching console', 1000);
    expect(Date.now()).toBeLessThanOrEqual(seenBy);
    expect(watcher.claims().find((c) => c.conversationKey === key)).toMatchObject({ login: winner?.login, mine: false });
    await Promise.all(consoles.map((c) => c.stop()));
  }, 60_000);

  it('a claim is renewed by its holder, refused to a colleague, released, then free; an expired one drops out without any notice', async () => {
    const changes: number[] = [];
    const anna = actions(await db.link('anna'), { leaseMs: 60_000 });
    const bert = actions(await db.link('bert'), { leaseMs: 700 });
    anna.onChange(() => changes.push(Date.now()));
    const key = `fb_comment:talk-${Date.now()}`;
    const first = await anna.claim(key);
    expect(first).toMatchObject({ ok: true, value: { won: true, claim: { name: 'Anna', mine: true } } });
    expect(await anna.claim(key)).toMatchObject({ ok: true, value: { won: true } });
    expect(await bert.claim(key)).toMatchObject({ ok: true, value: { won: false, claim: { login: 'anna', name: 'Anna', mine: false } } });
    expect(await anna.claim(key, true)).toEqual({ ok: true, value: { won: true, claim: null } });
    await until(() => !bert.claims().some((c) => c.conversationKey === key), 'the release seen by Bert', 1000);
    expect(await bert.claim(key)).toMatchObject({ ok: true, value: { won: true, claim: { login: 'bert' } } });
    await until(() => anna.claims().some((c) => c.conversationKey === key && c.login === 'bert'), 'Bert\'s claim seen by Anna', 1000);
    // Bert's lease is short and he stops typing: it leaves Anna's list on its own.
    await until(() => !anna.claims().some((c) => c.conversationKey === key), 'the expired claim gone', 3000);
    expect(changes.length).toBeGreaterThan(0);
    expect(await anna.claim(key)).toMatchObject({ ok: true, value: { won: true } });
  });

  it('a department login cannot claim a conversation outside its departments (the database refuses)', async () => {
    const dora = actions(await db.link('dora'));
    expect(await dora.claim(`x_mention:elsewhere-${Date.now()}`)).toMatchObject({ ok: false, error: { kind: 'team', team: 'rights' } });
  });
});

describe('marks', () => {
  it("an agent's reading of sentiment is a named, shared mark: a colleague's console copies it, a later status keeps it, null gives it back", async () => {
    const anna = actions(await db.link('anna'));
    const key = `x_mention:sent-${Date.now()}`;
    expect(await anna.mark(mark([key], { sentiment: 'negative' }))).toMatchObject({ ok: true, value: { applied: [key] } });
    expect(await anna.mark(mark([key], { status: 'done' }))).toMatchObject({ ok: true, value: { applied: [key] } });
    const copied: TeamMark[] = [];
    const sync = new TeamSync({
      link: await db.link('bert'),
      team: 't-bert',
      dataDir: await mkdtemp(path.join(os.tmpdir(), 'sent-sync-')),
      storeId: () => 'store',
      deliver: async (batch: MessageBatch) => {
        copied.push(...(batch.marks ?? []).filter((m) => m.key === key));
      },
      log: () => undefined,
    });
    await sync.load();
    sync.start();
    await until(() => copied.length > 0, "Bert's console copies the mark");
    expect(copied.at(-1)).toMatchObject({ key, status: 'done', sentiment: 'negative', by: 'Anna' });
    expect(await anna.mark(mark([key], { sentiment: null }))).toMatchObject({ ok: true, value: { applied: [key] } });
    await until(() => copied.length > 1 && copied.at(-1)?.sentiment === undefined, 'the reading given back reaches Bert');
    await sync.stop();
    const audit = await db.admin.query<{ detail: string; login: string }>("SELECT detail, login FROM webcare.audit WHERE action = 'mark' AND subject = $1 ORDER BY id", [key]);
    expect(audit.rows.map((r) => r.login)).toEqual(['anna', 'anna', 'anna']);
    expect(audit.rows[0]?.detail).toContain('sentiment=negative');
  });

  it('two agents mark the same message at once from the same version: one applies, the other loses to the winner by name', async () => {
    const anna = actions(await db.link('anna'));
    const bert = actions(await db.link('bert'));
    for (const round of ['no mark yet', 'an existing mark']) {
      const key = `x_mention:m-${round.length}-${Date.now()}`;
      let base = 0;
      if (round === 'an existing mark') {
        const made = await anna.mark(mark([key], { tag: 'billing' }));
        expect(made).toMatchObject({ ok: true, value: { applied: [key] } });
        base = Number((await db.admin.query<{ at: string }>('SELECT at FROM webcare.marks WHERE key = $1', [key])).rows[0]?.at);
      }
      const [a, b] = await Promise.all([anna.mark(mark([key], { status: 'done' }, { [key]: base })), bert.mark(mark([key], { status: 'archived' }, { [key]: base }))]);
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      const appliedBy = [a.value.applied.length, b.value.applied.length];
      expect(appliedBy.sort(), round).toEqual([0, 1]);
      const [winner, loser, winnerName, loserActions] = a.value.applied.length ? ['done', b, 'Anna', bert] : ['archived', a, 'Bert', anna];
      expect(loser.value.lost).toEqual([expect.objectContaining({ kind: 'mark', key, by: winnerName, what: winner })]);
      expect(loserActions.lostRaces()).toEqual(expect.arrayContaining([expect.objectContaining({ key, by: winnerName })]));
      const row = await db.admin.query<{ status: string }>('SELECT status FROM webcare.marks WHERE key = $1', [key]);
      expect(row.rows[0]?.status, 'one visible result: the winner\'s').toBe(winner);
    }
  });

  it('an action replayed after reconnecting that came too late is surfaced as a lost race; replays are idempotent; dismissed races go', async () => {
    const anna = actions(await db.link('anna'));
    const bert = actions(await db.link('bert'));
    const key = `fb_message:offline-${Date.now()}`;
    const other = `fb_message:offline-other-${Date.now()}`;
    // Made while Anna's console was offline: she saw neither message marked.
    const late = mark([key, other], { assignee: 'Anna' }, { [key]: 0, [other]: 0 }, Date.now() - 60_000);
    // Meanwhile Bert closes one of them.
    expect(await bert.mark(mark([key], { status: 'done' }))).toMatchObject({ ok: true, value: { applied: [key] } });

    const replay = await anna.mark(late);
    expect(replay).toMatchObject({ ok: true, value: { applied: [other], lost: [{ id: late.id, kind: 'mark', key, by: 'Bert', what: 'unassigned' }] } });
    expect(anna.lostRaces()).toEqual([expect.objectContaining({ id: late.id, key, by: 'Bert' })]);

    // Replayed once more (the reconnect flapped): the part that applied stays applied, the race is not doubled.
    expect(await anna.mark(late)).toMatchObject({ ok: true, value: { applied: [other], lost: [{ key }] } });
    expect(anna.lostRaces()).toHaveLength(1);
    const marks = await db.admin.query<{ key: string; status: string; assignee: string | null }>('SELECT key, status, assignee FROM webcare.marks WHERE key = ANY($1) ORDER BY key', [[key, other]]);
    expect(marks.rows).toEqual(
      expect.arrayContaining([
        { key, status: 'done', assignee: null },
        { key: other, status: 'open', assignee: 'Anna' },
      ]),
    );
    // Even after a colleague changed the applied one again, a replay of it still counts as applied.
    await bert.mark(mark([other], { tag: 'vip' }));
    expect(await anna.mark(late)).toMatchObject({ ok: true, value: { applied: [other] } });

    anna.dismiss([late.id]);
    expect(anna.lostRaces()).toEqual([]);
  });

  it('out of reach: a mark is refused as a team error (the renderer keeps it to replay), nothing half-applied', async () => {
    const link = await db.link('anna');
    const anna = actions(link);
    await link.stop();
    const key = `x_dm:unreachable-${Date.now()}`;
    expect(await anna.mark(mark([key], { status: 'done' }))).toMatchObject({ ok: false, error: { kind: 'team', team: 'unreachable' } });
    expect((await db.admin.query('SELECT 1 FROM webcare.marks WHERE key = $1', [key])).rowCount).toBe(0);
  });
});

describe('presence and audit', () => {
  it('presence: away and back, and a console that stops is offline for colleagues at once', async () => {
    // Consoles of earlier tests that lost their link without saying goodbye would count for 30 s.
    await db.admin.query('DELETE FROM webcare.presence');
    const lena = actions(await db.link('lena'));
    const anna = actions(await db.link('anna'));
    const state = (login: string) => lena.members().find((m) => m.login === login)?.presence;
    await until(() => state('anna') === 'online', 'Anna online', 3000);
    expect(state('bert'), 'never connected').toBe('offline');
    expect(await anna.setPresence('away')).toEqual({ ok: true, value: {} });
    await until(() => state('anna') === 'away', 'Anna away', 3000);
    expect(await anna.setPresence('online')).toEqual({ ok: true, value: {} });
    await until(() => state('anna') === 'online', 'Anna back', 3000);
    await anna.stop();
    await until(() => state('anna') === 'offline', 'Anna gone', 3000);
    expect(lena.members().find((m) => m.login === 'lena')).toMatchObject({ name: 'Lena', role: 'lead', presence: 'online' });
  });

  it('presence: a heartbeat that only says "still here" tells nobody; coming, going away and back does', async () => {
    const lena = await db.link('lena');
    const notices: string[] = [];
    lena.onNotice((n) => {
      if (n.t === 'presence') notices.push(n.t);
    });
    const anna = actions(await db.link('anna'), { heartbeatMs: 100 });
    await until(() => notices.length > 0, 'Anna coming is told', 3000);
    // Ten heartbeats, and not one notice.
    const before = notices.length;
    const beats = async () => (await db.admin.query<{ n: string }>(`SELECT extract(epoch FROM seen_at)::text AS n FROM webcare.presence WHERE login = 'anna'`)).rows[0]?.n;
    const first = await beats();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await beats(), 'the heartbeat did run').not.toBe(first);
    expect(notices.length).toBe(before);
    await anna.setPresence('away');
    await until(() => notices.length > before, 'away is told', 3000);
  });

  it('auditSearch: an agent is refused (rights); a lead reads rows with the logins that acted, newest first, matching every word', async () => {
    const anna = actions(await db.link('anna'));
    const lena = actions(await db.link('lena'));
    const key = `x_mention:audited-${Date.now()}`;
    await anna.claim(key);
    await anna.mark(mark([key], { status: 'done' }));
    expect(await anna.auditSearch()).toMatchObject({ ok: false, error: { kind: 'team', team: 'rights' } });

    const all = await lena.auditSearch(undefined, 1000);
    expect(all.ok).toBe(true);
    if (!all.ok) return;
    const ids = all.value.rows.map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const mine = await lena.auditSearch(`anna ${key.slice(-10)}`);
    expect(mine.ok).toBe(true);
    if (!mine.ok) return;
    expect(mine.value.rows.map((r) => [r.login, r.action, r.subject])).toEqual([
      ['anna', 'mark', key],
      ['anna', 'claim', key],
    ]);
    // Words are literal: a % matches only a %.
    expect(await lena.auditSearch('%')).toEqual({ ok: true, value: { rows: [] } });
  });
});
