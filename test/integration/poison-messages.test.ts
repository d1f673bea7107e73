import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events, type CommandInput, type CommandName, type CommandOutput, type EventName, type EventPayload, type MessageBatch, type Status } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { HostCore } from '../../electron/host/hostCore';
import type { ConnectionState, HostApi } from '../../renderer/src/api/host';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { startIngest } from '../../renderer/src/db/ingest';
import { until, world, type World } from './harness';

/**
 * No poison messages, end to end: the real host core polling the sandbox over
 * HTTP, and the renderer's real ingest into IndexedDB behind a client that
 * checks every event against the contract as the renderer's does. A 200 kB
 * comment and a 600-character display name among ordinary messages: all are
 * stored (the long ones shortened), the streams' cursors move on, and what is
 * injected after them still arrives.
 */

/** The renderer's side of the wire: JSON (the browser host's WebSocket), then the contract's schema. */
function rendererClient(core: HostCore): HostApi & { dropped: string[]; close(): void } {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const dropped: string[] = [];
  const off = core.onEvent((name, payload) => {
    const parsed = events[name].safeParse(JSON.parse(JSON.stringify(payload)));
    if (!parsed.success) {
      dropped.push(name);
      return;
    }
    for (const fn of listeners.get(name) ?? []) fn(parsed.data);
  });
  return {
    dropped,
    connection: 'open' as ConnectionState,
    call: <C extends CommandName>(name: C, input: CommandInput<C>) => core.dispatch(name, input) as Promise<CommandOutput<C>>,
    on<E extends EventName>(name: E, fn: (payload: EventPayload<E>) => void) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = fn as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    onConnection: () => () => undefined,
    close: off,
  };
}

let w: World;
let db: WebcareDb;

beforeEach(async () => {
  w = await world({ historyPerChannel: 3, seed: 5 });
  db = openDb(`webcare-poison-${crypto.randomUUID()}`);
});

afterEach(async () => {
  await w.close();
  db.close();
});

const readCursors = async (): Promise<Record<string, string>> => JSON.parse(await readFile(path.join(w.dataDir, 'cursors.json'), 'utf8').catch(() => '{}'));
const streamCursor = (c: Record<string, string>, suffix: string) => Object.entries(c).find(([k]) => k.endsWith(suffix))?.[1];
const byPlatformId = async (id: string): Promise<Message | undefined> => (await db.messages.toArray()).find((m) => m.platformId === id);

