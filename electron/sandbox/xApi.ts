import type { IncomingMessage } from 'node:http';
import type { XAccess } from './auth.js';
import { X_TOO_MANY, X_UNAUTHORIZED } from './faults.js';
import { XBilling } from './billing.js';
import { bearer, bodyFields, isRecord, json, xTime, type Body, type Resp } from './http.js';
import { matches, parseQuery, QueryError } from './search.js';
import type { SandboxState } from './state.js';
import { guessLang, weightedLength } from './text.js';
import { lowerBound, SANDBOX_BRAND, type DmEvent, type Tweet, type XUser } from './world.js';
import { XMediaApi } from './xMedia.js';

/**
 * X API v2 as api.x.com, upload.x.com and x.com serve it, under /x. Shapes and
 * error bodies follow docs.x.com and the recorded answers in
 * test/fixtures/platform-apis; README.md next to this file has the sources.
 */
export interface XRequest {
  req: IncomingMessage;
  method: string;
  /** Path below /x, e.g. /2/users/123/mentions. */
  path: string;
  query: URLSearchParams;
  body: Body;
}

const INVALID_TYPE = 'https://api.twitter.com/2/problems/invalid-request';
const NOT_FOUND_TYPE = 'https://api.twitter.com/2/problems/resource-not-found';

type ParamError = { parameters?: Record<string, string[]>; message: string };

function invalid(errors: ParamError[]): Resp {
  return json(400, { errors, title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: INVALID_TYPE });
}

function forbidden(detail: string): Resp {
  return json(403, { detail, type: 'about:blank', title: 'Forbidden', status: 403 });
}

function notFound(resource: 'tweet' | 'user', parameter: string, value: string) {
  return { value, detail: `Could not find ${resource} with ${parameter}: [${value}].`, title: 'Not Found Error', resource_type: resource, parameter, resource_id: value, type: NOT_FOUND_TYPE };
}

const TWEET_FIELDS = [
  'article', 'attachments', 'author_id', 'card_uri', 'community_id', 'context_annotations', 'conversation_id', 'created_at', 'display_text_range',
  'edit_controls', 'edit_history_tweet_ids', 'entities', 'geo', 'id', 'in_reply_to_user_id', 'lang', 'media_metadata', 'non_public_metrics',
  'note_tweet', 'organic_metrics', 'possibly_sensitive', 'promoted_metrics', 'public_metrics', 'referenced_tweets', 'reply_settings', 'scopes',
  'source', 'text', 'withheld',
];
const USER_FIELDS = [
  'affiliation', 'confirmed_email', 'connection_status', 'created_at', 'description', 'entities', 'id', 'is_identity_verified', 'location',
  'most_recent_tweet_id', 'name', 'parody', 'pinned_tweet_id', 'profile_banner_url', 'profile_image_url', 'protected', 'public_metrics',
  'receives_your_dm', 'subscription', 'subscription_type', 'url', 'username', 'verified', 'verified_followers_count', 'verified_type', 'withheld',
];
const TWEET_EXPANSIONS = [
  'article.cover_media', 'article.media_entities', 'attachments.media_keys', 'attachments.media_source_tweet', 'attachments.poll_ids', 'author_id',
  'edit_history_tweet_ids', 'entities.mentions.username', 'geo.place_id', 'in_reply_to_user_id', 'entities.note.mentions.username',
  'referenced_tweets.id', 'referenced_tweets.id.attachments.media_keys', 'referenced_tweets.id.author_id',
];
const DM_FIELDS = ['attachments', 'created_at', 'dm_conversation_id', 'entities', 'event_type', 'id', 'participant_ids', 'referenced_tweets', 'sender_id', 'text'];
const DM_EXPANSIONS = ['attachments.media_keys', 'participant_ids', 'referenced_tweets.id', 'sender_id'];
const OTHER_FIELDS = ['media.fields', 'poll.fields', 'place.fields'];

const TIMELINE_PARAMS = ['since_id', 'until_id', 'max_results', 'pagination_token', 'start_time', 'end_time', 'tweet.fields', 'expansions', 'user.fields', ...OTHER_FIELDS];
const USER_TWEETS_PARAMS = [...TIMELINE_PARAMS, 'exclude'];
const SEARCH_PARAMS = ['query', 'start_time', 'end_time', 'since_id', 'until_id', 'max_results', 'next_token', 'pagination_token', 'sort_order', 'tweet.fields', 'expansions', 'user.fields', ...OTHER_FIELDS];
const DM_PARAMS = ['dm_event.fields', 'event_types', 'expansions', 'max_results', 'pagination_token', 'user.fields', 'tweet.fields', 'media.fields'];
const LOOKUP_PARAMS = ['ids', 'tweet.fields', 'expansions', 'user.fields', ...OTHER_FIELDS];
const ONE_TWEET_PARAMS = ['tweet.fields', 'expansions', 'user.fields', ...OTHER_FIELDS];
const USER_PARAMS = ['user.fields', 'expansions', 'tweet.fields'];

