import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import type { AppError } from '../../shared/contract.js';
import { GraphError } from './graph.js';
import { RateLimitedUntil, ReconnectNeeded } from './x.js';

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

const GRAPH_THROTTLE = new Set([4, 17, 32, 613, 80001, 80004]);

export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return now + Math.min(Number(trimmed), 24 * 3600) * 1000;
  // Only an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse would also take "-1" as a year.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? at : undefined;
}

export function classify(e: unknown, now: number): Classified {
  if (e instanceof ReconnectNeeded) return { error: { kind: 'reconnectNeeded' }, action: 'reconnect', ambiguous: false };
  if (e instanceof RateLimitedUntil) return { error: { kind: 'rateLimited', resetAt: e.resetAt }, retryAt: e.resetAt, action: 'waitUntil', ambiguous: false };
  if (e instanceof ApiResponseError) {
    const status = e.code;
    const data = e.data as { type?: string; detail?: string; title?: string } | undefined;
    const detail = data?.detail ?? data?.title ?? e.message;
    if (status === 429) {
      if (typeof data?.type === 'string' && data.type.includes('usage-capped')) {
        return { error: { kind: 'rateLimited' }, action: 'stop', ambiguous: false };
      }
      // Both are the server's clock; never wait longer than one 15-minute window for either.
      const cap = now + 15 * 60_000;
      const reset = e.rateLimit?.reset ? Math.min(e.rateLimit.reset * 1000, cap) : undefined;
      const retryAfter = parseRetryAfter(headerOf(e.headers, 'retry-after'), now);
      const retryAt = [reset, retryAfter === undefined ? undefined : Math.min(retryAfter, cap)]
        .filter((t): t is number => typeof t === 'number' && t > now)
        .sort((a, b) => a - b)[0];
      return { error: { kind: 'rateLimited', resetAt: retryAt }, retryAt, action: retryAt ? 'waitUntil' : 'backoff', ambiguous: false };
    }
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
    if (code !== undefined && GRAPH_THROTTLE.has(code)) return { error: { kind: 'rateLimited' }, action: 'backoff', ambiguous: false };
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
