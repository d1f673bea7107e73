import i18next from 'i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { Channel, Message } from '../../shared/model';
import { errorMessage } from '../../renderer/src/i18n/errors';
import { initI18n } from '../../renderer/src/i18n/index';
import { FakeRenderer, until, world, type Requests, type World } from './harness';

/**
 * Replies with images. X: the one-shot upload (POST /2/media/upload, JSON with
 * media and media_category only) for small images, the chunked upload
 * (initialize, append, finalize) for GIFs and larger images, a wait on
 * processing_info (STATUS) before the id is used, alt text (POST /2/media/metadata);
 * attached to a reply or a DM. Graph: an unpublished photo attached to a comment,
 * a Messenger image attachment. The sandbox holds X's current schema: unknown
 * properties refused, GIFs only chunked, unprocessed media refused in a post.
 */
let w: World;

// The smallest valid PNG (1×1) and a GIF header: real images by their first bytes.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1').toString('base64');
const NOT_IMAGE = Buffer.from('<html>no image</html>').toString('base64');
/** The same GIF claiming a 2000×2000 screen: over X's 1280×1080 bound for animated GIFs, so processing fails. */
const HUGE_GIF = (() => {
  const b = Buffer.from(GIF, 'base64');
  b.writeUInt16LE(2000, 6);
  b.writeUInt16LE(2000, 8);
  return b.toString('base64');
})();

beforeAll(() => {
  initI18n('en');
});

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

async function xAccount(core: Awaited<ReturnType<World['core']>>) {
  const st = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
  return st.accounts.find((a) => a.platform === 'x')!;
}