const POST_TWEET_KEYS = new Set([
  'text', 'reply', 'media', 'quote_tweet_id', 'reply_settings', 'poll', 'for_super_followers_only', 'direct_message_deep_link', 'geo', 'nullcast',
  'community_id', 'share_with_followers', 'card_uri', 'edit_options', 'made_with_ai', 'paid_partnership',
]);

const READ = ['tweet.read', 'users.read'];
const WRITE = ['tweet.read', 'tweet.write', 'users.read'];
const DM_READ = ['dm.read', 'tweet.read', 'users.read'];
const DM_WRITE = ['dm.read', 'dm.write', 'tweet.read', 'users.read'];

const ID_RE = /^[0-9]{1,19}$/;

class Reject {
  constructor(readonly resp: Resp) {}
}

function checkParams(q: URLSearchParams, allowed: readonly string[], pathParams: readonly string[] = []): void {
  for (const key of new Set(q.keys())) {
    if (!allowed.includes(key)) {
      throw new Reject(invalid([{ parameters: { [key]: q.getAll(key) }, message: `The query parameter [${key}] is not one of [${[...pathParams, ...allowed].join(',')}]` }]));
    }
  }
}

function listParam(q: URLSearchParams, name: string, allowed: readonly string[]): Set<string> {
  const raw = q.get(name);
  const out = new Set<string>();
  if (raw === null) return out;
  for (const v of raw.split(',')) {
    if (!allowed.includes(v)) {
      throw new Reject(invalid([{ parameters: { [name]: [v] }, message: `The \`${name}\` query parameter value [${v}] is not one of [${allowed.join(',')}]` }]));
    }
    out.add(v);
  }
  return out;
}

function idParam(q: URLSearchParams, name: string): bigint | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (!ID_RE.test(v)) throw new Reject(invalid([{ parameters: { [name]: [v] }, message: `The \`${name}\` query parameter value [${v}] does not match ^[0-9]{1,19}$` }]));
  return BigInt(v);
}

function intParam(q: URLSearchParams, name: string, lo: number, hi: number, dflt: number): number {
  const v = q.get(name);
  if (v === null) return dflt;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < lo || n > hi) {
    throw new Reject(invalid([{ parameters: { [name]: [v] }, message: `The \`${name}\` query parameter value [${v}] is not between ${lo} and ${hi}` }]));
  }
  return n;
}

function timeParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new Reject(invalid([{ parameters: { [name]: [v] }, message: `Invalid '${name}':'${v}'. '${name}' must be a valid ISO 8601 date` }]));
  return t;
}

/** Opaque cursors that carry the exclusive upper id: pages stay stable while new posts arrive. */
export function encodeToken(idn: bigint): string {
  return `b${idn.toString(36)}`;
}

function decodeToken(q: URLSearchParams, name: string): bigint | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (!/^b[0-9a-z]{1,20}$/.test(v)) throw new Reject(invalid([{ parameters: { [name]: [v] }, message: `The \`${name}\` query parameter value [${v}] is not valid` }]));
  let n = 0n;
  for (const c of v.slice(1)) n = n * 36n + BigInt(parseInt(c, 36));
  return n;
}

interface Fields {
  tweet: Set<string>;
  user: Set<string>;
  exp: Set<string>;
}

function readFields(q: URLSearchParams, expansions: readonly string[]): Fields {
  return { tweet: listParam(q, 'tweet.fields', TWEET_FIELDS), user: listParam(q, 'user.fields', USER_FIELDS), exp: listParam(q, 'expansions', expansions) };
}

/**
 * X sends `&`, `<` and `>` in post and DM text as `&amp;`, `&lt;` and `&gt;`
 * (nothing else is escaped). Texts are stored as written and escaped only on the way out.
 */
export function escapeXText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function renderTweet(t: Tweet, f: Set<string>): Record<string, unknown> {
  const o: Record<string, unknown> = { id: t.id, text: escapeXText(t.text), edit_history_tweet_ids: [t.id] };
  if (f.has('author_id')) o.author_id = t.authorId;
  if (f.has('created_at')) o.created_at = xTime(t.createdAt);
  if (f.has('conversation_id')) o.conversation_id = t.conversationId;
  if (f.has('in_reply_to_user_id') && t.inReplyToUserId) o.in_reply_to_user_id = t.inReplyToUserId;
  if (f.has('referenced_tweets') && t.refs) o.referenced_tweets = t.refs.map((r) => ({ type: r.type, id: r.id }));
  if (f.has('lang')) o.lang = t.lang;
  if (f.has('public_metrics')) o.public_metrics = { ...t.metrics };
  if (f.has('entities') && t.entities) o.entities = t.entities;
  if (f.has('attachments') && t.mediaKeys?.length) o.attachments = { media_keys: t.mediaKeys };
  if (f.has('reply_settings')) o.reply_settings = 'everyone';
  if (f.has('possibly_sensitive')) o.possibly_sensitive = false;
  if (f.has('edit_controls')) o.edit_controls = { edits_remaining: 5, is_edit_eligible: false, editable_until: xTime(t.createdAt + 3_600_000) };
  return o;
}

