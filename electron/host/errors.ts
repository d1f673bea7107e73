import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import type { AppError } from '../../shared/contract.js';
import { GraphError, regainAccessMs } from './connectors/facebook/graph.js';
import { dayLimitOf, localReset, MAX_WAIT_MS, RATE_WINDOW_MS, RateLimitedUntil, ReconnectNeeded, serverSkewMs } from './connectors/x/api.js';
import { XMediaFailed } from './connectors/x/media.js';

/**
 * What a platform failure means, for the person (an AppError kind the UI
 * explains) and for the poller (wait until a time, back off, or stop and ask
 * for a reconnect).
 */
export interface Classified {
  error: AppError;
  /** For the poller: when to try again at the earliest (epoch ms), if the platform said. */
  retryAt?: number;
  action: 'backoff' | 'waitUntil' | 'reconnect' | 'stop';
  /** True when a POST may have been carried out although no success came back. */
  ambiguous: boolean;
}

/**
 * Every Graph throttling code (Meta, "Rate Limits",
 * https://developers.facebook.com/docs/graph-api/overview/rate-limiting, and the
 * error tables of the Graph reference pages): 4 application, 17 user, 32 Page
 * (user tokens), 613 custom; Business Use Case limits 80000 ads insights, 80001
 * Pages, 80002 Instagram, 80003 custom audiences, 80004 ads management, 80005
 * LeadGen, 80006 Messenger ("There have been too many messenger api calls to
 * this Page account"; 200 × the people the Page can message per rolling 24 h),
 * 80007 and 80008 WhatsApp Business, 80009 catalog management, 80014 catalog batch.
 */
export const GRAPH_THROTTLE: ReadonlySet<number> = new Set([4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80007, 80008, 80009, 80014]);

export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return now + Math.min(Number(trimmed), 24 * 3600) * 1000;
  // Only an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse would also take "-1" as a year.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? at : undefined;
}

/** How often a stream whose X credits are used up tries again: a top-up is noticed within this. */
export const CREDITS_RETRY_MS = 15 * 60_000;

/**
 * An X 429: wait for the reset the platform names. A spent 24-hour limit
 * (x-user-limit-24hour-*, x-app-limit-24hour-*, e.g. posts per day) outlasts the
 * 15-minute window, so its reset wins, even hours away (up to MAX_WAIT_MS).
 * Otherwise the earliest of x-rate-limit-reset and Retry-After. Resets are read
 * on X's clock and moved to ours with the answer's Date header.
 */
function rateLimitedX(e: ApiResponseError, now: number): Omit<Classified, 'ambiguous'> {
  const skew = serverSkewMs(e.headers, now);
  const day = [e.rateLimit?.userDay ?? dayLimitOf(e.headers, 'x-user-limit-24hour'), e.rateLimit?.day ?? dayLimitOf(e.headers, 'x-app-limit-24hour')]
    .filter((l): l is { limit: number; remaining: number; reset: number } => l !== undefined && l.remaining <= 0 && Number.isFinite(l.reset))
    .map((l) => localReset(l.reset, now, skew, MAX_WAIT_MS))
    .filter((t) => t > now);
  let retryAt: number | undefined;
  if (day.length) retryAt = Math.max(...day);
  else {
    const reset = e.rateLimit?.reset ? localReset(e.rateLimit.reset, now, skew, RATE_WINDOW_MS) : undefined;
    const after = parseRetryAfter(headerOf(e.headers, 'retry-after'), now);
    retryAt = [reset, after === undefined ? undefined : Math.min(after, now + MAX_WAIT_MS)].filter((t): t is number => typeof t === 'number' && t > now).sort((a, b) => a - b)[0];
  }
  return { error: { kind: 'rateLimited', resetAt: retryAt }, retryAt, action: retryAt ? 'waitUntil' : 'backoff' };
}

