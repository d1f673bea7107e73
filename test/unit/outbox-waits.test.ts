import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError, CommandInput, CommandName, CommandOutput, EventName, EventPayload, SendReplyInput, Status } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { ConnectionState, HostApi } from '../../renderer/src/api/host';
import type { StatusSource } from '../../renderer/src/api/status';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { accountBlocks, afterAttempt, CREDITS_RETRY_MS, enqueue, heldBack, OutboxDrain, unblocked, waitsFor, type OutboxEntry } from '../../renderer/src/outbox/outbox';

/**
 * A queued reply that waits for something the host said (its account to be
 * reconnected, X's credits, the connection) goes out by itself once that is
 * there: no stale "must be reconnected" note, no Retry, never sent twice.
 */
type Answer = CommandOutput<'sendReply'> | 'ok';

class FakeHost implements HostApi {
  connection: ConnectionState = 'open';
  readonly attempts: SendReplyInput[] = [];
  script: Answer[] = [];
  private readonly conn = new Set<(s: ConnectionState) => void>();
  async call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    if (name !== 'sendReply') return { ok: true, value: {} } as CommandOutput<C>;
    const i = input as SendReplyInput;
    this.attempts.push(i);
    const next = this.script.shift() ?? 'ok';
    if (next !== 'ok') return next as CommandOutput<C>;
    const m: Message = { key: `x_mention:9${this.attempts.length}`, platformId: `9${this.attempts.length}`, channel: i.channel, accountId: i.accountId, conversationId: i.conversationId, author: { id: 'us', name: 'Polderpost', handle: 'polderpost' }, text: i.text, createdAt: 0, fromUs: true };
    return { ok: true, value: m } as CommandOutput<C>;
  }
  on<E extends EventName>(_n: E, _fn: (p: EventPayload<E>) => void): () => void {
    return () => undefined;
  }
  onConnection(fn: (s: ConnectionState) => void): () => void {
    this.conn.add(fn);
    return () => this.conn.delete(fn);
  }
}

type Acc = Status['accounts'][number];
const account = (state: Acc['state']): Acc => ({ id: 'x:1', platform: 'x', platformUserId: '1', name: 'Polderpost', handle: 'polderpost', state, sandbox: true, granted: [], missing: [] });

class FakeStatus implements StatusSource {
  value: Status | null = null;
  private readonly fns = new Set<() => void>();
  subscribe(fn: () => void) {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }
  get = () => this.value;
  set(accounts: Acc[], streams: Status['streams'] = []) {
    this.value = { accounts, streams, online: true, shell: 'browser', vault: { encrypted: false, plaintextAllowed: true }, xSignIn: 'sandbox', signIn: { pending: false } };
    for (const fn of this.fns) fn();
  }
}

const err = (error: AppError): CommandOutput<'sendReply'> => ({ ok: false, error });
const reply = { conversationKey: 'x_mention:c', messageKey: 'x_mention:c', request: { accountId: 'x:1', channel: 'x_mention' as const, conversationId: 'c', inReplyToId: 'c', text: 'Hoi Els' } };

