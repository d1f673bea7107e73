import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TwitterApi } from 'twitter-api-v2';
import { X_SCOPES, rewriteXUrl, xClientSettings, type XTokens } from './api.js';

/**
 * RFC 8252 loopback redirect for a public native client: a one-shot listener on
 * 127.0.0.1 that accepts exactly one GET /callback with the expected state, then
 * closes. X matches callback URLs exactly, so the ports are fixed and registered
 * in the X app; the first free one is used.
 */
export interface Loopback {
  redirectUri: string;
  port: number;
  /** Resolves with the authorization code for `state`; rejects on a denial or timeout. */
  code(state: string, timeoutMs?: number): Promise<string>;
  close(): void;
}

const PAGE_OK = '<!doctype html><meta charset="utf-8"><title>Webcare</title><p>Signed in. You can close this tab. / Aangemeld. Je kunt dit tabblad sluiten.</p>';
const PAGE_BAD = '<!doctype html><meta charset="utf-8"><title>Webcare</title><p>This sign-in link is not valid. / Deze aanmeldlink is niet geldig.</p>';

function sameSecret(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export async function openLoopback(ports: number[]): Promise<Loopback> {
  const server = http.createServer();
  let port = 0;
  for (const candidate of ports.length ? ports : [0]) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(candidate, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      port = (server.address() as AddressInfo).port;
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  }
  if (!port) throw new Error(`all OAuth callback ports are in use: ${ports.join(', ')}`);

  let settle: { resolve: (code: string) => void; reject: (e: Error) => void; state: string } | null = null;
  let done = false;
  const close = () => {
    done = true;
    server.close();
    server.closeAllConnections();
  };

  server.on('request', (req, res) => {
    const reply = (status: number, page: string) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
      res.end(page);
    };
    // DNS rebinding: only our own literal host is accepted.
    if (req.method !== 'GET' || req.headers.host !== `127.0.0.1:${port}` || done || !settle) return reply(400, PAGE_BAD);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/callback') return reply(404, PAGE_BAD);
    const state = url.searchParams.get('state') ?? '';
    if (!sameSecret(state, settle.state)) return reply(400, PAGE_BAD);
    const code = url.searchParams.get('code');
    const s = settle;
    settle = null;
    if (!code) {
      reply(400, PAGE_BAD);
      close();
      s.reject(new Error(`authorization refused: ${url.searchParams.get('error') ?? 'no code'}`));
      return;
    }
    reply(200, PAGE_OK);
    close();
    s.resolve(code);
  });

  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    port,
    code(state, timeoutMs = 5 * 60_000) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          settle = null;
          close();
          reject(new Error('sign-in timed out'));
        }, timeoutMs);
        timer.unref();
        settle = {
          state,
          resolve: (c) => {
            clearTimeout(timer);
            resolve(c);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
      });
    },
    close,
  };
}

export interface XPkceOptions {
  clientId: string;
  apiUrl?: string;
  callbackPorts: number[];
  /** Opens the authorize page: the system browser in production, an HTTP client against the sandbox. */
  openBrowser: (url: string) => Promise<void>;
  now?: () => number;
}

/** OAuth 2.0 Authorization Code with PKCE (S256); the code lives 30 s, so it is exchanged at once. */
export async function signInX(opts: XPkceOptions): Promise<XTokens> {
  const now = opts.now ?? Date.now;
  const settings = xClientSettings(opts.apiUrl);
  const loopback = await openLoopback(opts.callbackPorts);
  try {
    const auth = new TwitterApi({ clientId: opts.clientId }, settings);
    const link = auth.generateOAuth2AuthLink(loopback.redirectUri, { scope: X_SCOPES });
    const codePromise = loopback.code(link.state);
    await opts.openBrowser(rewriteXUrl(link.url, opts.apiUrl));
    const code = await codePromise;
    const res = await auth.loginWithOAuth2({ code, codeVerifier: link.codeVerifier, redirectUri: loopback.redirectUri });
    return {
      accessToken: res.accessToken,
      refreshToken: res.refreshToken,
      expiresAt: now() + res.expiresIn * 1000,
      scope: res.scope,
    };
  } finally {
    loopback.close();
  }
}

/**
 * Stands in for a person's browser against the sandbox: follows the
 * auto-approving authorize page's redirect to the loopback listener.
 */
export async function sandboxBrowser(url: string): Promise<void> {
  let next = url;
  for (let hop = 0; hop < 5; hop++) {
    const res = await fetch(next, { redirect: 'manual' });
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (res.status < 300 || res.status >= 400 || !location) {
      if (res.ok) return;
      throw new Error(`sandbox authorize page answered ${res.status}`);
    }
    next = new URL(location, next).toString();
  }
}
