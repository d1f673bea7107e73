import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload, Status } from '../../shared/contract';
import type { LostRace, MarkAction, TeamStatus } from '../../shared/team';
import type { ConnectionState, HostApi } from '../../renderer/src/api/host';
import type { StatusSource } from '../../renderer/src/api/status';
import { markMessages, toggleDone } from '../../renderer/src/board/marks';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { initI18n } from '../../renderer/src/i18n/index';
import { LostRacesView, hostRacesToDismiss, mergeLostRaces } from '../../renderer/src/team/LostRaces';
import { MARK_ACTION_KEYS_MAX, markActions, TeamActionDrain } from '../../renderer/src/team/markSync';
import { useTeamUi, type LocalLostRace } from '../../renderer/src/team/teamUi';

type MarkAnswer = CommandOutput<'mark'> | ((a: MarkAction) => CommandOutput<'mark'>);

/** A host whose `mark` answers from a script (applied, by default), recording every action it was given. */
class FakeHost implements HostApi {
  connection: ConnectionState = 'open';
  readonly marks: MarkAction[] = [];
  script: MarkAnswer[] = [];
  private readonly conn = new Set<(s: ConnectionState) => void>();
  async call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    if (name !== 'mark') return { ok: true, value: {} } as CommandOutput<C>;
    const a = input as MarkAction;
    this.marks.push(structuredClone(a));
    const next = this.script.shift() ?? { ok: true, value: { applied: a.keys, lost: [] } };
    return (typeof next === 'function' ? next(a) : next) as CommandOutput<C>;
  }
  on<E extends EventName>(_n: E, _fn: (p: EventPayload<E>) => void): () => void {
    return () => undefined;
  }
  onConnection(fn: (s: ConnectionState) => void): () => void {
    this.conn.add(fn);
    return () => this.conn.delete(fn);
  }
  setConnection(s: ConnectionState) {
    this.connection = s;
    for (const fn of this.conn) fn(s);
  }
}

class FakeStatus implements StatusSource {
  value: Status | null = null;
  private readonly fns = new Set<() => void>();
  subscribe = (fn: () => void) => {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  };
  get = () => this.value;
  setTeam(state: TeamStatus['state'] | null) {
    this.value = {
      accounts: [],
      streams: [],
      online: true,
      shell: 'browser',
      vault: { encrypted: true, plaintextAllowed: false },
      xSignIn: 'sandbox',
      signIn: { pending: false },
      ...(state ? { team: { state, url: 'postgres://bram@db/webcare', members: [], claims: [], pollers: {}, leading: [], keyNeeded: false, queued: 0, lostRaces: [] } } : {}),
    };
    for (const fn of this.fns) fn();
  }
}

let db: WebcareDb;
let host: FakeHost;
let status: FakeStatus;
let drain: TeamActionDrain;
let lost: Array<{ races: LostRace[]; offline: boolean }>;
let clock = 5_000_000;

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});
beforeEach(async () => {
  db = openDb(`team-marks-${crypto.randomUUID()}`);
  await db.open();
  host = new FakeHost();
  status = new FakeStatus();
  status.setTeam('online');
  lost = [];
  clock = 5_000_000;
  drain = new TeamActionDrain(host, db, status, { now: () => clock, locks: null, onLost: (races, offline) => lost.push({ races, offline }) });
  drain.start();
});
afterEach(async () => {
  drain.stop();
  db.close();
  await db.delete();
  vi.restoreAllMocks();
});

const settle = async () => {
  await new Promise((r) => setTimeout(r, 10));
  await drain.idle();
};

