import type { XAccess } from './auth.js';
import { isRecord, json, type Resp } from './http.js';
import type { SandboxState } from './state.js';
import type { UploadedMedia, World } from './world.js';
import type { XRequest } from './xApi.js';

/**
 * X API v2 media upload as OpenAPI 2.167 (2026-08) and docs.x.com/x-api/media
 * describe it:
 *
 * - `POST /2/media/upload`, the one-shot "simple upload (images only)": JSON
 *   `{media (base64), media_category, additional_owners?}` or the same as
 *   multipart (raw bytes); `additionalProperties: false`, so `media_type` (which
 *   2.142-2.164 had) is refused like any unknown property.
 * - The chunked upload: `POST /2/media/upload/initialize` `{media_type, total_bytes,
 *   media_category, additional_owners?, shared?}`; `POST /2/media/upload/{id}/append`
 *   `{segment_index 0-999, media}` as multipart or JSON (base64);
 *   `POST /2/media/upload/{id}/finalize`; `GET /2/media/upload?command=STATUS&media_id=`.
 *   A GIF (`tweet_gif` / `dm_gif`) is processed asynchronously: FINALIZE answers
 *   `processing_info {state: pending, check_after_secs: 1}`, and the state moves
 *   pending → in_progress → succeeded one `check_after_secs` at a time. A GIF over
 *   1280×1080 (X's documented GIF bound) ends `failed`.
 * - `POST /2/media/metadata` for the alt text.
 *
 * Media that is not processed (yet) cannot be attached: POST /2/tweets answers
 * 400 "Your media IDs are invalid." with the ids under `media.media_ids`.
 */

const INVALID_TYPE = 'https://api.twitter.com/2/problems/invalid-request';

type ParamError = { parameters?: Record<string, string[]>; message: string };

function invalid(errors: ParamError[]): Resp {
  return json(400, { errors, title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: INVALID_TYPE });
}

function notInSchema(key: string): Resp {
  return invalid([{ message: `$.${key}: is not defined in the schema and the schema does not allow additional properties` }]);
}

function missing(key: string): Resp {
  return invalid([{ message: `$.${key}: is missing but it is required` }]);
}

function notInEnum(key: string, value: unknown): Resp {
  return invalid([{ parameters: { [key]: [String(value)] }, message: `$.${key}: does not have a value in the enumeration` }]);
}

/** An id that names no upload of this account (the wording is the sandbox's). */
function badMediaId(param: 'id' | 'media_id', id: string): Resp {
  return invalid([{ parameters: { [param]: [id] }, message: `Invalid or expired media_id: [${id}].` }]);
}

/** The enumerations of OpenAPI 2.167 (the one-shot upload has no amplify_video). */
const CATEGORIES = new Set(['amplify_video', 'tweet_gif', 'tweet_image', 'tweet_video', 'dm_gif', 'dm_image', 'dm_video', 'subtitles']);
const ONE_SHOT_CATEGORIES = new Set(['tweet_image', 'tweet_video', 'tweet_gif', 'dm_image', 'dm_video', 'dm_gif', 'subtitles']);
const MEDIA_TYPES = new Set([
  'video/mp4', 'video/webm', 'video/mp2t', 'video/quicktime', 'text/srt', 'text/vtt', 'image/jpeg', 'image/gif', 'image/bmp', 'image/png',
  'image/webp', 'image/pjpeg', 'image/tiff', 'model/gltf-binary', 'model/vnd.usdz+zip',
]);
const ONE_SHOT_KEYS = new Set(['media', 'media_category', 'additional_owners']);
const INIT_KEYS = new Set(['media_type', 'total_bytes', 'media_category', 'additional_owners', 'shared']);
const APPEND_KEYS = new Set(['media', 'segment_index']);
const STATUS_PARAMS = ['media_id', 'command'];

/** What the sandbox serves: images and animated GIFs, no video or subtitles. */
const SERVED_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const IMAGE_CATEGORIES = new Set(['tweet_image', 'dm_image']);
const GIF_CATEGORIES = new Set(['tweet_gif', 'dm_gif']);

/** Documented limits: image 5 MB, GIF 15 MB. */
export const X_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const X_GIF_MAX_BYTES = 15 * 1024 * 1024;
/** X's documented bound for an animated GIF; a larger one fails processing here. */
const GIF_MAX_W = 1280;
const GIF_MAX_H = 1080;
const EXPIRES_AFTER_SECS = 86_400;
/** Each processing step takes this long: pending, then in_progress, then done. */
const STEP_SECS = 1;

