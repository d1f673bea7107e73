import type { MediaInput } from '../../shared/contract.js';
import type { Message } from '../../shared/model.js';
import { messageKey } from '../../shared/model.js';
import { usagePercent, type GraphClient } from './graph.js';
import type { Deliver, PollResult } from './x.js';

/** Graph wire shapes as far as the console reads them (fixtures in test/fixtures). */
interface FbFrom {
  id?: string;
  name?: string;
}
export interface FbComment {
  id?: string;
  message?: string;
  created_time?: string;
  from?: FbFrom;
  parent?: { id?: string };
  permalink_url?: string;
  is_hidden?: boolean;
}
export interface FbPost {
  id?: string;
  /** The Page itself, or a visitor who posted on the Page. */
  from?: FbFrom;
  message?: string;
  created_time?: string;
  permalink_url?: string;
  comments?: { data?: FbComment[] };
}
export interface FbMessage {
  id?: string;
  message?: string;
  created_time?: string;
  from?: FbFrom;
}
export interface FbConversation {
  id?: string;
  updated_time?: string;
  participants?: { data?: FbFrom[] };
  messages?: { data?: FbMessage[] };
}

export interface FbAccount {
  id: string;
  platformUserId: string; // the Page id
  name: string;
}

/** Graph writes `+0000`; normalise before parsing so every engine agrees. */
export function fbTime(s: string | undefined): number | null {
  if (typeof s !== 'string') return null;
  const t = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(t) ? t : null;
}

/**
 * A time cursor plus the ids seen at that exact second, so a poll that
 * overlaps the last one (Graph `since` is inclusive) hands nothing over twice.
 */
export interface TimeCursor {
  t: number;
  ids: string[];
}
export function parseTimeCursor(s: string | undefined): TimeCursor | null {
  if (!s) return null;
  try {
    const c = JSON.parse(s) as TimeCursor;
    return typeof c.t === 'number' && Array.isArray(c.ids) ? c : null;
  } catch {
    return null;
  }
}

function isNew(m: Message, c: TimeCursor | null): boolean {
  if (!c) return true;
  return m.createdAt > c.t || (m.createdAt === c.t && !c.ids.includes(m.platformId));
}

function advance(c: TimeCursor | null, msgs: Message[]): TimeCursor | null {
  let next = c ? { t: c.t, ids: [...c.ids] } : null;
  for (const m of msgs) {
    if (!next || m.createdAt > next.t) next = { t: m.createdAt, ids: [m.platformId] };
    else if (m.createdAt === next.t && !next.ids.includes(m.platformId)) next.ids.push(m.platformId);
  }
  return next;
}

function validId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9_.:-]{1,200}$/.test(id);
}

export function mapComments(posts: FbPost[], account: FbAccount, now: number): { messages: Message[]; skipped: number } {
  const messages: Message[] = [];
  let skipped = 0;
  for (const post of Array.isArray(posts) ? posts : []) {
    // On a visitor's post the post itself is the thread (it arrives as a message of its own).
    const visitorPost = validId(post?.id) && validId(post?.from?.id) && post.from.id !== account.platformUserId ? post.id : undefined;
    for (const c of post?.comments?.data ?? []) {
      if (!c || !validId(c.id) || typeof c.message !== 'string' || !validId(c.from?.id)) {
        skipped++;
        continue;
      }
      // Facebook threads are one level deep: the top-level comment is the thread.
      const parent = validId(c.parent?.id) ? c.parent.id : undefined;
      const top = parent ?? c.id;
      messages.push({
        key: messageKey('fb_comment', c.id),
        platformId: c.id,
        channel: 'fb_comment',
        accountId: account.id,
        conversationId: visitorPost ?? top,
        inReplyToId: parent ?? visitorPost,
        author: { id: c.from.id, name: c.from.name ?? c.from.id, handle: '' },
        text: c.message,
        createdAt: fbTime(c.created_time) ?? now,
        url: typeof c.permalink_url === 'string' ? c.permalink_url : `https://www.facebook.com/${encodeURIComponent(c.id)}`,
        fromUs: c.from.id === account.platformUserId,
      });
    }
  }
  return { messages, skipped };
}

export function mapConversations(convs: FbConversation[], account: FbAccount, now: number): { messages: Message[]; skipped: number } {
  const messages: Message[] = [];
  let skipped = 0;
  for (const conv of Array.isArray(convs) ? convs : []) {
    if (!conv || !validId(conv.id)) {
      skipped++;
      continue;
    }
    for (const m of conv.messages?.data ?? []) {
      if (!m || !validId(m.id) || typeof m.message !== 'string' || !validId(m.from?.id)) {
        skipped++;
        continue;
      }
      messages.push({
        key: messageKey('fb_message', m.id),
        platformId: m.id,
        channel: 'fb_message',
        accountId: account.id,
        conversationId: conv.id,
        author: { id: m.from.id, name: m.from.name ?? m.from.id, handle: '' },
        text: m.message,
        createdAt: fbTime(m.created_time) ?? now,
        url: 'https://business.facebook.com/latest/inbox',
        fromUs: m.from.id === account.platformUserId,
      });
    }
  }
  return { messages, skipped };
}

