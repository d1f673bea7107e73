// The ingest's worker (ingestWorker.ts): stores the batches the page hands over, and indexes them for search.
// First: zod's settings must be in place before any module below builds a schema.
import '../zodJitless';
import { openDb } from './db';
import { handedBatches, startStoring } from './ingest';
import type { FromIngestWorker, ToIngestWorker } from './ingestWorker';
import { reportStoredTo } from './stored';

const scope = self as unknown as { postMessage(m: FromIngestWorker): void; onmessage: ((e: MessageEvent<ToIngestWorker>) => void) | null };
const handed = handedBatches((batchId) => scope.postMessage({ type: 'ack', batchId }));
let started = false;

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'batch') return handed.feed(m.batch);
  if (started) return;
  started = true;
  const db = openDb(m.db);
  reportStoredTo((name, batch, parts) => scope.postMessage({ type: 'stored', db: name, batch: { messages: batch.messages, marks: batch.marks ?? [], workflow: batch.workflow ?? [] }, parts }));
  startStoring(handed.source, db);
};
