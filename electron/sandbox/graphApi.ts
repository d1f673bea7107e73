import type { IncomingMessage } from 'node:http';
import { SANDBOX_FB_APP_ID, SANDBOX_FB_CLIENT_TOKEN, type FbToken } from './auth.js';
import { fbtraceId, graphRevokedBody } from './faults.js';
import { FieldSyntaxError, modsFromQuery, parseFields, type FieldSpec } from './fields.js';
import { bearer, bodyFields, fbTime, isRecord, json, parseGraphTime, type Body, type Resp } from './http.js';
import type { GraphUseCase } from './limits.js';
import type { SandboxState } from './state.js';
import { SANDBOX_BRAND, type FbComment, type FbConversation, type FbMessage, type FbPost } from './world.js';
import { sniffImage } from './xApi.js';

/** Graph photo uploads (Page photos, Messenger attachments): images up to 10 MB. */
const FB_IMAGE_MAX_BYTES = 10 * 1024 * 1024;
/** The text of a Page post, as Facebook's composer limits it (the Graph reference names no limit). */
const FB_POST_MAX_CHARS = 63_206;

/**
 * Graph API under /graph/:version, as the console uses it for a Page: feed
 * with comments, comment replies/hide/delete, Messenger conversations and the
 * Send API with its 24-hour window. Shapes and error bodies follow
 * developers.facebook.com/docs/graph-api and the fixtures in
 * test/fixtures/platform-apis; README.md next to this file has the sources.
 */
export interface GraphRequest {
  req: IncomingMessage;
  method: string;
  /** Path below /graph, e.g. /v25.0/104857362911457/feed. */
  path: string;
  query: URLSearchParams;
  body: Body;
}

