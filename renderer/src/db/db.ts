import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { MessageMark } from '../../../shared/filter.js';
import type { Message } from '../../../shared/model.js';
import type { CannedUse } from '../../../shared/reports.js';
import type { MarkAction } from '../../../shared/team.js';
import type { WorkflowAction, WorkflowRecord } from '../../../shared/workflow.js';
import type { FactsChunk } from '../../../shared/reportFacts.js';
import { factsMiddleware } from './facts';
import { storedMiddleware } from './stored';
import { fillThreads, threadsMiddleware, type ThreadRecord } from './threads';

export interface Setting {
  key: string;
  value: unknown;
}

/** A send, written here before the host is asked (the outbox). Fields beyond the indexed ones are the outbox's own. */
export interface OutboxRecord {
  clientId: string;
  state: 'queued' | 'sending' | 'sent' | 'failed' | 'unknown';
  /** `${channel}:${conversationId}`: entries of one conversation go out in order. */
  conversationKey: string;
  createdAt: number;
  [field: string]: unknown;
}

/** A draft per conversation, surviving restarts. */
export interface DraftRecord {
  threadKey: string;
  updatedAt: number;
  [field: string]: unknown;
}

/** An image attached to a draft, explicitly, by the agent. */
export interface DraftMediaRecord {
  id: string;
  threadKey: string;
  [field: string]: unknown;
}

/** A canned reply of the team's library. */
export interface CannedRecord {
  id: string;
  shortcut: string;
  category: string;
  language: string;
  usage: number;
  [field: string]: unknown;
}

/** A column of the board: a saved filter. */
export interface ColumnRecord {
  id: string;
  order: number;
  [field: string]: unknown;
}

/**
 * A message's search entry: `sk` is `${13-digit inverted createdAt}|${message key}`, `words` its
 * folded words in the words index, `rest` its stop words (shared/text/stopWords.ts), kept out of it.
 */
export interface SearchRow {
  sk: string;
  words: string[];
  /** Absent in rows written before stop words were kept apart (their `words` hold them too). */
  rest?: string[];
  /** Its words with a digit as `${inverted hour}|${word}`, in the codes index (see search/searchIndex.ts); absent when none. */
  codes?: string[];
  /** The author as `${platform}:${authorId}` (the identity customers link). */
  who: string;
}

/**
 * Where the backfill of the codes index got to (search/searchIndex.ts startCodesBackfill): the last
 * row's key, or 'done'. Set to '' by the upgrade that adds the index; absent in a store that had it from the start.
 */
export const CODES_BACKFILL_KEY = 'codesBackfill';

/**
 * A stored message not in searchIndex yet (`key`), or several: a row whose key is
 * not a message key names them in `keys` (see search/searchIndex.ts queueForSearch).
 */
export interface PendingRow {
  key: string;
  keys?: string[];
}

/** A person the team linked across channels (an X handle and a Facebook name), stored locally. */
export interface CustomerRecord {
  id: string;
  /** `${platform}:${authorId}` of every linked identity. */
  identities: string[];
  [field: string]: unknown;
}

/**
 * A message of a batch that was not a valid Message (over a limit, unreadable): kept
 * apart with a bounded copy of its JSON, so the rest of its batch is stored and
 * acknowledged and nothing is silently lost. The health view counts them.
 */
export interface SetAsideRecord {
  id?: number;
  batchId: string;
  streamId: string;
  /** `${field}:${problem}` (shared/fitMessage.ts). */
  reason: string;
  /** The start of its JSON. */
  raw: string;
  at: number;
}

/** A mark as stored: in team mode with the colleague who set it last (their name). */
export type StoredMark = MessageMark & { by?: string };

/**
 * Team mode: a mark action made at this console, waiting to be shared with the team.
 * Written in the same transaction as the local mark, removed once the host took it;
 * `n` (auto-increment) keeps the order they are replayed in.
 */
export interface TeamActionRecord {
  n?: number;
  /** The action's id (`action.id`): the team database applies an id once, however often it is sent. */
  id: string;
  action: MarkAction;
  /** Made or last tried while the team database was out of reach (a lost race is then "while you were offline"). */
  offline: boolean;
  attempts: number;
}

/**
 * Team mode: a workflow action (shared/workflow.ts) made at this console and not yet
 * applied by the team database; shown as pending meanwhile and replayed in order.
 */
export interface WorkflowQueueRecord {
  n?: number;
  id: string;
  action: WorkflowAction;
  /** The agent's login when they made it (the pending record's actor). */
  by: string;
  byName: string;
  offline: boolean;
  attempts: number;
  /** The team refused it or a colleague got there first: kept (not replayed) so the agent can see why. */
  failed?: { what: string; by?: string };
}

/**
 * Everything the console stores in the window: every message it was handed
 * (keyed `${channel}:${platformId}`, so a re-sent batch is an idempotent
 * upsert) and the agent's settings. Versions are appended, never edited.
 */