function renderUser(u: XUser, f: Set<string>): Record<string, unknown> {
  const o: Record<string, unknown> = { id: u.id, name: u.name, username: u.username };
  if (f.has('verified')) o.verified = u.verified;
  if (f.has('verified_type')) o.verified_type = u.verified ? (u.id === SANDBOX_BRAND.xUserId ? 'business' : 'blue') : 'none';
  if (f.has('description')) o.description = u.description;
  if (f.has('created_at')) o.created_at = xTime(u.createdAt);
  if (f.has('location') && u.location) o.location = u.location;
  if (f.has('protected')) o.protected = false;
  if (f.has('url')) o.url = '';
  if (f.has('public_metrics')) o.public_metrics = { followers_count: u.followers, following_count: u.following, tweet_count: u.tweetCount, listed_count: u.listed, like_count: 0, media_count: 0 };
  // profile_image_url is left out: the sandbox has no image server and a pbs.twimg.com URL would leave the machine.
  return o;
}

function renderDm(e: DmEvent, f: Set<string>): Record<string, unknown> {
  const o: Record<string, unknown> = { id: e.id, event_type: 'MessageCreate', text: escapeXText(e.text) };
  if (f.has('created_at')) o.created_at = xTime(e.createdAt);
  if (f.has('dm_conversation_id')) o.dm_conversation_id = e.conversationId;
  if (f.has('sender_id')) o.sender_id = e.senderId;
  return o;
}

/**
 * Reverse-chronological page of `list` (ascending by id) between since (exclusive)
 * and the upper bound (exclusive), skipping deleted or filtered items.
 */
function pageDesc<T extends { idn: bigint; createdAt: number }>(
  list: readonly T[],
  o: { since?: bigint; upper?: bigint; start?: number; end?: number; max: number; keep?: (item: T) => boolean },
): { items: T[]; more: boolean } {
  const items: T[] = [];
  let idx = o.upper !== undefined ? lowerBound(list, o.upper, (t) => t.idn) - 1 : list.length - 1;
  for (; idx >= 0; idx--) {
    const t = list[idx] as T;
    if (o.since !== undefined && t.idn <= o.since) break;
    if (o.start !== undefined && t.createdAt < o.start) continue;
    if (o.end !== undefined && t.createdAt >= o.end) continue;
    if (o.keep && !o.keep(t)) continue;
    if (items.length === o.max) return { items, more: true };
    items.push(t);
  }
  return { items, more: false };
}

/** Twitter's snowflake epoch: an id carries its creation time (ms) above its low 22 bits. */
const TWEPOCH = 1288834974657n;

function snowflakeTime(id: bigint): number {
  return Number((id >> 22n) + TWEPOCH);
}

/** The first id made at `at` (epoch ms). */
function snowflakeAt(at: number): string {
  return ((BigInt(at) - TWEPOCH) << 22n).toString();
}

