import type { MessageBatchEvent } from '../../../shared/contract.js';
import { invalidReason, rawPreview } from '../../../shared/fitMessage.js';
import { isXPostChannel, mergeFound, messageKey, MessageSchema, type Message } from '../../../shared/model.js';
import { conversationKeyOf } from '../../../shared/conversation.js';
import type { TeamLeft } from '../../../shared/team.js';
import type { HostApi } from '../api/host';
import type { SetAsideRecord, StoredMark, WebcareDb } from './db';
import { queueForSearch, searchKeyOf, startSearchIndexing } from '../search/searchIndex';
import { startFactsCompaction } from './facts';
import { publishStored } from './stored';
import { applyCannedRecords, hasCannedRecords } from '../canned/teamLibrary';

/**
 * Stores every batch the host hands over and only then acknowledges it; the
 * host advances a stream's cursor on the acknowledgement alone. So a crash or
 * a closed window before the write commits loses nothing (the host re-sends
 * un-acknowledged batches when a window connects), and a batch that arrives
 * twice is the same upsert by key twice: nothing is stored twice.
 *
 * Batches are written strictly one after another, in arrival order. Batches
 * that wait while a write is under way (a burst: the host reads the next pages
 * meanwhile) are written together in one transaction, each in turn, and each
 * is acknowledged once that transaction committed. A write that fails is not
 * acknowledged and does not stop the batches behind it: when a group's write
 * fails, none of its batches is acknowledged and each is written on its own.
 *
 * Each message is checked on its own: one that is not a valid Message (the
 * host shortens or sets aside what breaks a limit, so this is the second line)
 * is set aside in `setAside` with the start of its JSON, in the same
 * transaction as the valid ones, and the batch is acknowledged all the same.
 *
 * In team mode a batch may carry marks too: stored in the same transaction as
 * its messages, before the acknowledgement, like them. A department login's batch
 * may say what moved out of its departments (`left`): its copies are let go of in
 * that transaction (the team's database keeps them; the department they went to
 * sees them there).
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
    if (m.sentiment !== undefined) mark.sentiment = m.sentiment;
    if (m.by !== undefined) mark.by = m.by;
    return mark;
  });
}

/**
 * One X post, one card. The same post may come as a mention and as a search hit
 * (two streams; before the search left mentions out, even under two keys). It is
 * one message: stored under the mention's key, remembering every stream that found
 * it (`foundBy`, `searchId`), so a re-read by the other stream never forgets the
 * first. Only our own reply to a search hit stays in the search's thread.
 */
export interface PostMerge {
  /** What to store (every incoming X post, merged with what is stored). */
  put: Message[];
  /** Keys of the second copy, stored earlier under the other channel, to remove. */
  drop: Message[];
  /** Marks to carry from the removed copy's key to the one that stays. */
  moveMarks: Array<{ from: string; to: string }>;
}

/** The key the same post would have under the other X post channel. */
export function twinKey(m: Pick<Message, 'channel' | 'platformId'>): string {
  return messageKey(m.channel === 'x_mention' ? 'x_search' : 'x_mention', m.platformId);
}

/** Pure: how incoming X posts join what is stored (`stored` holds their own and twin keys). */
export function planPostMerge(incoming: readonly Message[], stored: ReadonlyMap<string, Message>): PostMerge {
  const put: Message[] = [];
  const drop: Message[] = [];
  const moveMarks: PostMerge['moveMarks'] = [];
  for (const m of incoming) {
    if (!isXPostChannel(m.channel)) {
      put.push(m);
      continue;
    }
    const same = stored.get(m.key);
    const twin = stored.get(twinKey(m));
    if (!twin) {
      put.push(mergeFound(m, same));
      continue;
    }
    // A customer's post is the mention; our reply stays in the search's thread it was sent in.
    const keepTwin = m.fromUs ? twin.channel === 'x_search' : twin.channel === 'x_mention';
    if (keepTwin) {
      put.push(mergeFound({ ...m, key: twin.key, channel: twin.channel }, mergeFound(twin, same)));
      if (same) {
        drop.push(same);
        moveMarks.push({ from: same.key, to: twin.key });
      }
    } else {
      put.push(mergeFound(m, mergeFound(twin, same)));
      drop.push(twin);
      moveMarks.push({ from: twin.key, to: m.key });
    }
  }
  return { put, drop, moveMarks };
}

