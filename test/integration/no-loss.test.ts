import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { Channel, StreamKind } from '../../shared/model';
import { Rng } from '../../electron/sandbox/prng';
import { SANDBOX_BRAND } from '../../electron/sandbox/server';
import { FakeRenderer, until, world, type World } from './harness';

/**
 * Nothing that arrives is lost: every message the sandbox holds for the brand
 * ends up stored, or is covered by a gap the health view shows until a later
 * poll fills it. Against the real host core, poller, connectors and sandbox
 * over HTTP; the sandbox lists every id it holds per channel (/__sandbox/ids).
 */

type Ids = Record<'x_mention' | 'x_dm' | 'fb_comment' | 'fb_message', string[]>;
const CHANNELS = ['x_mention', 'x_dm', 'fb_comment', 'fb_message'] as const;
const STREAMS: Record<(typeof CHANNELS)[number], StreamKind[]> = {
  x_mention: ['x_mentions'],
  x_dm: ['x_dms'],
  fb_comment: ['fb_comments'],
  fb_message: ['fb_messages'],
};

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

function missing(ids: Ids, r: FakeRenderer, channel: (typeof CHANNELS)[number]): string[] {
  return ids[channel].filter((id) => !r.stored.has(`${channel as Channel}:${id}`));
}

async function injectMany(api: World['api'], n: number, body: (i: number) => Record<string, unknown>): Promise<void> {
  for (let i = 0; i < n; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => api('/__sandbox/inject', body(i + j))));
  }
}

