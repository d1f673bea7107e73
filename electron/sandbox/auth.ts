import { createHash, randomBytes } from 'node:crypto';
import { html, json, type Resp } from './http.js';

/**
 * OAuth state for both platforms. Tokens live outside the generated world so a
 * /__sandbox/reset keeps a connected console connected.
 */

export const X_SCOPES = new Set([
  'tweet.read', 'tweet.write', 'tweet.moderate.write', 'users.email', 'users.read', 'follows.read', 'follows.write', 'offline.access',
  'space.read', 'mute.read', 'mute.write', 'like.read', 'like.write', 'list.read', 'list.write', 'block.read', 'block.write',
  'bookmark.read', 'bookmark.write', 'dm.read', 'dm.write', 'media.write',
]);

const ACCESS_TTL_S = 7200;
const CODE_TTL_MS = 30_000;

interface XCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string[];
  userId: string;
  expiresAt: number;
  used: boolean;
}

export interface XAccess {
  userId: string;
  clientId: string;
  scope: string[];
  expiresAt: number;
  revoked: boolean;
}

interface XRefresh {
  userId: string;
  clientId: string;
  scope: string[];
  used: boolean;
  revoked: boolean;
}

/**
 * The error X's token endpoint gives for a spent, unknown or revoked code or token.
 * X's refresh tokens are single use (github.com/r-lib/httr2/issues/197).
 */
const INVALID_TOKEN = { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' };

function xToken(kind: 'at' | 'rt' | 'ac', now: number): string {
  // Same look as X's tokens: base64 of random:issued-ms:1:0:kind:1.
  return Buffer.from(`${randomBytes(24).toString('base64url')}:${now}:1:0:${kind}:1`).toString('base64url');
}

function errorPage(reason: string): Resp {
  // Reasons are fixed strings: nothing from the request is reflected into the page.
  return html(400, `<!doctype html><meta charset="utf-8"><title>X / Error</title><h1>Something went wrong</h1><p>${reason}</p><p>(webcare sandbox: authorize refused)</p>`);
}

function loopbackRedirect(value: string): URL | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return null;
  }
  // A native app's redirect must come back to the machine itself (RFC 8252 §7.3).
  if (u.protocol !== 'http:') return null;
  if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost' && u.hostname !== '[::1]') return null;
  if (u.username || u.password || u.hash) return null;
  return u;
}

export class XAuth {
  private readonly codes = new Map<string, XCode>();
  private readonly access = new Map<string, XAccess>();
  private readonly refresh = new Map<string, XRefresh>();

  constructor(private readonly brandUserId: string) {}

