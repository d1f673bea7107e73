import { GraphError, type GraphFailure } from './graph.js';

/**
 * Facebook Login for Devices (developers.facebook.com/docs/facebook-login/for-devices):
 * no webview and no app secret, only the app id and its client token (which Meta
 * means to ship inside apps). The person types a short code at
 * facebook.com/device; we poll for the user token.
 */

/** The permissions the console uses on a Page (developers.facebook.com/docs/permissions). */
export const FB_LOGIN_SCOPES = [
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_engagement',
  'pages_messaging',
  'pages_read_user_content',
  'pages_manage_metadata',
];

/** Graph's error subcodes of /device/login_status. */
export const DEVICE_PENDING = 1349174;
export const DEVICE_SLOW_DOWN = 1349172;
export const DEVICE_EXPIRED = 1349152;

export interface DeviceStart {
  code: string;
  userCode: string;
  verificationUri: string;
  expiresIn: number;
  interval: number;
}

export type DeviceStatus =
  | { kind: 'pending' }
  | { kind: 'slowDown' }
  | { kind: 'expired' }
  | { kind: 'token'; accessToken: string; expiresIn?: number };

export interface DeviceClientOptions {
  baseUrl?: string;
  version: string;
  appId: string;
  clientToken: string;
  timeoutMs?: number;
}

async function post(opts: DeviceClientOptions, what: 'login' | 'login_status', params: Record<string, string>): Promise<Record<string, unknown>> {
  const base = (opts.baseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const form = new URLSearchParams({ ...params, access_token: `${opts.appId}|${opts.clientToken}` });
  let res: Response;
  try {
    res = await fetch(`${base}/${opts.version}/device/${what}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 20_000),
    });
  } catch (e) {
    const name = (e as Error).name;
    throw new GraphError(name === 'TimeoutError' || name === 'AbortError' ? { type: 'timeout' } : { type: 'network', message: (e as Error).message }, {});
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new GraphError({ type: 'malformed', status: res.status, snippet: text.slice(0, 120) }, {});
  }
  const error = (body as { error?: { message?: string; code?: number; error_subcode?: number } } | null)?.error;
  if (!res.ok || error || body === null || typeof body !== 'object') {
    const failure: GraphFailure = { type: 'http', status: res.status, code: error?.code, subcode: error?.error_subcode, message: error?.message ?? `HTTP ${res.status}`, body };
    throw new GraphError(failure, {});
  }
  return body as Record<string, unknown>;
}

export async function startDeviceLogin(opts: DeviceClientOptions, scopes = FB_LOGIN_SCOPES): Promise<DeviceStart> {
  const b = await post(opts, 'login', { scope: scopes.join(',') });
  const { code, user_code, verification_uri, expires_in, interval } = b;
  if (typeof code !== 'string' || typeof user_code !== 'string' || typeof verification_uri !== 'string') {
    throw new GraphError({ type: 'malformed', status: 200, snippet: 'device/login without code' }, {});
  }
  return {
    code,
    userCode: user_code,
    verificationUri: verification_uri,
    expiresIn: typeof expires_in === 'number' && expires_in > 0 ? expires_in : 420,
    interval: typeof interval === 'number' && interval > 0 ? interval : 5,
  };
}

export async function pollDeviceLogin(opts: DeviceClientOptions, code: string): Promise<DeviceStatus> {
  try {
    const b = await post(opts, 'login_status', { code });
    if (typeof b.access_token !== 'string') throw new GraphError({ type: 'malformed', status: 200, snippet: 'login_status without access_token' }, {});
    return { kind: 'token', accessToken: b.access_token, expiresIn: typeof b.expires_in === 'number' ? b.expires_in : undefined };
  } catch (e) {
    const sub = e instanceof GraphError && e.failure.type === 'http' ? e.failure.subcode : undefined;
    if (sub === DEVICE_PENDING) return { kind: 'pending' };
    if (sub === DEVICE_SLOW_DOWN) return { kind: 'slowDown' };
    if (sub === DEVICE_EXPIRED) return { kind: 'expired' };
    throw e;
  }
}
