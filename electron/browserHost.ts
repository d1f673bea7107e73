import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientFrameSchema, type ServerFrame } from '../shared/contract.js';
import type { HostCore } from './host/hostCore.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';

/**
 * The browser host: serves the built renderer on 127.0.0.1 and carries the
 * contract over a WebSocket. It exists because the Electron runtime cannot
 * always be had (offline machines, CI), and it is what the end-to-end tests
 * drive. The WebSocket needs the per-launch secret from the URL fragment and
 * our own Origin and Host, so neither another local user's page nor a DNS
 * rebinding site can talk to it.
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

export async function startBrowserHost(opts: { core: HostCore; staticDir: string; port?: number; secret?: string }): Promise<BrowserHost> {
  const secret = opts.secret ?? randomBytes(24).toString('base64url');
  const root = path.resolve(opts.staticDir);
  const server = http.createServer();
  // A reply may carry up to four 5 MB images in base64 (shared/contract.ts MEDIA_MAX_*).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

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
        'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });

  server.on('upgrade', (req, socket, head) => {
    const origin = req.headers.origin ?? '';
    const okOrigin = allowedHosts().some((h) => origin === `http://${h}`);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/ws' || !allowedHosts().includes(req.headers.host ?? '') || !okOrigin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    const authorized = same(url.searchParams.get('s') ?? '', secret);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Our own page with a stale link (an earlier launch's secret): say so, in a way the UI can explain.
      if (!authorized) {
        ws.close(4401, 'unauthorized');
        return;
      }
      serve(ws);
    });
  });

  const sockets = new Set<WebSocket>();
  const send = (ws: WebSocket, frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const unsubscribe = opts.core.onEvent((event, payload) => {
    for (const ws of sockets) send(ws, { type: 'event', event, payload });
  });

  function serve(ws: WebSocket) {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(data));
      } catch {
        return;
      }
      const frame = ClientFrameSchema.safeParse(raw);
      if (!frame.success) return;
      const result = await opts.core.dispatch(frame.data.command, frame.data.input);
      send(ws, { type: 'result', id: frame.data.id, result });
    });
    opts.core.clientConnected();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
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
