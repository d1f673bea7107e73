/**
 * The embedded sandbox: a local HTTP server that speaks the documented wire
 * format of the X API v2 and Graph API endpoints the console uses, fills them
 * with generated webcare traffic for the fictional brand Polderpost, and lets
 * tests look inside and break things. Plain node:http on 127.0.0.1 only; requests
 * whose Host header is not 127.0.0.1/localhost:PORT are refused (DNS rebinding).
 *
 * Platform APIs (details in README.md next to this file)
 *   /x/...      replaces https://api.x.com, https://upload.x.com and https://x.com
 *     GET  /x/i/oauth2/authorize                 auto-approving PKCE authorize (302 to a loopback redirect_uri)
 *     POST /x/2/oauth2/token                      authorization_code (PKCE S256) and rotating refresh_token grants
 *     POST /x/2/oauth2/revoke
 *     GET  /x/2/users/me, /x/2/users/:id, /x/2/users/by/username/:username
 *     GET  /x/2/users/:id/mentions, /x/2/users/:id/tweets, /x/2/tweets/search/recent
 *     GET  /x/2/tweets?ids=, /x/2/tweets/:id
 *     POST /x/2/tweets                            201; length, duplicate and 2026 reply rules
 *     DELETE /x/2/tweets/:id
 *     GET  /x/2/dm_events, /x/2/dm_conversations/with/:participant_id/dm_events, /x/2/dm_conversations/:id/dm_events
 *     POST /x/2/dm_conversations/with/:participant_id/messages
 *   /graph/:version/...  replaces https://graph.facebook.com (any vNN.N; the version may also be left out)
 *     GET  /me, /me/accounts                      System User token → the Page and its Page token
 *     GET  /:pageId (or /me with a Page token), /:pageId/feed (alias posts, published_posts)
 *     GET  /:postId/comments, /:commentId/comments, /:commentId, /:postId
 *     POST /:postId/comments, /:commentId/comments  the Page comments / replies in the thread
 *     POST /:commentId  is_hidden=true|false       DELETE /:commentId
 *     GET  /:pageId/conversations?platform=messenger, /:conversationId, /:conversationId/messages, /:messageId
 *     POST /:pageId/messages                      Send API: 24 h window, HUMAN_AGENT 7 days, private replies
 *     POST /device/login, /device/login_status     Facebook Login for Devices (client token of the sandbox app)
 *   GET  /facebook/device[?user_code=]             the device verification page; with a valid user_code it approves it
 *
 * Inspection API (JSON in and out; never affected by faults, never in /__sandbox/requests)
 *   GET    /__sandbox/health                    {ok:true}
 *   GET    /__sandbox/state                     brand ids, counts per channel, traffic rate, clock skew, active faults
 *   POST   /__sandbox/inject                    {channel, text, authorName?, authorHandle?, authorId?, lang?, inReplyToId?, conversationId?, quotedId?, bare?, fromBrand?}
 *                                               → {id, conversationId, authorId, postId?}; text is stored verbatim; fromBrand: a
 *                                               reply the brand made on the platform itself (x_mention: to inReplyToId; x_dm and
 *                                               fb_message: to authorId)
 *   POST   /__sandbox/burst                     {count, channel?} → {count, byChannel, firstId, lastId}
 *   POST   /__sandbox/traffic                   {ratePerMinute} → {ratePerMinute}
 *   GET    /__sandbox/posted                    {posted:[{kind, id, text?, inReplyToId?, recipientId?, accountId, at}]}
 *   GET    /__sandbox/requests                  {requests:[{method, path, query, status, at}]} (last 20,000; status 0 = no answer)
 *   DELETE /__sandbox/requests                  clears that log
 *   POST   /__sandbox/faults                    {method?, path, times?, skip?, fault} → {id}; path is a prefix of the request path; the first `skip` matches pass
 *   GET    /__sandbox/faults                    {faults:[...]}
 *   DELETE /__sandbox/faults                    clears all; DELETE /__sandbox/faults/:id clears one
 *   POST   /__sandbox/revoke                    {platform:'x'|'facebook'} → every token of that platform is invalid
 *   POST   /__sandbox/clock                     {skewMs} sets (not adds) the offset of the sandbox clock
 *   GET    /__sandbox/billing                   {days:{'YYYY-MM-DD':{usd, post, dm_event, user}}}: what X would bill for reads, per UTC day
 *   POST   /__sandbox/limits                    {scale} multiplies every X rate limit and Graph budget (test knob; 1 = real; reset → 1)
 *   POST   /__sandbox/reset                     world rebuilt from the seed, posted/log/faults/limits/skew cleared; tokens kept
 *   POST   /__sandbox/facebook/token            {access_token, token_type}: a System User token that can list the Page
 *   POST   /__sandbox/facebook/device/approve  {user_code} → {approved:true}: as if the person approved it on /facebook/device
 *   POST   /__sandbox/facebook/page            {pageId?, newPagesExperience} → the Page migrated (or not) to the New Pages Experience
 *   POST   /__sandbox/x/token                   {scope?} → an X token response for the brand without the browser dance
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Channel } from '../../shared/model.js';
import { faultOutcome, parseFault, type Outcome } from './faults.js';
import { GraphApi } from './graphApi.js';
import { BodyTooLarge, html, isRecord, json, readBody, type Body, type Resp } from './http.js';
import { Rng } from './prng.js';
import { SandboxState } from './state.js';
import { guessLang } from './text.js';
import { SANDBOX_BRAND, type FbUser, type XUser } from './world.js';
import { XApi } from './xApi.js';

export { SANDBOX_BRAND } from './world.js';

export interface SandboxOptions {
  /** Default 0: a free port. The server always listens on 127.0.0.1 only. */
  port?: number;
  /** Live generated messages per minute over all four channels; default 12; 0 = none. */
  ratePerMinute?: number;
  /** PRNG seed, default 1: the same seed gives the same people, texts and threads. */
  seed?: number;
  /** Messages pre-generated per channel over the last 6 hours; default 15. */
  historyPerChannel?: number;
  /** Clock in epoch ms, default Date.now (tests may skew it). */
  now?: () => number;
}

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  url: string;
  /** `${url}/x`: replaces https://api.x.com, https://upload.x.com and https://x.com. */
  xApiUrl: string;
  /** `${url}/graph`: replaces https://graph.facebook.com. */
  graphApiUrl: string;
  /** Stops the generator, ends held (timeout) requests and closes the server. */
  close(): Promise<void>;
}

