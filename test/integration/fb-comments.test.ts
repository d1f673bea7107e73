import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import { SANDBOX_BRAND } from '../../electron/sandbox/server';
import { FakeRenderer, until, world, type World } from './harness';

/**
 * Comments on any post of the last 28 days arrive, not only on the newest ones:
 * the host lists the Page's posts with their updated_time (which moves when
 * someone comments) and reads the comments of those updated since its last poll.
 */
let w: World;

beforeEach(async () => {
  w = await world();
});

afterEach(async () => {
  await w.close();
});

/** The Page's own posts, oldest first, read with a Page token as any Graph client would. */
async function pagePosts(): Promise<{ id: string; created_time: string }[]> {
  const user = (await w.api('/__sandbox/facebook/token', {})).access_token as string;
  const auth = async (path: string, token: string) => (await fetch(`${w.sandbox.graphApiUrl}/v25.0/${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
  const token = (await auth('me/accounts', user)).data[0].access_token as string;
  const posts = (await auth(`${SANDBOX_BRAND.fbPageId}/posts?fields=id,created_time&limit=100`, token)).data as { id: string; created_time: string }[];
  return posts.reverse();
}

describe('Facebook comments by recency', () => {
  it('a comment on a post below the newest 50 arrives, and the health view says how far back comments are looked for', async () => {
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    const status = async () => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value.streams.find((s) => s.kind === 'fb_comments');
    await until(async () => (await status())?.lastOkAt, 'a first poll of the comments');
    const [oldest] = await pagePosts();
    // Sixty visitor posts push the Page's own posts far down the feed.
    for (let i = 0; i < 60; i += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, j) => w.api('/__sandbox/inject', { channel: 'fb_visitor_post', text: `Vraag ${i + j} over mijn zending` })));
    }
    const feed = await fetch(`${w.sandbox.url}/__sandbox/state`).then((res) => res.json());
    expect(feed.counts.fbVisitorPosts + feed.counts.fbPosts).toBeGreaterThan(60);
    const comment = await w.api('/__sandbox/inject', { channel: 'fb_comment', conversationId: oldest?.id, text: 'Ik reageer op jullie post van twee dagen geleden: waar blijft mijn pakket?' });
    expect(comment.postId).toBe(oldest?.id);
    const m = await until(() => r.stored.get(`fb_comment:${comment.id}`), 'the comment on the old post');
    expect(m).toMatchObject({ channel: 'fb_comment', conversationId: comment.id, fromUs: false });
    expect(r.batches.flatMap((b) => b.messages).filter((x) => x.key === m.key)).toHaveLength(1);
    expect(await status()).toMatchObject({ lookbackDays: 28 });
    expect((await status())?.gaps ?? []).toEqual([]);
  });
});