describe('no poison messages through the real host and the renderer ingest', () => {
  it('stores a 200 kB comment and a 600-character name shortened, the rest whole, and the streams go on', async () => {
    const core = await w.core();
    const client = rendererClient(core);
    startIngest(client, db);
    core.clientConnected();
    await until(async () => (await db.messages.where('channel').anyOf('fb_comment', 'x_mention').count()) >= 6, 'history');
    await until(async () => streamCursor(await readCursors(), '/comments') && streamCursor(await readCursors(), '/mentions'), 'first cursors');
    const before = await readCursors();

    const huge = `Mijn klacht, uitgebreid: ${'blabla '.repeat(30_000)}einde.`;
    expect(huge.length).toBeGreaterThan(200_000);
    const longName = 'Ω'.repeat(600);
    const ok1 = await w.api('/__sandbox/inject', { channel: 'fb_comment', text: 'Gewone reactie vooraf' });
    const big = await w.api('/__sandbox/inject', { channel: 'fb_comment', text: huge });
    const named = await w.api('/__sandbox/inject', { channel: 'fb_comment', text: 'Reactie met een lange naam', authorName: longName });
    const xNamed = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Post met een lange naam', authorName: longName });
    const ok2 = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Gewone mention erna' });

    const stored = await until(async () => {
      const all = await Promise.all([ok1, big, named, xNamed, ok2].map((i: { id: string }) => byPlatformId(i.id)));
      return all.every(Boolean) ? (all as Message[]) : null;
    }, 'every injected message stored', 20_000);
    const [s1, sBig, sNamed, sXNamed, s2] = stored as [Message, Message, Message, Message, Message];
    expect(client.dropped).toEqual([]);

    expect(s1.text).toBe('Gewone reactie vooraf');
    expect(s1.shortened).toBeUndefined();
    expect(s2.text).toContain('Gewone mention erna');
    expect(s2.shortened).toBeUndefined();

    expect(sBig.shortened).toBe(true);
    expect(sBig.text).toHaveLength(100_000);
    expect(huge.startsWith(sBig.text)).toBe(true);
    for (const m of [sNamed, sXNamed]) {
      expect(m.shortened).toBe(true);
      expect(m.author.name).toBe('Ω'.repeat(500));
    }
    // The whole text stays with the host, for "show full text".
    expect(await core.dispatch('getFullText', { accountId: sBig.accountId, key: sBig.key })).toEqual({ ok: true, value: { text: huge } });

    // The cursors of both streams moved past the batches that held them.
    await until(async () => {
      const now = await readCursors();
      return streamCursor(now, '/comments') !== streamCursor(before, '/comments') && streamCursor(now, '/mentions') !== streamCursor(before, '/mentions');
    }, 'cursors advanced');

    // And the streams go on.
    const later = await w.api('/__sandbox/inject', { channel: 'fb_comment', text: 'Later nog een reactie' });
    const laterX = await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Later nog een mention' });
    await until(async () => (await byPlatformId(later.id)) && (await byPlatformId(laterX.id)), 'messages injected later', 20_000);
    expect(await db.setAside.count()).toBe(0);
    const status = ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
    expect(status.streams.filter((s) => s.setAside)).toEqual([]);
  });

  it('sets aside what cannot be made valid: counted on its stream, kept on disk, the rest stored and acknowledged', async () => {
    // The connectors already skip an item without a usable id, so the batch is handed to
    // delivery directly, as a connector whose mapping let something through would.
    const core = await w.core();
    const client = rendererClient(core);
    startIngest(client, db);
    core.clientConnected();
    await until(async () => (await db.messages.where('channel').equals('fb_comment').count()) >= 3, 'history');
    const status = async () => ((await core.dispatch('getStatus', {})) as { ok: true; value: Status }).value;
    const stream = (await status()).streams.find((s) => s.id.endsWith('/comments'))!;
    const sample = (await db.messages.where('channel').equals('fb_comment').first())!;
    const good: Message = { ...sample, key: 'fb_comment:1_900', platformId: '1_900', text: 'Gewone reactie' };
    const bad = { ...sample, key: 'fb_comment:1_901', platformId: '1_901', author: { ...sample.author, id: '9'.repeat(300) }, text: 'Van een vreemd account' };
    // The host core's own delivery: the same path a poll's batch takes.
    const delivery = (core as unknown as { delivery: { deliver(b: MessageBatch): Promise<void> } }).delivery;
    const deliver = delivery.deliver.bind(delivery);

    await deliver({ batchId: 'poison-1', streamId: stream.id, messages: [good, bad as Message] });
    expect(await db.messages.get(good.key)).toEqual(good);
    expect(await db.messages.get(bad.key)).toBeUndefined();
    // All of a batch set aside: nothing to hand over, and the stream is not held up.
    await deliver({ batchId: 'poison-2', streamId: stream.id, messages: [{ ...bad, key: '' } as Message] });

    const after = (await status()).streams.find((s) => s.id === stream.id)!;
    expect(after.setAside).toMatchObject({ count: 2, lastReason: 'key:missing', lastAt: expect.any(Number) });
    const lines = (await readFile(path.join(w.dataDir, 'set-aside.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { reason: 'author.id:tooLong', streamId: stream.id, batchId: 'poison-1', raw: expect.stringContaining('Van een vreemd account') },
      { reason: 'key:missing', streamId: stream.id, batchId: 'poison-2' },
    ]);
    expect(client.dropped).toEqual([]);
    expect(await db.setAside.count()).toBe(0);

    const later = await w.api('/__sandbox/inject', { channel: 'fb_comment', text: 'Later' });
    await until(() => byPlatformId(later.id), 'a comment injected later');
  });
});
