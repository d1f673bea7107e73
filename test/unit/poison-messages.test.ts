import { afterEach, describe, expect, it, vi } from 'vitest';
import { events, type EventName, type MessageBatch } from '../../shared/contract';
import { codePointLength, fitMessage } from '../../shared/fitMessage';
import { MessageSchema, type Message } from '../../shared/model';
import { FakeHost as SharedFakeHost } from '../support/fakeHost';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { SET_ASIDE_KEEP, startIngest } from '../../renderer/src/db/ingest';
import { fitBatch } from '../../electron/host/overflow';
import { Rng } from '../../electron/sandbox/prng';

/**
 * No poison messages: whatever a connector hands over, in whatever size and
 * with whatever characters, every batch is acknowledged, every message that is
 * valid (or that the host can make valid) is stored, and nothing throws.
 */

/** A host seen from the renderer: events go through the contract's schema first, as the real client's do. */
/** The shared fake host, with events sent as the browser host's WebSocket sends them. */
class FakeHost extends SharedFakeHost {
  readonly dropped: string[] = [];

  /** Over the wire (JSON, as the browser host's WebSocket), then checked as the renderer's client checks it. */
  send(name: EventName, payload: unknown): void {
    const parsed = events[name].safeParse(JSON.parse(JSON.stringify(payload)));
    if (!parsed.success) {
      this.dropped.push(name);
      return;
    }
    this.emit(name, parsed.data as never);
  }
}

const NASTY = ['\u0000', '\uD83D', '\uDE00', '😀', '👍🏽', '\u202E', '\u202D', '\u2067', '\u200F', '\u0301', '\uFEFF', '\n', '"', '\\', '漢', 'é', '\uFFFF'];

function fuzzer(seed: number) {
  const rng = new Rng(seed);
  const rnd = () => rng.next();
  const int = (n: number) => Math.floor(rnd() * n);
  const char = () => (rnd() < 0.5 ? String.fromCharCode(32 + int(95)) : rnd() < 0.8 ? NASTY[int(NASTY.length)]! : String.fromCharCode(int(0x10000)));
  const chunk = (n: number) => Array.from({ length: n }, char).join('');
  /** Mostly short; now and then anything up to 300 kB, sometimes with a nasty character right at the 100,000 cut. */
  const text = (): string => {
    const r = rnd();
    const len = r < 0.6 ? int(40) : r < 0.8 ? int(700) : int(300_001);
    if (len <= 2000) return chunk(len);
    const piece = chunk(500 + int(500));
    let s = piece.repeat(Math.ceil(len / piece.length)).slice(0, len);
    if (len > 100_001 && rnd() < 0.5) s = s.slice(0, 99_999) + NASTY[int(NASTY.length)]! + s.slice(100_000 + int(2));
    return s;
  };
  return { rnd, int, text };
}

const FIELDS = ['key', 'platformId', 'accountId', 'conversationId', 'inReplyToId', 'author.id', 'author.name', 'author.handle', 'author.avatarUrl', 'text', 'lang', 'url', 'searchId', 'channel', 'createdAt'];

function randomBatch(f: ReturnType<typeof fuzzer>, n: number, serial: { next: number }): MessageBatch {
  const messages: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const id = String(serial.next++);
    const m: Record<string, unknown> = {
      key: `fb_comment:${id}`,
      platformId: id,
      channel: 'fb_comment',
      accountId: 'fb:1',
      conversationId: `post_${f.int(5)}`,
      author: { id: `u${f.int(50)}`, name: 'Els', handle: '' },
      text: f.text(),
      createdAt: 1_760_000_000_000 + serial.next,
      fromUs: false,
    };
    // Random strings in random fields; now and then a field missing or of the wrong type.
    for (let k = f.int(4); k > 0; k--) {
      const field = FIELDS[f.int(FIELDS.length)]!;
      const [top, sub] = field.split('.') as [string, string | undefined];
      const target = sub ? (m.author as Record<string, unknown>) : m;
      const name = sub ?? top;
      const r = f.rnd();
      // Keys stay unique (a random one is prefixed by the serial) so every message can be found again.
      const value = r < 0.05 ? undefined : r < 0.1 ? 42 : name === 'key' ? `${id}:${f.text()}` : f.text();
      target[name] = value;
    }
    messages.push(m);
  }
  return { batchId: `b${serial.next}`, streamId: 'fb:1/comments', messages: messages as Message[] };
}

const open: WebcareDb[] = [];
function freshDb(): WebcareDb {
  const db = openDb(`webcare-test-${crypto.randomUUID()}`);
  open.push(db);
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  vi.restoreAllMocks();
});