function minBig(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

export class XApi {
  /** What X would bill for the reads served (pay-per-use, deduplicated per UTC day): /__sandbox/billing. */
  readonly billing = new XBilling();
  /** The media upload routes (xMedia.ts). */
  private readonly media: XMediaApi;

  constructor(private readonly s: SandboxState) {
    this.media = new XMediaApi(s);
  }

  private get w() {
    return this.s.world;
  }

  handle(r: XRequest): Resp {
    const { method, path } = r;
    if (method === 'GET' && path === '/i/oauth2/authorize') return this.s.xAuth.authorize(r.query, this.s.now());
    if (method === 'POST' && path === '/2/oauth2/token') return this.s.xAuth.token(this.oauthFields(r), basicClientId(r.req), this.s.now());
    if (method === 'POST' && path === '/2/oauth2/revoke') return this.s.xAuth.revoke(this.oauthFields(r));

    const route = this.route(method, path);
    if (!route) return json(404, { title: 'Not Found Error', detail: 'The requested resource could not be found.', type: 'about:blank', status: 404 });
    const user = this.s.xAuth.check(bearer(r.req), this.s.now());
    if (!user) return json(401, X_UNAUTHORIZED);
    const limit = this.s.xLimits.hit(route.endpoint, user.userId, this.s.now());
    const withLimits = (resp: Resp): Resp => ({ ...resp, headers: { ...resp.headers, ...limit.headers } });
    if (!limit.allowed) return withLimits(json(429, X_TOO_MANY));
    if (route.scopes.some((sc) => !user.scope.includes(sc))) return withLimits(forbidden('Forbidden'));
    try {
      const resp = route.run(user, r);
      if (resp.status === 200) this.billing.charge(route.endpoint, user.userId, path, resp.body, this.s.now());
      return withLimits(resp);
    } catch (e) {
      if (e instanceof Reject) return withLimits(e.resp);
      throw e;
    }
  }

  private oauthFields(r: XRequest): Record<string, unknown> {
    // twitter-api-v2 posts these as JSON, the docs as a form; both reach X.
    return { ...Object.fromEntries(r.query), ...bodyFields(r.body) };
  }

  private route(method: string, path: string): { endpoint: string; scopes: string[]; run: (u: XAccess, r: XRequest) => Resp } | undefined {
    let m: RegExpExecArray | null;
    const media = this.media.route(method, path);
    if (media) return media;
    if (method === 'GET') {
      if (path === '/2/users/me') return { endpoint: 'GET /2/users/me', scopes: READ, run: (u, r) => this.me(u, r) };
      if ((m = /^\/2\/users\/([^/]+)\/mentions$/.exec(path))) return { endpoint: 'GET /2/users/:id/mentions', scopes: READ, run: (_u, r) => this.mentions(decodeURIComponent(m?.[1] ?? ''), r) };
      if ((m = /^\/2\/users\/([^/]+)\/tweets$/.exec(path))) return { endpoint: 'GET /2/users/:id/tweets', scopes: READ, run: (_u, r) => this.userTweets(decodeURIComponent(m?.[1] ?? ''), r) };
      if ((m = /^\/2\/users\/by\/username\/([^/]+)$/.exec(path))) return { endpoint: 'GET /2/users/by/username/:username', scopes: READ, run: (_u, r) => this.userByName(decodeURIComponent(m?.[1] ?? ''), r) };
      if ((m = /^\/2\/users\/([^/]+)$/.exec(path))) return { endpoint: 'GET /2/users/:id', scopes: READ, run: (_u, r) => this.userById(decodeURIComponent(m?.[1] ?? ''), r) };
      if (path === '/2/tweets/search/recent') return { endpoint: 'GET /2/tweets/search/recent', scopes: READ, run: (_u, r) => this.search(r) };
      if (path === '/2/tweets') return { endpoint: 'GET /2/tweets', scopes: READ, run: (_u, r) => this.lookup(r) };
      if ((m = /^\/2\/tweets\/([^/]+)$/.exec(path))) return { endpoint: 'GET /2/tweets/:id', scopes: READ, run: (_u, r) => this.oneTweet(decodeURIComponent(m?.[1] ?? ''), r) };
      if (path === '/2/dm_events') return { endpoint: 'GET /2/dm_events', scopes: DM_READ, run: (u, r) => this.dmEvents(u, r, () => true) };
      if ((m = /^\/2\/dm_conversations\/with\/([^/]+)\/dm_events$/.exec(path))) {
        const other = decodeURIComponent(m[1] ?? '');
        return { endpoint: 'GET /2/dm_conversations/with/:participant_id/dm_events', scopes: DM_READ, run: (u, r) => this.dmEvents(u, r, (e) => e.participantIds.includes(other)) };
      }
      if ((m = /^\/2\/dm_conversations\/([^/]+)\/dm_events$/.exec(path))) {
        const conv = decodeURIComponent(m[1] ?? '');
        return { endpoint: 'GET /2/dm_conversations/:dm_conversation_id/dm_events', scopes: DM_READ, run: (u, r) => this.dmEvents(u, r, (e) => e.conversationId === conv) };
      }
    }
    if (method === 'POST') {
      if (path === '/2/tweets') return { endpoint: 'POST /2/tweets', scopes: WRITE, run: (u, r) => this.postTweet(u, r) };
      if ((m = /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/.exec(path))) {
        const other = decodeURIComponent(m[1] ?? '');
        return { endpoint: 'POST /2/dm_conversations/with/:participant_id/messages', scopes: DM_WRITE, run: (u, r) => this.sendDm(u, other, r) };
      }
    }
    if (method === 'DELETE' && (m = /^\/2\/tweets\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(m[1] ?? '');
      return { endpoint: 'DELETE /2/tweets/:id', scopes: WRITE, run: (u) => this.deleteTweet(u, id) };
    }
    return undefined;
  }

  /** data + includes (+ partial errors) for a list of posts, as the expansions ask. */
  private tweetsPayload(tweets: Tweet[], f: Fields): { data: unknown[]; includes?: Record<string, unknown[]>; errors?: unknown[] } {
    const users = new Map<string, XUser>();
    const included = new Map<string, Tweet>();
    const errors: unknown[] = [];
    const addUser = (id: string | undefined) => {
      const u = id ? this.w.xUsers.get(id) : undefined;
      if (u) users.set(u.id, u);
    };
    for (const t of tweets) {
      if (f.exp.has('author_id')) addUser(t.authorId);
      if (f.exp.has('in_reply_to_user_id')) addUser(t.inReplyToUserId);
      if (f.exp.has('entities.mentions.username')) for (const m of t.entities?.mentions ?? []) addUser(m.id);
      if (f.exp.has('referenced_tweets.id') || f.exp.has('referenced_tweets.id.author_id')) {
        for (const ref of t.refs ?? []) {
          const rt = this.w.tweetById.get(ref.id);
          if (!rt || rt.deleted) {
            // X answers 200 with the page and a partial error for a referenced post that is gone.
            errors.push(notFound('tweet', 'referenced_tweets.id', ref.id));
            continue;
          }
          if (f.exp.has('referenced_tweets.id')) included.set(rt.id, rt);
          if (f.exp.has('referenced_tweets.id.author_id')) addUser(rt.authorId);
        }
      }
    }
    const includes: Record<string, unknown[]> = {};
    if (users.size) includes.users = [...users.values()].map((u) => renderUser(u, f.user));
    if (included.size) includes.tweets = [...included.values()].map((t) => renderTweet(t, f.tweet));
    if (f.exp.has('attachments.media_keys')) {
      const media = tweets.flatMap((t) => t.mediaKeys ?? []).map((k) => ({ media_key: k, type: 'photo' }));
      if (media.length) includes.media = media;
    }
    const out: { data: unknown[]; includes?: Record<string, unknown[]>; errors?: unknown[] } = { data: tweets.map((t) => renderTweet(t, f.tweet)) };
    if (Object.keys(includes).length) out.includes = includes;
    if (errors.length) out.errors = errors;
    return out;
  }

  private timelineResponse(items: Tweet[], more: boolean, f: Fields, tokenName: 'next_token'): Resp {
    if (items.length === 0) return json(200, { meta: { result_count: 0 } });
    const payload = this.tweetsPayload(items, f);
    const meta: Record<string, unknown> = { result_count: items.length, newest_id: (items[0] as Tweet).id, oldest_id: (items[items.length - 1] as Tweet).id };
    if (more) meta[tokenName] = encodeToken((items[items.length - 1] as Tweet).idn);
    return json(200, { ...payload, meta });
  }

  private userOr404(id: string): XUser | Resp {
    if (!ID_RE.test(id)) return invalid([{ parameters: { id: [id] }, message: `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$` }]);
    const u = this.w.xUsers.get(id);
    if (!u) return json(200, { errors: [notFound('user', 'id', id)] });
    return u;
  }

  private me(u: XAccess, r: XRequest): Resp {
    checkParams(r.query, USER_PARAMS);
    const f = readFields(r.query, ['pinned_tweet_id', 'affiliation.user_id', 'most_recent_tweet_id']);
    const user = this.w.xUsers.get(u.userId);
    if (!user) return json(401, X_UNAUTHORIZED);
    return json(200, { data: renderUser(user, f.user) });
  }

  private timelineParams(r: XRequest, allowed: readonly string[]) {
    checkParams(r.query, allowed, ['id']);
    const f = readFields(r.query, TWEET_EXPANSIONS);
    const asked = intParam(r.query, 'max_results', 5, 100, 10);
    // A platform may return fewer than asked (test knob: /__sandbox/limits pageCap).
    const max = Math.min(asked, this.s.pageCap);
    const since = idParam(r.query, 'since_id');
    const until = idParam(r.query, 'until_id');
    const token = decodeToken(r.query, 'pagination_token');
    // since_id/until_id take precedence over times (OpenAPI description).
    const start = since === undefined ? timeParam(r.query, 'start_time') : undefined;
    const end = until === undefined ? timeParam(r.query, 'end_time') : undefined;
    return { f, max, since, upper: minBig(until, token), start, end };
  }

  private mentions(id: string, r: XRequest): Resp {
    const user = this.userOr404(id);
    const p = this.timelineParams(r, TIMELINE_PARAMS);
    if (!('id' in user)) return user;
    const { items, more } = pageDesc(this.w.mentionsOf.get(user.id) ?? [], { since: p.since, upper: p.upper, start: p.start, end: p.end, max: p.max });
    return this.timelineResponse(items, more, p.f, 'next_token');
  }

  private userTweets(id: string, r: XRequest): Resp {
    const user = this.userOr404(id);
    const p = this.timelineParams(r, USER_TWEETS_PARAMS);
    if (!('id' in user)) return user;
    const exclude = new Set((r.query.get('exclude') ?? '').split(',').filter(Boolean));
    for (const e of exclude) if (e !== 'replies' && e !== 'retweets') return invalid([{ parameters: { exclude: [e] }, message: `The \`exclude\` query parameter value [${e}] is not one of [replies,retweets]` }]);
    const keep = exclude.has('replies') ? (t: Tweet) => !t.refs?.some((x) => x.type === 'replied_to') : undefined;
    const { items, more } = pageDesc(this.w.timelineOf.get(user.id) ?? [], { since: p.since, upper: p.upper, start: p.start, end: p.end, max: p.max, keep });
    return this.timelineResponse(items, more, p.f, 'next_token');
  }

  private search(r: XRequest): Resp {
    checkParams(r.query, SEARCH_PARAMS);
    const q = r.query.get('query');
    if (!q) return invalid([{ parameters: { query: [] }, message: 'The `query` query parameter can not be empty' }]);
    if (q.length > 512) return invalid([{ parameters: { query: [q] }, message: `The \`query\` query parameter value [${q.slice(0, 40)}…] is too long: maximum 512 characters` }]);
    let node;
    try {
      node = parseQuery(q);
    } catch (e) {
      if (e instanceof QueryError) return invalid([{ parameters: { query: [q] }, message: e.message }]);
      throw e;
    }
    const f = readFields(r.query, TWEET_EXPANSIONS);
    const asked = intParam(r.query, 'max_results', 10, 100, 10);
    // A platform may return fewer than asked (test knob: /__sandbox/limits pageCap).
    const max = Math.min(asked, this.s.pageCap);
    const since = idParam(r.query, 'since_id');
    const until = idParam(r.query, 'until_id');
    const token = decodeToken(r.query, 'next_token') ?? decodeToken(r.query, 'pagination_token');
    const now = this.s.now();
    const weekAgo = now - 7 * 24 * 3_600_000;
    // Ids and times do not mix here (X: 400 "Invalid use of 'since_id' or 'until_id' in conjunction with 'start_time' or 'end_time'.").
    if ((since !== undefined || until !== undefined) && (r.query.has('start_time') || r.query.has('end_time'))) {
      const parameters: Record<string, string[]> = {};
      for (const k of ['since_id', 'until_id', 'start_time', 'end_time']) if (r.query.has(k)) parameters[k] = r.query.getAll(k);
      return invalid([{ parameters, message: "Invalid use of 'since_id' or 'until_id' in conjunction with 'start_time' or 'end_time'." }]);
    }
    // An id older than the 7-day window is refused, with the oldest time and the smallest id X would take.
    for (const [name, v] of [['since_id', since], ['until_id', until]] as const) {
      if (v === undefined || snowflakeTime(v) >= weekAgo) continue;
      const after = Math.ceil(weekAgo / 60_000) * 60_000;
      return invalid([
        {
          parameters: { [name]: [r.query.get(name) ?? ''] },
          message: `'${name}' must be a tweet id created after ${new Date(after).toISOString().slice(0, 16)}Z. Please use a '${name}' that is larger than ${snowflakeAt(after)}`,
        },
      ]);
    }
    const start = timeParam(r.query, 'start_time');
    if (start !== undefined && start < weekAgo) return invalid([{ parameters: { start_time: [r.query.get('start_time') ?? ''] }, message: "Invalid 'start_time'. 'start_time' must be on or after the last 7 days" }]);
    const end = timeParam(r.query, 'end_time');
    const { items, more } = pageDesc(this.w.tweets, {
      since,
      upper: minBig(until, token),
      start: start ?? weekAgo,
      end,
      max,
      keep: (t) => !t.deleted && matches(node, t, this.w),
    });
    return this.timelineResponse(items, more, f, 'next_token');
  }

  private lookup(r: XRequest): Resp {
    checkParams(r.query, LOOKUP_PARAMS);
    const raw = r.query.get('ids');
    if (!raw) return invalid([{ parameters: { ids: [] }, message: 'The `ids` query parameter can not be empty' }]);
    const ids = raw.split(',');
    if (ids.length > 100 || ids.some((i) => !ID_RE.test(i))) return invalid([{ parameters: { ids: [raw] }, message: 'The `ids` query parameter value must be 1 to 100 comma-separated ids of up to 19 digits' }]);
    const f = readFields(r.query, TWEET_EXPANSIONS);
    const found: Tweet[] = [];
    const errors: unknown[] = [];
    for (const id of ids) {
      const t = this.w.tweetById.get(id);
      if (t && !t.deleted) found.push(t);
      else errors.push(notFound('tweet', 'ids', id));
    }
    const out: Record<string, unknown> = {};
    if (found.length) {
      const payload = this.tweetsPayload(found, f);
      out.data = payload.data;
      if (payload.includes) out.includes = payload.includes;
      errors.unshift(...(payload.errors ?? []));
    }
    if (errors.length) out.errors = errors;
    return json(200, out);
  }

  private oneTweet(id: string, r: XRequest): Resp {
    checkParams(r.query, ONE_TWEET_PARAMS, ['id']);
    if (!ID_RE.test(id)) return invalid([{ parameters: { id: [id] }, message: `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$` }]);
    const f = readFields(r.query, TWEET_EXPANSIONS);
    const t = this.w.tweetById.get(id);
    if (!t || t.deleted) return json(200, { errors: [notFound('tweet', 'id', id)] });
    const payload = this.tweetsPayload([t], f);
    return json(200, { ...payload, data: payload.data[0] });
  }

  private userById(id: string, r: XRequest): Resp {
    checkParams(r.query, USER_PARAMS, ['id']);
    const f = readFields(r.query, ['pinned_tweet_id', 'affiliation.user_id', 'most_recent_tweet_id']);
    const u = this.userOr404(id);
    if (!('id' in u)) return u;
    return json(200, { data: renderUser(u, f.user) });
  }

  private userByName(name: string, r: XRequest): Resp {
    checkParams(r.query, USER_PARAMS, ['username']);
    const f = readFields(r.query, ['pinned_tweet_id', 'affiliation.user_id', 'most_recent_tweet_id']);
    const u = this.w.xUserByName(name);
    if (!u) return json(200, { errors: [{ ...notFound('user', 'username', name), detail: `Could not find user with username: [${name}].` }] });
    return json(200, { data: renderUser(u, f.user) });
  }

  private dmEvents(u: XAccess, r: XRequest, keep: (e: DmEvent) => boolean): Resp {
    checkParams(r.query, DM_PARAMS);
    const fields = listParam(r.query, 'dm_event.fields', DM_FIELDS);
    const userFields = listParam(r.query, 'user.fields', USER_FIELDS);
    listParam(r.query, 'tweet.fields', TWEET_FIELDS);
    const exp = listParam(r.query, 'expansions', DM_EXPANSIONS);
    const types = listParam(r.query, 'event_types', ['MessageCreate', 'ParticipantsJoin', 'ParticipantsLeave']);
    const asked = intParam(r.query, 'max_results', 1, 100, 100);
    // A platform may return fewer than asked (test knob: /__sandbox/limits pageCap).
    const max = Math.min(asked, this.s.pageCap);
    const upper = decodeToken(r.query, 'pagination_token');
    // Only MessageCreate events exist here; asking for join/leave events alone gives nothing.
    const wantsMessages = types.size === 0 || types.has('MessageCreate');
    const thirtyDays = this.s.now() - 30 * 24 * 3_600_000;
    const { items, more } = wantsMessages
      ? pageDesc(this.w.dmEvents, { upper, max, start: thirtyDays, keep: (e) => e.participantIds.includes(u.userId) && keep(e) })
      : { items: [], more: false };
    if (items.length === 0) return json(200, { meta: { result_count: 0 } });
    const users = new Map<string, XUser>();
    for (const e of items) {
      if (exp.has('sender_id')) {
        const s = this.w.xUsers.get(e.senderId);
        if (s) users.set(s.id, s);
      }
      if (exp.has('participant_ids')) {
        for (const id of e.participantIds) {
          const p = this.w.xUsers.get(id);
          if (p) users.set(p.id, p);
        }
      }
    }
    const meta: Record<string, unknown> = { result_count: items.length };
    if (more) meta.next_token = encodeToken((items[items.length - 1] as DmEvent).idn);
    const out: Record<string, unknown> = { data: items.map((e) => renderDm(e, fields)) };
    if (users.size) out.includes = { users: [...users.values()].map((x) => renderUser(x, userFields)) };
    out.meta = meta;
    return json(200, out);
  }

  private jsonBody(r: XRequest): Record<string, unknown> {
    // What X answers when a client posts a form (twitter-api-v2 does that when its URL no longer starts with /2/).
    if (r.body.kind !== 'json') throw new Reject(invalid([{ message: 'Requests with bodies must have content-type of application/json.' }]));
    if (r.body.invalid !== undefined || !isRecord(r.body.value)) throw new Reject(invalid([{ message: 'Request body is not valid JSON.' }]));
    return r.body.value;
  }

  private postTweet(u: XAccess, r: XRequest): Resp {
    const body = this.jsonBody(r);
    for (const k of Object.keys(body)) if (!POST_TWEET_KEYS.has(k)) return invalid([{ message: `$.${k}: is not defined in the schema and the schema does not allow additional properties` }]);
    const text = body.text;
    if (text !== undefined && typeof text !== 'string') return invalid([{ message: '$.text: string found, but expected string' }]);
    let mediaKeys: string[] | undefined;
    if (body.media !== undefined) {
      const ids = isRecord(body.media) ? body.media.media_ids : undefined;
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > 4 || ids.some((i) => typeof i !== 'string' || !ID_RE.test(i))) return invalid([{ message: 'Your media IDs are invalid.' }]);
      // Only media this account uploaded and X finished processing, a GIF on its own.
      const mediaError = this.media.postMediaError(ids as string[], u.userId);
      if (mediaError) return mediaError;
      mediaKeys = (ids as string[]).map((i) => `3_${i}`);
    }
    if ((typeof text !== 'string' || text.length === 0) && !mediaKeys) return invalid([{ message: 'Your request must include text, media or a quote.' }]);
    const t = typeof text === 'string' ? text : '';
    if (weightedLength(t) > 280) return invalid([{ parameters: { text: [t] }, message: 'Your Tweet text is too long. For more information on how X determines text length see https://github.com/twitter/twitter-text.' }]);

    let target: Tweet | undefined;
    if (body.reply !== undefined) {
      const tid = isRecord(body.reply) ? body.reply.in_reply_to_tweet_id : undefined;
      if (typeof tid !== 'string' || !ID_RE.test(tid)) return invalid([{ message: '$.reply.in_reply_to_tweet_id: does not match the regex pattern ^[0-9]{1,19}$' }]);
      target = this.w.tweetById.get(tid);
      // X has long answered a reply to a vanished post with 403 and this text (v1.1 error 385).
      if (!target || target.deleted) return forbidden('You attempted to reply to a Tweet that is deleted or not visible to you.');
      if (target.authorId !== u.userId && !this.summoned(target, u.userId)) {
        return forbidden('Reply to this post is not allowed: self-serve apps may only reply to posts whose author mentioned or quoted your account.');
      }
    }
    let quote: Tweet | undefined;
    if (body.quote_tweet_id !== undefined) {
      const q = body.quote_tweet_id;
      if (typeof q !== 'string' || !ID_RE.test(q)) return invalid([{ message: '$.quote_tweet_id: does not match the regex pattern ^[0-9]{1,19}$' }]);
      quote = this.w.tweetById.get(q);
      if (!quote || quote.deleted) return forbidden('You attempted to quote a Tweet that is deleted or not visible to you.');
    }
    if ((t.match(/(?:^|[^\p{L}\p{N}_$])\$[A-Za-z]{1,6}(?![\p{L}\p{N}_])/gu)?.length ?? 0) > 1) return forbidden('Posts created with this app may contain at most one cashtag.');

    const now = this.s.now();
    const dupKey = `${u.userId}\u0000${t}`;
    const last = this.w.lastTextAt.get(dupKey);
    if (t && last !== undefined && now - last < 24 * 3_600_000) {
      return json(403, { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 });
    }
    const author = this.w.xUsers.get(u.userId);
    if (!author) return json(401, X_UNAUTHORIZED);
    // X prefixes a reply with the handle it answers (auto-populated reply metadata); the submitted text is what counts toward 280.
    const replyTo = target ? this.w.xUsers.get(target.authorId) : undefined;
    const leading = (/^(?:@\w+\s+)*/.exec(t)?.[0] ?? '').toLowerCase().split(/\s+/);
    const prefix = replyTo && replyTo.id !== author.id && !leading.includes(`@${replyTo.username.toLowerCase()}`) ? `@${replyTo.username} ` : '';
    const created = this.w.addTweet({ author, text: prefix + t, at: now, lang: guessLang(t), replyTo: target, quote, wrapLinks: true, mediaKeys });
    this.w.lastTextAt.set(dupKey, now);
    this.s.record({ kind: target ? 'x_reply' : 'x_post', id: created.id, text: t, inReplyToId: target?.id, accountId: u.userId, ...(mediaKeys ? { media: mediaKeys.map((k) => k.slice(2)) } : {}) });
    return json(201, { data: { id: created.id, text: escapeXText(created.text), edit_history_tweet_ids: [created.id] } });
  }

  /** The 2026 self-serve reply rule: the target @mentions the account or quotes one of its posts. */
  private summoned(target: Tweet, userId: string): boolean {
    if (target.mentionIds.includes(userId)) return true;
    return (target.refs ?? []).some((r) => r.type === 'quoted' && this.w.tweetById.get(r.id)?.authorId === userId);
  }

  private deleteTweet(u: XAccess, id: string): Resp {
    if (!ID_RE.test(id)) return invalid([{ parameters: { id: [id] }, message: `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$` }]);
    const t = this.w.tweetById.get(id);
    if (!t || t.deleted) return json(404, { title: 'Not Found Error', detail: `Could not find tweet with id: [${id}].`, type: NOT_FOUND_TYPE, status: 404 });
    if (t.authorId !== u.userId) return forbidden('You are not allowed to delete a Tweet that you did not create.');
    t.deleted = true;
    this.s.record({ kind: 'x_delete', id, accountId: u.userId });
    return json(200, { data: { deleted: true } });
  }

  private sendDm(u: XAccess, participantId: string, r: XRequest): Resp {
    const body = this.jsonBody(r);
    if (!ID_RE.test(participantId)) return invalid([{ parameters: { participant_id: [participantId] }, message: `The \`participant_id\` query parameter value [${participantId}] does not match ^[0-9]{1,19}$` }]);
    let attached: string[] | undefined;
    if (body.attachments !== undefined) {
      const a = body.attachments;
      if (!Array.isArray(a) || a.length !== 1 || !isRecord(a[0]) || typeof a[0].media_id !== 'string' || !this.media.attachable(a[0].media_id, u.userId)) {
        return invalid([{ message: '$.attachments: one attachment with a media_id uploaded by this account' }]);
      }
      attached = [a[0].media_id];
    }
    const text = typeof body.text === 'string' ? body.text : attached ? '' : body.text;
    if (typeof text !== 'string' || (text.length === 0 && !attached)) return invalid([{ message: '$.text: is missing but it is required' }]);
    if ([...text].length > 10_000) return invalid([{ message: '$.text: must be at most 10000 characters long' }]);
    const other = this.w.xUsers.get(participantId);
    if (!other) return invalid([{ parameters: { participant_id: [participantId] }, message: `Could not find user with participant_id: [${participantId}].` }]);
    if (other.id === u.userId) return forbidden('You cannot send a Direct Message to yourself.');
    const me = this.w.xUsers.get(u.userId);
    if (!me) return json(401, X_UNAUTHORIZED);
    const ev = this.w.addDm(me, other, text, this.s.now());
    this.s.record({ kind: 'x_dm', id: ev.id, text, recipientId: other.id, accountId: u.userId, ...(attached ? { media: attached } : {}) });
    return json(201, { data: { dm_conversation_id: ev.conversationId, dm_event_id: ev.id } });
  }
}

function basicClientId(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Basic\s+(\S+)$/i.exec(h) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const idx = decoded.indexOf(':');
  return decodeURIComponent(idx >= 0 ? decoded.slice(0, idx) : decoded) || undefined;
}

/** Kept here for the Graph side's uploads. */
export { sniffImage } from './xMedia.js';
