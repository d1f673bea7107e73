import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_BRAND, startSandbox, type Sandbox } from '../../electron/sandbox/server.js';

/**
 * The sandbox over real HTTP with global fetch, as the host core will meet it.
 * One sandbox for the file (reset where a test needs a clean world), plus a few
 * short-lived ones for seeds, live traffic and Graph throttling.
 */

interface Res {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire bodies are checked field by field
  body: any;
}

let sb: Sandbox;
const BRAND = SANDBOX_BRAND.xUserId;
const PAGE = SANDBOX_BRAND.fbPageId;
const TWO_53 = 2n ** 53n;

async function call(path: string, init: RequestInit & { json?: unknown } = {}, base = sb.url): Promise<Res> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(base + path, { ...init, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

const post = (path: string, json?: unknown, headers?: HeadersInit) => call(path, { method: 'POST', json, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function xToken(scope?: string): Promise<{ access_token: string; refresh_token?: string; scope: string }> {
  return (await post('/__sandbox/x/token', scope ? { scope } : {})).body;
}

async function pageToken(): Promise<string> {
  const user = (await post('/__sandbox/facebook/token')).body.access_token as string;
  const acc = await call('/graph/v25.0/me/accounts?fields=id,name,access_token,tasks', { headers: bearer(user) });
  return acc.body.data[0].access_token as string;
}

function pkce() {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function authorize(opts: { redirect?: string; challenge?: string; method?: string; scope?: string } = {}): Promise<Res> {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: 'webcare-test',
    redirect_uri: opts.redirect ?? 'http://127.0.0.1:53682/callback',
    scope: opts.scope ?? 'tweet.read tweet.write users.read dm.read dm.write offline.access',
    state: 'st-123',
    code_challenge_method: opts.method ?? 's256',
  });
  if (opts.challenge !== undefined) q.set('code_challenge', opts.challenge);
  return call(`/x/i/oauth2/authorize?${q.toString().replace(/\+/g, '%20')}`);
}

async function mentions(token: string, query = ''): Promise<Res> {
  return call(`/x/2/users/${BRAND}/mentions?${query}`, { headers: bearer(token) });
}

async function inject(body: Record<string, unknown>): Promise<{ id: string; conversationId: string; authorId: string; postId?: string }> {
  const r = await post('/__sandbox/inject', body);
  expect(r.status).toBe(200);
  return r.body;
}

async function posted(): Promise<{ kind: string; id: string; text?: string; inReplyToId?: string; recipientId?: string; accountId: string; at: number }[]> {
  return (await call('/__sandbox/posted')).body.posted;
}

async function fault(spec: Record<string, unknown>): Promise<string> {
  const r = await post('/__sandbox/faults', spec);
  expect(r.status).toBe(200);
  return r.body.id;
}

function descending(ids: string[]): boolean {
  return ids.every((id, i) => i === 0 || BigInt(id) < BigInt(ids[i - 1] as string));
}

beforeAll(async () => {
  sb = await startSandbox({ ratePerMinute: 0, seed: 1, historyPerChannel: 15 });
});

afterAll(async () => {
  await sb.close();
});

afterEach(async () => {
  await call('/__sandbox/faults', { method: 'DELETE' });
  await post('/__sandbox/clock', { skewMs: 0 });
});

describe('inspection basics', () => {
  it('answers health, listens on loopback and reports the brand and history', async () => {
    expect((await call('/__sandbox/health')).body).toEqual({ ok: true });
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.xApiUrl).toBe(`${sb.url}/x`);
    expect(sb.graphApiUrl).toBe(`${sb.url}/graph`);
    const state = (await call('/__sandbox/state')).body;
    expect(state.brand).toEqual(SANDBOX_BRAND);
    expect(state.ratePerMinute).toBe(0);
    // 15 customer messages per channel, plus follow-ups and answers the team gave earlier.
    for (const ch of ['x_mention', 'x_dm', 'fb_comment', 'fb_message']) expect(state.counts[ch]).toBeGreaterThanOrEqual(15);
  });
});

describe('DNS rebinding guard', () => {
  it('refuses a request whose Host header is not the loopback address', async () => {
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(`${sb.url}/__sandbox/health`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    const port = new URL(sb.url).port;
    expect(await status(`evil.example:${port}`)).toBe(421);
    expect(await status(`localhost:${port}`)).toBe(200);
  });
});

describe('X OAuth 2.0 PKCE', () => {
  it('auto-approves, exchanges the code once and the token names the brand', async () => {
    const { verifier, challenge } = pkce();
    const a = await authorize({ challenge });
    expect(a.status).toBe(302);
    const loc = new URL(a.headers.get('location') as string);
    expect(`${loc.origin}${loc.pathname}`).toBe('http://127.0.0.1:53682/callback');
    expect(loc.searchParams.get('state')).toBe('st-123');
    const code = loc.searchParams.get('code') as string;
    expect(code).toBeTruthy();

    const body = { code, grant_type: 'authorization_code', client_id: 'webcare-test', redirect_uri: 'http://127.0.0.1:53682/callback', code_verifier: verifier };
    const t = await post('/x/2/oauth2/token', body);
    expect(t.status).toBe(200);
    expect(t.body).toEqual({
      token_type: 'bearer',
      expires_in: 7200,
      access_token: expect.any(String),
      scope: 'tweet.read tweet.write users.read dm.read dm.write offline.access',
      refresh_token: expect.any(String),
    });
    const me = await call('/x/2/users/me', { headers: bearer(t.body.access_token) });
    expect(me.body).toEqual({ data: { id: BRAND, name: 'Polderpost', username: 'polderpost' } });

    const again = await post('/x/2/oauth2/token', body);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_request');
  });

  it('refuses a wrong verifier, and the code is spent afterwards', async () => {
    const { verifier, challenge } = pkce();
    const code = new URL((await authorize({ challenge })).headers.get('location') as string).searchParams.get('code');
    const base = { code, grant_type: 'authorization_code', client_id: 'webcare-test', redirect_uri: 'http://127.0.0.1:53682/callback' };
    const wrong = await post('/x/2/oauth2/token', { ...base, code_verifier: pkce().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: 'invalid_request', error_description: 'Value passed for the token was invalid.' });
    expect((await post('/x/2/oauth2/token', { ...base, code_verifier: verifier })).status).toBe(400);
  });

  it('takes a form-encoded exchange, without a refresh token when offline.access is not asked', async () => {
    const { verifier, challenge } = pkce();
    const code = new URL((await authorize({ challenge, scope: 'tweet.read users.read' })).headers.get('location') as string).searchParams.get('code') as string;
    const form = new URLSearchParams({ code, grant_type: 'authorization_code', client_id: 'webcare-test', redirect_uri: 'http://127.0.0.1:53682/callback', code_verifier: verifier });
    const t = await call('/x/2/oauth2/token', { method: 'POST', body: form });
    expect(t.status).toBe(200);
    expect(t.body.refresh_token).toBeUndefined();
    expect(t.body.scope).toBe('tweet.read users.read');
  });

  it('refuses non-loopback redirects, plain or missing challenges', async () => {
    const { challenge } = pkce();
    for (const r of [
      await authorize({ challenge, redirect: 'https://evil.example/callback' }),
      await authorize({ challenge, redirect: 'http://127.0.0.1.evil.example/cb' }),
      await authorize({ challenge, method: 'plain' }),
      await authorize({}),
    ]) {
      expect(r.status).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      expect(r.headers.get('content-type')).toMatch(/text\/html/);
    }
    expect((await authorize({ challenge, redirect: 'http://localhost/cb' })).status).toBe(302);
  });

  it('lets a code expire after 30 seconds of sandbox time', async () => {
    const { verifier, challenge } = pkce();
    const code = new URL((await authorize({ challenge })).headers.get('location') as string).searchParams.get('code');
    await post('/__sandbox/clock', { skewMs: 31_000 });
    const t = await post('/x/2/oauth2/token', { code, grant_type: 'authorization_code', client_id: 'webcare-test', redirect_uri: 'http://127.0.0.1:53682/callback', code_verifier: verifier });
    expect(t.status).toBe(400);
  });

  it('rotates refresh tokens: the second use of one is refused', async () => {
    const first = await xToken();
    await call('/__sandbox/requests', { method: 'DELETE' });
    const refresh = (rt: string) => post('/x/2/oauth2/token', { refresh_token: rt, grant_type: 'refresh_token', client_id: 'webcare-sandbox' });
    const r1 = await refresh(first.refresh_token as string);
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(first.refresh_token);
    const reuse = await refresh(first.refresh_token as string);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toEqual({ error: 'invalid_request', error_description: 'Value passed for the token was invalid.' });
    expect((await refresh(r1.body.refresh_token)).status).toBe(200);
    const log = (await call('/__sandbox/requests')).body.requests.filter((q: { path: string }) => q.path === '/x/2/oauth2/token');
    expect(log.map((q: { status: number }) => q.status)).toEqual([200, 400, 200]);
  });

  it('expires access tokens after 7200 s of sandbox time and honours revoke', async () => {
    const t = await xToken();
    expect((await call('/x/2/users/me', { headers: bearer(t.access_token) })).status).toBe(200);
    await post('/__sandbox/clock', { skewMs: 7_201_000 });
    const expired = await call('/x/2/users/me', { headers: bearer(t.access_token) });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    await post('/__sandbox/clock', { skewMs: 0 });
    await post('/x/2/oauth2/revoke', { token: t.access_token, token_type_hint: 'access_token', client_id: 'webcare-sandbox' });
    expect((await call('/x/2/users/me', { headers: bearer(t.access_token) })).status).toBe(401);
    expect((await call('/x/2/users/me')).status).toBe(401);
  });

  it('works end to end through twitter-api-v2 redirected to the sandbox', async () => {
    const base = sb.xApiUrl;
    let forceJson = false;
    const plugin: ITwitterApiClientPlugin = {
      onBeforeRequestConfig({ params }) {
        // The library picks the body encoding from the final URL; below /x it would send a form.
        if (forceJson && /^https:\/\/api\.x\.com\/2\/(?!oauth2\/)/.test(params.url)) params.forceBodyMode ??= 'json';
        params.url = params.url.replace(/^https:\/\/(api\.|upload\.)?x\.com/, base);
      },
    };
    const settings = { plugins: [plugin], httpAgent: new http.Agent() };
    const loopback = http.createServer();
    const callback = new Promise<URL>((resolve) => loopback.on('request', (req, res) => {
      resolve(new URL(req.url ?? '/', 'http://127.0.0.1'));
      res.end('ok');
    }));
    await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
    try {
      const redirectUri = `http://127.0.0.1:${(loopback.address() as { port: number }).port}/callback`;
      const app = new TwitterApi({ clientId: 'webcare-sandbox' }, settings);
      const link = app.generateOAuth2AuthLink(redirectUri, { scope: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] });
      const hop = await fetch(link.url.replace('https://x.com', base), { redirect: 'manual' });
      await fetch(hop.headers.get('location') as string);
      const code = (await callback).searchParams.get('code') as string;
      const login = await app.loginWithOAuth2({ code, codeVerifier: link.codeVerifier, redirectUri });
      expect(login.expiresIn).toBe(7200);
      const refreshed = await app.refreshOAuth2Token(login.refreshToken as string);
      await expect(app.refreshOAuth2Token(login.refreshToken as string)).rejects.toMatchObject({ code: 400 });
      const page = await refreshed.client.v2.userMentionTimeline(BRAND, { max_results: 5, expansions: ['author_id'] });
      expect(page.tweets).toHaveLength(5);
      expect(page.rateLimit).toMatchObject({ limit: 300 });
      expect(page.includes.users.length).toBeGreaterThan(0);
      const target = page.tweets[0]?.id as string;
      await expect(refreshed.client.v2.reply('Hoi! Stuur je ons een DM?', target)).rejects.toMatchObject({
        code: 400,
        data: { errors: [{ message: 'Requests with bodies must have content-type of application/json.' }] },
      });
      forceJson = true;
      const sent = await refreshed.client.v2.reply('Hoi! Stuur je ons een DM?', target);
      expect(sent.data.text).toMatch(/^@\w+ Hoi! Stuur je ons een DM\?$/);
    } finally {
      loopback.close();
    }
  });
});

describe('X mentions', () => {
  let token: string;
  beforeEach(async () => {
    await post('/__sandbox/reset');
    token = (await xToken()).access_token;
  });

  it('pages newest first with snowflake ids above 2^53, since_id and no data key when empty', async () => {
    const first = await mentions(token, 'max_results=5');
    const ids = first.body.data.map((t: { id: string }) => t.id);
    expect(ids).toHaveLength(5);
    expect(descending(ids)).toBe(true);
    for (const id of ids) expect(BigInt(id) > TWO_53).toBe(true);
    expect(first.body.meta).toMatchObject({ result_count: 5, newest_id: ids[0], oldest_id: ids[4], next_token: expect.any(String) });

    const empty = await mentions(token, `since_id=${ids[0]}`);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ meta: { result_count: 0 } });

    const a = await inject({ channel: 'x_mention', text: 'waar blijft mijn pakket 3SPLD000000001?' });
    const b = await inject({ channel: 'x_mention', text: 'nog steeds niks', inReplyToId: a.id });
    expect(BigInt(b.id) > BigInt(a.id) && BigInt(a.id) > BigInt(ids[0])).toBe(true);
    expect(b.conversationId).toBe(a.id);
    const fresh = await mentions(token, `since_id=${ids[0]}&tweet.fields=conversation_id,referenced_tweets,in_reply_to_user_id`);
    expect(fresh.body.data.map((t: { id: string }) => t.id)).toEqual([b.id, a.id]);
    expect(fresh.body.data[0]).toMatchObject({ conversation_id: a.id, referenced_tweets: [{ type: 'replied_to', id: a.id }], in_reply_to_user_id: a.authorId });
    expect(fresh.body.data[1].text).toBe('@polderpost waar blijft mijn pakket 3SPLD000000001?');
  });

  it('returns every mention exactly once across pages, even when new ones arrive while paging', async () => {
    const total = (await call('/__sandbox/state')).body.counts.x_mention as number;
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const r = await mentions(token, `max_results=5${next ? `&pagination_token=${next}` : ''}`);
      seen.push(...r.body.data.map((t: { id: string }) => t.id));
      next = r.body.meta.next_token;
      if (pages++ === 0) await inject({ channel: 'x_mention', text: 'arrived while paging' });
    } while (next);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(total);
    expect(descending(seen)).toBe(true);
  });

  it('returns only default fields unless asked, and expands authors', async () => {
    const plain = await mentions(token, 'max_results=5');
    expect(Object.keys(plain.body.data[0]).sort()).toEqual(['edit_history_tweet_ids', 'id', 'text']);
    expect(plain.body.includes).toBeUndefined();
    const rich = await mentions(token, 'max_results=5&tweet.fields=author_id,created_at,lang&expansions=author_id&user.fields=public_metrics,verified');
    const t = rich.body.data[0];
    expect(t.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const author = rich.body.includes.users.find((u: { id: string }) => u.id === t.author_id);
    expect(author).toMatchObject({ username: expect.any(String), verified: expect.any(Boolean), public_metrics: { followers_count: expect.any(Number) } });
  });

  it('validates parameters as X does', async () => {
    for (const q of ['max_results=3', 'max_results=101', 'since_id=abc', 'pagination_token=zzz', 'exclude=replies', 'tweet.fields=bogus']) {
      const r = await mentions(token, q);
      expect(r.status, q).toBe(400);
      expect(r.body.type, q).toBe('https://api.twitter.com/2/problems/invalid-request');
    }
    const missing = await call('/x/2/users/999/mentions', { headers: bearer(token) });
    expect(missing.status).toBe(200);
    expect(missing.body.errors[0]).toMatchObject({ resource_type: 'user', resource_id: '999' });
  });

  it('counts the rate limit down per endpoint and answers 429 past it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const remaining: number[] = [];
    let reset = 0;
    for (let i = 0; i < 15; i++) {
      const r = await call('/x/2/dm_events', { headers: bearer(token) });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-rate-limit-limit')).toBe('15');
      remaining.push(Number(r.headers.get('x-rate-limit-remaining')));
      reset = Number(r.headers.get('x-rate-limit-reset'));
    }
    expect(remaining).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(reset).toBeGreaterThan(now);
    expect(reset).toBeLessThanOrEqual(now + 901);
    const over = await call('/x/2/dm_events', { headers: bearer(token) });
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
    expect(over.headers.get('x-rate-limit-remaining')).toBe('0');
    // Another endpoint has its own window.
    expect((await mentions(token, 'max_results=5')).headers.get('x-rate-limit-remaining')).toBe('299');
    // The test knob scales the table; reset puts it back.
    await post('/__sandbox/limits', { scale: 10 });
    expect((await mentions(token, 'max_results=5')).headers.get('x-rate-limit-limit')).toBe('3000');
    await post('/__sandbox/reset');
    expect((await call('/x/2/dm_events', { headers: bearer(token) })).headers.get('x-rate-limit-remaining')).toBe('14');
  });

  it('searches recent posts with keywords, phrases, OR, negation and operators', async () => {
    const a = await inject({ channel: 'x_mention', text: 'Mijn klikopakket is zoek in Zwolle', authorHandle: 'zoekertje', authorName: 'Zoeker', lang: 'nl' });
    const b = await inject({ channel: 'x_mention', text: 'My kliko parcel arrived in Zwolle', lang: 'en', inReplyToId: a.id });
    const search = async (q: string) => {
      const r = await call(`/x/2/tweets/search/recent?query=${encodeURIComponent(q)}&max_results=10`, { headers: bearer(token) });
      expect(r.status, q).toBe(200);
      return (r.body.data ?? []).map((t: { id: string }) => t.id);
    };
    expect(await search('zwolle kliko')).toEqual([b.id]);
    expect(await search('"klikopakket is zoek"')).toEqual([a.id]);
    expect(await search('klikopakket OR "kliko parcel"')).toEqual([b.id, a.id]);
    expect(await search('zwolle -parcel klikopakket')).toEqual([a.id]);
    expect(await search('(kliko OR klikopakket) -lang:en')).toEqual([a.id]);
    expect(await search('from:zoekertje zwolle')).toEqual([a.id]);
    expect(await search('kliko lang:en -is:retweet')).toEqual([b.id]);
    expect(await search(`conversation_id:${a.id}`)).toEqual([b.id, a.id]);
    const alone = await call(`/x/2/tweets/search/recent?query=${encodeURIComponent('lang:nl')}`, { headers: bearer(token) });
    expect(alone.status).toBe(400);
  });
});

