import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MessageBatch } from '../../shared/contract';
import type { Channel, Message, StreamKind } from '../../shared/model';
import { HostCore, type HostCoreOptions } from '../../electron/host/hostCore';
import { plaintextCipher } from '../../electron/host/vault';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';

/** A stand-in renderer: stores batches by key (as the Dexie upsert does) and acknowledges them. */
export class FakeRenderer {
  readonly stored = new Map<string, Message>();
  readonly batches: MessageBatch[] = [];
  private off: (() => void) | null = null;

  attach(core: HostCore) {
    this.off = core.onEvent((name, payload) => {
      if (name !== 'messagesArrived') return;
      const batch = payload as MessageBatch;
      this.batches.push(batch);
      for (const m of batch.messages) this.stored.set(m.key, m);
      void core.dispatch('ackBatch', { batchId: batch.batchId });
    });
    core.clientConnected();
  }
  detach() {
    this.off?.();
  }
  of(channel: Channel): Message[] {
    return [...this.stored.values()].filter((m) => m.channel === channel);
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

/** A sandbox on a free port and a data folder; `core()` starts a host core attached to it. */
export async function world(opts: { historyPerChannel?: number; seed?: number } = {}) {
  const sandbox: Sandbox = await startSandbox({ ratePerMinute: 0, historyPerChannel: opts.historyPerChannel ?? 3, seed: opts.seed ?? 11 });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'webcare-it-'));
  const cores: HostCore[] = [];
  /** `extra` overrides options of the host core (its clock, intervals). */
  const core = async (extra: Partial<HostCoreOptions> = {}) => {
    const c = new HostCore({
      config: { dataDir, graphVersion: 'v25.0', xCallbackPorts: [0] },
      cipher: plaintextCipher,
      shell: 'browser',
      sandbox: { url: sandbox.url, xApiUrl: sandbox.xApiUrl, graphApiUrl: sandbox.graphApiUrl },
      pollIntervalMs: FAST,
      log: () => undefined,
      ...extra,
    });
    cores.push(c);
    await c.start();
    return c;
  };
  const api = async (p: string, body?: unknown, method?: string) => {
    const res = await fetch(`${sandbox.url}${p}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json();
  };
  const close = async () => {
    while (cores.length) await cores.pop()?.stop();
    await sandbox.close();
  };
  return { sandbox, dataDir, core, api, close };
}

export type World = Awaited<ReturnType<typeof world>>;

export type Requests = { requests: { method: string; path: string; query: string; status: number }[] };
