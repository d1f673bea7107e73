import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_FRAME_BYTES, startBrowserHost, type BrowserHost } from '../../electron/browserHost';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';
import { MEDIA_MAX_BYTES, MEDIA_MAX_COUNT } from '../../shared/contract';
import { world, type World } from './harness';
import { Rng } from '../../electron/sandbox/prng';

/**
 * The browser host against hostile bytes: hand-made WebSocket frames over raw
 * TCP, unauthorized upgrades and a seeded run of random frames. After each,
 * a fresh authorized client must still get getStatus answered: the host runs
 * in this process, so an unhandled error would end the test run itself.
 */

const SECRET = 'hardening-secret-0123456789abcdef';
/**
 * Errors nobody handled. In its own process (npm start) the first would end the
 * host; here vitest would only report it at the end, so each case checks.
 */
const unhandled: unknown[] = [];
const noteUnhandled = (e: unknown) => unhandled.push(e);
let w: World;
let host: BrowserHost;
let port: number;
const own = () => `http://127.0.0.1:${port}`;

beforeAll(async () => {
  process.on('uncaughtException', noteUnhandled);
  process.on('unhandledRejection', noteUnhandled);
  w = await world({ historyPerChannel: 1 });
  const core = await w.core();
  const staticDir = await w.tempDir();
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  host = await startBrowserHost({ core, staticDir, secret: SECRET });
  port = host.port;
});

afterAll(async () => {
  await host?.close();
  await w?.close();
  process.off('uncaughtException', noteUnhandled);
  process.off('unhandledRejection', noteUnhandled);
});

// ---- frames by hand --------------------------------------------------------

interface FrameSpec {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload?: Buffer;
  mask?: boolean;
  /** The length written in the header, when it should lie about the payload. */
  declared?: number;
}

function frame({ fin = true, rsv = 0, opcode, payload = Buffer.alloc(0), mask = true, declared }: FrameSpec): Buffer {
  const len = declared ?? payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
  else {
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    head.push(m | 127, ...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] as number) ^ (key[i % 4] as number);
  return Buffer.concat([Buffer.from(head), key, body]);
}

const text = (s: string, extra: Partial<FrameSpec> = {}) => frame({ opcode: 1, payload: Buffer.from(s), ...extra });

/** Frames the server sent (unmasked), as far as they are complete. */
function serverFrames(buf: Buffer): { opcode: number; payload: Buffer }[] {
  const out: { opcode: number; payload: Buffer }[] = [];
  let pos = 0;
  while (pos + 2 <= buf.length) {
    const opcode = (buf[pos] as number) & 0x0f;
    let len = (buf[pos + 1] as number) & 0x7f;
    let at = pos + 2;
    if (len === 126) {
      if (at + 2 > buf.length) break;
      len = buf.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      if (at + 8 > buf.length) break;
      len = Number(buf.readBigUInt64BE(at));
      at += 8;
    }
    if (at + len > buf.length) break;
    out.push({ opcode, payload: buf.subarray(at, at + len) });
    pos = at + len;
  }
  return out;
}

interface Raw {
  socket: net.Socket;
  /** The HTTP status of the answer to the upgrade request. */
  status: number;
  /** What came after the HTTP head. */
  data(): Buffer;
  closed: Promise<void>;
}

