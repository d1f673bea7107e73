import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONTENT_SECURITY_POLICY } from '../../electron/csp';
import { isTrustedSender, registerIpc, type IpcMainLike } from '../../electron/ipc';
import { allowPermission, hardenContents, isAllowedNavigation, permissionCheckHandler, permissionRequestHandler, resolveAppUrl, type ContentsLike } from '../../electron/window';
import { safeExternalUrl } from '../../electron/host/safeUrl';
import { safeStorageCipher } from '../../electron/safeStorageCipher';
import { commandNames, ipcCommandChannel } from '../../shared/contract';

// `import 'electron'` throws outside Electron: the preload and the main process are tested with it mocked.
// Each import of main.ts gets a fresh fake (see loadMain); the getters read the current one.
const exposed: Record<string, unknown> = {};
const fake = vi.hoisted(() => ({ current: null as unknown as FakeElectron }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke: vi.fn(async (ch: string, input: unknown) => ({ ch, input })), on: vi.fn(), removeListener: vi.fn() },
  get app() {
    return fake.current.app;
  },
  get BrowserWindow() {
    return fake.current.BrowserWindow;
  },
  get ipcMain() {
    return fake.current.ipcMain;
  },
  get dialog() {
    return fake.current.dialog;
  },
  get net() {
    return fake.current.net;
  },
  get protocol() {
    return fake.current.protocol;
  },
  get safeStorage() {
    return fake.current.safeStorage;
  },
  get session() {
    return fake.current.session;
  },
  get shell() {
    return fake.current.shell;
  },
}));
// The app's data folder (main.ts takes its lock): a temporary one, not the user's.
const dataDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? '/tmp'}/webcare-shell-${process.pid}-${Math.random().toString(36).slice(2)}`;
  process.env.WEBCARE_DATA_DIR = dir;
  return dir;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// The host core is not what these tests are about: boot hands back a stand-in.
const booted = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../electron/bootstrap', () => ({
  boot: async () => {
    booted.count++;
    return { core: { onEvent: () => () => undefined, clientConnected: () => undefined, dispatch: async () => ({ ok: true, value: null }) }, stop: async () => undefined };
  },
}));

describe('the audited external opener', () => {
  it.each([
    ['https://www.polderpost.nl/track?c=1', 'https://www.polderpost.nl/track?c=1'],
    ['http://example.com/', null],
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    ['java\tscript:alert(1)', null],
    ['\u0001javascript:alert(1)', null],
    ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', null],
    ['file:///C:/Windows/System32/calc.exe', null],
    ['\\\\attacker.example\\share\\x.exe', null],
    ['smb://attacker.example/s', null],
    ['ms-msdt:/id PCWDiagnostic /skip force', null],
    ['search-ms:query=x', null],
    ['https://www.klm.com@evil.example/', null],
    ['https://google.com/search?q=\u202Egpj.exe', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(safeExternalUrl(input)).toBe(expected);
  });
});

describe('window hardening', () => {
  it('serves only files inside the renderer build over app://bundle', () => {
    const dir = '/opt/webcare/dist/renderer';
    expect(resolveAppUrl('app://bundle/index.html', dir)).toBe(`${dir}/index.html`);
    expect(resolveAppUrl('app://bundle/', dir)).toBe(`${dir}/index.html`);
    expect(resolveAppUrl('app://bundle/assets/a.js', dir)).toBe(`${dir}/assets/a.js`);
    // The URL parser already folds dot segments; whatever comes back stays inside the build.
    expect(resolveAppUrl('app://bundle/../../etc/passwd', dir)).toBe(`${dir}/etc/passwd`);
    for (const bad of ['app://bundle/%2e%2e%2f%2e%2e%2fetc/passwd', 'app://bundle/..%2f..%2f..%2fetc/passwd', 'app://bundle/..%5c..%5cwin.ini', 'app://bundle/a%00.js', 'app://other/index.html', 'file:///etc/passwd', 'not a url']) {
      expect(resolveAppUrl(bad, dir)).toBeNull();
    }
  });

  it('denies every navigation away from the bundle', () => {
    expect(isAllowedNavigation('app://bundle/index.html')).toBe(true);
    for (const url of ['https://evil.example', 'https://app.example.com.evil.example', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<h1>x', 'app://bundle.evil/']) {
      expect(isAllowedNavigation(url)).toBe(false);
    }
  });

  it('prevents navigation, webviews and windows; only https goes to the system browser', () => {
    const handlers = new Map<string, (e: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
    const contents = {
      on: (ev: string, fn: (e: { preventDefault(): void }, url?: string) => void) => handlers.set(ev, fn),
      setWindowOpenHandler: (fn: (d: { url: string }) => { action: 'deny' }) => (openHandler = fn),
    } as unknown as ContentsLike;
    const opened: string[] = [];
    hardenContents(contents, (u) => opened.push(u));
    for (const ev of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const e = { preventDefault: vi.fn() };
      handlers.get(ev)?.(e, 'https://evil.example/');
      expect(e.preventDefault).toHaveBeenCalled();
      const ours = { preventDefault: vi.fn() };
      handlers.get(ev)?.(ours, 'app://bundle/index.html');
      expect(ours.preventDefault).not.toHaveBeenCalled();
    }
    const wv = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')?.(wv);
    expect(wv.preventDefault).toHaveBeenCalled();
    expect(openHandler!({ url: 'https://www.polderpost.nl/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://www.polderpost.nl/']);
  });
});

describe('IPC', () => {
  it('accepts only our own top-level frame', () => {
    expect(isTrustedSender({ url: 'app://bundle/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://bundle/index.html', parent: {} })).toBe(false); // iframe
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: '::::', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false); // frame gone after navigation
  });

  it('registers one handler per contract command and checks the sender before dispatching', async () => {
    const handlers = new Map<string, (event: { senderFrame: { url: string; parent: unknown } | null }, ...args: unknown[]) => unknown>();
    const ipc: IpcMainLike = { handle: (ch, fn) => void handlers.set(ch, fn), removeHandler: (ch) => void handlers.delete(ch) };
    const dispatch = vi.fn(async () => ({ ok: true as const, value: 'done' }));
    const off = registerIpc(ipc, { dispatch });
    expect([...handlers.keys()].sort()).toEqual(commandNames.map(ipcCommandChannel).sort());
    const h = handlers.get(ipcCommandChannel('getStatus'))!;
    expect(await h({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})).toEqual({ ok: false, error: { kind: 'notAllowed' } });
    expect(dispatch).not.toHaveBeenCalled();
    expect(await h({ senderFrame: { url: 'app://bundle/index.html', parent: null } }, {})).toEqual({ ok: true, value: 'done' });
    expect(dispatch).toHaveBeenCalledWith('getStatus', {});
    off();
    expect(handlers.size).toBe(0);
  });

  it('the preload exposes exactly the contract methods and onEvent, never ipcRenderer', async () => {
    await import('../../electron/preload');
    const api = exposed.webcare as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...commandNames, 'onEvent'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
    expect(await (api.getStatus as (i: unknown) => Promise<unknown>)({})).toEqual({ ch: 'webcare:cmd:getStatus', input: {} });
  });
});

describe('token encryption backend', () => {
  const storage = (available: boolean, backend?: string) => ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend ?? 'gnome_libsecret',
    encryptString: (s: string) => Buffer.from(`enc(${s})`),
    decryptString: (b: Buffer) => b.toString().replace(/^enc\((.*)\)$/, '$1'),
  });
  it('uses the OS keychain when there is one', async () => {
    const c = safeStorageCipher(storage(true), 'linux');
    expect(c.kind).toBe('os');
    expect(await c.decrypt(await c.encrypt('secret'))).toBe('secret');
  });
  it('reports basic_text and no encryption as plaintext', () => {
    expect(safeStorageCipher(storage(true, 'basic_text'), 'linux').kind).toBe('plaintext');
    expect(safeStorageCipher(storage(false), 'darwin').kind).toBe('plaintext');
  });
});

/* ---- the main process, with Electron faked ------------------------------------------------ */

type Listener = (...args: unknown[]) => unknown;
interface FakeContents {
  handlers: Map<string, Listener>;
  openHandler: ((d: { url: string }) => { action: 'deny' }) | null;
  on(ev: string, fn: Listener): void;
  setWindowOpenHandler(fn: (d: { url: string }) => { action: 'deny' }): void;
  send(): void;
}
interface FakeWindow {
  options: { webPreferences: Record<string, unknown> };
  webContents: FakeContents;
  loaded: string[];
  restored: number;
  focused: number;
  minimized: boolean;
}
type FakeElectron = ReturnType<typeof fakeElectron>;

function fakeContents(): FakeContents {
  const c: FakeContents = {
    handlers: new Map(),
    openHandler: null,
    on: (ev, fn) => void c.handlers.set(ev, fn),
    setWindowOpenHandler: (fn) => void (c.openHandler = fn),
    send: () => undefined,
  };
  return c;
}

function fakeElectron(opts: { lock: boolean; locale?: string }) {
  const appOn = new Map<string, Listener>();
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const windows: FakeWindow[] = [];
  const calls = { quit: 0, whenReady: 0, enableSandbox: 0, lockRequests: 0, opened: [] as string[], errorBoxes: [] as string[] };
  const perms: { request?: Listener; check?: Listener; headers?: Listener } = {};
  const schemes: unknown[] = [];
  class BrowserWindow implements FakeWindow {
    webContents = fakeContents();
    loaded: string[] = [];
    restored = 0;
    focused = 0;
    minimized = true;
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      windows.push(this);
    }
    on() {}
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.restored++;
      this.minimized = false;
    }
    focus() {
      this.focused++;
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
  }
  return {
    calls,
    perms,
    schemes,
    windows,
    appOn,
    ready: () => ready(),
    app: {
      requestSingleInstanceLock: () => {
        calls.lockRequests++;
        return opts.lock;
      },
      quit: () => void calls.quit++,
      getLocale: () => opts.locale ?? 'en-US',
      enableSandbox: () => void calls.enableSandbox++,
      on: (ev: string, fn: Listener) => void appOn.set(ev, fn),
      whenReady: () => {
        calls.whenReady++;
        return whenReady;
      },
    },
    BrowserWindow,
    dialog: { showErrorBox: (_title: string, content: string) => void calls.errorBoxes.push(content) },
    ipcMain: { handle: () => undefined, removeHandler: () => undefined },
    net: { fetch: async () => new Response('') },
    protocol: { registerSchemesAsPrivileged: (s: unknown[]) => void schemes.push(...s), handle: () => undefined },
    safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text', encryptString: () => Buffer.from(''), decryptString: () => '' },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Listener) => void (perms.request = fn),
        setPermissionCheckHandler: (fn: Listener) => void (perms.check = fn),
        webRequest: { onHeadersReceived: (fn: Listener) => void (perms.headers = fn) },
      },
    },
    shell: { openExternal: async (url: string) => void calls.opened.push(url) },
  };
}

/** Runs main.ts afresh against a new fake Electron; with the lock, through app ready to the loaded window. */
async function loadMain(opts: { lock: boolean }): Promise<FakeElectron> {
  const e = fakeElectron(opts);
  fake.current = e;
  vi.resetModules();
  await import('../../electron/main');
  e.ready();
  if (opts.lock) await vi.waitFor(() => expect(e.windows[0]?.loaded).toEqual(['app://bundle/index.html']));
  else await new Promise((r) => setTimeout(r, 20));
  return e;
}

/** Every permission name Electron 45 knows (Session.setPermissionRequestHandler). */
const ALL_PERMISSIONS = [
  'ar', 'automatic-fullscreen', 'background-fetch', 'background-sync', 'captured-surface-control', 'clipboard-read', 'clipboard-sanitized-write',
  'deprecated-sync-clipboard-read', 'display-capture', 'fileSystem', 'fullscreen', 'geolocation', 'geolocation-approximate', 'hand-tracking', 'hid',
  'idle-detection', 'keyboardLock', 'local-fonts', 'local-network', 'local-network-access', 'loopback-network', 'media', 'mediaKeySystem', 'midi',
  'midiSysex', 'nfc', 'notifications', 'openExternal', 'payment-handler', 'periodic-background-sync', 'persistent-storage', 'pointerLock',
  'screen-wake-lock', 'sensors', 'serial', 'smart-card', 'speaker-selection', 'storage-access', 'system-wake-lock', 'top-level-storage-access',
  'usb', 'vr', 'web-app-installation', 'web-printing', 'window-management', 'unknown',
];
const FOREIGN = ['https://evil.example/', 'http://127.0.0.1:5173/', 'file:///opt/webcare/dist/renderer/index.html', 'app://bundle.evil/', 'app://other/', 'null', '', 'data:text/html,x'];

describe('permissions', () => {
  it('grants notifications to our own page only, and nothing else to anyone', () => {
    expect(allowPermission('notifications', 'app://bundle/index.html', true)).toBe(true);
    expect(allowPermission('notifications', 'app://bundle', true)).toBe(true);
    expect(allowPermission('notifications', 'app://bundle/index.html', false)).toBe(false); // a subframe
    for (const p of ALL_PERMISSIONS.filter((x) => x !== 'notifications')) expect(allowPermission(p, 'app://bundle/index.html', true)).toBe(false);
    for (const o of FOREIGN) expect(allowPermission('notifications', o, true)).toBe(false);
  });

  it('the request and check handlers follow it', () => {
    const ask = (permission: string, requestingUrl: string, isMainFrame = true) => {
      let granted: boolean | undefined;
      permissionRequestHandler(null, permission, (g) => (granted = g), { requestingUrl, isMainFrame });
      return granted;
    };
    expect(ask('notifications', 'app://bundle/index.html')).toBe(true);
    expect(ask('notifications', 'app://bundle/index.html', false)).toBe(false);
    for (const o of FOREIGN) expect(ask('notifications', o)).toBe(false);
    for (const p of ALL_PERMISSIONS.filter((x) => x !== 'notifications')) expect(ask(p, 'app://bundle/index.html')).toBe(false);
    let missing: boolean | undefined;
    permissionRequestHandler(null, 'notifications', (g) => (missing = g));
    expect(missing).toBe(false);

    expect(permissionCheckHandler(null, 'notifications', 'app://bundle', { isMainFrame: true, requestingUrl: 'app://bundle/index.html' })).toBe(true);
    expect(permissionCheckHandler(null, 'notifications', 'app://bundle', { isMainFrame: true })).toBe(true);
    expect(permissionCheckHandler(null, 'notifications', 'app://bundle', { isMainFrame: false })).toBe(false);
    expect(permissionCheckHandler(null, 'notifications', 'app://bundle', { isMainFrame: true, requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(permissionCheckHandler(null, 'notifications', 'app://bundle', { isMainFrame: true, embeddingOrigin: 'https://evil.example' })).toBe(false);
    for (const o of FOREIGN) expect(permissionCheckHandler(null, 'notifications', o, { isMainFrame: true })).toBe(false);
    for (const p of ALL_PERMISSIONS.filter((x) => x !== 'notifications')) expect(permissionCheckHandler(null, p, 'app://bundle', { isMainFrame: true })).toBe(false);
  });
});

describe('the Content-Security-Policy', () => {
  const directives = (policy: string) => new Map(policy.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0] as string, d.split(/\s+/).slice(1).join(' ')]));

  it('allows only our own scripts, styles and connections; no eval, no inline, no frames, no plugins', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(Object.fromEntries(d)).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' https: data:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-src': "'none'",
      'frame-ancestors': "'none'",
      'object-src': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|blob:/);
  });

  it('the meta tag in index.html is the same policy (frame-ancestors is ignored in a meta tag, so it is only in the header)', async () => {
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];
    expect(meta).toBeDefined();
    const header = directives(CONTENT_SECURITY_POLICY);
    header.delete('frame-ancestors');
    expect(Object.fromEntries(directives(meta as string))).toEqual(Object.fromEntries(header));
  });
});

describe('packaging fuses', () => {
  it('electron-builder.yml turns off run-as-node, NODE_OPTIONS and inspect flags, and checks the asar', async () => {
    const cfg = parseYaml(await readFile(new URL('../../build/electron-builder.yml', import.meta.url), 'utf8')) as Record<string, unknown>;
    expect(cfg.asar).toBe(true);
    expect(cfg.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(cfg.files).toContain('!dist-electron/**/*.map');
  });
});

describe('the main process (Electron faked)', () => {
  beforeEach(() => {
    booted.count = 0;
  });

  it('opens one sandboxed, isolated window without Node on app://bundle', async () => {
    const e = await loadMain({ lock: true });
    expect(e.calls.enableSandbox).toBe(1);
    expect(e.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(e.windows).toHaveLength(1);
    const prefs = e.windows[0]?.options.webPreferences as Record<string, unknown>;
    expect(String(prefs.preload)).toMatch(/dist-electron[/\\]preload[/\\]preload\.cjs$/);
    expect({ ...prefs, preload: undefined }).toEqual({
      preload: undefined,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('installs the permission handlers: notifications for our page, nothing else', async () => {
    const e = await loadMain({ lock: true });
    const { request, check } = e.perms;
    if (!request || !check) throw new Error('permission handlers not installed');
    const ask = (permission: string, requestingUrl: string) => {
      let granted: unknown;
      request(null, permission, (g: boolean) => (granted = g), { requestingUrl, isMainFrame: true });
      return granted;
    };
    expect(ask('notifications', 'app://bundle/index.html')).toBe(true);
    expect(check(null, 'notifications', 'app://bundle', { isMainFrame: true, requestingUrl: 'app://bundle/index.html' })).toBe(true);
    for (const o of FOREIGN) {
      expect(ask('notifications', o)).toBe(false);
      expect(check(null, 'notifications', o, { isMainFrame: true })).toBe(false);
    }
    for (const p of ALL_PERMISSIONS.filter((x) => x !== 'notifications')) {
      expect(ask(p, 'app://bundle/index.html')).toBe(false);
      expect(check(null, p, 'app://bundle', { isMainFrame: true })).toBe(false);
    }
  });

  it('adds the CSP header to every response, keeping the others', async () => {
    const e = await loadMain({ lock: true });
    let out: { responseHeaders: Record<string, string[]> } | undefined;
    e.perms.headers?.({ responseHeaders: { 'X-Other': ['1'] } }, (r: { responseHeaders: Record<string, string[]> }) => (out = r));
    expect(out).toEqual({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  it('the window cannot navigate away, open windows or attach webviews; https links go to the system browser', async () => {
    const e = await loadMain({ lock: true });
    const c = e.windows[0]?.webContents as FakeContents;
    for (const ev of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = { preventDefault: vi.fn() };
      c.handlers.get(ev)?.(away, 'https://evil.example/');
      expect(away.preventDefault).toHaveBeenCalled();
    }
    expect(c.openHandler?.({ url: 'https://www.polderpost.nl/' })).toEqual({ action: 'deny' });
    expect(c.openHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(e.calls.opened).toEqual(['https://www.polderpost.nl/']);
    // Any web contents created later (a devtools or a guest) refuses webviews too.
    const later = fakeContents();
    e.appOn.get('web-contents-created')?.({}, later);
    const wv = { preventDefault: vi.fn() };
    later.handlers.get('will-attach-webview')?.(wv);
    expect(wv.preventDefault).toHaveBeenCalled();
  });
});

describe('one instance at a time', () => {
  beforeEach(() => {
    booted.count = 0;
  });

  it('a second launch quits before it starts a host or a window', async () => {
    const e = await loadMain({ lock: false });
    expect(e.calls.lockRequests).toBe(1);
    expect(e.calls.quit).toBe(1);
    expect(booted.count).toBe(0);
    expect(e.windows).toHaveLength(0);
    expect(e.calls.whenReady).toBe(0);
    expect(e.appOn.has('second-instance')).toBe(false);
  });

  it('a browser host on the same data folder: the app says so in the OS language and quits before it starts a host or a window', async () => {
    // Another live process (the test runner's parent) holds the folder, as `npm start` without Electron would.
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'host.lock'), String(process.ppid));
    try {
      const e = fakeElectron({ lock: true, locale: 'nl-NL' });
      fake.current = e;
      vi.resetModules();
      await import('../../electron/main');
      e.ready();
      await vi.waitFor(() => expect(e.calls.quit).toBe(1));
      expect(e.calls.errorBoxes).toEqual([expect.stringContaining(`Een andere console (proces ${process.ppid}) gebruikt deze gegevensmap`)]);
      expect(booted.count).toBe(0);
      expect(e.windows).toHaveLength(0);
      // Not taken over: still the other process's.
      expect(readFileSync(path.join(dataDir, 'host.lock'), 'utf8')).toBe(String(process.ppid));
    } finally {
      rmSync(path.join(dataDir, 'host.lock'), { force: true });
    }
  });

  it('the first instance, told of a second launch, brings its window to the front', async () => {
    const e = await loadMain({ lock: true });
    expect(e.calls.lockRequests).toBe(1);
    expect(e.calls.quit).toBe(0);
    expect(booted.count).toBe(1);
    const w = e.windows[0] as FakeWindow;
    e.appOn.get('second-instance')?.({}, ['webcare'], '/');
    expect(w.restored).toBe(1);
    expect(w.focused).toBe(1);
    e.appOn.get('second-instance')?.({}, ['webcare'], '/');
    expect(w.restored).toBe(1); // no longer minimised
    expect(w.focused).toBe(2);
  });
});