describe('what a queued reply waits for', () => {
  it.each<[string, AppError, OutboxEntry['state'], ReturnType<typeof waitsFor>]>([
    ['the account must be reconnected', { kind: 'reconnectNeeded' }, 'queued', 'account'],
    ['the account is not connected any more', { kind: 'unknownAccount' }, 'queued', 'accountGone'],
    ["X's credits are used up", { kind: 'creditsDepleted' }, 'queued', 'credits'],
    ['the platform cannot be reached', { kind: 'offline' }, 'queued', 'connection'],
    ['the post is gone: the agent decides', { kind: 'targetGone' }, 'failed', null],
    ["X's reply rule: the agent decides", { kind: 'replyRestricted' }, 'failed', null],
  ])('%s', (_name, error, state, waits) => {
    const next = afterAttempt({ attempts: 1 }, err(error), 1000);
    expect(next.state).toBe(state);
    expect(waitsFor({ state: next.state, error: next.error })).toBe(waits);
  });

  it('credits are tried again after 15 minutes at the latest', () => {
    expect(afterAttempt({ attempts: 1 }, err({ kind: 'creditsDepleted' }), 1000).nextAttemptAt).toBe(1000 + CREDITS_RETRY_MS);
  });

  it('is held back while the status says the reason is still there, and released only by a change', () => {
    const waiting = (kind: 'reconnectNeeded' | 'unknownAccount' | 'creditsDepleted') => ({ state: 'queued' as const, error: { kind } as AppError, request: reply.request });
    const reconnect = accountBlocks({ accounts: [account('reconnect')], streams: [] });
    const ok = accountBlocks({ accounts: [account('connected')], streams: [] });
    const credits = accountBlocks({ accounts: [account('connected')], streams: [{ id: 'x:1/mentions', accountId: 'x:1', kind: 'x_mentions', delivered: 0, itemsToday: 0, costTodayUsd: 0, wait: { until: 1, reason: 'creditsDepleted' } }] });
    const gone = accountBlocks({ accounts: [], streams: [] });
    expect(heldBack(waiting('reconnectNeeded'), reconnect)).toBe(true);
    expect(heldBack(waiting('reconnectNeeded'), ok)).toBe(false);
    expect(heldBack(waiting('unknownAccount'), gone)).toBe(false); // no status worth the name: not held
    expect(heldBack(waiting('unknownAccount'), accountBlocks({ accounts: [{ ...account('connected'), id: 'fb:2' }], streams: [] }))).toBe(true);
    expect(heldBack(waiting('creditsDepleted'), credits)).toBe(true);
    expect(heldBack(waiting('creditsDepleted'), ok)).toBe(false);
    expect(heldBack(waiting('reconnectNeeded'), null)).toBe(false);
    expect(unblocked(reconnect, ok)).toEqual(['x:1']);
    expect(unblocked(credits, ok)).toEqual(['x:1']);
    expect(unblocked(ok, ok)).toEqual([]);
    expect(unblocked(new Map(), ok)).toEqual([]);
    expect(unblocked(accountBlocks({ accounts: [{ ...account('connected'), id: 'fb:2' }], streams: [] }), accountBlocks({ accounts: [{ ...account('connected'), id: 'fb:2' }, account('connected')], streams: [] }))).toEqual(['x:1']);
  });
});

describe('the drain sends a waiting reply by itself', () => {
  let db: WebcareDb;
  let host: FakeHost;
  let status: FakeStatus;
  let drain: OutboxDrain;
  let clock = 1_000_000;
  // One turn of the event loop, then the drain's own word that nothing more can go now (a release
  // after a status change included): no fixed sleep that a slow machine outlasts.
  const settle = async () => {
    await new Promise((r) => setTimeout(r, 0));
    await drain.idle();
  };
  const entries = async () => (await db.outbox.toArray()) as OutboxEntry[];

  beforeEach(async () => {
    db = openDb(`outbox-waits-${Math.random()}`);
    await db.open();
    host = new FakeHost();
    status = new FakeStatus();
    status.set([account('connected')]);
    clock = 1_000_000;
    drain = new OutboxDrain(host, db, status, { now: () => clock, locks: null });
  });
  afterEach(async () => {
    drain.stop();
    db.close();
    await db.delete();
  });

  it('once its account is reconnected, without Retry, exactly once', async () => {
    host.script = [err({ kind: 'reconnectNeeded' })];
    await enqueue(db, reply, ['Hoi Els'], null, clock);
    await drain.start();
    await settle();
    // The host found the account needs reconnecting, and the status says so a moment later.
    status.set([account('reconnect')]);
    await settle();
    expect((await entries())[0]).toMatchObject({ state: 'queued', error: { kind: 'reconnectNeeded' }, attempts: 1 });
    // Time passes: nothing is tried while the account cannot send.
    clock += 10 * 60_000;
    drain.kick();
    await settle();
    expect(host.attempts).toHaveLength(1);
    // Reconnected: it goes at once, under the same id.
    status.set([account('connected')]);
    await settle();
    expect(host.attempts).toHaveLength(2);
    expect(host.attempts[1]?.clientId).toBe(host.attempts[0]?.clientId);
    expect((await entries())[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('a host that refuses although the status says connected is asked again only at its backoff', async () => {
    host.script = [err({ kind: 'reconnectNeeded' }), err({ kind: 'reconnectNeeded' }), err({ kind: 'reconnectNeeded' })];
    await enqueue(db, reply, ['Hoi Els'], null, clock);
    await drain.start();
    await settle();
    for (let i = 0; i < 5; i++) {
      status.set([account('connected')]);
      await settle();
    }
    expect(host.attempts).toHaveLength(1);
  });

  it('a reply an earlier version left failed for its account is queued again at start', async () => {
    const [e] = await enqueue(db, reply, ['Hoi Els'], null, clock);
    await db.outbox.update(e!.clientId, { state: 'failed', error: { kind: 'reconnectNeeded' }, attempts: 1 });
    await drain.start();
    await settle();
    expect((await entries())[0]).toMatchObject({ state: 'sent' });
    expect(host.attempts).toHaveLength(1);
  });
});