type GeneratedChannel = Exclude<Channel, 'x_search'>;
const CHANNELS: readonly GeneratedChannel[] = ['x_mention', 'x_dm', 'fb_comment', 'fb_message'];
/** Uploads carry images (X: 5 MB, base64 in JSON a third more; Graph photos up to 10 MB). */
const API_BODY_LIMIT = 12 * 1024 * 1024;
const INSPECT_BODY_LIMIT = 16 * 1024 * 1024;
const BURST_MAX = 200_000;
const CONSOLE_X_SCOPES = 'tweet.read tweet.write users.read dm.read dm.write offline.access media.write';

function isChannel(v: unknown): v is GeneratedChannel {
  return typeof v === 'string' && (CHANNELS as readonly string[]).includes(v);
}

function bad(message: string, status = 400): Resp {
  return json(status, { error: message });
}

/**
 * The inspection API changes the sandbox, so a web page must not reach it: a
 * browser sends Origin with every cross-origin POST, and a form can send only
 * urlencoded, multipart or plain text, never application/json without CORS
 * (which the sandbox does not allow). Tests and tools call it from Node,
 * without Origin and with JSON.
 */
function inspectionRefusal(req: IncomingMessage, method: string, ownOrigins: ReadonlySet<string>): Resp | null {
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins.has(origin.toLowerCase())) return bad('the inspection API refuses requests from other origins', 403);
  if (method === 'GET' || method === 'HEAD') return null;
  const type = req.headers['content-type'];
  const mediaType = type?.split(';')[0]?.trim().toLowerCase();
  const hasBody = type !== undefined || req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && mediaType !== 'application/json') return bad('the inspection API takes JSON only: send Content-Type: application/json, or no body', 415);
  return null;
}