/**
 * The stored copies worth reading for one incoming post, and no more (the read
 * is the merge's whole cost on the ingest path): its own key, so a copy from
 * another stream never drops what the first said (a mentions copy would take the
 * post out of the search's column), and the other key only where a second copy
 * can still arise: a search hit, our reply (a host that lost its memory may read
 * it back under the mention's key), or any post until the pairs an earlier
 * version stored were merged (mergeStoredPosts, once per store).
 */
function lookups(m: Message, legacy: boolean): string[] {
  return legacy || m.channel === 'x_search' || m.fromUs ? [m.key, twinKey(m)] : [m.key];
}

/** Keys of one channel below this many are read one by one; from it on, by their range first. */
const RANGE_FROM = 8;

/**
 * The stored messages under `keys`. A page's posts have neighbouring ids, so the
 * keys of one channel usually span a narrow key range holding few other messages:
 * one read of the keys in that range (bounded) tells which exist, and only those
 * are read, instead of a read per key (each a request of its own, as costly as a
 * write). A range that holds more than twice as many keys is read key by key.
 */
async function storedCopies(db: WebcareDb, keys: readonly string[]): Promise<Map<string, Message>> {
  const byChannel = new Map<string, string[]>();
  for (const k of new Set(keys)) {
    const channel = k.slice(0, k.indexOf(':') + 1);
    let list = byChannel.get(channel);
    if (!list) byChannel.set(channel, (list = []));
    list.push(k);
  }
  const toRead: string[] = [];
  await Promise.all(
    [...byChannel.values()].map(async (list) => {
      if (list.length < RANGE_FROM) {
        toRead.push(...list);
        return;
      }
      list.sort();
      const bound = 2 * list.length;
      const inRange = (await db.messages
        .where(':id')
        .between(list[0] as string, list[list.length - 1] as string, true, true)
        .limit(bound + 1)
        .primaryKeys()) as string[];
      if (inRange.length > bound) {
        toRead.push(...list);
        return;
      }
      const wanted = new Set(list);
      for (const k of inRange) if (wanted.has(k)) toRead.push(k);
    }),
  );
  const stored = new Map<string, Message>();
  if (toRead.length === 0) return stored;
  const found = await db.messages.bulkGet(toRead);
  found.forEach((m, i) => {
    if (m) stored.set(toRead[i] as string, m);
  });
  return stored;
}

/** Stores in which the once-per-store merge has run: no copy under a second key is left from before. */
const merged = new WeakSet<WebcareDb>();

/**
 * Inside a rw transaction over messages, marks, searchIndex and searchPending:
 * merges the batch's X posts with what is stored and returns what to put.
 */
export async function mergeXPosts(db: WebcareDb, messages: readonly Message[]): Promise<Message[]> {
  const posts = messages.filter((m) => isXPostChannel(m.channel));
  if (posts.length === 0) return [...messages];
  const legacy = !merged.has(db);
  const keys = posts.flatMap((m) => lookups(m, legacy));
  if (keys.length === 0) return [...messages];
  const stored = await storedCopies(db, keys);
  if (stored.size === 0) return [...messages];
  const plan = planPostMerge(messages, stored);
  if (plan.drop.length > 0) await dropCopies(db, plan);
  return plan.put;
}

async function dropCopies(db: WebcareDb, plan: PostMerge): Promise<void> {
  const froms = plan.moveMarks.map((x) => x.from);
  const tos = plan.moveMarks.map((x) => x.to);
  const [fromMarks, toMarks] = await Promise.all([db.marks.bulkGet(froms), db.marks.bulkGet(tos)]);
  const moved: StoredMark[] = [];
  plan.moveMarks.forEach((x, i) => {
    const from = fromMarks[i];
    // What the agent did with either copy stands; the copy that stays keeps its own if it has one.
    if (from && !toMarks[i]) moved.push({ ...from, key: x.to });
  });
  await Promise.all([
    db.messages.bulkDelete(plan.drop.map((m) => m.key)),
    db.searchIndex.bulkDelete(plan.drop.map((m) => searchKeyOf(m.createdAt, m.key))),
    db.searchPending.bulkDelete(plan.drop.map((m) => m.key)),
    db.marks.bulkDelete(froms),
    moved.length ? db.marks.bulkPut(moved) : Promise.resolve(),
  ]);
}