export function classify(e: unknown, now: number): Classified {
  if (e instanceof ReconnectNeeded) return { error: { kind: 'reconnectNeeded' }, action: 'reconnect', ambiguous: false };
  // X could not process an upload: the reply was never posted.
  if (e instanceof XMediaFailed) return { error: { kind: 'mediaFailed', ...(e.timedOut ? { timedOut: true } : {}) }, action: 'stop', ambiguous: false };
  if (e instanceof RateLimitedUntil) return { error: { kind: 'rateLimited', resetAt: e.resetAt }, retryAt: e.resetAt, action: 'waitUntil', ambiguous: false };
  if (e instanceof ApiResponseError) {
    const status = e.code;
    const data = e.data as { type?: string; detail?: string; title?: string } | undefined;
    const detail = data?.detail ?? data?.title ?? e.message;
    if (status === 429) {
      if (typeof data?.type === 'string' && data.type.includes('usage-capped')) {
        return { error: { kind: 'rateLimited' }, action: 'stop', ambiguous: false };
      }
      return { ...rateLimitedX(e, now), ambiguous: false };
    }
    // Pay-per-use without credits: HTTP 402 {"title":"Payment Required","detail":"credits depleted",
    // "type":"https://api.x.com/2/problems/credits-depleted"}, as developers have reported it (sources
    // in electron/sandbox/README.md). Every request is refused until the owner adds credits (docs.x.com,
    // pay-per-usage pricing: "API requests will be blocked until you add credits"); nothing says when,
    // so try again on a slow schedule, never asking for a reconnect. Nothing was carried out.
    if (status === 402) return { error: { kind: 'creditsDepleted' }, retryAt: now + CREDITS_RETRY_MS, action: 'waitUntil', ambiguous: false };
    if (status === 401) return { error: { kind: 'reconnectNeeded' }, action: 'reconnect', ambiguous: false };
    if (status === 403 && /duplicate content/i.test(detail)) return { error: { kind: 'duplicate' }, action: 'stop', ambiguous: true };
    if (status === 403 && /deleted or not visible/i.test(detail)) return { error: { kind: 'targetGone' }, action: 'stop', ambiguous: false };
    // The 2026 self-serve reply rule (wording of X's detail unverified; matched loosely).
    if (status === 403 && /repl/i.test(detail) && /(mention|quot|summon)/i.test(detail)) return { error: { kind: 'replyRestricted' }, action: 'stop', ambiguous: false };
    if (status === 403) return { error: { kind: 'notAllowed' }, action: 'stop', ambiguous: false };
    if (status === 404) return { error: { kind: 'targetGone' }, action: 'stop', ambiguous: false };
    if (status >= 500) return { error: { kind: 'platform', status, detail }, action: 'backoff', ambiguous: true };
    return { error: { kind: 'platform', status, detail }, action: 'stop', ambiguous: false };
  }
  if (e instanceof ApiPartialResponseError) {
    return { error: { kind: 'platform', detail: 'incomplete response' }, action: 'backoff', ambiguous: true };
  }
  if (e instanceof ApiRequestError) {
    // twitter-api-v2 1.29 stores the cause as `error` but its `requestError` getter reads another key.
    const cause = (e.requestError ?? (e as unknown as { _options?: { error?: unknown } })._options?.error) as NodeJS.ErrnoException | undefined;
    const code = cause?.code;
    // Refused or unresolved: the request never left. Anything else may have been carried out.
    const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
    return { error: { kind: 'offline' }, action: 'backoff', ambiguous: !neverSent };
  }
  if (e instanceof GraphError) {
    const f = e.failure;
    if (f.type === 'timeout' || f.type === 'network') return { error: { kind: 'offline' }, action: 'backoff', ambiguous: true };
    if (f.type === 'malformed') return { error: { kind: 'platform', status: f.status, detail: 'malformed response' }, action: 'backoff', ambiguous: true };
    const { code, subcode } = f;
    if (code === 190 || code === 102) return { error: { kind: 'reconnectNeeded' }, action: 'reconnect', ambiguous: false };
    if (code === 10 && subcode === 2018278) return { error: { kind: 'windowClosed' }, action: 'stop', ambiguous: false };
    // Private replies: one per comment (10900), within 7 days (10903).
    if (code === 10900) return { error: { kind: 'notAllowed' }, action: 'stop', ambiguous: false };
    if (code === 10903) return { error: { kind: 'windowClosed' }, action: 'stop', ambiguous: false };
    if (code !== undefined && GRAPH_THROTTLE.has(code)) {
      // Meta names the wait in the usage headers (estimated_time_to_regain_access): wait exactly that long.
      const wait = regainAccessMs(e.usage);
      if (wait === undefined) return { error: { kind: 'rateLimited', throttled: true }, action: 'backoff', ambiguous: false };
      return { error: { kind: 'rateLimited', resetAt: now + wait, throttled: true }, retryAt: now + wait, action: 'waitUntil', ambiguous: false };
    }
    if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
      return { error: { kind: 'permissionMissing' }, action: 'stop', ambiguous: false };
    }
    if (code === 506) return { error: { kind: 'duplicate' }, action: 'stop', ambiguous: true };
    if (code === 100 && /does not exist|cannot be loaded/i.test(f.message)) return { error: { kind: 'targetGone' }, action: 'stop', ambiguous: false };
    if (code === 1 || code === 2 || f.status >= 500) return { error: { kind: 'platform', status: f.status, detail: f.message }, action: 'backoff', ambiguous: true };
    return { error: { kind: 'platform', status: f.status, detail: f.message }, action: 'stop', ambiguous: false };
  }
  const name = (e as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { error: { kind: 'offline' }, action: 'backoff', ambiguous: true };
  return { error: { kind: 'platform', detail: String((e as Error | undefined)?.message ?? e) }, action: 'backoff', ambiguous: true };
}

function headerOf(headers: Record<string, string | string[] | undefined> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return Array.isArray(v) ? v[0] : v;
}
