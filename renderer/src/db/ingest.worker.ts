// The ingest's worker (ingestWorker.ts): stores the batches the page hands over, and indexes them for search.
// First: zod's settings must be in place before any module below builds a schema.
import '../zodJitless';
import type { MessageBatchEvent } from '../../../shared/contract.js';
import { startSearchIndexing } from '../search/searchIndex';
import { openDb } from './db';
import { startFactsCompaction } from './facts';
import { startIngestFrom } from './ingest';
import type { FromIngestWorker, ToIngestWorker } from './ingestWorker';
import { reportStoredTo } from './stored';

const scope = self as unknown as { postMessage(m: FromIngestWorker): void; onmessage: ((e: MessageEvent<ToIngestWorker>) => void) | null };
const listeners = new Set<(batch: MessageBatchEvent) => void>();
let started = false;

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'batch') {
    for (const fn of listeners) fn(m.batch);
    return;
  }
  if (started) return;
  started = true;
  const db = openDb(m.db);
  reportStoredTo((name, batch, parts) => scope.postMessage({ type: 'stored', db: name, batch: { messages: batch.messages, marks: batch.marks ?? [], workflow: batch.workflow ?? [] }, parts }));
  startIngestFrom(
    {
      onBatch: (fn) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
      ack: (batchId) => scope.postMessage({ type: 'ack', batchId }),
    },
    db,
  );
  startSearchIndexing(db);
  startFactsCompaction(db);
};
