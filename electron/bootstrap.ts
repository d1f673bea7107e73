import path from 'node:path';
import { configFromEnv, type HostConfig } from './host/config.js';
import { HostCore, type HostCoreOptions } from './host/hostCore.js';
import { readJson } from './host/jsonFile.js';
import { BASE_INTERVAL_MS } from './host/poller.js';
import type { SandboxEndpoints } from './host/sandboxAccounts.js';
import { startSandbox, type Sandbox } from './sandbox/server.js';

/**
 * What both shells do on launch: read the configuration, attach the embedded
 * sandbox when no real account is connected (or WEBCARE_SANDBOX=1), and start
 * the host core.
 */
export interface Booted {
  core: HostCore;
  config: HostConfig;
  sandbox?: Sandbox;
  stop(): Promise<void>;
}

async function wantsSandbox(config: HostConfig, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (env.WEBCARE_SANDBOX === '0') return false;
  if (env.WEBCARE_SANDBOX === '1') return true;
  // A team's accounts are in its database: the sandbox's practice accounts join a team only when asked for.
  if (config.teamDb) return false;
  const settings = await readJson<{ team?: boolean }>(path.join(config.dataDir, 'settings.json'), {});
  if (settings.team) return false;
  const accounts = await readJson<{ sandbox?: boolean }[]>(path.join(config.dataDir, 'accounts.json'), []);
  return !accounts.some((a) => !a.sandbox);
}

/**
 * WEBCARE_POLL_SCALE, a number between 0 and 1: with the sandbox attached, every
 * stream is polled that many times its usual interval (0.1: ten times as often),
 * so tests against the sandbox do not wait out real polling intervals. The rate
 * limits the platform reports still pace the polls. Ignored without the sandbox.
 */
function pollIntervals(env: NodeJS.ProcessEnv, sandbox: SandboxEndpoints | undefined): HostCoreOptions['pollIntervalMs'] {
  const scale = Number(env.WEBCARE_POLL_SCALE);
  if (!sandbox || !(scale > 0 && scale < 1)) return undefined;
  return Object.fromEntries(Object.entries(BASE_INTERVAL_MS).map(([kind, ms]) => [kind, Math.max(100, Math.round(ms * scale))]));
}

export async function boot(opts: Pick<HostCoreOptions, 'cipher' | 'shell' | 'openExternal'> & { env?: NodeJS.ProcessEnv; log?: (l: string) => void }): Promise<Booted> {
  const env = opts.env ?? process.env;
  const config = configFromEnv(env);
  let sandbox: Sandbox | undefined;
  let endpoints: SandboxEndpoints | undefined;
  // A sandbox of its own (`npm run sandbox`), shared by several consoles the way a team shares one real account.
  const shared = env.WEBCARE_SANDBOX_URL?.replace(/\/+$/, '');
  if (shared) {
    if (!/^https?:\/\/[^/]+$/.test(shared)) throw new Error(`WEBCARE_SANDBOX_URL must be the sandbox's base URL (http://127.0.0.1:PORT), not ${shared}`);
    endpoints = { url: shared, xApiUrl: `${shared}/x`, graphApiUrl: `${shared}/graph` };
    opts.log?.(`Sandbox: ${shared} (shared; inspection API under /__sandbox)`);
  } else if (await wantsSandbox(config, env)) {
    const rate = Number(env.WEBCARE_SANDBOX_RATE);
    sandbox = await startSandbox({
      port: env.WEBCARE_SANDBOX_PORT ? Number(env.WEBCARE_SANDBOX_PORT) : 0,
      ratePerMinute: Number.isFinite(rate) && env.WEBCARE_SANDBOX_RATE !== undefined ? rate : undefined,
    });
    opts.log?.(`Sandbox: ${sandbox.url} (inspection API under /__sandbox)`);
    endpoints = { url: sandbox.url, xApiUrl: sandbox.xApiUrl, graphApiUrl: sandbox.graphApiUrl };
  }
  const core = new HostCore({
    config,
    cipher: opts.cipher,
    shell: opts.shell,
    openExternal: opts.openExternal,
    sandbox: endpoints,
    pollIntervalMs: pollIntervals(env, endpoints),
    log: opts.log,
  });
  try {
    await core.start();
  } catch (e) {
    await core.stop();
    await sandbox?.close();
    throw e;
  }
  return {
    core,
    config,
    sandbox,
    async stop() {
      await core.stop();
      await sandbox?.close();
    },
  };
}
