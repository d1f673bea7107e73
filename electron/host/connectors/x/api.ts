import http from 'node:http';
import { ApiResponseError, TwitterApi, type IClientSettings, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { Message } from '../../../../shared/model.js';
import { messageKey, searchStream } from '../../../../shared/model.js';
import type { Channel, SavedSearch } from '../../../../shared/model.js';
import { walkStream, type WalkSpec } from '../../walk.js';
import { decodeXText, isSummoned, mapDmEvents, mapTweets, maxId, idValue, type MapOptions, type OwnAccount, type XDmEvent, type XPage, type XTweet } from './mapping.js';

/** Media upload lives in xMedia.ts; re-exported for existing callers. */
export { uploadXMedia, XMediaFailed } from './media.js';

export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'dm.read', 'dm.write', 'offline.access', 'media.write'];

const TWEET_FIELDS = ['author_id', 'conversation_id', 'created_at', 'in_reply_to_user_id', 'referenced_tweets', 'lang', 'entities'];
const USER_FIELDS = ['username', 'name', 'verified', 'public_metrics', 'profile_image_url', 'description'];
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * twitter-api-v2 hard-codes https://api.x.com, https://upload.x.com and
 * https://x.com. A plugin rewrites them to a configured base (the sandbox or any
 * compatible server); the library always calls https.request, so a plain
 * http.Agent is needed for an http: base (twitter-api-v2 1.29, its request handler).
 */
export function xClientSettings(apiUrl: string | undefined): Partial<IClientSettings> {
  if (!apiUrl) return {};
  const base = apiUrl.replace(/\/+$/, '');
  const plugin: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      // The library picks the body encoding from the final URL, and under a prefix
      // it would send v2 JSON endpoints as a form. Pin JSON for them (not for OAuth).
      if (/^https:\/\/api\.x\.com\/2\/(?!oauth2\/)/.test(params.url) && params.method !== 'GET') params.forceBodyMode ??= 'json';
      params.url = rewriteXUrl(params.url, base);
    },
  };
  const settings: Partial<IClientSettings> = { plugins: [plugin] };
  if (base.startsWith('http:')) settings.httpAgent = new http.Agent({ keepAlive: true });
  return settings;
}

export function rewriteXUrl(url: string, base: string | undefined): string {
  if (!base) return url;
  return url.replace(/^https:\/\/(api\.|upload\.)?x\.com/, base.replace(/\/+$/, ''));
}

export interface XTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms, computed from local receipt time, never from the server's clock. */
  expiresAt: number;
  scope: string[];
}

export type { RateInfo } from '../types.js';

export class ReconnectNeeded extends Error {
  constructor(readonly reason: string) {
    super(`reconnect needed: ${reason}`);
  }
}

export interface XSessionOptions {
  clientId: string;
  apiUrl?: string;
  tokens: XTokens;
  /** Persists a new token pair; awaited before the pair is used (refresh tokens are single use). */
  save: (t: XTokens) => Promise<void>;
  now?: () => number;
  /** Per request; a request without an answer by then counts as a timeout. */
  timeoutMs?: number;
  /**
   * Team mode: several consoles hold this account's tokens, and a refresh token is
   * single use. The guard runs each refresh where the stored pair is locked: it
   * returns the pair a colleague's console already refreshed (no call to X), or
   * calls `exchange` with the stored refresh token and keeps the new pair in the
   * same transaction. `save` is then not called.
   */
  refreshGuard?: RefreshGuard;
}

/** `held`: the pair this session has; `exchange`: the refresh call to X. Returns the pair to use. */
export type RefreshGuard = (held: XTokens, exchange: (refreshToken: string) => Promise<XTokens>) => Promise<XTokens>;

/**
 * One signed-in X account. Refreshes are single-flight: X refresh tokens rotate
 * and are single use, so two concurrent refreshes would log the account out
 * (docs.x.com, OAuth 2.0: a refresh token is exchanged for a new pair). The new
 * pair is stored before it is used.
 */
export class XSession {
  private tokens: XTokens;
  private refreshing: Promise<XTokens> | null = null;
  private readonly settings: Partial<IClientSettings>;
  private readonly now: () => number;
  private dead: string | null = null;

  constructor(private readonly opts: XSessionOptions) {
    this.tokens = opts.tokens;
    this.settings = xClientSettings(opts.apiUrl);
    this.now = opts.now ?? Date.now;
  }

