import { err, ok, type PageChoice, type Result, type Status } from '../../../../shared/contract.js';
import type { HostConfig } from '../../config.js';
import { pageChoice } from './index.js';
import { classify } from '../../errors.js';
import { listPages, type ManagedPage } from './api.js';
import { pollDeviceLogin, startDeviceLogin, type DeviceClientOptions } from './device.js';
import { createGraph, GraphError } from './graph.js';
import { PlaintextRefused } from '../../vault.js';

/** The embedded sandbox's Meta app for Login for Devices (see electron/sandbox/auth.ts). */
const SANDBOX_FB_APP_ID = '990000000000001';
const SANDBOX_FB_CLIENT_TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** A signed-in user token waits this long for the person to choose Pages, then it is forgotten. */
const FB_CHOOSE_TTL_MS = 10 * 60_000;

export type FbSignInState = Omit<NonNullable<Status['fbSignIn']>, 'available'>;

/** One running Facebook Login for Devices; the user token stays here and never reaches a renderer. */
interface FbLogin {
  client: DeviceClientOptions;
  code: string;
  userCode: string;
  verificationUri: string;
  expiresAt: number;
  intervalS: number;
  base: string | undefined;
  sandbox: boolean;
  timer: NodeJS.Timeout | null;
  userToken?: string;
}

export interface FacebookSignInOptions {
  config: HostConfig;
  /** The embedded sandbox's Graph base, when attached. */
  sandboxGraphUrl?: string;
  requestTimeoutMs?: number;
  /** Milliseconds per second of Graph's device-login poll interval (test knob; default 1000). */
  devicePollMsPerSecond?: number;
  now: () => number;
  log(line: string): void;
  changed(): void;
  /** Connects the chosen Pages of a user token; returns their account ids. */
  addPages(userToken: string, base: string | undefined, sandbox: boolean, pageIds: string[]): Promise<string[]>;
  openExternal(url: string): Promise<Result<Record<string, never>>>;
}

/**
 * Connecting Facebook Pages: Login for Devices (a code the person enters on
 * facebook.com/device) or a pasted Page, user or System User token.
 */
export class FacebookSignIn {
  private state: FbSignInState = { pending: false };
  private login: FbLogin | null = null;
  private stopped = false;
  /** Which Graph base accepted a pasted token, so connecting its Pages uses the same one. */
  private readonly tokenBases = new Map<string, string | undefined>();

  constructor(private readonly opts: FacebookSignInOptions) {}

  status(): NonNullable<Status['fbSignIn']> {
    const app = this.app();
    return { available: app?.sandbox === false ? 'facebook' : app ? 'sandbox' : 'unavailable', ...this.state };
  }

  stop(): void {
    this.stopped = true;
    this.end();
  }

  /** The real Meta app when configured, else the sandbox's app when attached. */
  private app(): { appId: string; clientToken: string; base: string | undefined; sandbox: boolean } | null {
    const { config, sandboxGraphUrl } = this.opts;
    if (config.fbAppId && config.fbClientToken) return { appId: config.fbAppId, clientToken: config.fbClientToken, base: config.graphApiUrl, sandbox: false };
    if (sandboxGraphUrl) return { appId: SANDBOX_FB_APP_ID, clientToken: SANDBOX_FB_CLIENT_TOKEN, base: sandboxGraphUrl, sandbox: true };
    return null;
  }

  /** Graph bases to try a pasted token against: the configured (or real) one, then the sandbox. */
  private bases(): (string | undefined)[] {
    const bases: (string | undefined)[] = [this.opts.config.graphApiUrl];
    if (this.opts.sandboxGraphUrl) bases.push(this.opts.sandboxGraphUrl);
    return bases;
  }

  async listPages(token: string): Promise<Result<PageChoice[]>> {
    let last: unknown = null;
    for (const base of this.bases()) {
      let pages: ManagedPage[];
      try {
        pages = await listPages(createGraph({ baseUrl: base, version: this.opts.config.graphVersion, accessToken: token }));
      } catch (e) {
        last = e;
        continue;
      }
      this.tokenBases.set(token, base);
      return ok(pages.map(pageChoice));
    }
    return err(classify(last, this.opts.now()).error);
  }

  async connectPages(token: string, pageIds: string[]): Promise<Result<{ connected: string[] }>> {
    if (!this.tokenBases.has(token)) {
      const listed = await this.listPages(token);
      if (!listed.ok) return listed;
    }
    const base = this.tokenBases.get(token);
    const sandbox = base !== undefined && base === this.opts.sandboxGraphUrl;
    try {
      const connected = await this.opts.addPages(token, base, sandbox, pageIds);
      this.tokenBases.delete(token);
      return ok({ connected });
    } catch (e) {
      if (e instanceof PlaintextRefused) return err({ kind: 'consentNeeded' });
      return err(classify(e, this.opts.now()).error);
    }
  }

  private end(): void {
    if (this.login?.timer) clearTimeout(this.login.timer);
    // Dropping the object drops the user token with it.
    this.login = null;
  }

