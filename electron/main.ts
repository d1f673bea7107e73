import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, shell } from 'electron';
import { IPC_EVENT_CHANNEL } from '../shared/contract.js';
import { boot, type Booted } from './bootstrap.js';
import { CLI_TEXT } from './cliText.js';
import { configFromEnv } from './host/config.js';
import { DataDirInUse, lockDataDir } from './host/dataDirLock.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { registerIpc } from './ipc.js';
import { safeStorageCipher } from './safeStorageCipher.js';
import { hardenContents, permissionCheckHandler, permissionRequestHandler, resolveAppUrl, windowWebPreferences } from './window.js';

/**
 * The Electron shell: windows and IPC wiring around the host core. Every
 * security decision it makes lives in a plain module (window.ts, ipc.ts) with
 * unit tests; this file only connects them to Electron.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const rendererDir = path.join(root, 'dist', 'renderer');
const preload = path.join(root, 'dist-electron', 'preload', 'preload.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

let booted: Booted | null = null;
let win: BrowserWindow | null = null;
let unlock: (() => Promise<void>) | null = null;

/**
 * One instance at a time: a second host on the same data folder would poll the
 * same accounts and write the same files. A second launch hands over to the
 * first (which comes to the front) and quits before it starts anything.
 */
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  start();
}

function start(): void {
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
  });

  app.whenReady().then(async () => {
    protocol.handle('app', (req) => {
      const file = resolveAppUrl(req.url, rendererDir);
      return file ? net.fetch(pathToFileURL(file).toString()) : new Response('not found', { status: 404 });
    });
    // Notifications for our own page (a column's bell); every other permission and origin is denied.
    session.defaultSession.setPermissionRequestHandler(permissionRequestHandler);
    session.defaultSession.setPermissionCheckHandler(permissionCheckHandler);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    });

    // The single-instance lock keeps out a second app; a browser host (`npm start` without
    // Electron) on the same data folder is kept out by the folder's own lock, which it takes too.
    try {
      unlock = await lockDataDir(configFromEnv(process.env).dataDir);
    } catch (e) {
      if (!(e instanceof DataDirInUse)) throw e;
      const text = CLI_TEXT[/^nl\b/i.test(app.getLocale()) ? 'nl' : 'en'];
      dialog.showErrorBox('Webcare', text.dataDirInUse(e.pid, e.file));
      app.quit();
      return;
    }
    booted = await boot({
      cipher: safeStorageCipher(safeStorage),
      shell: 'electron',
      openExternal: (url) => shell.openExternal(url),
      log: (l) => console.log(l),
    });
    const core = booted.core;
    registerIpc(ipcMain, core);

    const w = new BrowserWindow({
      width: 1440,
      height: 900,
      title: 'Webcare',
      webPreferences: windowWebPreferences(preload),
    });
    win = w;
    hardenContents(w.webContents, (url) => shell.openExternal(url));
    const unsubscribe = core.onEvent((event, payload) => {
      if (!w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, { event, payload });
    });
    w.webContents.on('did-finish-load', () => core.clientConnected());
    w.on('closed', () => {
      unsubscribe();
      win = null;
    });
    await w.loadURL('app://bundle/index.html');
  });

  app.on('window-all-closed', async () => {
    await booted?.stop();
    await unlock?.();
    app.quit();
  });
}