const ID_RE = /^[0-9]{1,19}$/;

/** The image type from its first bytes (never trust the declared type). */
export function sniffImage(b: Buffer): string | null {
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

/** Width and height where the header says them plainly (PNG IHDR, GIF logical screen); else 1×1. */
function dimensions(b: Buffer, type: string): { w: number; h: number } {
  if (type === 'image/png' && b.length >= 24) return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
  if (type === 'image/gif' && b.length >= 10) return { w: b.readUInt16LE(6), h: b.readUInt16LE(8) };
  return { w: 1, h: 1 };
}

function mediaKey(id: string, type: string): string {
  // X's media key prefixes: 3 a photo, 16 an animated GIF.
  return `${type === 'image/gif' ? 16 : 3}_${id}`;
}

interface UploadSession {
  id: string;
  ownerId: string;
  mediaType: string;
  category: string;
  total: number;
  segments: Map<number, Buffer>;
  createdAt: number;
}

interface Processing {
  finalizedAt: number;
  fails: boolean;
}

interface Store {
  sessions: Map<string, UploadSession>;
  processing: WeakMap<UploadedMedia, Processing>;
}

type Fields = Record<string, unknown>;
type Parsed = { fields: Fields } | { resp: Resp };

export interface MediaRoute {
  endpoint: string;
  scopes: string[];
  run: (u: XAccess, r: XRequest) => Resp;
}

const MEDIA_WRITE = ['media.write'];

export class XMediaApi {
  /** Per world: a reset starts with no uploads. */
  private readonly stores = new WeakMap<World, Store>();

  constructor(private readonly s: SandboxState) {}

  private get w(): World {
    return this.s.world;
  }

  private store(): Store {
    let st = this.stores.get(this.w);
    if (!st) {
      st = { sessions: new Map(), processing: new WeakMap() };
      this.stores.set(this.w, st);
    }
    return st;
  }

  route(method: string, path: string): MediaRoute | undefined {
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/2/media/upload') return { endpoint: 'GET /2/media/upload', scopes: MEDIA_WRITE, run: (u, r) => this.status(u, r) };
    if (method !== 'POST') return undefined;
    if (path === '/2/media/upload') return { endpoint: 'POST /2/media/upload', scopes: MEDIA_WRITE, run: (u, r) => this.oneShot(u, r) };
    if (path === '/2/media/upload/initialize') return { endpoint: 'POST /2/media/upload/initialize', scopes: MEDIA_WRITE, run: (u, r) => this.initialize(u, r) };
    if ((m = /^\/2\/media\/upload\/([^/]+)\/append$/.exec(path))) {
      const id = decodeURIComponent(m[1] ?? '');
      return { endpoint: 'POST /2/media/upload/:id/append', scopes: MEDIA_WRITE, run: (u, r) => this.append(u, id, r) };
    }
    if ((m = /^\/2\/media\/upload\/([^/]+)\/finalize$/.exec(path))) {
      const id = decodeURIComponent(m[1] ?? '');
      return { endpoint: 'POST /2/media/upload/:id/finalize', scopes: MEDIA_WRITE, run: (u) => this.finalize(u, id) };
    }
    if (path === '/2/media/metadata') return { endpoint: 'POST /2/media/metadata', scopes: MEDIA_WRITE, run: (u, r) => this.metadata(u, r) };
    return undefined;
  }

  /** Whether this account may attach this media id now: its own upload, processed. */
  attachable(id: string, userId: string): boolean {
    const m = this.w.media.get(id);
    if (!m || m.kind !== 'x' || m.ownerId !== userId) return false;
    const p = this.store().processing.get(m);
    return !p || this.state(p) === 'succeeded';
  }

  /**
   * The 400 POST /2/tweets answers for its `media.media_ids`, or null: every id
   * this account's and processed, and an animated GIF only on its own (X: "up to
   * 4 photos, 1 animated GIF or 1 video in a Post").
   */
  postMediaError(ids: string[], userId: string): Resp | null {
    const gifs = ids.filter((i) => this.w.media.get(i)?.mimeType === 'image/gif').length;
    if (ids.every((i) => this.attachable(i, userId)) && (gifs === 0 || ids.length === 1)) return null;
    return invalid([{ parameters: { 'media.media_ids': ids }, message: 'Your media IDs are invalid.' }]);
  }

  private state(p: Processing): 'pending' | 'in_progress' | 'succeeded' | 'failed' {
    const steps = Math.floor((this.s.now() - p.finalizedAt) / (STEP_SECS * 1000));
    if (steps < 1) return 'pending';
    if (steps < 2) return 'in_progress';
    return p.fails ? 'failed' : 'succeeded';
  }

  private processingInfo(p: Processing): Record<string, unknown> {
    const state = this.state(p);
    if (state === 'pending') return { state, check_after_secs: STEP_SECS, progress_percent: 0 };
    if (state === 'in_progress') return { state, check_after_secs: STEP_SECS, progress_percent: 50 };
    return { state, progress_percent: 100 };
  }

  /** The body's fields: JSON (media as base64) or multipart (media as raw bytes). */
  private fields(r: XRequest, multipart: boolean): Parsed {
    const b = r.body;
    if (b.kind === 'multipart' && multipart) {
      if (b.invalid !== undefined || !b.parts) return { resp: invalid([{ message: 'Request body is not valid multipart/form-data.' }]) };
      const out: Fields = Object.create(null) as Fields;
      for (const p of b.parts) out[p.name] = 'data' in p ? p.data : p.value;
      return { fields: out };
    }
    if (b.kind !== 'json') {
      return { resp: invalid([{ message: multipart ? 'Requests with bodies must have content-type of application/json or multipart/form-data.' : 'Requests with bodies must have content-type of application/json.' }]) };
    }
    if (b.invalid !== undefined || !isRecord(b.value)) return { resp: invalid([{ message: 'Request body is not valid JSON.' }]) };
    return { fields: b.value };
  }

  /** The media bytes of a field: base64 in JSON, raw bytes in multipart; null when not bytes. */
  private bytesOf(v: unknown, r: XRequest): Buffer | null {
    if (Buffer.isBuffer(v)) return v;
    if (typeof v !== 'string' || v.length === 0) return null;
    if (r.body.kind === 'multipart') return Buffer.from(v, 'utf8');
    return /^[A-Za-z0-9+/]+={0,2}$/.test(v) ? Buffer.from(v, 'base64') : null;
  }

  /** POST /2/media/upload: one image in one request. */
  private oneShot(u: XAccess, r: XRequest): Resp {
    const parsed = this.fields(r, true);
    if ('resp' in parsed) return parsed.resp;
    const f = parsed.fields;
    for (const k of Object.keys(f)) if (!ONE_SHOT_KEYS.has(k)) return notInSchema(k);
    if (f.media === undefined) return missing('media');
    if (f.media_category === undefined) return missing('media_category');
    const category = f.media_category;
    if (typeof category !== 'string' || !ONE_SHOT_CATEGORIES.has(category)) return notInEnum('media_category', category);
    if (f.additional_owners !== undefined && (typeof f.additional_owners !== 'string' || !/^\d{1,19}(,\d{1,19})*$/.test(f.additional_owners))) {
      return invalid([{ message: '$.additional_owners: a comma-separated list of user ids' }]);
    }
    if (!IMAGE_CATEGORIES.has(category)) {
      return invalid([{ parameters: { media_category: [category] }, message: `The simple upload takes images only: ${category} goes through POST /2/media/upload/initialize, append and finalize.` }]);
    }
    const bytes = this.bytesOf(f.media, r);
    if (!bytes) return invalid([{ message: 'media parameter is invalid.' }]);
    if (bytes.length > X_IMAGE_MAX_BYTES) return invalid([{ message: `File size exceeds ${X_IMAGE_MAX_BYTES} bytes.` }]);
    const sniffed = sniffImage(bytes);
    if (!sniffed) return invalid([{ message: 'media type unrecognized.' }]);
    if (sniffed === 'image/gif') {
      return invalid([{ parameters: { media_category: [category] }, message: 'The simple upload takes images only: an animated GIF goes through POST /2/media/upload/initialize (tweet_gif or dm_gif), append and finalize.' }]);
    }
    const id = this.w.nextXId(this.s.now()).toString();
    this.w.media.set(id, { id, ownerId: u.userId, mimeType: sniffed, size: bytes.length, kind: 'x' });
    return json(200, { data: { id, media_key: mediaKey(id, sniffed), size: bytes.length, expires_after_secs: EXPIRES_AFTER_SECS, image: { image_type: sniffed, ...dimensions(bytes, sniffed) } } });
  }

  /** POST /2/media/upload/initialize (INIT). */
  private initialize(u: XAccess, r: XRequest): Resp {
    const parsed = this.fields(r, false);
    if ('resp' in parsed) return parsed.resp;
    const f = parsed.fields;
    for (const k of Object.keys(f)) if (!INIT_KEYS.has(k)) return notInSchema(k);
    const { media_type: type, total_bytes: total, additional_owners: owners, shared } = f;
    if (type === undefined) return missing('media_type');
    if (typeof type !== 'string' || !MEDIA_TYPES.has(type)) return notInEnum('media_type', type);
    if (total === undefined) return missing('total_bytes');
    if (typeof total !== 'number' || !Number.isInteger(total) || total < 0 || total > 17_179_869_184) return invalid([{ message: '$.total_bytes: must be an integer between 0 and 17179869184' }]);
    if (owners !== undefined && (!Array.isArray(owners) || owners.some((o) => typeof o !== 'string' || !ID_RE.test(o)))) return invalid([{ message: '$.additional_owners: an array of user ids' }]);
    if (shared !== undefined && typeof shared !== 'boolean') return invalid([{ message: '$.shared: boolean expected' }]);
    // Without a category X assumes a post's media of the file's kind.
    const category = f.media_category ?? (type === 'image/gif' ? 'tweet_gif' : 'tweet_image');
    if (typeof category !== 'string' || !CATEGORIES.has(category)) return notInEnum('media_category', category);
    if (!SERVED_TYPES.has(type) || !(IMAGE_CATEGORIES.has(category) || GIF_CATEGORIES.has(category))) {
      return invalid([{ message: `The sandbox serves images and animated GIFs only, not ${type} as ${category}.` }]);
    }
    if ((type === 'image/gif') !== GIF_CATEGORIES.has(category)) {
      return invalid([{ parameters: { media_category: [category] }, message: `media_category ${category} does not fit media_type ${type}: an animated GIF is tweet_gif or dm_gif.` }]);
    }
    const max = type === 'image/gif' ? X_GIF_MAX_BYTES : X_IMAGE_MAX_BYTES;
    if (total === 0) return invalid([{ message: '$.total_bytes: must be greater than 0' }]);
    if (total > max) return invalid([{ message: `File size exceeds ${max} bytes.` }]);
    const id = this.w.nextXId(this.s.now()).toString();
    this.store().sessions.set(id, { id, ownerId: u.userId, mediaType: type, category, total, segments: new Map(), createdAt: this.s.now() });
    return json(200, { data: { id, media_key: mediaKey(id, type), expires_after_secs: EXPIRES_AFTER_SECS } });
  }

  private session(u: XAccess, id: string): UploadSession | undefined {
    const sess = this.store().sessions.get(id);
    if (!sess || sess.ownerId !== u.userId || this.s.now() - sess.createdAt > EXPIRES_AFTER_SECS * 1000) return undefined;
    return sess;
  }

  /** POST /2/media/upload/{id}/append (APPEND): one segment. */
  private append(u: XAccess, id: string, r: XRequest): Resp {
    if (!ID_RE.test(id)) return invalid([{ parameters: { id: [id] }, message: `The \`id\` path parameter value [${id}] does not match ^[0-9]{1,19}$` }]);
    const parsed = this.fields(r, true);
    if ('resp' in parsed) return parsed.resp;
    const f = parsed.fields;
    for (const k of Object.keys(f)) if (!APPEND_KEYS.has(k)) return notInSchema(k);
    if (f.segment_index === undefined) return missing('segment_index');
    if (f.media === undefined) return missing('media');
    const raw = f.segment_index;
    const index = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(index) || index < 0 || index > 999) return invalid([{ message: '$.segment_index: must be an integer between 0 and 999' }]);
    const sess = this.session(u, id);
    if (!sess) return badMediaId('id', id);
    const bytes = this.bytesOf(f.media, r);
    if (!bytes) return invalid([{ message: 'media parameter is invalid.' }]);
    // A segment sent again (a retry) replaces the earlier one.
    let received = bytes.length;
    for (const [i, seg] of sess.segments) if (i !== index) received += seg.length;
    if (received > sess.total) return invalid([{ message: 'Segments add up to more than total_bytes.' }]);
    sess.segments.set(index, bytes);
    return json(200, { data: { expires_at: Math.floor(sess.createdAt / 1000) + EXPIRES_AFTER_SECS } });
  }

  /** POST /2/media/upload/{id}/finalize (FINALIZE). */
  private finalize(u: XAccess, id: string): Resp {
    if (!ID_RE.test(id)) return invalid([{ parameters: { id: [id] }, message: `The \`id\` path parameter value [${id}] does not match ^[0-9]{1,19}$` }]);
    const done = this.w.media.get(id);
    // Finalizing again (a retry after a lost answer) reports the upload as it stands.
    if (done && done.kind === 'x' && done.ownerId === u.userId && this.store().processing.get(done)) return json(200, { data: this.describe(done) });
    const sess = this.session(u, id);
    if (!sess) return badMediaId('id', id);
    const order = [...sess.segments.keys()].sort((a, b) => a - b);
    if (order.some((k, i) => k !== i)) return invalid([{ message: 'Segments are missing: segment_index must run from 0 without gaps.' }]);
    const bytes = Buffer.concat(order.map((k) => sess.segments.get(k) as Buffer));
    if (bytes.length !== sess.total) return invalid([{ message: 'Segments do not add up to provided total file size.' }]);
    const sniffed = sniffImage(bytes);
    if (!sniffed) return invalid([{ message: 'media type unrecognized.' }]);
    if ((sniffed === 'image/gif') !== GIF_CATEGORIES.has(sess.category)) {
      return invalid([{ parameters: { media_category: [sess.category] }, message: `media_category ${sess.category} does not fit the uploaded ${sniffed}.` }]);
    }
    const st = this.store();
    st.sessions.delete(id);
    const m: UploadedMedia = { id, ownerId: u.userId, mimeType: sniffed, size: bytes.length, kind: 'x' };
    this.w.media.set(id, m);
    const dims = dimensions(bytes, sniffed);
    if (sniffed === 'image/gif') st.processing.set(m, { finalizedAt: this.s.now(), fails: dims.w > GIF_MAX_W || dims.h > GIF_MAX_H });
    return json(200, { data: { ...this.describe(m), ...(sniffed === 'image/gif' ? {} : { image: { image_type: sniffed, ...dims } }) } });
  }

  private describe(m: UploadedMedia): Record<string, unknown> {
    const p = this.store().processing.get(m);
    return { id: m.id, media_key: mediaKey(m.id, m.mimeType), size: m.size, expires_after_secs: EXPIRES_AFTER_SECS, ...(p ? { processing_info: this.processingInfo(p) } : {}) };
  }

  /** GET /2/media/upload?command=STATUS&media_id= (STATUS). */
  private status(u: XAccess, r: XRequest): Resp {
    for (const key of new Set(r.query.keys())) {
      if (!STATUS_PARAMS.includes(key)) return invalid([{ parameters: { [key]: r.query.getAll(key) }, message: `The query parameter [${key}] is not one of [${STATUS_PARAMS.join(',')}]` }]);
    }
    const command = r.query.get('command');
    if (command !== null && command !== 'STATUS') return invalid([{ parameters: { command: [command] }, message: `The \`command\` query parameter value [${command}] is not one of [STATUS]` }]);
    const id = r.query.get('media_id');
    if (id === null) return invalid([{ message: 'The `media_id` query parameter is missing' }]);
    if (!ID_RE.test(id)) return invalid([{ parameters: { media_id: [id] }, message: `The \`media_id\` query parameter value [${id}] does not match ^[0-9]{1,19}$` }]);
    const m = this.w.media.get(id);
    if (!m || m.kind !== 'x' || m.ownerId !== u.userId) return badMediaId('media_id', id);
    return json(200, { data: this.describe(m) });
  }

  /** POST /2/media/metadata: alt text for an uploaded image or GIF (up to 1,000 characters). */
  private metadata(u: XAccess, r: XRequest): Resp {
    const parsed = this.fields(r, false);
    if ('resp' in parsed) return parsed.resp;
    const body = parsed.fields;
    const id = body.id;
    const meta = isRecord(body.metadata) ? body.metadata : undefined;
    const alt = meta && isRecord(meta.alt_text) ? meta.alt_text.text : undefined;
    const m = typeof id === 'string' ? this.w.media.get(id) : undefined;
    if (!m || m.kind !== 'x' || m.ownerId !== u.userId) return invalid([{ message: 'Your media IDs are invalid.' }]);
    if (typeof alt !== 'string' || [...alt].length > 1000) return invalid([{ message: '$.metadata.alt_text.text: must be a string of at most 1000 characters' }]);
    m.alt = alt;
    return json(200, { data: { associated_metadata: true, id } });
  }
}
