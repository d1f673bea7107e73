import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Starts `start.js` as `npm start` would (browser host + sandbox) and reads its Console and Sandbox lines. */
export interface RunningHost {
  consoleUrl: string;
  sandboxUrl: string;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Every stream polled ten times as often as a console does (WEBCARE_POLL_SCALE), so a
 * message injected into the sandbox is on the board in seconds instead of after a real
 * polling interval; a test about the real pace passes WEBCARE_POLL_SCALE: '1'.
 */
export const POLL_SCALE = '0.1';

export async function launchHost(env: Record<string, string> = {}, dataDir?: string): Promise<RunningHost> {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'webcare-e2e-')));
  const child = spawn(process.execPath, ['dist-electron/electron/start.js'], {
    env: { ...process.env, WEBCARE_SHELL: 'browser', WEBCARE_DATA_DIR: dir, WEBCARE_PORT: '0', WEBCARE_POLL_SCALE: POLL_SCALE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const urls = await new Promise<{ consoleUrl: string; sandboxUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const c = /^Console: (\S+)$/m.exec(out);
      const s = /^Sandbox: (\S+)/m.exec(out);
      if (c && s) {
        clearTimeout(timer);
        resolve({ consoleUrl: c[1] as string, sandboxUrl: s[1] as string });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`host exited with ${code}:\n${out}`)));
  });
  return {
    ...urls,
    dataDir: dir,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

/**
 * One console's own way to a shared sandbox, noting every request that console made:
 * the sandbox's own log cannot tell consoles apart (a team's consoles use one token).
 * A console goes through it with WEBCARE_SANDBOX_URL set to `url`.
 */
export interface SandboxRelay {
  url: string;
  seen: { method: string; path: string }[];
  close(): Promise<void>;
}

export async function sandboxRelay(sandboxUrl: string): Promise<SandboxRelay> {
  const target = new URL(sandboxUrl);
  const seen: SandboxRelay['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] as string });
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A read of a polled stream (mentions, own posts, DMs, Page feeds, comments, conversations); sign-in and profile calls are not. */
export function isPoll(r: { method: string; path: string }): boolean {
  if (r.method !== 'GET') return false;
  if (/^\/x\/2\/(users\/[^/]+\/(mentions|tweets)|dm_events)/.test(r.path)) return true;
  return /^\/graph\/(v[\d.]+\/)?[^/]+\/(feed|posts|published_posts|comments|conversations|messages)\b/.test(r.path);
}
