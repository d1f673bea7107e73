import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract';
import type { SavedSearch } from '../../shared/model';
import { FakeRenderer, until, world, type Requests, type World } from './harness';

/**
 * One message, one card, through the real host and the sandbox: a saved search
 * leaves out what the mentions stream reads (X's -@handle), so a mention is read
 * and billed once; where it cannot (a query too long for the exclusion), the
 * post both streams read is handed over under one key, remembering both.
 */
let w: World;
beforeEach(async () => {
  w = await world();
});
afterEach(async () => {
  await w.close();
});

const status = async (core: Awaited<ReturnType<World['core']>>) => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
const searchRequests = async (w: World) => ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path === '/x/2/tweets/search/recent');

describe('a mention that is also a keyword-search hit', () => {
  it('is not fetched by the search at all', async () => {
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    const x = (await status(core)).accounts.find((a) => a.platform === 'x')!;
    const saved = (await core.dispatch('saveXSearch', { accountId: x.id, query: 'brievenbus' })) as { ok: true; value: SavedSearch };
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'brievenbus kapot, kunnen jullie iets doen?', lang: 'nl' });
    const bare = await w.api('/__sandbox/inject', { channel: 'x_mention', bare: true, text: 'Polderpost en de brievenbus, altijd mis', lang: 'nl' });
    await until(() => r.stored.get(`x_search:${bare.id}`), 'the search hit that is no mention');
    const m = await until(() => r.stored.get(`x_mention:${mention.id}`), 'the mention');
    // A few more search polls: the mention never comes from the search.
    const before = (await searchRequests(w)).length;
    await until(async () => (await searchRequests(w)).length > before + 1, 'two more search polls');
    expect(r.stored.has(`x_search:${mention.id}`)).toBe(false);
    expect(r.batches.filter((b) => b.streamId.includes('/search/')).flatMap((b) => b.messages.map((x) => x.platformId))).not.toContain(mention.id);
    expect(m.foundBy).toEqual(['mentions']);
    for (const q of await searchRequests(w)) expect(new URLSearchParams(q.query).get('query')).toBe('(brievenbus) -@polderpost -from:polderpost');
    expect(saved.value.query).toBe('brievenbus');
  });

  it('read by both streams (a query too long to leave mentions out) is handed over once, remembering both', async () => {
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    const x = (await status(core)).accounts.find((a) => a.platform === 'x')!;
    const filler = Array.from({ length: 60 }, (_, i) => `-woord${i}`).join(' ');
    const query = `brievenbus ${filler}`.slice(0, 500);
    const saved = (await core.dispatch('saveXSearch', { accountId: x.id, query })) as { ok: true; value: SavedSearch };
    expect(saved.ok).toBe(true);
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'mijn brievenbus is te klein voor jullie pakket', lang: 'nl' });
    const key = `x_mention:${mention.id}`;
    const both = await until(() => {
      const m = r.stored.get(key);
      return m?.foundBy?.includes('mentions') && m.foundBy.includes(`search:${saved.value.id}`) ? m : null;
    }, 'the mention, known to both streams');
    expect(both).toMatchObject({ channel: 'x_mention', searchId: saved.value.id, summoned: true });
    expect([...r.stored.keys()].filter((k) => k.endsWith(`:${mention.id}`))).toEqual([key]);
    expect(new URLSearchParams((await searchRequests(w))[0]!.query).get('query')).toBe(query);
  });
});
