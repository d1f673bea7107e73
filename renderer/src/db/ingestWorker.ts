import type { MessageBatchEvent } from '../../../shared/contract.js';
import type { HostApi } from '../api/host';
import type { WebcareDb } from './db';
import { handedBatches, hostBatches, startStoring } from './ingest';
import { expectReports, relayStored, type StoredBatch } from './stored';

/**
 * The ingest runs in a worker: checking each message, merging X posts, writing
 * the batches and queueing them for search, then the search indexing and the
 * reports' facts compaction. In the page it took the main thread from the board
 * for as long as each write's requests were issued and its answers read (a
 * group of a thousand messages at once), so a burst held frames up for hundreds
 * of milliseconds while the agent scrolled and typed.
 *
 * Nothing changes in what is stored or when a batch is acknowledged: the worker
 * writes as the page did (ingest.ts), and tells the page each acknowledgement,
 * which goes on to the host, and each write's report (what the board's columns
 * re-read for: stored.ts). A batch is kept here until acknowledged: should the
 * worker fail to start or stop with an error, the page stores from then on, and
 * first the batches the worker had not acknowledged (a second write of one is
 * the same upsert).
 */
export type ToIngestWorker = { type: 'start'; db: string } | { type: 'batch'; batch: MessageBatchEvent };
export type FromIngestWorker = { type: 'ack'; batchId: string } | { type: 'stored'; db: string; batch: StoredBatch; parts: string[] };

/** What the page needs of a Worker (a fake in tests). */
export interface IngestWorkerLike {
  postMessage(message: ToIngestWorker): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<FromIngestWorker>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

function realWorker(): IngestWorkerLike {
  return new Worker(new URL('./ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' }) as IngestWorkerLike;
}

/** Returns the stop function. `make` throws where workers cannot run (the page stores then). */
export function startIngestWorker(host: Pick<HostApi, 'on' | 'call'>, db: WebcareDb, make: () => IngestWorkerLike = realWorker): () => void {
  const source = hostBatches(host);
  const unacked = new Map<string, MessageBatchEvent>();
  const ack = (batchId: string) => {
    if (unacked.delete(batchId)) source.ack(batchId);
  };
  let worker: IngestWorkerLike | null = null;
  let inPage: { feed: (batch: MessageBatchEvent) => void; stop: () => void } | null = null;

  const storeInPage = (why: unknown) => {
    if (inPage) return;
    console.warn('ingest worker not running: storing in the page', why);
    worker?.terminate();
    worker = null;
    expectReports(false);
    const handed = handedBatches(ack);
    inPage = { feed: handed.feed, stop: startStoring(handed.source, db) };
    for (const batch of unacked.values()) inPage.feed(batch);
  };

  try {
    worker = make();
  } catch (e) {
    storeInPage(e);
  }
  if (worker) {
    expectReports(true);
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'ack') ack(m.batchId);
      else if (m.type === 'stored') relayStored(m.db, m.batch, m.parts);
    };
    // A script that did not load, or an error nothing in the worker caught.
    worker.onerror = (e) => storeInPage(e.message || 'worker failed');
    worker.postMessage({ type: 'start', db: db.name });
  }

  const off = source.onBatch((batch) => {
    unacked.set(batch.batchId, batch);
    if (inPage) inPage.feed(batch);
    else worker?.postMessage({ type: 'batch', batch });
  });
  return () => {
    off();
    worker?.terminate();
    inPage?.stop();
    if (worker) expectReports(false);
  };
}