  get timeoutMs(): number {
    return this.opts.timeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  get grantedScopes(): string[] {
    return this.tokens.scope;
  }

  get expiresAt(): number {
    return this.tokens.expiresAt;
  }

  /** Why the session cannot go on without the person signing in again, if so. */
  get deadReason(): string | null {
    return this.dead;
  }

  private async freshTokens(force: boolean): Promise<XTokens> {
    if (this.dead) throw new ReconnectNeeded(this.dead);
    if (!force && this.tokens.expiresAt - 60_000 > this.now()) return this.tokens;
    if (!this.tokens.refreshToken) throw this.kill('access token expired and no refresh token');
    this.refreshing ??= this.refresh(this.tokens.refreshToken).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refresh(refreshToken: string): Promise<XTokens> {
    const guard = this.opts.refreshGuard;
    if (guard) {
      const next = await guard(this.tokens, (rt) => this.exchange(rt));
      this.tokens = next;
      return next;
    }
    const next = await this.exchange(refreshToken);
    await this.opts.save(next);
    this.tokens = next;
    return next;
  }

  /** One refresh call to X: the new pair, or the session dies when X refuses the refresh token. */
  private async exchange(refreshToken: string): Promise<XTokens> {
    const auth = new TwitterApi({ clientId: this.opts.clientId }, this.settings);
    let res;
    try {
      res = await auth.refreshOAuth2Token(refreshToken);
    } catch (e) {
      if (e instanceof ApiResponseError && e.code >= 400 && e.code < 500) throw this.kill('refresh token refused');
      throw e; // network trouble: keep the tokens, try again later
    }
    const next: XTokens = {
      accessToken: res.accessToken,
      refreshToken: res.refreshToken ?? refreshToken,
      expiresAt: this.now() + res.expiresIn * 1000,
      scope: res.scope ?? this.tokens.scope,
    };
    return next;
  }

  private kill(reason: string): ReconnectNeeded {
    this.dead = reason;
    return new ReconnectNeeded(reason);
  }

  /** Runs `fn` with a signed client; on a 401 it refreshes once and tries again. */
  async run<T>(fn: (client: TwitterApi) => Promise<T>): Promise<T> {
    const first = await this.freshTokens(false);
    try {
      return await fn(new TwitterApi(first.accessToken, this.settings));
    } catch (e) {
      if (!(e instanceof ApiResponseError) || e.code !== 401) throw e;
      if (!this.tokens.refreshToken) throw this.kill('access token refused');
      const again = await this.freshTokens(first.accessToken === this.tokens.accessToken);
      try {
        return await fn(new TwitterApi(again.accessToken, this.settings));
      } catch (e2) {
        if (e2 instanceof ApiResponseError && e2.code === 401) throw this.kill('access token refused after refresh');
        throw e2;
      }
    }
  }
}

/** X's rate windows are 15 minutes long. */
export const RATE_WINDOW_MS = 15 * 60_000;
/**
 * The longest wait a platform's own reset is honoured for: X also has 24-hour
 * limits (x-user-limit-24hour-reset, x-app-limit-24hour-reset), so a reset may be
 * hours away; one further out is taken as a wrong clock, not as a limit.
 */
export const MAX_WAIT_MS = 25 * 3600_000;

type Headers = Record<string, string | string[] | undefined> | undefined;

function header(headers: Headers, name: string): string | undefined {
  const v = headers?.[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * X's clock minus ours (ms), from the answer's HTTP Date header; undefined
 * without one. Resets are absolute times on X's clock: a local clock that is an
 * hour off must not make a stream wait an hour longer or shorter.
 */
export function serverSkewMs(headers: Headers, now: number): number | undefined {
  const date = header(headers, 'date');
  if (!date) return undefined;
  const at = Date.parse(date);
  return Number.isFinite(at) ? at - now : undefined;
}

/**
 * A reset (epoch seconds on X's clock) on our clock. With the server's Date
 * known it is honoured up to MAX_WAIT_MS; without it, no further than `cap`
 * (the window's own length): a skewed clock cannot be told from a long wait.
 */
export function localReset(resetSec: number, now: number, skew: number | undefined, cap: number): number {
  return Math.min(resetSec * 1000 - (skew ?? 0), now + (skew === undefined ? cap : MAX_WAIT_MS));
}

/** x-rate-limit-* as twitter-api-v2 parsed them, on our clock. */
export function rateOf(r: { limit: number; remaining: number; reset: number } | undefined, now: number, headers?: Headers): RateInfo | undefined {
  if (!r || !Number.isFinite(r.reset) || !Number.isFinite(r.remaining)) return undefined;
  return { limit: r.limit, remaining: r.remaining, resetAt: localReset(r.reset, now, serverSkewMs(headers, now), RATE_WINDOW_MS) };
}

/** A 24-hour limit (x-user-limit-24hour-* or x-app-limit-24hour-*) as the headers give it. */
export function dayLimitOf(headers: Headers, prefix: 'x-user-limit-24hour' | 'x-app-limit-24hour'): { limit: number; remaining: number; reset: number } | undefined {
  const remaining = Number(header(headers, `${prefix}-remaining`));
  const reset = Number(header(headers, `${prefix}-reset`));
  if (!Number.isFinite(remaining) || !Number.isFinite(reset) || header(headers, `${prefix}-reset`) === undefined) return undefined;
  return { limit: Number(header(headers, `${prefix}-limit`)), remaining, reset };
}

export type { Deliver, PollResult } from '../types.js';
import type { Deliver, PollResult, RateInfo } from '../types.js';

/** Pages one poll reads at most per stream kind, on top of the rate budget the platform reports. */
export const X_PAGE_CAP = { timeline: 25, search: 10, dms: 5 } as const;

/** Twitter's snowflake epoch: post and DM event ids carry their creation time. */
const TWEPOCH = 1288834974657n;

/** The creation time a snowflake id carries (epoch ms), or null for an id that is none. */
export function snowflakeTime(id: string | null | undefined): number | null {
  const v = idValue(id ?? undefined);
  if (v === null || v < 1n << 22n) return null;
  return Number((v >> 22n) + TWEPOCH);
}

/** The highest snowflake id made before `at` (epoch ms): as since_id, everything from `at` on. */
export function snowflakeBefore(at: number): string {
  return (((BigInt(Math.floor(at)) - TWEPOCH) << 22n) - 1n).toString();
}

/** The last rate window one endpoint reported, so a poll knows how many pages it may read. */
export class RateMemo {
  private rate: RateInfo | undefined;
  /** X's clock minus ours, as the last answer's Date header said (undefined until one did). */
  skew: number | undefined;
  constructor(private readonly now: () => number) {}
  noteClock(headers: Headers): void {
    this.skew = serverSkewMs(headers, this.now()) ?? this.skew;
  }
  note(r: RateInfo | undefined): void {
    if (r) this.rate = r;
  }
  get last(): RateInfo | undefined {
    return this.rate;
  }
  /** Requests left in the current window (Infinity when unknown or the window has passed). */
  left(): number {
    const r = this.rate;
    if (!r || r.resetAt <= this.now()) return Infinity;
    return r.remaining;
  }
}

function idMark() {
  return {
    isNew: (m: Message, floor: string | null) => floor === null || (idValue(m.platformId) ?? 0n) > BigInt(floor),
    advance: (mark: string | null, delivered: Message[]) => delivered.reduce<string | null>((acc, m) => maxId(acc ?? undefined, m.platformId) ?? acc, mark),
    lower: (a: string | null, b: string | null) => (a === null || b === null ? null : BigInt(a) < BigInt(b) ? a : b),
    timeOf: (mark: string | null) => snowflakeTime(mark),
    legacyMark: (cursor: string) => (idValue(cursor) === null ? null : cursor),
  };
}

/**
 * Mentions since the last one stored, to the end (delivered page by page).
 * X lists a post here because it mentions the account: it qualifies under the 2026 reply rule.
 */
export function pollMentions(session: XSession, account: OwnAccount, cursor: string | undefined, deliver: Deliver, now: () => number, memo = new RateMemo(now), limit?: () => number): Promise<PollResult> {
  return pollTimeline(session, account, `users/${account.platformUserId}/mentions`, cursor, (ms) => deliver(ms.map((m) => ({ ...m, summoned: true }))), now, memo, { limit, map: { foundBy: 'mentions' } });
}

/** X's longest recent-search query for self-serve and pay-per-use apps (the sandbox refuses longer ones the same way). */
export const X_QUERY_MAX = 512;

/**
 * The query a saved search sends: the agent's, without the posts the mentions
 * and own-posts streams read anyway (X's `-@handle` and `-from:handle` operators),
 * so a post is read and billed once. Left as typed when it names the account
 * itself (the agent asked for those posts) or when the exclusions would not fit
 * X's query length; what both streams then read is still stored once.
 */
export function searchQueryFor(query: string, handle: string | undefined): string {
  const h = handle?.replace(/[^\w]/g, '');
  if (!h) return query;
  const names = (op: string, negated: boolean) => new RegExp(`(?:^|[\\s(])${negated ? '-' : ''}${op}${h}(?!\\w)`, 'i').test(query);
  if (names('@', false) || names('from:', false) || names('to:', false)) return query;
  const missing = [names('@', true) ? '' : ` -@${h}`, names('from:', true) ? '' : ` -from:${h}`].join('');
  if (!missing) return query;
  const amended = `(${query})${missing}`;
  return amended.length <= X_QUERY_MAX ? amended : query;
}

/**
 * A saved keyword search (GET /2/tweets/search/recent, the agent's query with
 * what other streams read excluded, see searchQueryFor), delivered as channel
 * `x_search`; a hit that is a mention or our own post anyway gets the mention's
 * key. The first poll reads one small page only and each poll at most a few:
 * every result is billed ($0.005).
 */
export function pollSearch(session: XSession, account: OwnAccount, search: Pick<SavedSearch, 'id' | 'query'>, cursor: string | undefined, deliver: Deliver, now: () => number, memo = new RateMemo(now), share: () => number = () => 1, limit?: () => number): Promise<PollResult> {
  return pollTimeline(session, account, 'tweets/search/recent', cursor, deliver, now, memo, {
    map: { channel: 'x_search', searchId: search.id, foundBy: searchStream(search.id) },
    extra: { query: searchQueryFor(search.query, account.username) },
    firstPage: 25,
    cap: X_PAGE_CAP.search,
    share,
    window: SEARCH_WINDOW_MS,
    limit,
  });
}

/**
 * Recent search reaches back 7 days, and X refuses a since_id or until_id older
 * than that: 400 invalid-request with errors [{"parameters":{"since_id":[…]},
 * "message":"'since_id' must be a tweet id created after 2026-07-31T11:45Z. Please
 * use a 'since_id' that is larger than …"}] (the message as X's own sample code
 * github.com/xdevplatform/search-tweets-ruby expects it; sources in
 * electron/sandbox/README.md).
 */
export const SEARCH_WINDOW_MS = 7 * 24 * 3600_000;
/** How far inside the window a walk that lost its mark starts: our clock and X's may differ. */
const WINDOW_MARGIN_MS = 10 * 60_000;
/**
 * A quiet search's mark (no hit for a day) moves up to the poll's time, less what
 * X may still be indexing, so it never ages out of the window while it is polled.
 */
const QUIET_MARK_AGE_MS = 24 * 3600_000;
const INDEX_SLACK_MS = 10 * 60_000;

/**
 * The parameter of a 400 invalid-request that names since_id, until_id or
 * start_time (X lists the refused parameters in errors[].parameters), if any.
 */
function refusedParameter(e: unknown): 'since_id' | 'until_id' | 'start_time' | null {
  if (!(e instanceof ApiResponseError) || e.code !== 400) return null;
  const errors = (e.data as { errors?: { parameters?: Record<string, unknown> }[] } | undefined)?.errors;
  if (!Array.isArray(errors)) return null;
  const named = new Set(errors.flatMap((x) => Object.keys(x?.parameters ?? {})));
  for (const p of ['until_id', 'since_id', 'start_time'] as const) if (named.has(p)) return p;
  return null;
}

/**
 * The account's own posts, including replies made on x.com or from another
 * tool, so a message answered elsewhere shows as answered here.
 */
export function pollOwnPosts(session: XSession, account: OwnAccount, cursor: string | undefined, deliver: Deliver, now: () => number, memo = new RateMemo(now), limit?: () => number): Promise<PollResult> {
  return pollTimeline(session, account, `users/${account.platformUserId}/tweets`, cursor, deliver, now, memo, { limit, map: { foundBy: 'own' } });
}

interface TimelineOptions {
  map?: MapOptions;
  extra?: Record<string, string>;
  /** max_results of a first poll (no cursor yet). */
  firstPage?: number;
  cap?: number;
  /** Streams sharing the endpoint's budget (saved searches of one account). */
  share?: () => number;
  /** How far back the endpoint reaches (recent search: 7 days); ids older than that are refused. */
  window?: number;
  /** Pages this poll may read at most besides the rate budget (the account's page cap and spending budget). */
  limit?: () => number;
}

/** One request of a timeline walk: below `untilId` (exclusive), down to the walk's floor. */
interface TimelineReq {
  untilId?: string;
  first?: boolean;
}

/**
 * X pages newest first. The walk keeps since_id at the floor and steps down with
 * until_id (the oldest id of the page before), which, unlike a next_token, stays
 * meaningful while a gap waits for a later poll.
 *
 * With a window (recent search), a floor older than the window cannot be asked
 * for: the walk reads the whole window instead (start_time just inside it on the
 * first page; X refuses start_time next to until_id, and until_id alone covers
 * the window), the list's end leaves an unreachable gap from the old mark to
 * where the window begins ("older hits cannot be fetched"), and the mark moves
 * up to the window's start so the next poll asks with since_id again. The same
 * happens when X refuses the ids anyway (its clock and ours differ).
 */
function pollTimeline(session: XSession, account: OwnAccount, endpoint: string, cursor: string | undefined, deliver: Deliver, now: () => number, memo: RateMemo, opts: TimelineOptions = {}): Promise<PollResult> {
  const cap = opts.cap ?? X_PAGE_CAP.timeline;
  const ids = idMark();
  const read: { at: number; ids: string[] }[] = [];
  // Where this poll's mark may move up to once the top of the list was read (see above).
  let lift: string | null = null;
  const spec: WalkSpec<TimelineReq, string> = {
    ...ids,
    advance: (mark, delivered) => {
      const m = ids.advance(mark, delivered);
      return lift !== null && (m === null || BigInt(lift) > BigInt(m)) && mark !== null ? lift : m;
    },
    head: (mark) => (mark === null ? { first: true } : {}),
    pageBudget: () => Math.max(1, Math.min(cap, opts.limit?.() ?? cap, Math.floor((memo.left() - 1) / Math.max(1, opts.share?.() ?? 1)))),
    firstPollPages: 1,
    async fetch(req, floor) {
      // The window is on X's clock (ids carry X's time): ours, moved by what the last Date header said.
      let xNow = now() + (memo.skew ?? 0);
      let edge = opts.window === undefined ? null : xNow - opts.window + WINDOW_MARGIN_MS;
      const tooOld = (id: string) => edge !== null && (snowflakeTime(id) ?? Infinity) < edge;
      const perPage = req.first ? (opts.firstPage ?? 100) : 100;
      // Below the window: nothing there can be read any more.
      const beyond = () => ({ messages: [], more: [], endedEarly: true, skipped: 0, perPage });
      if (req.untilId && tooOld(req.untilId)) return beyond();
      const query: Record<string, string | number> = {
        ...opts.extra,
        max_results: perPage,
        'tweet.fields': TWEET_FIELDS.join(','),
        'user.fields': USER_FIELDS.join(','),
        expansions: 'author_id,referenced_tweets.id',
      };
      let lost = floor !== null && tooOld(floor);
      const readWindow = () => {
        delete query.since_id;
        lost = true;
        if (!req.untilId && edge !== null) query.start_time = new Date(edge).toISOString();
      };
      if (floor !== null) query.since_id = floor;
      if (req.untilId) query.until_id = req.untilId;
      if (lost) readWindow();
      let res;
      let askedAt = now();
      for (let attempt = 0; ; attempt++) {
        askedAt = now();
        try {
          res = await session.run((c) => c.v2.get<XPage<XTweet>>(endpoint, query, { fullResponse: true, timeout: session.timeoutMs }));
          break;
        } catch (e) {
          const refused = attempt < 2 && opts.window !== undefined ? refusedParameter(e) : null;
          if (refused && e instanceof ApiResponseError) {
            // Refused for its age: X's clock is not ours; its answer says by how much.
            memo.noteClock(e.headers);
            xNow = now() + (memo.skew ?? 0);
            edge = xNow - (opts.window ?? 0) + WINDOW_MARGIN_MS;
          }
          if (refused === 'until_id' && query.until_id !== undefined) return beyond();
          if (refused === 'since_id' && query.since_id !== undefined) readWindow();
          // Our clock is further off than the margin: X's own default is its 7 days.
          else if (refused === 'start_time' && query.start_time !== undefined) delete query.start_time;
          else throw e;
        }
      }
      const rate = rateOf(res.rateLimit, now(), res.headers);
      memo.note(rate);
      memo.noteClock(res.headers);
      const body = (res.data ?? {}) as XPage<XTweet>;
      const mapped = mapTweets(body, account, now(), opts.map);
      let oldest: string | undefined;
      const page: string[] = [];
      for (const p of body.data ?? []) {
        if (idValue(p?.id) === null) continue;
        page.push(p.id);
        if (oldest === undefined || BigInt(p.id) < BigInt(oldest)) oldest = p.id;
      }
      read.push({ at: askedAt, ids: page });
      const next = body.meta?.next_token;
      const more = next && oldest && !req.first ? [{ untilId: oldest }] : [];
      if (!req.untilId && opts.window !== undefined) {
        // The top of the list was read: everything from the window's start (lost mark) or up to a
        // little before now (a quiet search) is known, so the mark may move up that far.
        const markTime = snowflakeTime(floor);
        if (lost && edge !== null) lift = snowflakeBefore(edge);
        else if (floor !== null && markTime !== null && markTime < xNow - QUIET_MARK_AGE_MS) lift = snowflakeBefore(xNow - INDEX_SLACK_MS);
      }
      // Without a floor to stop at, the list's end is the window's start: what lay below is out of reach.
      const endedEarly = lost && !next;
      return { messages: mapped.messages, more, endedEarly, skipped: mapped.skipped, rate, perPage };
    },
  };
  return walkStream(spec, cursor, deliver, now).then((r) => ({ ...r, read }));
}

/** One request of a DM walk: a page position X gave (DM events have no since_id), and how many to ask for. */
interface DmReq {
  token?: string;
  /** max_results; absent in gaps stored before sizes were (a full page). */
  size?: number;
}

/** GET /2/dm_events takes max_results 1-100 (OpenAPI, default 100). */
const DM_PAGE = 100;
const DM_PROBE = 1;
/** After a probe that found something new, pages grow by this factor up to DM_PAGE. */
const DM_GROWTH = 10;

/**
 * DM events have no since_id: page newest first and stop at the first event at
 * or below the floor. X serves the last 30 days only: a list that ends before
 * the floor leaves an unreachable gap, shown, never a silent skip.
 *
 * X bills every DM event returned ($0.010), once per UTC day: a poll that read a
 * full page each time would pay for up to 100 old events every day. So a poll
 * first asks for the newest event only and reads on, in pages of 10 and then
 * 100, only when that one is new: an idle inbox costs one event a day.
 */
export function pollDms(session: XSession, account: OwnAccount, cursor: string | undefined, deliver: Deliver, now: () => number, memo = new RateMemo(now), limit?: () => number): Promise<PollResult> {
  const read: { at: number; ids: string[] }[] = [];
  const spec: WalkSpec<DmReq, string> = {
    ...idMark(),
    // The very first poll reads one full page (what is there before the console); later ones probe.
    head: (mark) => ({ size: mark === null ? DM_PAGE : DM_PROBE }),
    pageBudget: () => Math.max(1, Math.min(X_PAGE_CAP.dms, limit?.() ?? X_PAGE_CAP.dms, memo.left())),
    firstPollPages: 1,
    async fetch(req, floor) {
      const size = req.size ?? DM_PAGE;
      const query: Record<string, string | number> = {
        max_results: size,
        'dm_event.fields': 'id,text,event_type,created_at,dm_conversation_id,sender_id,participant_ids,referenced_tweets,attachments',
        event_types: 'MessageCreate',
        expansions: 'sender_id',
        'user.fields': USER_FIELDS.join(','),
      };
      if (req.token) query.pagination_token = req.token;
      const askedAt = now();
      const res = await session.run((c) => c.v2.get<XPage<XDmEvent>>('dm_events', query, { fullResponse: true, timeout: session.timeoutMs }));
      const rate = rateOf(res.rateLimit, now(), res.headers);
      memo.note(rate);
      const body = (res.data ?? {}) as XPage<XDmEvent>;
      read.push({ at: askedAt, ids: (body.data ?? []).filter((ev) => typeof ev?.id === 'string' && idValue(ev.id) !== null).map((ev) => ev.id) });
      const mapped = mapDmEvents(body, account, now());
      const f = idValue(floor ?? undefined);
      const reachedKnown = f !== null && (body.data ?? []).some((ev) => (idValue(ev?.id) ?? 0n) <= f);
      const next = body.meta?.next_token;
      const more = !reachedKnown && next && next !== req.token ? [{ token: next, size: Math.min(DM_PAGE, size * DM_GROWTH) }] : [];
      // The list ended above the floor: what lay between is past X's 30 days.
      const endedEarly = f !== null && !reachedKnown && !next;
      // What a request still queued may hold: they are full pages after the first two.
      return { messages: mapped.messages, more, endedEarly, skipped: mapped.skipped, rate, perPage: DM_PAGE };
    },
  };
  return walkStream(spec, cursor, deliver, now).then((r) => ({ ...r, read }));
}

export interface OwnProfile {
  id: string;
  name: string;
  username: string;
  avatarUrl?: string;
}

export interface XReplyOptions {
  /** The thread's channel: a reply to a search hit stays in the search's thread. */
  channel?: Extract<Channel, 'x_mention' | 'x_search'>;
  searchId?: string;
  /** Uploaded media ids (POST /2/media/upload), up to 4. */
  mediaIds?: string[];
}

export async function sendXReply(session: XSession, account: OwnAccount & { profile: OwnProfile }, conversationId: string, inReplyToId: string, text: string, now: number, opts: XReplyOptions = {}): Promise<Message> {
  const channel = opts.channel ?? 'x_mention';
  const body: Record<string, unknown> = { reply: { in_reply_to_tweet_id: inReplyToId } };
  if (text) body.text = text;
  if (opts.mediaIds?.length) body.media = { media_ids: opts.mediaIds };
  const res = await session.run((c) => c.v2.post<{ data: { id: string; text?: string } }>('tweets', body, { timeout: session.timeoutMs }));
  const id = res?.data?.id;
  if (idValue(id) === null) throw new Error('X answered without a post id');
  return {
    ...(opts.searchId ? { searchId: opts.searchId } : {}),
    ...(opts.mediaIds?.length ? { mediaCount: opts.mediaIds.length } : {}),
    key: messageKey(channel, id),
    platformId: id,
    channel,
    accountId: account.id,
    conversationId,
    inReplyToId,
    author: { id: account.platformUserId, name: account.profile.name, handle: account.profile.username, avatarUrl: account.profile.avatarUrl },
    text: typeof res.data.text === 'string' ? decodeXText(res.data.text) : text,
    createdAt: now,
    url: `https://x.com/${encodeURIComponent(account.profile.username)}/status/${id}`,
    fromUs: true,
  };
}

export async function sendXDm(session: XSession, account: OwnAccount & { profile: OwnProfile }, recipientId: string, text: string, now: number, mediaId?: string): Promise<Message> {
  const body: Record<string, unknown> = {};
  if (text) body.text = text;
  if (mediaId) body.attachments = [{ media_id: mediaId }];
  const res = await session.run((c) =>
    c.v2.post<{ data: { dm_conversation_id: string; dm_event_id: string } }>(`dm_conversations/with/${encodeURIComponent(recipientId)}/messages`, body, { timeout: session.timeoutMs }),
  );
  const id = res?.data?.dm_event_id;
  if (!id) throw new Error('X answered without a DM event id');
  const conv = res.data.dm_conversation_id || `dm-${recipientId}`;
  return {
    ...(mediaId ? { mediaCount: 1 } : {}),
    key: messageKey('x_dm', id),
    platformId: id,
    channel: 'x_dm',
    accountId: account.id,
    conversationId: conv,
    author: { id: account.platformUserId, name: account.profile.name, handle: account.profile.username, avatarUrl: account.profile.avatarUrl },
    text,
    createdAt: now,
    url: `https://x.com/messages/${encodeURIComponent(conv)}`,
    fromUs: true,
  };
}

export async function fetchXProfile(session: XSession): Promise<OwnProfile> {
  const me = await session.run((c) => c.v2.get<{ data: { id: string; name: string; username: string; profile_image_url?: string } }>('users/me', { 'user.fields': 'profile_image_url' }, { timeout: session.timeoutMs }));
  if (!me?.data?.id) throw new Error('X did not say who this account is');
  return { id: me.data.id, name: me.data.name, username: me.data.username, avatarUrl: me.data.profile_image_url };
}

/** Our reply to `inReplyToId` with this text since `since`, for reconciling after an ambiguous send. */
export async function findXReply(
  session: XSession,
  account: OwnAccount & { profile: OwnProfile },
  inReplyToId: string,
  matches: (text: string) => boolean,
  since: number,
  exclude: ReadonlySet<string>,
  now: number,
): Promise<Message | null> {
  const res = await session.run((c) =>
    c.v2.get<XPage<XTweet>>(
      `users/${account.platformUserId}/tweets`,
      { start_time: new Date(since).toISOString(), max_results: 100, 'tweet.fields': TWEET_FIELDS.join(',') },
      { timeout: session.timeoutMs },
    ),
  );
  const { messages } = mapTweets({ ...res, includes: { users: [{ id: account.platformUserId, name: account.profile.name, username: account.profile.username }] } }, account, now);
  return messages.find((m) => m.fromUs && m.inReplyToId === inReplyToId && matches(m.text) && !exclude.has(m.key)) ?? null;
}

/** A rate limit known before the request: the platform said so in its last answer. */
export class RateLimitedUntil extends Error {
  constructor(readonly resetAt: number) {
    super('rate limited until ' + new Date(resetAt).toISOString());
  }
}

/**
 * Our DM to `recipientId` with this text since `since`. The cheapest look: only
 * that person's conversation (GET /2/dm_conversations/with/:participant_id/dm_events,
 * its own 15-per-15-minutes window, so checking never spends the inbox poll's
 * budget), and not at all while that window is spent.
 */
export async function findXDm(session: XSession, account: OwnAccount, recipientId: string, matches: (text: string) => boolean, since: number, exclude: ReadonlySet<string>, now: number, memo?: RateMemo): Promise<Message | null> {
  if (memo && memo.left() <= 0 && memo.last) throw new RateLimitedUntil(memo.last.resetAt);
  let res;
  try {
    res = await session.run((c) =>
      c.v2.get<XPage<XDmEvent>>(
        `dm_conversations/with/${encodeURIComponent(recipientId)}/dm_events`,
        { max_results: 50, event_types: 'MessageCreate', 'dm_event.fields': 'id,text,event_type,created_at,dm_conversation_id,sender_id,participant_ids' },
        { fullResponse: true, timeout: session.timeoutMs },
      ),
    );
  } catch (e) {
    if (e instanceof ApiResponseError && e.code === 429) memo?.note(rateOf(e.rateLimit, now, e.headers) ?? { limit: 15, remaining: 0, resetAt: now + RATE_WINDOW_MS });
    throw e;
  }
  memo?.note(rateOf(res.rateLimit, now, res.headers));
  const body = (res.data ?? {}) as XPage<XDmEvent>;
  const { messages } = mapDmEvents(body, account, now);
  return messages.find((m) => m.fromUs && m.createdAt >= since && matches(m.text) && !exclude.has(m.key)) ?? null;
}

/** Delete one of our own posts (a reply). */
export async function deleteXPost(session: XSession, id: string): Promise<void> {
  await session.run((c) => c.v2.delete(`tweets/${encodeURIComponent(id)}`, undefined, { timeout: session.timeoutMs }));
}

/**
 * Whether X's 2026 rule lets this account reply to a post (it @mentions or quotes
 * the account, or is our own). One lookup (GET /2/tweets/:id); null when the
 * post cannot be read (gone: the send will say so).
 */
export async function checkSummoned(session: XSession, account: OwnAccount, postId: string): Promise<boolean | null> {
  const res = await session.run((c) =>
    c.v2.get<{ data?: XTweet; includes?: { tweets?: XTweet[] } }>(
      `tweets/${encodeURIComponent(postId)}`,
      { 'tweet.fields': 'author_id,entities,referenced_tweets', expansions: 'referenced_tweets.id' },
      { timeout: session.timeoutMs },
    ),
  );
  const t = res?.data;
  if (!t || typeof t.id !== 'string') return null;
  const included = new Map((res.includes?.tweets ?? []).map((q) => [q.id, q]));
  return isSummoned(t, account, (id) => included.get(id)?.author_id);
}
