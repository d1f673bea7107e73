import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { Channel, Message } from '../../shared/model';
import { FakeRenderer, until, world, type World } from './harness';

/**
 * The host core against the sandbox over real HTTP, with a stand-in renderer
 * that stores batches by key (as the Dexie upsert does) and acknowledges them.
 */

const FAST = { x_mentions: 100, x_own: 100, x_dms: 100, fb_comments: 100, fb_messages: 100 };

let w: World;
let dataDir: string;

const newCore = () => w.core({ pollIntervalMs: FAST });
const api = (p: string, body?: unknown) => w.api(p, body);

beforeEach(async () => {
  w = await world({ historyPerChannel: 5, seed: 7 });
  dataDir = w.dataDir;
});

afterEach(async () => {
  await w.close();
});

describe('host core against the sandbox', () => {
  it('connects sandbox accounts through OAuth and delivers all four channels', async () => {
    const core = await newCore();
    const status = (await core.dispatch('getStatus', {})) as { ok: true; value: Status };
    expect(status.value.accounts.map((a) => [a.platform, a.state, a.sandbox])).toEqual([
      ['x', 'connected', true],
      ['facebook', 'connected', true],
    ]);
    const r = new FakeRenderer();
    r.attach(core);
    await until(() => (['x_mention', 'x_dm', 'fb_comment', 'fb_message'] as const).every((c) => r.count(c) >= 5), 'history in every channel');
    // the vault holds the tokens; nothing token-like reaches the renderer
    const vault = await readFile(path.join(dataDir, 'vault.json'), 'utf8');
    const token = JSON.parse(Buffer.from(Object.values(JSON.parse(vault).entries)[0] as string, 'base64').toString()).tokens.accessToken as string;
    expect(JSON.stringify(r.batches)).not.toContain(token);
    expect(JSON.stringify(status)).not.toContain(token);
  });

  it('replies through the platform API, once per client id', async () => {
    const core = await newCore();
    const r = new FakeRenderer();
    r.attach(core);
    const injected = await api('/__sandbox/inject', { channel: 'x_mention', text: 'Waar blijft mijn pakket 3SPLD123456789?', authorHandle: 'klant_anna' });
    const target = await until(() => r.stored.get(`x_mention:${injected.id}`), 'the injected mention');
    const input = {
      clientId: crypto.randomUUID(),
      accountId: target.accountId,
      channel: 'x_mention' as const,
      conversationId: target.conversationId,
      inReplyToId: target.platformId,
      text: 'Hoi Anna, we kijken het voor je na! ^GvA',
    };
    const [first, second] = await Promise.all([core.dispatch('sendReply', input), core.dispatch('sendReply', input)]);
    expect(first).toMatchObject({ ok: true, value: { channel: 'x_mention', fromUs: true, inReplyToId: target.platformId, text: expect.stringContaining(input.text) } });
    expect(second).toEqual(first);
    const third = await core.dispatch('sendReply', input);
    expect(third).toEqual(first);
    const posted = (await api('/__sandbox/posted')).posted.filter((p: { kind: string }) => p.kind === 'x_reply');
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ text: input.text, inReplyToId: target.platformId });
  });

  it('answers on each channel and explains what it refuses', async () => {
    const core = await newCore();
    const r = new FakeRenderer();
    r.attach(core);
    await until(() => r.count('x_dm') && r.count('fb_comment') && r.count('fb_message'), 'messages');
    const pick = (c: Channel) => [...r.stored.values()].find((m) => m.channel === c && !m.fromUs)!;
    for (const channel of ['x_dm', 'fb_comment', 'fb_message'] as const) {
      const m = pick(channel);
      const res = await core.dispatch('sendReply', {
        clientId: crypto.randomUUID(),
        accountId: m.accountId,
        channel,
        conversationId: m.conversationId,
        inReplyToId: m.platformId,
        recipientId: m.author.id,
        text: `Antwoord via ${channel}`,
      });
      expect(res).toMatchObject({ ok: true, value: { channel, fromUs: true } });
    }
    const kinds = (await api('/__sandbox/posted')).posted.map((p: { kind: string }) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(['x_dm', 'fb_comment_reply', 'fb_message']));

    const m = pick('x_mention');
    const base = { clientId: crypto.randomUUID(), accountId: m.accountId, channel: 'x_mention' as const, conversationId: m.conversationId, inReplyToId: m.platformId };
    expect(await core.dispatch('sendReply', { ...base, text: 'a'.repeat(281) })).toEqual({ ok: false, error: { kind: 'tooLong', limit: 280 } });
    expect(await core.dispatch('sendReply', { ...base, clientId: 'not-a-uuid', text: 'x' })).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    expect(await core.dispatch('nope', {})).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    expect(await core.dispatch('sendReply', { ...base, clientId: crypto.randomUUID(), accountId: 'x:unknown', text: 'x' })).toEqual({ ok: false, error: { kind: 'unknownAccount' } });
  });

  it('advances a cursor only after the renderer stored the batch: a restart loses and duplicates nothing', async () => {
    const core = await newCore();
    const r = new FakeRenderer();
    r.attach(core);
    await until(() => r.count('x_mention') >= 5, 'history');
    const readCursors = async (): Promise<Record<string, string>> => JSON.parse(await readFile(path.join(dataDir, 'cursors.json'), 'utf8').catch(() => '{}'));
    await until(async () => Object.keys(await readCursors()).some((k) => k.endsWith('/mentions')), 'the first mentions cursor');
    const cursorsBefore = await readCursors();

    // The renderer goes quiet (closed window, crash): nothing is acknowledged.
    r.ackEnabled = false;
    const injected = await api('/__sandbox/inject', { channel: 'x_mention', text: 'Pakket beschadigd aangekomen' });
    await until(() => r.batches.some((b) => b.messages.some((m) => m.platformId === injected.id)), 'the unacknowledged batch');
    await new Promise((res) => setTimeout(res, 300));
    const mentionsCursor = (c: Record<string, string>) => Object.entries(c).find(([k]) => k.endsWith('/mentions'))?.[1];
    expect(mentionsCursor(await readCursors())).toBe(mentionsCursor(cursorsBefore));
    r.detach();
    await core.stop();

    // Restart: the same mention comes again, is stored once, and then the cursor moves.
    const core2 = await newCore();
    const r2 = new FakeRenderer();
    for (const [k, v] of r.stored) r2.stored.set(k, v);
    r2.attach(core2);
    await until(() => r2.stored.has(`x_mention:${injected.id}`), 'redelivery after restart');
    const keys = [...r2.stored.keys()];
    expect(new Set(keys).size).toBe(keys.length);
    await until(async () => {
      const c: Record<string, string> = JSON.parse(await readFile(path.join(dataDir, 'cursors.json'), 'utf8'));
      const mentions = Object.entries(c).find(([k]) => k.endsWith('/mentions'))?.[1];
      const mark = mentions === undefined ? undefined : (JSON.parse(mentions) as { mark: string | null }).mark;
      return typeof mark === 'string' && BigInt(mark) >= BigInt(injected.id);
    }, 'cursor advanced after ack');
  });

  it('re-sends unacknowledged batches when a renderer reconnects', async () => {
    const core = await newCore();
    const quiet = new FakeRenderer();
    quiet.ackEnabled = false;
    quiet.attach(core);
    await until(() => quiet.batches.length > 0, 'a first batch');
    quiet.detach();
    const r = new FakeRenderer();
    r.attach(core); // clientConnected: pending batches again
    await until(() => ['x_mention', 'x_dm', 'fb_comment', 'fb_message'].every((c) => r.count(c as Channel) >= 5), 'everything after reconnect');
  });

  it('recovers from a 503 and puts a revoked account in reconnect', async () => {
    const core = await newCore();
    const r = new FakeRenderer();
    r.attach(core);
    await until(() => r.count('x_mention') >= 5, 'history');
    await api('/__sandbox/faults', { path: '/x/2/users', times: 2, fault: { type: 'status', status: 503, body: '<html>Service Unavailable</html>' } });
    const injected = await api('/__sandbox/inject', { channel: 'x_mention', text: 'Hallo?' });
    await until(() => r.stored.has(`x_mention:${injected.id}`), 'delivery after the 503s', 15_000);

    await api('/__sandbox/revoke', { platform: 'x' });
    await until(async () => {
      const s = (await core.dispatch('getStatus', {})) as { ok: true; value: Status };
      return s.value.accounts.find((a) => a.platform === 'x')?.state === 'reconnect';
    }, 'reconnect state');
    const s = (await core.dispatch('getStatus', {})) as { ok: true; value: Status };
    expect(s.value.accounts.find((a) => a.platform === 'facebook')?.state).toBe('connected');
    const m = [...r.stored.values()].find((x) => x.channel === 'x_mention')!;
    const res = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: m.accountId, channel: 'x_mention', conversationId: m.conversationId, inReplyToId: m.platformId, text: 'hoi' });
    expect(res).toEqual({ ok: false, error: { kind: 'reconnectNeeded' } });
  });

  it('connects, reconnects and removes accounts; a real token in plaintext needs consent', async () => {
    const core = await newCore();
    new FakeRenderer().attach(core);
    const status = async () => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
    const x = (await status()).accounts.find((a) => a.platform === 'x')!;
    expect(x).toMatchObject({ missing: [], granted: expect.arrayContaining(['dm.read', 'offline.access', 'media.write']) });
    expect(x.expiresAt).toBeGreaterThan(Date.now());
    expect((await status()).xSignIn).toBe('sandbox');

    // Reconnect after a revoke: a new sign-in replaces the dead session.
    await api('/__sandbox/revoke', { platform: 'x' });
    await until(async () => (await status()).accounts.find((a) => a.platform === 'x')?.state === 'reconnect', 'reconnect state');
    const started = await core.dispatch('connectX', {});
    expect(started).toMatchObject({ ok: true, value: { authorizeUrl: expect.stringContaining('/i/oauth2/authorize?') } });
    await until(async () => (await status()).accounts.find((a) => a.platform === 'x')?.state === 'connected' && !(await status()).signIn.pending, 'connected again');

    // Facebook: paste a token, see the Pages, connect the chosen one.
    const { access_token: token } = await api('/__sandbox/facebook/token', {});
    const pages = await core.dispatch('listFacebookPages', { token });
    expect(pages).toMatchObject({ ok: true, value: [{ name: 'Polderpost', missingTasks: [] }] });
    const pageId = (pages as { ok: true; value: { id: string }[] }).value[0]!.id;
    expect(await core.dispatch('listFacebookPages', { token: 'not-a-valid-token' })).toMatchObject({ ok: false, error: { kind: 'reconnectNeeded' } });
    expect(await core.dispatch('removeAccount', { accountId: `fb:${pageId}` })).toEqual({ ok: true, value: {} });
    expect((await status()).accounts.map((a) => a.platform)).toEqual(['x']);
    expect(await core.dispatch('connectFacebookPages', { token, pageIds: [pageId] })).toEqual({ ok: true, value: { connected: [`fb:${pageId}`] } });
    expect((await status()).accounts.map((a) => a.platform).sort()).toEqual(['facebook', 'x']);
    expect(await core.dispatch('removeAccount', { accountId: 'fb:nope' })).toEqual({ ok: false, error: { kind: 'unknownAccount' } });
  });

  it('refuses to keep a real account token unencrypted until the person agrees', async () => {
    // The sandbox posing as a real Graph server: accounts through it are not sandbox accounts.
    const core = await w.core({ attachSandbox: false, pollIntervalMs: undefined, config: { graphApiUrl: w.sandbox.graphApiUrl } });
    const { access_token: token } = await api('/__sandbox/facebook/token', {});
    const pages = (await core.dispatch('listFacebookPages', { token })) as { ok: true; value: { id: string }[] };
    const pageIds = pages.value.map((p) => p.id);
    expect(await core.dispatch('connectFacebookPages', { token, pageIds })).toEqual({ ok: false, error: { kind: 'consentNeeded' } });
    expect(await readFile(path.join(dataDir, 'vault.json'), 'utf8').catch(() => 'none')).not.toContain('"fb:');
    expect(await core.dispatch('setPlaintextConsent', { allowed: true })).toEqual({ ok: true, value: {} });
    expect(await core.dispatch('connectFacebookPages', { token, pageIds })).toMatchObject({ ok: true });
    const s = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
    expect(s.vault).toEqual({ encrypted: false, plaintextAllowed: true });
    expect(s.accounts).toMatchObject([{ platform: 'facebook', sandbox: false, state: 'connected' }]);
  });

  it('fills a new local store again (a second browser profile, a cleared cache)', async () => {
    const core = await newCore();
    const first = new FakeRenderer();
    first.attach(core);
    const storeA = crypto.randomUUID();
    expect(await core.dispatch('hello', { storeId: storeA })).toEqual({ ok: true, value: { backfill: false } });
    await until(() => first.count('x_mention') >= 5 && first.count('fb_comment') >= 5, 'history in the first store');
    first.detach();
    expect(await core.dispatch('hello', { storeId: storeA })).toEqual({ ok: true, value: { backfill: false } });
    const second = new FakeRenderer();
    second.attach(core);
    expect(await core.dispatch('hello', { storeId: crypto.randomUUID() })).toEqual({ ok: true, value: { backfill: true } });
    await until(() => second.count('x_mention') >= 5 && second.count('fb_comment') >= 5 && second.count('fb_message') >= 5, 'history in the new store');
  });

  it('moderates: deletes our X reply, hides, unhides and deletes a comment; private replies once', async () => {
    const core = await newCore();
    const r = new FakeRenderer();
    r.attach(core);
    const mention = await api('/__sandbox/inject', { channel: 'x_mention', text: 'Wanneer komt mijn pakket?' });
    const m = await until(() => r.stored.get(`x_mention:${mention.id}`), 'the mention');
    const sent = (await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: m.accountId, channel: 'x_mention', conversationId: m.conversationId, inReplyToId: m.platformId, text: 'Morgen!' })) as { ok: true; value: Message };
    expect(await core.dispatch('moderate', { accountId: m.accountId, channel: 'x_mention', platformId: sent.value.platformId, action: 'delete' })).toEqual({ ok: true, value: {} });
    expect(await core.dispatch('moderate', { accountId: m.accountId, channel: 'x_mention', platformId: m.platformId, action: 'delete' })).toEqual({ ok: false, error: { kind: 'notAllowed' } });

    const comment = await api('/__sandbox/inject', { channel: 'fb_comment', text: 'Spam spam spam' });
    const c = await until(() => [...r.stored.values()].find((x) => x.platformId === comment.id), 'the comment');
    for (const action of ['hide', 'unhide', 'delete'] as const) {
      expect(await core.dispatch('moderate', { accountId: c.accountId, channel: 'fb_comment', platformId: c.platformId, action })).toEqual({ ok: true, value: {} });
    }
    const question = await api('/__sandbox/inject', { channel: 'fb_comment', text: 'Mag ik mijn adres doorgeven?' });
    const q = await until(() => [...r.stored.values()].find((x) => x.platformId === question.id), 'the question');
    const base = { accountId: q.accountId, channel: 'fb_comment' as const, conversationId: q.conversationId, inReplyToId: q.platformId, private: true };
    const priv = await core.dispatch('sendReply', { ...base, clientId: crypto.randomUUID(), text: 'Stuur ons je adres hier.' });
    expect(priv).toMatchObject({ ok: true, value: { channel: 'fb_comment', privately: true, fromUs: true, conversationId: q.conversationId } });
    // Facebook allows one private reply per comment.
    expect(await core.dispatch('sendReply', { ...base, clientId: crypto.randomUUID(), text: 'Nog een keer?' })).toEqual({ ok: false, error: { kind: 'notAllowed' } });
    const kinds = (await api('/__sandbox/posted')).posted.map((p: { kind: string }) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(['x_delete', 'fb_hide', 'fb_unhide', 'fb_delete', 'fb_private_reply']));
    expect(kinds.filter((k: string) => k === 'fb_private_reply')).toHaveLength(1);
  });
});