/** Copies of one post stored under both channels before this console merged them, read a chunk at a time. */
const MERGE_CHUNK = 500;
const MERGED_SETTING = 'xPostsMerged';
const MERGE_DELAY_MS = 3_000;

/**
 * Once per store: posts stored twice by an earlier version (as a mention and as
 * a search hit) become one, with its marks. Reads only the search hits (by the
 * channel index) and their twins' keys.
 */
export async function mergeStoredPosts(db: WebcareDb): Promise<number> {
  if ((await db.settings.get(MERGED_SETTING))?.value === true) {
    merged.add(db);
    return 0;
  }
  let count = 0;
  let after: Pick<Message, 'createdAt' | 'key'> | null = null;
  for (;;) {
    const from: Pick<Message, 'createdAt' | 'key'> | null = after;
    // Keys of the search hits, oldest first, after the last one read (ties of one millisecond by key).
    const chunk = (
      await db.messages
        .where('[channel+createdAt]')
        .between(['x_search', from?.createdAt ?? -Infinity], ['x_search', Infinity], true, true)
        .filter((m) => from === null || m.createdAt > from.createdAt || m.key > from.key)
        .limit(MERGE_CHUNK)
        .toArray()
    ).map((m) => ({ key: m.key, createdAt: m.createdAt, channel: m.channel, platformId: m.platformId }));
    if (chunk.length === 0) break;
    await db.transaction('rw', [db.messages, db.marks, db.searchIndex, db.searchPending], async () => {
      const keys = chunk.flatMap((m) => [m.key, twinKey(m)]);
      const found = await db.messages.bulkGet(keys);
      const stored = new Map<string, Message>();
      found.forEach((m, i) => {
        if (m) stored.set(keys[i] as string, m);
      });
      const pairs = chunk.flatMap((m) => {
        const hit = stored.get(m.key);
        return hit && stored.has(twinKey(m)) ? [hit] : [];
      });
      if (pairs.length === 0) return;
      const plan = planPostMerge(pairs, stored);
      await dropCopies(db, plan);
      const dropped = new Set(plan.drop.map((m) => m.key));
      await db.messages.bulkPut(plan.put.filter((m) => !dropped.has(m.key)));
      count += plan.drop.length;
    });
    const last = chunk[chunk.length - 1] as Pick<Message, 'createdAt' | 'key'>;
    after = { createdAt: last.createdAt, key: last.key };
  }
  await db.settings.put({ key: MERGED_SETTING, value: true });
  merged.add(db);
  return count;
}

/** A batch as the ingest writes it: its valid messages, the records of the others, and what team mode adds. */
interface Prepared {
  batch: MessageBatchEvent;
  messages: Message[];
  setAside: SetAsideRecord[];
  marks: StoredMark[];
  workflow: NonNullable<MessageBatchEvent['workflow']>;
  left: TeamLeft[];
}

function prepare(batch: MessageBatchEvent, at: number): Prepared {
  const { messages, setAside } = sortBatch(batch, at);
  if (setAside.length) console.warn(`batch ${batch.batchId}: ${setAside.length} message(s) set aside (${setAside[0]!.reason})`);
  return { batch, messages, setAside, marks: teamMarks(batch), workflow: batch.workflow ?? [], left: batch.left ?? [] };
}

/**
 * Inside a rw transaction over messages, searchIndex and searchPending: removes the stored
 * messages of what moved out of this console's departments (a conversation, or an account's
 * messages of a department) with their search rows; returns them. Their marks stay: should
 * the conversation come back, its messages come again with the team's new version, and the
 * marks, which did not change, do not.
 */
export async function letGo(db: WebcareDb, left: readonly TeamLeft[]): Promise<Message[]> {
  const gone = new Map<string, Message>();
  for (const l of left) {
    if ('conversationKey' in l) {
      const conversationId = l.conversationKey.slice(l.conversationKey.indexOf(':') + 1);
      for (const m of await db.messages.where('conversationId').equals(conversationId).toArray()) if (conversationKeyOf(m) === l.conversationKey) gone.set(m.key, m);
    } else {
      // No index by account: a whole walk, for a change a lead makes now and then.
      for (const m of await db.messages.filter((m) => m.accountId === l.accountId && m.department === l.department).toArray()) gone.set(m.key, m);
    }
  }
  if (gone.size === 0) return [];
  const list = [...gone.values()];
  await Promise.all([
    db.messages.bulkDelete(list.map((m) => m.key)),
    db.searchIndex.bulkDelete(list.map((m) => searchKeyOf(m.createdAt, m.key))),
    db.searchPending.bulkDelete(list.map((m) => m.key)),
  ]);
  return list;
}

