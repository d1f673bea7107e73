import type { MediaInput } from '../../../../shared/contract.js';
import type { Message } from '../../../../shared/model.js';
import { messageKey } from '../../../../shared/model.js';
import { GraphError, usagePercent, type GraphClient } from './graph.js';
import type { Deliver, PollResult } from '../types.js';
import { walkStream, type WalkSpec } from '../../walk.js';

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
  comments?: { data?: FbComment[]; paging?: GraphPaging };
}
/** Graph cursor paging as it comes on an edge or a nested edge. */
export interface GraphPaging {
  cursors?: { before?: string; after?: string };
  next?: string;
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
  messages?: { data?: FbMessage[]; paging?: GraphPaging };
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

/**
 * How far back comments are looked for: on the Page's posts of the last 28
 * days. Every poll lists those posts (`/{page-id}/feed`, newest first, 100 a
 * page, to the first post older than that) each with its newest comment
 * (`comments.filter(stream).order(reverse_chronological).limit(1)`), and reads
 * further only on the posts whose newest comment is new. Comments on older
 * posts are not looked for.
 */
export const FB_COMMENT_LOOKBACK_DAYS = 28;
/** Feed pages of 100 posts a poll lists at most: 1,000 posts in the lookback. */
export const FB_SCAN_PAGES = 10;
/** A first poll reads further comments on this many posts, the most recently commented first. */
export const FB_FIRST_POLL_POSTS = 10;

function timeMark() {
  return {
    isNew: (m: Message, floor: TimeCursor | null) => isNew(m, floor),
    advance: (mark: TimeCursor | null, delivered: Message[]) => advance(mark, delivered),
    lower: (a: TimeCursor | null, b: TimeCursor | null): TimeCursor | null => {
      if (a === null || b === null) return null;
      if (a.t !== b.t) return a.t < b.t ? a : b;
      // Same second: only what both had seen counts as seen.
      return { t: a.t, ids: a.ids.filter((id) => b.ids.includes(id)) };
    },
    timeOf: (mark: TimeCursor | null) => mark?.t ?? null,
    legacyMark: (cursor: string) => parseTimeCursor(cursor),
  };
}

/**
 * How many requests one poll may make: Graph reports usage as a percentage
 * (X-App-Usage, X-Page-Usage, X-Business-Use-Case-Usage) instead of a count.
 */
export class UsageMemo {
  private pct: number | undefined;
  note(p: number | undefined): void {
    if (p !== undefined) this.pct = p;
  }
  /** A GET whose usage headers are noted; the page's usage comes back with its body. */
  async read<T>(graph: GraphClient, path: string, params: Record<string, string | number>): Promise<{ body: T; usagePct: number | undefined }> {
    const { body, usage } = await graph.get<T>(path, params);
    const usagePct = usagePercent(usage);
    this.note(usagePct);
    return { body, usagePct };
  }
  budget(): number {
    const p = this.pct ?? 0;
    if (p >= 90) return 1;
    if (p >= 75) return 5;
    return 60;
  }
}

/** The oldest of some messages (the last of a newest-first page). */
function oldestOf(messages: readonly Message[]): Message | null {
  return messages.reduce<Message | null>((o, m) => (!o || m.createdAt < o.createdAt ? m : o), null);
}

function cursorAfter(paging: GraphPaging | undefined): string | undefined {
  const after = paging?.next ? paging.cursors?.after : undefined;
  return typeof after === 'string' && after.length > 0 && after.length < 2000 ? after : undefined;
}

type CommentReq = { kind: 'feed'; after?: string; n: number } | { kind: 'comments'; postId: string; visitor?: string; after: string };

/**
 * Comments on the Page's posts of the last 28 days, every new one: the feed
 * lists the posts, each with its newest comment, and a post whose newest
 * comment is new has its further comments read page by page while they are
 * still new (`filter=stream` lists replies too, one level deep). A busy post
 * far down the feed is found as soon as one on top.
 */
export async function pollComments(graph: GraphClient, account: FbAccount, cursor: string | undefined, deliver: Deliver, now: () => number, usage = new UsageMemo()): Promise<PollResult> {
  // Comments keep their place on a post: paging goes down to the floor only.
  const nested = (post: FbPost, floor: TimeCursor | null, mapped: Message[]): CommentReq[] => {
    const after = cursorAfter(post.comments?.paging);
    if (!after || !validId(post.id)) return [];
    // Newest first: the page's last comment is its oldest.
    const oldest = oldestOf(mapped.filter((m) => m.platformId !== post.id));
    if (oldest && !isNew(oldest, floor)) return [];
    const visitor = validId(post.from?.id) && post.from.id !== account.platformUserId ? post.from.id : undefined;
    return [{ kind: 'comments', postId: post.id, ...(visitor ? { visitor } : {}), after }];
  };
  const spec: WalkSpec<CommentReq, TimeCursor> = {
    ...timeMark(),
    head: () => ({ kind: 'feed', n: 0 }),
    pageBudget: () => usage.budget(),
    firstPollPages: 1 + FB_FIRST_POLL_POSTS,
    async fetch(req, floor) {
      if (req.kind === 'feed') {
        const { body, usagePct: pct } = await usage.read<{ data?: FbPost[]; paging?: GraphPaging }>(graph, `${account.platformUserId}/feed`, {
          fields: `id,from,created_time,comments.filter(stream).order(reverse_chronological).limit(1){${COMMENT_FIELDS}}`,
          limit: 100,
          ...(req.after ? { after: req.after } : {}),
        });
        const horizon = now() - FB_COMMENT_LOOKBACK_DAYS * 24 * 3600_000;
        let beyond = false;
        const messages: Message[] = [];
        const active: { req: CommentReq; newest: number }[] = [];
        let skipped = 0;
        for (const post of Array.isArray(body.data) ? body.data : []) {
          const created = fbTime(post?.created_time);
          // Listed newest first: the posts after one older than the lookback are older still.
          if (created !== null && created < horizon) {
            beyond = true;
            continue;
          }
          const mapped = mapComments([post], account, now());
          skipped += mapped.skipped;
          messages.push(...mapped.messages);
          for (const r of nested(post, floor, mapped.messages)) active.push({ req: r, newest: mapped.messages[0]?.createdAt ?? 0 });
        }
        // The most recently commented first: a poll that runs out of budget leaves the quieter ones to the next.
        const more = active.sort((a, b) => b.newest - a.newest).map((a) => a.req);
        const after = cursorAfter(body.paging);
        if (after && !beyond && req.n + 1 < FB_SCAN_PAGES) more.push({ kind: 'feed', after, n: req.n + 1 });
        return { messages, more, skipped, usagePct: pct, perPage: 100 };
      }
      const { body, usagePct: pct } = await usage.read<{ data?: FbComment[]; paging?: GraphPaging }>(graph, `${encodeURIComponent(req.postId)}/comments`, {
        filter: 'stream',
        order: 'reverse_chronological',
        fields: COMMENT_FIELDS,
        limit: 100,
        after: req.after,
      });
      const post: FbPost = { id: req.postId, from: { id: req.visitor ?? account.platformUserId }, comments: { data: Array.isArray(body.data) ? body.data : [], paging: body.paging } };
      const mapped = mapComments([post], account, now());
      return { messages: mapped.messages, more: nested(post, floor, mapped.messages), skipped: mapped.skipped, usagePct: pct, perPage: 100 };
    },
  };
  const result = await walkStream(spec, cursor, deliver, now);
  return { ...result, lookbackDays: FB_COMMENT_LOOKBACK_DAYS };
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

/** A page of visitor posts: from the visitor_posts edge, or (`feed`) the feed's posts by others, up to `until` (unix seconds). */
type VisitorReq = { after?: string; feed?: true; until?: number };

/** Once visitor_posts is refused, it is asked again once a day; the feed serves meanwhile. */
export const VISITOR_EDGE_RETRY_MS = 24 * 3600_000;

/**
 * The visitor_posts edge refused as not served for this Page: "This endpoint is
 * not supported for Pages that have been migrated to the New Pages Experience"
 * (Graph reference, Page visitor_posts). What it answers then is not documented;
 * these are Graph's documented answers for an endpoint a Page does not serve
 * (Meta, "Facebook Pages API Error Codes": subcode 2069030 "This endpoint is not
 * supported.", 2069033 "The corresponding UI feature of this API is deprecated or
 * not available"), for a deprecated one (code 12), and an edge the node no
 * longer has ("(#100) Tried accessing nonexisting field (visitor_posts)").
 */
export function edgeRefused(e: unknown): boolean {
  if (!(e instanceof GraphError) || e.failure.type !== 'http') return false;
  const { code, subcode, message } = e.failure;
  if (subcode === 2069030 || subcode === 2069033 || code === 12) return true;
  return /new pages? experience|nonexisting field \(visitor_posts\)/i.test(message);
}

/** Where a visitor-posts cursor reads from: absent for the edge; `retryAt` when the edge is asked again. */
interface VisitorVia {
  feed: true;
  retryAt: number;
}

function visitorVia(cursor: string | undefined): VisitorVia | null {
  if (!cursor) return null;
  try {
    const via = (JSON.parse(cursor) as { via?: Partial<VisitorVia> } | null)?.via;
    return via?.feed === true && typeof via.retryAt === 'number' ? { feed: true, retryAt: via.retryAt } : null;
  } catch {
    return null;
  }
}

/** A cursor's gaps, still to be read from the edge, read from the feed instead: down from the gap's newest end. */
function gapsToFeed(cursor: string | undefined): string | undefined {
  if (!cursor) return cursor;
  try {
    const c = JSON.parse(cursor) as { v?: number; gaps?: { queue?: VisitorReq[]; to?: number; state?: string }[] } | null;
    if (!c || c.v !== 2 || !Array.isArray(c.gaps)) return cursor;
    for (const g of c.gaps) {
      if (g.state !== 'filling' || !Array.isArray(g.queue) || typeof g.to !== 'number') continue;
      const feed = g.queue.filter((q) => q.feed);
      if (feed.length !== g.queue.length) g.queue = [...feed, { feed: true, until: Math.floor(g.to / 1000) }];
    }
    return JSON.stringify(c);
  } catch {
    return cursor;
  }
}

/**
 * New posts by others on the Page, to the last one stored: GET
 * /{page-id}/visitor_posts (pages_read_user_content). A Page on the New Pages
 * Experience is refused that edge; its visitor posts are then taken from
 * /{page-id}/feed (the posts whose author is not the Page), and the cursor
 * remembers that, asking the edge again once a day.
 */
export async function pollVisitorPosts(graph: GraphClient, account: FbAccount, cursor: string | undefined, deliver: Deliver, now: () => number, usage = new UsageMemo()): Promise<PollResult> {
  let via = visitorVia(cursor);
  const spec: WalkSpec<VisitorReq, TimeCursor> = {
    ...timeMark(),
    head: () => (via ? { feed: true } : {}),
    pageBudget: () => usage.budget(),
    firstPollPages: 1,
    async fetch(req, floor) {
      const { body, usagePct: pct } = await usage.read<{ data?: FbPost[]; paging?: GraphPaging }>(graph, `${account.platformUserId}/${req.feed ? 'feed' : 'visitor_posts'}`, {
        fields: 'id,from,message,created_time,permalink_url',
        limit: 25,
        ...(req.until !== undefined ? { until: req.until } : {}),
        ...(req.after ? { after: req.after } : {}),
      });
      const posts = Array.isArray(body.data) ? body.data : [];
      // The feed holds the Page's own posts too: those are not visitor posts.
      const mapped = mapVisitorPosts(req.feed ? posts.filter((p) => p?.from?.id !== account.platformUserId) : posts, account, now());
      // Paged while the page's oldest post (by anyone) is still new.
      const times = posts.map((p) => fbTime(p?.created_time)).filter((t): t is number => t !== null);
      const oldest = times.length ? Math.min(...times) : (oldestOf(mapped.messages)?.createdAt ?? null);
      const after = cursorAfter(body.paging);
      const deeper = after && floor !== null && oldest !== null && oldest >= floor.t;
      const next: VisitorReq = { ...(req.feed ? { feed: true as const } : {}), ...(req.until !== undefined ? { until: req.until } : {}), after: after as string };
      return { messages: mapped.messages, more: deeper ? [next] : [], skipped: mapped.skipped, usagePct: pct, perPage: 25 };
    },
  };
  if (!via || now() >= via.retryAt) {
    const wasFeed = via !== null;
    via = null;
    try {
      // The edge (again): its cursor has no `via`, so the next poll uses it too.
      return await walkStream(spec, cursor, deliver, now);
    } catch (e) {
      if (!edgeRefused(e)) throw e;
      via = { feed: true, retryAt: now() + VISITOR_EDGE_RETRY_MS };
      if (!wasFeed) cursor = gapsToFeed(cursor);
    }
  }
  const result = await walkStream(spec, cursor, deliver, now);
  const c = result.cursor ? (JSON.parse(result.cursor) as Record<string, unknown>) : { v: 2, mark: null, gaps: [] };
  return { ...result, cursor: JSON.stringify({ ...c, via }) };
}

type MessengerReq = { kind: 'convs'; after?: string } | { kind: 'msgs'; convId: string; after: string };

const MESSAGE_FIELDS = 'id,created_time,from,to,message';

/**
 * Messenger: conversations by last activity, newest first, while they were
 * active after the floor; in each, its newest 20 messages and, while those are
 * all new, its older ones page by page.
 */
export function pollMessenger(graph: GraphClient, account: FbAccount, cursor: string | undefined, deliver: Deliver, now: () => number, usage = new UsageMemo()): Promise<PollResult> {
  const olderMessages = (convId: string, paging: GraphPaging | undefined, mapped: Message[], keepFrom: TimeCursor | null): MessengerReq[] => {
    const after = cursorAfter(paging);
    if (!after) return [];
    const oldest = oldestOf(mapped);
    return oldest && isNew(oldest, keepFrom) ? [{ kind: 'msgs', convId, after }] : [];
  };
  const spec: WalkSpec<MessengerReq, TimeCursor> = {
    ...timeMark(),
    head: () => ({ kind: 'convs' }),
    pageBudget: () => usage.budget(),
    firstPollPages: 1,
    async fetch(req, floor, keepFrom) {
      if (req.kind === 'convs') {
        const { body, usagePct: pct } = await usage.read<{ data?: FbConversation[]; paging?: GraphPaging }>(graph, `${account.platformUserId}/conversations`, {
          platform: 'messenger',
          fields: `participants,updated_time,messages.limit(20){${MESSAGE_FIELDS}}`,
          limit: 25,
          ...(req.after ? { after: req.after } : {}),
        });
        const convs = Array.isArray(body.data) ? body.data : [];
        const messages: Message[] = [];
        const more: MessengerReq[] = [];
        let skipped = 0;
        let reachedFloor = false;
        const rescue = new Set<string>();
        for (const conv of convs) {
          const updated = fbTime(conv?.updated_time);
          // Listed by last activity: a conversation last active before the floor has nothing new, nor has any after it.
          if (floor !== null && updated !== null && updated < floor.t) {
            reachedFloor = true;
            continue;
          }
          const mapped = mapConversations([conv], account, now());
          skipped += mapped.skipped;
          messages.push(...mapped.messages);
          // Listed (last active in the floor's second) but nothing new in it: no need to read deeper.
          if (floor !== null && !mapped.messages.some((m) => isNew(m, floor))) continue;
          if (validId(conv?.id)) {
            rescue.add(conv.id);
            more.push(...olderMessages(conv.id, conv.messages?.paging, mapped.messages, keepFrom));
          }
        }
        const after = cursorAfter(body.paging);
        if (after && floor !== null && !reachedFloor) more.push({ kind: 'convs', after });
        return { messages, more, skipped, usagePct: pct, perPage: 25, rescue };
      }
      const { body, usagePct: pct } = await usage.read<{ data?: FbMessage[]; paging?: GraphPaging }>(graph, `${encodeURIComponent(req.convId)}/messages`, {
        fields: MESSAGE_FIELDS,
        limit: 100,
        after: req.after,
      });
      const mapped = mapConversations([{ id: req.convId, messages: { data: Array.isArray(body.data) ? body.data : [] } }], account, now());
      return { messages: mapped.messages, more: olderMessages(req.convId, body.paging, mapped.messages, keepFrom), skipped: mapped.skipped, usagePct: pct, perPage: 100, rescue: new Set([req.convId]) };
    },
  };
  return walkStream(spec, cursor, deliver, now);
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
  // Inside 24 hours a RESPONSE; after it, only a person's reply with HUMAN_AGENT, up to 7 days
  // (developers.facebook.com/docs/messenger-platform/reference/send-api).
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
