import { MEDIA_MAX_BYTES, type AppError, type SendReplyInput } from './contract.js';
import type { Channel } from './model.js';
import { countText } from './textLength.js';

/** The decoded size of base64 data, without decoding it. */
export function base64Bytes(data: string): number {
  const clean = data.replace(/[^A-Za-z0-9+/=_-]/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

/** Images per reply: X posts take 4, an X DM, a Facebook comment and a Messenger message 1; no private reply carries one. */
export function checkMedia(input: Pick<SendReplyInput, 'channel' | 'media' | 'private'>): AppError | null {
  const media = input.media ?? [];
  if (media.length === 0) return null;
  const max = input.channel === 'x_mention' || input.channel === 'x_search' ? 4 : 1;
  if (media.length > max) return { kind: 'invalidInput', detail: `at most ${max} image(s) on this channel` };
  if (input.private) return { kind: 'invalidInput', detail: 'a private reply cannot carry an image' };
  for (const m of media) {
    if (base64Bytes(m.dataBase64) > MEDIA_MAX_BYTES) return { kind: 'invalidInput', detail: 'an image is larger than 5 MB' };
  }
  return null;
}

/** The platform's own length rule, checked before anything is sent. */
export function checkText(channel: Channel, text: string): AppError | null {
  const c = countText(channel, text);
  if (c.empty) return { kind: 'empty' };
  if (c.length > c.limit) return { kind: 'tooLong', limit: c.limit };
  return c.valid ? null : { kind: 'invalidInput', detail: 'text has characters the platform refuses' };
}
