import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload, Status } from '../../shared/contract';
import type { TeamStatus } from '../../shared/team';
import type { WorkflowAction, WorkflowRecord } from '../../shared/workflow';
import { reduceWorkflow } from '../../shared/workflowState';
import type { ConnectionState, HostApi } from '../../renderer/src/api/host';
import type { StatusSource } from '../../renderer/src/api/status';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { WorkflowDrain } from '../../renderer/src/workflow/queue';
import { pendingRecord } from '../../renderer/src/workflow/store';

type Answer = CommandOutput<'act'> | ((a: WorkflowAction) => CommandOutput<'act'>);

const recordOf = (a: WorkflowAction, seq: number): WorkflowRecord => {
  const { id, kind, at, ...rest } = a as WorkflowAction & { conversationKey?: string };
  const { conversationKey, ...data } = rest;
  return { id, kind, seq, ...(conversationKey ? { conversationKey } : {}), by: 'bram', byName: 'Bram', at: at + 5, clientAt: at, data };
};

/** A host whose `act` answers from a script (applied, by default). */
class FakeHost implements HostApi {
  connection: ConnectionState = 'open';
  readonly acts: WorkflowAction[] = [];
  script: Answer[] = [];
  private seq = 100;
  private readonly conn = new Set<(s: ConnectionState) => void>();
  async call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    if (name !== 'act') return { ok: true, value: {} } as CommandOutput<C>;
    const a = input as WorkflowAction;
    this.acts.push(structuredClone(a));
    const next = this.script.shift() ?? { ok: true, value: { applied: true, record: recordOf(a, ++this.seq) } };
    return (typeof next === 'function' ? next(a) : next) as CommandOutput<C>;
  }
  on<E extends EventName>(_n: E, _fn: (p: EventPayload<E>) => void): () => void {
    return () => undefined;
  }
  onConnection(fn: (s: ConnectionState) => void): () => void {
    this.conn.add(fn);
    return () => this.conn.delete(fn);
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
  setTeam(state: TeamStatus['state']) {
    this.value = {
      accounts: [],
      streams: [],
      online: true,
      shell: 'browser',
      vault: { encrypted: true, plaintextAllowed: false },
      xSignIn: 'sandbox',
      signIn: { pending: false },
      team: { state, url: 'postgres://bram@db/webcare', members: [], claims: [], pollers: {}, leading: [], keyNeeded: false, queued: 0, lostRaces: [] },
    };
    for (const fn of this.fns) fn();
  }
}

let db: WebcareDb;
let host: FakeHost;
let status: FakeStatus;
let drain: WorkflowDrain;
let failed: Array<{ kind: string; what: string }>;
const me = { login: 'bram', name: 'Bram' };

beforeEach(async () => {
  db = openDb(`workflow-queue-${crypto.randomUUID()}`);
  await db.open();
  host = new FakeHost();
  status = new FakeStatus();
  status.setTeam('online');
  failed = [];
  drain = new WorkflowDrain(host, db, status, { locks: null, onFailed: (a, f) => failed.push({ kind: a.kind, what: f.what }) });
  drain.start();
});
afterEach(async () => {
  drain.stop();
  db.close();
  await db.delete();
});

const settle = async () => {
  await new Promise((r) => setTimeout(r, 10));
  await drain.idle();
};
const note = (text: string, at = Date.now()) => ({ id: crypto.randomUUID(), at, kind: 'note' as const, conversationKey: 'x_dm:9', text, mentions: [] });

describe('the workflow queue', () => {
  it('online: the action is sent, the team’s record kept, the queue empty', async () => {
    const a = await drain.act(note('Klant is VIP'), me);
    await settle();
    expect(host.acts.map((x) => x.id)).toEqual([a.id]);
    expect(await db.workflowQueue.count()).toBe(0);
    expect(await db.workflow.get(a.id)).toMatchObject({ id: a.id, kind: 'note', by: 'bram', conversationKey: 'x_dm:9', data: { text: 'Klant is VIP' } });
  });

  it('offline: actions wait in order and are replayed in that order when the team is back, each under its own id', async () => {
    status.setTeam('offline');
    const first = await drain.act(note('eerste', 1), me);
    const second = await drain.act(note('tweede', 2), me);
    await settle();
    expect(host.acts).toEqual([]);
    expect((await db.workflowQueue.toArray()).map((q) => [q.id, q.offline])).toEqual([
      [first.id, true],
      [second.id, true],
    ]);
    status.setTeam('online');
    await settle();
    expect(host.acts.map((x) => x.id)).toEqual([first.id, second.id]);
    expect(await db.workflowQueue.count()).toBe(0);
  });

  it('a database out of reach keeps the action (and those after it) queued for a later try', async () => {
    host.script.push({ ok: false, error: { kind: 'team', team: 'unreachable' } });
    const a = await drain.act(note('blijft staan'), me);
    await settle();
    expect(host.acts).toHaveLength(1);
    expect(await db.workflowQueue.where('id').equals(a.id).first()).toMatchObject({ offline: true, attempts: 1 });
    expect(failed).toEqual([]);
  });

  it('a lost race or a refusal is kept as failed, said once, and never holds later actions back', async () => {
    host.script.push({ ok: true, value: { applied: false, lost: { by: 'Lea', what: 'answered' } } });
    host.script.push({ ok: false, error: { kind: 'team', team: 'rights' } });
    const lost = await drain.act({ id: crypto.randomUUID(), at: 1, kind: 'answer', askId: crypto.randomUUID(), text: 'Dat is al betaald' }, me);
    const refused = await drain.act({ id: crypto.randomUUID(), at: 2, kind: 'routingCap', cap: 5 }, me);
    const fine = await drain.act(note('gaat door', 3), me);
    await settle();
    expect(host.acts.map((x) => x.id)).toEqual([lost.id, refused.id, fine.id]);
    expect(failed).toEqual([
      { kind: 'answer', what: 'answered' },
      { kind: 'routingCap', what: 'team:rights' },
    ]);
    const left = await db.workflowQueue.toArray();
    expect(left.map((q) => [q.id, q.failed])).toEqual([
      [lost.id, { what: 'answered', by: 'Lea' }],
      [refused.id, { what: 'team:rights' }],
    ]);
    // Kicked again, the failed ones are not sent again.
    drain.kick();
    await settle();
    expect(host.acts).toHaveLength(3);
  });

  it('a pending action shows as this agent’s record after everything in the log', async () => {
    status.setTeam('offline');
    const a = await drain.act({ id: crypto.randomUUID(), at: 50, kind: 'assign', conversationKey: 'x_dm:9', keys: ['x_dm:9'], to: { login: 'sara' }, note: 'Graag even kijken' }, me);
    const queued = await db.workflowQueue.toArray();
    const pending = pendingRecord(queued[0]!);
    expect(pending).toMatchObject({ id: a.id, kind: 'assign', by: 'bram', byName: 'Bram', conversationKey: 'x_dm:9', data: { to: { login: 'sara' }, note: 'Graag even kijken' } });
    // A colleague's assignment in the log comes first; the pending one is the newest and wins.
    const logged: WorkflowRecord = { id: crypto.randomUUID(), kind: 'assign', seq: 7, conversationKey: 'x_dm:9', by: 'lea', byName: 'Lea', at: 60, clientAt: 60, data: { keys: [], to: { department: 'billing' } } };
    const state = reduceWorkflow([pending, logged]);
    expect(state.assignments.get('x_dm:9')?.to).toEqual({ login: 'sara' });
  });
});