describe('replies with media', () => {
  it('X: a small image goes through the one-shot upload with only media and media_category, then its alt text; a DM carries one image', async () => {
    const { core, pick } = await setup();
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Kijk, zo kwam mijn doos aan' });
    const x = await xAccount(core);
    const res = await core.dispatch('sendReply', {
      clientId: crypto.randomUUID(),
      accountId: x.id,
      channel: 'x_mention',
      conversationId: mention.conversationId,
      inReplyToId: mention.id,
      text: 'Zo hoort het niet! Zo pakken wij in:',
      media: [
        { mimeType: 'image/png', dataBase64: PNG, alt: 'Een goed ingepakte doos' },
        { mimeType: 'image/png', dataBase64: PNG },
      ],
    });
    expect(res).toMatchObject({ ok: true, value: { channel: 'x_mention', mediaCount: 2 } });
    const reqs = ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path.startsWith('/x/2/media/'));
    // The sandbox refuses any property the 2.167 schema lacks (media_type among them), so a 200 is the current body.
    expect(reqs.map((q) => [q.method, q.path, q.status])).toEqual([
      ['POST', '/x/2/media/upload', 200],
      ['POST', '/x/2/media/metadata', 200],
      ['POST', '/x/2/media/upload', 200],
    ]);
    const posted = (await w.api('/__sandbox/posted')).posted as Posted[];
    expect(posted.find((p) => p.kind === 'x_reply')?.media).toHaveLength(2);

    const dm = pick('x_dm');
    const dmRes = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: dm.accountId, channel: 'x_dm', conversationId: dm.conversationId, inReplyToId: dm.platformId, recipientId: dm.author.id, text: '', media: [{ mimeType: 'image/png', dataBase64: PNG }] });
    expect(dmRes).toMatchObject({ ok: true, value: { channel: 'x_dm', mediaCount: 1 } });
    expect(((await w.api('/__sandbox/posted')).posted as Posted[]).find((p) => p.kind === 'x_dm')?.media).toHaveLength(1);
  });

  it('X: a GIF goes chunked (initialize, append, finalize) as tweet_gif / dm_gif, and the reply waits until X has processed it', async () => {
    const { core, pick } = await setup();
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Hoe ziet dat ophaalpunt eruit?' });
    const x = await xAccount(core);
    const res = await core.dispatch('sendReply', {
      clientId: crypto.randomUUID(),
      accountId: x.id,
      channel: 'x_mention',
      conversationId: mention.conversationId,
      inReplyToId: mention.id,
      text: 'Zo vindt u het:',
      media: [{ mimeType: 'image/gif', dataBase64: GIF, alt: 'Route naar het ophaalpunt' }],
    });
    expect(res).toMatchObject({ ok: true, value: { channel: 'x_mention', mediaCount: 1 } });
    const reqs = ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path.startsWith('/x/2/media/') || q.path === '/x/2/tweets');
    const steps = reqs.map((q) => `${q.method} ${q.path.replace(/\/\d{5,}\//, '/{id}/')} ${q.status}`);
    // One 35-byte GIF is one segment; X reports pending, then in_progress, then succeeded, a second apart.
    expect(steps).toEqual([
      'POST /x/2/media/upload/initialize 200',
      'POST /x/2/media/upload/{id}/append 200',
      'POST /x/2/media/upload/{id}/finalize 200',
      'GET /x/2/media/upload 200',
      'GET /x/2/media/upload 200',
      'POST /x/2/media/metadata 200',
      'POST /x/2/tweets 201',
    ]);
    expect(reqs.filter((q) => q.method === 'GET').every((q) => /command=STATUS/.test(q.query) && /media_id=\d+/.test(q.query))).toBe(true);
    const reply = ((await w.api('/__sandbox/posted')).posted as Posted[]).find((p) => p.kind === 'x_reply');
    expect(reply?.media).toHaveLength(1);

    const dm = pick('x_dm');
    const dmRes = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: dm.accountId, channel: 'x_dm', conversationId: dm.conversationId, inReplyToId: dm.platformId, recipientId: dm.author.id, text: 'Zo:', media: [{ mimeType: 'image/gif', dataBase64: GIF }] });
    expect(dmRes).toMatchObject({ ok: true, value: { channel: 'x_dm', mediaCount: 1 } });
    expect(((await w.api('/__sandbox/posted')).posted as Posted[]).find((p) => p.kind === 'x_dm')?.media).toHaveLength(1);
  });

  it('X: an image over 1 MB goes chunked, in 1 MB segments, and needs no processing wait', async () => {
    const { core } = await setup();
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Stuur maar een foto' });
    const x = await xAccount(core);
    // A real PNG start (the sandbox recognises images by their first bytes) grown to 2.5 MB.
    const big = Buffer.concat([Buffer.from(PNG, 'base64'), Buffer.alloc(2.5 * 1024 * 1024)]).toString('base64');
    const res = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: x.id, channel: 'x_mention', conversationId: mention.conversationId, inReplyToId: mention.id, text: 'Hier:', media: [{ mimeType: 'image/png', dataBase64: big }] });
    expect(res).toMatchObject({ ok: true, value: { mediaCount: 1 } });
    const reqs = ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path.startsWith('/x/2/media/'));
    expect(reqs.map((q) => `${q.method} ${q.path.replace(/\/\d{5,}\//, '/{id}/')} ${q.status}`)).toEqual([
      'POST /x/2/media/upload/initialize 200',
      'POST /x/2/media/upload/{id}/append 200',
      'POST /x/2/media/upload/{id}/append 200',
      'POST /x/2/media/upload/{id}/append 200',
      'POST /x/2/media/upload/{id}/finalize 200',
    ]);
  });

  it('X: a GIF that X fails to process is a clean, explained failure; nothing is posted, and another file goes out once', async () => {
    const { core } = await setup();
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Laat maar zien' });
    const x = await xAccount(core);
    const base = { accountId: x.id, channel: 'x_mention' as const, conversationId: mention.conversationId, inReplyToId: mention.id, text: 'Kijk:' };
    const clientId = crypto.randomUUID();
    const failed = await core.dispatch('sendReply', { ...base, clientId, media: [{ mimeType: 'image/gif', dataBase64: HUGE_GIF }] });
    expect(failed).toMatchObject({ ok: false, error: { kind: 'mediaFailed' } });
    const statuses = ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.method === 'GET' && q.path === '/x/2/media/upload');
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    expect(((await w.api('/__sandbox/posted')).posted as Posted[]).filter((p) => p.kind === 'x_reply')).toHaveLength(0);
    // The agent swaps the file and sends again under the same client id: one reply.
    const again = await core.dispatch('sendReply', { ...base, clientId, media: [{ mimeType: 'image/png', dataBase64: PNG }] });
    expect(again).toMatchObject({ ok: true, value: { mediaCount: 1 } });
    expect(((await w.api('/__sandbox/posted')).posted as Posted[]).filter((p) => p.kind === 'x_reply')).toHaveLength(1);
    // What the agent reads, in both languages.
    expect(errorMessage(i18next.getFixedT('en'), { kind: 'mediaFailed' }, 'en', Date.now())).toMatch(/X could not process/);
    expect(errorMessage(i18next.getFixedT('nl'), { kind: 'mediaFailed' }, 'nl', Date.now())).toMatch(/X kon .* niet verwerken/);
  });

  it('X: a GIF is not combined with other images in one post', async () => {
    const { core } = await setup();
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Twee plaatjes?' });
    const x = await xAccount(core);
    const res = await core.dispatch('sendReply', {
      clientId: crypto.randomUUID(),
      accountId: x.id,
      channel: 'x_mention',
      conversationId: mention.conversationId,
      inReplyToId: mention.id,
      text: 'Kijk',
      media: [
        { mimeType: 'image/png', dataBase64: PNG },
        { mimeType: 'image/gif', dataBase64: GIF },
      ],
    });
    expect(res).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    expect(((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path.startsWith('/x/2/media/'))).toHaveLength(0);
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

describe('sandbox: X media upload as OpenAPI 2.167 has it', () => {
  type Answer = { status: number; body: Record<string, unknown> };

  async function client() {
    const { access_token: token } = (await w.api('/__sandbox/x/token', {})) as { access_token: string };
    const call = async (method: string, p: string, body?: unknown): Promise<Answer> => {
      const multipart = body instanceof FormData;
      const res = await fetch(`${w.sandbox.xApiUrl}${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined || multipart ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Foto graag' });
    const post = (ids: string[], text: string) => call('POST', '/2/tweets', { text, reply: { in_reply_to_tweet_id: mention.id }, media: { media_ids: ids } });
    return { call, post };
  }

  const problem = (a: Answer) => ({ status: a.status, type: a.body.type, message: (a.body.errors as { message: string }[] | undefined)?.[0]?.message });
  const INVALID = 'https://api.twitter.com/2/problems/invalid-request';

  it('refuses the old one-shot body (media_type) and a GIF in the one-shot upload; takes media + media_category', async () => {
    const { call, post } = await client();
    const old = await call('POST', '/2/media/upload', { media: PNG, media_category: 'tweet_image', media_type: 'image/png' });
    expect(problem(old)).toEqual({ status: 400, type: INVALID, message: '$.media_type: is not defined in the schema and the schema does not allow additional properties' });
    expect((await call('POST', '/2/media/upload', { media: GIF, media_category: 'tweet_gif' })).status).toBe(400);
    expect((await call('POST', '/2/media/upload', { media: GIF, media_category: 'tweet_image' })).status).toBe(400);
    // The command-style chunked upload of the older docs (command=INIT on /2/media/upload) is gone too.
    expect(problem(await call('POST', '/2/media/upload', { command: 'INIT', media_type: 'image/gif', total_bytes: 35 }))).toMatchObject({ status: 400, message: expect.stringMatching(/^\$\.command: is not defined/) });
    const ok = await call('POST', '/2/media/upload', { media: PNG, media_category: 'tweet_image' });
    expect(ok).toMatchObject({ status: 200, body: { data: { id: expect.stringMatching(/^\d+$/), media_key: expect.stringMatching(/^3_\d+$/), image: { image_type: 'image/png', w: 1, h: 1 } } } });
    const form = new FormData();
    form.append('media', new Blob([Buffer.from(PNG, 'base64')], { type: 'image/png' }), 'a.png');
    form.append('media_category', 'dm_image');
    expect((await call('POST', '/2/media/upload', form)).status).toBe(200);
    expect((await post([(ok.body.data as { id: string }).id], 'Met foto')).status).toBe(201);
  });

  it('GIF: INIT, APPEND (multipart or JSON), FINALIZE → pending; refused in a post until STATUS says succeeded', async () => {
    const { call, post } = await client();
    const bytes = Buffer.from(GIF, 'base64');
    expect(problem(await call('POST', '/2/media/upload/initialize', { media_type: 'image/gif', total_bytes: bytes.length, media_category: 'tweet_gif', extra: 1 }))).toMatchObject({ status: 400, message: expect.stringMatching(/^\$\.extra: is not defined/) });
    expect((await call('POST', '/2/media/upload/initialize', { media_type: 'image/gif', total_bytes: bytes.length, media_category: 'tweet_image' })).status).toBe(400);
    const init = await call('POST', '/2/media/upload/initialize', { media_type: 'image/gif', total_bytes: bytes.length, media_category: 'tweet_gif' });
    expect(init).toMatchObject({ status: 200, body: { data: { id: expect.stringMatching(/^\d+$/), media_key: expect.stringMatching(/^16_\d+$/), expires_after_secs: expect.any(Number) } } });
    const id = (init.body.data as { id: string }).id;
    // Two segments: the first as multipart (raw bytes, typed, no filename: as twitter-api-v2 sends it), the second as JSON (base64).
    const form = new FormData();
    form.append('segment_index', '0');
    form.append('media', new Blob([bytes.subarray(0, 20)], { type: 'application/octet-stream' }));
    expect((await call('POST', `/2/media/upload/${id}/append`, form)).status).toBe(200);
    expect((await call('POST', `/2/media/upload/${id}/append`, { segment_index: 1, media: bytes.subarray(20).toString('base64'), media_type: 'image/gif' })).status).toBe(400);
    expect(await call('POST', `/2/media/upload/${id}/append`, { segment_index: 1, media: bytes.subarray(20).toString('base64') })).toMatchObject({ status: 200, body: { data: { expires_at: expect.any(Number) } } });
    const fin = await call('POST', `/2/media/upload/${id}/finalize`);
    expect(fin).toMatchObject({ status: 200, body: { data: { id, size: bytes.length, processing_info: { state: 'pending', check_after_secs: 1 } } } });

    // As X does with media still processing: 400, the ids under media.media_ids.
    const early = await post([id], 'Met GIF');
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({ type: INVALID, errors: [{ parameters: { 'media.media_ids': [id] }, message: 'Your media IDs are invalid.' }] });

    const states: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const st = await call('GET', `/2/media/upload?command=STATUS&media_id=${id}`);
      expect(st.status).toBe(200);
      const info = (st.body.data as { processing_info: { state: string } }).processing_info;
      if (states[states.length - 1] !== info.state) states.push(info.state);
      if (info.state === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 600));
    }
    expect(states).toEqual(['pending', 'in_progress', 'succeeded']);
    expect((await call('GET', `/2/media/upload?command=STATUS&media_id=${id}&media_type=x`)).status).toBe(400);
    // Only one GIF in a post, alone.
    const png = ((await call('POST', '/2/media/upload', { media: PNG, media_category: 'tweet_image' })).body.data as { id: string }).id;
    expect((await post([id, png], 'GIF en foto')).status).toBe(400);
    expect((await post([id], 'Met GIF')).status).toBe(201);
  });

  it('GIF over 1280×1080: processing ends failed and the id is never attachable', async () => {
    const { call, post } = await client();
    const bytes = Buffer.from(HUGE_GIF, 'base64');
    const id = ((await call('POST', '/2/media/upload/initialize', { media_type: 'image/gif', total_bytes: bytes.length, media_category: 'dm_gif' })).body.data as { id: string }).id;
    expect((await call('POST', `/2/media/upload/${id}/append`, { segment_index: 0, media: HUGE_GIF })).status).toBe(200);
    expect((await call('POST', `/2/media/upload/${id}/finalize`)).body).toMatchObject({ data: { processing_info: { state: 'pending' } } });
    await new Promise((r) => setTimeout(r, 2100));
    expect((await call('GET', `/2/media/upload?command=STATUS&media_id=${id}`)).body).toMatchObject({ data: { id, processing_info: { state: 'failed' } } });
    expect((await post([id], 'Met GIF')).status).toBe(400);
  });
});
