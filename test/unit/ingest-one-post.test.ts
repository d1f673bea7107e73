import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload, MessageBatch } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { ConnectionState, HostApi } from '../../renderer/src/api/host';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { mergeStoredPosts, planPostMerge, startIngest } from '../../renderer/src/db/ingest';
import { searchKeyOf } from '../../renderer/src/search/searchIndex';

/**
 * One message, one card in the store: an X post that comes as a mention and as a
 * search hit (in either order, or stored twice by an earlier version) is one
 * row under the mention's key, with every stream that found it and its marks.
 */
class FakeHost implements HostApi {
  connection: ConnectionState = 'open';
  readonly acks: string[] = [];
  private readonly listeners = new Set<(p: unknown) => void>();
  async call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    if (name === 'ackBatch') this.acks.push((input as { batchId: string }).batchId);
    return { ok: true, value: {} } as CommandOutput<C>;
  }
  on<E extends EventName>(_name: E, fn: (payload: EventPayload<E>) => void): () => void {
    const l = fn as (p: unknown) => void;
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  onConnection(): () => void {
    return () => undefined;
  }
  emit(batch: MessageBatch): void {
    for (const fn of this.listeners) fn(batch);
  }
}

const post = (channel: 'x_mention' | 'x_search', id: string, over: Partial<Message> = {}): Message => ({
  key: `${channel}:${id}`,
  platformId: id,
  channel,
  accountId: 'x:42',
  conversationId: id,
  author: { id: '7', name: 'Els de Vries', handle: 'elsdv' },
  text: `pakket kwijt ${id}`,
  createdAt: 1_760_000_000_000 + Number(id),
  fromUs: false,
  summoned: true,
  ...(channel === 'x_search' ? { searchId: 's1', foundBy: ['search:s1'] } : { foundBy: ['mentions'] }),
  ...over,
});

const open: WebcareDb[] = [];
function freshDb(): WebcareDb {
  const db = openDb(`one-post-${crypto.randomUUID()}`);
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('planPostMerge', () => {
  const stored = (...ms: Message[]) => new Map(ms.map((m) => [m.key, m]));
  it.each<[string, Message, Message[], string, string[]]>([
    ['a new post is stored as it came', post('x_mention', '1'), [], 'x_mention:1', []],
    ['a mention read again by the search keeps both streams', post('x_mention', '1', { foundBy: ['search:s1'], searchId: 's1' }), [post('x_mention', '1')], 'x_mention:1', []],
    ['a search hit stored under its own key before: the mention takes over', post('x_mention', '1'), [post('x_search', '1')], 'x_mention:1', ['x_search:1']],
    ['a search-hit copy of a stored mention goes into the mention', post('x_search', '1'), [post('x_mention', '1')], 'x_mention:1', []],
    ["our reply kept in a search's thread stays there", post('x_mention', '5', { fromUs: true, foundBy: ['own'] }), [post('x_search', '5', { fromUs: true })], 'x_search:5', []],
    ['a Facebook comment is not touched', { ...post('x_mention', '9'), key: 'fb_comment:9', channel: 'fb_comment' }, [], 'fb_comment:9', []],
  ])('%s', (_name, incoming, before, key, dropped) => {
    const plan = planPostMerge([incoming], stored(...before));
    expect(plan.put.map((m) => m.key)).toEqual([key]);
    expect(plan.drop.map((m) => m.key)).toEqual(dropped);
    if (before.length > 0 && incoming.channel !== 'fb_comment') {
      const found = plan.put[0]?.foundBy ?? [];
      for (const m of [incoming, ...before]) for (const s of m.foundBy ?? []) expect(found).toContain(s);
      if (before.some((m) => m.searchId) || incoming.searchId) expect(plan.put[0]?.searchId).toBe('s1');
    }
  });
});

describe('the ingest stores a post found by two streams once', () => {
  it('in either order, with both streams, the search id, and the mark of the copy that goes', async () => {
    const host = new FakeHost();
    const db = freshDb();
    startIngest(host, db);
    // Before this version the search hit had a key of its own, and the agent marked it done.
    await db.messages.put(post('x_search', '1'));
    await db.marks.put({ key: 'x_search:1', status: 'done', at: 1 });
    await db.searchIndex.put({ sk: searchKeyOf(post('x_search', '1').createdAt, 'x_search:1'), words: ['pakket'], who: 'x:7' });
    host.emit({ batchId: 'm1', streamId: 'x:42/mentions', messages: [post('x_mention', '1'), post('x_mention', '2')] });
    host.emit({ batchId: 's1', streamId: 'x:42/search/s1', messages: [post('x_mention', '2', { searchId: 's1', foundBy: ['search:s1'] })] });
    await vi.waitFor(() => expect(host.acks).toEqual(['m1', 's1']));

    const all = await db.messages.toArray();
    expect(all.map((m) => m.key).sort()).toEqual(['x_mention:1', 'x_mention:2']);
    expect(await db.messages.get('x_mention:1')).toMatchObject({ searchId: 's1', foundBy: ['search:s1', 'mentions'] });
    expect(await db.messages.get('x_mention:2')).toMatchObject({ searchId: 's1', foundBy: ['mentions', 'search:s1'] });
    expect(await db.marks.get('x_mention:1')).toMatchObject({ status: 'done' });
    expect(await db.marks.get('x_search:1')).toBeUndefined();
    expect(await db.searchIndex.count()).toBe(0);
    expect((await db.searchPending.toArray()).map((r) => r.key).sort()).toEqual(['x_mention:1', 'x_mention:2']);

    // The mentions stream reads it again later: the search is not forgotten.
    host.emit({ batchId: 'm2', streamId: 'x:42/mentions', messages: [post('x_mention', '2')] });
    await vi.waitFor(() => expect(host.acks).toEqual(['m1', 's1', 'm2']));
    expect(await db.messages.get('x_mention:2')).toMatchObject({ searchId: 's1', foundBy: ['mentions', 'search:s1'] });
  });

  it('merges the copies an earlier version stored, once per store', async () => {
    const db = freshDb();
    const rows: Message[] = [];
    for (let i = 0; i < 1200; i++) rows.push(post('x_search', String(i)));
    for (let i = 0; i < 1200; i += 3) rows.push(post('x_mention', String(i)));
    await db.messages.bulkPut(rows);
    await db.marks.put({ key: 'x_search:3', status: 'archived', at: 1 });
    await db.marks.bulkPut([
      { key: 'x_search:6', status: 'done', at: 1 },
      { key: 'x_mention:6', status: 'open', at: 2 },
    ]);
    expect(await mergeStoredPosts(db)).toBe(400);
    expect(await db.messages.count()).toBe(1200);
    expect(await db.messages.where('[channel+createdAt]').between(['x_mention', -Infinity], ['x_mention', Infinity]).count()).toBe(400);
    expect(await db.messages.get('x_mention:3')).toMatchObject({ searchId: 's1', foundBy: expect.arrayContaining(['mentions', 'search:s1']) });
    expect(await db.marks.get('x_mention:3')).toMatchObject({ status: 'archived' });
    // The copy that stays keeps its own mark.
    expect(await db.marks.get('x_mention:6')).toMatchObject({ status: 'open' });
    expect(await db.marks.count()).toBe(2);
    expect(await mergeStoredPosts(db)).toBe(0);
  });
});
