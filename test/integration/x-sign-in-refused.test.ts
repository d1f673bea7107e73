import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import { until, world, type World } from './harness';

/**
 * Signing in to X asks who the tokens belong to (GET /2/users/me). An app whose
 * pay-per-use credits are used up gets a 402 there too: the sign-in must say
 * that, in the person's language, instead of the platform's raw words.
 */
let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('X sign-in refused', () => {
  it('credits used up: the sign-in ends with creditsDepleted, the fault fired, and signing in again works even while no window acknowledges anything', async () => {
    w = await world();
    const core = await w.core();
    const status = async () => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
    const fault = (await w.api('/__sandbox/faults', { path: '/x/2/users/me', times: 0, fault: { type: 'creditsDepleted' } })) as { id: string };
    const started = await core.dispatch('connectX', {});
    expect(started.ok).toBe(true);
    const failed = await until(async () => {
      const s = (await status()).signIn;
      return !s.pending && s.error ? s : null;
    }, 'the sign-in to end');
    expect(failed.error).toBe('creditsDepleted');
    const hits = ((await w.api('/__sandbox/faults')) as { faults: { id: string; hits: number }[] }).faults.find((f) => f.id === fault.id)?.hits;
    expect(hits).toBe(1);
    // A top-up: X answers again.
    await w.api('/__sandbox/faults', undefined, 'DELETE');
    // The account of the first sign-in is still there and connected.
    expect((await status()).accounts.find((a) => a.platform === 'x')?.state).toBe('connected');

    let last: Status['signIn'] | null = null;
    // No window is open: the batches of the first sign-in's streams are never acknowledged.
    // Reconnecting must not wait for them.
    await core.dispatch('connectX', {});
    await until(async () => {
      last = (await status()).signIn;
      return !last.pending && !last.error ? last : null;
    }, () => `a second sign-in to succeed: ${JSON.stringify(last)}`);
  });
});
