import path from 'node:path';
import { ok, type MessageBatch, type Result } from '../../shared/contract.js';
import type { Message, StreamStatus } from '../../shared/model.js';
import { readJson, writeJson } from './jsonFile.js';
import { insightReady, prepareInsight, readBatch } from './insight/index.js';
import { fitBatch, OverflowStore, type FittedBatch } from './overflow.js';
import type { RunnerHooks } from './poller.js';
import type { Settings } from './settings.js';

interface Pending {
  batch: MessageBatch;
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface DeliveryOptions {
  dataDir: string;
  settings: Settings;
  now: () => number;
  log(line: string): void;
  /** Hands a batch to every connected renderer. */
  send(batch: MessageBatch): void;
  /** The status of a stream, to count what was set aside on it. */
  statusOf(streamId: string): StreamStatus | undefined;
  /** Something on a stream's status changed. */
  changed(): void;
  /** Connectors' look at every batch before it leaves (null: unchanged). */
  transforms: ReadonlyArray<(messages: Message[]) => Message[] | null>;
  /** A new local store connected: every stream should catch up now. */
  pokeAll(): void;
}

/**
 * Batches, acknowledgements and cursors. A batch is handed over and its poll
 * waits until a renderer says it is stored; only then may its stream's cursor
 * move. Cursors live in cursors.json, one per stream.
 */
export class Delivery {
  private readonly pending = new Map<string, Pending>();
  private cursors: Record<string, string> = {};
  private cursorEpoch = 0;
  private readonly cursorEpochAtLoad = new Map<string, number>();
  /** Whole texts of shortened messages, and the messages set aside. */
  readonly overflow: OverflowStore;
  private stopped = false;

  constructor(private readonly opts: DeliveryOptions) {
    this.overflow = new OverflowStore(opts.dataDir);
  }

  private get file(): string {
    return path.join(this.opts.dataDir, 'cursors.json');
  }

  async load(): Promise<void> {
    this.cursors = await readJson<Record<string, string>>(this.file, {});
  }

  /** The part of a stream runner's hooks that moves batches and cursors. */
  hooks(): Pick<RunnerHooks, 'deliver' | 'loadCursor' | 'saveCursor'> {
    return {
      deliver: (batch) => this.deliver(batch),
      loadCursor: (id) => {
        this.cursorEpochAtLoad.set(id, this.cursorEpoch);
        return this.cursors[id];
      },
      saveCursor: async (id, cursor) => {
        // A poll that began before the cursors were reset must not write its old position back.
        if (this.cursorEpochAtLoad.get(id) !== this.cursorEpoch) return;
        if (cursor === undefined || this.cursors[id] === cursor) return;
        this.cursors[id] = cursor;
        await writeJson(this.file, this.cursors);
      },
    };
  }

  /** Unacknowledged batches fail their poll, so their cursors are never advanced: the next start fetches them again. */
  stop(): void {
    this.stopped = true;
    for (const p of this.pending.values()) p.reject(new Error('host stopped before the batch was stored'));
    this.pending.clear();
  }

  /**
   * Streams that stop (an account reconnected or removed, a search changed) give up
   * the batches no renderer acknowledged: their polls fail, so their cursors stay where
   * they were and the next poll fetches them again. Without this, a stream stopped while
   * no window is open would wait for an acknowledgement forever.
   */
  abandon(streamIds: ReadonlySet<string>): void {
    for (const [id, p] of this.pending) {
      if (!streamIds.has(p.batch.streamId)) continue;
      this.pending.delete(id);
      p.reject(new Error('stream stopped before the batch was stored'));
    }
  }

  /** A renderer (re)connected: it gets every batch no renderer has acknowledged yet. */
  resend(): void {
    for (const p of this.pending.values()) this.opts.send(p.batch);
  }