/** A raw TCP connection that asks for an upgrade with whatever headers the test wants. */
function rawUpgrade(opts: { secret?: string | null; origin?: string | null; host?: string; path?: string; after?: Buffer } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let head: string | null = null;
    let rest = Buffer.alloc(0);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => reject(new Error('no answer to the upgrade')), 5_000);
    socket.on('data', (d: Buffer) => {
      if (head !== null) {
        rest = Buffer.concat([rest, d]);
        return;
      }
      chunks.push(d);
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      head = all.subarray(0, end).toString('latin1');
      rest = all.subarray(end + 4);
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ socket, status, data: () => rest, closed });
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (head === null) reject(new Error('closed before an answer'));
    });
    const secret = opts.secret === undefined ? SECRET : opts.secret;
    const origin = opts.origin === undefined ? own() : opts.origin;
    const lines = [
      `GET ${opts.path ?? (secret === null ? '/ws' : `/ws?s=${secret}`)} HTTP/1.1`,
      `Host: ${opts.host ?? `127.0.0.1:${port}`}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...(origin === null ? [] : [`Origin: ${origin}`]),
    ];
    socket.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), opts.after ?? Buffer.alloc(0)]));
  });
}

/** An authorized raw connection; throws unless the upgrade happened. */
async function upgraded(): Promise<Raw> {
  const raw = await rawUpgrade();
  expect(raw.status).toBe(101);
  return raw;
}

/** Waits for the server's close frame (answering it, as a client must) or the end of the connection; its code or null. */
async function closeCode(raw: Raw, timeoutMs = 5_000): Promise<number | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const close = serverFrames(raw.data()).find((f) => f.opcode === 8);
    if (close) {
      if (raw.socket.writable) raw.socket.end(frame({ opcode: 8, payload: close.payload.subarray(0, 2) }));
      return close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null;
    }
    if (raw.socket.destroyed || raw.socket.readableEnded) return null;
    if (Date.now() > end) throw new Error('the host neither closed nor answered');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Nothing went unhandled, and a fresh, well-behaved client can open the WebSocket and get getStatus answered. */
async function assertServing(): Promise<void> {
  expect(unhandled.splice(0).map((e) => String(e)), 'an error nobody handled would have ended the host process').toEqual([]);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?s=${SECRET}`, { origin: own() });
  try {
    const result = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('getStatus got no answer')), 5_000);
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, command: 'getStatus', input: {} })));
      ws.on('message', (data) => {
        const f = JSON.parse(String(data));
        if (f.type === 'result' && f.id === 1) {
          clearTimeout(timer);
          resolve(f.result);
        }
      });
    });
    expect(result).toMatchObject({ ok: true, value: { shell: 'browser' } });
  } finally {
    ws.terminate();
  }
}

// ---- the hand-made cases ----------------------------------------------------

