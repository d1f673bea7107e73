import Dexie, { RangeSet, type ObservabilitySet } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageBatch } from '../../shared/contract';
import type { Message } from '../../shared/model';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { startIngestFrom } from '../../renderer/src/db/ingest';
import { startIngestWorker, type FromIngestWorker, type IngestWorkerLike, type ToIngestWorker } from '../../renderer/src/db/ingestWorker';
import { expectReports, onStored, partsKey, relayStored, reportStoredTo, REPORT_WAIT_MS, type StoredChange } from '../../renderer/src/db/stored';
import { FakeHost } from '../support/fakeHost';

function message(id: string): Message {
  return {
    key: `x_dm:${id}`,
    platformId: id,
    channel: 'x_dm',
    accountId: 'acc-1',
    conversationId: `dm-${id}`,
    author: { id: `u-${id}`, name: 'Els de Vries', handle: 'elsdv' },
    text: `bericht ${id}`,
    createdAt: 1_760_000_000_000 + Number(id),
    fromUs: false,
  };
}
const batch = (batchId: string, ids: string[]): MessageBatch => ({ batchId, streamId: 'acc-1:x_dms', messages: ids.map(message) });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  for (const end = Date.now() + ms; !(await what()); await sleep(10)) if (Date.now() > end) throw new Error('timed out');
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  expectReports(false);
  reportStoredTo(null);
  vi.restoreAllMocks();
});

function freshDb(): WebcareDb {
  const db = openDb(`ingest-worker-${crypto.randomUUID()}`);
  cleanup.push(() => db.delete());
  return db;
}

/** A worker the test speaks for: what the page posted, and a way to answer. */
class ScriptedWorker implements IngestWorkerLike {
  readonly posted: ToIngestWorker[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromIngestWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(m: ToIngestWorker): void {
    this.posted.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(m: FromIngestWorker): void {
    this.onmessage?.({ data: m } as MessageEvent<FromIngestWorker>);
  }
  fail(message: string): void {
    this.onerror?.({ message } as ErrorEvent);
  }
  batches(): string[] {
    return this.posted.flatMap((m) => (m.type === 'batch' ? [m.batch.batchId] : []));
  }
}

describe('the ingest in a worker: the page hands batches over and passes acknowledgements on', () => {
  it('starts the worker on this store, hands it every batch, and acknowledges to the host what the worker stored, once', async () => {
    const db = freshDb();
    const host = new FakeHost();
    const w = new ScriptedWorker();
    cleanup.push(startIngestWorker(host, db, () => w));
    expect(w.posted[0]).toEqual({ type: 'start', db: db.name });
    host.emit('messagesArrived', batch('b1', ['1']));
    host.emit('messagesArrived', batch('b2', ['2']));
    expect(w.batches()).toEqual(['b1', 'b2']);
    w.answer({ type: 'ack', batchId: 'b1' });
    w.answer({ type: 'ack', batchId: 'b1' });
    w.answer({ type: 'ack', batchId: 'b2' });
    expect(host.acks()).toEqual(['b1', 'b2']);
    // The page wrote nothing itself.
    expect(await db.messages.count()).toBe(0);
  });

  it('a worker that fails: the page stores the batches it had not acknowledged, and every one after', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const db = freshDb();
    const host = new FakeHost();
    const w = new ScriptedWorker();
    cleanup.push(startIngestWorker(host, db, () => w));
    host.emit('messagesArrived', batch('b1', ['1']));
    host.emit('messagesArrived', batch('b2', ['2']));
    w.answer({ type: 'ack', batchId: 'b1' });
    w.fail('boom');
    expect(w.terminated).toBe(true);
    host.emit('messagesArrived', batch('b3', ['3']));
    await until(() => host.acks().includes('b3') && host.acks().includes('b2'));
    expect(host.acks().filter((a) => a === 'b1')).toHaveLength(1);
    expect((await db.messages.toArray()).map((m) => m.platformId).sort()).toEqual(['2', '3']);
    expect(w.batches()).toEqual(['b1', 'b2']);
  });

  it('where no worker can start, the page stores from the first batch', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const db = freshDb();
    const host = new FakeHost();
    cleanup.push(
      startIngestWorker(host, db, () => {
        throw new Error('no workers here');
      }),
    );
    host.emit('messagesArrived', batch('b1', ['1', '2']));
    await until(() => host.acks().includes('b1'));
    expect(await db.messages.count()).toBe(2);
  });

  it('the worker’s report of what it stored reaches the columns as stored', async () => {
    const db = freshDb();
    const host = new FakeHost();
    const w = new ScriptedWorker();
    cleanup.push(startIngestWorker(host, db, () => w));
    const seen: StoredChange[] = [];
    cleanup.push(onStored(db, (c) => seen.push(c)));
    w.answer({ type: 'stored', db: db.name, batch: { messages: [message('1')] }, parts: [] });
    expect(seen).toEqual([{ kind: 'stored', messages: [message('1')], marks: [], workflow: [] }]);
  });
});

