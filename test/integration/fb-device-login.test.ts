import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { HostCore } from '../../electron/host/hostCore';
import { until, world, type Requests, type World } from './harness';

/**
 * "Sign in with Facebook" (Login for Devices) against the sandbox over real HTTP:
 * the host asks for a code, polls /device/login_status, and the Pages of the user
 * token it gets come to the person to choose; the token itself never shows.
 */
describe('Facebook Login for Devices', () => {
  let w: World;
  let core: HostCore;
  const api = (p: string, body?: unknown) => w.api(p, body);
  const status = async () => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
  const statuses = async () => (await api('/__sandbox/requests') as Requests).requests.filter((r) => r.path.endsWith('/device/login_status')).map((r) => r.status);

  const startCore = async (msPerSecond: number) => {
    // Built, not started: the sign-in needs no accounts, and none are signed in first.
    core = await w.core({ start: false, devicePollMsPerSecond: msPerSecond });
  };

  beforeEach(async () => {
    // Polls 100 ms apart are "5 s" for the sandbox at this scale.
    w = await world({ historyPerChannel: 1, seed: 5, limits: { scale: 100 } });
  });
  afterEach(async () => {
    await w.close();
  });

  it('waits while pending, then lists the Pages and connects the chosen one', async () => {
    await startCore(20);
    expect((await status()).fbSignIn).toMatchObject({ available: 'sandbox', pending: false });
    const started = await core.dispatch('startFacebookSignIn', {});
    if (!started.ok) throw new Error(JSON.stringify(started.error));
    const { userCode, verificationUri } = started.value as { userCode: string; verificationUri: string; expiresAt: number };
    expect(userCode).toMatch(/^[A-Z0-9]{8}$/);
    expect(verificationUri).toBe(`${w.sandbox.url}/facebook/device`);
    expect((await status()).fbSignIn).toMatchObject({ pending: true, userCode });

    // Pending for a while: Graph's 1349174 answers, and no Pages yet.
    await until(async () => (await statuses()).filter((s) => s === 400).length >= 2, 'pending polls');
    expect((await status()).fbSignIn?.pending).toBe(true);
    // Connecting before the sign-in finished is refused.
    expect(await core.dispatch('connectFacebookSignIn', { pageIds: ['104857362911457'] })).toMatchObject({ ok: false, error: { kind: 'notAllowed' } });

    // The person visits the verification page (the host's opener does, for the sandbox).
    expect(await core.dispatch('openFacebookSignIn', {})).toEqual({ ok: true, value: {} });
    const done = await until(async () => {
      const s = await status();
      return s.fbSignIn?.pages ? s : null;
    }, 'pages listed');
    expect(done.fbSignIn).toMatchObject({ pending: false, pages: [{ id: '104857362911457', name: 'Polderpost', missingTasks: [] }] });
    expect(JSON.stringify(done)).not.toContain('EAAS');
    expect(await statuses()).toContain(200);

    const connected = await core.dispatch('connectFacebookSignIn', { pageIds: ['104857362911457'] });
    expect(connected).toEqual({ ok: true, value: { connected: ['fb:104857362911457'] } });
    const after = await status();
    expect(after.accounts.map((a) => a.id)).toContain('fb:104857362911457');
    expect(after.fbSignIn).toEqual({ available: 'sandbox', pending: false });
    // The user token is forgotten: a second connect has nothing to use.
    expect(await core.dispatch('connectFacebookSignIn', { pageIds: ['104857362911457'] })).toMatchObject({ ok: false, error: { kind: 'notAllowed' } });
  });

  it('says so when the code expires', async () => {
    await startCore(20);
    const started = await core.dispatch('startFacebookSignIn', {});
    expect(started.ok).toBe(true);
    await until(async () => (await statuses()).length >= 1, 'first poll');
    // Eight minutes later on the sandbox's clock: Graph answers 1349152.
    await api('/__sandbox/clock', { skewMs: 8 * 60_000 });
    const s = await until(async () => {
      const st = await status();
      return st.fbSignIn?.error ? st : null;
    }, 'expiry');
    expect(s.fbSignIn).toMatchObject({ pending: false, error: 'expired' });
    // An expired code cannot be approved any more.
    const approve = await fetch(`${w.sandbox.url}/__sandbox/facebook/device/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_code: s.fbSignIn?.userCode ?? 'X' }) });
    expect(approve.status).toBe(404);
  });

  it('slows down when Graph says it polls too often', async () => {
    // 2 ms per second: polls 10 ms apart, far under the sandbox's 50 ms.
    await startCore(2);
    const started = await core.dispatch('startFacebookSignIn', {});
    if (!started.ok) throw new Error('start failed');
    const { userCode } = started.value as { userCode: string };
    // After enough 1349172 answers the host's interval (+5 s each) passes the sandbox's minimum.
    await until(async () => {
      const log = (await api('/__sandbox/requests') as Requests).requests.filter((r) => r.path.endsWith('/device/login_status'));
      return log.length >= 6;
    }, 'polls');
    const approved = await api('/__sandbox/facebook/device/approve', { user_code: userCode.toLowerCase() });
    expect(approved).toEqual({ approved: true });
    const s = await until(async () => {
      const st = await status();
      return st.fbSignIn?.pages ? st : null;
    }, 'pages after slowing down');
    expect(s.fbSignIn?.pages?.length).toBe(1);
    // Graph's slow-down answers came, and the host spaced its polls out afterwards (no endless 400s).
    const polls = (await api('/__sandbox/requests') as Requests).requests.filter((r) => r.path.endsWith('/device/login_status'));
    expect(polls.length).toBeLessThan(40);
    const at = polls.map((r) => (r as unknown as { at: number }).at);
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    expect((gaps.at(-1) ?? 0) - (gaps[0] ?? 0)).toBeGreaterThanOrEqual(20);
    expect(polls.at(-1)?.status).toBe(200);
  });

  it('refuses without a Meta app or sandbox, and validates input', async () => {
    const dataDir = await w.tempDir();
    const bare = await w.core({ start: false, attachSandbox: false, dataDir, pollIntervalMs: undefined });
    expect(await bare.dispatch('startFacebookSignIn', {})).toMatchObject({ ok: false, error: { kind: 'notConfigured' } });
    expect(((await bare.dispatch('getStatus', {})) as { ok: true; value: Status }).value.fbSignIn?.available).toBe('unavailable');
    expect(await bare.dispatch('connectFacebookSignIn', { pageIds: [] })).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    expect(await bare.dispatch('openFacebookSignIn', {})).toMatchObject({ ok: false, error: { kind: 'notAllowed' } });
    await bare.stop();

    // A real Meta app configured (here pointed at the sandbox) whose client token Graph refuses.
    const wrong = await w.core({ start: false, attachSandbox: false, dataDir, pollIntervalMs: undefined, config: { graphApiUrl: w.sandbox.graphApiUrl, fbAppId: '1', fbClientToken: 'nope' } });
    const refused = await wrong.dispatch('startFacebookSignIn', {});
    expect(refused.ok).toBe(false);
    const st = ((await wrong.dispatch('getStatus', {})) as { ok: true; value: Status }).value.fbSignIn;
    expect(st).toEqual({ available: 'facebook', pending: false });
    await wrong.stop();
  });
});
