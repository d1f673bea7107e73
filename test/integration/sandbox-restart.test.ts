import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { HostCore } from '../../electron/host/hostCore';
import { plaintextCipher } from '../../electron/host/vault';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';
import { FAST, FakeRenderer, until } from './harness';

/**
 * Restarting with a fixed sandbox port and the same data folder: the new sandbox
 * knows none of the earlier one's tokens, and the console signs its practice
 * accounts in again by itself instead of showing them as "reconnect needed".
 */
let sandbox: Sandbox | null = null;
let core: HostCore | null = null;
afterEach(async () => {
  await core?.stop();
  await sandbox?.close();
  core = null;
  sandbox = null;
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function startCore(dataDir: string, sb: Sandbox): HostCore {
  return new HostCore({
    config: { dataDir, graphVersion: 'v25.0', xCallbackPorts: [0] },
    cipher: plaintextCipher,
    shell: 'browser',
    sandbox: { url: sb.url, xApiUrl: sb.xApiUrl, graphApiUrl: sb.graphApiUrl },
    pollIntervalMs: FAST,
    log: () => undefined,
  });
}

it('a sandbox restarted on the same port keeps its accounts connected and polling', async () => {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'webcare-sbrestart-'));
  sandbox = await startSandbox({ port, ratePerMinute: 0, historyPerChannel: 2, seed: 5 });
  core = startCore(dataDir, sandbox);
  await core.start();
  const first = new FakeRenderer();
  first.attach(core);
  await until(() => first.of('x_mention').length > 0 && first.of('fb_comment').length > 0, 'first polls');
  await core.stop();
  await sandbox.close();

  sandbox = await startSandbox({ port, ratePerMinute: 0, historyPerChannel: 2, seed: 5 });
  core = startCore(dataDir, sandbox);
  await core.start();
  const r = new FakeRenderer();
  r.attach(core);
  expect(core.status().accounts.map((a) => a.state)).toEqual(['connected', 'connected']);
  const api = (p: string, body: unknown) => fetch(`${sandbox!.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((res) => res.json());
  const x = (await api('/__sandbox/inject', { channel: 'x_mention', text: 'Na de herstart' })) as { id: string };
  const fb = (await api('/__sandbox/inject', { channel: 'fb_message', text: 'Na de herstart op Messenger' })) as { id: string };
  await until(() => r.stored.has(`x_mention:${x.id}`) && r.stored.has(`fb_message:${fb.id}`), 'messages after the restart', 15_000);
  expect(core.status().accounts.every((a) => a.state === 'connected')).toBe(true);
}, 40_000);
