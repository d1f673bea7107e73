import type { MediaInput } from '../../../../shared/contract.js';
import type { XSession } from './api.js';
import { idValue } from './mapping.js';

/**
 * Images onto X (scope media.write), as X API v2 documents the upload
 * (OpenAPI 2.167; docs.x.com/x-api/media):
 *
 * - the one-shot `POST /2/media/upload`, JSON `{media (base64), media_category}`
 *   and nothing else: its schema allows no other property (`media_type` is gone),
 *   and the docs call it the "simple upload (images only)". Used for images up
 *   to ONE_SHOT_MAX_BYTES;
 * - the chunked upload for GIFs and larger images: `POST /2/media/upload/initialize`
 *   `{media_type, total_bytes, media_category}` → `{data:{id}}`;
 *   `POST /2/media/upload/{id}/append` multipart `segment_index` + `media` per chunk;
 *   `POST /2/media/upload/{id}/finalize`. A GIF goes as `tweet_gif`/`dm_gif`,
 *   which X processes asynchronously;
 * - when an answer carries `processing_info`, `GET /2/media/upload?command=STATUS&media_id=`
 *   after `check_after_secs` until the state is `succeeded` (or `failed`). Until then
 *   X refuses the id in a post ("Your media IDs are invalid."), so nothing is posted
 *   before it is ready;
 * - then the alt text, `POST /2/media/metadata {id, metadata:{alt_text:{text}}}`.
 */

/** Images up to this size go in one request; larger ones in chunks, so a slow link retries less and no request runs long. */
export const ONE_SHOT_MAX_BYTES = 1024 * 1024;
/** Bytes per APPEND. */
export const CHUNK_BYTES = 1024 * 1024;
/** How long a reply waits at most for X to process its media. */
export const PROCESSING_MAX_WAIT_MS = 60_000;
const CHECK_AFTER_MAX_S = 10;

export type XMediaCategory = 'tweet_image' | 'tweet_gif' | 'dm_image' | 'dm_gif';

/** X could not process the file (state `failed`), or did not finish within PROCESSING_MAX_WAIT_MS. Nothing was posted. */
export class XMediaFailed extends Error {
  constructor(
    readonly mediaId: string,
    readonly timedOut: boolean,
  ) {
    super(timedOut ? `X did not finish processing media ${mediaId} in time` : `X could not process media ${mediaId}`);
    this.name = 'XMediaFailed';
  }
}

interface ProcessingInfo {
  state?: string;
  check_after_secs?: number;
  progress_percent?: number;
}

interface UploadData {
  id?: string;
  processing_info?: ProcessingInfo;
}

export interface XMediaOptions {
  /** Waits between status checks (tests may shorten it). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  maxWaitMs?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The category X takes for this file where the caller asks for an image: a GIF is `*_gif`. */
export function xMediaCategory(media: Pick<MediaInput, 'mimeType'>, category: 'tweet_image' | 'dm_image'): XMediaCategory {
  if (media.mimeType !== 'image/gif') return category;
  return category === 'tweet_image' ? 'tweet_gif' : 'dm_gif';
}

/** Whether this file takes the chunked upload (every GIF, and images over ONE_SHOT_MAX_BYTES). */
export function needsChunkedUpload(media: Pick<MediaInput, 'mimeType'>, bytes: number): boolean {
  return media.mimeType === 'image/gif' || bytes > ONE_SHOT_MAX_BYTES;
}

/**
 * One image or GIF onto X, processed and with its alt text; returns the media id,
 * ready to attach to a post or DM. Throws XMediaFailed when X cannot process it.
 */
export async function uploadXMedia(session: XSession, media: MediaInput, category: 'tweet_image' | 'dm_image', opts: XMediaOptions = {}): Promise<string> {
  const bytes = Buffer.from(media.dataBase64, 'base64');
  const cat = xMediaCategory(media, category);
  const data = needsChunkedUpload(media, bytes.length) ? await chunked(session, media, bytes, cat) : await oneShot(session, media, cat);
  const id = data.id;
  if (idValue(id) === null) throw new Error('X answered without a media id');
  const mediaId = id as string;
  if (data.processing_info) await waitForProcessing(session, mediaId, data.processing_info, opts);
  if (media.alt) {
    await session.run((c) => c.v2.post('media/metadata', { id: mediaId, metadata: { alt_text: { text: media.alt } } }, { timeout: session.timeoutMs }));
  }
  return mediaId;
}

async function oneShot(session: XSession, media: MediaInput, category: XMediaCategory): Promise<UploadData> {
  const res = await session.run((c) =>
    c.v2.post<{ data?: UploadData }>('media/upload', { media: media.dataBase64, media_category: category }, { timeout: session.timeoutMs }),
  );
  return res?.data ?? {};
}

async function chunked(session: XSession, media: MediaInput, bytes: Buffer, category: XMediaCategory): Promise<UploadData> {
  const init = await session.run((c) =>
    c.v2.post<{ data?: UploadData }>('media/upload/initialize', { media_type: media.mimeType, total_bytes: bytes.length, media_category: category }, { timeout: session.timeoutMs }),
  );
  const id = init?.data?.id;
  if (idValue(id) === null) throw new Error('X answered without a media id');
  const path = `media/upload/${encodeURIComponent(id as string)}`;
  for (let index = 0, offset = 0; offset < bytes.length; index++, offset += CHUNK_BYTES) {
    const chunk = bytes.subarray(offset, Math.min(offset + CHUNK_BYTES, bytes.length));
    await session.run((c) => c.v2.post(`${path}/append`, { segment_index: index, media: chunk }, { forceBodyMode: 'form-data', timeout: session.timeoutMs }));
  }
  const fin = await session.run((c) => c.v2.post<{ data?: UploadData }>(`${path}/finalize`, undefined, { timeout: session.timeoutMs }));
  return { ...fin?.data, id: fin?.data?.id ?? id };
}

async function waitForProcessing(session: XSession, id: string, first: ProcessingInfo, opts: XMediaOptions): Promise<void> {
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const deadline = now() + (opts.maxWaitMs ?? PROCESSING_MAX_WAIT_MS);
  let info: ProcessingInfo | undefined = first;
  for (;;) {
    if (!info || info.state === 'succeeded') return;
    if (info.state === 'failed') throw new XMediaFailed(id, false);
    // pending, in_progress (or a state not known yet): wait as long as X asks, within bounds.
    const asked = typeof info.check_after_secs === 'number' && Number.isFinite(info.check_after_secs) ? info.check_after_secs : 1;
    const waitMs = Math.min(Math.max(asked, 1), CHECK_AFTER_MAX_S) * 1000;
    if (now() + waitMs > deadline) throw new XMediaFailed(id, true);
    await sleep(waitMs);
    const res = await session.run((c) => c.v2.get<{ data?: UploadData }>('media/upload', { command: 'STATUS', media_id: id }, { timeout: session.timeoutMs }));
    info = res?.data?.processing_info;
  }
}
