import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { StreamStatus } from '../../shared/model';
import { FakeRenderer, until, world, type Requests, type World } from './harness';

/**
 * X bills every read. An account's daily budget pauses its paid streams once it
 * is spent (until the next UTC day, or at once when raised), a page cap bounds
 * one poll, and whether the account owns the developer app sets what its own
 * mentions cost ($0.001 as owned reads, else $0.005).
 */
let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

type Core = Awaited<ReturnType<World['core']>>;
const status = async (core: Core) => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
const xAccount = async (core: Core) => (await status(core)).accounts.find((a) => a.platform === 'x')!;
const streamOf = (st: Status, kind: StreamStatus['kind']) => st.streams.find((s) => s.kind === kind)!;
const count = async (api: World['api'], prefix: string) => ((await api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path.startsWith(prefix)).length;

async function started(): Promise<{ core: Core; r: FakeRenderer; api: World['api'] }> {
  w = await world({ historyPerChannel: 3 });
  // X's budgets times 100: the streams poll every few hundred ms instead of every few seconds.
  await w.api('/__sandbox/limits', { scale: 100 });
  const core = await w.core();
  const r = new FakeRenderer();
  r.attach(core);
  await until(async () => streamOf(await status(core), 'x_mentions').lastOkAt, 'a first mentions poll');
  return { core, r, api: w.api };
}

describe('X spending', () => {
  it('a spent daily budget pauses the X streams (not Facebook), says until when, and a raised budget resumes them at once', async () => {
    const { core, r, api } = await started();
    const x = await xAccount(core);
    // The sandbox bills nothing: its accounts have no budget until one is set.
    expect(x.spending).toMatchObject({ pagesPerPoll: 10 });
    expect(x.spending?.dailyBudgetUsd).toBeUndefined();
    expect(x.spending?.spentTodayUsd).toBeGreaterThan(0);

    expect(await core.dispatch('setAccountSpending', { accountId: x.id, dailyBudgetUsd: 0.001 })).toEqual({ ok: true, value: {} });
    const paused = await until(async () => (await xAccount(core)).spending?.pausedUntil, 'the account paused');
    const midnight = new Date();
    expect(paused).toBe(Date.UTC(midnight.getUTCFullYear(), midnight.getUTCMonth(), midnight.getUTCDate() + 1));
    await until(async () => (await status(core)).streams.filter((s) => s.accountId === x.id).every((s) => s.wait?.reason === 'budget'), 'every X stream waiting for the budget');

    // Paused: X is asked nothing more, and a new mention stays on X; Facebook goes on.
    const xBefore = await count(api, '/x/2/');
    const fbBefore = await count(api, '/graph/');
    const mention = await api('/__sandbox/inject', { channel: 'x_mention', text: 'Waar blijft mijn pakket?' });
    await new Promise((res) => setTimeout(res, 800));
    expect(await count(api, '/x/2/')).toBe(xBefore);
    expect(await count(api, '/graph/')).toBeGreaterThan(fbBefore);
    expect(r.stored.has(`x_mention:${mention.id}`)).toBe(false);

    await core.dispatch('setAccountSpending', { accountId: x.id, dailyBudgetUsd: 5 });
    await until(() => r.stored.get(`x_mention:${mention.id}`), 'the mention after the budget was raised', 3000);
    expect((await xAccount(core)).spending).toMatchObject({ dailyBudgetUsd: 5 });
    expect((await xAccount(core)).spending?.pausedUntil).toBeUndefined();
    // And no budget at all again.
    await core.dispatch('setAccountSpending', { accountId: x.id, dailyBudgetUsd: 0.001 });
    await until(async () => (await xAccount(core)).spending?.pausedUntil, 'paused again');
    await core.dispatch('setAccountSpending', { accountId: x.id, dailyBudgetUsd: null });
    await until(async () => ((await xAccount(core)).spending?.pausedUntil === undefined ? true : null), 'no budget, no pause');
  });

  it('the budget and what today cost survive a restart', async () => {
    const { core } = await started();
    const x = await xAccount(core);
    await core.dispatch('setAccountSpending', { accountId: x.id, dailyBudgetUsd: 0.001 });
    const spent = (await xAccount(core)).spending!.spentTodayUsd;
    await core.stop();
    const again = await w!.core();
    const after = (await xAccount(again)).spending!;
    expect(after.dailyBudgetUsd).toBe(0.001);
    expect(after.spentTodayUsd).toBeGreaterThanOrEqual(spent);
    expect(after.pausedUntil).toBeDefined();
  });

  it('mentions cost $0.005 until the account says it owns the developer app, then $0.001 (owned reads)', async () => {
    const { core, r, api } = await started();
    const x = await xAccount(core);
    expect(x.spending?.ownsApp).toBeUndefined();
    const mentions = streamOf(await status(core), 'x_mentions');
    expect(mentions.costTodayUsd).toBeCloseTo(mentions.itemsToday * 0.005, 4);

    await core.dispatch('setAccountSpending', { accountId: x.id, ownsApp: true });
    const m = await api('/__sandbox/inject', { channel: 'x_mention', text: 'Nog een vraag' });
    await until(() => r.stored.get(`x_mention:${m.id}`), 'a mention after the answer');
    const after = streamOf(await status(core), 'x_mentions');
    expect((await xAccount(core)).spending?.ownsApp).toBe(true);
    expect(after.costTodayUsd).toBeCloseTo(after.itemsToday * 0.001, 4);
  });

  it('a page cap of 1 reads a burst one page a poll: the rest waits as a gap and still arrives', async () => {
    const { core, r, api } = await started();
    const x = await xAccount(core);
    await core.dispatch('setAccountSpending', { accountId: x.id, pagesPerPoll: 1 });
    // A backlog is read on at once while the rate window has requests to spare (here, at a hundred times
    // X's limits, it always has), and the gap could be filled again between two looks at the status. At
    // three times the limits the window has no such reserve: polls are spread, about a second apart.
    await api('/__sandbox/limits', { scale: 3 });
    const burst = await api('/__sandbox/burst', { count: 350, channel: 'x_mention' });
    expect(burst.count).toBe(350);
    await until(async () => streamOf(await status(core), 'x_mentions').gaps?.some((g) => g.state === 'filling'), 'a gap while the cap holds');
    await until(() => [...r.stored.keys()].filter((k) => k.startsWith('x_mention:')).length >= 350 + 3, 'the whole burst', 15_000);
  });

  it('only X accounts have a spending budget: a Page is refused, bad values are refused by the contract', async () => {
    const { core } = await started();
    const page = (await status(core)).accounts.find((a) => a.platform === 'facebook')!;
    expect(page.spending).toBeUndefined();
    expect(await core.dispatch('setAccountSpending', { accountId: page.id, dailyBudgetUsd: 3 })).toEqual({ ok: false, error: { kind: 'notAllowed' } });
    const x = await xAccount(core);
    expect(await core.dispatch('setAccountSpending', { accountId: x.id, dailyBudgetUsd: -1 })).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    expect(await core.dispatch('setAccountSpending', { accountId: x.id, pagesPerPoll: 0 })).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
  });
});
