import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { safeExternalUrl } from '../../electron/host/safeUrl';
import { HostCore } from '../../electron/host/hostCore';
import { plaintextCipher } from '../../electron/host/vault';
import { isTrustedSender, registerIpc, type IpcMainLike, type SenderFrame } from '../../electron/ipc';
import { buildBridge } from '../../electron/preload';
import { commandNames, commands, eventNames, IPC_EVENT_CHANNEL, ipcCommandChannel, type CommandName } from '../../shared/contract';

// preload.ts calls contextBridge when imported; outside Electron that module is a stand-in.
vi.mock('electron', () => ({ contextBridge: { exposeInMainWorld: () => undefined }, ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined } }));

/**
 * Forged IPC, as a compromised or foreign page would send it, stays refused:
 * any frame that is not our own top-level page, any channel the contract does
 * not name, any payload its schema does not accept. And the one opener of the
 * system browser lets only plain https through.
 */

type Handler = (event: { senderFrame: SenderFrame | null }, ...args: unknown[]) => unknown;

function wire(dispatch: (name: CommandName, input: unknown) => Promise<unknown>) {
  const handlers = new Map<string, Handler>();
  const ipc: IpcMainLike = { handle: (ch, fn) => void handlers.set(ch, fn), removeHandler: (ch) => void handlers.delete(ch) };
  registerIpc(ipc, { dispatch: dispatch as never });
  return handlers;
}

const NOT_ALLOWED = { ok: false, error: { kind: 'notAllowed' } };
const commandArb = fc.constantFrom(...commandNames);

/** Hosts that are not ours, some of them chosen to look like it. */
const foreignHost = fc.oneof(
  fc.domain(),
  fc.constantFrom('bundle.evil', 'evil.bundle', 'bundlex', 'xbundle', 'bundle-', 'bundle.', 'b%75ndle', 'localhost', '127.0.0.1', '[::1]', 'bundle:80', 'bundle:0'),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }).filter((h) => !/^bundle$/i.test(h)),
);
const suffix = fc.oneof(fc.constant(''), fc.webPath(), fc.webPath().map((p) => `${p}?${'x=1'}`), fc.webFragments().map((f) => `/#${f}`));

const hostChars = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.-'.split('')), maxLength: 8 });
/** Our scheme on a host that contains ours: app://xbundle, app://bundle.evil, app://my-bundle-2. */
const lookAlikeApp = fc
  .tuple(hostChars, hostChars, suffix)
  .filter(([a, b]) => a.length + b.length > 0)
  .map(([a, b, p]) => `app://${a}bundle${b}${p}`);

/** Frame URLs that are never our bundle: other schemes, other hosts, not URLs at all. */
const foreignUrl = fc.oneof(
  lookAlikeApp,
  foreignHost.map((h) => `app://${h}/index.html`),
  fc.webUrl({ withQueryParameters: true, withFragments: true, authoritySettings: { withIPv4: true, withIPv6: true, withPort: true, withUserInfo: true } }),
  fc.tuple(fc.constantFrom('https', 'http', 'file', 'ws', 'wss', 'ftp', 'chrome', 'devtools', 'chrome-extension', 'blob', 'filesystem', 'app'), foreignHost, suffix).map(([s, h, p]) => `${s}://${h}${p}`),
  fc.tuple(fc.constantFrom('javascript:', 'data:text/html,', 'about:', 'blob:null/', 'app:', 'app:/', 'app:bundle/'), fc.string({ maxLength: 40 })).map(([s, r]) => s + r),
  fc.string({ maxLength: 60 }).filter((s) => !s.includes(':')),
  fc.constantFrom('', 'about:blank', 'about:srcdoc', 'null', 'app://', 'app:///index.html', 'file:///opt/webcare/dist/renderer/index.html', 'blob:app://bundle/1c4e'),
);

const ownUrl = suffix.map((p) => `app://bundle${p}`);
const anyParent = fc.oneof(fc.constant({}), fc.constant(undefined), fc.object(), fc.string(), fc.integer(), fc.constant(false));

/** Payloads of every kind, including prototype-pollution shapes. */
const payload = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true, maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'url', 'text', 'accountId', 'storeId', 'batchId'), fc.anything({ maxDepth: 2 })),
  fc.constantFrom(undefined, null, '', 0, -0, NaN, Infinity, [], Object.create(null), JSON.parse('{"__proto__":{"polluted":true}}')),
);

