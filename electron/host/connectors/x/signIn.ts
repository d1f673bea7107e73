import { err, ok, type Result, type Status } from '../../../../shared/contract.js';
import type { HostConfig } from '../../config.js';
import { classify } from '../../errors.js';
import { sandboxBrowser, signInX } from './oauth.js';
import { safeExternalUrl } from '../../safeUrl.js';
import { PlaintextRefused } from '../../vault.js';
import type { XTokens } from './api.js';

/** The embedded sandbox's X app (a public client, as a desktop app's is). */
export const SANDBOX_X_CLIENT_ID = 'webcare-sandbox';

export interface XSignInOptions {
  config: HostConfig;
  /** The embedded sandbox's X base, when attached. */
  sandboxXUrl?: string;
  now: () => number;
  log(line: string): void;
  changed(): void;
  /** Keeps the signed-in account (asks X whose tokens they are). */
  addAccount(tokens: XTokens, clientId: string, apiUrl: string | undefined, sandbox: boolean): Promise<void>;
  /** The audited https opener of the shell; absent where the shell cannot open a browser. */
  openExternal?: (url: string) => Promise<void>;
}

/** Connecting an X account: OAuth 2.0 with PKCE through the person's browser and a loopback redirect. */
export class XSignIn {
  private state: Status['signIn'] = { pending: false };

  constructor(private readonly opts: XSignInOptions) {}

  status(): Status['signIn'] {
    return { ...this.state };
  }

  available(): Status['xSignIn'] {
    return this.opts.config.xClientId ? 'x' : this.opts.sandboxXUrl ? 'sandbox' : 'unavailable';
  }

  connect(): Result<{ authorizeUrl: string }> | Promise<Result<{ authorizeUrl: string }>> {
    const { config, sandboxXUrl } = this.opts;
    const real = Boolean(config.xClientId);
    if (!real && !sandboxXUrl) return err({ kind: 'notConfigured' });
    if (this.state.pending) return err({ kind: 'notAllowed' });
    const clientId = config.xClientId ?? SANDBOX_X_CLIENT_ID;
    const apiUrl = real ? config.xApiUrl : sandboxXUrl;
    return new Promise((resolve) => {
      this.state = { pending: true };
      this.opts.changed();
      signInX({
        clientId,
        apiUrl,
        callbackPorts: real ? config.xCallbackPorts : [0],
        now: this.opts.now,
        openBrowser: async (url) => {
          resolve(ok({ authorizeUrl: url }));
          // The sandbox approves by itself; a real sign-in happens in the person's browser.
          if (!real) await sandboxBrowser(url);
          else if (this.opts.openExternal && safeExternalUrl(url)) await this.opts.openExternal(url);
        },
      })
        .then((tokens) => this.opts.addAccount(tokens, clientId, apiUrl, !real))
        .then(() => {
          this.state = { pending: false };
        })
        .catch((e: Error) => {
          const error = e instanceof PlaintextRefused ? ({ kind: 'consentNeeded' } as const) : signInError(e, this.opts.now());
          this.state = { pending: false, error: error.kind === 'platform' ? error.detail : error.kind };
          this.opts.log(`X sign-in failed: ${e.message}`);
          resolve(err(error));
        })
        .finally(() => this.opts.changed());
    });
  }
}

/** What a failed sign-in tells the person: a platform's refusal keeps its meaning (credits used up, rate limited). */
function signInError(e: Error, now: number): ReturnType<typeof classify>['error'] {
  const c = classify(e, now).error;
  return c.kind === 'platform' || c.kind === 'offline' ? { kind: 'platform', detail: e.message } : c;
}
