import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostEntry, QueuePostInput, Result } from '../../shared/contract';
import type { HostCore } from '../../electron/host/hostCore';
import { SANDBOX_BRAND } from '../../electron/sandbox/server';
import { FakeRenderer, until, world, type World } from './harness';

/**
 * New posts through the host core against the sandbox over HTTP: now or at a
 * time, kept in the data folder, sent by the host with no window at all,
 * exactly once through the send journal, across restarts and unclear answers.
 */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const X_ACCOUNT = `x:${SANDBOX_BRAND.xUserId}`;
const FB_ACCOUNT = `fb:${SANDBOX_BRAND.fbPageId}`;

type Posted = { kind: string; id: string; text?: string; inReplyToId?: string; media?: string[]; at: number };

let w: World;
let core: HostCore;

const posted = async (): Promise<Posted[]> => (await w.api('/__sandbox/posted')).posted;
const postedWith = async (text: string) => (await posted()).filter((p) => p.text === text);

async function queue(c: HostCore, input: Omit<QueuePostInput, 'clientId'> & { clientId?: string }): Promise<PostEntry> {
  const r = (await c.dispatch('queuePost', { clientId: crypto.randomUUID(), ...input })) as Result<PostEntry>;
  if (!r.ok) throw new Error(`queuePost refused: ${JSON.stringify(r.error)}`);
  return r.value;
}

async function entry(c: HostCore, clientId: string): Promise<PostEntry | undefined> {
  const r = (await c.dispatch('listPosts', {})) as Result<{ posts: PostEntry[] }>;
  if (!r.ok) throw new Error('listPosts refused');
  return r.value.posts.find((p) => p.clientId === clientId);
}

const stateOf = (c: HostCore, id: string, state: PostEntry['state']) => async () => (await entry(c, id))?.state === state;

beforeEach(async () => {
  w = await world({ historyPerChannel: 1, seed: 5, limits: { scale: 100 } });
  core = await w.core({ requestTimeoutMs: 500 });
});
afterEach(async () => {
  await w.close();
});

