import type { MessageBatchEvent } from '../../../shared/contract.js';
import { invalidReason, rawPreview } from '../../../shared/fitMessage.js';
import { MessageSchema, type Message } from '../../../shared/model.js';
import type { HostApi } from '../api/host';
import type { SetAsideRecord, StoredMark, WebcareDb } from './db';
import { queueForSearch } from '../search/searchIndex';

/**
 * Stores every batch the host hands over and only then acknowledges it; the
 * host advances a stream's cursor on the acknowledgement alone. So a crash or
 * a closed window before the write commits loses nothing (the host re-sends
 * un-acknowledged batches when a window connects), and a batch that arrives
 * twice is the same upsert by key twice: nothing is stored twice.
 *
 * Batches are written strictly one after another, in arrival order. A write
 * that fails is not acknowledged and does not stop the batches behind it.
 *
 * Each message is checked on its own: one that is not a valid Message (the
 * host shortens or sets aside what breaks a limit, so this is the second line)
 * is set aside in `setAside` with the start of its JSON, in the same
 * transaction as the valid ones, and the batch is acknowledged all the same.
 *
 * In team mode a batch may carry marks too: stored in the same transaction as
 * its messages, before the acknowledgement, like them.
 */
const WRITE_ATTEMPTS = 4;
const RETRY_BASE_MS = 250;
/** Of a set-aside message, at most this much of its JSON is kept (characters). */
export const SET_ASIDE_RAW_MAX = 16 * 1024;
/** The newest this many set-aside messages are kept. */
export const SET_ASIDE_KEEP = 1000;

/** The valid messages of a batch, and records of the others. */
export function sortBatch(batch: MessageBatchEvent, at: number): { messages: Message[]; setAside: SetAsideRecord[] } {
  const messages: Message[] = [];
  const setAside: SetAsideRecord[] = [];
  for (const raw of batch.messages) {
    const r = MessageSchema.safeParse(raw);
    if (r.success) messages.push(r.data);
    else setAside.push({ batchId: batch.batchId, streamId: batch.streamId, reason: invalidReason(raw, r.error), raw: rawPreview(raw, SET_ASIDE_RAW_MAX), at });
  }
  return { messages, setAside };
}

/**
 * Team mode: the marks a batch carries (set by colleagues, or by this console and
 * come back with the team's version), as the board stores them, with who set them.
 */
export function teamMarks(batch: Pick<MessageBatchEvent, 'marks'>): StoredMark[] {
  return (batch.marks ?? []).map((m) => {
    const mark: StoredMark = { key: m.key, status: m.status, at: m.at };
    if (m.tag !== undefined) mark.tag = m.tag;
    if (m.assignee !== undefined) mark.assignee = m.assignee;
    if (m.hidden) mark.hidden = true;
    if (m.by !== undefined) mark.by = m.by;
    return mark;
  });
}

export function startIngest(host: HostApi, db: WebcareDb): () => void {
  let chain: Promise<void> = Promise.resolve();

  const store = async (batch: MessageBatchEvent): Promise<void> => {
    const { messages, setAside } = sortBatch(batch, Date.now());
    const marks = teamMarks(batch);
    if (setAside.length) console.warn(`batch ${batch.batchId}: ${setAside.length} message(s) set aside (${setAside[0]!.reason})`);
    // A write can fail for a passing reason (quota pressure, a blocked upgrade in another tab):
    // try a few times before leaving the batch to the host's resend on the next connect.
    for (let attempt = 0; ; attempt++) {
      try {
        // The transaction's promise settles after IndexedDB reports the commit, not when the request is queued.
        // Queued for search in the same transaction (a stored message always gets indexed); the
        // indexing itself writes many index entries per message, so it waits until arrivals pause.
        const workflow = batch.workflow ?? [];
        if (setAside.length === 0 && marks.length === 0 && workflow.length === 0) {
          await db.transaction('rw', db.messages, db.searchPending, () => Promise.all([db.messages.bulkPut(messages), queueForSearch(db, messages)]));
        } else {
          const tables = [db.messages, db.searchPending, ...(setAside.length ? [db.setAside] : []), ...(marks.length ? [db.marks] : []), ...(workflow.length ? [db.workflow, db.workflowQueue] : [])];
          await db.transaction('rw', tables, async () => {
            // Team mode: the team's marks overwrite this window's (the team's version is the one that stands).
            if (marks.length) await db.marks.bulkPut(marks);
            // Team workflow: the log's records; a pending action of this console that the team applied is no longer pending.
            if (workflow.length) {
              await db.workflow.bulkPut(workflow);
              await db.workflowQueue.where('id').anyOf(workflow.map((r) => r.id)).delete();
            }
            if (setAside.length === 0) {
              await Promise.all([db.messages.bulkPut(messages), queueForSearch(db, messages)]);
              return;
            }
            // Copies: bulkAdd writes the new ids into what it is given, and a retry must not reuse them.
            await Promise.all([db.messages.bulkPut(messages), queueForSearch(db, messages), db.setAside.bulkAdd(setAside.map((r) => ({ ...r })))]);
            const over = (await db.setAside.count()) - SET_ASIDE_KEEP;
            if (over > 0) await db.setAside.bulkDelete(await db.setAside.orderBy(':id').limit(over).primaryKeys());
          });
        }
        break;
      } catch (e) {
        if (attempt >= WRITE_ATTEMPTS - 1) {
          console.warn(`batch ${batch.batchId} not stored; the host sends it again on reconnect`, e);
          return;
        }
        await new Promise((r) => setTimeout(r, RETRY_BASE_MS * 2 ** attempt));
      }
    }
    // Not awaited: the next batch need not wait for the round trip, and acks still leave in order.
    // An ack that never arrives (host gone) only means the batch comes again: the upsert absorbs it.
    host.call('ackBatch', { batchId: batch.batchId }).catch(() => undefined);
  };

  const unsubscribe = host.on('messagesArrived', (batch) => {
    chain = chain.then(() => store(batch));
  });
  return unsubscribe;
}

/** This store's identity, made once: the host fills a store it has not filled before. */
export async function storeIdOf(db: WebcareDb): Promise<string> {
  return db.transaction('rw', db.settings, async () => {
    const row = await db.settings.get('storeId');
    if (typeof row?.value === 'string') return row.value;
    const id = crypto.randomUUID();
    await db.settings.put({ key: 'storeId', value: id });
    return id;
  });
}

/** Says hello on every connect, so a new browser profile or a cleared cache gets its history again. */
export function startHello(host: HostApi, db: WebcareDb): () => void {
  const hello = () => {
    storeIdOf(db)
      .then((storeId) => host.call('hello', { storeId }))
      .catch((e: unknown) => console.warn('hello failed', e));
  };
  if (host.connection === 'open') hello();
  return host.onConnection((state) => {
    if (state === 'open') hello();
  });
}
