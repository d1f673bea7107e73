import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandboxBrowser, signInX, openLoopback } from '../../electron/host/connectors/x/oauth';
import { ReconnectNeeded, XSession, type XTokens } from '../../electron/host/connectors/x/api';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ ratePerMinute: 0, historyPerChannel: 1 });
});
afterEach(async () => {
  await sandbox.close();
});

const call = async (p: string, init?: { method?: string; body?: unknown }) => {
  const res = await fetch(`${sandbox.url}${p}`, {
    method: init?.method ?? (init?.body ? 'POST' : 'GET'),
    headers: { 'content-type': 'application/json' },
    body: init?.body ? JSON.stringify(init.body) : undefined,
  });
  return res.json();
};
const tokenRequests = async () =>
  (await call('/__sandbox/requests')).requests.filter((r: { path: string }) => r.path === '/x/2/oauth2/token');

async function signedIn(): Promise<XTokens> {
  return signInX({ clientId: 'webcare-sandbox', apiUrl: sandbox.xApiUrl, callbackPorts: [0], openBrowser: sandboxBrowser });
}

describe('X sign-in and token refresh', () => {
  it('signs in with PKCE through the loopback listener, with the scopes the console needs', async () => {
    const tokens = await signedIn();
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.scope).toEqual(expect.arrayContaining(['tweet.read', 'tweet.write', 'users.read', 'dm.read', 'dm.write', 'offline.access', 'media.write']));
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 7000 * 1000);
  });

  it('ten concurrent calls with an expired token make exactly one refresh; the new pair is stored before use', async () => {
    const tokens = { ...(await signedIn()), expiresAt: Date.now() - 1000 };
    await call('/__sandbox/requests', { method: 'DELETE' });
    const saves: { at: number; t: XTokens }[] = [];
    const session = new XSession({
      clientId: 'webcare-sandbox',
      apiUrl: sandbox.xApiUrl,
      tokens,
      save: async (t) => {
        await new Promise((r) => setTimeout(r, 50));
        saves.push({ at: Date.now(), t });
      },
    });
    const results = await Promise.all(Array.from({ length: 10 }, () => session.run((c) => c.v2.get('users/me'))));
    expect(results.every((r) => typeof r.data.id === 'string')).toBe(true);
    expect(await tokenRequests()).toHaveLength(1);
    expect(saves).toHaveLength(1);
    expect(saves[0]?.t.refreshToken).not.toBe(tokens.refreshToken);
    const meCalls = (await call('/__sandbox/requests')).requests.filter((r: { path: string }) => r.path === '/x/2/users/me');
    expect(meCalls).toHaveLength(10);
    for (const r of meCalls) expect(r.at).toBeGreaterThanOrEqual(saves[0]!.at - 5);
  });

  it('a lost refresh response ends in "reconnect", with no refresh loop', async () => {
    const tokens = { ...(await signedIn()), expiresAt: Date.now() - 1000 };
    await call('/__sandbox/requests', { method: 'DELETE' });
    // The sandbox rotates the refresh token, then the answer never arrives.
    await call('/__sandbox/faults', { body: { method: 'POST', path: '/x/2/oauth2/token', fault: { type: 'commitThen', then: 'reset' } } });
    const session = new XSession({ clientId: 'webcare-sandbox', apiUrl: sandbox.xApiUrl, tokens, save: async () => undefined });
    await expect(session.run((c) => c.v2.get('users/me'))).rejects.not.toBeInstanceOf(ReconnectNeeded);
    await expect(session.run((c) => c.v2.get('users/me'))).rejects.toBeInstanceOf(ReconnectNeeded);
    await expect(session.run((c) => c.v2.get('users/me'))).rejects.toBeInstanceOf(ReconnectNeeded);
    expect(await tokenRequests()).toHaveLength(2);
  });

  it('a revoked token ends in "reconnect"', async () => {
    const session = new XSession({ clientId: 'webcare-sandbox', apiUrl: sandbox.xApiUrl, tokens: await signedIn(), save: async () => undefined });
    await session.run((c) => c.v2.get('users/me'));
    await call('/__sandbox/revoke', { body: { platform: 'x' } });
    await expect(session.run((c) => c.v2.get('users/me'))).rejects.toBeInstanceOf(ReconnectNeeded);
  });
});

describe('the loopback listener', () => {
  it('binds 127.0.0.1 only, checks state and Host, and answers once', async () => {
    const lb = await openLoopback([0]);
    expect(lb.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const code = lb.code('the-state-0123456789');
    const base = `http://127.0.0.1:${lb.port}`;
    expect((await fetch(`${base}/callback?state=wrong&code=1`)).status).toBe(400);
    expect((await fetch(`${base}/other?state=the-state-0123456789&code=1`)).status).toBe(404);
    expect((await fetch(`${base}/callback?state=the-state-0123456789&code=1`, { method: 'POST' })).status).toBe(400);
    const good = await fetch(`${base}/callback?state=the-state-0123456789&code=abc%3Cscript%3E`);
    expect(good.status).toBe(200);
    expect(await good.text()).not.toContain('script');
    await expect(code).resolves.toBe('abc<script>');
    await expect(fetch(`${base}/callback?state=the-state-0123456789&code=again`)).rejects.toThrow();
  });

  it('falls through to the next registered port when one is taken', async () => {
    const first = await openLoopback([0]);
    const second = await openLoopback([first.port, 0]);
    expect(second.port).not.toBe(first.port);
    first.close();
    second.close();
  });
});