describe('IPC from a forged sender', () => {
  it('a frame on any other URL is refused before the host sees it', async () => {
    const dispatch = vi.fn(async () => ({ ok: true, value: 'ran' }));
    const handlers = wire(dispatch);
    await fc.assert(
      fc.asyncProperty(commandArb, foreignUrl, fc.oneof(fc.constant(null), anyParent), payload, async (name, url, parent, input) => {
        const frame = { url, parent: parent === undefined ? null : parent };
        expect(isTrustedSender(frame)).toBe(false);
        expect(await handlers.get(ipcCommandChannel(name))?.({ senderFrame: frame }, input)).toEqual(NOT_ALLOWED);
      }),
      { numRuns: 2000 },
    );
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('our own page inside a frame, or a frame already gone, is refused too', async () => {
    const dispatch = vi.fn(async () => ({ ok: true, value: 'ran' }));
    const handlers = wire(dispatch);
    await fc.assert(
      fc.asyncProperty(commandArb, ownUrl, anyParent.filter((p) => p !== null && p !== undefined), payload, async (name, url, parent, input) => {
        expect(await handlers.get(ipcCommandChannel(name))?.({ senderFrame: { url, parent } }, input)).toEqual(NOT_ALLOWED);
        expect(await handlers.get(ipcCommandChannel(name))?.({ senderFrame: null }, input)).toEqual(NOT_ALLOWED);
      }),
      { numRuns: 500 },
    );
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('our own top-level page gets through, with its input untouched (the host validates it)', async () => {
    const dispatch = vi.fn(async () => ({ ok: true, value: 'ran' }));
    const handlers = wire(dispatch);
    await fc.assert(
      fc.asyncProperty(commandArb, ownUrl, payload, async (name, url, input) => {
        dispatch.mockClear();
        expect(await handlers.get(ipcCommandChannel(name))?.({ senderFrame: { url, parent: null } }, input)).toEqual({ ok: true, value: 'ran' });
        expect(dispatch).toHaveBeenCalledTimes(1);
        expect(dispatch.mock.calls[0]).toEqual([name, input]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('IPC on channels the contract does not name', () => {
  const channels = new Set(commandNames.map(ipcCommandChannel));
  const nearMiss = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ maxLength: 30 }).map((s) => `webcare:cmd:${s}`),
    commandArb.map((n) => `webcare:cmd:${n.toUpperCase()}`),
    commandArb.map((n) => `webcare:cmd:${n} `),
    commandArb.map((n) => ` webcare:cmd:${n}`),
    commandArb.map((n) => `webcare:cmd:${n}\u0000`),
    commandArb.map((n) => `webcare:${n}`),
    fc.constantFrom('webcare:cmd:__proto__', 'webcare:cmd:constructor', 'webcare:cmd:toString', 'webcare:cmd:hasOwnProperty', 'webcare:cmd:', IPC_EVENT_CHANNEL, '__proto__'),
  );

  it('have no handler: Electron answers an invoke on them with an error, and the host never runs', () => {
    const dispatch = vi.fn(async () => ({ ok: true, value: 'ran' }));
    const handlers = wire(dispatch);
    expect(new Set(handlers.keys())).toEqual(channels);
    fc.assert(
      fc.property(nearMiss.filter((c) => !channels.has(c)), (channel) => {
        expect(handlers.has(channel)).toBe(false);
      }),
      { numRuns: 2000 },
    );
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('a command name the contract does not have is refused by the host as well', async () => {
    const core = new HostCore({ config: { dataDir: await mkdtemp(path.join(os.tmpdir(), 'webcare-forge-')), graphVersion: 'v25.0', xCallbackPorts: [0] }, cipher: plaintextCipher, shell: 'electron', log: () => undefined });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'run', 'dispatch', 'status')).filter((n) => !(commandNames as string[]).includes(n)),
        payload,
        async (name, input) => {
          expect(await core.dispatch(name, input)).toEqual({ ok: false, error: { kind: 'invalidInput', detail: 'unknown command' } });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('an event the contract does not name never reaches the page', () => {
    const listeners: ((e: unknown, msg: unknown) => void)[] = [];
    const bridge = buildBridge({ invoke: async () => undefined, on: (_ch: string, fn: (e: unknown, msg: unknown) => void) => listeners.push(fn), removeListener: () => undefined } as never);
    const got: unknown[] = [];
    (bridge.onEvent as (fn: (ev: string, p: unknown) => void) => void)((ev, p) => got.push([ev, p]));
    fc.assert(
      fc.property(
        fc.oneof(payload, fc.record({ event: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'MESSAGESARRIVED', 'messagesArrived ')), payload })),
        (msg) => {
          const named = typeof msg === 'object' && msg !== null && (eventNames as unknown[]).includes((msg as { event?: unknown }).event);
          fc.pre(!named);
          for (const l of listeners) l({}, msg);
        },
      ),
      { numRuns: 1000 },
    );
    expect(got).toEqual([]);
  });
});

describe('IPC payloads from our own page', () => {
  let core: HostCore;
  const opened: string[] = [];
  beforeAll(async () => {
    core = new HostCore({
      config: { dataDir: await mkdtemp(path.join(os.tmpdir(), 'webcare-forge-')), graphVersion: 'v25.0', xCallbackPorts: [0] },
      cipher: plaintextCipher,
      shell: 'electron',
      openExternal: async (url) => void opened.push(url),
      log: () => undefined,
    });
  });

  it('any input the command schema refuses is answered invalidInput and the command never runs', async () => {
    const run = vi.spyOn(core as unknown as { run: (...a: unknown[]) => unknown }, 'run');
    const handlers = wire((name, input) => core.dispatch(name, input));
    await fc.assert(
      fc.asyncProperty(commandArb, payload, async (name, input) => {
        run.mockClear();
        const accepted = commands[name].input.safeParse(input ?? {}).success;
        fc.pre(!accepted);
        const res = (await handlers.get(ipcCommandChannel(name))?.({ senderFrame: { url: 'app://bundle/index.html', parent: null } }, input)) as { ok: boolean; error?: { kind: string } };
        expect(res.ok).toBe(false);
        expect(res.error?.kind).toBe('invalidInput');
        expect(run).not.toHaveBeenCalled();
      }),
      { numRuns: 2000 },
    );
    expect(opened).toEqual([]);
  });

  it('openExternal opens only what the audited opener lets through, exactly as it serialised it', async () => {
    const handlers = wire((name, input) => core.dispatch(name, input));
    const h = handlers.get(ipcCommandChannel('openExternal')) as Handler;
    await fc.assert(
      fc.asyncProperty(hostileUrl, async (url) => {
        opened.length = 0;
        const res = (await h({ senderFrame: { url: 'app://bundle/index.html', parent: null } }, { url })) as { ok: boolean; error?: { kind: string } };
        const safe = safeExternalUrl(url);
        if (safe === null) {
          // Over 4,096 characters the schema refuses it first; otherwise the opener does.
          expect(res.ok).toBe(false);
          expect(res.error?.kind).toBe(url.length > 4096 ? 'invalidInput' : 'notAllowed');
          expect(opened).toEqual([]);
        } else {
          expect(res).toEqual({ ok: true, value: {} });
          expect(opened).toEqual([safe]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

/* ---- the audited opener ------------------------------------------------------------------- */

const controlChar = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f)).map((c) => String.fromCharCode(c));
const bidiChar = fc.constantFrom('\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069');
const insertAt = (s: string, ins: string, at: number) => s.slice(0, at % (s.length + 1)) + ins + s.slice(at % (s.length + 1));
const httpsUrl = fc.webUrl({ validSchemes: ['https'], withQueryParameters: true, withFragments: true, authoritySettings: { withIPv4: true, withIPv6: true, withPort: true } });

/** Everything a message, a profile or a forged call might hand the opener. */
const hostileUrl = fc.oneof(
  fc.webUrl({ validSchemes: ['https', 'http', 'ftp', 'ws', 'wss', 'file'], withQueryParameters: true, withFragments: true, authoritySettings: { withIPv4: true, withIPv6: true, withPort: true, withUserInfo: true } }),
  fc.tuple(fc.mixedCase(fc.constantFrom('javascript:', 'vbscript:', 'data:', 'file:', 'http:', 'smb:', 'ms-msdt:', 'search-ms:', 'mailto:', 'blob:', 'app:', 'chrome:', 'about:')), fc.string({ maxLength: 40 })).map(
    ([s, r]) => s + r,
  ),
  fc.tuple(httpsUrl, fc.nat(), fc.oneof(controlChar, bidiChar)).map(([u, at, c]) => insertAt(u, c, at)),
  fc.tuple(httpsUrl, fc.domain(), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }).filter((s) => !/[/?#@\\]/.test(s))).map(([u, d, user]) => u.replace('https://', () => `https://${user}@${d}`)),
  fc.tuple(fc.constantFrom('https://www.klm.com@evil.example/', 'https://user:pass@example.com/', 'https://:@example.com/', 'https://a@b@c/'), fc.webPath()).map(([u, p]) => u + p),
  // Look-alike hosts: Cyrillic and Greek letters, full-width and compatibility forms, mixed scripts.
  fc.tuple(fc.constantFrom('аpple.com', 'pаypal.com', 'ᴘolderpost.nl', 'ｐolderpost.nl', 'polderpost.nl\u3002evil.example', 'xn--pple-43d.com', 'ρolderpost.nl', 'polderpost\uff0enl', 'ⓟolderpost.nl'), fc.webPath()).map(([h, p]) => `https://${h}${p}`),
  fc.tuple(fc.constantFrom('https:', 'https:/', 'https:\\\\', 'https:\\/', ' https://', 'https://\t', '\\\\', '//', 'HTTPS://', 'hTtPs://'), fc.domain(), fc.webPath()).map(([s, d, p]) => s + d + p),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }).map((s) => `https://${s}`),
  fc.integer({ min: 4000, max: 5000 }).map((n) => `https://example.com/${'a'.repeat(n)}`),
);

describe('safeExternalUrl with random and hostile URLs', () => {
  it('lets through only https without user info, control or bidi characters; what passes is a fixed point, printable ASCII', () => {
    fc.assert(
      fc.property(hostileUrl, (raw) => {
        const safe = safeExternalUrl(raw);
        if (safe === null) return;
        const u = new URL(safe);
        expect(u.protocol).toBe('https:');
        expect(u.username).toBe('');
        expect(u.password).toBe('');
        expect(u.hostname).not.toBe('');
        // Re-serialising gives the same string, and feeding it back changes nothing.
        expect(u.toString()).toBe(safe);
        expect(safeExternalUrl(safe)).toBe(safe);
        // No invisible or look-alike characters survive: non-ASCII hosts come out in punycode, the rest percent-encoded.
        expect(safe).toMatch(/^[\x21-\x7e]+$/);
        // And the input itself had none of what is refused outright.
        // eslint-disable-next-line no-control-regex -- the characters refused are the point
        expect(raw).not.toMatch(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
        expect(raw.length).toBeLessThanOrEqual(4096);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses every scheme but https, any user info, and control or bidi characters anywhere', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(fc.mixedCase(fc.constantFrom('javascript:', 'vbscript:', 'data:', 'file:', 'http:', 'ftp:', 'smb:', 'ms-msdt:', 'blob:', 'app:', 'about:')), fc.string({ maxLength: 40 })).map(([s, r]) => s + r),
          fc.webUrl({ validSchemes: ['http', 'ftp', 'file', 'ws'] }),
          fc.tuple(httpsUrl, fc.nat(), fc.oneof(controlChar, bidiChar)).map(([u, at, c]) => insertAt(u, c, at)),
          fc.tuple(httpsUrl, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }).filter((s) => !/[/?#@\\:]/.test(s))).map(([u, user]) => u.replace('https://', () => `https://${user}@`)),
          fc.integer({ min: 4097 - 20, max: 6000 }).map((n) => `https://example.com/${'a'.repeat(n)}`),
        ),
        (raw) => {
          expect(safeExternalUrl(raw)).toBeNull();
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('every plain https URL without user info passes', () => {
    fc.assert(
      fc.property(httpsUrl, (raw) => {
        const safe = safeExternalUrl(raw);
        expect(safe).not.toBeNull();
        expect(new URL(safe as string).toString()).toBe(safe);
      }),
      { numRuns: 2000 },
    );
  });

  it('look-alike hosts are shown for what they are: punycode, never the Unicode form', () => {
    for (const host of ['аpple.com', 'pаypal.com', 'ρolderpost.nl']) {
      const safe = safeExternalUrl(`https://${host}/`);
      expect(safe).toMatch(/^https:\/\/xn--[a-z0-9-]+\.[a-z]+\/$/);
    }
    // Full-width letters and dots are folded by the URL parser (IDNA mapping): the host really is that ASCII name.
    expect(safeExternalUrl('https://ｐolderpost\uff0enl/')).toBe('https://polderpost.nl/');
  });
});