describe('no poison messages (seeded fuzz)', () => {
  it.each([1, 2, 3])('host then renderer, seed %i: every batch acknowledged, every fittable message stored whole or shortened', async (seed) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const f = fuzzer(seed);
    const host = new FakeHost();
    const db = freshDb();
    startIngest(host, db);
    const serial = { next: 1 };
    const expected = new Map<string, Message>();
    const handed: string[] = [];
    let setAsideByHost = 0;
    let raws = 0;
    for (let b = 0; b < 25; b++) {
      const batch = randomBatch(f, 1 + f.int(12), serial);
      raws += batch.messages.length;
      // What HostCore.deliver does with every batch before it is emitted.
      const fit = fitBatch(batch);
      setAsideByHost += fit.setAside.length;
      for (const m of fit.batch.messages) expected.set(m.key, m);
      if (fit.batch.messages.length === 0) continue;
      handed.push(batch.batchId);
      host.send('messagesArrived', fit.batch);
    }
    expect(host.dropped).toEqual([]);
    await vi.waitFor(() => expect(host.acks()).toEqual(handed), { timeout: 15_000 });
    expect(await db.messages.count()).toBe(expected.size);
    expect(expected.size + setAsideByHost).toBe(raws);
    // Something of each kind happened, or the fuzz proves little.
    const all = [...expected.values()];
    expect(all.some((m) => m.shortened)).toBe(true);
    expect(setAsideByHost).toBeGreaterThan(0);
    for (const m of all) {
      const stored = await db.messages.get(m.key);
      expect(stored, m.key).toEqual(m);
      expect(MessageSchema.safeParse(stored).success).toBe(true);
    }
    // The host made every message valid: the renderer had nothing to set aside.
    expect(await db.setAside.count()).toBe(0);
  }, 60_000);

  it.each([4, 5])('renderer alone, seed %i: valid messages stored, the others set aside, every batch acknowledged', async (seed) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const f = fuzzer(seed);
    const host = new FakeHost();
    const db = freshDb();
    startIngest(host, db);
    const serial = { next: 1 };
    const valid = new Map<string, Message>();
    const ids: string[] = [];
    let invalid = 0;
    for (let b = 0; b < 25; b++) {
      const batch = randomBatch(f, 1 + f.int(12), serial);
      for (const raw of batch.messages) {
        const wire = JSON.parse(JSON.stringify(raw)) as unknown;
        const r = MessageSchema.safeParse(wire);
        if (r.success) valid.set(r.data.key, r.data);
        else invalid++;
      }
      ids.push(batch.batchId);
      // Straight from a connector, not fitted: the renderer's own checks are the only ones.
      host.send('messagesArrived', batch);
    }
    expect(host.dropped).toEqual([]);
    await vi.waitFor(() => expect(host.acks()).toEqual(ids), { timeout: 15_000 });
    expect(invalid).toBeGreaterThan(0);
    expect(await db.messages.count()).toBe(valid.size);
    for (const m of valid.values()) expect(await db.messages.get(m.key)).toEqual(m);
    const aside = await db.setAside.toArray();
    expect(aside).toHaveLength(invalid);
    for (const r of aside) {
      expect(r.reason).toMatch(/^[\w.]+:(missing|tooLong|invalid)$/);
      expect(codePointLength(r.raw)).toBeLessThanOrEqual(16 * 1024);
      expect(ids).toContain(r.batchId);
    }
  }, 60_000);
});

describe('renderer ingest of a batch with one bad message', () => {
  const good = (id: string): Message => ({
    key: `x_mention:${id}`,
    platformId: id,
    channel: 'x_mention',
    accountId: 'x:1',
    conversationId: id,
    author: { id: 'u1', name: 'Els', handle: 'els' },
    text: `bericht ${id}`,
    createdAt: 1_760_000_000_000,
    fromUs: false,
  });

  it('stores the rest, sets the bad one aside with its reason and acknowledges the batch', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const host = new FakeHost();
    const db = freshDb();
    startIngest(host, db);
    const huge = { ...good('2'), text: 'x'.repeat(200_000) };
    host.send('messagesArrived', { batchId: 'b1', streamId: 'x:1/mentions', messages: [good('1'), huge, good('3')] });
    await vi.waitFor(() => expect(host.acks()).toEqual(['b1']));
    expect((await db.messages.toArray()).map((m) => m.key).sort()).toEqual(['x_mention:1', 'x_mention:3']);
    expect(await db.setAside.toArray()).toEqual([
      { id: 1, batchId: 'b1', streamId: 'x:1/mentions', reason: 'text:tooLong', raw: expect.stringMatching(/^\{"key":"x_mention:2"/), at: expect.any(Number) },
    ]);
  });

  it('keeps only the newest set-aside records', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const host = new FakeHost();
    const db = freshDb();
    startIngest(host, db);
    const bad = Array.from({ length: SET_ASIDE_KEEP + 5 }, (_, i) => ({ ...good(String(i)), channel: 'nope' }));
    host.send('messagesArrived', { batchId: 'b1', streamId: 's', messages: bad.slice(0, 600) });
    host.send('messagesArrived', { batchId: 'b2', streamId: 's', messages: bad.slice(600) });
    await vi.waitFor(() => expect(host.acks()).toEqual(['b1', 'b2']));
    expect(await db.setAside.count()).toBe(SET_ASIDE_KEEP);
    const first = await db.setAside.orderBy(':id').first();
    expect(first?.raw).toContain('"platformId":"5"');
  });

  it('the host-fitted message of the same batch is stored shortened', async () => {
    const host = new FakeHost();
    const db = freshDb();
    startIngest(host, db);
    const fit = fitMessage({ ...good('2'), text: 'x'.repeat(200_000) });
    if ('setAside' in fit) throw new Error(fit.setAside);
    host.send('messagesArrived', { batchId: 'b1', streamId: 'x:1/mentions', messages: [good('1'), fit.message] });
    await vi.waitFor(() => expect(host.acks()).toEqual(['b1']));
    const stored = await db.messages.get('x_mention:2');
    expect(stored?.shortened).toBe(true);
    expect(stored?.text).toHaveLength(100_000);
  });
});
