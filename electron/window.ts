import path from 'node:path';
import { safeExternalUrl } from './host/safeUrl.js';
import { APP_ORIGIN } from './ipc.js';

/**
 * Security decisions of the Electron shell as plain functions, so they are
 * unit-tested without the binary. They follow Electron's security checklist,
 * https://www.electronjs.org/docs/latest/tutorial/security.
 */

/** Maps app://bundle/<path> to a file inside the renderer build, or null (traversal, other hosts, NUL). */
export function resolveAppUrl(raw: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== APP_ORIGIN.protocol || url.host !== APP_ORIGIN.host) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  if (rel === '/' || rel === '') rel = '/index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${rel}`);
  return file.startsWith(root + path.sep) ? file : null;
}

/** The window may only ever show our own bundle. */
export function isAllowedNavigation(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === APP_ORIGIN.protocol && url.host === APP_ORIGIN.host;
  } catch {
    return false;
  }
}

/** Whether a URL or an origin (`app://bundle`) is our own bundle. */
export function isAppOrigin(raw: string | null | undefined): boolean {
  return typeof raw === 'string' && isAllowedNavigation(raw);
}

/**
 * The window's web preferences: an isolated, sandboxed renderer without Node,
 * with the web's own security on. The preload is the only bridge (preload.ts).
 */
export function windowWebPreferences(preload: string) {
  return {
    preload,
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
  } as const;
}

/** The only permission the renderer gets: desktop notifications, for a column's bell. */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

/** Granted only to our own page in its main frame; everything else, and every other origin, is denied. */
export function allowPermission(permission: string, origin: string | null | undefined, isMainFrame: boolean | undefined): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isMainFrame === true && isAppOrigin(origin);
}

/** For session.setPermissionRequestHandler (a page asks, e.g. Notification.requestPermission()). */
export function permissionRequestHandler(_contents: unknown, permission: string, callback: (granted: boolean) => void, details?: { requestingUrl?: string; isMainFrame?: boolean }): void {
  callback(allowPermission(permission, details?.requestingUrl, details?.isMainFrame));
}

/** For session.setPermissionCheckHandler (a page checks, e.g. Notification.permission). */
export function permissionCheckHandler(_contents: unknown, permission: string, requestingOrigin: string, details?: { requestingUrl?: string; isMainFrame?: boolean; embeddingOrigin?: string }): boolean {
  if (details?.embeddingOrigin !== undefined && !isAppOrigin(details.embeddingOrigin)) return false;
  if (details?.requestingUrl !== undefined && !isAppOrigin(details.requestingUrl)) return false;
  return allowPermission(permission, requestingOrigin, details?.isMainFrame);
}

export interface NavigationEvent {
  preventDefault(): void;
}
export interface ContentsLike {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', fn: (e: NavigationEvent, url: string) => void): void;
  on(event: 'will-attach-webview', fn: (e: NavigationEvent) => void): void;
  setWindowOpenHandler(fn: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * No navigation away from the bundle, no new windows, no webviews. A link the
 * person clicks (target=_blank) goes to the system browser through the one
 * audited opener, and only when it is plain https.
 */
export function hardenContents(contents: ContentsLike, openExternal: (url: string) => unknown): void {
  const guard = (e: NavigationEvent, url: string) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const safe = safeExternalUrl(url);
    if (safe) void openExternal(safe);
    return { action: 'deny' };
  });
}