describe('marks in team mode', () => {
  it('solo: only the local mark, nothing for the team', async () => {
    status.setTeam(null);
    await markMessages(db, ['x_mention:1'], { status: 'done' }, 10, drain);
    expect(await db.marks.get('x_mention:1')).toMatchObject({ status: 'done', at: 10 });
    expect(await db.teamActions.count()).toBe(0);
    // Without a sink (no team mode started) it is the same.
    await markMessages(db, ['x_mention:2'], { status: 'done' }, 11, null);
    expect(await db.teamActions.count()).toBe(0);
  });

  it('online: the local mark at once, and an action with each key’s previous version as its base', async () => {
    await db.marks.put({ key: 'x_mention:1', status: 'open', tag: 'klantenservice', at: 77 });
    await markMessages(db, ['x_mention:1', 'x_mention:2'], { status: 'done', tag: '  ' }, 100, drain);
    expect(await db.marks.get('x_mention:1')).toEqual({ key: 'x_mention:1', status: 'done', at: 100 });
    await settle();
    expect(host.marks).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), keys: ['x_mention:1', 'x_mention:2'], patch: { status: 'done', tag: null }, base: { 'x_mention:1': 77, 'x_mention:2': 0 }, at: 100 }]);
    expect(await db.teamActions.count()).toBe(0);
  });

  it('offline: queued durably, then replayed in order, each once, when the team is online again', async () => {
    status.setTeam('offline');
    await markMessages(db, ['x_mention:1'], { status: 'done' }, 100, drain);
    await toggleDone(db, ['x_mention:1'], drain);
    await markMessages(db, ['x_mention:2'], { assignee: 'Bram' }, 300, drain);
    await settle();
    expect(host.marks).toHaveLength(0);
    const queued = await db.teamActions.orderBy(':id').toArray();
    expect(queued.map((q) => [q.action.patch, q.offline])).toEqual([
      [{ status: 'done' }, true],
      [{ status: 'open' }, true],
      [{ assignee: 'Bram' }, true],
    ]);
    // The second change saw the first (its base is the first's version).
    expect(queued[1]?.action.base).toEqual({ 'x_mention:1': 100 });

    // The window closes; one opened later over the same store replays them: they are in IndexedDB, not in memory.
    drain.stop();
    const later = openDb(db.name);
    try {
      drain = new TeamActionDrain(host, later, status, { now: () => clock, locks: null });
      drain.start();
      status.setTeam('online');
      await settle();
      expect(host.marks.map((m) => m.id)).toEqual(queued.map((q) => q.id));
      expect(await later.teamActions.count()).toBe(0);
    } finally {
      later.close();
    }
  });

  it('the host unreachable: the action stays first in line and goes after the backoff or when the team is back', async () => {
    host.script = [{ ok: false, error: { kind: 'team', team: 'unreachable' } }, { ok: false, error: { kind: 'offline' } }];
    await markMessages(db, ['x_mention:1'], { status: 'done' }, 100, drain);
    await markMessages(db, ['x_mention:2'], { status: 'done' }, 101, drain);
    await settle();
    expect(host.marks.map((m) => m.keys)).toEqual([['x_mention:1']]);
    expect((await db.teamActions.orderBy(':id').first())?.offline).toBe(true);
    // The team drops out and comes back: at once, not after the backoff.
    status.setTeam('offline');
    status.setTeam('online');
    await settle();
    expect(host.marks.map((m) => m.keys)).toEqual([['x_mention:1'], ['x_mention:1']]);
    clock += 60_000;
    drain.kick();
    await settle();
    expect(host.marks.map((m) => m.keys)).toEqual([['x_mention:1'], ['x_mention:1'], ['x_mention:1'], ['x_mention:2']]);
    expect(new Set(host.marks.slice(0, 3).map((m) => m.id)).size).toBe(1);
    expect(await db.teamActions.count()).toBe(0);
  });

  it('an action the team refuses as such is dropped (logged), and does not hold back the ones after it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    host.script = [{ ok: false, error: { kind: 'invalidInput', detail: 'keys: too many' } }];
    await markMessages(db, ['x_mention:1'], { status: 'done' }, 100, drain);
    await markMessages(db, ['x_mention:2'], { status: 'done' }, 101, drain);
    await settle();
    expect(host.marks.map((m) => m.keys)).toEqual([['x_mention:1'], ['x_mention:2']]);
    expect(await db.teamActions.count()).toBe(0);
    expect(warn).toHaveBeenCalled();
  });

  it('lost races are reported (offline ones as such) and nothing more is applied locally', async () => {
    const race = (a: MarkAction): LostRace => ({ id: a.id, kind: 'mark', key: 'x_mention:1', by: 'Anna', what: 'done', at: 200 });
    host.script = [(a) => ({ ok: true, value: { applied: [], lost: [race(a)] } })];
    status.setTeam('offline');
    await markMessages(db, ['x_mention:1'], { status: 'archived' }, 100, drain);
    status.setTeam('online');
    await settle();
    expect(lost).toEqual([{ races: [expect.objectContaining({ by: 'Anna', what: 'done', key: 'x_mention:1' })], offline: true }]);
    // The local mark stays as the agent set it until the team's own arrives (ingest), which wins.
    expect(await db.marks.get('x_mention:1')).toMatchObject({ status: 'archived', at: 100 });
  });

  it('a selection larger than one action may carry becomes several, in order', () => {
    const keys = Array.from({ length: MARK_ACTION_KEYS_MAX + 3 }, (_, i) => `x_mention:${i}`);
    const actions = markActions(keys, [], { hidden: true }, 100);
    expect(actions.map((a) => a.keys.length)).toEqual([MARK_ACTION_KEYS_MAX, 3]);
    expect(actions[1]?.keys[0]).toBe(`x_mention:${MARK_ACTION_KEYS_MAX}`);
    expect(actions[1]?.base?.[`x_mention:${MARK_ACTION_KEYS_MAX}`]).toBe(0);
    expect(new Set(actions.map((a) => a.id)).size).toBe(2);
  });
});

