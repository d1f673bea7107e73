import type { Grouping } from '../../../shared/reports.js';
import { openDb } from '../db/db';
import { ReportSession, type ReportRequest, type ReportSummary, type ReportTerms } from './compute';

/**
 * The reports' worker: reads the store (IndexedDB is open to workers too) and
 * works out the figures away from the board's thread. One request at a time;
 * a new range while one is read is answered after it, and the screen keeps
 * only the answer to its latest question.
 */
export type ToWorker = { id: number; kind: 'load'; db: string; request: ReportRequest; grouping: Grouping } | { id: number; kind: 'rows'; grouping: Grouping };
export type FromWorker =
  | { id: number; kind: 'loaded'; summary: ReportSummary; rows: ReturnType<ReportSession['rows']>; ms: number }
  | { id: number; kind: 'rows'; rows: ReturnType<ReportSession['rows']>; ms: number }
  | { id: number; kind: 'terms'; terms: ReportTerms }
  | { id: number; kind: 'error'; message: string };

/** The worker's own scope (the renderer's types are the window's). */
const scope = self as unknown as { onmessage: ((e: MessageEvent<ToWorker>) => void) | null; postMessage(m: FromWorker): void };

let session: { name: string; s: ReportSession } | undefined;
let queue: Promise<void> = Promise.resolve();

/** The newest range asked for: an older one still waiting its turn is not read (nobody waits for it). */
let newestLoad = 0;
/** Questions waiting or being answered. */
let busy = 0;
/** The range whose words are still to be sent (they are read when nothing else is asked). */
let termsFor: number | null = null;

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.kind === 'load') newestLoad = Math.max(newestLoad, msg.id);
  busy++;
  queue = queue
    .then(() => handle(msg))
    .catch(() => undefined)
    .finally(() => {
      busy--;
      if (busy === 0) void idle();
    });
};

/** When nothing is asked: the words of the last range, then the facts made compact for the next read. */
async function idle(): Promise<void> {
  await readTerms();
  if (busy > 0 || !session) return;
  await session.s.compact(() => busy > 0).catch((e: unknown) => console.warn('report facts not compacted', e));
}

/** The words of the range last read, page by page, giving way to any new question (and taken up again after it). */
async function readTerms(): Promise<void> {
  const id = termsFor;
  if (id === null || !session) return;
  const terms = await session.s.terms(() => busy > 0 || termsFor !== id).catch(() => null);
  if (terms === null || termsFor !== id) return;
  termsFor = null;
  scope.postMessage({ id, kind: 'terms', terms } satisfies FromWorker);
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.id < newestLoad) return;
  const started = performance.now();
  try {
    if (msg.kind === 'load') {
      if (session?.name !== msg.db) session = { name: msg.db, s: new ReportSession(openDb(msg.db)) };
      termsFor = null;
      const summary = await session.s.load(msg.request);
      const rows = await session.s.rowsAsync(msg.grouping);
      scope.postMessage({ id: msg.id, kind: 'loaded', summary, rows, ms: performance.now() - started } satisfies FromWorker);
      // The words follow the figures, when nothing else is asked: they are read from the messages themselves.
      termsFor = msg.id;
      return;
    }
    if (!session) throw new Error('no range read yet');
    scope.postMessage({ id: msg.id, kind: 'rows', rows: await session.s.rowsAsync(msg.grouping), ms: performance.now() - started } satisfies FromWorker);
  } catch (err) {
    scope.postMessage({ id: msg.id, kind: 'error', message: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
  }
}
