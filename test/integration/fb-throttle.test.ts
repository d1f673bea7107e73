import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { StreamKind } from '../../shared/model';
import { SANDBOX_BRAND } from '../../electron/sandbox/server';
import { FakeRenderer, until, world, type Requests, type World } from './harness';

/**
 * Graph throttling: every throttling code makes a stream wait instead of
 * stopping, for as long as Meta says in estimated_time_to_regain_access, and
 * without asking again meanwhile. Messenger has a budget of its own (code 80006).
 */
let w: World;

beforeEach(async () => {
  w = await world();
});

afterEach(async () => {
  await w.close();
});

const CONVERSATIONS = `/graph/v25.0/${SANDBOX_BRAND.fbPageId}/conversations`;
const FEED = `/graph/v25.0/${SANDBOX_BRAND.fbPageId}/feed`;

async function started(kinds: StreamKind[]) {
  const core = await w.core();
  const r = new FakeRenderer();
  r.attach(core);
  const stream = (kind: StreamKind) => ((core.status() as Status).streams.find((s) => s.kind === kind));
  await until(() => kinds.every((k) => stream(k)?.lastOkAt), 'first polls');
  return { core, r, stream };
}

describe('Graph throttling', () => {
  it('a spent Messenger budget (80006) makes the Messenger stream wait as long as Graph says, not stop', async () => {
    const { stream } = await started(['fb_messages']);
    // 200 calls a day per person the Page can message, scaled down to one: the calls already made spent it.
    await w.api('/__sandbox/limits', { scale: 0.001 });
    const limited = await until(() => {
      const s = stream('fb_messages');
      return s?.lastError === 'rateLimited' && s.nextPollAt ? s : null;
    }, 'the Messenger stream throttled');
    expect(limited.stopped).toBeUndefined();
    // The budget frees up when the oldest call of the rolling 24 hours drops out: hours from now.
    expect((limited.nextPollAt ?? 0) - Date.now()).toBeGreaterThan(3600_000);
    const reqs = ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path === CONVERSATIONS);
    const refused = reqs.filter((q) => q.status === 400);
    expect(refused.length, 'Graph refused a Messenger call').toBeGreaterThanOrEqual(1);
    // No Messenger call while waiting.
    await new Promise((res) => setTimeout(res, 1000));
    const after = ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path === CONVERSATIONS);
    expect(after.length).toBe(reqs.length);
  });

  it('the error body and usage header Graph sends for 80006', async () => {
    await w.api('/__sandbox/limits', { scale: 0.001 });
    const user = (await w.api('/__sandbox/facebook/token', {})).access_token as string;
    const get = (path: string, token: string) => fetch(`${w.sandbox.graphApiUrl}/v25.0/${path}`, { headers: { authorization: `Bearer ${token}` } });
    const token = (await (await get('me/accounts', user)).json()).data[0].access_token as string;
    // A budget of one call: the first passes, the second is refused.
    expect((await get(`${SANDBOX_BRAND.fbPageId}/conversations?platform=messenger`, token)).status).toBe(200);
    const res = await get(`${SANDBOX_BRAND.fbPageId}/conversations?platform=messenger`, token);
    const body = await res.json();
    expect(res.status).toBe(400);
    expect(body.error).toMatchObject({ type: 'OAuthException', code: 80006, message: expect.stringContaining('too many messenger api calls to this Page account') });
    expect(body.error.fbtrace_id).toEqual(expect.any(String));
    const usage = JSON.parse(res.headers.get('x-business-use-case-usage') as string)[SANDBOX_BRAND.fbPageId];
    expect(usage).toEqual([expect.objectContaining({ type: 'messenger', call_count: 100, estimated_time_to_regain_access: 1440 })]);
    // Other Page calls spend the Pages budget, not Messenger's.
    expect((await get(`${SANDBOX_BRAND.fbPageId}/feed`, token)).status).toBe(200);
  });

  it.each([
    ['Messenger (80006)', 'fb_messages' as const, CONVERSATIONS, 80006, 120],
    ['Pages (80001)', 'fb_comments' as const, FEED, 80001, 300],
  ])('%s with estimated_time_to_regain_access: the stream waits that long', async (_label, kind, path, code, seconds) => {
    const { stream } = await started([kind]);
    await w.api('/__sandbox/requests', undefined, 'DELETE');
    const before = Date.now();
    await w.api('/__sandbox/faults', { method: 'GET', path, times: 1, fault: { type: 'rateLimit', code, resetInSeconds: seconds } });
    const s = await until(() => {
      const st = stream(kind);
      return st?.lastError === 'rateLimited' ? st : null;
    }, 'the throttled poll');
    // The fault fired (a rule is dropped once spent), and the stream waits Graph's minutes, not a backoff.
    expect(((await w.api('/__sandbox/faults')) as { faults: unknown[] }).faults).toEqual([]);
    expect(s.stopped).toBeUndefined();
    expect(s.nextPollAt ?? 0).toBeGreaterThanOrEqual(before + seconds * 1000);
    expect(s.nextPollAt ?? 0).toBeLessThan(Date.now() + seconds * 1000 + 5000);
  });
});
