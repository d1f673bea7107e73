import { describe, expect, it, vi } from 'vitest';
import { isTrustedSender, registerIpc, type IpcMainLike } from '../../electron/ipc';
import { hardenContents, isAllowedNavigation, resolveAppUrl, type ContentsLike } from '../../electron/window';
import { safeExternalUrl } from '../../electron/host/safeUrl';
import { safeStorageCipher } from '../../electron/safeStorageCipher';
import { commandNames, ipcCommandChannel } from '../../shared/contract';

// `import 'electron'` throws outside Electron: the preload is tested with it mocked.
const exposed: Record<string, unknown> = {};
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke: vi.fn(async (ch: string, input: unknown) => ({ ch, input })), on: vi.fn(), removeListener: vi.fn() },
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
