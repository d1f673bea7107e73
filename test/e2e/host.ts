import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
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

export async function launchHost(env: Record<string, string> = {}, dataDir?: string): Promise<RunningHost> {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'webcare-e2e-')));
  const child = spawn(process.execPath, ['dist-electron/electron/start.js'], {
    env: { ...process.env, WEBCARE_SHELL: 'browser', WEBCARE_DATA_DIR: dir, WEBCARE_PORT: '0', ...env },
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