export class WebcareDb extends Dexie {
  // `declare`, not a field: a class field would overwrite the tables Dexie sets up in its constructor.
  declare messages: Table<Message, string>;
  declare settings: Table<Setting, string>;
  declare outbox: Table<OutboxRecord, string>;
  declare drafts: Table<DraftRecord, string>;
  declare canned: Table<CannedRecord, string>;
  declare columns: Table<ColumnRecord, string>;
  declare customers: Table<CustomerRecord, string>;
  declare marks: Table<StoredMark, string>;
  declare searchIndex: Table<SearchRow, string>;
  declare draftMedia: Table<DraftMediaRecord, string>;
  declare searchPending: Table<PendingRow, string>;
  declare setAside: Table<SetAsideRecord, number>;
  declare teamActions: Table<TeamActionRecord, number>;
  declare workflow: Table<WorkflowRecord, string>;
  declare workflowQueue: Table<WorkflowQueueRecord, number>;
  declare threads: Table<ThreadRecord, string>;
  declare cannedUses: Table<CannedUse & { n?: number }, number>;
  declare reportFacts: Table<FactsChunk, number>;

  constructor(name: string, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({
      // [channel+createdAt]: each column, newest first. conversationId: a thread. createdAt: history.
      messages: 'key, [channel+createdAt], conversationId, createdAt',
      settings: 'key',
    });
    // Composing and sending: the outbox, drafts and the canned-reply library.
    this.version(2).stores({
      outbox: 'clientId, state, conversationKey, createdAt',
      drafts: 'threadKey, updatedAt',
      canned: 'id, shortcut, category, language, usage',
    });
    // The board: saved columns and customers linked across channels.
    this.version(3).stores({
      columns: 'id, order',
      customers: 'id, *identities',
    });
    // Board: what the team did with a message (status, department tag, assignee, hidden),
    // apart from the message so the ingest's upsert of a re-sent batch never undoes it.
    // assignee and tag: "mine" and department columns read these sparse marks first.
    this.version(4).stores({
      marks: 'key, assignee, tag',
    });
    // Search: one row per message, its folded words in a multiEntry index for prefix
    // lookups; the key sorts newest first (see search/searchIndex.ts). Filled on ingest and by a backfill.
    // who: the author's `${platform}:${id}`, for a customer's earlier conversations, newest first.
    this.version(5).stores({
      searchIndex: 'sk, *words, who',
    });
    // Composing: images attached to a draft, one row each, apart from the draft's text
    // so that typing never rewrites them; removed with the draft when the reply is queued.
    this.version(6).stores({
      draftMedia: 'id, threadKey',
    });
    // Search: keys of stored messages not yet in searchIndex. The ingest adds them in its
    // own transaction (one small row each); indexing them follows when arrivals pause, off the ingest path.
    this.version(7).stores({
      searchPending: 'key',
    });
    // Messages of a batch that were not valid Messages, set aside by the ingest (newest last).
    this.version(8).stores({
      setAside: '++id',
    });
    // Team mode: mark actions not yet shared with the team (the database was out of reach), in
    // the order they were made; `id` unique, so an action is queued once.
    this.version(9).stores({
      teamActions: '++n, &id',
    });
    // Team workflow: the team's log (records by id, read in seq order) and this console's actions
    // not yet applied by the team database, in the order they were made.
    this.version(10).stores({
      workflow: 'id, seq, conversationKey',
      workflowQueue: '++n, &id',
    });
    // The board: per thread (answerThreadKey) what a card's state needs without reading the thread
    // (see threads.ts); kept by threadsMiddleware in every transaction that writes messages.
    this.version(11)
      .stores({ threads: 'key' })
      .upgrade((tx) => fillThreads(tx));
    // Reports: each canned reply put into a reply, by whom and when (the library's `usage` is a count without a date);
    // and what the reports read of every message, in compact chunks by the newest message in each (see facts.ts).
    this.version(12).stores({ cannedUses: '++n, at', reportFacts: '++id, to' });
    // Search: words with a digit (tracking codes, postcodes, order numbers) by hour, newest first, so the
    // newest of thousands of codes under a prefix are a few ranges (see search/searchIndex.ts). Rows stored
    // before get theirs from a backfill, in the background: the upgrade only says that it is to run.
    this.version(13)
      .stores({ searchIndex: 'sk, *words, who, *codes' })
      .upgrade((tx) => tx.table('settings').put({ key: CODES_BACKFILL_KEY, value: '' }));
    this.use(threadsMiddleware);
    this.use(factsMiddleware);
    // What a write of this window stored, for the columns (see stored.ts).
    this.use(storedMiddleware);
  }
}

export function openDb(name = 'webcare'): WebcareDb {
  return new WebcareDb(name);
}
