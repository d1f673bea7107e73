import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/model';
import { classify } from '../../electron/host/errors';
import { edgeRefused, FB_COMMENT_LOOKBACK_DAYS, pollComments, pollVisitorPosts, type FbAccount } from '../../electron/host/connectors/facebook/api';
import { GraphError, regainAccessMs, type GraphClient, type GraphUsage } from '../../electron/host/connectors/facebook/graph';

/**
 * Graph throttling, the comment lookback and the visitor-posts fallback against
 * a fake Graph client (the sandbox tests cover the same over HTTP).
 */

const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 24 * 3600_000;
const PAGE = '104857362911457';
const account: FbAccount = { id: `fb:${PAGE}`, platformUserId: PAGE, name: 'Polderpost' };
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, '+0000');
const throttled = (code: number, usage: GraphUsage) => new GraphError({ type: 'http', status: 400, code, message: `(#${code}) too many calls`, body: {} }, usage);

describe('Graph throttling', () => {
  it('every documented throttling code is a rate limit, never a stop', () => {
    for (const code of [4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80007, 80008, 80009, 80014]) {
      const c = classify(throttled(code, {}), NOW);
      expect([code, c.error.kind, c.action]).toEqual([code, 'rateLimited', 'backoff']);
    }
  });

  it('waits as long as estimated_time_to_regain_access says (minutes), from any usage header', () => {
    const buc = JSON.stringify({ [PAGE]: [{ type: 'pages', call_count: 40, estimated_time_to_regain_access: 0 }, { type: 'messenger', call_count: 100, total_cputime: 3, total_time: 4, estimated_time_to_regain_access: 12 }] });
    const c = classify(throttled(80006, { businessUseCase: buc }), NOW);
    expect(c).toMatchObject({ error: { kind: 'rateLimited', resetAt: NOW + 12 * 60_000 }, retryAt: NOW + 12 * 60_000, action: 'waitUntil', ambiguous: false });
    expect(regainAccessMs({ page: '{"call_count":100,"estimated_time_to_regain_access":3}' })).toBe(3 * 60_000);
    // None given, 0, garbage: back off instead; never longer than a day.
    expect(regainAccessMs({ businessUseCase: JSON.stringify({ [PAGE]: [{ type: 'pages', estimated_time_to_regain_access: 0 }] }) })).toBeUndefined();
    expect(regainAccessMs({ app: '{"call_count":100}', businessUseCase: 'garbage' })).toBeUndefined();
    expect(regainAccessMs({ businessUseCase: JSON.stringify({ [PAGE]: [{ estimated_time_to_regain_access: 99_999 }] }) })).toBe(DAY);
  });
});

interface Post {
  id: string;
  from: { id: string; name: string };
  created: number;
  comments: { id: string; at: number }[];
}

/** A Page's feed (newest first, 100 a page, each post with its newest comment) and each post's comments, as Graph lists them. */
function fakeGraph(posts: Post[]) {
  const calls: string[] = [];
  const ordered = [...posts].sort((a, b) => b.created - a.created);
  const comment = (c: { id: string; at: number }) => ({ id: c.id, message: `c ${c.id}`, created_time: iso(c.at), from: { id: '9000000000000001', name: 'Klant' } });
  /** Newest first from `start`, `n` at a time, with Graph's cursor paging. */
  const comments = (p: Post, start: number, n: number) => {
    const all = [...p.comments].sort((a, b) => b.at - a.at);
    const data = all.slice(start, start + n).map(comment);
    return { data, paging: start + n < all.length ? { cursors: { after: String(start + n) }, next: 'more' } : {} };
  };
  const graph: GraphClient = {
    async get<T>(path: string, params: Record<string, string | number> = {}) {
      calls.push(path);
      const start = params.after ? Number(params.after) : 0;
      if (path === `${PAGE}/feed`) {
        const page = ordered.slice(start, start + Number(params.limit));
        const more = start + page.length < ordered.length;
        const data = page.map((p) => ({ id: p.id, from: p.from, created_time: iso(p.created), comments: comments(p, 0, 1) }));
        return { body: { data, paging: more ? { cursors: { after: String(start + page.length) }, next: 'more' } : {} } as T, usage: {} };
      }
      const post = posts.find((p) => `${p.id}/comments` === path);
      if (!post) throw new Error(`unexpected ${path}`);
      return { body: comments(post, start, Number(params.limit)) as T, usage: {} };
    },
    post: () => Promise.reject(new Error('no posts')),
    postForm: () => Promise.reject(new Error('no posts')),
    del: () => Promise.reject(new Error('no deletes')),
  };
  return { graph, calls };
}