describe('new posts', () => {
  it('an X post now goes out once, as a post (no reply), and the own-posts stream reads it back', async () => {
    const r = new FakeRenderer();
    r.attach(core);
    const text = `Storing in regio Utrecht: pakketten komen later ${Date.now()}`;
    const e = await queue(core, { accountId: X_ACCOUNT, parts: [text] });
    expect(e.scheduled).toBe(false);
    await until(stateOf(core, e.clientId, 'sent'), 'the post sent');
    const mine = await postedWith(text);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'x_post' });
    expect(mine[0]?.inReplyToId).toBeUndefined();
    const sent = await entry(core, e.clientId);
    expect(sent?.sent?.platformId).toBe(mine[0]?.id);
    // Our own post arrives on the board like any post of the account.
    await until(() => r.stored.get(`x_mention:${mine[0]?.id}`), 'the post read back');
    // The same client id again is the same post.
    const again = await queue(core, { clientId: e.clientId, accountId: X_ACCOUNT, parts: [text] });
    expect(again.state).toBe('sent');
    expect(await postedWith(text)).toHaveLength(1);
  });

  it('a scheduled post waits for its time, then goes out once, with no window connected', async () => {
    const text = `Morgen geen bezorging door storm ${Date.now()}`;
    const at = Date.now() + 1500;
    const e = await queue(core, { accountId: X_ACCOUNT, parts: [text], at });
    expect(e).toMatchObject({ scheduled: true, state: 'scheduled', at });
    await new Promise((res) => setTimeout(res, 900));
    expect(await postedWith(text)).toHaveLength(0);
    await until(stateOf(core, e.clientId, 'sent'), 'the scheduled post sent', 10_000);
    const mine = await postedWith(text);
    expect(mine).toHaveLength(1);
    // Not before its time (the sandbox's clock is the machine's here).
    expect(mine[0]?.at).toBeGreaterThanOrEqual(at);
    await new Promise((res) => setTimeout(res, 500));
    expect(await postedWith(text)).toHaveLength(1);
  });

  it('a post whose time passed while the console was stopped goes out once at the next start', async () => {
    const text = `Update over de vertraging ${Date.now()}`;
    const e = await queue(core, { accountId: X_ACCOUNT, parts: [text], at: Date.now() + 1200 });
    await core.stop();
    await new Promise((res) => setTimeout(res, 1600));
    expect(await postedWith(text)).toHaveLength(0);
    // Kept on disk, as scheduled, while nothing runs.
    const kept = JSON.parse(await readFile(path.join(w.dataDir, 'posts.json'), 'utf8')) as { clientId: string; state: string }[];
    expect(kept.find((p) => p.clientId === e.clientId)?.state).toBe('scheduled');
    core = await w.core({ requestTimeoutMs: 500 });
    await until(stateOf(core, e.clientId, 'sent'), 'sent after the restart');
    expect(await postedWith(text)).toHaveLength(1);
    // And again a restart: nothing more.
    core = await w.restart(core);
    await new Promise((res) => setTimeout(res, 800));
    expect(await postedWith(text)).toHaveLength(1);
  });

  it('committed but no answer: the host looks on the timeline before it sends again, and it is posted once', async () => {
    await w.fault({ method: 'POST', path: '/x/2/tweets', fault: { type: 'commitThen', then: 'timeout' } });
    const text = `Onze excuses voor de vertraging ${Date.now()}`;
    const e = await queue(core, { accountId: X_ACCOUNT, parts: [text] });
    await until(stateOf(core, e.clientId, 'sent'), 'settled as sent', 15_000);
    expect(await postedWith(text)).toHaveLength(1);
  });

  it('stopped while the answer is out: after the restart the journal looks first, one post', async () => {
    await w.fault({ method: 'POST', path: '/x/2/tweets', times: 0, fault: { type: 'commitThen', then: 'reset' } });
    // Nothing finds it yet: the look itself fails too, so the post stays unknown.
    const look = await w.fault({ method: 'GET', path: `/x/2/users/${SANDBOX_BRAND.xUserId}/tweets`, times: 0, fault: { type: 'reset' } });
    const text = `Pakketpunten sluiten vroeger ${Date.now()}`;
    const e = await queue(core, { accountId: X_ACCOUNT, parts: [text] });
    await until(stateOf(core, e.clientId, 'unknown'), 'unknown');
    expect(await postedWith(text)).toHaveLength(1);
    await core.stop();
    await w.api('/__sandbox/faults', undefined, 'DELETE');
    await w.clearFault(look).catch(() => undefined);
    core = await w.core({ requestTimeoutMs: 500 });
    await until(stateOf(core, e.clientId, 'sent'), 'sent after the restart');
    expect(await postedWith(text)).toHaveLength(1);
  });

  it('an over-long X post goes as a thread: each part answers the one before, each once', async () => {
    const stamp = Date.now();
    const parts = [`Storing ${stamp} deel een 1/2`, `Storing ${stamp} deel twee 2/2`];
    const e = await queue(core, { accountId: X_ACCOUNT, parts });
    await until(stateOf(core, e.clientId, 'sent'), 'the thread sent');
    const [a] = await postedWith(parts[0] as string);
    const [b] = await postedWith(parts[1] as string);
    expect(a).toMatchObject({ kind: 'x_post' });
    expect(b).toMatchObject({ kind: 'x_reply', inReplyToId: a?.id });
    expect((await entry(core, e.clientId))?.sentParts).toBe(2);
  });

  it('a Page post with an image goes to the feed (unpublished photo, then attached_media)', async () => {
    const text = `Polderpost: door de storm kan je pakket later komen ${Date.now()}`;
    const e = await queue(core, { accountId: FB_ACCOUNT, parts: [text], media: [{ mimeType: 'image/png', dataBase64: PNG, alt: 'Kaart van de storing' }] });
    expect(e.mediaCount).toBe(1);
    await until(stateOf(core, e.clientId, 'sent'), 'the Page post sent');
    const mine = await postedWith(text);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'fb_post' });
    expect(mine[0]?.media).toHaveLength(1);
    // The images are no longer kept once the post is out (they go right after the post is marked sent).
    const media = path.join(w.dataDir, 'posts-media', `${e.clientId}.json`);
    await until(() => readFile(media).then(() => false, () => true), 'the images dropped once the post is out');
  });

  it('every send dropped: the post stays unknown (looked for, never sent twice) and goes out once by itself when the network is back', async () => {
    const id = await w.fault({ method: 'POST', path: '/x/2/tweets', times: 0, fault: { type: 'reset' } });
    const text = `Wacht op verbinding ${Date.now()}`;
    const e = await queue(core, { accountId: X_ACCOUNT, parts: [text] });
    await until(async () => {
      const now = await entry(core, e.clientId);
      return (now?.attempts ?? 0) >= 2 && now?.state === 'unknown';
    }, 'tried again by itself');
    expect(await entry(core, e.clientId)).toMatchObject({ state: 'unknown', error: { kind: 'sendUnknown' } });
    expect(await postedWith(text)).toHaveLength(0);
    await w.clearFault(id);
    await until(stateOf(core, e.clientId, 'sent'), 'sent once the network is back', 15_000);
    expect(await postedWith(text)).toHaveLength(1);
  });

  it('moved, edited and cancelled before its time: only the edited text goes, at the new time; the cancelled one never', async () => {
    const stamp = Date.now();
    const keep = await queue(core, { accountId: X_ACCOUNT, parts: [`Eerste versie ${stamp}`], at: Date.now() + 60_000 });
    const drop = await queue(core, { accountId: FB_ACCOUNT, parts: [`Wordt geannuleerd ${stamp}`], media: [{ mimeType: 'image/png', dataBase64: PNG }], at: Date.now() + 1000 });
    const moved = (await core.dispatch('updatePost', { clientId: keep.clientId, parts: [`Tweede versie ${stamp}`], at: Date.now() + 800 })) as Result<PostEntry>;
    expect(moved.ok).toBe(true);
    const cancelled = (await core.dispatch('cancelPost', { clientId: drop.clientId })) as Result<{ parts: string[]; media: unknown[] }>;
    // The text and the image come back, for the draft.
    expect(cancelled).toMatchObject({ ok: true, value: { parts: [`Wordt geannuleerd ${stamp}`] } });
    expect(cancelled.ok && cancelled.value.media).toHaveLength(1);
    await until(stateOf(core, keep.clientId, 'sent'), 'the moved post sent');
    await new Promise((res) => setTimeout(res, 800));
    expect(await postedWith(`Tweede versie ${stamp}`)).toHaveLength(1);
    expect(await postedWith(`Eerste versie ${stamp}`)).toHaveLength(0);
    expect(await postedWith(`Wordt geannuleerd ${stamp}`)).toHaveLength(0);
    // A post that went out can no longer be cancelled or edited.
    expect(await core.dispatch('cancelPost', { clientId: keep.clientId })).toMatchObject({ ok: false, error: { kind: 'notAllowed' } });
    expect(await core.dispatch('updatePost', { clientId: keep.clientId, at: Date.now() + 60_000 })).toMatchObject({ ok: false, error: { kind: 'notAllowed' } });
  });

  it('refuses before keeping: too long without splitting, a thread on Facebook, an unknown account, too far ahead', async () => {
    expect(await core.dispatch('queuePost', { clientId: crypto.randomUUID(), accountId: X_ACCOUNT, parts: ['x'.repeat(281)] })).toMatchObject({ ok: false, error: { kind: 'tooLong', limit: 280 } });
    expect(await core.dispatch('queuePost', { clientId: crypto.randomUUID(), accountId: FB_ACCOUNT, parts: ['a', 'b'] })).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    expect(await core.dispatch('queuePost', { clientId: crypto.randomUUID(), accountId: 'x:1', parts: ['a'] })).toMatchObject({ ok: false, error: { kind: 'unknownAccount' } });
    expect(await core.dispatch('queuePost', { clientId: crypto.randomUUID(), accountId: X_ACCOUNT, parts: ['a'], at: Date.now() + 400 * 86_400_000 })).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    expect(await core.dispatch('queuePost', { clientId: crypto.randomUUID(), accountId: X_ACCOUNT, parts: ['  '] })).toMatchObject({ ok: false, error: { kind: 'empty' } });
    const r = (await core.dispatch('listPosts', {})) as Result<{ posts: PostEntry[] }>;
    expect(r.ok && r.value.posts).toHaveLength(0);
  });
});
