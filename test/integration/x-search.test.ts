import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { SavedSearch } from '../../shared/model';
import { FakeRenderer, until, world, type Requests, type World } from './harness';

/**
 * Saved X keyword searches as streams of their own (recent search, the query
 * passed through verbatim, since_id, priced as search results), and the 2026
 * reply rule: the host refuses a doomed reply before it reaches X, and maps X's
 * own 403 to the same kind, with the post's URL for "open on X".
 */
let w: World;

beforeEach(async () => {
  w = await world();
});

afterEach(async () => {
  await w.close();
});

const status = async (core: Awaited<ReturnType<World['core']>>) => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;

describe('X keyword searches', () => {
  it('polls a saved search with its full query syntax, delivers x_search messages with their searchId, and prices them as search reads', async () => {
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    const x = (await status(core)).accounts.find((a) => a.platform === 'x')!;
    const query = '"pakket kwijt" -is:retweet -from:polderpost lang:nl -aandelen';
    const saved = (await core.dispatch('saveXSearch', { accountId: x.id, query, name: 'Kwijt' })) as { ok: true; value: SavedSearch };
    expect(saved).toMatchObject({ ok: true, value: { accountId: x.id, query, name: 'Kwijt' } });
    const searchId = saved.value.id;

    const hit = await w.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'Alweer een pakket kwijt bij Polderpost, echt balen', lang: 'nl', authorHandle: 'mopperaar' });
    const english = await w.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'pakket kwijt lol', lang: 'en' });
    const stock = await w.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'pakket kwijt? aandelen Polderpost kelderen', lang: 'nl' });
    const other = await w.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'Polderpost bezorgt snel vandaag', lang: 'nl' });

    const m = await until(() => r.stored.get(`x_search:${hit.id}`), 'the search hit');
    expect(m).toMatchObject({ channel: 'x_search', searchId, summoned: false, fromUs: false, author: { handle: 'mopperaar' } });
    // Give the stream a few more polls: nothing that does not match arrives.
    await new Promise((res) => setTimeout(res, 500));
    for (const id of [english.id, stock.id, other.id]) expect(r.stored.has(`x_search:${id}`)).toBe(false);

    // The budget (300 per 15 minutes) is spread evenly, so the next poll comes a few seconds later, with since_id.
    const searchRequests = async () => ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path === '/x/2/tweets/search/recent');
    const req = await until(async () => ((await searchRequests()).length > 1 ? searchRequests() : null), 'a second search poll');
    // Sent with what the mentions and own-posts streams read left out (the query already left out our own posts).
    expect(new URLSearchParams(req[0]!.query).get('query')).toBe(`(${query}) -@polderpost`);
    expect(req.some((q) => new URLSearchParams(q.query).has('since_id'))).toBe(true);

    const st = await status(core);
    expect(st.searches).toEqual([saved.value]);
    const stream = st.streams.find((s) => s.kind === 'x_search')!;
    expect(stream).toMatchObject({ searchId, accountId: x.id });
    expect(stream.itemsToday).toBeGreaterThanOrEqual(1);
    expect(stream.costTodayUsd).toBeCloseTo(stream.itemsToday * 0.005, 6);

    // Persisted: a restart polls it again; removing it stops the stream and forgets it.
    const onDisk = JSON.parse(await readFile(path.join(w.dataDir, 'searches.json'), 'utf8')) as SavedSearch[];
    expect(onDisk.map((s) => s.query)).toEqual([query]);
    expect(await core.dispatch('removeXSearch', { searchId })).toEqual({ ok: true, value: {} });
    const after = await status(core);
    expect(after.searches).toEqual([]);
    expect(after.streams.some((s) => s.kind === 'x_search')).toBe(false);
  });

  it('refuses a search on a Facebook account, and a query X rejects surfaces as the stream error', async () => {
    const core = await w.core();
    const st = await status(core);
    const fb = st.accounts.find((a) => a.platform === 'facebook')!;
    const x = st.accounts.find((a) => a.platform === 'x')!;
    expect(await core.dispatch('saveXSearch', { accountId: fb.id, query: 'pakket' })).toEqual({ ok: false, error: { kind: 'notAllowed' } });
    // lang: cannot stand alone (X: conjunction-required operator) -> 400 from the sandbox.
    await core.dispatch('saveXSearch', { accountId: x.id, query: 'lang:nl' });
    await until(async () => (await status(core)).streams.find((s) => s.kind === 'x_search')?.lastError, 'the stream error');
  });
});