describe('browser host: broken frames close one socket, never the host', () => {
  const cases: { name: string; bytes: () => Buffer; code: number }[] = [
    { name: 'a frame over the size limit', bytes: () => frame({ opcode: 1, declared: MAX_FRAME_BYTES + 1 }), code: 1009 },
    { name: 'a frame declaring 2^53-1 bytes', bytes: () => frame({ opcode: 2, declared: Number.MAX_SAFE_INTEGER }), code: 1009 },
    { name: 'invalid UTF-8 in a text frame', bytes: () => frame({ opcode: 1, payload: Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]) }), code: 1007 },
    { name: 'a lone surrogate (CESU-8) in a text frame', bytes: () => frame({ opcode: 1, payload: Buffer.from([0xed, 0xa0, 0x80]) }), code: 1007 },
    { name: 'an unmasked client frame', bytes: () => text('{"type":"call","id":1,"command":"getStatus","input":{}}', { mask: false }), code: 1002 },
    { name: 'RSV1 set (no extension agreed)', bytes: () => text('{}', { rsv: 4 }), code: 1002 },
    { name: 'RSV2 set', bytes: () => text('{}', { rsv: 2 }), code: 1002 },
    { name: 'RSV3 set', bytes: () => text('{}', { rsv: 1 }), code: 1002 },
    { name: 'unknown data opcode 0x3', bytes: () => frame({ opcode: 3, payload: Buffer.from('x') }), code: 1002 },
    { name: 'unknown control opcode 0xB', bytes: () => frame({ opcode: 0xb }), code: 1002 },
    { name: 'a fragmented ping', bytes: () => frame({ opcode: 9, fin: false }), code: 1002 },
    { name: 'a ping over 125 bytes', bytes: () => frame({ opcode: 9, payload: Buffer.alloc(126) }), code: 1002 },
    { name: 'a continuation with nothing to continue', bytes: () => frame({ opcode: 0, payload: Buffer.from('x') }), code: 1002 },
    { name: 'a new message inside a fragmented one', bytes: () => Buffer.concat([text('{"a"', { fin: false }), text(':1}')]), code: 1002 },
    { name: 'a close frame with a 1-byte body', bytes: () => frame({ opcode: 8, payload: Buffer.from([3]) }), code: 1002 },
    { name: 'a close frame with code 999', bytes: () => frame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) }), code: 1002 },
    { name: 'a binary frame', bytes: () => frame({ opcode: 2, payload: Buffer.from('{"type":"call"}') }), code: 1003 },
    { name: 'text that is not JSON', bytes: () => text('{"type":"call",'), code: 1007 },
    { name: 'JSON that is not a call and has no id', bytes: () => text('[1,2,3]'), code: 1008 },
  ];

  for (const c of cases) {
    it(`${c.name}: closed with ${c.code}`, async () => {
      const raw = await upgraded();
      raw.socket.write(c.bytes());
      expect(await closeCode(raw)).toBe(c.code);
      await assertServing();
    });
  }

  it('the same bytes sent together with the upgrade request (before any answer)', async () => {
    const raw = await rawUpgrade({ after: frame({ opcode: 1, mask: false, payload: Buffer.from('x') }) });
    expect(raw.status).toBe(101);
    expect(await closeCode(raw)).toBe(1002);
    await assertServing();
  });

  it('a fragmented message whose parts add up to more than the limit', async () => {
    const raw = await upgraded();
    const part = Math.floor(MAX_FRAME_BYTES / 2) + 1;
    raw.socket.write(frame({ opcode: 1, fin: false, payload: Buffer.alloc(part, 0x20) }));
    raw.socket.write(frame({ opcode: 0, fin: false, payload: Buffer.alloc(part, 0x20) }));
    expect(await closeCode(raw, 20_000)).toBe(1009);
    await assertServing();
  });

  it('the limit leaves room for a reply with the most images at their largest, and a message of that size is read', async () => {
    const image = { mimeType: 'image/png', dataBase64: 'A'.repeat(Math.ceil(MEDIA_MAX_BYTES / 3) * 4), alt: '\u0000'.repeat(1000) };
    const call = JSON.stringify({
      type: 'call',
      id: 1,
      command: 'sendReply',
      input: { clientId: crypto.randomUUID(), accountId: 'x'.repeat(200), channel: 'x_mention', conversationId: 'c'.repeat(200), inReplyToId: 'i'.repeat(200), text: '\u0000'.repeat(20_000), media: Array.from({ length: MEDIA_MAX_COUNT }, () => image) },
    });
    expect(Buffer.byteLength(call)).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    // ... and not much more than that: a few MB of slack at most.
    expect(MAX_FRAME_BYTES - Buffer.byteLength(call)).toBeLessThan(2 * 1024 * 1024);
    // A frame of exactly the limit is read (then refused as not JSON), not cut off as too big.
    const raw = await upgraded();
    raw.socket.write(frame({ opcode: 1, payload: Buffer.alloc(MAX_FRAME_BYTES, 0x7b) }));
    expect(await closeCode(raw, 20_000)).toBe(1007);
    await assertServing();
  });

  it('truncated headers, then the client hangs up', async () => {
    for (const bytes of [Buffer.from([0x81]), Buffer.from([0x81, 0xfe, 0x00]), Buffer.from([0x81, 0xff, 0, 0, 0]), Buffer.from([0x81, 0x85, 1, 2])]) {
      const raw = await upgraded();
      raw.socket.end(bytes);
      await raw.closed;
      await assertServing();
    }
  });

  it('a client that resets the connection mid-frame', async () => {
    const raw = await upgraded();
    raw.socket.write(frame({ opcode: 1, declared: 1000, payload: Buffer.from('{"type"') }).subarray(0, 12));
    await new Promise((r) => setTimeout(r, 20));
    raw.socket.resetAndDestroy();
    await raw.closed;
    await assertServing();
  });

  it('random bytes right after a valid upgrade', async () => {
    for (let i = 0; i < 10; i++) {
      const raw = await upgraded();
      raw.socket.end(randomBytes(4096));
      await closeCode(raw);
      raw.socket.destroy();
    }
    await assertServing();
  });
});

// ---- seeded random frames ---------------------------------------------------

function randomFrame(r: Rng): Buffer {
  const pick = r.next();
  const opcode = pick < 0.4 ? 1 : pick < 0.5 ? 2 : pick < 0.6 ? 0 : pick < 0.7 ? [8, 9, 10][r.int(0, 2)]! : r.int(0, 15);
  const len = r.next() < 0.7 ? r.int(0, 140) : r.int(0, 70_000);
  let payload: Buffer;
  const kind = r.next();
  if (kind < 0.3) payload = Buffer.from(Array.from({ length: len }, () => r.int(0, 255)));
  else if (kind < 0.6) payload = Buffer.from(JSON.stringify({ type: r.next() < 0.5 ? 'call' : 'x', id: r.int(-3, 5), command: ['getStatus', 'nope', 'sendReply'][r.int(0, 2)], input: { n: r.int(0, 9) } }));
  else if (kind < 0.8) payload = Buffer.from(String.fromCharCode(...Array.from({ length: Math.min(len, 200) }, () => r.int(0, 0xffff))));
  else payload = Buffer.alloc(len, r.int(0, 255));
  const lie = r.next() < 0.1;
  return frame({
    fin: r.next() < 0.85,
    rsv: r.next() < 0.85 ? 0 : r.int(1, 7),
    opcode,
    payload,
    mask: r.next() < 0.9,
    declared: lie ? r.int(0, 2 ** 20) : undefined,
  });
}

