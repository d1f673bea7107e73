import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ClientFrameSchema, MEDIA_MAX_BYTES, MEDIA_MAX_COUNT, type ServerFrame } from '../shared/contract.js';
import type { HostCore } from './host/hostCore.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';

/**
 * The browser host: serves the built renderer on 127.0.0.1 and carries the
 * contract over a WebSocket. It exists because the Electron runtime cannot
 * always be had (offline machines, CI), and it is what the end-to-end tests
 * drive. The WebSocket needs the per-launch secret from the URL fragment and
 * our own Origin and Host, so neither another local user's page nor a DNS
 * rebinding site can talk to it. All three are checked before the upgrade: a
 * refused client never gets a WebSocket, only a plain HTTP answer (403 for a
 * foreign Host or Origin, 401 for a wrong secret). `GET /ws-auth` with the
 * secret in `X-Webcare-Secret` answers 204 or 401, so a page whose connect
 * failed can tell a stale link (an earlier launch's secret) from a host that
 * is away; the browser's WebSocket API never shows the HTTP status.
 *
 * The page registers an app-shell service worker (`/sw.js`, see SHELL_WORKER),
 * so a reload while the host is down still shows the console.
 *
 * Whatever arrives on the socket, the process keeps serving: protocol errors
 * close that one socket (ws picks the close code), a frame that is not a
 * valid call is answered instead of dropped, and no error event goes unheard.
 */
export interface BrowserHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

function same(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * The largest message a client may send: a reply with the most images at their
 * largest in base64 (shared/contract.ts MEDIA_MAX_*), plus 1 MiB for the text,
 * alt texts and JSON around them. ws closes a socket that sends more with 1009.
 */
export const MAX_FRAME_BYTES = MEDIA_MAX_COUNT * Math.ceil(MEDIA_MAX_BYTES / 3) * 4 + 1024 * 1024;

/**
 * The app shell's service worker (renderer/public/sw.js): it keeps a copy of the
 * page and its assets, so reloading the tab while this host is down opens the
 * console on its cached board with the "host not reachable" banner, instead of
 * the browser's error page. It never answers `/ws-auth` or the WebSocket.
 */
export const SHELL_WORKER = '/sw.js';

/** The header a page sends its secret in to `GET /ws-auth`. */
export const SECRET_HEADER = 'x-webcare-secret';

/** A plain HTTP answer on a socket that asked for an upgrade, then the socket is gone. */
function refuse(socket: Duplex, status: number): void {
  const reason = http.STATUS_CODES[status] ?? 'Error';
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

/** The call id of a frame that is not a valid call, when it has one worth answering. */
function usableId(raw: unknown): number | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

export async function startBrowserHost(opts: { core: HostCore; staticDir: string; port?: number; secret?: string }): Promise<BrowserHost> {
  const secret = opts.secret ?? randomBytes(24).toString('base64url');
  const root = path.resolve(opts.staticDir);
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const ownOrigin = (origin: string) => allowedHosts().some((h) => origin === `http://${h}`);
  // Errors a client can cause end that client's connection, never the process.
  const warn = (what: string, e: unknown) => console.warn(`[browser host] ${what}: ${(e as Error)?.message ?? String(e)}`);
  wss.on('error', (e) => warn('websocket server', e));
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || e.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    refuse(socket, e.code === 'HPE_HEADER_OVERFLOW' ? 431 : e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400);
  });

  server.on('request', async (req, res) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(421).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/ws-auth') {
      // Only says whether a secret is this launch's; the secret itself is never sent back.
      const origin = req.headers.origin;
      const given = req.headers[SECRET_HEADER];
      const status = origin !== undefined && !ownOrigin(origin) ? 403 : typeof given === 'string' && same(given, secret) ? 204 : 401;
      res.writeHead(status, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }).end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(root, `.${rel}`);
    if (!file.startsWith(root + path.sep) || rel.includes('\0')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cross-Origin-Opener-Policy': 'same-origin',
        // The page and the app-shell worker are always asked for anew, so a new build is
        // picked up at once; the worker keeps its own copy for when the host is down.
        'Cache-Control': file.endsWith('index.html') ? 'no-store' : rel === SHELL_WORKER ? 'no-cache' : 'max-age=3600',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });

  server.on('upgrade', (req, socket, head) => {
    // The http server lets go of an upgrading socket entirely, its error listener included.
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      refuse(socket, 400);
      return;
    }
    if (url.pathname !== '/ws' || !allowedHosts().includes(req.headers.host ?? '') || !ownOrigin(req.headers.origin ?? '')) {
      refuse(socket, 403);
      return;
    }
    // Our own page with a stale link (an earlier launch's secret): no WebSocket at all.
    // The page learns why from GET /ws-auth.
    if (!same(url.searchParams.get('s') ?? '', secret)) {
      refuse(socket, 401);
      return;
    }
    try {
      wss.handleUpgrade(req, socket, head, serve);
    } catch (e) {
      warn('upgrade', e);
      socket.destroy();
    }
  });

  const sockets = new Set<WebSocket>();
  const send = (ws: WebSocket, frame: ServerFrame) => {
    if (ws.readyState !== ws.OPEN) return;
    try {
      ws.send(JSON.stringify(frame));
    } catch (e) {
      warn('send', e);
    }
  };
  const unsubscribe = opts.core.onEvent((event, payload) => {
    for (const ws of sockets) send(ws, { type: 'event', event, payload });
  });

  /**
   * One message from an authorized client. A call is answered with its result;
   * anything else with an invalidInput result for its id when it carries one,
   * otherwise the socket is closed: 1003 for a binary frame, 1007 for text that
   * is not JSON, 1008 for JSON that is not a call.
   */
  async function receive(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) {
      ws.close(1003, 'text frames only');
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      ws.close(1007, 'not JSON');
      return;
    }
    const frame = ClientFrameSchema.safeParse(raw);
    if (!frame.success) {
      const id = usableId(raw);
      if (id === null) {
        ws.close(1008, 'not a call frame');
        return;
      }
      const detail = frame.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500);
      send(ws, { type: 'result', id, result: { ok: false, error: { kind: 'invalidInput', detail: `not a call frame (${detail})` } } });
      return;
    }
    const result = await opts.core.dispatch(frame.data.command, frame.data.input);
    send(ws, { type: 'result', id: frame.data.id, result });
  }

  function serve(ws: WebSocket) {
    sockets.add(ws);
    // ws emits a protocol error (oversize, bad UTF-8, unmasked, RSV bits, unknown opcode)
    // here, then closes the socket with the matching code; unheard, it would end the process.
    ws.on('error', () => undefined);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      receive(ws, data, isBinary).catch((e: unknown) => {
        warn('message', e);
        ws.close(1011, 'internal error');
      });
    });
    opts.core.clientConnected();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => warn('server', e));
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/#s=${secret}`,
    port,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