describe('the 2026 reply rule', () => {
  it('refuses a reply to a search hit that neither mentions nor quotes us, before anything is posted', async () => {
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    const x = (await status(core)).accounts.find((a) => a.platform === 'x')!;
    await core.dispatch('saveXSearch', { accountId: x.id, query: 'brievenbus' });
    // A post of ours that someone quotes (without mentioning us): answerable, and found only by the search.
    const first = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Hoi, vraagje', lang: 'nl' });
    const ours = (await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: x.id, channel: 'x_mention', conversationId: first.conversationId, inReplyToId: first.id, text: 'Tip: zet een sticker op je brievenbus' })) as { ok: true; value: { platformId: string } };
    const bare = await w.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'Polderpost gooit alles over de brievenbus heen', lang: 'nl' });
    const summoned = await w.api('/__sandbox/inject', { channel: 'x_mention', bare: true, quotedId: ours.value.platformId, text: 'Handig, die brievenbus-tip', lang: 'nl' });
    const hit = await until(() => r.stored.get(`x_search:${bare.id}`), 'the bare hit');
    const hit2 = await until(() => r.stored.get(`x_search:${summoned.id}`), 'the summoning hit');
    expect(hit2.summoned).toBe(true);
    await w.api('/__sandbox/requests', undefined, 'DELETE');

    const res = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: x.id, channel: 'x_search', conversationId: hit.conversationId, inReplyToId: hit.platformId, text: 'Dat had niet mogen gebeuren!' });
    expect(res).toEqual({ ok: false, error: { kind: 'replyRestricted', url: `https://x.com/i/status/${bare.id}` } });
    const reqs = ((await w.api('/__sandbox/requests')) as Requests).requests;
    expect(reqs.filter((q) => q.method === 'POST' && q.path === '/x/2/tweets')).toEqual([]);

    // A hit that mentions us can be answered; the reply stays in the search's thread.
    const ok = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: x.id, channel: 'x_search', conversationId: hit2.conversationId, inReplyToId: hit2.platformId, text: 'Vervelend! Stuur ons een DM.' });
    expect(ok).toMatchObject({ ok: true, value: { channel: 'x_search', fromUs: true, inReplyToId: summoned.id, searchId: hit2.searchId } });
    const posted = (await w.api('/__sandbox/posted')).posted as { kind: string; inReplyToId?: string }[];
    expect(posted.filter((p) => p.kind === 'x_reply').map((p) => p.inReplyToId)).toEqual([first.id, summoned.id]);
    // Read back from our own timeline, the reply stays in the search's thread (no x_mention copy).
    const replyId = (ok as { ok: true; value: { platformId: string } }).value.platformId;
    await until(() => r.batches.some((b) => b.streamId.endsWith('/own') && b.messages.some((m) => m.platformId === replyId)), 'our reply from the own-posts stream');
    expect(r.stored.get(`x_search:${replyId}`)).toMatchObject({ fromUs: true, searchId: hit2.searchId, conversationId: hit2.conversationId });
    expect(r.stored.has(`x_mention:${replyId}`)).toBe(false);
  });

  it('looks up a post it never saw (one GET) and refuses without posting', async () => {
    const core = await w.core();
    const x = (await status(core)).accounts.find((a) => a.platform === 'x')!;
    const bare = await w.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'Polderpost, waarom zo duur?', lang: 'nl' });
    await w.api('/__sandbox/requests', undefined, 'DELETE');
    const res = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: x.id, channel: 'x_mention', conversationId: bare.conversationId, inReplyToId: bare.id, text: 'Goede vraag!' });
    expect(res).toMatchObject({ ok: false, error: { kind: 'replyRestricted' } });
    const reqs = ((await w.api('/__sandbox/requests')) as Requests).requests;
    expect(reqs.filter((q) => q.path === `/x/2/tweets/${bare.id}`)).toHaveLength(1);
    expect(reqs.filter((q) => q.method === 'POST')).toEqual([]);
  });

  it("maps X's own 403 for the rule to replyRestricted with the post's URL (the sandbox enforces it too)", async () => {
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    const x = (await status(core)).accounts.find((a) => a.platform === 'x')!;
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Hallo, mijn pakket?' });
    const m = await until(() => r.stored.get(`x_mention:${mention.id}`), 'the mention');
    // X changes its mind (the host's knowledge is stale): the sandbox answers with the rule's 403.
    await w.api('/__sandbox/faults', {
      method: 'POST',
      path: '/x/2/tweets',
      fault: { type: 'status', status: 403, body: { detail: 'Reply to this post is not allowed: self-serve apps may only reply to posts whose author mentioned or quoted your account.', type: 'about:blank', title: 'Forbidden', status: 403 } },
    });
    const res = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: x.id, channel: 'x_mention', conversationId: m.conversationId, inReplyToId: m.platformId, text: 'We zoeken het uit.' });
    expect(res).toEqual({ ok: false, error: { kind: 'replyRestricted', url: `https://x.com/i/status/${mention.id}` } });
    expect((await w.api('/__sandbox/posted')).posted).toEqual([]);
  });
});