describe('browser host: a seeded run of random frames', () => {
  it('400 connections of 1-4 random frames each: the host answers getStatus throughout', async () => {
    const r = new Rng(20_260_101);
    const codes = new Map<number | null, number>();
    const one = async () => {
      const frames = Buffer.concat(Array.from({ length: r.int(1, 4) }, () => randomFrame(r)));
      const split = r.int(0, frames.length);
      const hangUp = r.next() < 0.5;
      const raw = await upgraded();
      raw.socket.write(frames.subarray(0, split));
      raw.socket.write(frames.subarray(split));
      if (hangUp) raw.socket.end();
      const code = await closeCode(raw, hangUp ? 3_000 : 300).catch(() => 'open' as const);
      if (code !== 'open') codes.set(code, (codes.get(code) ?? 0) + 1);
      raw.socket.destroy();
    };
    for (let batch = 0; batch < 40; batch++) {
      await Promise.all(Array.from({ length: 10 }, one));
      if (batch % 10 === 9) await assertServing();
    }
    await assertServing();
    // The run reached the error paths it is meant to: protocol errors, bad UTF-8 and non-calls.
    expect(codes.get(1002) ?? 0).toBeGreaterThan(50);
    expect((codes.get(1007) ?? 0) + (codes.get(1008) ?? 0)).toBeGreaterThan(10);
  }, 120_000);
});

// ---- unauthorized clients ---------------------------------------------------

describe('browser host: refused before the upgrade', () => {
  it('a wrong or missing secret gets a plain 401 and no WebSocket, even with frames already sent', async () => {
    for (const secret of ['earlier-launch-secret-000000000', null, `${SECRET}x`, SECRET.slice(0, -1)]) {
      const raw = await rawUpgrade({ secret, after: frame({ opcode: 1, mask: false, rsv: 7, payload: Buffer.from('boom') }) });
      expect(raw.status).toBe(401);
      await raw.closed;
      // The body of the refusal, and no WebSocket frame after it.
      expect(raw.data().toString()).toBe('Unauthorized');
    }
    await assertServing();
  });

  it('a foreign Origin, a missing Origin or a rebinding Host get 403 even with the right secret', async () => {
    for (const opts of [{ origin: 'http://evil.example' }, { origin: null }, { origin: `http://127.0.0.1:${port + 1}` }, { host: `evil.example:${port}` }, { path: `/other?s=${SECRET}` }]) {
      const raw = await rawUpgrade(opts);
      expect(raw.status).toBe(403);
      await raw.closed;
    }
    await assertServing();
  });

  it('GET /ws-auth says whether a secret is this launch\'s, never what it is, and only to our own Host', async () => {
    const ask = (headers: Record<string, string>) => fetch(`${own()}/ws-auth`, { headers });
    const yes = await ask({ 'x-webcare-secret': SECRET });
    expect(yes.status).toBe(204);
    expect(await yes.text()).toBe('');
    expect(yes.headers.get('cache-control')).toBe('no-store');
    const stale = await ask({ 'x-webcare-secret': 'earlier-launch-secret-000000000' });
    expect(stale.status).toBe(401);
    expect(await stale.text()).not.toContain(SECRET);
    expect((await ask({})).status).toBe(401);
    expect((await ask({ 'x-webcare-secret': SECRET, origin: 'http://evil.example' })).status).toBe(403);
    // DNS rebinding: another name for 127.0.0.1 is turned away whatever it sends.
    const rebound = await new Promise<number>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(`GET /ws-auth HTTP/1.1\r\nHost: evil.example:${port}\r\nX-Webcare-Secret: ${SECRET}\r\nConnection: close\r\n\r\n`));
      let out = '';
      s.on('data', (d) => (out += d.toString()));
      s.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1])));
      s.on('error', reject);
    });
    expect(rebound).toBe(421);
  });

  it('malformed HTTP gets a 4xx answer and the host keeps serving', async () => {
    const send = (bytes: string) =>
      new Promise<string>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
        let out = '';
        s.on('data', (d) => (out += d.toString()));
        s.on('close', () => resolve(out));
        s.on('error', () => undefined);
      });
    expect(await send('NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await send(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431/);
    await assertServing();
  });
});

// ---- answers, not silence ---------------------------------------------------