  cancel(): Result<Record<string, never>> {
    this.end();
    this.state = { pending: false };
    this.opts.changed();
    return ok({});
  }

  private fail(login: FbLogin, reason: string): void {
    if (this.login !== login) return;
    this.end();
    this.state = { pending: false, error: reason };
    this.opts.log(`Facebook sign-in failed: ${reason}`);
    this.opts.changed();
  }

  async start(): Promise<Result<{ userCode: string; verificationUri: string; expiresAt: number }>> {
    const app = this.app();
    if (!app) return err({ kind: 'notConfigured' });
    this.end();
    const client: DeviceClientOptions = { baseUrl: app.base, version: this.opts.config.graphVersion, appId: app.appId, clientToken: app.clientToken, timeoutMs: this.opts.requestTimeoutMs };
    let started;
    try {
      started = await startDeviceLogin(client);
    } catch (e) {
      // The command's answer explains the failure; the status only stops saying "waiting".
      this.state = { pending: false };
      this.opts.changed();
      return err(classify(e, this.opts.now()).error);
    }
    const login: FbLogin = {
      client,
      code: started.code,
      userCode: started.userCode,
      verificationUri: started.verificationUri,
      expiresAt: this.opts.now() + started.expiresIn * 1000,
      intervalS: started.interval,
      base: app.base,
      sandbox: app.sandbox,
      timer: null,
    };
    this.end();
    this.login = login;
    this.state = { pending: true, userCode: login.userCode, verificationUri: login.verificationUri, expiresAt: login.expiresAt };
    this.schedule(login);
    this.opts.changed();
    return ok({ userCode: login.userCode, verificationUri: login.verificationUri, expiresAt: login.expiresAt });
  }

  private schedule(login: FbLogin): void {
    if (this.stopped || this.login !== login) return;
    login.timer = setTimeout(() => void this.poll(login), login.intervalS * (this.opts.devicePollMsPerSecond ?? 1000));
  }

  private async poll(login: FbLogin): Promise<void> {
    login.timer = null;
    if (this.login !== login || this.stopped) return;
    if (this.opts.now() >= login.expiresAt) return this.fail(login, 'expired');
    let r;
    try {
      r = await pollDeviceLogin(login.client, login.code);
    } catch (e) {
      // A lost answer or a Graph hiccup: try again at the next interval; anything else ends the sign-in.
      const f = e instanceof GraphError ? e.failure : null;
      if (f && (f.type === 'network' || f.type === 'timeout' || (f.type === 'http' && f.status >= 500))) return this.schedule(login);
      return this.fail(login, (e as Error).message);
    }
    if (this.login !== login) return;
    if (r.kind === 'pending') return this.schedule(login);
    if (r.kind === 'slowDown') {
      // As RFC 8628 §3.5 asks of slow_down: five seconds more between polls from now on.
      login.intervalS += 5;
      return this.schedule(login);
    }
    if (r.kind === 'expired') return this.fail(login, 'expired');
    login.userToken = r.accessToken;
    let pages: ManagedPage[];
    try {
      pages = await listPages(createGraph({ baseUrl: login.base, version: this.opts.config.graphVersion, accessToken: r.accessToken, timeoutMs: this.opts.requestTimeoutMs }));
    } catch (e) {
      return this.fail(login, (e as Error).message);
    }
    if (this.login !== login) return;
    this.state = { pending: false, pages: pages.map(pageChoice) };
    // Unchosen, the token is forgotten after a while.
    login.timer = setTimeout(() => {
      if (this.login !== login) return;
      this.end();
      this.state = { pending: false };
      this.opts.changed();
    }, FB_CHOOSE_TTL_MS);
    login.timer.unref?.();
    this.opts.log(`Facebook sign-in: ${pages.length} Page(s) to choose from`);
    this.opts.changed();
  }

  async open(): Promise<Result<Record<string, never>>> {
    const login = this.login;
    if (!login || login.userToken) return err({ kind: 'notAllowed' });
    if (login.sandbox) {
      // The sandbox's verification page approves the code it is given, as the person would in a browser.
      const u = new URL(login.verificationUri);
      u.searchParams.set('user_code', login.userCode);
      const res = await fetch(u);
      await res.body?.cancel();
      return res.ok ? ok({}) : err({ kind: 'platform', detail: `sandbox verification page answered ${res.status}` });
    }
    return this.opts.openExternal(login.verificationUri);
  }

  async connect(pageIds: string[]): Promise<Result<{ connected: string[] }>> {
    const login = this.login;
    if (!login?.userToken) return err({ kind: 'notAllowed' });
    try {
      const connected = await this.opts.addPages(login.userToken, login.base, login.sandbox, pageIds);
      if (this.login === login) this.end();
      this.state = { pending: false };
      this.opts.changed();
      return ok({ connected });
    } catch (e) {
      if (e instanceof PlaintextRefused) return err({ kind: 'consentNeeded' });
      return err(classify(e, this.opts.now()).error);
    }
  }
}
