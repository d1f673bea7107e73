import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { html, isRecord, json, type Resp } from './http.js';
import { GRAPH_BUC_ERRORS } from './limits.js';
import { SANDBOX_BRAND } from './world.js';

/**
 * Forced failures for tests. A rule matches a request path by prefix (query
 * excluded) and optionally its method, fires `times` times (0 = until cleared)
 * and never touches /__sandbox itself.
 */
export type Fault =
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { type: 'rateLimit'; resetInSeconds?: number | null; retryAfter?: string; code?: number; day?: 'user' | 'app' }
  | { type: 'usageCapped' }
  | { type: 'creditsDepleted' }
  | { type: 'timeout' }
  | { type: 'reset' }
  | { type: 'malformed' }
  | { type: 'html'; status?: number }
  | { type: 'revoked' }
  | { type: 'commitThen'; then: 'timeout' | 'reset' | 'status'; status?: number; body?: unknown; headers?: Record<string, string> };

export interface FaultRule {
  id: string;
  method?: string;
  path: string;
  times: number;
  /** Infinity when times is 0. */
  left: number;
  /** Matching requests still let through before the fault starts (the second of two calls to one path). */
  skip: number;
  hits: number;
  fault: Fault;
}

/** What the server does with the socket: answer, hold it open, or drop it. */
export type Outcome = { kind: 'respond'; resp: Resp } | { kind: 'timeout' } | { kind: 'reset' };

function headerRecord(v: unknown): Record<string, string> | undefined | false {
  if (v === undefined) return undefined;
  if (!isRecord(v)) return false;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(k) || /[\r\n]/.test(val)) return false;
    out[k.toLowerCase()] = val;
  }
  return out;
}

function validStatus(s: unknown): s is number {
  return typeof s === 'number' && Number.isInteger(s) && s >= 200 && s <= 599;
}

/** Checks a fault as posted to /__sandbox/faults; returns an error message or the fault. */
export function parseFault(v: unknown): Fault | string {
  if (!isRecord(v) || typeof v.type !== 'string') return 'fault.type is required';
  switch (v.type) {
    case 'status': {
      if (!validStatus(v.status)) return 'fault.status must be an HTTP status 200-599';
      const headers = headerRecord(v.headers);
      if (headers === false) return 'fault.headers must map header names to strings';
      return { type: 'status', status: v.status, body: v.body, headers };
    }
    case 'rateLimit': {
      const r = v.resetInSeconds;
      if (r !== undefined && r !== null && (typeof r !== 'number' || !Number.isFinite(r))) return 'fault.resetInSeconds must be a number or null';
      if (v.retryAfter !== undefined && (typeof v.retryAfter !== 'string' || /[\r\n]/.test(v.retryAfter))) return 'fault.retryAfter must be a string';
      if (v.code !== undefined && !(typeof v.code === 'number' && v.code in GRAPH_BUC_ERRORS)) return `fault.code must be a Graph throttling code: ${Object.keys(GRAPH_BUC_ERRORS).join(', ')}`;
      if (v.day !== undefined && v.day !== 'user' && v.day !== 'app') return "fault.day must be 'user' or 'app'";
      return {
        type: 'rateLimit',
        resetInSeconds: r as number | null | undefined,
        retryAfter: v.retryAfter as string | undefined,
        ...(v.code !== undefined ? { code: v.code as number } : {}),
        ...(v.day !== undefined ? { day: v.day } : {}),
      };
    }
    case 'usageCapped':
    case 'creditsDepleted':
    case 'timeout':
    case 'reset':
    case 'malformed':
    case 'revoked':
      return { type: v.type };
    case 'html':
      if (v.status !== undefined && !validStatus(v.status)) return 'fault.status must be an HTTP status 200-599';
      return { type: 'html', status: v.status as number | undefined };
    case 'commitThen': {
      if (v.then !== 'timeout' && v.then !== 'reset' && v.then !== 'status') return "fault.then must be 'timeout', 'reset' or 'status'";
      if (v.status !== undefined && !validStatus(v.status)) return 'fault.status must be an HTTP status 200-599';
      const headers = headerRecord(v.headers);
      if (headers === false) return 'fault.headers must map header names to strings';
      return { type: 'commitThen', then: v.then, status: v.status as number | undefined, body: v.body, headers };
    }
    default:
      return `unknown fault.type ${JSON.stringify(v.type).slice(0, 40)}`;
  }
}

export class Faults {
  private rules: FaultRule[] = [];
  private seq = 0;

  add(path: string, method: string | undefined, times: number, fault: Fault, skip = 0): FaultRule {
    const rule: FaultRule = { id: `f${++this.seq}`, path, method: method?.toUpperCase(), times, left: times === 0 ? Infinity : times, skip, hits: 0, fault };
    this.rules.push(rule);
    return rule;
  }