  async dropCursor(streamId: string): Promise<void> {
    if (!(streamId in this.cursors)) return;
    delete this.cursors[streamId];
    await writeJson(this.file, this.cursors);
  }

  /** Forgets the cursors of streams whose id starts with `prefix` (an account's, `x:123/`). */
  async dropCursors(prefix: string): Promise<void> {
    for (const k of Object.keys(this.cursors)) if (k.startsWith(prefix)) delete this.cursors[k];
    await writeJson(this.file, this.cursors);
  }

  /**
   * Cursors describe what one local store holds. When a different store says
   * hello, the cursors start over (each stream fetches its first page again);
   * the upsert by key makes whatever it already had harmless.
   */
  async hello(storeId: string): Promise<Result<{ backfill: boolean }>> {
    const { settings } = this.opts;
    if (settings.get().storeId === storeId) return ok({ backfill: false });
    const first = settings.get().storeId === undefined;
    await settings.update({ storeId });
    if (first) return ok({ backfill: false });
    this.cursors = {};
    this.cursorEpoch++;
    await writeJson(this.file, this.cursors);
    this.opts.pokeAll();
    this.opts.log('a new local store connected: fetching history again');
    return ok({ backfill: true });
  }

  ack(batchId: string): Result<Record<string, never>> {
    const p = this.pending.get(batchId);
    // A second ack (two windows, a resent batch) is harmless.
    if (p) {
      this.pending.delete(batchId);
      p.resolve();
    }
    return ok({});
  }

  /**
   * `learnOnly`: the batch comes from the team database, where the polling
   * console already applied the connectors' changes; they only learn from it here.
   */
  deliver(batch: MessageBatch, opts: { learnOnly?: boolean } = {}): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('host stopped'));
    // A message over a limit is shortened (its whole text kept here) or set aside (kept here and
    // counted on its stream's status): the rest of its batch is handed over and the stream goes on.
    const fit = fitBatch(batch);
    const hand = (): Promise<void> => {
      if (this.stopped) return Promise.reject(new Error('host stopped'));
      // Every message was set aside and the batch carries nothing else (a team batch may carry marks,
      // workflow records or what left a department): nothing to store, so the cursor may move on at once.
      if (fit.batch.messages.length === 0 && fit.setAside.length > 0 && !batch.marks?.length && !batch.workflow?.length && !batch.left?.length) return Promise.resolve();
      // Language and sentiment are read once, here, before the renderer stores anything; the very
      // first page may wait for the language detector to load.
      if (!insightReady()) return prepareInsight().then(hand);
      let messages = readBatch(fit.batch.messages);
      for (const t of this.opts.transforms) {
        const changed = t(messages);
        if (!opts.learnOnly) messages = changed ?? messages;
      }
      const fitted = { ...fit.batch, messages };
      return new Promise<void>((resolve, reject) => {
        this.pending.set(fitted.batchId, { batch: fitted, resolve, reject });
        this.opts.send(fitted);
      });
    };
    if (fit.setAside.length === 0 && fit.fullTexts.length === 0) return hand();
    return this.setAside(batch, fit).then(hand);
  }

  /** Keeps what a batch could not hand over whole (here, never in a store) and counts what was set aside on its stream. */
  setAside(batch: MessageBatch, fit: FittedBatch): Promise<void> {
    const last = fit.setAside.at(-1);
    if (last) {
      const status = this.opts.statusOf(batch.streamId);
      if (status) status.setAside = { count: (status.setAside?.count ?? 0) + fit.setAside.length, lastReason: last.reason, lastAt: this.opts.now() };
      this.opts.log(`stream ${batch.streamId}: ${fit.setAside.length} message(s) set aside (${last.reason})`);
      this.opts.changed();
    }
    return this.overflow
      .keep(batch, fit, this.opts.now())
      .catch((e: unknown) => this.opts.log(`stream ${batch.streamId}: what was set aside or shortened could not be kept: ${(e as Error).message}`));
  }
}
