import { isPrivateChannel } from '../../../shared/conversation.js';
import type { MessageMark, MessageStatus } from '../../../shared/filter.js';
import { ChannelSchema, type Sentiment } from '../../../shared/model.js';
import type { WebcareDb } from '../db/db';
import { publishStored } from '../db/stored';
import { markActions } from '../team/markSync';
import { teamMarkSink, type TeamMarkSink } from '../team/sink';

/**
 * What the agent does to a message (done, archived, tagged, assigned, deleted
 * from the view) is a mark in its own table, keyed like the message: the
 * ingest upserts whole messages from re-sent batches and never touches it.
 */
export type MarkPatch = { status?: MessageStatus; tag?: string | null; assignee?: string | null; hidden?: boolean; sentiment?: Sentiment | null };

/** The mark after a change; `null` clears a tag or assignee. */
export function applyMark(prev: MessageMark | undefined, key: string, patch: MarkPatch, now: number): MessageMark {
  const next: MessageMark = { key, status: patch.status ?? prev?.status ?? 'open', at: now };
  const tag = patch.tag === undefined ? prev?.tag : (patch.tag ?? undefined);
  const assignee = patch.assignee === undefined ? prev?.assignee : (patch.assignee ?? undefined);
  const hidden = patch.hidden ?? prev?.hidden;
  const sentiment = patch.sentiment === undefined ? prev?.sentiment : (patch.sentiment ?? undefined);
  if (tag !== undefined && tag.trim() !== '') next.tag = tag.trim().slice(0, 60);
  if (assignee !== undefined && assignee.trim() !== '') next.assignee = assignee.trim().slice(0, 100);
  if (hidden) next.hidden = true;
  if (sentiment !== undefined) next.sentiment = sentiment;
  return next;
}

/**
 * The local mark is written at once (the board answers instantly). In team mode
 * the same change is also queued as a mark action in the same transaction, so it
 * reaches the team even when the window closes or the database is away right now.
 */
export async function markMessages(db: WebcareDb, picked: readonly string[], patch: MarkPatch, now = Date.now(), team: TeamMarkSink | null = teamMarkSink()): Promise<void> {
  if (picked.length === 0) return;
  // How a message sounds is that message's own: a conversation's earlier messages keep theirs.
  const keys = patch.sentiment !== undefined && Object.keys(patch).length === 1 ? [...new Set(picked)] : await withConversations(db, picked);
  const share = team?.active() ? team : null;
  let marks: MessageMark[] = [];
  await db.transaction('rw', share ? [db.marks, db.teamActions] : [db.marks], async () => {
    const prev = await db.marks.bulkGet([...keys]);
    marks = keys.map((key, i) => applyMark(prev[i], key, patch, now));
    await db.marks.bulkPut(marks);
    if (share) {
      const offline = share.offline();
      await db.teamActions.bulkAdd(markActions(keys, prev, patch, now).map((action) => ({ id: action.id, action, offline, attempts: 0 })));
    }
  });
  // Committed: the columns re-read only where these marks show (db/stored.ts).
  publishStored(db, { messages: [], marks });
  share?.kick();
}

/** Done when any of them is still open, open again otherwise: `e` on a done card undoes it. */
export async function toggleDone(db: WebcareDb, picked: readonly string[], team: TeamMarkSink | null = teamMarkSink()): Promise<MessageStatus> {
  const keys = await withConversations(db, picked);
  const marks = await db.marks.bulkGet([...keys]);
  const status: MessageStatus = marks.some((m) => (m?.status ?? 'open') !== 'done') ? 'done' : 'open';
  await markMessages(db, keys, { status }, Date.now(), team);
  return status;
}

/** The channel a message key names (`${channel}:${platformId}`). */
function channelOfKey(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

/**
 * An X DM or Messenger message stands on the board for its conversation (one
 * card, shown by its newest message): what the agent does to it is done to
 * the conversation's messages up to it, theirs and ours. A message that came
 * in after it (not yet seen) keeps its own state, so a new question is never
 * marked done unseen. Other keys are passed as they are.
 */
export async function withConversations(db: WebcareDb, keys: readonly string[]): Promise<string[]> {
  const privateKeys = keys.filter((k) => {
    const c = ChannelSchema.safeParse(channelOfKey(k));
    return c.success && isPrivateChannel(c.data);
  });
  if (privateKeys.length === 0) return [...keys];
  const out = new Set(keys);
  const upTo = new Map<string, { channel: string; conversationId: string; at: number }>();
  for (const m of await db.messages.bulkGet(privateKeys)) {
    if (!m) continue;
    const k = `${m.channel}:${m.conversationId}`;
    const prev = upTo.get(k);
    if (!prev || prev.at < m.createdAt) upTo.set(k, { channel: m.channel, conversationId: m.conversationId, at: m.createdAt });
  }
  for (const { channel, conversationId, at } of upTo.values()) {
    const more = await db.messages
      .where('conversationId')
      .equals(conversationId)
      .filter((m) => m.channel === channel && m.createdAt <= at)
      .primaryKeys();
    for (const k of more) out.add(k);
  }
  return [...out];
}
