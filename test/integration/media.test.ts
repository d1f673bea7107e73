import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { Channel, Message } from '../../shared/model';
import { FakeRenderer, until, world, type Requests, type World } from './harness';

/**
 * Replies with images: X one-shot media upload (POST /2/media/upload, scope
 * media.write) + alt text, attached to a reply or a DM; Graph unpublished photo
 * attached to a comment; a Messenger image attachment. The sandbox checks that
 * the bytes are an image and that only uploaded ids are attached.
 */
let w: World;

// The smallest valid PNG (1×1) and a GIF header: real images by their first bytes.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1').toString('base64');
const NOT_IMAGE = Buffer.from('<html>no image</html>').toString('base64');

beforeEach(async () => {
  w = await world();
});

afterEach(async () => {
  await w.close();
});

async function setup() {
  const core = await w.core();
  const r = new FakeRenderer();
  r.attach(core);
  await until(() => (['x_mention', 'x_dm', 'fb_comment', 'fb_message'] as Channel[]).every((c) => r.of(c).some((m) => !m.fromUs)), 'history');
  const pick = (c: Channel): Message => r.of(c).filter((m) => !m.fromUs && !m.visitorPost).sort((a, b) => b.createdAt - a.createdAt)[0]!;
  return { core, r, pick };
}

type Posted = { kind: string; id: string; text?: string; media?: string[] };