describe('X posting', () => {
  let token: string;
  beforeEach(async () => {
    await post('/__sandbox/reset');
    token = (await xToken()).access_token;
  });
  const tweet = (body: unknown, t = token) => call('/x/2/tweets', { method: 'POST', json: body, headers: bearer(t) });

  it('creates a reply that lives in the conversation and the brand timeline, not in mentions', async () => {
    const target = await inject({ channel: 'x_mention', text: 'pakket kwijt', authorHandle: 'klant_a', authorName: 'Klant A' });
    const newest = (await mentions(token, 'max_results=5')).body.meta.newest_id;
    const r = await tweet({ text: 'Vervelend! Stuur je ons een DM?', reply: { in_reply_to_tweet_id: target.id } });
    expect(r.status).toBe(201);
    const id = r.body.data.id as string;
    expect(r.body).toEqual({ data: { id, text: '@klant_a Vervelend! Stuur je ons een DM?', edit_history_tweet_ids: [id] } });
    expect(BigInt(id) > BigInt(target.id)).toBe(true);

    expect(await posted()).toEqual([{ kind: 'x_reply', id, text: 'Vervelend! Stuur je ons een DM?', inReplyToId: target.id, accountId: BRAND, at: expect.any(Number) }]);
    const own = await call(`/x/2/users/${BRAND}/tweets?max_results=5&tweet.fields=conversation_id,referenced_tweets,in_reply_to_user_id,author_id`, { headers: bearer(token) });
    expect(own.body.data[0]).toMatchObject({ id, author_id: BRAND, conversation_id: target.conversationId, in_reply_to_user_id: target.authorId, referenced_tweets: [{ type: 'replied_to', id: target.id }] });
    expect((await mentions(token, `since_id=${newest}`)).body).toEqual({ meta: { result_count: 0 } });
    const conv = await call(`/x/2/tweets/search/recent?query=${encodeURIComponent(`conversation_id:${target.conversationId}`)}`, { headers: bearer(token) });
    expect(conv.body.data.map((t: { id: string }) => t.id)).toEqual([id, target.id]);
  });

  it('refuses duplicate content within 24 hours', async () => {
    const a = await inject({ channel: 'x_mention', text: 'vraag 1' });
    const b = await inject({ channel: 'x_mention', text: 'vraag 2' });
    expect((await tweet({ text: 'We kijken ernaar!', reply: { in_reply_to_tweet_id: a.id } })).status).toBe(201);
    const dup = await tweet({ text: 'We kijken ernaar!', reply: { in_reply_to_tweet_id: b.id } });
    expect(dup.status).toBe(403);
    expect(dup.body).toEqual({ detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 });
    await post('/__sandbox/clock', { skewMs: 24 * 3_600_000 + 1_000 });
    const later = await tweet({ text: 'We kijken ernaar!', reply: { in_reply_to_tweet_id: b.id } }, (await xToken()).access_token);
    expect(later.status).toBe(201);
    expect((await posted()).filter((p) => p.kind === 'x_reply')).toHaveLength(2);
  });

  it('applies the 2026 reply rule: only posts that mention or quote the brand', async () => {
    const keyword = await inject({ channel: 'x_mention', text: 'Polderpost is weer eens te laat', bare: true });
    const refused = await tweet({ text: 'Sorry!', reply: { in_reply_to_tweet_id: keyword.id } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/mentioned or quoted/);
    const brandPost = (await call(`/x/2/users/${BRAND}/tweets?max_results=5&exclude=replies`, { headers: bearer(token) })).body.data[0].id;
    const quote = await inject({ channel: 'x_mention', text: 'kijk dit nou', bare: true, quotedId: brandPost });
    expect((await tweet({ text: 'Dank voor het delen!', reply: { in_reply_to_tweet_id: quote.id } })).status).toBe(201);
    const gone = await tweet({ text: 'Hallo?', reply: { in_reply_to_tweet_id: '1234567890123456789' } });
    expect(gone.status).toBe(403);
    expect(gone.body.detail).toBe('You attempted to reply to a Tweet that is deleted or not visible to you.');
    expect((await posted()).map((p) => p.kind)).toEqual(['x_reply']);
  });

  it('enforces 280 weighted characters, JSON bodies and the body schema', async () => {
    const target = await inject({ channel: 'x_mention', text: 'lengte' });
    const reply = (text: string) => tweet({ text, reply: { in_reply_to_tweet_id: target.id } });
    expect((await reply('a'.repeat(281))).status).toBe(400);
    // 279 + one emoji weighing 2 = 281 (docs.x.com/fundamentals/counting-characters).
    expect((await reply(`${'a'.repeat(279)}\u{1F600}`)).status).toBe(400);
    // URLs count 23 however long they are.
    expect((await reply(`${'b'.repeat(200)} https://polderpost.nl/${'x'.repeat(200)}`)).status).toBe(201);
    const form = await call('/x/2/tweets', { method: 'POST', body: new URLSearchParams({ text: 'hoi' }), headers: bearer(token) });
    expect(form.status).toBe(400);
    expect(form.body.errors[0].message).toBe('Requests with bodies must have content-type of application/json.');
    expect((await tweet({ text: 'hoi', bogus: 1 })).status).toBe(400);
    expect((await tweet({ text: 'x' }, (await xToken('tweet.read users.read')).access_token)).status).toBe(403);
  });

  it('deletes only its own posts', async () => {
    const target = await inject({ channel: 'x_mention', text: 'verwijder mij niet' });
    const mine = (await tweet({ text: 'Een antwoord', reply: { in_reply_to_tweet_id: target.id } })).body.data.id;
    const del = await call(`/x/2/tweets/${mine}`, { method: 'DELETE', headers: bearer(token) });
    expect(del.body).toEqual({ data: { deleted: true } });
    expect((await call(`/x/2/tweets/${target.id}`, { method: 'DELETE', headers: bearer(token) })).status).toBe(403);
    expect((await posted()).map((p) => [p.kind, p.id])).toEqual([['x_reply', mine], ['x_delete', mine]]);
    const lookup = await call(`/x/2/tweets/${mine}`, { headers: bearer(token) });
    expect(lookup.body.errors[0]).toMatchObject({ resource_id: mine, title: 'Not Found Error' });
  });

  it('lists DM events newest first and sends DMs that appear among them', async () => {
    const ev = await inject({ channel: 'x_dm', text: 'Mijn postcode is 3511 AB', authorHandle: 'dm_klant', authorName: 'DM Klant' });
    const list = await call('/x/2/dm_events?dm_event.fields=created_at,sender_id,dm_conversation_id&expansions=sender_id&user.fields=username', { headers: bearer(token) });
    expect(list.body.data[0]).toEqual({ id: ev.id, event_type: 'MessageCreate', text: 'Mijn postcode is 3511 AB', created_at: expect.stringMatching(/\.000Z$/), sender_id: ev.authorId, dm_conversation_id: ev.conversationId });
    expect(list.body.includes.users).toContainEqual({ id: ev.authorId, name: 'DM Klant', username: 'dm_klant' });
    expect(descending(list.body.data.map((e: { id: string }) => e.id))).toBe(true);

    const sent = await call(`/x/2/dm_conversations/with/${ev.authorId}/messages`, { method: 'POST', json: { text: 'Dank, we zoeken het uit.' }, headers: bearer(token) });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({ data: { dm_conversation_id: ev.conversationId, dm_event_id: expect.any(String) } });
    const after = await call('/x/2/dm_events?dm_event.fields=sender_id&max_results=1', { headers: bearer(token) });
    expect(after.body.data).toEqual([{ id: sent.body.data.dm_event_id, event_type: 'MessageCreate', text: 'Dank, we zoeken het uit.', sender_id: BRAND }]);
    expect(after.body.meta.next_token).toEqual(expect.any(String));
    expect((await posted()).at(-1)).toMatchObject({ kind: 'x_dm', recipientId: ev.authorId, text: 'Dank, we zoeken het uit.' });
  });
});

describe('faults', () => {
  let token: string;
  beforeAll(async () => {
    token = (await xToken()).access_token;
  });

  it('status: answers the given status once, then normally; method and prefix select requests', async () => {
    await fault({ path: '/x/2/users/', method: 'GET', fault: { type: 'status', status: 503 } });
    expect((await call('/x/2/users/me', { method: 'DELETE', headers: bearer(token) })).status).toBe(404);
    const r = await call('/x/2/users/me', { headers: bearer(token) });
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 });
    expect((await call('/x/2/users/me', { headers: bearer(token) })).status).toBe(200);
    await fault({ path: '/x/2/users/me', times: 0, fault: { type: 'status', status: 500, body: { custom: true }, headers: { 'retry-after': '7' } } });
    for (let i = 0; i < 3; i++) {
      const f = await call('/x/2/users/me', { headers: bearer(token) });
      expect([f.status, f.body, f.headers.get('retry-after')]).toEqual([500, { custom: true }, '7']);
    }
    await call('/__sandbox/faults', { method: 'DELETE' });
    expect((await call('/x/2/users/me', { headers: bearer(token) })).status).toBe(200);
  });

  it('rateLimit: 429 with a chosen reset, no reset, or a Retry-After', async () => {
    await fault({ path: '/x/2/users/me', fault: { type: 'rateLimit', resetInSeconds: 120 } });
    const a = await call('/x/2/users/me', { headers: bearer(token) });
    expect(a.status).toBe(429);
    expect(a.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Math.abs(Number(a.headers.get('x-rate-limit-reset')) - (Math.floor(Date.now() / 1000) + 120))).toBeLessThanOrEqual(2);
    await fault({ path: '/x/2/users/me', fault: { type: 'rateLimit', resetInSeconds: null, retryAfter: 'abc' } });
    const b = await call('/x/2/users/me', { headers: bearer(token) });
    expect([b.status, b.headers.get('x-rate-limit-reset'), b.headers.get('retry-after')]).toEqual([429, null, 'abc']);
  });

  it('usageCapped: a 429 whose problem type says not to retry', async () => {
    await fault({ path: '/x/2/users/', fault: { type: 'usageCapped' } });
    const r = await mentions(token, 'max_results=5');
    expect(r.status).toBe(429);
    expect(r.body.type).toBe('https://api.x.com/2/problems/usage-capped');
  });

  it('timeout: holds the request until the client gives up', async () => {
    await call('/__sandbox/requests', { method: 'DELETE' });
    await fault({ path: '/x/2/users/me', fault: { type: 'timeout' } });
    const started = Date.now();
    await expect(fetch(`${sb.url}/x/2/users/me`, { headers: bearer(token), signal: AbortSignal.timeout(300) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect((await call('/__sandbox/requests')).body.requests).toEqual([{ method: 'GET', path: '/x/2/users/me', query: '', status: 0, at: expect.any(Number) }]);
  });

  it('close() ends requests held by a timeout fault', async () => {
    const s = await startSandbox({ ratePerMinute: 0, historyPerChannel: 0 });
    await call('/__sandbox/faults', { method: 'POST', json: { path: '/x/', fault: { type: 'timeout' } } }, s.url);
    const held = fetch(`${s.url}/x/2/users/me`).then(
      () => 'answered',
      () => 'ended',
    );
    await new Promise((r) => setTimeout(r, 50));
    await s.close();
    expect(await held).toBe('ended');
  });

  it('reset: drops the connection without an answer', async () => {
    await fault({ path: '/x/2/users/me', fault: { type: 'reset' } });
    await expect(fetch(`${sb.url}/x/2/users/me`, { headers: bearer(token) })).rejects.toThrow(TypeError);
    expect((await call('/x/2/users/me', { headers: bearer(token) })).status).toBe(200);
  });

  it('malformed and html: bodies that are not the JSON they claim or should be', async () => {
    await fault({ path: '/x/2/users/me', fault: { type: 'malformed' } });
    const m = await fetch(`${sb.url}/x/2/users/me`, { headers: bearer(token) });
    expect([m.status, m.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
    await expect(m.json()).rejects.toThrow(SyntaxError);
    await fault({ path: '/graph/', fault: { type: 'html' } });
    const h = await call('/graph/v25.0/me');
    expect(h.status).toBe(502);
    expect(h.headers.get('content-type')).toMatch(/^text\/html/);
    expect(h.text).toContain('502 Bad Gateway');
  });

  it('revoked: X 401 and Graph 190 for one request, tokens untouched', async () => {
    await fault({ path: '/x/', fault: { type: 'revoked' } });
    expect((await call('/x/2/users/me', { headers: bearer(token) })).status).toBe(401);
    expect((await call('/x/2/users/me', { headers: bearer(token) })).status).toBe(200);
    const pt = await pageToken();
    await fault({ path: '/graph/', fault: { type: 'revoked' } });
    const g = await call('/graph/v25.0/me', { headers: bearer(pt) });
    expect([g.status, g.body.error.code, g.body.error.type]).toEqual([400, 190, 'OAuthException']);
  });

  it('commitThen: the reply is made once and the answer is lost', async () => {
    await post('/__sandbox/reset');
    const t = (await xToken()).access_token;
    const target = await inject({ channel: 'x_mention', text: 'commit dan falen' });
    await fault({ method: 'POST', path: '/x/2/tweets', fault: { type: 'commitThen', then: 'reset' } });
    await expect(fetch(`${sb.url}/x/2/tweets`, { method: 'POST', headers: { ...bearer(t), 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Antwoord A', reply: { in_reply_to_tweet_id: target.id } }) })).rejects.toThrow(TypeError);
    await fault({ method: 'POST', path: '/x/2/tweets', fault: { type: 'commitThen', then: 'status', status: 504 } });
    const lost = await call('/x/2/tweets', { method: 'POST', json: { text: 'Antwoord B', reply: { in_reply_to_tweet_id: target.id } }, headers: bearer(t) });
    expect(lost.status).toBe(504);
    const made = await posted();
    expect(made.map((p) => p.text)).toEqual(['Antwoord A', 'Antwoord B']);
    // The console's reconciliation finds them on the platform.
    const own = await call(`/x/2/users/${BRAND}/tweets?max_results=5`, { headers: bearer(t) });
    expect(own.body.data.slice(0, 2).map((x: { id: string }) => x.id)).toEqual([made[1]?.id, made[0]?.id]);
  });

  it('rejects malformed fault specs', async () => {
    expect((await post('/__sandbox/faults', { path: 'x', fault: { type: 'timeout' } })).status).toBe(400);
    expect((await post('/__sandbox/faults', { path: '/x', fault: { type: 'explode' } })).status).toBe(400);
    expect((await post('/__sandbox/faults', { path: '/x', fault: { type: 'status', status: 99 } })).status).toBe(400);
  });
});

describe('Graph API', () => {
  let pt: string;
  beforeEach(async () => {
    await post('/__sandbox/reset');
    pt = await pageToken();
  });
  const graph = (path: string, init: RequestInit & { json?: unknown } = {}) => call(`/graph/v25.0/${path}`, { ...init, headers: { ...bearer(pt), ...(init.headers as Record<string, string>) } });

  it('lists the Page for a System User token and knows the Page token', async () => {
    const user = (await post('/__sandbox/facebook/token')).body.access_token;
    const acc = await call('/graph/v26.0/me/accounts?fields=id,name,access_token,tasks', { headers: bearer(user) });
    expect(acc.body.data).toEqual([{ id: PAGE, name: 'Polderpost', access_token: expect.any(String), tasks: expect.arrayContaining(['MODERATE', 'MESSAGING', 'CREATE_CONTENT', 'MANAGE']) }]);
    expect(acc.headers.get('x-app-usage')).toMatch(/"call_count":\d+/);
    expect((await call('/graph/v25.0/me', { headers: bearer(acc.body.data[0].access_token) })).body).toEqual({ id: PAGE, name: 'Polderpost' });
    const conv = await call(`/graph/v25.0/${PAGE}/conversations`, { headers: bearer(user) });
    expect([conv.status, conv.body.error.code]).toEqual([400, 190]);
  });

  it('serves the feed with nested comments in the documented shape', async () => {
    const fields = 'id,message,created_time,from,permalink_url,comments.filter(stream).order(reverse_chronological).limit(2).summary(true){id,message,created_time,from,parent{id},is_hidden,can_reply_privately}';
    const r = await graph(`${PAGE}/feed?fields=${encodeURIComponent(fields)}&limit=2`);
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(2);
    const p = r.body.data[0];
    expect(p.id).toMatch(new RegExp(`^${PAGE}_\\d+$`));
    expect(p.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect(p.from).toEqual({ name: 'Polderpost', id: PAGE });
    expect(p.comments.data.length).toBeLessThanOrEqual(2);
    expect(p.comments.summary).toMatchObject({ order: 'reverse_chronological', total_count: expect.any(Number) });
    const c = p.comments.data[0];
    expect(c.id).toMatch(new RegExp(`^${p.id.split('_')[1]}_\\d+$`));
    expect(Object.keys(c).every((k) => ['id', 'message', 'created_time', 'from', 'parent', 'is_hidden', 'can_reply_privately'].includes(k))).toBe(true);
    expect(r.body.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
    expect(r.body.paging.next).toContain(`${sb.graphApiUrl}/v25.0/${PAGE}/feed`);
    const page2 = await call(r.body.paging.next.slice(sb.url.length), { headers: bearer(pt) });
    expect(page2.body.data[0].id).not.toBe(r.body.data[1].id);
    expect(r.headers.get('x-business-use-case-usage')).toContain(`"${PAGE}"`);
  });

  it('reads, answers, hides and deletes comments', async () => {
    const c = await inject({ channel: 'fb_comment', text: 'Waar blijft mijn pakket? <b>nu</b>', authorName: 'Anne de Boer' });
    const since = Math.floor(Date.now() / 1000) - 5;
    const list = await graph(`${c.postId}/comments?filter=stream&order=reverse_chronological&since=${since}`);
    expect(list.body.data[0]).toEqual({ id: c.id, message: 'Waar blijft mijn pakket? <b>nu</b>', created_time: expect.any(String), from: { name: 'Anne de Boer', id: c.authorId } });

    const reply = await graph(`${c.id}/comments`, { method: 'POST', json: { message: 'Hoi Anne, stuur je ons een PB?' } });
    expect(reply.body).toEqual({ id: expect.stringMatching(/^\d+_\d+$/) });
    const thread = await graph(`${c.id}/comments?fields=${encodeURIComponent('id,from,parent{id},message')}`);
    expect(thread.body.data).toEqual([{ id: reply.body.id, from: { name: 'Polderpost', id: PAGE }, parent: { id: c.id }, message: 'Hoi Anne, stuur je ons een PB?' }]);

    // Form-encoded with the token in the query, as older clients do.
    const hide = await call(`/graph/v25.0/${c.id}?access_token=${encodeURIComponent(pt)}`, { method: 'POST', body: new URLSearchParams({ is_hidden: 'true' }) });
    expect(hide.body).toEqual({ success: true });
    expect((await graph(`${c.id}?fields=is_hidden`)).body).toEqual({ is_hidden: true, id: c.id });
    expect((await graph(c.id, { method: 'POST', json: { is_hidden: false } })).body).toEqual({ success: true });
    expect((await graph(c.id, { method: 'DELETE' })).body).toEqual({ success: true });
    const gone = await graph(c.id);
    expect([gone.status, gone.body.error.code, gone.body.error.error_subcode]).toEqual([400, 100, 33]);

    expect((await posted()).map((p) => [p.kind, p.id, p.inReplyToId])).toEqual([
      ['fb_comment_reply', reply.body.id, c.id],
      ['fb_hide', c.id, undefined],
      ['fb_unhide', c.id, undefined],
      ['fb_delete', c.id, undefined],
    ]);
  });

  it('enforces the Messenger 24-hour window and the 7-day HUMAN_AGENT tag', async () => {
    const m = await inject({ channel: 'fb_message', text: 'Hallo, mijn pakket is niet gekomen', authorName: 'Bram Visser' });
    const send = (extra: Record<string, unknown>) => graph(`${PAGE}/messages`, { method: 'POST', json: { recipient: { id: m.authorId }, message: { text: `antwoord ${JSON.stringify(extra)}` }, ...extra } });
    const ok = await send({ messaging_type: 'RESPONSE' });
    expect(ok.body).toEqual({ recipient_id: m.authorId, message_id: expect.stringMatching(/^m_/) });
    const conv = await graph(`${PAGE}/conversations?platform=messenger&user_id=${m.authorId}&fields=${encodeURIComponent('participants,updated_time,messages.limit(20){id,created_time,from,to,message}')}`);
    expect(conv.body.data[0].id).toBe(m.conversationId);
    expect(conv.body.data[0].messages.data.map((x: { id: string }) => x.id)).toEqual([ok.body.message_id, m.id]);
    expect(conv.body.data[0].messages.data[0].from).toEqual({ name: 'Polderpost', email: `${PAGE}@facebook.com`, id: PAGE });

    await post('/__sandbox/clock', { skewMs: 25 * 3_600_000 });
    const late = await send({ messaging_type: 'RESPONSE' });
    expect([late.status, late.body.error.code, late.body.error.error_subcode]).toEqual([400, 10, 2018278]);
    expect(late.body.error.message).toContain('outside of allowed window');
    expect((await send({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })).status).toBe(200);
    await post('/__sandbox/clock', { skewMs: 8 * 24 * 3_600_000 });
    expect((await send({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })).body.error.error_subcode).toBe(2018278);
    expect((await posted()).map((p) => p.kind)).toEqual(['fb_message', 'fb_message']);
  });

  it('allows one private reply per comment within 7 days', async () => {
    const c = await inject({ channel: 'fb_comment', text: 'Ik wil mijn geld terug' });
    const pr = () => graph(`${PAGE}/messages`, { method: 'POST', json: { recipient: { comment_id: c.id }, message: { text: 'We sturen je een bericht' } } });
    const first = await pr();
    expect(first.body).toEqual({ recipient_id: c.authorId, message_id: expect.stringMatching(/^m_/) });
    expect((await pr()).body.error.code).toBe(10900);
    const old = await inject({ channel: 'fb_comment', text: 'oud' });
    await post('/__sandbox/clock', { skewMs: 8 * 24 * 3_600_000 });
    const late = await graph(`${PAGE}/messages`, { method: 'POST', json: { recipient: { comment_id: old.id }, message: { text: 'te laat' } } });
    expect(late.body.error.code).toBe(10903);
    expect((await posted()).map((p) => [p.kind, p.inReplyToId, p.recipientId])).toEqual([['fb_private_reply', c.id, c.authorId]]);
  });

  it('answers 190 after the platform is revoked, until a new token is issued', async () => {
    await post('/__sandbox/revoke', { platform: 'facebook' });
    const r = await graph(`${PAGE}/feed`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: 'OAuthException', code: 190, error_subcode: 460, message: expect.stringMatching(/^Error validating access token/) });
    expect((await call('/graph/v25.0/me?access_token=garbage')).body.error.code).toBe(190);
    expect((await call('/graph/v25.0/me')).body.error.code).toBe(104);
    const fresh = await pageToken();
    expect((await call(`/graph/v25.0/${PAGE}/feed`, { headers: bearer(fresh) })).status).toBe(200);
  });

  it('refuses unknown fields and broken field syntax', async () => {
    expect((await graph(`${PAGE}/feed?fields=id,bogus`)).body.error.code).toBe(100);
    expect((await graph(`${PAGE}/feed?fields=${encodeURIComponent('id,comments{id')}`)).body.error.code).toBe(2500);
  });
});

describe('traffic', () => {
  it('bursts 10,000 messages and mentions paging returns each id once', async () => {
    await post('/__sandbox/reset');
    const before = (await call('/__sandbox/state')).body.counts;
    const burst = await post('/__sandbox/burst', { count: 10_000 });
    expect(burst.body.count).toBe(10_000);
    const after = (await call('/__sandbox/state')).body.counts;
    const grown = ['x_mention', 'x_dm', 'fb_comment', 'fb_message'].reduce((n, ch) => n + after[ch] - before[ch], 0);
    // Follow-ups may answer a brand reply, but every burst item lands in exactly one channel.
    expect(grown).toBe(10_000);
    const token = (await xToken()).access_token;
    const seen = new Set<string>();
    let last: bigint | undefined;
    let next: string | undefined;
    do {
      const r = await mentions(token, `max_results=100${next ? `&pagination_token=${next}` : ''}`);
      for (const t of r.body.data as { id: string }[]) {
        expect(seen.has(t.id)).toBe(false);
        if (last !== undefined) expect(BigInt(t.id) < last).toBe(true);
        last = BigInt(t.id);
        seen.add(t.id);
      }
      next = r.body.meta.next_token;
    } while (next);
    expect(seen.size).toBe(after.x_mention);
  });

  it('stores injected hostile text verbatim (X escaping &, < and > on the way out)', async () => {
    const hostile = '<script>alert(1)</script>\u0000 \uD800 \u202Egpj.exe <img src=x onerror=alert(1)>';
    const token = (await xToken()).access_token;
    const x = await inject({ channel: 'x_mention', text: hostile, authorName: 'Klantenservice\u202Emoc.mlk', authorHandle: 'rtl_name' });
    const got = (await call(`/x/2/tweets/${x.id}?expansions=author_id`, { headers: bearer(token) })).body;
    // As X does: &, < and > as entities in the JSON, everything else byte for byte.
    expect(got.data.text).toBe(`@polderpost ${hostile.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
    expect(got.includes.users[0].name).toBe('Klantenservice\u202Emoc.mlk');
    const c = await inject({ channel: 'fb_comment', text: hostile });
    const pt = await pageToken();
    expect((await call(`/graph/v25.0/${c.id}?fields=message`, { headers: bearer(pt) })).body.message).toBe(hostile);
  });

  it('keeps tokens across reset but forgets posts, faults and bursts', async () => {
    const token = (await xToken()).access_token;
    const target = await inject({ channel: 'x_mention', text: 'voor de reset' });
    await call('/x/2/tweets', { method: 'POST', json: { text: 'antwoord voor reset', reply: { in_reply_to_tweet_id: target.id } }, headers: bearer(token) });
    await fault({ path: '/x/2/users/me', times: 0, fault: { type: 'status', status: 500 } });
    const initial = (await call('/__sandbox/state')).body.counts;
    const reset = await post('/__sandbox/reset');
    expect(reset.body).toEqual({ ok: true, tokens: 'kept' });
    expect(await posted()).toEqual([]);
    const state = (await call('/__sandbox/state')).body;
    expect(state.faults).toEqual([]);
    expect(state.counts.x_mention).toBeLessThan(initial.x_mention);
    expect((await call('/x/2/users/me', { headers: bearer(token) })).status).toBe(200);
  });

  it('replays the same history for the same seed and clock, and another for another seed', async () => {
    const fixed = Date.UTC(2026, 10, 22, 12, 0, 0);
    const texts = async (seed: number) => {
      const s = await startSandbox({ seed, ratePerMinute: 0, now: () => fixed });
      try {
        const tok = (await call('/__sandbox/x/token', { method: 'POST' }, s.url)).body.access_token;
        const r = await call(`/x/2/users/${BRAND}/mentions?max_results=20`, { headers: bearer(tok) }, s.url);
        return r.body.data.map((d: { id: string; text: string }) => `${d.id} ${d.text}`);
      } finally {
        await s.close();
      }
    };
    const a = await texts(42);
    expect(await texts(42)).toEqual(a);
    expect(await texts(43)).not.toEqual(a);
  });

  it('generates live traffic at the configured rate and stops at 0', async () => {
    const s = await startSandbox({ ratePerMinute: 60_000, historyPerChannel: 0 });
    try {
      const count = async () => {
        const c = (await call('/__sandbox/state', {}, s.url)).body.counts;
        return c.x_mention + c.x_dm + c.fb_comment + c.fb_message + c.xKeywordOnly;
      };
      const start = await count();
      await new Promise((r) => setTimeout(r, 300));
      expect((await count()) - start).toBeGreaterThan(20);
      await call('/__sandbox/traffic', { method: 'POST', json: { ratePerMinute: 0 } }, s.url);
      const stopped = await count();
      await new Promise((r) => setTimeout(r, 150));
      expect(await count()).toBe(stopped);
    } finally {
      await s.close();
    }
  });

  it('throttles a Page past its 24-hour call budget with code 80001', async () => {
    const s = await startSandbox({ ratePerMinute: 0, historyPerChannel: 0 });
    try {
      const user = (await call('/__sandbox/facebook/token', { method: 'POST' }, s.url)).body.access_token;
      const token = (await call('/graph/v25.0/me/accounts', { headers: bearer(user) }, s.url)).body.data[0].access_token;
      const usage = async () => {
        const r = await fetch(`${s.url}/graph/v25.0/me`, { headers: bearer(token) });
        await r.arrayBuffer();
        return { status: r.status, buc: JSON.parse(r.headers.get('x-business-use-case-usage') ?? '{}')[PAGE]?.[0] };
      };
      expect((await usage()).buc.call_count).toBe(0);
      // No engaged users: the budget is 4,800 calls a day, so 48 calls are 1 %.
      for (let i = 0; i < 47; i++) await usage();
      expect((await usage()).buc.call_count).toBe(1);
      // Scaled down to 96 calls, the 97th call of the day is refused.
      await call('/__sandbox/limits', { method: 'POST', json: { scale: 0.02 } }, s.url);
      for (let i = 0; i < 46; i++) await usage();
      expect(await usage()).toMatchObject({ status: 200, buc: { call_count: 100 } });
      const over = await fetch(`${s.url}/graph/v25.0/me`, { headers: bearer(token) });
      const body = await over.json();
      expect([over.status, body.error.code]).toEqual([400, 80001]);
      expect(JSON.parse(over.headers.get('x-business-use-case-usage') as string)[PAGE][0]).toMatchObject({ call_count: 100, estimated_time_to_regain_access: 1440 });
    } finally {
      await s.close();
    }
  });
});
