import { sandboxBrowser, signInX } from './connectors/x/oauth.js';
import type { AccountRecord } from './connectors/types.js';
import type { Settings } from './settings.js';
import type { XTokens } from './connectors/x/api.js';
import { SANDBOX_X_CLIENT_ID } from './connectors/x/signIn.js';

export interface SandboxEndpoints {
  url: string;
  xApiUrl: string;
  graphApiUrl: string;
}

export interface SandboxSignIn {
  settings: Settings;
  now: () => number;
  log(line: string): void;
  addX(tokens: XTokens, clientId: string): Promise<void>;
  addPages(userToken: string, only?: string[]): Promise<string[]>;
}

/** Business Manager's "generate System User token", as the sandbox offers it. */
async function sandboxFacebookToken(sb: SandboxEndpoints): Promise<string> {
  const res = await fetch(`${sb.url}/__sandbox/facebook/token`, { method: 'POST' });
  if (!res.ok) throw new Error(`sandbox refused a Facebook token: ${res.status}`);
  const { access_token: userToken } = (await res.json()) as { access_token: string };
  return userToken;
}

function signInSandboxX(sb: SandboxEndpoints, now: () => number): Promise<XTokens> {
  return signInX({ clientId: SANDBOX_X_CLIENT_ID, apiUrl: sb.xApiUrl, callbackPorts: [0], openBrowser: sandboxBrowser, now });
}

/** Which sandbox process issued the sandbox tokens in the vault (undefined: unknown). */
async function sandboxInstance(sb: SandboxEndpoints): Promise<string | undefined> {
  try {
    const res = await fetch(`${sb.url}/__sandbox/state`);
    const state = (await res.json()) as { instance?: unknown };
    return typeof state.instance === 'string' ? state.instance : undefined;
  } catch {
    return undefined;
  }
}

/**
 * With no accounts at all, the sandbox's practice accounts are connected through
 * the real OAuth and token paths. A sandbox restarted on the same port (a fixed
 * WEBCARE_SANDBOX_PORT) knows none of the tokens an earlier one issued: its
 * accounts are signed in again the same way, instead of asking the person to
 * reconnect a practice account. Cursors are kept; the upsert absorbs any overlap.
 */
export async function signInSandboxAccounts(sb: SandboxEndpoints, records: AccountRecord[], to: SandboxSignIn): Promise<void> {
  if (records.length === 0) {
    await to.addX(await signInSandboxX(sb, to.now), SANDBOX_X_CLIENT_ID);
    await to.addPages(await sandboxFacebookToken(sb));
  }
  const instance = await sandboxInstance(sb);
  if (!instance) return;
  const previous = to.settings.get().sandboxInstance;
  if (previous !== instance) await to.settings.update({ sandboxInstance: instance });
  if (previous === undefined || previous === instance) return;
  const ours = records.filter((r) => r.sandbox);
  try {
    if (ours.some((r) => r.platform === 'x')) await to.addX(await signInSandboxX(sb, to.now), SANDBOX_X_CLIENT_ID);
    const pages = ours.filter((r) => r.platform === 'facebook').map((r) => r.platformUserId);
    if (pages.length) await to.addPages(await sandboxFacebookToken(sb), pages);
    to.log('the sandbox restarted: its accounts were signed in again');
  } catch (e) {
    to.log(`signing the sandbox accounts in again failed: ${(e as Error).message}`);
  }
}