/** Inside the write's transaction: one batch, from its messages as they came (a failed transaction's merge is undone with it). */
async function writeOne(db: WebcareDb, p: Prepared): Promise<{ stored: Message[]; gone: Message[] }> {
  let messages = p.messages;
  // One X post, one card: merged with a copy stored under either key (marks first, so the team's stand).
  if (messages.some((m) => isXPostChannel(m.channel))) messages = await mergeXPosts(db, messages);
  // Team mode: the team's marks overwrite this window's (the team's version is the one that stands).
  if (p.marks.length) await db.marks.bulkPut(p.marks);
  // Team workflow: the log's records; a pending action of this console that the team applied is no longer pending.
  if (p.workflow.length) {
    // The team's canned-reply library and its uses follow the log's records (first arrival only).
    await applyCannedRecords(db, p.workflow);
    await db.workflow.bulkPut(p.workflow);
    await db.workflowQueue.where('id').anyOf(p.workflow.map((r) => r.id)).delete();
  }
  // Queued for search in the same transaction (a stored message always gets indexed); the
  // indexing itself writes many index entries per message, so it waits until arrivals pause.
  // Set-aside records are copies: bulkAdd writes the new ids into what it is given, and a retry must not reuse them.
  await Promise.all([
    db.messages.bulkPut(messages),
    queueForSearch(db, messages),
    p.setAside.length ? db.setAside.bulkAdd(p.setAside.map((r) => ({ ...r }))) : undefined,
  ]);
  // After the batch's own messages: what it says moved away goes, whatever came with it.
  const gone = p.left.length ? await letGo(db, p.left) : [];
  return { stored: messages, gone };
}

/**
 * Writes batches in one transaction, each in turn (a later batch sees what an
 * earlier one wrote, as if written one after another). The promise settles
 * after IndexedDB reports the commit, not when the requests are queued.
 */
async function writeBatches(db: WebcareDb, group: readonly Prepared[]): Promise<void> {
  const posts = group.some((p) => p.messages.some((m) => isXPostChannel(m.channel)));
  const setAside = group.some((p) => p.setAside.length > 0);
  const marks = posts || group.some((p) => p.marks.length > 0);
  const workflow = group.some((p) => p.workflow.length > 0);
  const canned = group.some((p) => hasCannedRecords(p.workflow));
  const left = group.some((p) => p.left.length > 0);
  const tables = [
    db.messages,
    db.searchPending,
    ...(setAside ? [db.setAside] : []),
    ...(marks ? [db.marks] : []),
    ...(posts || left ? [db.searchIndex] : []),
    ...(workflow ? [db.workflow, db.workflowQueue] : []),
    ...(canned ? [db.canned, db.cannedUses] : []),
  ];
  const stored: Message[] = [];
  await db.transaction('rw', tables, async () => {
    for (const p of group) {
      const w = await writeOne(db, p);
      // What was let go of counts as changed too: the columns that showed it read again.
      stored.push(...w.stored, ...w.gone);
    }
    if (!setAside) return;
    const over = (await db.setAside.count()) - SET_ASIDE_KEEP;
    if (over > 0) await db.setAside.bulkDelete(await db.setAside.orderBy(':id').limit(over).primaryKeys());
  });
  // Committed: the board's columns re-read only for what concerns them (db/stored.ts).
  publishStored(db, { messages: stored, marks: group.flatMap((p) => p.marks), workflow: group.flatMap((p) => p.workflow) });
}

/**
 * Batches waiting at once are written together, up to this many messages in one
 * transaction: a burst costs a commit per group instead of one per page, while a
 * transaction stays short enough for the board's reads in between.
 */
export const GROUP_MAX_MESSAGES = 1_000;