describe('nothing that arrives is lost', () => {
  it('a post with 150 new comments, 30 new Messenger conversations, one with 25 messages and 1,200 DMs all arrive', async () => {
    w = await world({ historyPerChannel: 3, seed: 21 });
    const { api } = w;
    await api('/__sandbox/limits', { scale: 50 });
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    // The first polls read what is there; the burst comes after.
    await until(() => CHANNELS.every((c) => r.of(c).length > 0), 'first polls', 20_000);

    const post = (await api('/__sandbox/inject', { channel: 'fb_comment', text: 'Eerste reactie' })) as { postId: string };
    await injectMany(api, 150, (i) => ({ channel: 'fb_comment', conversationId: post.postId, text: `Reactie ${i} op de post` }));
    await injectMany(api, 30, (i) => ({ channel: 'fb_message', authorName: `Nieuwe klant ${i}`, text: `Hallo, vraag ${i}` }));
    await injectMany(api, 25, (i) => ({ channel: 'fb_message', authorId: '9100000000000077', authorName: 'Lange Draad', text: `Bericht ${i} in één gesprek` }));
    await api('/__sandbox/burst', { count: 1200, channel: 'x_dm' });

    const ids = (await api('/__sandbox/ids')) as Ids;
    expect(ids.fb_comment.length).toBeGreaterThan(150);
    await until(() => CHANNELS.every((c) => missing(ids, r, c).length === 0), 'every message stored', 90_000);
    for (const c of CHANNELS) expect(missing(ids, r, c), c).toEqual([]);
    // Filled, not papered over: no gap is left once everything is in.
    await until(() => core.status().streams.every((s) => !s.gaps?.some((g) => g.state === 'filling')), 'gaps filled', 20_000);
  }, 150_000);

  it('random bursts, page sizes and rate limits: every message is stored, and no stream claims to be complete while one is missing', async () => {
    let sawGap = false;
    for (const seed of [3, 17, 29]) {
      const rand = new Rng(seed);
      w = await world({ historyPerChannel: 2, seed });
      const { api } = w;
      const pageCap = rand.int(5, 60);
      await api('/__sandbox/limits', { scale: 50, pageCap });
      const core = await w.core();
      const r = new FakeRenderer();
      r.attach(core);
      await until(() => CHANNELS.every((c) => r.of(c).length > 0), `first polls (seed ${seed})`, 20_000);

      const post = (await api('/__sandbox/inject', { channel: 'fb_comment', text: 'Een post vol reacties' })) as { postId: string };
      // More than three pages of comments on one post, so its further pages (and a fault on them) are always read.
      await injectMany(api, rand.int(3 * pageCap + 1, 3 * pageCap + 100), (i) => ({ channel: 'fb_comment', conversationId: post.postId, text: `Reactie ${i}` }));
      await injectMany(api, rand.int(1, 40), (i) => ({ channel: 'fb_message', authorId: `91000000000${String(seed).padStart(3, '0')}${String(i % 2).padStart(2, '0')}`, authorName: `Klant ${i % 2}`, text: `Bericht ${i}` }));
      await injectMany(api, rand.int(0, 35), (i) => ({ channel: 'fb_message', authorName: `Nieuw ${seed}-${i}`, text: `Vraag ${i}` }));
      // A rate limit somewhere in the walks that follow, on a random endpoint.
      const paths = ['/x/2/dm_events', `/x/2/users/${SANDBOX_BRAND.xUserId}/mentions`, `/graph/v25.0/${SANDBOX_BRAND.fbPageId}/conversations`, `/graph/v25.0/${SANDBOX_BRAND.fbPageId}/feed`, `/graph/v25.0/${post.postId}/comments`];
      const faultPath = paths[rand.int(0, paths.length - 1)] as string;
      const fault = (await api('/__sandbox/faults', { method: 'GET', path: faultPath, skip: rand.int(0, 2), times: 1, fault: { type: 'rateLimit', resetInSeconds: 1 } })) as { id: string };
      const fired = async () => !((await api('/__sandbox/faults')) as { faults: { id: string }[] }).faults.some((f) => f.id === fault.id);
      await api('/__sandbox/burst', { count: rand.int(200, 900) });
      const burstDone = Date.now();
      const ids = (await api('/__sandbox/ids')) as Ids;

      // Watch the status: a stream that finished two polls after the burst and shows no gap must have everything.
      const okTimes = new Map<string, number[]>();
      const check = (status: Status) => {
        for (const s of status.streams) {
          if (s.gaps?.length) sawGap = true;
          if (s.lastOkAt && s.lastOkAt > burstDone) {
            const seen = okTimes.get(s.id) ?? [];
            if (seen[seen.length - 1] !== s.lastOkAt) seen.push(s.lastOkAt);
            okTimes.set(s.id, seen);
          }
        }
        for (const c of CHANNELS) {
          const streams = status.streams.filter((s) => STREAMS[c].includes(s.kind));
          const settled = streams.every((s) => (okTimes.get(s.id)?.length ?? 0) >= 2 && !s.gaps?.length);
          if (settled) expect(missing(ids, r, c), `${c} complete by its status (seed ${seed}, pageCap ${pageCap})`).toEqual([]);
        }
      };
      await until(
        () => {
          check(core.status());
          return CHANNELS.every((c) => missing(ids, r, c).length === 0) && fired();
        },
        () => `every message stored (seed ${seed}, pageCap ${pageCap}, fault on ${faultPath}; missing ${CHANNELS.map((c) => `${c} ${missing(ids, r, c).length}`).join(', ')}; gaps ${JSON.stringify(core.status().streams.filter((s) => s.gaps?.length).map((s) => [s.kind, s.gaps]))}; errors ${JSON.stringify(core.status().streams.filter((s) => s.lastError).map((s) => [s.kind, s.lastError, s.stopped]))})`,
        120_000,
      );
      // The injected rate limit really fired, and everything is still there.
      expect(await fired(), `rate-limit fault on ${faultPath} fired`).toBe(true);
      for (const c of CHANNELS) expect(missing(ids, r, c), c).toEqual([]);
      await w.close();
      w = null;
    }
    // Small pages against bursts of hundreds leave gaps that later polls fill.
    expect(sawGap).toBe(true);
  }, 420_000);
});
