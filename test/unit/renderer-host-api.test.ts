import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CALL_TIMEOUT_MS, callTimeoutMs, electronHost, socketHost, type ElectronBridge, type SocketHostOptions, type SocketLike } from '../../renderer/src/api/host';

/** A stand-in for the browser's WebSocket: the test opens, answers and drops it. */
class FakeSocket implements SocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  readonly sent: { type: string; id: number; command: string; input: unknown }[] = [];
  closedWith: number | null = null;

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1005) {
    this.closedWith = code;
    this.drop(code);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  /** The connection ends (the host went away, or the upgrade was refused: 1006 either way). */
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  message(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  static last(): FakeSocket {
    const s = FakeSocket.made.at(-1);
    if (!s) throw new Error('no socket made');
    return s;
  }
}

const SECRET = 'a'.repeat(32);
const NEW_SECRET = 'b'.repeat(32);

function make(over: Partial<SocketHostOptions> = {}) {
  const checked: string[] = [];
  const host = socketHost({
    secret: SECRET,
    url: (s) => `ws://127.0.0.1:1/ws?s=${s}`,
    checkSecret: async (s) => {
      checked.push(s);
      return true;
    },
    createSocket: (url) => new FakeSocket(url),
    ...over,
  });
  return { host, checked };
}

/** Settles a promise's state without waiting on it. */
function track<T>(p: Promise<T>) {
  const box: { done: boolean; value?: T } = { done: false };
  void p.then((v) => {
    box.done = true;
    box.value = v;
  });
  return box;
}

beforeEach(() => {
  FakeSocket.made = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('socket transport: calls', () => {
  it('a call the host never answers resolves as offline after its timeout, and a late answer is ignored', async () => {
    const { host } = make();
    FakeSocket.last().open();
    const call = track(host.call('getStatus', {}));
    expect(FakeSocket.last().sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(CALL_TIMEOUT_MS - 1);
    expect(call.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.done).toBe(true);
    expect(call.value).toEqual({ ok: false, error: { kind: 'offline' } });
    // The answer arriving after all changes nothing.
    const id = FakeSocket.last().sent[0]?.id;
    FakeSocket.last().message({ type: 'result', id, result: { ok: true, value: {} } });
    expect(call.value).toEqual({ ok: false, error: { kind: 'offline' } });
  });

  it('a reply waits longer, and its timeout says the send is unknown (it may have gone out), not offline', async () => {
    const { host } = make();
    FakeSocket.last().open();
    expect(callTimeoutMs('sendReply')).toBeGreaterThan(CALL_TIMEOUT_MS);
    const input = { clientId: '7c0f3a52-8d7e-4a38-9a0e-2d1f4f6b9c11', accountId: 'a', channel: 'x_mention' as const, conversationId: 'c', inReplyToId: 'm', text: 'hoi' };
    const call = track(host.call('sendReply', input));
    await vi.advanceTimersByTimeAsync(CALL_TIMEOUT_MS);
    expect(call.done).toBe(false);
    await vi.advanceTimersByTimeAsync(callTimeoutMs('sendReply') - CALL_TIMEOUT_MS);
    expect(call.value).toEqual({ ok: false, error: { kind: 'sendUnknown' } });
  });

  it('an answer in time is the result, and its timer is gone', async () => {
    const { host } = make();
    FakeSocket.last().open();
    const call = host.call('setPlaintextConsent', { allowed: false });
    const sent = FakeSocket.last().sent[0];
    expect(sent).toMatchObject({ type: 'call', command: 'setPlaintextConsent', input: { allowed: false } });
    FakeSocket.last().message('not json at all');
    FakeSocket.last().message({ type: 'result', id: sent?.id, result: { ok: true, value: {} } });
    expect(await call).toEqual({ ok: true, value: {} });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('calls out when the socket drops resolve as offline at once', async () => {
    const { host } = make();
    FakeSocket.last().open();
    const call = track(host.call('getStatus', {}));
    FakeSocket.last().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(call.value).toEqual({ ok: false, error: { kind: 'offline' } });
    expect(host.connection).toBe('closed');
    host.close();
  });
});

describe('Electron transport: calls', () => {
  /** The preload's bridge: each command answers as `answer` says. */
  function bridge(answer: (name: string) => Promise<unknown>): ElectronBridge {
    return new Proxy({} as ElectronBridge, {
      get: (_t, name: string) => (name === 'onEvent' ? () => () => {} : () => answer(name)),
    });
  }

  it('a call the main process never answers resolves as offline after its timeout; a reply as unknown after its own', async () => {
    const host = electronHost(bridge(() => new Promise(() => {})));
    const status = track(host.call('getStatus', {}));
    const input = { clientId: '7c0f3a52-8d7e-4a38-9a0e-2d1f4f6b9c11', accountId: 'a', channel: 'x_mention' as const, conversationId: 'c', inReplyToId: 'm', text: 'hoi' };
    const reply = track(host.call('sendReply', input));
    await vi.advanceTimersByTimeAsync(CALL_TIMEOUT_MS - 1);
    expect(status.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(status.value).toEqual({ ok: false, error: { kind: 'offline' } });
    expect(reply.done).toBe(false);
    await vi.advanceTimersByTimeAsync(callTimeoutMs('sendReply') - CALL_TIMEOUT_MS);
    expect(reply.value).toEqual({ ok: false, error: { kind: 'sendUnknown' } });
  });

  it('a call whose handler failed answers as one without an answer, not with a rejection', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const host = electronHost(bridge(() => Promise.reject(new Error("Error invoking remote method 'getStatus'"))));
    expect(await host.call('getStatus', {})).toEqual({ ok: false, error: { kind: 'offline' } });
    expect(warn).toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an answer in time is the result, checked, and its timer is gone', async () => {
    const host = electronHost(bridge(async () => ({ ok: true, value: {} })));
    expect(await host.call('setPlaintextConsent', { allowed: false })).toEqual({ ok: true, value: {} });
    expect(vi.getTimerCount()).toBe(0);
    const odd = electronHost(bridge(async () => ({ nonsense: 1 })));
    expect(await odd.call('setPlaintextConsent', { allowed: false })).toMatchObject({ ok: false, error: { kind: 'platform' } });
  });
});

describe('socket transport: a stale link', () => {
  it('a refused connect asks the host about the secret; "not this launch" means unauthorized and no more retries', async () => {
    const { host, checked } = make({
      checkSecret: async (s) => {
        checked.push(s);
        return false;
      },
    });
    FakeSocket.last().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(checked).toEqual([SECRET]);
    expect(host.connection).toBe('unauthorized');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.made).toHaveLength(1);
  });

  it('a host that cannot be asked is away: closed, and it tries again', async () => {
    const { host } = make({ checkSecret: async () => null });
    FakeSocket.last().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.connection).toBe('closed');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeSocket.made).toHaveLength(2);
    FakeSocket.last().open();
    expect(host.connection).toBe('open');
    host.close();
  });

  it('a new secret reconnects with it, and the stale state goes away', async () => {
    const valid = new Set([NEW_SECRET]);
    const { host } = make({ checkSecret: async (s) => valid.has(s) });
    FakeSocket.last().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.connection).toBe('unauthorized');
    host.useSecret(NEW_SECRET);
    expect(host.connection).toBe('connecting');
    expect(FakeSocket.last().url).toBe(`ws://127.0.0.1:1/ws?s=${NEW_SECRET}`);
    FakeSocket.last().open();
    expect(host.connection).toBe('open');
    host.close();
  });

  it('switching secrets on an open connection fails its calls and ignores the old socket from then on', async () => {
    const { host } = make();
    const old = FakeSocket.last();
    old.open();
    const call = track(host.call('getStatus', {}));
    host.useSecret(NEW_SECRET);
    await vi.advanceTimersByTimeAsync(0);
    expect(call.value).toEqual({ ok: false, error: { kind: 'offline' } });
    expect(old.closedWith).toBe(1000);
    expect(FakeSocket.made).toHaveLength(2);
    FakeSocket.last().open();
    expect(host.connection).toBe('open');
    host.close();
  });
});

describe('getHost in the browser', () => {
  it('a pasted link of a new launch (only the fragment changes) reconnects with its secret', async () => {
    vi.resetModules();
    const listeners = new Map<string, () => void>();
    const loc = { hash: `#s=${SECRET}`, host: '127.0.0.1:4321', protocol: 'http:' };
    vi.stubGlobal('location', loc);
    vi.stubGlobal('addEventListener', (type: string, fn: () => void) => listeners.set(type, fn));
    vi.stubGlobal(
      'WebSocket',
      class extends FakeSocket {
        static readonly OPEN = 1;
      },
    );
    vi.stubGlobal('fetch', async () => new Response(null, { status: 401 }));
    const { getHost } = await import('../../renderer/src/api/host');
    const host = getHost();
    expect(host).not.toBeNull();
    expect(FakeSocket.last().url).toBe(`ws://127.0.0.1:4321/ws?s=${SECRET}`);
    FakeSocket.last().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(host?.connection).toBe('unauthorized');

    loc.hash = `#s=${NEW_SECRET}`;
    listeners.get('hashchange')?.();
    expect(FakeSocket.last().url).toBe(`ws://127.0.0.1:4321/ws?s=${NEW_SECRET}`);
    FakeSocket.last().open();
    expect(host?.connection).toBe('open');
  });
});