/** The batches at the head of the queue that go into one write (at least one). */
function takeGroup(queue: Prepared[]): Prepared[] {
  let size = 0;
  let n = 0;
  while (n < queue.length) {
    size += queue[n]!.batch.messages.length;
    if (n > 0 && size > GROUP_MAX_MESSAGES) break;
    n++;
  }
  return queue.splice(0, n);
}

/** Where batches come from and where their acknowledgements go: the host, or (in the ingest worker) the window. */
export interface BatchSource {
  onBatch(fn: (batch: MessageBatchEvent) => void): () => void;
  /** Not awaited: the host advances the stream's cursor on it; one that never arrives only means the batch comes again. */
  ack(batchId: string): void;
}

/** The host's batches, acknowledged to it. */
export function hostBatches(host: Pick<HostApi, 'on' | 'call'>): BatchSource {
  return {
    onBatch: (fn) => host.on('messagesArrived', fn),
    ack: (batchId) => {
      host.call('ackBatch', { batchId }).catch(() => undefined);
    },
  };
}

export function startIngest(host: HostApi, db: WebcareDb): () => void {
  return startIngestFrom(hostBatches(host), db);
}

/** Batches handed over by hand (`feed`), each acknowledged through `ack`: the ingest worker's, or the page's own when the worker failed. */
export function handedBatches(ack: (batchId: string) => void): { source: BatchSource; feed: (batch: MessageBatchEvent) => void } {
  const listeners = new Set<(batch: MessageBatchEvent) => void>();
  return {
    source: {
      onBatch: (fn) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
      ack,
    },
    feed: (batch) => {
      for (const fn of listeners) fn(batch);
    },
  };
}

/**
 * Everything that writes what arrives: the ingest, the search indexing that follows it, and
 * the reports' facts compaction (the ingest's small chunks merged into large ones). Run in the
 * ingest worker, or in the page when no worker runs. Returns the stop function.
 */
export function startStoring(source: BatchSource, db: WebcareDb): () => void {
  const stops = [startIngestFrom(source, db), startSearchIndexing(db), startFactsCompaction(db)];
  return () => {
    for (const stop of stops) stop();
  };
}

export function startIngestFrom(source: BatchSource, db: WebcareDb): () => void {
  const queue: Prepared[] = [];
  let draining = false;

  // Not awaited: the next write need not wait for the round trip, and acks still leave in order.
  // An ack that never arrives (host gone) only means the batch comes again: the upsert absorbs it.
  const ack = (p: Prepared) => source.ack(p.batch.batchId);

  /** One batch alone: a write can fail for a passing reason (quota pressure, a blocked upgrade in another tab). */
  const storeAlone = async (p: Prepared): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await writeBatches(db, [p]);
        break;
      } catch (e) {
        if (attempt >= WRITE_ATTEMPTS - 1) {
          console.warn(`batch ${p.batch.batchId} not stored; the host sends it again on reconnect`, e);
          return;
        }
        await new Promise((r) => setTimeout(r, RETRY_BASE_MS * 2 ** attempt));
      }
    }
    ack(p);
  };

  const drain = async () => {
    try {
      await drainQueue();
    } finally {
      draining = false;
    }
  };
  const drainQueue = async () => {
    while (queue.length) {
      const group = takeGroup(queue);
      if (group.length > 1) {
        try {
          await writeBatches(db, group);
          // Committed: every batch of the group is stored, so each is acknowledged, in order.
          for (const p of group) ack(p);
          continue;
        } catch {
          // Nothing of the group was stored and none of it is acknowledged: each batch is written
          // on its own instead, so one that cannot be stored does not hold back the others.
        }
      }
      for (const p of group) await storeAlone(p);
    }
  };

  const unsubscribe = source.onBatch((batch) => {
    queue.push(prepare(batch, Date.now()));
    if (draining) return;
    draining = true;
    // After the current task: batches that arrive together are written together.
    queueMicrotask(() => void drain());
  });
  // Once per store, off the start-up path: posts an earlier version stored twice become one.
  const merge = setTimeout(() => {
    // A window closing meanwhile closes the store: the merge runs at the next start instead.
    mergeStoredPosts(db).catch((e: unknown) => {
      if ((e as Error | undefined)?.name !== 'DatabaseClosedError') console.warn('stored X posts not merged', e);
    });
  }, MERGE_DELAY_MS);
  return () => {
    clearTimeout(merge);
    unsubscribe();
  };
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