  /** The first live rule for this request; using it counts as one of its `times`. */
  take(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find((r) => r.left > 0 && (!r.method || r.method === method) && path.startsWith(r.path));
    if (!rule) return undefined;
    if (rule.skip > 0) {
      rule.skip--;
      return undefined;
    }
    rule.left--;
    rule.hits++;
    if (rule.left <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): (Omit<FaultRule, 'left'> & { remaining: number | null })[] {
    return this.rules.map(({ left, ...r }) => ({ ...r, remaining: Number.isFinite(left) ? left : null }));
  }
}

export function fbtraceId(): string {
  return randomBytes(8).toString('base64').replace(/[^A-Za-z0-9]/g, 'A').slice(0, 11);
}

function defaultBody(platform: 'x' | 'graph', status: number): unknown {
  const title = STATUS_CODES[status] ?? 'Error';
  if (platform === 'x') return { title, detail: title, type: 'about:blank', status };
  return {
    error: status >= 500
      ? { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', is_transient: true, code: 2, fbtrace_id: fbtraceId() }
      : { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, fbtrace_id: fbtraceId() },
  };
}

function statusResp(platform: 'x' | 'graph', status: number, body: unknown, headers: Record<string, string> | undefined): Resp {
  if (typeof body === 'string') return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body };
  return json(status, body === undefined ? defaultBody(platform, status) : body, headers);
}

/** The proxy page a corporate proxy or CDN shows instead of JSON. */
function proxyPage(status: number): Resp {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return html(status, `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
}

export const X_UNAUTHORIZED = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
export const X_TOO_MANY = { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 };
/** Pay-per-use with the app's credits used up, as developers reported it (sources in README.md). */
export const X_CREDITS_DEPLETED = { title: 'Payment Required', detail: 'credits depleted', type: 'https://api.x.com/2/problems/credits-depleted' };

export function graphRevokedBody(): unknown {
  return {
    error: {
      message: 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
      type: 'OAuthException',
      code: 190,
      error_subcode: 460,
      fbtrace_id: fbtraceId(),
    },
  };
}

/** The response a fault produces before any real work (everything but commitThen). */
export function faultOutcome(fault: Fault, platform: 'x' | 'graph', path: string, nowMs: number): Outcome {
  switch (fault.type) {
    case 'status':
      return { kind: 'respond', resp: statusResp(platform, fault.status, fault.body, fault.headers) };
    case 'rateLimit': {
      const headers: Record<string, string> = {};
      const reset = fault.resetInSeconds === null ? null : Math.floor(nowMs / 1000) + Math.round(fault.resetInSeconds ?? 900);
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      if (platform === 'graph') {
        // Graph names the wait in whole minutes: less than one reads 0 (wait a bit and try again).
        const minutes = fault.resetInSeconds === null ? 0 : Math.max(0, Math.floor((fault.resetInSeconds ?? 900) / 60));
        const code = fault.code ?? 80001;
        const known = GRAPH_BUC_ERRORS[code] as { type: string; message: string };
        headers['x-business-use-case-usage'] = JSON.stringify({ [SANDBOX_BRAND.fbPageId]: [{ type: known.type, call_count: 100, total_cputime: 100, total_time: 100, estimated_time_to_regain_access: minutes }] });
        return {
          kind: 'respond',
          resp: json(400, { error: { message: known.message, type: 'OAuthException', is_transient: true, code, fbtrace_id: fbtraceId() } }, headers),
        };
      }
      headers['x-rate-limit-limit'] = '300';
      if (fault.day) {
        // A spent 24-hour limit (posts per day, DMs per day): the 15-minute window still has room, and
        // X names the day's reset in x-user-limit-24hour-* or x-app-limit-24hour-* (parsed by twitter-api-v2).
        const prefix = fault.day === 'user' ? 'x-user-limit-24hour' : 'x-app-limit-24hour';
        headers['x-rate-limit-remaining'] = '250';
        headers['x-rate-limit-reset'] = String(Math.floor(nowMs / 1000) + 900);
        headers[`${prefix}-limit`] = fault.day === 'user' ? '1440' : '10000';
        headers[`${prefix}-remaining`] = '0';
        if (reset !== null) headers[`${prefix}-reset`] = String(reset);
        return { kind: 'respond', resp: json(429, X_TOO_MANY, headers) };
      }
      headers['x-rate-limit-remaining'] = '0';
      if (reset !== null) headers['x-rate-limit-reset'] = String(reset);
      return { kind: 'respond', resp: json(429, X_TOO_MANY, headers) };
    }
    case 'creditsDepleted':
      // X pay-per-use with no credits left; Graph does not bill reads, so there it is a plain 402.
      if (platform === 'graph') return { kind: 'respond', resp: statusResp('graph', 402, undefined, undefined) };
      return { kind: 'respond', resp: json(402, X_CREDITS_DEPLETED) };
    case 'usageCapped':
      if (platform === 'graph') return { kind: 'respond', resp: json(400, { error: { message: '(#4) Application request limit reached', type: 'OAuthException', is_transient: true, code: 4, fbtrace_id: fbtraceId() } }) };
      return {
        kind: 'respond',
        resp: json(429, { title: 'UsageCapExceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.x.com/2/problems/usage-capped', period: 'Monthly', scope: 'Product', status: 429 }),
      };
    case 'timeout':
      return { kind: 'timeout' };
    case 'reset':
      return { kind: 'reset' };
    case 'malformed': {
      const body = platform === 'x' ? '{"data":[{"id":"1' : '{"data":[{"id":"104857362911457_';
      return { kind: 'respond', resp: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body } };
    }
    case 'html':
      return { kind: 'respond', resp: proxyPage(fault.status ?? 502) };
    case 'revoked':
      if (platform === 'graph') return { kind: 'respond', resp: json(400, graphRevokedBody()) };
      // The token endpoint says it differently from the resource endpoints.
      if (/\/2\/oauth2\/token$/.test(path)) return { kind: 'respond', resp: json(400, { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' }) };
      return { kind: 'respond', resp: json(401, X_UNAUTHORIZED) };
    case 'commitThen':
      if (fault.then === 'timeout') return { kind: 'timeout' };
      if (fault.then === 'reset') return { kind: 'reset' };
      return { kind: 'respond', resp: statusResp(platform, fault.status ?? 503, fault.body, fault.headers) };
  }
}