describe('a write of the worker reaches the page twice (Dexie’s notice, copied, and the report): told once, as stored', () => {
  const notice = (db: WebcareDb): ObservabilitySet => ({ [`idb://${db.name}/messages/`]: new RangeSet('x_dm:1', 'x_dm:9') });
  const fire = (parts: ObservabilitySet) => Dexie.on('storagemutated').fire(structuredClone(parts));

  function listen(db: WebcareDb) {
    const seen: StoredChange['kind'][] = [];
    cleanup.push(onStored(db, (c) => seen.push(c.kind)));
    return seen;
  }

  it('the notice first, then the report', async () => {
    const db = freshDb();
    const seen = listen(db);
    expectReports(true);
    fire(notice(db));
    relayStored(db.name, { messages: [message('1')] }, [partsKey(db.name, notice(db))]);
    await sleep(REPORT_WAIT_MS + 100);
    expect(seen).toEqual(['stored']);
  });

  it('the report first, then the notice', async () => {
    const db = freshDb();
    const seen = listen(db);
    expectReports(true);
    relayStored(db.name, { messages: [message('1')] }, [partsKey(db.name, notice(db))]);
    fire(notice(db));
    await sleep(REPORT_WAIT_MS + 100);
    expect(seen).toEqual(['stored']);
  });

  it('a notice no report names (another tab’s write) is told as unknown once the wait is over', async () => {
    const db = freshDb();
    const seen = listen(db);
    expectReports(true);
    fire(notice(db));
    relayStored(db.name, { messages: [message('1')] }, [partsKey(db.name, { [`idb://${db.name}/messages/`]: new RangeSet('x_dm:2', 'x_dm:3') })]);
    expect(seen).toEqual(['stored']);
    await sleep(REPORT_WAIT_MS + 100);
    expect(seen).toEqual(['stored', 'unknown']);
  });

  it('without a worker, a notice from elsewhere is told as unknown at once', () => {
    const db = freshDb();
    const seen = listen(db);
    fire(notice(db));
    expect(seen).toEqual(['unknown']);
  });

  it('in the worker, the report names the parts of Dexie’s notice of the same write (else every batch would re-read every column)', async () => {
    const db = freshDb();
    const notices: string[] = [];
    const onNotice = (parts: ObservabilitySet) => {
      if (Object.keys(parts).some((p) => p.startsWith(`idb://${db.name}/messages/`))) notices.push(partsKey(db.name, parts));
    };
    Dexie.on('storagemutated').subscribe(onNotice);
    cleanup.push(() => Dexie.on('storagemutated').unsubscribe(onNotice));
    const reports: string[][] = [];
    reportStoredTo((_name, _batch, parts) => reports.push(parts));
    const acked: string[] = [];
    const listeners = new Set<(b: MessageBatch) => void>();
    cleanup.push(startIngestFrom({ onBatch: (fn) => (listeners.add(fn), () => listeners.delete(fn)), ack: (id) => acked.push(id) }, db));
    for (const [id, ids] of [['b1', ['1', '2']], ['b2', Array.from({ length: 60 }, (_, i) => String(100 + i))]] as const) {
      for (const fn of listeners) fn(batch(id, [...ids]));
      await until(() => acked.includes(id));
    }
    expect(reports).toHaveLength(2);
    for (const parts of reports) {
      expect(parts).toHaveLength(1);
      expect(notices).toContain(parts[0]);
    }
  });
});