const page = { id: PAGE, name: 'Polderpost' };

describe('comments by recency', () => {
  it('finds new comments on a post far down the feed, reads further only where the newest comment is new, and looks back 28 days only', async () => {
    const posts: Post[] = [];
    // 150 posts over the last 20 days, each with two comments from before the last poll.
    for (let i = 0; i < 150; i++) {
      const created = NOW - 20 * DAY + i * 3 * 3600_000;
      posts.push({ id: `${PAGE}_${1000 + i}`, from: page, created, comments: [{ id: `${1000 + i}_1`, at: created + 60_000 }, { id: `${1000 + i}_2`, at: created + 120_000 }] });
    }
    // A post 40 days old, and the 140th newest (3 weeks old): both get new comments now.
    posts.push({ id: `${PAGE}_1`, from: page, created: NOW - 40 * DAY, comments: [{ id: '1_1', at: NOW - 60_000 }] });
    const old = posts[10] as Post;
    old.comments.push({ id: '1010_8', at: NOW - 120_000 }, { id: '1010_9', at: NOW - 60_000 });
    const { graph, calls } = fakeGraph(posts);
    const cursor = JSON.stringify({ v: 2, mark: { t: NOW - 3600_000, ids: [] }, gaps: [] });
    const delivered: Message[] = [];
    const r = await pollComments(graph, account, cursor, async (ms) => void delivered.push(...ms), () => NOW);
    expect(delivered.map((m) => m.platformId).sort()).toEqual(['1010_8', '1010_9']);
    // Two feed pages (down to the post older than the lookback), then the further comments of the one busy post only.
    expect(calls).toEqual([`${PAGE}/feed`, `${PAGE}/feed`, `${old.id}/comments`]);
    expect(r.lookbackDays).toBe(FB_COMMENT_LOOKBACK_DAYS);
    expect(r.gaps ?? []).toEqual([]);
  });
});

describe('visitor posts on a Page on the New Pages Experience', () => {
  it('recognises the refusals and takes visitor posts from the feed, remembering it for a day', async () => {
    expect(edgeRefused(new GraphError({ type: 'http', status: 400, code: 200, subcode: 2069030, message: 'This endpoint is not supported.', body: {} }, {}))).toBe(true);
    expect(edgeRefused(new GraphError({ type: 'http', status: 400, code: 100, message: '(#100) Tried accessing nonexisting field (visitor_posts) on node type (Page)', body: {} }, {}))).toBe(true);
    // A missing permission is no reason to read elsewhere.
    expect(edgeRefused(new GraphError({ type: 'http', status: 400, code: 200, message: '(#200) Permissions error', body: {} }, {}))).toBe(false);

    const calls: string[] = [];
    const visitor = { id: '9000000000000002', name: 'Joke' };
    let t = NOW;
    const graph: GraphClient = {
      async get<T>(path: string) {
        calls.push(path);
        if (path.endsWith('/visitor_posts')) throw new GraphError({ type: 'http', status: 400, code: 200, subcode: 2069030, message: 'This endpoint is not supported.', body: {} }, {});
        const data = [
          { id: `${PAGE}_3`, from: visitor, message: 'Waar is mijn pakket?', created_time: iso(NOW - 60_000) },
          { id: `${PAGE}_2`, from: page, message: 'Onze openingstijden', created_time: iso(NOW - 120_000) },
        ];
        return { body: { data } as T, usage: {} };
      },
      post: () => Promise.reject(new Error('no posts')),
      postForm: () => Promise.reject(new Error('no posts')),
      del: () => Promise.reject(new Error('no deletes')),
    };
    const delivered: Message[] = [];
    const deliver = async (ms: Message[]) => void delivered.push(...ms);
    let r = await pollVisitorPosts(graph, account, undefined, deliver, () => t);
    expect(delivered.map((m) => [m.platformId, m.visitorPost])).toEqual([[`${PAGE}_3`, true]]);
    expect(calls).toEqual([`${PAGE}/visitor_posts`, `${PAGE}/feed`]);
    // The next polls read the feed only, until a day has passed.
    calls.length = 0;
    t += 3600_000;
    r = await pollVisitorPosts(graph, account, r.cursor, deliver, () => t);
    expect(calls).toEqual([`${PAGE}/feed`]);
    calls.length = 0;
    t += DAY;
    await pollVisitorPosts(graph, account, r.cursor, deliver, () => t);
    expect(calls).toEqual([`${PAGE}/visitor_posts`, `${PAGE}/feed`]);
    expect(delivered).toHaveLength(1);
  });
});
