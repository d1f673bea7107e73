import {
  commands,
  events,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type EventName,
  type EventPayload,
  type ServerFrame,
} from '../../../shared/contract.js';

/**
 * The renderer's one way to reach the host. In Electron it wraps the preload's
 * named methods (`window.webcare`); in the browser host it speaks the same
 * contract over a WebSocket. Everything above this file is transport-blind.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'unauthorized';

export interface HostApi {
  call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandOutput<C>>;
  on<E extends EventName>(name: E, fn: (payload: EventPayload<E>) => void): () => void;
  onConnection(fn: (state: ConnectionState) => void): () => void;
  readonly connection: ConnectionState;
}

/** What preload.ts exposes through contextBridge. */
export type ElectronBridge = {
  [C in CommandName]: (input: CommandInput<C>) => Promise<unknown>;
} & { onEvent(fn: (event: string, payload: unknown) => void): () => void };

type Listener = (payload: unknown) => void;

class Emitter {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly connListeners = new Set<(s: ConnectionState) => void>();
  connection: ConnectionState = 'connecting';

  on(name: string, fn: Listener): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  emit(name: string, raw: unknown): void {
    if (!Object.hasOwn(events, name)) return;
    // The host is trusted, but a malformed frame must never reach the UI as if valid.
    const parsed = events[name as EventName].safeParse(raw);
    if (!parsed.success) {
      console.warn('dropped malformed event', name);
      return;
    }
    for (const fn of this.listeners.get(name) ?? []) fn(parsed.data);
  }

  onConnection(fn: (s: ConnectionState) => void): () => void {
    this.connListeners.add(fn);
    return () => this.connListeners.delete(fn);
  }

  setConnection(s: ConnectionState): void {
    if (this.connection === s) return;
    this.connection = s;
    for (const fn of this.connListeners) fn(s);
  }
}

function parseOutput<C extends CommandName>(name: C, raw: unknown): CommandOutput<C> {
  const parsed = commands[name].output.safeParse(raw);
  if (parsed.success) return parsed.data as CommandOutput<C>;
  return { ok: false, error: { kind: 'platform', detail: `malformed result for ${name}` } } as CommandOutput<C>;
}

function electronHost(bridge: ElectronBridge): HostApi {
  const em = new Emitter();
  em.setConnection('open');
  bridge.onEvent((event, payload) => em.emit(event, payload));
  return {
    get connection() {
      return em.connection;
    },
    async call(name, input) {
      const fn = bridge[name] as (i: unknown) => Promise<unknown>;
      return parseOutput(name, await fn(input));
    },
    on: (name, fn) => em.on(name, fn as Listener),
    onConnection: (fn) => em.onConnection(fn),
  };
}

/** The per-launch secret travels in the URL fragment, which no HTTP request carries. */
export function secretFromLocation(hash: string): string | null {
  const m = /(?:^#|&)s=([A-Za-z0-9_-]{16,})/.exec(hash);
  return m?.[1] ?? null;
}

function socketHost(url: string): HostApi {
  const em = new Emitter();
  let ws: WebSocket | null = null;
  let nextId = 1;
  let retry = 0;
  const pending = new Map<number, { name: CommandName; resolve: (v: unknown) => void }>();

  const failPending = () => {
    for (const [id, p] of pending) {
      p.resolve({ ok: false, error: { kind: 'offline' } });
      pending.delete(id);
    }
  };

  const connect = () => {
    em.setConnection('connecting');
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      retry = 0;
      em.setConnection('open');
    };
    sock.onmessage = (ev) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'result') {
        const p = pending.get(frame.id);
        if (!p) return;
        pending.delete(frame.id);
        p.resolve(parseOutput(p.name, frame.result));
      } else if (frame.type === 'event') {
        em.emit(frame.event, frame.payload);
      }
    };
    sock.onclose = (ev) => {
      ws = null;
      failPending();
      if (ev.code === 4401) {
        em.setConnection('unauthorized');
        return;
      }
      em.setConnection('closed');
      // The host restarts or the laptop sleeps: come back on our own, gently.
      const delay = Math.min(10_000, 250 * 2 ** retry++) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    get connection() {
      return em.connection;
    },
    call(name, input) {
      return new Promise((resolve) => {
        if (!ws || ws.readyState !== WebSocket.OPEN) {
          resolve({ ok: false, error: { kind: 'offline' } } as CommandOutput<typeof name>);
          return;
        }
        const id = nextId++;
        pending.set(id, { name, resolve: resolve as (v: unknown) => void });
        ws.send(JSON.stringify({ type: 'call', id, command: name, input }));
      });
    },
    on: (name, fn) => em.on(name, fn as Listener),
    onConnection: (fn) => em.onConnection(fn),
  };
}

let instance: HostApi | null = null;

/** The host for this window; null in the browser when the page was opened without its secret. */
export function getHost(): HostApi | null {
  if (instance) return instance;
  const bridge = (globalThis as { webcare?: ElectronBridge }).webcare;
  if (bridge) return (instance = electronHost(bridge));
  const secret = secretFromLocation(location.hash);
  if (!secret) return null;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return (instance = socketHost(`${proto}//${location.host}/ws?s=${secret}`));
}