describe('the lost races notice', () => {
  const race = (patch: Partial<LocalLostRace> = {}): LocalLostRace => ({ id: 'a1', kind: 'mark', key: 'x_mention:1', by: 'Anna', what: 'done', at: 200, offline: true, ...patch });
  const text = (html: string) => [...html.matchAll(/<li class="lost-race"[^>]*><p>(.*?)<\/p>/g)].map((m) => m[1]);
  const view = (races: LocalLostRace[], previews?: Map<string, string>) =>
    renderToStaticMarkup(<LostRacesView races={races} previews={previews} onDismiss={() => undefined} onShow={() => undefined} />);

  it('lists each race in words, with the message it was about, and can be dismissed', () => {
    const html = view([race(), race({ id: 'a2', key: 'x_mention:2', by: undefined, what: 'archived', offline: false }), race({ id: 'r1', kind: 'reply', key: 'x_mention:9', what: 'answered' })], new Map([['x_mention:1', 'Waar blijft mijn pakket?']]));
    expect(text(html)).toEqual([
      'Anna already marked this done while you were offline.',
      'A colleague had already marked this archived; your change was not applied.',
      'Anna already answered this conversation while you were offline.',
    ]);
    expect(html).toContain('“Waar blijft mijn pakket?”');
    expect(html.match(/data-testid="lost-race-dismiss"/g)).toHaveLength(3);
    expect(html).toContain('data-testid="lost-races-dismiss-all"');
    expect(html).toContain('role="status"');
  });

  it('in Dutch', async () => {
    await i18next.changeLanguage('nl');
    try {
      expect(text(view([race()]))).toEqual(['Anna had dit al op afgehandeld gezet terwijl je offline was.']);
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('nothing to show, nothing shown', () => {
    expect(view([])).toBe('');
  });

  it('this window’s races and the host’s in one list, once each; the host’s dismissed there', () => {
    const hostRaces: LostRace[] = [
      { id: 'a1', kind: 'mark', key: 'x_mention:1', by: 'Anna', what: 'done', at: 200 },
      { id: 'h2', kind: 'mark', key: 'x_mention:5', by: 'Cees', what: 'archived', at: 150 },
    ];
    const merged = mergeLostRaces([race({ offline: false })], hostRaces);
    expect(merged.map((r) => [r.id, r.offline])).toEqual([
      ['h2', true],
      ['a1', false],
    ]);
    expect(hostRacesToDismiss(merged, hostRaces).sort()).toEqual(['a1', 'h2']);
    expect(hostRacesToDismiss([race({ id: 'local' })], hostRaces)).toEqual([]);
  });

  it('the window keeps each race once until dismissed', () => {
    const ui = useTeamUi.getState();
    ui.addLost([{ id: 'b1', kind: 'mark', key: 'k1', what: 'done', at: 1 }], true);
    ui.addLost([{ id: 'b1', kind: 'mark', key: 'k1', what: 'done', at: 1 }, { id: 'b1', kind: 'mark', key: 'k2', what: 'done', at: 1 }], false);
    expect(useTeamUi.getState().lost.map((r) => [r.key, r.offline])).toEqual([
      ['k1', true],
      ['k2', false],
    ]);
    useTeamUi.getState().dismissLost(['b1|k1']);
    expect(useTeamUi.getState().lost.map((r) => r.key)).toEqual(['k2']);
    useTeamUi.getState().dismissLost(['b1|k2']);
  });
});