  /** GET /i/oauth2/authorize: approves at once, as if the brand's owner clicked "Authorize app". */
  authorize(q: URLSearchParams, now: number): Resp {
    const one = (k: string) => {
      const all = q.getAll(k);
      return all.length === 1 ? (all[0] as string) : null;
    };
    if (one('response_type') !== 'code') return errorPage('response_type must be code.');
    const clientId = one('client_id');
    if (!clientId) return errorPage('client_id is missing.');
    const redirectRaw = one('redirect_uri');
    const redirect = redirectRaw ? loopbackRedirect(redirectRaw) : null;
    if (!redirectRaw || !redirect) return errorPage('redirect_uri must be a loopback http URL (http://127.0.0.1:PORT/... or http://localhost...).');
    const state = one('state');
    if (!state || state.length > 500) return errorPage('state is missing or longer than 500 characters.');
    const scope = (one('scope') ?? '').split(/[ +]/).filter(Boolean);
    if (scope.length === 0 || scope.some((s) => !X_SCOPES.has(s))) return errorPage('scope is missing or contains an unknown scope.');
    const challenge = one('code_challenge');
    if (!challenge || !/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) return errorPage('code_challenge is missing or malformed.');
    const method = one('code_challenge_method');
    // X also takes "plain"; the sandbox refuses it so a client that sends it is caught in tests.
    if (!method || method.toLowerCase() !== 's256') return errorPage('code_challenge_method must be S256.');
    const code = xToken('ac', now);
    this.codes.set(code, { clientId, redirectUri: redirectRaw, challenge, scope, userId: this.brandUserId, expiresAt: now + CODE_TTL_MS, used: false });
    const target = new URL(redirect.toString());
    target.searchParams.set('state', state);
    target.searchParams.set('code', code);
    return { status: 302, headers: { location: target.toString(), 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' }, body: '' };
  }

  issue(userId: string, clientId: string, scope: string[], now: number): Record<string, unknown> {
    const accessToken = xToken('at', now);
    this.access.set(accessToken, { userId, clientId, scope, expiresAt: now + ACCESS_TTL_S * 1000, revoked: false });
    const out: Record<string, unknown> = { token_type: 'bearer', expires_in: ACCESS_TTL_S, access_token: accessToken, scope: scope.join(' ') };
    if (scope.includes('offline.access')) {
      const refreshToken = xToken('rt', now);
      this.refresh.set(refreshToken, { userId, clientId, scope, used: false, revoked: false });
      out.refresh_token = refreshToken;
    }
    return out;
  }

  /** POST /2/oauth2/token. `basicClientId` comes from an Authorization: Basic header (confidential clients). */
  token(fields: Record<string, unknown>, basicClientId: string | undefined, now: number): Resp {
    const str = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : undefined);
    const grant = str('grant_type');
    const clientId = str('client_id') ?? basicClientId;
    if (!grant) return json(400, { error: 'invalid_request', error_description: 'Missing required parameter [grant_type].' });
    if (!clientId) return json(401, { error: 'unauthorized_client', error_description: 'Missing valid authorization header' });
    if (grant === 'authorization_code') {
      for (const k of ['code', 'redirect_uri', 'code_verifier']) {
        if (!str(k)) return json(400, { error: 'invalid_request', error_description: `Missing required parameter [${k}].` });
      }
      const code = this.codes.get(str('code') as string);
      if (!code || code.used || code.expiresAt < now) return json(400, INVALID_TOKEN);
      // Single use even when the exchange fails: a leaked code must not be retried.
      code.used = true;
      if (code.clientId !== clientId || code.redirectUri !== str('redirect_uri')) return json(400, INVALID_TOKEN);
      const verifier = str('code_verifier') as string;
      const computed = createHash('sha256').update(verifier).digest('base64url');
      if (computed !== code.challenge) return json(400, INVALID_TOKEN);
      return json(200, this.issue(code.userId, clientId, code.scope, now));
    }
    if (grant === 'refresh_token') {
      const value = str('refresh_token');
      if (!value) return json(400, { error: 'invalid_request', error_description: 'Missing required parameter [refresh_token].' });
      const rt = this.refresh.get(value);
      if (!rt || rt.used || rt.revoked || rt.clientId !== clientId) return json(400, INVALID_TOKEN);
      // Rotation: the old refresh token is spent the moment a new pair is handed out.
      rt.used = true;
      return json(200, this.issue(rt.userId, clientId, rt.scope, now));
    }
    return json(400, { error: 'unsupported_grant_type', error_description: 'Grant type is not supported.' });
  }

  /** POST /2/oauth2/revoke: RFC 7009 answers success for unknown tokens too. */
  revoke(fields: Record<string, unknown>): Resp {
    const token = typeof fields.token === 'string' ? fields.token : '';
    const a = this.access.get(token);
    if (a) a.revoked = true;
    const r = this.refresh.get(token);
    if (r) r.revoked = true;
    return json(200, { revoked: true });
  }

  check(token: string | undefined, now: number): XAccess | null {
    if (!token) return null;
    const a = this.access.get(token);
    if (!a || a.revoked || a.expiresAt <= now) return null;
    return a;
  }

  revokeAll(): void {
    for (const a of this.access.values()) a.revoked = true;
    for (const r of this.refresh.values()) r.revoked = true;
    this.codes.clear();
  }
}

export interface FbToken {
  kind: 'user' | 'page';
  pageId?: string;
  revoked: boolean;
}

function fbToken(): string {
  // Graph tokens are long alphanumeric strings starting with EAA.
  return `EAAS${randomBytes(90).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 110)}`;
}

export class FbAuth {
  private readonly tokens = new Map<string, FbToken>();
  private readonly pageTokenOf = new Map<string, string>();