const COMMENT_FIELDS = 'id,message,created_time,from,parent{id},permalink_url,is_hidden';

export async function pollComments(graph: GraphClient, account: FbAccount, cursor: string | undefined, deliver: Deliver, now: () => number): Promise<PollResult> {
  const c = parseTimeCursor(cursor);
  const { body, usage } = await graph.get<{ data?: FbPost[] }>(`${account.platformUserId}/feed`, {
    fields: `id,from,message,created_time,permalink_url,comments.filter(stream).order(reverse_chronological).limit(100){${COMMENT_FIELDS}}`,
    limit: 25,
  });
  const mapped = mapComments(body.data ?? [], account, now());
  const fresh = mapped.messages.filter((m) => isNew(m, c)).sort((a, b) => a.createdAt - b.createdAt);
  if (fresh.length) await deliver(fresh);
  const next = advance(c, fresh);
  return { cursor: next ? JSON.stringify(next) : cursor, skipped: mapped.skipped, usagePct: usagePercent(usage) };
}

/** Posts by visitors on the Page, each a message of its own (channel fb_comment, `visitorPost`), its own thread. */
export function mapVisitorPosts(posts: FbPost[], account: FbAccount, now: number): { messages: Message[]; skipped: number } {
  const messages: Message[] = [];
  let skipped = 0;
  for (const p of Array.isArray(posts) ? posts : []) {
    if (!p || !validId(p.id) || !validId(p.from?.id)) {
      skipped++;
      continue;
    }
    // A photo or a check-in without words is still a post to answer.
    messages.push({
      key: messageKey('fb_comment', p.id),
      platformId: p.id,
      channel: 'fb_comment',
      accountId: account.id,
      conversationId: p.id,
      author: { id: p.from.id, name: p.from.name ?? p.from.id, handle: '' },
      text: typeof p.message === 'string' ? p.message : '',
      createdAt: fbTime(p.created_time) ?? now,
      url: typeof p.permalink_url === 'string' ? p.permalink_url : `https://www.facebook.com/${encodeURIComponent(p.id)}`,
      fromUs: p.from.id === account.platformUserId,
      visitorPost: true,
    });
  }
  return { messages, skipped };
}

/** GET /{page-id}/visitor_posts (pages_read_user_content): new posts by others on the Page. */
export async function pollVisitorPosts(graph: GraphClient, account: FbAccount, cursor: string | undefined, deliver: Deliver, now: () => number): Promise<PollResult> {
  const c = parseTimeCursor(cursor);
  const { body, usage } = await graph.get<{ data?: FbPost[] }>(`${account.platformUserId}/visitor_posts`, {
    fields: 'id,from,message,created_time,permalink_url',
    limit: 25,
  });
  const mapped = mapVisitorPosts(body.data ?? [], account, now());
  const fresh = mapped.messages.filter((m) => isNew(m, c)).sort((a, b) => a.createdAt - b.createdAt);
  if (fresh.length) await deliver(fresh);
  const next = advance(c, fresh);
  return { cursor: next ? JSON.stringify(next) : cursor, skipped: mapped.skipped, usagePct: usagePercent(usage) };
}

export async function pollMessenger(graph: GraphClient, account: FbAccount, cursor: string | undefined, deliver: Deliver, now: () => number): Promise<PollResult> {
  const c = parseTimeCursor(cursor);
  const { body, usage } = await graph.get<{ data?: FbConversation[] }>(`${account.platformUserId}/conversations`, {
    platform: 'messenger',
    fields: 'participants,updated_time,messages.limit(20){id,created_time,from,to,message}',
    limit: 25,
  });
  const mapped = mapConversations(body.data ?? [], account, now());
  const fresh = mapped.messages.filter((m) => isNew(m, c)).sort((a, b) => a.createdAt - b.createdAt);
  if (fresh.length) await deliver(fresh);
  const next = advance(c, fresh);
  return { cursor: next ? JSON.stringify(next) : cursor, skipped: mapped.skipped, usagePct: usagePercent(usage) };
}

function imageBlob(media: MediaInput): Blob {
  return new Blob([Buffer.from(media.dataBase64, 'base64')], { type: media.mimeType });
}