/**
 * The verification page of Facebook Login for Devices (facebook.com/device): with
 * `?user_code=` it approves that code at once, as if the Page's admin clicked
 * "Continue"; without, a form to type the code. Nothing from the request is reflected.
 */
function deviceApprovalPage(approved: boolean, tried: boolean): Resp {
  const body = approved
    ? '<h1>Success!</h1><p data-testid="device-approved">You have successfully connected webcare console (sandbox). You can return to the app now.</p>'
    : `${tried ? '<p role="alert">That code is not valid or has expired.</p>' : ''}<h1>Connect a device</h1><form method="get"><label>Enter the code shown on your device <input name="user_code" autocomplete="off"></label><button type="submit">Continue</button></form>`;
  return html(approved || !tried ? 200 : 400, `<!doctype html><meta charset="utf-8"><title>Facebook (webcare sandbox)</title>${body}`);
}

/** Logged queries never keep a Graph access_token. */
function loggedQuery(q: URLSearchParams): string {
  if (!q.has('access_token')) return q.toString();
  const copy = new URLSearchParams(q);
  copy.set('access_token', '[redacted]');
  return copy.toString();
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const seed = opts.seed ?? 1;
  // This process: its tokens mean nothing to a later sandbox on the same port.
  const instance = randomUUID();
  const s = new SandboxState(seed, Math.max(0, Math.floor(opts.historyPerChannel ?? 15)), Math.max(0, opts.ratePerMinute ?? 12), opts.now ?? Date.now);
  const xApi = new XApi(s);
  const graph = new GraphApi(s);
  const held = new Set<ServerResponse>();
  // Arrival times come from their own generator so the content of the traffic does not depend on the rate.
  let timingRng = new Rng(seed ^ 0x2545f491);
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (closed || s.ratePerMinute <= 0) return;
    const delay = Math.max(1, Math.min(2_147_000_000, timingRng.exp(60_000 / s.ratePerMinute)));
    timer = setTimeout(() => {
      timer = null;
      s.traffic.generate(s.traffic.randomChannel(), s.now());
      schedule();
    }, delay);
    // Live traffic must never keep a process (or a test run) alive on its own.
    timer.unref();
  };

  const server = http.createServer();
  let baseUrl = '';
  const allowedHosts = new Set<string>();
  const allowedOrigins = new Set<string>();

  const write = (res: ServerResponse, resp: Resp) => {
    // Date on the sandbox's clock, as a platform's servers send theirs (the skew knob moves it too).
    res.writeHead(resp.status, { date: new Date(s.now()).toUTCString(), ...resp.headers, 'content-length': String(Buffer.byteLength(resp.body)) });
    res.end(resp.body);
  };

  const perform = (req: IncomingMessage, res: ServerResponse, outcome: Outcome): number => {
    if (outcome.kind === 'respond') {
      write(res, outcome.resp);
      return outcome.resp.status;
    }
    if (outcome.kind === 'timeout') {
      // Hold the socket without a byte of answer until the client gives up or close() runs.
      held.add(res);
      res.on('close', () => held.delete(res));
      return 0;
    }
    // A TCP reset, not a clean close: what a crashing proxy or a dropped connection looks like.
    req.socket.resetAndDestroy();
    return 0;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a web page that resolves its own name to 127.0.0.1 must not reach the sandbox.
    const host = req.headers.host;
    if (host !== undefined && !allowedHosts.has(host.toLowerCase())) return write(res, bad('unexpected Host header', 421));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    if (path === '/__sandbox' || path.startsWith('/__sandbox/')) {
      const refused = inspectionRefusal(req, method, allowedOrigins);
      if (refused) return write(res, refused);
      let body: Body;
      try {
        body = await readBody(req, INSPECT_BODY_LIMIT);
      } catch (e) {
        if (e instanceof BodyTooLarge) return write(res, bad(e.message, 413));
        throw e;
      }
      return write(res, inspect(method, path.slice('/__sandbox'.length) || '/', body));
    }

    if (path === '/facebook/device') {
      if (method !== 'GET') return write(res, bad('GET only', 405));
      return write(res, deviceApprovalPage(s.fbDevice.approve(url.searchParams.get('user_code') ?? '', s.now()), url.searchParams.has('user_code')));
    }

    const platform = path.startsWith('/x/') ? 'x' : path === '/graph' || path.startsWith('/graph/') ? 'graph' : null;
    const at = s.now();
    const log = (status: number) => s.logRequest({ method, path, query: loggedQuery(url.searchParams), status, at });
    const rule = platform ? s.faults.take(method, path) : undefined;
    if (rule && platform && rule.fault.type !== 'commitThen') {
      log(perform(req, res, faultOutcome(rule.fault, platform, path, s.now())));
      return;
    }
    let body: Body;
    try {
      body = await readBody(req, API_BODY_LIMIT);
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) throw e;
      const resp = json(413, { title: 'Payload Too Large', detail: e.message, type: 'about:blank', status: 413 });
      write(res, resp);
      log(resp.status);
      return;
    }
    let resp: Resp;
    if (platform === 'x') resp = xApi.handle({ req, method, path: path.slice(2), query: url.searchParams, body });
    else if (platform === 'graph') resp = graph.handle({ req, method, path: path.slice('/graph'.length), query: url.searchParams, body });
    else resp = json(404, { error: 'not found: the sandbox serves /x, /graph and /__sandbox' });
    if (rule && platform) {
      // commitThen: the side effect above has happened; now the answer goes missing or fails.
      log(perform(req, res, faultOutcome(rule.fault, platform, path, s.now())));
      return;
    }
    write(res, resp);
    log(resp.status);
  };

  const inject = (b: Record<string, unknown>): Resp => {
    const { channel, text } = b;
    if (!isChannel(channel) && channel !== 'fb_visitor_post') return bad(`channel must be one of ${[...CHANNELS, 'fb_visitor_post'].join(', ')}`);
    if (typeof text !== 'string') return bad('text must be a string');
    const opt = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
    const w = s.world;
    const now = s.now();
    const r = s.injectRng;
    if (b.fromBrand === true) return injectFromBrand(channel, text, opt);
    if (channel === 'x_mention' || channel === 'x_dm') {
      let author: XUser | undefined;
      const authorId = opt('authorId');
      const handle = opt('authorHandle')?.replace(/^@/, '');
      const name = opt('authorName');
      if (authorId) author = w.xUsers.get(authorId);
      if (!author && handle && !authorId) author = w.xUserByName(handle);
      if (!author && (authorId || handle || name)) {
        author = w.addXUser({
          id: authorId ?? `1${r.digits(18)}`,
          name: name ?? handle ?? 'X user',
          username: handle ?? `user${r.digits(8)}`,
          verified: false,
          description: '',
          followers: r.int(0, 400),
          following: r.int(0, 400),
          tweetCount: 0,
          listed: 0,
          createdAt: now - r.int(30, 3_000) * 86_400_000,
        });
      }
      if (!author) {
        const people = w.people.filter((p) => p.x && p.kind === 'customer');
        author = r.pick(people).x as XUser;
      }
      if (channel === 'x_dm') {
        const ev = w.addDm(author, w.brandUser, text, now);
        return json(200, { id: ev.id, conversationId: ev.conversationId, authorId: author.id });
      }
      const inReplyToId = opt('inReplyToId');
      const replyTo = inReplyToId ? w.tweetById.get(inReplyToId) : undefined;
      if (inReplyToId && !replyTo) return bad(`no post ${inReplyToId}`);
      const quotedId = opt('quotedId');
      const quote = quotedId ? w.tweetById.get(quotedId) : undefined;
      if (quotedId && !quote) return bad(`no post ${quotedId}`);
      // bare: a brand-word post that is not a mention (a search hit the 2026 reply rule forbids answering).
      const full = b.bare === true || /@polderpost(?![A-Za-z0-9_])/i.test(text) ? text : `@${SANDBOX_BRAND.xHandle} ${text}`;
      const t = w.addTweet({ author, text: full, at: now, lang: opt('lang') ?? guessLang(text), replyTo, quote, conversationId: opt('conversationId'), wrapLinks: false });
      return json(200, { id: t.id, conversationId: t.conversationId, authorId: author.id });
    }
    let user: FbUser | undefined;
    const authorId = opt('authorId');
    const name = opt('authorName');
    if (authorId) user = w.fbUsers.get(authorId) ?? w.addFbUser({ id: authorId, name: name ?? 'Facebook-gebruiker' });
    else if (name) user = w.addFbUser({ id: `9${r.digits(15)}`, name });
    else user = r.pick(w.people.filter((p) => p.fb)).fb as FbUser;
    if (channel === 'fb_message') {
      const m = w.addFbMessage(user, false, text, now);
      return json(200, { id: m.id, conversationId: m.conversationId, authorId: user.id });
    }
    if (channel === 'fb_visitor_post') {
      // A post by someone else on the Page (GET /{page-id}/visitor_posts, and in /feed).
      const p = w.addFbPost(text, now, user);
      return json(200, { id: p.id, conversationId: p.id, authorId: user.id, postId: p.id });
    }
    const ref = opt('inReplyToId') ?? opt('conversationId');
    const parent = ref ? w.commentById.get(ref) : undefined;
    const post = parent ? w.postById.get(parent.postId) : ref ? w.postById.get(ref) : w.fbPosts.findLast((p) => !p.fromId);
    if (ref && !parent && !w.postById.has(ref)) return bad(`no comment or post ${ref}`);
    if (!post) return bad('the Page has no posts');
    const c = w.addComment(post, user, text, now, parent);
    return json(200, { id: c.id, conversationId: c.parentId ?? c.id, authorId: user.id, postId: post.id });
  };

  /**
   * A reply the brand made on the platform itself (on x.com, in Meta Business
   * Suite), not through the console: the console reads it back as its own.
   * x_mention: a reply post to `inReplyToId`; x_dm: a DM to `authorId`;
   * fb_message: a Page message to `authorId`'s conversation.
   */
  const injectFromBrand = (channel: string, text: string, opt: (k: string) => string | undefined): Resp => {
    const w = s.world;
    const now = s.now();
    if (channel === 'x_mention') {
      const replyTo = w.tweetById.get(opt('inReplyToId') ?? '');
      if (!replyTo) return bad('fromBrand on x_mention needs inReplyToId of a stored post');
      const t = w.addTweet({ author: w.brandUser, text, at: now, lang: opt('lang') ?? guessLang(text), replyTo, wrapLinks: false });
      return json(200, { id: t.id, conversationId: t.conversationId, authorId: w.brandUser.id });
    }
    if (channel === 'x_dm') {
      const to = w.xUsers.get(opt('authorId') ?? '');
      if (!to) return bad('fromBrand on x_dm needs authorId of the recipient');
      const ev = w.addDm(w.brandUser, to, text, now);
      return json(200, { id: ev.id, conversationId: ev.conversationId, authorId: w.brandUser.id });
    }
    if (channel === 'fb_message') {
      const to = w.fbUsers.get(opt('authorId') ?? '');
      if (!to) return bad('fromBrand on fb_message needs authorId of the person');
      const m = w.addFbMessage(to, true, text, now);
      return json(200, { id: m.id, conversationId: m.conversationId, authorId: SANDBOX_BRAND.fbPageId });
    }
    return bad('fromBrand is for x_mention, x_dm and fb_message');
  };

  const burst = (b: Record<string, unknown>): Resp => {
    const count = b.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > BURST_MAX) return bad(`count must be an integer 1-${BURST_MAX}`);
    if (b.channel !== undefined && !isChannel(b.channel)) return bad(`channel must be one of ${CHANNELS.join(', ')}`);
    const fixed = b.channel as GeneratedChannel | undefined;
    const byChannel: Record<string, number> = { x_mention: 0, x_dm: 0, fb_comment: 0, fb_message: 0 };
    let firstId: string | undefined;
    let lastId: string | undefined;
    const now = s.now();
    for (let i = 0; i < count; i++) {
      const ch = fixed ?? s.traffic.pickChannel();
      const created = s.traffic.generate(ch, now);
      byChannel[ch] = (byChannel[ch] ?? 0) + 1;
      firstId ??= created.id;
      lastId = created.id;
    }
    return json(200, { count, byChannel, firstId, lastId });
  };

  const inspect = (method: string, route: string, body: Body): Resp => {
    if (body.invalid !== undefined) return bad(`body is not valid JSON: ${body.invalid}`);
    const b = isRecord(body.value) ? body.value : {};
    const key = `${method} ${route}`;
    switch (key) {
      case 'GET /health':
        return json(200, { ok: true });
      case 'GET /state':
        return json(200, {
          ok: true,
          brand: SANDBOX_BRAND,
          seed,
          instance,
          url: baseUrl,
          xApiUrl: `${baseUrl}/x`,
          graphApiUrl: `${baseUrl}/graph`,
          now: s.now(),
          clockSkewMs: s.skewMs,
          ratePerMinute: s.ratePerMinute,
          limitScale: s.xLimits.scale,
          historyPerChannel: s.historyPerChannel,
          counts: s.counts(),
          posted: s.world.posted.length,
          faults: s.faults.list(),
        });
      case 'GET /ids': {
        // Every message a console polling this world should end up with, per channel (tests of "nothing lost").
        const w = s.world;
        const brand = SANDBOX_BRAND.xUserId;
        return json(200, {
          x_mention: (w.mentionsOf.get(brand) ?? []).filter((t) => !t.deleted && t.authorId !== brand).map((t) => t.id),
          x_dm: w.dmEvents.filter((e) => e.participantIds.includes(brand) && e.senderId !== brand).map((e) => e.id),
          fb_comment: w.comments.filter((c) => !c.deleted && c.fromId !== SANDBOX_BRAND.fbPageId).map((c) => c.id),
          fb_message: w.fbMessages.filter((m) => m.fromId !== SANDBOX_BRAND.fbPageId).map((m) => m.id),
        });
      }
      case 'POST /inject':
        return inject(b);
      case 'POST /burst':
        return burst(b);
      case 'POST /traffic': {
        const rate = b.ratePerMinute;
        if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 100_000) return bad('ratePerMinute must be a number 0-100000');
        s.ratePerMinute = rate;
        schedule();
        return json(200, { ratePerMinute: rate });
      }
      case 'GET /posted':
        return json(200, { posted: s.world.posted });
      case 'GET /requests':
        return json(200, { requests: s.requests() });
      case 'DELETE /requests':
        s.clearRequests();
        return json(200, { ok: true });
      case 'POST /faults': {
        if (typeof b.path !== 'string' || !b.path.startsWith('/')) return bad('path must be a request path prefix such as /x/2/tweets');
        if (b.method !== undefined && (typeof b.method !== 'string' || !/^[A-Za-z]+$/.test(b.method))) return bad('method must be an HTTP method');
        const times = b.times ?? 1;
        if (typeof times !== 'number' || !Number.isInteger(times) || times < 0) return bad('times must be a non-negative integer (0 = until cleared)');
        const skip = b.skip ?? 0;
        if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0) return bad('skip must be a non-negative integer');
        const fault = parseFault(b.fault);
        if (typeof fault === 'string') return bad(fault);
        const rule = s.faults.add(b.path, b.method as string | undefined, times, fault, skip);
        return json(200, { id: rule.id });
      }
      case 'GET /faults':
        return json(200, { faults: s.faults.list() });
      case 'DELETE /faults':
        s.faults.clear();
        return json(200, { ok: true });
      case 'POST /revoke':
        if (b.platform === 'x') s.xAuth.revokeAll();
        else if (b.platform === 'facebook') s.fbAuth.revokeAll();
        else return bad("platform must be 'x' or 'facebook'");
        return json(200, { ok: true });
      case 'POST /clock': {
        const skew = b.skewMs;
        if (typeof skew !== 'number' || !Number.isFinite(skew)) return bad('skewMs must be a number');
        s.skewMs = skew;
        return json(200, { skewMs: skew, now: s.now() });
      }
      case 'POST /limits': {
        const scale = b.scale ?? s.xLimits.scale;
        if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < 0.001 || scale > 100_000) return bad('scale must be a number 0.001-100000');
        const pageCap = b.pageCap ?? null;
        if (pageCap !== null && (typeof pageCap !== 'number' || !Number.isInteger(pageCap) || pageCap < 1 || pageCap > 100)) return bad('pageCap must be an integer 1-100 or null');
        s.xLimits.scale = scale;
        s.graphUsage.scale = scale;
        s.pageCap = pageCap ?? Infinity;
        return json(200, { scale, pageCap });
      }
      case 'GET /billing':
        return json(200, { days: xApi.billing.summary() });
      case 'POST /reset':
        s.reset();
        xApi.billing.clear();
        timingRng = new Rng(seed ^ 0x2545f491);
        schedule();
        return json(200, { ok: true, tokens: 'kept' });
      case 'POST /facebook/token':
        return json(200, { access_token: s.fbAuth.issueUser(), token_type: 'bearer' });
      case 'POST /facebook/page': {
        // A Page migrated to the New Pages Experience: GET /{page-id}/visitor_posts is refused from then on.
        const pageId = b.pageId ?? SANDBOX_BRAND.fbPageId;
        if (pageId !== SANDBOX_BRAND.fbPageId) return bad(`no Page ${String(pageId).slice(0, 40)}`, 404);
        if (typeof b.newPagesExperience !== 'boolean') return bad('newPagesExperience must be a boolean');
        if (b.newPagesExperience) s.fbNewPagesExperience.add(pageId);
        else s.fbNewPagesExperience.delete(pageId);
        return json(200, { pageId, newPagesExperience: b.newPagesExperience });
      }
      case 'POST /facebook/device/approve': {
        const code = typeof b.user_code === 'string' ? b.user_code : '';
        return s.fbDevice.approve(code, s.now()) ? json(200, { approved: true }) : bad('no such pending user_code', 404);
      }
      case 'POST /x/token': {
        const scope = typeof b.scope === 'string' ? b.scope : CONSOLE_X_SCOPES;
        return json(200, s.xAuth.issue(SANDBOX_BRAND.xUserId, typeof b.clientId === 'string' ? b.clientId : 'webcare-sandbox', scope.split(' ').filter(Boolean), s.now()));
      }
    }
    const m = /^\/faults\/([^/]+)$/.exec(route);
    if (m && method === 'DELETE') return s.faults.remove(m[1] as string) ? json(200, { ok: true }) : bad('no such fault', 404);
    return bad(`no inspection route ${key}`, 404);
  };

  server.on('request', (req, res) => {
    handle(req, res).catch((e: unknown) => {
      // A bug in the sandbox, not a simulated fault: say so loudly.
      console.error('[sandbox] request failed:', e);
      if (!res.headersSent) write(res, json(500, { title: 'Internal Server Error', detail: `sandbox bug: ${(e as Error).message}`, type: 'about:blank', status: 500 }));
      else res.destroy();
    });
  });
  // Held and keep-alive sockets may error when a client aborts; that is expected here.
  server.on('clientError', (_e, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  for (const h of ['127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${h}:${port}`);
  for (const h of ['127.0.0.1', 'localhost']) allowedOrigins.add(`http://${h}:${port}`);
  graph.baseUrl = `${baseUrl}/graph`;
  schedule();

  return {
    url: baseUrl,
    xApiUrl: `${baseUrl}/x`,
    graphApiUrl: `${baseUrl}/graph`,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      for (const res of held) res.destroy();
      held.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