  /** A System User token that can list the Page, as an admin would generate in Business Manager. */
  issueUser(): string {
    const t = fbToken();
    this.tokens.set(t, { kind: 'user', revoked: false });
    return t;
  }

  /** Page tokens derived from one user token stay the same, as Graph's do. */
  pageToken(userToken: string, pageId: string): string {
    const existing = this.pageTokenOf.get(userToken);
    if (existing && this.tokens.get(existing)?.revoked === false) return existing;
    const t = fbToken();
    this.tokens.set(t, { kind: 'page', pageId, revoked: false });
    this.pageTokenOf.set(userToken, t);
    return t;
  }

  /** 'revoked' for a token that existed and was invalidated: Graph words that differently from garbage. */
  check(token: string | undefined): FbToken | 'revoked' | null {
    if (!token) return null;
    const t = this.tokens.get(token);
    if (!t) return null;
    return t.revoked ? 'revoked' : t;
  }

  revokeAll(): void {
    for (const t of this.tokens.values()) t.revoked = true;
  }
}

/** The sandbox's Meta app for Facebook Login for Devices: `access_token={APP_ID}|{CLIENT_TOKEN}`. */
export const SANDBOX_FB_APP_ID = '990000000000001';
export const SANDBOX_FB_CLIENT_TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** Graph's device codes last 420 s; the person is told to poll every 5 s. */
const DEVICE_TTL_S = 420;
const DEVICE_INTERVAL_S = 5;
/** Crockford-ish alphabet without look-alikes, as Facebook's 8-character user codes look. */
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

interface DeviceLogin {
  userCode: string;
  scope: string[];
  expiresAt: number;
  approved: boolean;
  spent: boolean;
  lastPollAt?: number;
}

export type DevicePoll =
  | { kind: 'pending' | 'slowDown' | 'expired' | 'unknown' }
  | { kind: 'token'; accessToken: string; expiresIn: number };

/**
 * Facebook Login for Devices (developers.facebook.com/docs/facebook-login/for-devices):
 * the app asks for a code, shows the person the user code, the person approves
 * it on the verification page, the app polls until a user token comes back.
 */
export class FbDeviceAuth {
  private readonly logins = new Map<string, DeviceLogin>();
  /** Minimum milliseconds between two polls of one code; divided by the limits scale. */
  intervalMs = DEVICE_INTERVAL_S * 1000;

  constructor(private readonly fb: FbAuth) {}

  start(scope: string[], now: number): { code: string; userCode: string; expiresIn: number; interval: number } {
    const code = randomBytes(16).toString('hex');
    let userCode = '';
    const bytes = randomBytes(8);
    for (const b of bytes) userCode += USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length];
    this.logins.set(code, { userCode, scope, expiresAt: now + DEVICE_TTL_S * 1000, approved: false, spent: false });
    return { code, userCode, expiresIn: DEVICE_TTL_S, interval: DEVICE_INTERVAL_S };
  }

  /** The person entered the code on the verification page and allowed the app. */
  approve(userCode: string, now: number): boolean {
    const want = userCode.trim().toUpperCase();
    for (const l of this.logins.values()) {
      if (l.userCode === want && !l.spent && l.expiresAt > now) {
        l.approved = true;
        return true;
      }
    }
    return false;
  }

  poll(code: string, now: number, scale: number): DevicePoll {
    const l = this.logins.get(code);
    if (!l || l.spent) return { kind: 'unknown' };
    if (l.expiresAt <= now) return { kind: 'expired' };
    const last = l.lastPollAt;
    l.lastPollAt = now;
    if (last !== undefined && now - last < this.intervalMs / scale) return { kind: 'slowDown' };
    if (!l.approved) return { kind: 'pending' };
    l.spent = true;
    // Tokens from device login are long-lived user tokens (about 60 days).
    return { kind: 'token', accessToken: this.fb.issueUser(), expiresIn: 5_183_944 };
  }
}