const EXT: Record<MediaInput['mimeType'], string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' };

/** An unpublished Page photo to attach to a comment (POST /{page-id}/photos, published=false). */
export async function uploadCommentPhoto(graph: GraphClient, account: FbAccount, media: MediaInput): Promise<string> {
  const form = new FormData();
  form.set('published', 'false');
  form.set('temporary', 'true');
  if (media.alt) form.set('alt_text_custom', media.alt);
  form.set('source', imageBlob(media), `reply.${EXT[media.mimeType]}`);
  const { body } = await graph.postForm<{ id?: string }>(`${account.platformUserId}/photos`, form);
  if (!validId(body.id)) throw new Error('Facebook answered without a photo id');
  return body.id;
}

/** A Messenger image attachment (POST /{page-id}/message_attachments). */
export async function uploadMessengerImage(graph: GraphClient, account: FbAccount, media: MediaInput): Promise<string> {
  const form = new FormData();
  form.set('message', JSON.stringify({ attachment: { type: 'image', payload: { is_reusable: false } } }));
  form.set('filedata', imageBlob(media), `reply.${EXT[media.mimeType]}`);
  const { body } = await graph.postForm<{ attachment_id?: string }>(`${account.platformUserId}/message_attachments`, form);
  if (!validId(body.attachment_id)) throw new Error('Facebook answered without an attachment id');
  return body.attachment_id;
}

export async function replyToComment(graph: GraphClient, account: FbAccount, conversationId: string, inReplyToId: string, text: string, now: number, media?: MediaInput): Promise<Message> {
  // Replies attach to the top-level comment; Facebook has no deeper threads.
  const attachment = media ? await uploadCommentPhoto(graph, account, media) : undefined;
  const { body } = await graph.post<{ id?: string }>(`${encodeURIComponent(conversationId)}/comments`, { ...(text ? { message: text } : {}), ...(attachment ? { attachment_id: attachment } : {}) });
  if (!validId(body.id)) throw new Error('Facebook answered without a comment id');
  return {
    ...(attachment ? { mediaCount: 1 } : {}),
    key: messageKey('fb_comment', body.id),
    platformId: body.id,
    channel: 'fb_comment',
    accountId: account.id,
    conversationId,
    inReplyToId,
    author: { id: account.platformUserId, name: account.name, handle: '' },
    text,
    createdAt: now,
    url: `https://www.facebook.com/${encodeURIComponent(body.id)}`,
    fromUs: true,
  };
}

/** The image step of a Messenger reply: already sent (its message id), and how to note that it was. */
export interface ImageStep {
  sent?: string;
  record(messageId: string): Promise<void>;
}

export async function sendMessenger(graph: GraphClient, account: FbAccount, conversationId: string, recipientId: string, text: string, now: number, humanAgent = false, media?: MediaInput, imageStep?: ImageStep): Promise<Message> {
  // Inside 24 hours a RESPONSE; after it, only a person's reply with HUMAN_AGENT, up to 7 days (PLATFORMS.md §5.7).
  const kind = humanAgent ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : { messaging_type: 'RESPONSE' };
  let imageId: string | undefined = media ? imageStep?.sent : undefined;
  // A retry after the text failed: the image is already in the conversation and is not sent again.
  if (media && imageId === undefined) {
    // Text and an image never travel in one Messenger message: the image goes first, the text (if any) is the reply.
    const attachment = await uploadMessengerImage(graph, account, media);
    const sent = await graph.post<{ message_id?: string }>(`${account.platformUserId}/messages`, {
      recipient: { id: recipientId },
      ...kind,
      message: { attachment: { type: 'image', payload: { attachment_id: attachment } } },
    });
    imageId = sent.body.message_id;
    if (!validId(imageId)) throw new Error('Facebook answered without a message id');
    await imageStep?.record(imageId);
  }
  const body = text
    ? (await graph.post<{ message_id?: string }>(`${account.platformUserId}/messages`, { recipient: { id: recipientId }, ...kind, message: { text } })).body
    : { message_id: imageId };
  if (!validId(body.message_id)) throw new Error('Facebook answered without a message id');
  return {
    ...(media ? { mediaCount: 1 } : {}),
    key: messageKey('fb_message', body.message_id),
    platformId: body.message_id,
    channel: 'fb_message',
    accountId: account.id,
    conversationId,
    author: { id: account.platformUserId, name: account.name, handle: '' },
    text,
    createdAt: now,
    url: 'https://business.facebook.com/latest/inbox',
    fromUs: true,
  };
}

export interface ManagedPage {
  id: string;
  name: string;
  accessToken: string;
  tasks: string[];
}

