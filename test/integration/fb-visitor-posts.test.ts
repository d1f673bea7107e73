import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import { FakeRenderer, until, world, type Requests, type World } from './harness';

/**
 * Visitor posts (posts by others on the Page) as a stream of their own:
 * GET /{page-id}/visitor_posts, each post a fb_comment-like message that is its
 * own thread; comments on it and our answer join that thread.
 */
let w: World;

beforeEach(async () => {
  w = await world();
});

afterEach(async () => {
  await w.close();
});

describe('Facebook visitor posts', () => {
  it('delivers a visitor post, the comments on it and our answer in one thread', async () => {
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    const post = await w.api('/__sandbox/inject', { channel: 'fb_visitor_post', text: 'Mijn pakket is al een week onderweg, wie helpt me?', authorName: 'Joke Bakker' });
    const m = await until(() => r.stored.get(`fb_comment:${post.id}`), 'the visitor post');
    expect(m).toMatchObject({ channel: 'fb_comment', visitorPost: true, conversationId: post.id, fromUs: false, author: { name: 'Joke Bakker' } });
    expect(m.inReplyToId).toBeUndefined();

    const comment = await w.api('/__sandbox/inject', { channel: 'fb_comment', conversationId: post.id, text: 'Herkenbaar!' });
    const c = await until(() => r.stored.get(`fb_comment:${comment.id}`), 'the comment on it');
    expect(c).toMatchObject({ conversationId: post.id, inReplyToId: post.id });

    const res = await core.dispatch('sendReply', { clientId: crypto.randomUUID(), accountId: m.accountId, channel: 'fb_comment', conversationId: post.id, inReplyToId: post.id, text: 'Hoi Joke, we zoeken het uit!' });
    expect(res).toMatchObject({ ok: true, value: { channel: 'fb_comment', fromUs: true, conversationId: post.id } });
    const mine = (res as { ok: true; value: { key: string } }).value;
    // Read back from the feed, our answer keeps its key and its thread.
    await until(() => r.batches.some((b) => b.messages.some((x) => x.key === mine.key)), 'our answer read back');
    expect(r.stored.get(mine.key)).toMatchObject({ conversationId: post.id, fromUs: true });
    const posted = (await w.api('/__sandbox/posted')).posted as { kind: string; inReplyToId?: string }[];
    expect(posted.filter((p) => p.kind === 'fb_comment_reply')).toHaveLength(1);

    // The Page's own posts never arrive as visitor posts; each visitor post arrives once.
    const visitor = [...r.stored.values()].filter((x) => x.visitorPost);
    expect(visitor.map((x) => x.platformId)).toEqual([post.id]);
    expect(r.batches.flatMap((b) => b.messages).filter((x) => x.key === m.key)).toHaveLength(1);
    const st = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
    expect(st.streams.find((s) => s.kind === 'fb_visitor_posts')).toMatchObject({ itemsToday: 1, costTodayUsd: 0 });
  });

  it('a private reply to a visitor post goes to the post (recipient.post_id), once', async () => {
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    const post = await w.api('/__sandbox/inject', { channel: 'fb_visitor_post', text: 'Mijn adres staat verkeerd in jullie systeem', authorName: 'Piet Jansen' });
    const m = await until(() => r.stored.get(`fb_comment:${post.id}`), 'the visitor post');
    const input = { accountId: m.accountId, channel: 'fb_comment' as const, conversationId: post.id, inReplyToId: post.id, private: true, text: 'Hoi Piet, stuur je ons je postcode?' };
    const res = await core.dispatch('sendReply', { ...input, clientId: crypto.randomUUID() });
    expect(res).toMatchObject({ ok: true, value: { privately: true, conversationId: post.id, inReplyToId: post.id } });
    const posted = (await w.api('/__sandbox/posted')).posted as { kind: string; inReplyToId?: string; recipientId?: string }[];
    expect(posted.filter((p) => p.kind === 'fb_private_reply')).toEqual([expect.objectContaining({ inReplyToId: post.id, recipientId: post.authorId })]);
    // One private reply per post: a second is refused (Graph 10900).
    expect(await core.dispatch('sendReply', { ...input, clientId: crypto.randomUUID(), text: 'Nog een keer' })).toMatchObject({ ok: false, error: { kind: 'notAllowed' } });
  });

  it('a 500, an HTML error page and a truncated body on visitor_posts: the stream recovers and loses nothing', async () => {
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    await until(async () => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value.streams.find((s) => s.kind === 'fb_visitor_posts')?.lastOkAt, 'a first poll');
    const path = '/graph/v25.0/104857362911457/visitor_posts';
    await w.api('/__sandbox/faults', { path, fault: { type: 'status', status: 500 } });
    await w.api('/__sandbox/faults', { path, fault: { type: 'html' } });
    await w.api('/__sandbox/faults', { path, fault: { type: 'malformed' } });
    const post = await w.api('/__sandbox/inject', { channel: 'fb_visitor_post', text: 'Waarom is het depot dicht?' });
    await until(() => r.stored.get(`fb_comment:${post.id}`), 'the post after the faults', 30_000);
    const reqs = ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path.endsWith('/visitor_posts'));
    // 500 and 502 (HTML) are logged as such; the truncated body is a 200 the client could not parse.
    expect(reqs.map((q) => q.status).filter((s) => s !== 200).length).toBeGreaterThanOrEqual(2);
    expect((await w.api('/__sandbox/faults')) as unknown).toMatchObject({ faults: [] });
    expect(r.batches.flatMap((b) => b.messages).filter((x) => x.platformId === post.id)).toHaveLength(1);
  }, 40_000);

  it('a Page on the New Pages Experience: visitor_posts is refused, visitor posts come from the feed, and the edge is not asked every poll', async () => {
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    const stream = async () => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value.streams.find((s) => s.kind === 'fb_visitor_posts');
    await until(async () => (await stream())?.lastOkAt, 'a first poll');
    await w.api('/__sandbox/facebook/page', { newPagesExperience: true });
    await w.api('/__sandbox/requests', undefined, 'DELETE');
    const first = await w.api('/__sandbox/inject', { channel: 'fb_visitor_post', text: 'Sinds de nieuwe pagina-indeling zie ik geen antwoord meer', authorName: 'Els de Vries' });
    const m = await until(() => r.stored.get(`fb_comment:${first.id}`), 'the visitor post, read from the feed');
    expect(m).toMatchObject({ visitorPost: true, conversationId: first.id, fromUs: false, author: { name: 'Els de Vries' } });
    // The stream goes on: several polls later a second post arrives too.
    const okAt = (await stream())?.lastOkAt ?? 0;
    await until(async () => ((await stream())?.lastOkAt ?? 0) > okAt + 300, 'more polls');
    const second = await w.api('/__sandbox/inject', { channel: 'fb_visitor_post', text: 'Nog een vraag over mijn retour' });
    await until(() => r.stored.get(`fb_comment:${second.id}`), 'the second visitor post');
    const st = await stream();
    expect(st?.stopped).toBeUndefined();
    expect(st?.lastError).toBeUndefined();
    // The refusal really came (Graph's answer for an endpoint a Page does not serve), once: the choice is remembered.
    const reqs = ((await w.api('/__sandbox/requests')) as Requests).requests;
    expect(reqs.filter((q) => q.path.endsWith('/visitor_posts')).map((q) => q.status)).toEqual([400]);
    expect(reqs.filter((q) => q.path.endsWith('/feed') && q.query.includes('message')).length).toBeGreaterThan(2);
    // Only visitors' posts, each once; the Page's own posts in the feed are not visitor posts.
    const visitor = [...r.stored.values()].filter((x) => x.visitorPost);
    expect(visitor.map((x) => x.platformId).sort()).toEqual([first.id, second.id].sort());
    expect(r.batches.flatMap((b) => b.messages).filter((x) => x.visitorPost)).toHaveLength(2);
  });
});