class GraphErr {
  constructor(
    readonly code: number,
    readonly message: string,
    readonly subcode?: number,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {}
}

function errorResp(e: GraphErr, headers: Record<string, string> = {}): Resp {
  const error: Record<string, unknown> = { message: e.message, type: 'OAuthException', code: e.code };
  if (e.subcode !== undefined) error.error_subcode = e.subcode;
  Object.assign(error, e.extra);
  error.fbtrace_id = fbtraceId();
  return json(e.status, { error }, headers);
}

const unsupported = (verb: string, id: string) =>
  new GraphErr(100, `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, 33);

const noField = (name: string, node: string) => new GraphErr(100, `(#100) Tried accessing nonexisting field (${name}) on node type (${node})`);

const NODE_FIELDS: Record<string, readonly string[]> = {
  Page: ['id', 'name', 'access_token', 'tasks', 'category', 'category_list', 'about', 'link', 'username', 'fan_count', 'followers_count', 'picture', 'verification_status', 'feed', 'posts', 'published_posts', 'conversations', 'has_transitioned_to_new_page_experience'],
  User: ['id', 'name', 'first_name', 'last_name', 'profile_pic', 'accounts'],
  PagePost: [
    'id', 'message', 'created_time', 'updated_time', 'from', 'permalink_url', 'comments', 'story', 'status_type', 'is_hidden', 'is_published', 'full_picture',
    'attachments', 'shares', 'reactions', 'likes', 'message_tags', 'privacy', 'parent_id', 'picture', 'icon', 'is_expired', 'promotable_id', 'admin_creator',
    'actions', 'call_to_action', 'is_popular', 'is_spherical', 'timeline_visibility', 'to', 'place',
  ],
  Comment: [
    'id', 'message', 'created_time', 'from', 'parent', 'is_hidden', 'can_reply_privately', 'can_hide', 'can_remove', 'can_comment', 'can_like', 'comment_count',
    'like_count', 'permalink_url', 'attachment', 'message_tags', 'user_likes', 'object', 'private_reply_conversation', 'comments', 'reactions', 'likes',
    'live_broadcast_timestamp',
  ],
  Conversation: ['id', 'updated_time', 'participants', 'messages', 'message_count', 'unread_count', 'snippet', 'link', 'senders', 'can_reply', 'is_subscribed', 'former_participants', 'name', 'subject', 'tags', 'wallpaper', 'scoped_thread_key'],
  Message: ['id', 'created_time', 'from', 'to', 'message', 'attachments', 'sticker', 'tags', 'shares', 'reactions', 'is_unsupported'],
};

const DEFAULTS: Record<string, string> = {
  Page: 'name,id',
  User: 'name,id',
  PagePost: 'created_time,message,id',
  Comment: 'created_time,from,message,id',
  Conversation: 'id,updated_time',
  Message: 'id,created_time',
};

const PAGE_TASKS = ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'];
const SYSTEM_USER = { id: '122104857362911458', name: 'Webcare Sandbox System User' };
const DAY = 24 * 3_600_000;
const MESSENGER_TAGS = new Set(['HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE', 'CUSTOMER_FEEDBACK']);

type SortKey = [number, number];

function cmp(a: SortKey, b: SortKey): number {
  return a[0] - b[0] || a[1] - b[1];
}

function encodeCursor(k: SortKey): string {
  return Buffer.from(`sbx:${k[0]}:${k[1]}`).toString('base64').replace(/=+$/, '');
}

function decodeCursor(c: string): SortKey {
  const m = /^sbx:(-?\d+):(-?\d+)$/.exec(Buffer.from(c, 'base64').toString('utf8'));
  if (!m) throw new GraphErr(100, '(#100) The cursor is invalid');
  return [Number(m[1]), Number(m[2])];
}

function limitOf(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new GraphErr(100, '(#100) The parameter limit must be a non-negative integer');
  // Graph caps large limits silently.
  return Math.min(n, 100);
}

function parseMaybeJson(v: unknown): unknown {
  if (typeof v === 'string' && /^\s*[{[]/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

function truthy(v: unknown): boolean | undefined {
  if (v === true || v === 'true' || v === '1' || v === 1) return true;
  if (v === false || v === 'false' || v === '0' || v === 0) return false;
  return undefined;
}

interface Ctx {
  version: string;
  /** The token of this request: a user token's Page token is derived from it. */
  raw: string;
  /** The access_token query parameter, repeated in paging links only when the caller put it in the URL. */
  tokenParam?: string;
  token: FbToken;
}

export class GraphApi {
  /** Set once the server listens: paging links point back at the sandbox. */
  baseUrl = '';

  constructor(private readonly s: SandboxState) {}

  private get w() {
    return this.s.world;
  }

  handle(r: GraphRequest): Resp {
    const segs = r.path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
    let version = 'v25.0';
    if (segs[0] && /^v\d+\.\d+$/.test(segs[0])) version = segs.shift() as string;
    const fields: Record<string, unknown> = { ...Object.fromEntries(r.query), ...bodyFields(r.body) };
    const tokenValue = bearer(r.req) ?? (typeof fields.access_token === 'string' ? fields.access_token : undefined);
    if (!tokenValue) return errorResp(new GraphErr(104, 'An access token is required to request this resource.'));
    if (segs[0] === 'device' && segs.length === 2) return this.device(r.method, segs[1] as string, fields, tokenValue);
    const token = this.s.fbAuth.check(tokenValue);
    if (token === 'revoked') return json(400, graphRevokedBody());
    if (!token) return errorResp(new GraphErr(190, 'Invalid OAuth access token - Cannot parse access token'));
    const usage = this.s.graphUsage.hit(token.kind, token.pageId, this.s.engagedUsers(), this.s.now(), this.useCaseOf(segs), this.messengerPeople());
    if (usage.throttled) return errorResp(new GraphErr(usage.throttled.code, usage.throttled.message, undefined, 400, { is_transient: true }), usage.headers);
    const ctx: Ctx = { version, raw: tokenValue, token, tokenParam: r.query.get('access_token') ?? undefined };
    try {
      const resp = this.route(r, segs, fields, ctx);
      return { ...resp, headers: { ...resp.headers, ...usage.headers } };
    } catch (e) {
      if (e instanceof GraphErr) return errorResp(e, usage.headers);
      if (e instanceof FieldSyntaxError) return errorResp(new GraphErr(2500, e.message), usage.headers);
      throw e;
    }
  }

  /**
   * Which budget a Page-token call spends: the Messenger API (Conversations and
   * Send API: a Page's conversations, messages and message attachments, a
   * conversation or a message) or the Pages use case (everything else).
   */
  private useCaseOf(segs: readonly string[]): GraphUseCase {
    const [id, edge] = segs;
    if (edge === 'conversations' || edge === 'messages' || edge === 'message_attachments') return 'messenger';
    if (id !== undefined && (this.w.conversationById.has(id) || this.w.fbMessageById.has(id))) return 'messenger';
    return 'pages';
  }

  /** People the Page can message: everyone who ever wrote to it on Messenger (nobody blocks the sandbox Page). */
  private messengerPeople(): number {
    let n = 0;
    for (const c of this.w.conversations) if (c.lastUserAt !== undefined) n++;
    return n;
  }

  /**
   * Facebook Login for Devices: POST /device/login and /device/login_status with a
   * client access token `{app-id}|{client-token}` (never a user or Page token).
   */
  private device(method: string, what: string, fields: Record<string, unknown>, token: string): Resp {
    if (method !== 'POST') return errorResp(unsupported(method.toLowerCase(), 'device'));
    if (token !== `${SANDBOX_FB_APP_ID}|${SANDBOX_FB_CLIENT_TOKEN}`) {
      return errorResp(new GraphErr(190, 'Invalid OAuth access token - Cannot parse access token'));
    }
    const now = this.s.now();
    if (what === 'login') {
      const scope = typeof fields.scope === 'string' ? fields.scope.split(',').map((x) => x.trim()).filter(Boolean) : [];
      const d = this.s.fbDevice.start(scope, now);
      return json(200, { code: d.code, user_code: d.userCode, verification_uri: `${this.verificationBase}/facebook/device`, expires_in: d.expiresIn, interval: d.interval });
    }
    if (what !== 'login_status') return errorResp(unsupported('post', 'device'));
    const code = typeof fields.code === 'string' ? fields.code : '';
    const p = this.s.fbDevice.poll(code, now, this.s.graphUsage.scale);
    switch (p.kind) {
      case 'token':
        return json(200, { access_token: p.accessToken, data_access_expiration_time: Math.floor(now / 1000) + 7_776_000, expires_in: p.expiresIn });
      case 'pending':
        return errorResp(new GraphErr(31, '(#31) User has not yet authorized your application', 1349174, 400, { error_user_title: 'Device Login Authorization Pending', error_user_msg: 'User has not yet authorized your application. Continue polling.' }));
      case 'slowDown':
        return errorResp(new GraphErr(17, '(#17) User request limit reached', 1349172, 400, { error_user_title: 'OAuth Device Excessive Polling', error_user_msg: 'Your device is polling too frequently. Space your requests with a minium interval of 5 seconds.' }));
      case 'expired':
        return errorResp(new GraphErr(463, 'Error validating access token: Session has expired', 1349152, 400, { error_user_title: 'Activation Code Expired', error_user_msg: 'The code you entered has expired. Please go back to your device for a new code and try again.' }));
      default:
        return errorResp(new GraphErr(100, '(#100) The parameter code is invalid'));
    }
  }

  /** The sandbox origin (the verification page lives outside /graph). */
  private get verificationBase(): string {
    return this.baseUrl.replace(/\/graph$/, '');
  }

  private route(r: GraphRequest, segs: string[], fields: Record<string, unknown>, ctx: Ctx): Resp {
    const [id, edge, ...rest] = segs;
    if (!id || rest.length) throw new GraphErr(2500, `Unknown path components: /${segs.slice(1).join('/')}`);
    const spec = (node: string) => this.fieldSpec(typeof fields.fields === 'string' ? fields.fields : DEFAULTS[node] ?? 'id', node);
    const pageToken = () => {
      if (ctx.token.kind !== 'page' || ctx.token.pageId !== SANDBOX_BRAND.fbPageId) throw new GraphErr(190, '(#190) This method must be called with a Page Access Token');
    };

    const isPage = id === SANDBOX_BRAND.fbPageId || (id === 'me' && ctx.token.kind === 'page');
    if (id === 'me' && ctx.token.kind === 'user') {
      if (r.method !== 'GET') throw unsupported(r.method.toLowerCase(), id);
      if (!edge) return json(200, this.renderUser(SYSTEM_USER, spec('User')));
      if (edge === 'accounts') return json(200, this.accounts(fields, ctx));
      throw noField(edge, 'User');
    }
    if (isPage) {
      if (!edge) {
        if (r.method !== 'GET') throw unsupported(r.method.toLowerCase(), id);
        return json(200, this.renderPage(spec('Page')));
      }
      // feed: everything on the Page (its posts and visitors' posts); posts: the Page's own; visitor_posts: by others.
      if ((edge === 'feed' || edge === 'posts' || edge === 'published_posts' || edge === 'visitor_posts') && r.method === 'GET') {
        if (edge === 'visitor_posts') {
          pageToken();
          // Not served for a Page on the New Pages Experience (Graph reference, Page visitor_posts). The answer is
          // not documented for this edge: Meta's Pages API error codes list 200/2069030 "This endpoint is not supported."
          if (this.s.fbNewPagesExperience.has(SANDBOX_BRAND.fbPageId)) throw new GraphErr(200, 'This endpoint is not supported.', 2069030);
        }
        return json(200, this.feed(r.query, fields, ctx, edge === 'feed' ? 'all' : edge === 'visitor_posts' ? 'visitors' : 'page'));
      }
      // A post by the Page on its timeline (Meta, Pages API "Posts": POST /{page-id}/feed).
      if (edge === 'feed' && r.method === 'POST') {
        pageToken();
        return json(200, this.publish(fields));
      }
      if (edge === 'conversations' && r.method === 'GET') {
        pageToken();
        return json(200, this.conversations(r.query, fields, ctx));
      }
      // An unpublished photo to attach to a comment (multipart `source`, published=false).
      if (edge === 'photos' && r.method === 'POST') {
        pageToken();
        return json(200, this.upload(r, 'source', 'fb_photo'));
      }
      // A Messenger attachment (multipart `filedata`, `message` = {attachment:{type:'image',payload:{is_reusable}}}).
      if (edge === 'message_attachments' && r.method === 'POST') {
        pageToken();
        return json(200, this.upload(r, 'filedata', 'fb_attachment'));
      }
      if (edge === 'messages' && r.method === 'POST') {
        pageToken();
        return json(200, this.send(fields));
      }
      throw noField(edge, 'Page');
    }

    const post = this.w.postById.get(id);
    const comment = post ? undefined : this.w.commentById.get(id);
    const conv = post || comment ? undefined : this.w.conversationById.get(id);
    const msg = post || comment || conv ? undefined : this.w.fbMessageById.get(id);
    const user = post || comment || conv || msg ? undefined : this.w.fbUsers.get(id);
    if ((comment && comment.deleted) || (!post && !comment && !conv && !msg && !user)) throw unsupported(r.method.toLowerCase(), id);
    pageToken();

    if (post) {
      if (!edge && r.method === 'GET') return json(200, this.renderPost(post, spec('PagePost'), ctx));
      if (edge === 'comments' && r.method === 'GET') return json(200, this.commentsEdge(post.comments, post.id, modsFromQuery(r.query, ['filter', 'order', 'since', 'until', 'limit', 'summary', 'after', 'before']), this.subSpec(fields.fields, 'Comment'), ctx));
      if (edge === 'comments' && r.method === 'POST') return json(200, this.comment(post, undefined, fields));
      if (edge) throw noField(edge, 'PagePost');
      throw unsupported(r.method.toLowerCase(), id);
    }
    if (comment) {
      if (!edge && r.method === 'GET') return json(200, this.renderComment(comment, spec('Comment'), ctx));
      if (!edge && r.method === 'POST') return json(200, this.updateComment(comment, fields));
      if (!edge && r.method === 'DELETE') {
        comment.deleted = true;
        this.s.record({ kind: 'fb_delete', id: comment.id, accountId: SANDBOX_BRAND.fbPageId });
        return json(200, { success: true });
      }
      const replies = this.w.postById.get(comment.postId)?.comments.filter((c) => c.parentId === comment.id) ?? [];
      if (edge === 'comments' && r.method === 'GET') return json(200, this.commentsEdge(replies, comment.id, { ...modsFromQuery(r.query, ['order', 'since', 'until', 'limit', 'summary', 'after', 'before']), filter: 'stream' }, this.subSpec(fields.fields, 'Comment'), ctx));
      if (edge === 'comments' && r.method === 'POST') {
        const parentPost = this.w.postById.get(comment.postId);
        if (!parentPost) throw unsupported('post', id);
        return json(200, this.comment(parentPost, comment, fields));
      }
      if (edge) throw noField(edge, 'Comment');
      throw unsupported(r.method.toLowerCase(), id);
    }
    if (conv) {
      if (r.method !== 'GET') throw unsupported(r.method.toLowerCase(), id);
      if (!edge) return json(200, this.renderConversation(conv, spec('Conversation'), ctx));
      if (edge === 'messages') return json(200, this.messagesEdge(conv, modsFromQuery(r.query, ['limit', 'after', 'before']), this.subSpec(fields.fields, 'Message'), ctx));
      throw noField(edge, 'Conversation');
    }
    if (msg) {
      if (r.method !== 'GET' || edge) throw unsupported(r.method.toLowerCase(), id);
      return json(200, this.renderMessage(msg, spec('Message')));
    }
    if (user) {
      if (r.method !== 'GET' || edge) throw unsupported(r.method.toLowerCase(), id);
      return json(200, this.renderUser(user, spec('User')));
    }
    throw unsupported(r.method.toLowerCase(), id);
  }

  private fieldSpec(raw: string, node: string): FieldSpec[] {
    const spec = parseFields(raw);
    const known = NODE_FIELDS[node] ?? [];
    for (const f of spec) if (!known.includes(f.name)) throw noField(f.name, node);
    return spec;
  }

  private subSpec(raw: unknown, node: string): FieldSpec[] {
    return this.fieldSpec(typeof raw === 'string' && raw.trim() ? raw : DEFAULTS[node] ?? 'id', node);
  }

  /** Nested fields in braces, checked like top-level ones; the node's defaults when none are given. */
  private nested(sub: FieldSpec[] | undefined, node: string): FieldSpec[] {
    if (!sub) return this.subSpec(undefined, node);
    const known = NODE_FIELDS[node] ?? [];
    for (const f of sub) if (!known.includes(f.name)) throw noField(f.name, node);
    return sub;
  }

  private link(path: string, params: Record<string, string>, ctx: Ctx): string {
    const u = new URL(`${this.baseUrl}/${ctx.version}/${path}`);
    if (ctx.tokenParam) u.searchParams.set('access_token', ctx.tokenParam);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  }

  /**
   * One page of an ordered edge with Graph cursor paging. `ordered` is
   * already in output order; `key` gives each item's position in it.
   */
  private page<T>(ordered: T[], key: (t: T) => SortKey, desc: boolean, limit: number, mods: Record<string, string>, linkFor: (cursor: Record<string, string>) => string) {
    const after = mods.after ? decodeCursor(mods.after) : undefined;
    const before = mods.before ? decodeCursor(mods.before) : undefined;
    const isLater = (k: SortKey, c: SortKey) => (desc ? cmp(k, c) < 0 : cmp(k, c) > 0);
    const isEarlier = (k: SortKey, c: SortKey) => (desc ? cmp(k, c) > 0 : cmp(k, c) < 0);
    let start = 0;
    let end = ordered.length;
    if (after) {
      const i = ordered.findIndex((t) => isLater(key(t), after));
      start = i < 0 ? ordered.length : i;
    }
    if (before) {
      // The items before the cursor are a prefix of the ordered list; take its last `limit`.
      const i = ordered.findIndex((t) => !isEarlier(key(t), before));
      end = i < 0 ? ordered.length : i;
      start = Math.max(start, end - limit);
    }
    const data = ordered.slice(start, Math.min(end, start + limit));
    const paging: Record<string, unknown> = {};
    if (data.length) {
      const first = key(data[0] as T);
      const last = key(data[data.length - 1] as T);
      paging.cursors = { before: encodeCursor(first), after: encodeCursor(last) };
      if (start + data.length < ordered.length) paging.next = linkFor({ after: encodeCursor(last) });
      if (start > 0) paging.previous = linkFor({ before: encodeCursor(first) });
    }
    return { data, paging };
  }

  private accounts(fields: Record<string, unknown>, ctx: Ctx): unknown {
    const spec = this.fieldSpec(typeof fields.fields === 'string' ? fields.fields : 'access_token,category,category_list,name,id,tasks', 'Page');
    const page = this.renderPage(spec, this.s.fbAuth.pageToken(ctx.raw, SANDBOX_BRAND.fbPageId));
    const cursor = encodeCursor([1, 1]);
    return { data: [page], paging: { cursors: { before: cursor, after: cursor } } };
  }

  private renderPage(spec: FieldSpec[], accessToken?: string): Record<string, unknown> {
    const o: Record<string, unknown> = { id: SANDBOX_BRAND.fbPageId };
    for (const f of spec) {
      switch (f.name) {
        case 'name':
          o.name = SANDBOX_BRAND.fbPageName;
          break;
        case 'access_token':
          if (accessToken) o.access_token = accessToken;
          break;
        case 'tasks':
          o.tasks = PAGE_TASKS;
          break;
        case 'category':
          o.category = 'Courier Service';
          break;
        case 'category_list':
          o.category_list = [{ id: '2254', name: 'Courier Service' }];
          break;
        case 'username':
          o.username = 'polderpost';
          break;
        case 'link':
          o.link = 'https://www.facebook.com/polderpost';
          break;
        case 'about':
          o.about = 'Pakketjes door heel Nederland. Webcare ma-za 08:00-22:00.';
          break;
        case 'fan_count':
        case 'followers_count':
          o[f.name] = 61_432;
          break;
        case 'has_transitioned_to_new_page_experience':
          o.has_transitioned_to_new_page_experience = this.s.fbNewPagesExperience.has(SANDBOX_BRAND.fbPageId);
          break;
      }
    }
    return o;
  }

  private renderUser(u: { id: string; name: string }, spec: FieldSpec[]): Record<string, unknown> {
    const o: Record<string, unknown> = { id: u.id };
    const [first, ...rest] = u.name.split(' ');
    for (const f of spec) {
      if (f.name === 'name') o.name = u.name;
      if (f.name === 'first_name') o.first_name = first ?? u.name;
      if (f.name === 'last_name') o.last_name = rest.join(' ');
    }
    return o;
  }

  private feed(q: URLSearchParams, fields: Record<string, unknown>, ctx: Ctx, which: 'all' | 'page' | 'visitors' = 'all'): unknown {
    const spec = this.fieldSpec(typeof fields.fields === 'string' ? fields.fields : DEFAULTS.PagePost as string, 'PagePost');
    const limit = Math.min(limitOf(q.get('limit') ?? undefined, 25), this.s.pageCap);
    const since = q.get('since');
    const until = q.get('until');
    const sinceMs = since !== null ? parseGraphTime(since) : null;
    const untilMs = until !== null ? parseGraphTime(until) : null;
    if ((since !== null && sinceMs === null) || (until !== null && untilMs === null)) throw new GraphErr(100, '(#100) The parameter since/until must be a unix timestamp or a date');
    const posts = [...this.w.fbPosts]
      .filter((p) => which === 'all' || (which === 'visitors') === Boolean(p.fromId))
      .filter((p) => (sinceMs === null || p.createdAt >= sinceMs) && (untilMs === null || p.createdAt <= untilMs))
      .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
    const mods = modsFromQuery(q, ['after', 'before']);
    const base: Record<string, string> = { limit: String(limit) };
    if (typeof fields.fields === 'string') base.fields = fields.fields;
    const edgeName = which === 'visitors' ? 'visitor_posts' : which === 'page' ? 'posts' : 'feed';
    const { data, paging } = this.page(posts, (p) => [p.createdAt, p.seq], true, limit, mods, (c) => this.link(`${SANDBOX_BRAND.fbPageId}/${edgeName}`, { ...base, ...c }, ctx));
    return { data: data.map((p) => this.renderPost(p, spec, ctx)), paging };
  }

  private renderPost(p: FbPost, spec: FieldSpec[], ctx: Ctx): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const f of spec) {
      switch (f.name) {
        case 'message':
          o.message = p.message;
          break;
        case 'created_time':
          o.created_time = fbTime(p.createdAt);
          break;
        case 'updated_time':
          o.updated_time = fbTime(p.updatedAt);
          break;
        case 'from': {
          const visitor = p.fromId ? this.w.fbUsers.get(p.fromId) : undefined;
          o.from = visitor ? { name: visitor.name, id: visitor.id } : { name: SANDBOX_BRAND.fbPageName, id: SANDBOX_BRAND.fbPageId };
          break;
        }
        case 'permalink_url':
          o.permalink_url = `https://www.facebook.com/${SANDBOX_BRAND.fbPageId}/posts/${this.w.postNumber(p)}`;
          break;
        case 'is_hidden':
          o.is_hidden = false;
          break;
        case 'is_published':
          o.is_published = true;
          break;
        case 'status_type':
          o.status_type = 'mobile_status_update';
          break;
        case 'comments':
          o.comments = this.commentsEdge(p.comments, p.id, f.mods, this.nested(f.sub, 'Comment'), ctx);
          break;
      }
    }
    o.id = p.id;
    return o;
  }

  /** The comments edge, nested in a field expansion or requested directly. */
  private commentsEdge(all: FbComment[], objectId: string, mods: Record<string, string>, spec: FieldSpec[], ctx: Ctx): unknown {
    const filter = mods.filter ?? 'toplevel';
    if (filter !== 'toplevel' && filter !== 'stream') throw new GraphErr(100, '(#100) param filter must be one of {toplevel, stream}');
    const order = mods.order ?? 'chronological';
    if (order !== 'chronological' && order !== 'reverse_chronological' && order !== 'ranked') throw new GraphErr(100, '(#100) param order must be one of {chronological, reverse_chronological, ranked}');
    const desc = order === 'reverse_chronological';
    const sinceMs = mods.since !== undefined ? parseGraphTime(mods.since) : null;
    const untilMs = mods.until !== undefined ? parseGraphTime(mods.until) : null;
    const limit = Math.min(limitOf(mods.limit, 25), this.s.pageCap);
    const items = all.filter((c) => !c.deleted && (filter === 'stream' || !c.parentId) && (sinceMs === null || c.createdAt >= sinceMs) && (untilMs === null || c.createdAt <= untilMs));
    if (desc) items.reverse();
    const base: Record<string, string> = { limit: String(limit), filter, order };
    const { data, paging } = this.page(items, (c) => [c.seq, 0], desc, limit, mods, (c) => this.link(`${objectId}/comments`, { ...base, ...c }, ctx));
    const out: Record<string, unknown> = { data: data.map((c) => this.renderComment(c, spec, ctx)), paging };
    const summary = mods.summary;
    if (summary === 'true' || summary === 'total_count' || summary === '1') out.summary = { order, total_count: items.length, can_comment: true };
    return out;
  }

  private renderComment(c: FbComment, spec: FieldSpec[], ctx: Ctx): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    const fromPage = c.fromId === SANDBOX_BRAND.fbPageId;
    const postNum = c.postId.slice(c.postId.indexOf('_') + 1);
    const commentNum = c.id.slice(c.id.indexOf('_') + 1);
    for (const f of spec) {
      switch (f.name) {
        case 'message':
          o.message = c.message;
          break;
        case 'created_time':
          o.created_time = fbTime(c.createdAt);
          break;
        case 'from':
          o.from = { name: c.fromName, id: c.fromId };
          break;
        case 'parent': {
          const parent = c.parentId ? this.w.commentById.get(c.parentId) : undefined;
          if (parent) o.parent = this.renderComment(parent, this.nested(f.sub, 'Comment'), ctx);
          break;
        }
        case 'is_hidden':
          o.is_hidden = c.hidden;
          break;
        case 'can_reply_privately':
          o.can_reply_privately = !fromPage && c.privateReplyAt === undefined && this.s.now() - c.createdAt <= 7 * DAY;
          break;
        case 'can_hide':
          o.can_hide = !fromPage;
          break;
        case 'can_remove':
          o.can_remove = true;
          break;
        case 'can_comment':
          o.can_comment = !c.parentId;
          break;
        case 'can_like':
          o.can_like = true;
          break;
        case 'comment_count':
          o.comment_count = c.replyCount;
          break;
        case 'like_count':
          o.like_count = c.likeCount;
          break;
        case 'user_likes':
          o.user_likes = false;
          break;
        case 'permalink_url': {
          const top = c.parentId ? c.parentId.slice(c.parentId.indexOf('_') + 1) : commentNum;
          o.permalink_url = `https://www.facebook.com/${SANDBOX_BRAND.fbPageId}/posts/${postNum}?comment_id=${top}${c.parentId ? `&reply_comment_id=${commentNum}` : ''}`;
          break;
        }
        case 'object':
          o.object = { id: c.postId };
          break;
        case 'private_reply_conversation': {
          const conv = c.privateReplyAt !== undefined ? this.w.conversationOfUser.get(c.fromId) : undefined;
          if (conv) o.private_reply_conversation = { id: conv.id };
          break;
        }
        case 'comments': {
          const replies = this.w.postById.get(c.postId)?.comments.filter((x) => x.parentId === c.id) ?? [];
          o.comments = this.commentsEdge(replies, c.id, { filter: 'stream', ...f.mods }, this.nested(f.sub, 'Comment'), ctx);
          break;
        }
      }
    }
    o.id = c.id;
    return o;
  }

  private conversations(q: URLSearchParams, fields: Record<string, unknown>, ctx: Ctx): unknown {
    const platform = q.get('platform') ?? 'messenger';
    if (platform !== 'messenger' && platform !== 'instagram') throw new GraphErr(100, '(#100) param platform must be one of {messenger, instagram}');
    const spec = this.fieldSpec(typeof fields.fields === 'string' ? fields.fields : DEFAULTS.Conversation as string, 'Conversation');
    const limit = Math.min(limitOf(q.get('limit') ?? undefined, 25), this.s.pageCap);
    const userId = q.get('user_id');
    // The sandbox Page has no Instagram account: that inbox is empty.
    const convs = platform === 'instagram' ? [] : this.w.conversations.filter((c) => !userId || c.userId === userId).sort((a, b) => b.updatedAt - a.updatedAt || b.seq - a.seq);
    const base: Record<string, string> = { platform, limit: String(limit) };
    if (typeof fields.fields === 'string') base.fields = fields.fields;
    const { data, paging } = this.page(convs, (c) => [c.updatedAt, c.seq], true, limit, modsFromQuery(q, ['after', 'before']), (c) => this.link(`${SANDBOX_BRAND.fbPageId}/conversations`, { ...base, ...c }, ctx));
    return { data: data.map((c) => this.renderConversation(c, spec, ctx)), paging };
  }

  private renderConversation(c: FbConversation, spec: FieldSpec[], ctx: Ctx): Record<string, unknown> {
    const o: Record<string, unknown> = { id: c.id };
    const person = { name: c.userName, email: `${c.userId}@facebook.com`, id: c.userId };
    const page = { name: SANDBOX_BRAND.fbPageName, email: `${SANDBOX_BRAND.fbPageId}@facebook.com`, id: SANDBOX_BRAND.fbPageId };
    for (const f of spec) {
      switch (f.name) {
        case 'updated_time':
          o.updated_time = fbTime(c.updatedAt);
          break;
        case 'participants':
          o.participants = { data: [person, page] };
          break;
        case 'senders':
          o.senders = { data: [person, page] };
          break;
        case 'message_count':
          o.message_count = c.messages.length;
          break;
        case 'unread_count':
          o.unread_count = 0;
          break;
        case 'snippet':
          o.snippet = (c.messages[c.messages.length - 1]?.text ?? '').slice(0, 100);
          break;
        case 'link':
          o.link = `/${SANDBOX_BRAND.fbPageId}/inbox/${c.id.slice(2)}/`;
          break;
        case 'can_reply':
          o.can_reply = c.lastUserAt !== undefined && this.s.now() - c.lastUserAt <= 7 * DAY;
          break;
        case 'is_subscribed':
          o.is_subscribed = true;
          break;
        case 'messages':
          o.messages = this.messagesEdge(c, f.mods, this.nested(f.sub, 'Message'), ctx);
          break;
      }
    }
    return o;
  }

  private messagesEdge(c: FbConversation, mods: Record<string, string>, spec: FieldSpec[], ctx: Ctx): unknown {
    const limit = Math.min(limitOf(mods.limit, 25), this.s.pageCap);
    const newestFirst = [...c.messages].reverse();
    const { data, paging } = this.page(newestFirst, (m) => [m.createdAt, m.seq], true, limit, mods, (cur) => this.link(`${c.id}/messages`, { limit: String(limit), ...cur }, ctx));
    return { data: data.map((m) => this.renderMessage(m, spec)), paging };
  }

  private renderMessage(m: FbMessage, spec: FieldSpec[]): Record<string, unknown> {
    const o: Record<string, unknown> = { id: m.id };
    for (const f of spec) {
      switch (f.name) {
        case 'created_time':
          o.created_time = fbTime(m.createdAt);
          break;
        case 'from':
          o.from = { name: m.fromName, email: `${m.fromId}@facebook.com`, id: m.fromId };
          break;
        case 'to':
          o.to = { data: [{ name: m.toName, email: `${m.toId}@facebook.com`, id: m.toId }] };
          break;
        case 'message':
          o.message = m.text;
          break;
      }
    }
    return o;
  }

  private messageText(v: unknown, max: number): string {
    if (typeof v !== 'string' || v.trim().length === 0) throw new GraphErr(100, '(#100) Param message must be a non-empty UTF-8 encoded string');
    if (v.length > max) throw new GraphErr(100, `(#100) Param message must be at most ${max} characters long`);
    return v;
  }

  /** POST /{post-or-comment}/comments: the Page answers in the thread. */
  private comment(post: FbPost, target: FbComment | undefined, fields: Record<string, unknown>): unknown {
    const attachment = fields.attachment_id;
    if (attachment !== undefined && (typeof attachment !== 'string' || this.w.media.get(attachment)?.kind !== 'fb_photo')) throw new GraphErr(100, '(#100) Invalid attachment_id');
    // With a photo the words are optional.
    const text = attachment !== undefined && (fields.message === undefined || fields.message === '') ? '' : this.messageText(fields.message, 8_000);
    const page = { id: SANDBOX_BRAND.fbPageId, name: SANDBOX_BRAND.fbPageName };
    const c = this.w.addComment(post, page, text, this.s.now(), target);
    this.s.record({ kind: 'fb_comment_reply', id: c.id, text, inReplyToId: target?.id ?? post.id, accountId: SANDBOX_BRAND.fbPageId, ...(attachment ? { media: [attachment as string] } : {}) });
    return { id: c.id };
  }

  /**
   * POST /{page-id}/feed: `message` and/or `attached_media` (`[{media_fbid}]`, unpublished
   * photos of this Page) → `{id: "{page-id}_{n}"}`, published at once (Meta, Pages API
   * "Posts"; multi-photo posts as in "Photo uploads"). The same text as the Page's
   * previous post within a day is refused with 506 "Duplicate status message", as Graph
   * does. Unpublished and scheduled posts (`published=false`) are not served here.
   */
  private publish(fields: Record<string, unknown>): unknown {
    if (fields.published !== undefined && truthy(fields.published) === false) throw new GraphErr(100, '(#100) The sandbox publishes posts at once: published=false and scheduled_publish_time are not served');
    const attached = fields.attached_media === undefined ? [] : parseMaybeJson(fields.attached_media);
    if (!Array.isArray(attached)) throw new GraphErr(100, '(#100) param attached_media must be an array.');
    const photos: string[] = [];
    for (const a of attached) {
      const item = parseMaybeJson(a);
      const id = isRecord(item) ? item.media_fbid : undefined;
      if (typeof id !== 'string' || this.w.media.get(id)?.kind !== 'fb_photo') throw new GraphErr(100, '(#100) Invalid media_fbid in attached_media');
      photos.push(id);
    }
    const text = photos.length > 0 && (fields.message === undefined || fields.message === '') ? '' : this.messageText(fields.message, FB_POST_MAX_CHARS);
    const now = this.s.now();
    const last = [...this.w.fbPosts].reverse().find((p) => !p.fromId);
    if (text && last && last.message === text && now - last.createdAt < DAY) throw new GraphErr(506, '(#506) Duplicate status message');
    const post = this.w.addFbPost(text, now);
    this.s.record({ kind: 'fb_post', id: post.id, text, accountId: SANDBOX_BRAND.fbPageId, ...(photos.length ? { media: photos } : {}) });
    return { id: post.id };
  }

  /** A multipart image upload: the file part must be a real image within the limit. */
  private upload(r: GraphRequest, part: string, kind: 'fb_photo' | 'fb_attachment'): unknown {
    if (r.body.kind !== 'multipart' || !r.body.parts) throw new GraphErr(324, '(#324) Requires upload file');
    const file = r.body.parts.find((p) => p.name === part && 'data' in p);
    if (!file || !('data' in file)) throw new GraphErr(324, '(#324) Requires upload file');
    if (file.data.length > FB_IMAGE_MAX_BYTES) throw new GraphErr(100, '(#100) The file is too large');
    const type = sniffImage(file.data);
    if (!type) throw new GraphErr(100, '(#100) Invalid image: the file is not an image');
    const id = this.w.newFbId();
    this.w.media.set(id, { id, ownerId: SANDBOX_BRAND.fbPageId, mimeType: type, size: file.data.length, kind });
    return kind === 'fb_photo' ? { id } : { attachment_id: id };
  }

  private updateComment(c: FbComment, fields: Record<string, unknown>): unknown {
    if (fields.is_hidden !== undefined) {
      const hide = truthy(fields.is_hidden);
      if (hide === undefined) throw new GraphErr(100, '(#100) Param is_hidden must be a boolean');
      if (c.fromId === SANDBOX_BRAND.fbPageId) throw new GraphErr(100, '(#100) A Page cannot hide its own comment');
      c.hidden = hide;
      this.s.record({ kind: hide ? 'fb_hide' : 'fb_unhide', id: c.id, accountId: SANDBOX_BRAND.fbPageId });
      return { success: true };
    }
    if (fields.message !== undefined) {
      if (c.fromId !== SANDBOX_BRAND.fbPageId) throw new GraphErr(200, '(#200) Permissions error');
      c.message = this.messageText(fields.message, 8_000);
      return { success: true };
    }
    throw new GraphErr(100, '(#100) Nothing to update: set is_hidden or message');
  }

  /** Send API with the 24-hour standard window and 7-day HUMAN_AGENT tag; private replies by comment_id. */
  private send(fields: Record<string, unknown>): unknown {
    const recipient = parseMaybeJson(fields.recipient);
    const message = parseMaybeJson(fields.message);
    if (!isRecord(recipient)) throw new GraphErr(100, '(#100) param recipient must be non-empty.');
    if (!isRecord(message)) throw new GraphErr(100, '(#100) param message must be non-empty.');
    if (message.attachment === undefined && message.text === undefined) throw new GraphErr(100, '(#100) Message cannot be empty, must provide valid attachment or text');
    let attachmentId: string | undefined;
    if (message.attachment !== undefined) {
      // Text and an attachment never travel in one message.
      if (message.text !== undefined) throw new GraphErr(100, '(#100) Message cannot contain both text and attachment');
      const a = message.attachment;
      const id = isRecord(a) && a.type === 'image' && isRecord(a.payload) ? a.payload.attachment_id : undefined;
      if (typeof id !== 'string' || this.w.media.get(id)?.kind !== 'fb_attachment') throw new GraphErr(100, '(#100) Invalid attachment_id');
      attachmentId = id;
    }
    const text = attachmentId ? '' : this.messageText(message.text, 2_000);
    const type = fields.messaging_type;
    const now = this.s.now();

    if (typeof recipient.post_id === 'string') {
      // A private reply to a visitor post: the same rules as for a comment.
      const p = this.w.postById.get(recipient.post_id);
      if (!p) throw unsupported('post', recipient.post_id);
      const from = p.fromId ? this.w.fbUsers.get(p.fromId) : undefined;
      if (!from) throw new GraphErr(100, '(#100) Cannot send a private reply to the Page\'s own post');
      if (p.privateReplyAt !== undefined) throw new GraphErr(10900, '(#10900) Activity already replied to');
      if (now - p.createdAt > 7 * DAY) throw new GraphErr(10903, '(#10903) This activity can\'t be replied to');
      p.privateReplyAt = now;
      const m = this.w.addFbMessage(from, true, text, now);
      this.s.record({ kind: 'fb_private_reply', id: m.id, text, inReplyToId: p.id, recipientId: from.id, accountId: SANDBOX_BRAND.fbPageId });
      return { recipient_id: from.id, message_id: m.id };
    }

    if (typeof recipient.comment_id === 'string') {
      const c = this.w.commentById.get(recipient.comment_id);
      if (!c || c.deleted) throw unsupported('post', recipient.comment_id);
      if (c.fromId === SANDBOX_BRAND.fbPageId) throw new GraphErr(100, '(#100) Cannot send a private reply to the Page\'s own comment');
      if (c.privateReplyAt !== undefined) throw new GraphErr(10900, '(#10900) Activity already replied to');
      if (now - c.createdAt > 7 * DAY) throw new GraphErr(10903, '(#10903) This activity can\'t be replied to');
      c.privateReplyAt = now;
      const m = this.w.addFbMessage({ id: c.fromId, name: c.fromName }, true, text, now);
      this.s.record({ kind: 'fb_private_reply', id: m.id, text, inReplyToId: c.id, recipientId: c.fromId, accountId: SANDBOX_BRAND.fbPageId });
      return { recipient_id: c.fromId, message_id: m.id };
    }

    if (type !== 'RESPONSE' && type !== 'UPDATE' && type !== 'MESSAGE_TAG') throw new GraphErr(100, '(#100) param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
    const tag = typeof fields.tag === 'string' ? fields.tag : undefined;
    if (type === 'MESSAGE_TAG' && (!tag || !MESSENGER_TAGS.has(tag))) throw new GraphErr(100, '(#100) param tag must be a valid message tag when messaging_type is MESSAGE_TAG');
    const psid = typeof recipient.id === 'string' ? recipient.id : undefined;
    const conv = psid ? this.w.conversationOfUser.get(psid) : undefined;
    const user = psid ? this.w.fbUsers.get(psid) : undefined;
    if (!psid || !conv || !user) throw new GraphErr(100, '(#100) No matching user found', 2018001);
    const since = conv.lastUserAt === undefined ? Infinity : now - conv.lastUserAt;
    const allowed = type === 'MESSAGE_TAG' ? (tag === 'HUMAN_AGENT' ? since <= 7 * DAY : true) : since <= DAY;
    if (!allowed) {
      throw new GraphErr(10, '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview', 2018278);
    }
    const m = this.w.addFbMessage(user, true, text, now);
    this.s.record({ kind: 'fb_message', id: m.id, text, recipientId: psid, accountId: SANDBOX_BRAND.fbPageId, ...(attachmentId ? { media: [attachmentId] } : {}) });
    return { recipient_id: psid, message_id: m.id };
  }
}
