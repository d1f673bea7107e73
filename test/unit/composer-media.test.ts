import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SendReplyInputSchema } from '../../shared/contract';
import { attach, draftMedia, mediaLimit } from '../../renderer/src/composer/media';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';

/** X takes up to four images in a post, or one animated GIF on its own. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1');
const png = (name = 'a.png') => new File([PNG], name, { type: 'image/png' });
const gif = (name = 'a.gif') => new File([GIF], name, { type: 'image/gif' });

let db: WebcareDb;

beforeEach(() => {
  db = openDb(`composer-media-${crypto.randomUUID()}`);
});

afterEach(async () => {
  db.close();
  await db.delete();
});

describe('composer media: an animated GIF on its own on X', () => {
  it('a GIF after an image, or an image after a GIF, is refused on an X post', async () => {
    expect(await attach(db, 't1', png(), 'x_mention')).toBeNull();
    expect(await attach(db, 't1', gif(), 'x_mention')).toBe('gifAlone');
    expect(await attach(db, 't2', gif(), 'x_search')).toBeNull();
    expect(await attach(db, 't2', png(), 'x_search')).toBe('gifAlone');
    expect((await draftMedia(db, 't1')).map((m) => m.mimeType)).toEqual(['image/png']);
    expect((await draftMedia(db, 't2')).map((m) => m.mimeType)).toEqual(['image/gif']);
  });

  it('four images still fit; a GIF makes the limit one', async () => {
    for (let i = 0; i < 4; i++) expect(await attach(db, 't', png(`${i}.png`), 'x_mention')).toBeNull();
    expect(await attach(db, 't', png('5.png'), 'x_mention')).toBe('count');
    expect(mediaLimit('x_mention')).toBe(4);
    expect(mediaLimit('x_mention', [{ mimeType: 'image/gif' }])).toBe(1);
    expect(mediaLimit('x_dm', [{ mimeType: 'image/gif' }])).toBe(1);
  });

  it('a single-image channel keeps its count rule for GIFs', async () => {
    expect(await attach(db, 'd', gif(), 'x_dm')).toBeNull();
    expect(await attach(db, 'd', png(), 'x_dm')).toBe('count');
  });

  it('the host contract refuses a GIF together with other images', () => {
    const base = { clientId: crypto.randomUUID(), accountId: 'a', channel: 'x_mention', conversationId: 'c', inReplyToId: '1', text: 'x' };
    const img = (mimeType: 'image/png' | 'image/gif', b: Buffer) => ({ mimeType, dataBase64: b.toString('base64') });
    expect(SendReplyInputSchema.safeParse({ ...base, media: [img('image/png', PNG), img('image/gif', GIF)] }).success).toBe(false);
    expect(SendReplyInputSchema.safeParse({ ...base, media: [img('image/gif', GIF)] }).success).toBe(true);
    expect(SendReplyInputSchema.safeParse({ ...base, media: [img('image/png', PNG), img('image/png', PNG)] }).success).toBe(true);
  });
});
