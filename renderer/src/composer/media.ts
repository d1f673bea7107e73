import { MEDIA_MAX_BYTES, MEDIA_MIME_TYPES, type MediaInput } from '../../../shared/contract.js';
import { isXPostChannel, type Channel } from '../../../shared/model.js';
import type { DraftMediaRecord, WebcareDb } from '../db/db';

/**
 * Images attached to a draft: only ever by the agent choosing a file for this
 * draft (never from a message, the clipboard or another draft), each shown as a
 * thumbnail and listed again in the confirmation before the reply is queued.
 */
export interface DraftMedia extends DraftMediaRecord {
  name: string;
  mimeType: MediaInput['mimeType'];
  dataBase64: string;
  size: number;
  alt: string;
  addedAt: number;
}

/**
 * How many images one reply may carry on each channel: X takes up to 4 images
 * in a post, or one animated GIF on its own.
 */
export function mediaLimit(channel: Channel, attached: readonly Pick<DraftMedia, 'mimeType'>[] = []): number {
  return isXPostChannel(channel) && !attached.some((m) => m.mimeType === 'image/gif') ? 4 : 1;
}

export function isMediaType(t: string): t is MediaInput['mimeType'] {
  return (MEDIA_MIME_TYPES as readonly string[]).includes(t);
}

export type AttachProblem = 'type' | 'size' | 'count' | 'gifAlone';

function base64Of(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export async function attach(db: WebcareDb, threadKey: string, file: File, channel: Channel, now = Date.now()): Promise<AttachProblem | null> {
  if (!isMediaType(file.type)) return 'type';
  if (file.size > MEDIA_MAX_BYTES || file.size === 0) return 'size';
  const dataBase64 = base64Of(await file.arrayBuffer());
  return db.transaction('rw', db.draftMedia, async () => {
    const attached = await db.draftMedia.where('threadKey').equals(threadKey).toArray();
    // X: an animated GIF goes on its own, not with other images.
    if (isXPostChannel(channel) && attached.length > 0 && (file.type === 'image/gif' || attached.some((m) => m.mimeType === 'image/gif'))) return 'gifAlone';
    if (attached.length >= mediaLimit(channel)) return 'count';
    const row: DraftMedia = { id: crypto.randomUUID(), threadKey, name: file.name.slice(0, 200), mimeType: file.type as MediaInput['mimeType'], dataBase64, size: file.size, alt: '', addedAt: now };
    await db.draftMedia.add(row);
    return null;
  });
}

export async function draftMedia(db: WebcareDb, threadKey: string): Promise<DraftMedia[]> {
  const rows = (await db.draftMedia.where('threadKey').equals(threadKey).toArray()) as DraftMedia[];
  return rows.sort((a, b) => a.addedAt - b.addedAt);
}

export function toInput(m: DraftMedia): MediaInput {
  return m.alt.trim() ? { mimeType: m.mimeType, dataBase64: m.dataBase64, alt: m.alt.trim().slice(0, 1000) } : { mimeType: m.mimeType, dataBase64: m.dataBase64 };
}

export function dataUrl(m: Pick<DraftMedia, 'mimeType' | 'dataBase64'>): string {
  return `data:${m.mimeType};base64,${m.dataBase64}`;
}
