import {
  commands,
  events,
  type AppError,
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

/**
 * Over Electron's IPC, as over the socket, a call answers within its time, and a call the main
 * process could not answer (its handler threw, the process is going away) answers as one that
 * got no answer: the caller gets a result it knows, never a rejection or a wait without end.
 */
export function electronHost(bridge: ElectronBridge, timeoutOf: (name: CommandName) => number = callTimeoutMs): HostApi {
  const em = new Emitter();
  em.setConnection('open');
  bridge.onEvent((event, payload) => em.emit(event, payload));
  return {
    get connection() {
      return em.connection;
    },
    async call(name, input) {
      const fn = bridge[name] as (i: unknown) => Promise<unknown>;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<CommandOutput<typeof name>>((resolve) => {
        timer = setTimeout(() => resolve(timedOut(name) as CommandOutput<typeof name>), timeoutOf(name));
      });
      const answered = Promise.resolve()
        .then(() => fn(input))
        .then(
          (raw) => parseOutput(name, raw),
          (e: unknown) => {
            console.warn(`host call ${name} failed`, e);
            return timedOut(name) as CommandOutput<typeof name>;
          },
        );
      try {
        return await Promise.race([answered, late]);
      } finally {
        clearTimeout(timer);
      }
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

/** How long a call over the socket may go unanswered. */
export const CALL_TIMEOUT_MS = 30_000;

/**
 * Commands that wait on a platform (several requests of up to 20 s each, an
 * image upload, the X sign-in's browser hand-off) get longer; a reply with
 * four images makes a dozen requests.
 */
const LONG_CALLS: Partial<Record<CommandName, number>> = {
  sendReply: 5 * 60_000,
  connectX: 2 * 60_000,
  listFacebookPages: 2 * 60_000,
  connectFacebookPages: 2 * 60_000,
  startFacebookSignIn: 2 * 60_000,
  connectFacebookSignIn: 2 * 60_000,
  moderate: 2 * 60_000,
  saveXSearch: 2 * 60_000,
  removeXSearch: 2 * 60_000,
  removeAccount: 2 * 60_000,
};

export function callTimeoutMs(name: CommandName): number {
  return LONG_CALLS[name] ?? CALL_TIMEOUT_MS;
}

/**
 * What a call that got no answer in time resolves to. A reply may have gone
 * out meanwhile, which is not the same as offline: the outbox then looks
 * before it sends again.
 */
function timedOut(name: CommandName): { ok: false; error: AppError } {
  return { ok: false, error: name === 'sendReply' ? { kind: 'sendUnknown' } : { kind: 'offline' } };
}

/** The browser's WebSocket, as far as this client uses it (a test passes a fake). */
export interface SocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface SocketHostOptions {
  secret: string;
  /** The WebSocket address for a secret. */
  url(secret: string): string;
  /**
   * Whether the host takes this secret: true, false (a link from an earlier
   * launch), or null when the host cannot be asked (it is away).
   */
  checkSecret(secret: string): Promise<boolean | null>;
  createSocket?: (url: string) => SocketLike;
  timeoutMs?: (name: CommandName) => number;
}

export type SocketHost = HostApi & {
  /** A new secret (the link of a new launch pasted into this tab): connect with it now. */
  useSecret(secret: string): void;
  /** Stops reconnecting and closes the socket (tests). */
  close(): void;
};

const OPEN = 1;

export function socketHost(opts: SocketHostOptions): SocketHost {
  const em = new Emitter();
  const createSocket = opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const timeoutOf = opts.timeoutMs ?? callTimeoutMs;
  let secret = opts.secret;
  let ws: SocketLike | null = null;
  let nextId = 1;
  let retry = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  // Each connect attempt has a number; what an older attempt learns later is ignored.
  let attempt = 0;
  const pending = new Map<number, { name: CommandName; resolve: (v: unknown) => void; timer: ReturnType<typeof setTimeout> }>();

  const settle = (id: number, value: unknown) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(value);
  };

  const failPending = () => {
    for (const id of [...pending.keys()]) settle(id, { ok: false, error: { kind: 'offline' } });
  };

  const scheduleRetry = (mine: number) => {
    // The host restarts or the laptop sleeps: come back on our own, gently.
    const delay = Math.min(10_000, 250 * 2 ** retry++) * (0.5 + Math.random() / 2);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (mine === attempt && !stopped) connect();
    }, delay);
  };

  const connect = () => {
    const mine = ++attempt;
    em.setConnection('connecting');
    let opened = false;
    const sock = createSocket(opts.url(secret));
    ws = sock;
    sock.onopen = () => {
      if (mine !== attempt) return;
      opened = true;
      retry = 0;
      em.setConnection('open');
    };
    sock.onmessage = (ev) => {
      if (mine !== attempt) return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame?.type === 'result') {
        const p = pending.get(frame.id);
        if (p) settle(frame.id, parseOutput(p.name, frame.result));
      } else if (frame?.type === 'event') {
        em.emit(frame.event, frame.payload);
      }
    };
    sock.onclose = () => {
      if (mine !== attempt) return;
      ws = null;
      failPending();
      if (stopped) return;
      if (opened) {
        em.setConnection('closed');
        scheduleRetry(mine);
        return;
      }
      // A connect that failed: the host is away, or it refused our secret (the
      // upgrade answered 401, which the WebSocket API does not show). Ask.
      const asked = secret;
      opts
        .checkSecret(asked)
        .catch(() => null)
        .then((valid) => {
          if (mine !== attempt || stopped) return;
          if (valid === false) {
            em.setConnection('unauthorized');
            return;
          }
          em.setConnection('closed');
          scheduleRetry(mine);
        });
    };
  };
  connect();

  return {
    get connection() {
      return em.connection;
    },
    call(name, input) {
      return new Promise((resolve) => {
        const sock = ws;
        if (!sock || sock.readyState !== OPEN) {
          resolve({ ok: false, error: { kind: 'offline' } } as CommandOutput<typeof name>);
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => settle(id, timedOut(name)), timeoutOf(name));
        pending.set(id, { name, resolve: resolve as (v: unknown) => void, timer });
        try {
          sock.send(JSON.stringify({ type: 'call', id, command: name, input }));
        } catch {
          settle(id, { ok: false, error: { kind: 'offline' } });
        }
      });
    },
    on: (name, fn) => em.on(name, fn as Listener),
    onConnection: (fn) => em.onConnection(fn),
    useSecret(next) {
      if (stopped || (next === secret && em.connection !== 'unauthorized')) return;
      secret = next;
      retry = 0;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const old = ws;
      ws = null;
      // Bumping the attempt first makes the old socket's close a no-op.
      connect();
      failPending();
      old?.close(1000, 'new secret');
    },
    close() {
      stopped = true;
      attempt++;
      if (retryTimer) clearTimeout(retryTimer);
      failPending();
      ws?.close(1000, 'closed');
      ws = null;
      em.setConnection('closed');
    },
  };
}

/** Asks the browser host whether a secret is this launch's (204) or not (401); null when it cannot be asked. */
async function checkSecretAtHost(secret: string): Promise<boolean | null> {
  try {
    const res = await fetch('/ws-auth', { headers: { 'X-Webcare-Secret': secret }, cache: 'no-store', credentials: 'omit' });
    return res.status === 204 ? true : res.status === 401 ? false : null;
  } catch {
    return null;
  }
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
  const host = socketHost({ secret, url: (s) => `${proto}//${location.host}/ws?s=${s}`, checkSecret: checkSecretAtHost });
  // After a restart the new link differs only in its fragment, and pasting it
  // does not reload the page: take the new secret from there.
  addEventListener('hashchange', () => {
    const next = secretFromLocation(location.hash);
    if (next) host.useSecret(next);
  });
  return (instance = host);
}