/** The Pages a user or System User token can manage (`pages_show_list`). */
export async function listPages(graph: GraphClient): Promise<ManagedPage[]> {
  const { body } = await graph.get<{ data?: { id?: string; name?: string; access_token?: string; tasks?: string[] }[] }>('me/accounts', {
    fields: 'id,name,access_token,tasks',
  });
  return (body.data ?? [])
    .filter((p) => validId(p.id) && typeof p.access_token === 'string')
    .map((p) => ({ id: p.id as string, name: p.name ?? (p.id as string), accessToken: p.access_token as string, tasks: p.tasks ?? [] }));
}

/** Our reply in a comment thread with this text since `since`, for reconciling after an ambiguous send. */
export async function findCommentReply(graph: GraphClient, account: FbAccount, conversationId: string, matches: (text: string) => boolean, since: number, exclude: ReadonlySet<string>, now: number): Promise<Message | null> {
  const { body } = await graph.get<{ data?: FbComment[] }>(`${encodeURIComponent(conversationId)}/comments`, {
    filter: 'stream',
    order: 'reverse_chronological',
    fields: COMMENT_FIELDS,
    limit: 100,
  });
  const { messages } = mapComments([{ id: conversationId, comments: { data: (body.data ?? []).map((c) => ({ ...c, parent: c.parent ?? { id: conversationId } })) } }], account, now);
  return messages.find((m) => m.fromUs && m.createdAt >= since && matches(m.text) && !exclude.has(m.key)) ?? null;
}

/** Our Messenger message in that conversation with this text since `since`. */
export async function findMessengerReply(graph: GraphClient, account: FbAccount, conversationId: string, matches: (text: string) => boolean, since: number, exclude: ReadonlySet<string>, now: number): Promise<Message | null> {
  const { body } = await graph.get<{ data?: FbConversation[] }>(`${account.platformUserId}/conversations`, {
    platform: 'messenger',
    fields: 'participants,updated_time,messages.limit(25){id,created_time,from,to,message}',
    limit: 50,
  });
  const { messages } = mapConversations((body.data ?? []).filter((c) => c.id === conversationId), account, now);
  return messages.find((m) => m.fromUs && m.createdAt >= since && matches(m.text) && !exclude.has(m.key)) ?? null;
}

/**
 * A private reply to a comment: one per comment, within 7 days of it; the
 * person's Messenger conversation starts only when they answer. Shown in the
 * comment's thread, marked as private.
 */
export async function sendPrivateReply(graph: GraphClient, account: FbAccount, conversationId: string, commentId: string, text: string, now: number): Promise<Message> {
  // A Page post id is `{page-id}_{n}` (a visitor post); a comment id starts with its post's number.
  const onPost = commentId.startsWith(`${account.platformUserId}_`);
  const { body } = await graph.post<{ message_id?: string }>(`${account.platformUserId}/messages`, {
    recipient: onPost ? { post_id: commentId } : { comment_id: commentId },
    message: { text },
  });
  if (!validId(body.message_id)) throw new Error('Facebook answered without a message id');
  return {
    key: messageKey('fb_comment', body.message_id),
    platformId: body.message_id,
    channel: 'fb_comment',
    accountId: account.id,
    conversationId,
    inReplyToId: commentId,
    author: { id: account.platformUserId, name: account.name, handle: '' },
    text,
    createdAt: now,
    url: 'https://business.facebook.com/latest/inbox',
    fromUs: true,
    privately: true,
  };
}

/** Our private reply with this text since `since`, in any Messenger conversation of the Page. */
export async function findPrivateReply(graph: GraphClient, account: FbAccount, conversationId: string, commentId: string, matches: (text: string) => boolean, since: number, exclude: ReadonlySet<string>, now: number): Promise<Message | null> {
  const { body } = await graph.get<{ data?: FbConversation[] }>(`${account.platformUserId}/conversations`, {
    platform: 'messenger',
    fields: 'participants,updated_time,messages.limit(25){id,created_time,from,to,message}',
    limit: 50,
  });
  const { messages } = mapConversations(body.data ?? [], account, now);
  const found = messages.find((m) => m.fromUs && m.createdAt >= since && matches(m.text) && !exclude.has(messageKey('fb_comment', m.platformId)));
  return found ? { ...found, key: messageKey('fb_comment', found.platformId), channel: 'fb_comment', conversationId, inReplyToId: commentId, privately: true } : null;
}

/** Hide, unhide or delete a comment on the Page (MODERATE task). */
export async function moderateComment(graph: GraphClient, commentId: string, action: 'hide' | 'unhide' | 'delete'): Promise<void> {
  if (action === 'delete') await graph.del(encodeURIComponent(commentId));
  else await graph.post(encodeURIComponent(commentId), { is_hidden: action === 'hide' });
}
