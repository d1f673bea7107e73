import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MessageBatch } from '../../shared/contract';
import type { Channel, Message, StreamKind, StreamStatus } from '../../shared/model';
import type { HostConfig } from '../../electron/host/config';
import { HostCore, type HostCoreOptions } from '../../electron/host/hostCore';
import { plaintextCipher } from '../../electron/host/vault';
import type { Fault } from '../../electron/sandbox/faults';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../electron/sandbox/server';

/**
 * The one harness for integration tests that run a host core against the
 * sandbox over real HTTP: `world()` starts a sandbox and a data folder, builds
 * host cores on them (started or not), restarts either side, and cleans up.
 */

/** A stand-in renderer: stores batches by key (as the Dexie upsert does) and acknowledges them. */
export class FakeRenderer {
  readonly stored = new Map<string, Message>();
  readonly batches: MessageBatch[] = [];
  /** False: batches are seen (in `batches`) but neither stored nor acknowledged, as by a window that went quiet. */
  ackEnabled = true;
  private off: (() => void) | null = null;

  /** Listens for batches without saying a renderer connected (before `core.start()`). */
  listen(core: HostCore) {
    this.detach();
    this.off = core.onEvent((name, payload) => {
      if (name !== 'messagesArrived') return;
      const batch = payload as MessageBatch;
      this.batches.push(batch);
      if (!this.ackEnabled) return;
      for (const m of batch.messages) this.stored.set(m.key, m);
      void core.dispatch('ackBatch', { batchId: batch.batchId });
    });
  }
  /** Listens and connects: the core re-sends every batch no renderer acknowledged yet. */
  attach(core: HostCore) {
    this.listen(core);
    core.clientConnected();
  }
  detach() {
    this.off?.();
    this.off = null;
  }
  of(channel: Channel): Message[] {
    return [...this.stored.values()].filter((m) => m.channel === channel);
  }
  count(channel: Channel): number {
    return this.of(channel).length;
  }
}