describe('browser host: a frame that is not a valid call is answered', () => {
  async function client() {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?s=${SECRET}`, { origin: own() });
    const results = new Map<number, unknown>();
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (data) => {
      const f = JSON.parse(String(data));
      if (f.type === 'result') results.set(f.id, f.result);
    });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const result = async (id: number) => {
      const end = Date.now() + 5_000;
      while (!results.has(id)) {
        if (Date.now() > end) throw new Error(`no result for ${id}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return results.get(id);
    };
    return { ws, closed, result };
  }

  it('an invalid call with an id gets an invalidInput result for that id, and the socket stays usable', async () => {
    const c = await client();
    c.ws.send(JSON.stringify({ type: 'call', id: 7, command: 5, input: {} }));
    c.ws.send(JSON.stringify({ type: 'notacall', id: 8 }));
    c.ws.send(JSON.stringify({ type: 'call', id: 9, command: 'noSuchCommand', input: {} }));
    c.ws.send(JSON.stringify({ type: 'call', id: 10, command: 'getStatus', input: {} }));
    expect(await c.result(7)).toMatchObject({ ok: false, error: { kind: 'invalidInput', detail: expect.stringContaining('command') } });
    expect(await c.result(8)).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    expect(await c.result(9)).toEqual({ ok: false, error: { kind: 'invalidInput', detail: 'unknown command' } });
    expect(await c.result(10)).toMatchObject({ ok: true });
    c.ws.terminate();
  });

  it('malformed JSON closes the socket with 1007; JSON without a usable id with 1008', async () => {
    const a = await client();
    a.ws.send('{"type":"call","id":3,');
    expect(await a.closed).toBe(1007);
    for (const bad of ['null', '"call"', '{"type":"call","id":-1,"command":"getStatus"}', '{"type":"call","id":1.5}', '{"id":"7"}']) {
      const b = await client();
      b.ws.send(bad);
      expect(await b.closed).toBe(1008);
    }
    await assertServing();
  });
});

// ---- the sandbox's inspection API -------------------------------------------

describe('sandbox inspection API: only JSON, only from no or its own Origin', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ ratePerMinute: 0, seed: 3, historyPerChannel: 1 });
  });
  afterAll(async () => {
    await sb?.close();
  });

  const token = async () => {
    const r = await fetch(`${sb.url}/__sandbox/x/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return ((await r.json()) as { access_token: string }).access_token;
  };
  const works = async (t: string) => (await fetch(`${sb.url}/x/2/users/me`, { headers: { authorization: `Bearer ${t}` } })).status;

  it('a form POST and a foreign-Origin POST to /revoke are refused and nothing is revoked; the JSON call from Node still revokes', async () => {
    const t = await token();
    expect(await works(t)).toBe(200);
    const revoke = (headers: Record<string, string>, body: string) => fetch(`${sb.url}/__sandbox/revoke`, { method: 'POST', headers, body });
    const refusals = [
      await revoke({ 'content-type': 'application/x-www-form-urlencoded' }, 'platform=x'),
      await revoke({ 'content-type': 'text/plain' }, '{"platform":"x"}'),
      await revoke({ 'content-type': 'multipart/form-data; boundary=b' }, '--b\r\nContent-Disposition: form-data; name="platform"\r\n\r\nx\r\n--b--\r\n'),
      await revoke({ 'content-type': 'application/json', origin: 'http://evil.example' }, '{"platform":"x"}'),
      await revoke({ 'content-type': 'application/json', origin: 'null' }, '{"platform":"x"}'),
      await revoke({ 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' }, 'platform=x'),
    ];
    expect(refusals.map((r) => r.status)).toEqual([415, 415, 415, 403, 403, 403]);
    for (const r of refusals) {
      expect(r.headers.get('content-type')).toContain('application/json');
      expect(await r.json()).toMatchObject({ error: expect.any(String) });
    }
    expect(await works(t)).toBe(200);

    // A form with no fields still carries its content type; a GET from another page's fetch carries Origin.
    expect((await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await fetch(`${sb.url}/__sandbox/state`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);

    // Our own origin, Node without Origin, and a body-less POST are all fine.
    expect((await fetch(`${sb.url}/__sandbox/health`, { headers: { origin: sb.url } })).status).toBe(200);
    expect((await fetch(`${sb.url}/__sandbox/state`, { headers: { origin: sb.url.replace('127.0.0.1', 'localhost') } })).status).toBe(200);
    expect((await fetch(`${sb.url}/__sandbox/facebook/token`, { method: 'POST' })).status).toBe(200);
    const ok = await revoke({ 'content-type': 'application/json; charset=utf-8' }, '{"platform":"x"}');
    expect(ok.status).toBe(200);
    expect(await works(t)).toBe(401);
  });
});