describe('replies with media', () => {
  it('X: uploads each image (with alt text), then replies with its media ids; a DM carries one image', async () => {
    const { core, pick } = await setup();
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Kijk, zo kwam mijn doos aan' });
    const st = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
    const x = st.accounts.find((a) => a.platform === 'x')!;
    const res = await core.dispatch('sendReply', {
      clientId: crypto.randomUUID(),
      accountId: x.id,
      channel: 'x_mention',
      conversationId: mention.conversationId,
      inReplyToId: mention.id,
      text: 'Zo hoort het niet! Zo pakken wij in:',
      media: [
        { mimeType: 'image/png', dataBase64: PNG, alt: 'Een goed ingepakte doos' },
        { mimeType: 'image/gif', dataBase64: GIF },
      ],
    });
    expect(res).toMatchObject({ ok: true, value: { channel: 'x_mention', mediaCount: 2 } });
    const reqs = ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.method === 'POST');
    expect(reqs.filter((q) => q.path === '/x/2/media/upload' && q.status === 200)).toHaveLength(2);
    expect(reqs.filter((q) => q.path === '/x/2/media/metadata' && q.status === 200)).toHaveLength(1);
    const posted = (await w.api('/__sandbox/posted')).posted as Posted[];
    expect(posted.find((p) => p.kind === 'x_reply')?.media).toHaveLength(2);

    const dm = pick('x_dm');
    const dmRes = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: dm.accountId, channel: 'x_dm', conversationId: dm.conversationId, inReplyToId: dm.platformId, recipientId: dm.author.id, text: '', media: [{ mimeType: 'image/png', dataBase64: PNG }] });
    expect(dmRes).toMatchObject({ ok: true, value: { channel: 'x_dm', mediaCount: 1 } });
    expect(((await w.api('/__sandbox/posted')).posted as Posted[]).find((p) => p.kind === 'x_dm')?.media).toHaveLength(1);
  });

  it('Facebook: a photo on a comment reply and an image in Messenger', async () => {
    const { core, pick } = await setup();
    const c = pick('fb_comment');
    const res = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: c.accountId, channel: 'fb_comment', conversationId: c.conversationId, inReplyToId: c.platformId, text: 'Hier is de route:', media: [{ mimeType: 'image/png', dataBase64: PNG, alt: 'Kaartje' }] });
    expect(res).toMatchObject({ ok: true, value: { channel: 'fb_comment', mediaCount: 1 } });
    const m = pick('fb_message');
    // Fresh message so the 24-hour window is open.
    const fresh = await w.api('/__sandbox/inject', { channel: 'fb_message', text: 'Mag ik een foto van het formulier?', authorId: m.author.id });
    const res2 = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: m.accountId, channel: 'fb_message', conversationId: fresh.conversationId, inReplyToId: fresh.id, recipientId: m.author.id, text: 'Alsjeblieft', media: [{ mimeType: 'image/png', dataBase64: PNG }] });
    expect(res2).toMatchObject({ ok: true, value: { channel: 'fb_message', mediaCount: 1, text: 'Alsjeblieft' } });
    const posted = (await w.api('/__sandbox/posted')).posted as Posted[];
    expect(posted.find((p) => p.kind === 'fb_comment_reply')).toMatchObject({ text: 'Hier is de route:', media: [expect.any(String)] });
    const messenger = posted.filter((p) => p.kind === 'fb_message');
    expect(messenger.map((p) => [p.text, p.media?.length ?? 0])).toEqual([
      ['', 1],
      ['Alsjeblieft', 0],
    ]);
    const reqs = ((await w.api('/__sandbox/requests')) as Requests).requests;
    expect(reqs.filter((q) => q.path.endsWith('/photos') && q.status === 200)).toHaveLength(1);
    expect(reqs.filter((q) => q.path.endsWith('/message_attachments') && q.status === 200)).toHaveLength(1);
  });

  for (const fault of [{ type: 'reset' }, { type: 'rateLimit', resetInSeconds: 1 }] as const) {
    it(`Messenger: the text fails (${fault.type}) after the image went out; the retry sends the text only`, async () => {
      const { core, pick } = await setup();
      const m = pick('fb_message');
      const fresh = await w.api('/__sandbox/inject', { channel: 'fb_message', text: 'Kunt u een foto sturen?', authorId: m.author.id });
      const input = { clientId: crypto.randomUUID(), accountId: m.accountId, channel: 'fb_message' as const, conversationId: fresh.conversationId, inReplyToId: fresh.id, recipientId: m.author.id, text: 'Zo ziet het eruit', media: [{ mimeType: 'image/png' as const, dataBase64: PNG }] };
      // POSTs in order: the attachment upload, the image message, the text message.
      await w.api('/__sandbox/faults', { method: 'POST', path: '/graph/', skip: 2, times: 1, fault });
      const first = await core.dispatch('sendReply', input);
      expect(first.ok).toBe(false);
      // Another reply with an image in between must not make the host forget the first one's image.
      const other = await core.dispatch('sendReply', { ...input, clientId: crypto.randomUUID(), text: 'Nog een' });
      expect(other.ok).toBe(true);
      const second = await core.dispatch('sendReply', input);
      expect(second).toMatchObject({ ok: true, value: { channel: 'fb_message', mediaCount: 1, text: 'Zo ziet het eruit' } });
      const messenger = ((await w.api('/__sandbox/posted')).posted as Posted[]).filter((p) => p.kind === 'fb_message');
      expect(messenger.map((p) => [p.text, p.media?.length ?? 0])).toEqual([
        ['', 1],
        ['', 1],
        ['Nog een', 0],
        ['Zo ziet het eruit', 0],
      ]);
    });
  }

  it('refuses what cannot be sent: too many images, a private reply with an image, bytes that are no image; an upload fault is a clean failure', async () => {
    const { core, pick } = await setup();
    const x = pick('x_mention');
    const base = { accountId: x.accountId, channel: 'x_mention' as const, conversationId: x.conversationId, inReplyToId: x.platformId, text: 'Kijk' };
    const img = { mimeType: 'image/png' as const, dataBase64: PNG };
    expect(await core.dispatch('sendReply', { ...base, clientId: crypto.randomUUID(), media: [img, img, img, img, img] })).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    const dm = pick('x_dm');
    expect(await core.dispatch('sendReply', { ...base, channel: 'x_dm', recipientId: dm.author.id, clientId: crypto.randomUUID(), media: [img, img] })).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    const c = pick('fb_comment');
    expect(await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: c.accountId, channel: 'fb_comment', conversationId: c.conversationId, inReplyToId: c.platformId, text: 'x', private: true, media: [img] })).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    expect(await core.dispatch('sendReply', { ...base, clientId: crypto.randomUUID(), media: [{ mimeType: 'image/png', dataBase64: 'data:image/png;base64,AAAA' }] })).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });

    // Not an image: X refuses the upload with a 400, nothing is posted, the reply can be retried or edited.
    const bad = await core.dispatch('sendReply', { ...base, clientId: crypto.randomUUID(), media: [{ mimeType: 'image/png', dataBase64: NOT_IMAGE }] });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'platform', status: 400 } });
    // A 503 on the upload: nothing was posted, so the same client id simply tries again and posts once.
    await w.api('/__sandbox/faults', { method: 'POST', path: '/x/2/media/upload', fault: { type: 'status', status: 503 } });
    const clientId = crypto.randomUUID();
    const first = await core.dispatch('sendReply', { ...base, clientId, media: [img] });
    expect(first.ok).toBe(false);
    const second = await core.dispatch('sendReply', { ...base, clientId, media: [img] });
    expect(second).toMatchObject({ ok: true, value: { mediaCount: 1 } });
    const replies = ((await w.api('/__sandbox/posted')).posted as Posted[]).filter((p) => p.kind === 'x_reply');
    expect(replies).toHaveLength(1);
  });
});