/** `what` may be a function: what is still missing is then described at the moment of timing out. */
export async function until<T>(fn: () => T | Promise<T>, what: string | (() => string), timeoutMs = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const FAST: Record<StreamKind, number> = { x_mentions: 100, x_own: 100, x_dms: 100, x_search: 100, fb_comments: 100, fb_visitor_posts: 100, fb_messages: 100 };

export interface WorldOptions {
  historyPerChannel?: number;
  seed?: number;
  /** A fixed sandbox port (default: a free one). `restartSandbox()` keeps the port either way. */
  port?: number;
  /** POST /__sandbox/limits before any core is built (X rate limits and Graph budgets times `scale`). */
  limits?: { scale?: number; pageCap?: number | null };
}

/**
 * What a core is built with. Every HostCoreOptions field may be given (a clock
 * `now`, `pollIntervalMs`, `requestTimeoutMs`, `devicePollMsPerSecond`, `log`);
 * `config` is merged into the default config field by field.
 */
export interface CoreOptions extends Omit<Partial<HostCoreOptions>, 'config'> {
  config?: Partial<HostConfig>;
  /** False: build the core but do not start it, so a test can set faults or files first and call `start()` itself. */
  start?: boolean;
  /** False: a host with no sandbox attached (a real-account setup, or none at all). Default true. */
  attachSandbox?: boolean;
  /** Another data folder (from `tempDir()`); default the world's. */
  dataDir?: string;
  /** Listens before the core starts and connects once it has (and again after `restart`). */
  renderer?: FakeRenderer;
}

export type FaultRuleInput = { method?: string; path: string; times?: number; skip?: number; fault: Fault };

/** A sandbox on a free port and a data folder; `core()` builds a host core on them. */
export async function world(opts: WorldOptions = {}) {
  const sandboxOptions: SandboxOptions = { ratePerMinute: 0, historyPerChannel: opts.historyPerChannel ?? 3, seed: opts.seed ?? 11, port: opts.port };
  let sandbox: Sandbox = await startSandbox(sandboxOptions);
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'webcare-it-'));
    dirs.push(dir);
    return dir;
  };
  const dataDir = await tempDir();
  const cores: HostCore[] = [];
  const built = new WeakMap<HostCore, CoreOptions>();

  const api = async (p: string, body?: unknown, method?: string) => {
    const res = await fetch(`${sandbox.url}${p}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json();
  };
  if (opts.limits) await api('/__sandbox/limits', opts.limits);

  /** Builds a host core on the world's sandbox and data folder and, unless `start: false`, starts it. */
  const core = async (o: CoreOptions = {}) => {
    const { config, start = true, attachSandbox = true, dataDir: dir = dataDir, renderer, ...host } = o;
    const c = new HostCore({
      config: { dataDir: dir, graphVersion: 'v25.0', xCallbackPorts: [0], ...config },
      cipher: plaintextCipher,
      shell: 'browser',
      sandbox: attachSandbox ? { url: sandbox.url, xApiUrl: sandbox.xApiUrl, graphApiUrl: sandbox.graphApiUrl } : undefined,
      pollIntervalMs: FAST,
      log: () => undefined,
      ...host,
    });
    cores.push(c);
    built.set(c, o);
    if (renderer) renderer.listen(c);
    if (start) {
      await c.start();
      if (renderer) c.clientConnected();
    }
    return c;
  };

  /** Stops `old` and starts a new core on the same data folder with the same options (`changes` on top). */
  const restart = async (old: HostCore, changes: CoreOptions = {}) => {
    await old.stop();
    return core({ ...built.get(old), start: true, ...changes });
  };

  /** Closes the sandbox and starts a new one with the same options on the same port: a new instance, none of the old tokens. */
  const restartSandbox = async () => {
    const port = Number(new URL(sandbox.url).port);
    await sandbox.close();
    sandbox = await startSandbox({ ...sandboxOptions, port });
    return sandbox;
  };

  // Fault rules added here, so their hits stay known after the sandbox drops a spent rule from its list.
  const rules = new Map<string, { times: number; hitsWhenCleared?: number }>();

  /** Adds a fault rule (POST /__sandbox/faults); resolves to its id. */
  const fault = async (rule: FaultRuleInput): Promise<string> => {
    const res = (await api('/__sandbox/faults', rule)) as { id?: string; error?: string };
    if (!res.id) throw new Error(`the sandbox refused the fault ${JSON.stringify(rule)}: ${res.error}`);
    rules.set(res.id, { times: rule.times ?? 1 });
    return res.id;
  };

  /**
   * How many requests a rule added through `fault()` has answered. The sandbox lists a
   * rule with its hits while it is live and drops it once it fired `times` times.
   */
  const faultHits = async (id: string): Promise<number> => {
    const known = rules.get(id);
    if (!known) throw new Error(`fault ${id} was not added through this world`);
    if (known.hitsWhenCleared !== undefined) return known.hitsWhenCleared;
    const listed = ((await api('/__sandbox/faults')) as { faults: { id: string; hits: number }[] }).faults.find((f) => f.id === id);
    if (listed) return listed.hits;
    if (known.times === 0) throw new Error(`fault ${id} (until cleared) left the sandbox's list without being cleared here`);
    return known.times;
  };

  /** Removes a rule (if still live), noting how often it fired; resolves to that count. */
  const clearFault = async (id: string): Promise<number> => {
    const hits = await faultHits(id);
    const known = rules.get(id);
    if (known && known.hitsWhenCleared === undefined) {
      known.hitsWhenCleared = hits;
      await api(`/__sandbox/faults/${id}`, undefined, 'DELETE');
    }
    return hits;
  };

  const close = async () => {
    while (cores.length) await cores.pop()?.stop();
    await sandbox.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined)));
  };

  return {
    /** The running sandbox (a new one after `restartSandbox()`). */
    get sandbox(): Sandbox {
      return sandbox;
    },
    dataDir,
    tempDir,
    core,
    restart,
    restartSandbox,
    api,
    fault,
    faultHits,
    clearFault,
    close,
  };
}

export type World = Awaited<ReturnType<typeof world>>;

export type Requests = { requests: { method: string; path: string; query: string; status: number; at: number }[] };

/** One stream of a core by kind (the first, for an account's own streams). */
export function streamOf(core: HostCore, kind: StreamKind): StreamStatus | undefined {
  return core.status().streams.find((s) => s.kind === kind);
}
