import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  commands,
  err,
  MEDIA_MAX_BYTES,
  isCommandName,
  ok,
  type AppError,
  type CommandName,
  type EventName,
  type EventPayload,
  type MessageBatch,
  type Result,
  type SendReplyInput,
  type Status,
} from '../../shared/contract.js';
import { countText } from '../../shared/textLength.js';
import { messageKey, type Account, type Message, type SavedSearch, type StreamKind } from '../../shared/model.js';
import type { PageChoice } from '../../shared/contract.js';
import type { HostConfig } from './config.js';
import { classify } from './errors.js';
import { findCommentReply, findMessengerReply, findPrivateReply, listPages, moderateComment, sendPrivateReply, pollComments, pollMessenger, pollVisitorPosts, replyToComment, sendMessenger, UsageMemo, type FbAccount, type ManagedPage } from './facebook.js';
import { pollDeviceLogin, startDeviceLogin, type DeviceClientOptions } from './fbDevice.js';
import { createGraph, GraphError, type GraphClient } from './graph.js';
import { readJson, writeJson } from './jsonFile.js';
import { fitBatch, getFullText, OverflowStore } from './overflow.js';
import { sandboxBrowser, signInX } from './oauth.js';
import { StreamRunner, type StreamSource } from './poller.js';
import { safeExternalUrl } from './safeUrl.js';
import { sameText, sendOnce, SendJournal, type PlatformOps } from './sender.js';
import { PlaintextRefused, Vault, type Cipher } from './vault.js';
import { checkSummoned, uploadXMedia, deleteXPost, fetchXProfile, findXDm, findXReply, pollDms, pollMentions, pollOwnPosts, pollSearch, RateMemo, sendXDm, sendXReply, X_SCOPES, XSession, type OwnProfile, type XTokens } from './x.js';

export interface SandboxEndpoints {
  url: string;
  xApiUrl: string;
  graphApiUrl: string;
}

export interface HostCoreOptions {
  config: HostConfig;
  cipher: Cipher;
  shell: Status['shell'];
  /** Attach to the embedded sandbox: with no real accounts, sandbox accounts are connected through the real OAuth code. */
  sandbox?: SandboxEndpoints;
  /** The audited https opener of the shell; absent where the shell cannot open a browser. */
  openExternal?: (url: string) => Promise<void>;
  now?: () => number;
  pollIntervalMs?: Partial<Record<StreamKind, number>>;
  /** Per platform request (default 20 s). */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
  /** Milliseconds per second of Graph's device-login poll interval (test knob; default 1000). */
  devicePollMsPerSecond?: number;
}

/** What is kept of an account on disk; its tokens live in the vault. */
interface AccountRecord {
  id: string;
  platform: Account['platform'];
  platformUserId: string;
  name: string;
  handle: string;
  avatarUrl?: string;
  sandbox: boolean;
  /** The API base the account was connected through (sandbox or a compatible server). */
  apiUrl?: string;
  /** Facebook: the Page tasks the token grants. */
  tasks?: string[];
}

/** Page tasks the console needs: moderate comments, answer Messenger (PLATFORMS.md §5.3). */
export const REQUIRED_PAGE_TASKS = ['MODERATE', 'MESSAGING'];

interface Live {
  record: AccountRecord;
  state: Account['state'];
  reason?: string;
  x?: XSession;
  graph?: GraphClient;
  /** The recent-search rate window, shared by the account's saved searches. */
  searchRate?: RateMemo;
  /** The window of the per-person DM lookup that checks whether an unanswered DM went out. */
  dmCheckRate?: RateMemo;
}

interface Pending {
  batch: MessageBatch;
  resolve: () => void;
  reject: (e: Error) => void;
}

const SANDBOX_X_CLIENT_ID = 'webcare-sandbox';
/** The embedded sandbox's Meta app for Login for Devices (see electron/sandbox/auth.ts). */
const SANDBOX_FB_APP_ID = '990000000000001';
const SANDBOX_FB_CLIENT_TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** A signed-in user token waits this long for the person to choose Pages, then it is forgotten. */
const FB_CHOOSE_TTL_MS = 10 * 60_000;

type FbSignInState = Omit<NonNullable<Status['fbSignIn']>, 'available'>;

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

type Listener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/**
 * The host core: accounts, connectors, poller and sender behind the contract.
 * Plain Node; the Electron main process and the browser host are thin shells
 * that carry `dispatch` and the events to a renderer.
 */
export class HostCore {
  private readonly accounts = new Map<string, Live>();
  private readonly runners = new Map<string, StreamRunner>();
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<Listener>();
  private readonly inflightSends = new Map<string, Promise<Result<Message>>>();
  private cursors: Record<string, string> = {};
  private cursorEpoch = 0;
  private readonly cursorEpochAtLoad = new Map<string, number>();
  private readonly vault: Vault;
  private readonly journal: SendJournal;
  /** Whole texts of shortened messages, and the messages set aside. */
  private readonly overflow: OverflowStore;
  private readonly now: () => number;
  private online = true;
  private settings: { plaintextAllowed: boolean; storeId?: string; sandboxInstance?: string } = { plaintextAllowed: false };
  private signIn: Status['signIn'] = { pending: false };
  private fbSignIn: FbSignInState = { pending: false };
  private fbLogin: FbLogin | null = null;
  /** Which Graph base accepted a pasted token, so connecting its Pages uses the same one. */
  private readonly tokenBases = new Map<string, string | undefined>();
  private statusTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private searches: SavedSearch[] = [];
  /**
   * What the host learnt of X posts it delivered: whether the 2026 rule lets us
   * reply (mentions or quotes us) and which saved search found it. Bounded.
   */
  private readonly xPosts = new Map<string, { summoned?: boolean; searchId?: string }>();

  constructor(private readonly opts: HostCoreOptions) {
    this.now = opts.now ?? Date.now;
    this.vault = new Vault(opts.config.dataDir, opts.cipher, () => this.settings.plaintextAllowed);
    this.journal = new SendJournal(opts.config.dataDir, this.now);
    this.overflow = new OverflowStore(opts.config.dataDir);
  }

  private file(name: string): string {
    return path.join(this.opts.config.dataDir, name);
  }

  private log(line: string): void {
    (this.opts.log ?? ((l: string) => console.log(l)))(line);
  }

  async start(): Promise<void> {
    this.settings = await readJson(this.file('settings.json'), this.settings);
    await this.vault.load();
    this.cursors = await readJson<Record<string, string>>(this.file('cursors.json'), {});
    this.searches = await readJson<SavedSearch[]>(this.file('searches.json'), []);
    await this.journal.load();
    let records = await readJson<AccountRecord[]>(this.file('accounts.json'), []);
    if (this.opts.sandbox) {
      // A sandbox lives as long as its process: accounts and cursors of an earlier one mean nothing here.
      const stale = records.filter((r) => r.sandbox && r.apiUrl !== this.opts.sandbox?.xApiUrl && r.apiUrl !== this.opts.sandbox?.graphApiUrl);
      for (const r of stale) {
        await this.vault.delete(r.id);
        for (const k of Object.keys(this.cursors)) if (k.startsWith(`${r.id}/`)) delete this.cursors[k];
      }
      records = records.filter((r) => !stale.includes(r));
      this.searches = this.searches.filter((s) => !stale.some((r) => r.id === s.accountId));
    }
    for (const r of records) this.attach(r);
    if (this.opts.sandbox && records.length === 0) await this.connectSandboxAccounts(this.opts.sandbox);
    if (this.opts.sandbox) await this.resignSandboxAccounts(this.opts.sandbox, records);
    await this.saveAccounts();
    for (const runner of this.runners.values()) runner.start();
    this.emitStatus();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.endFacebookLogin();
    const stopping = [...this.runners.values()].map((r) => r.stop());
    // Unacknowledged batches fail their poll, so their cursors are never advanced:
    // the next start fetches them again.
    for (const p of this.pending.values()) p.reject(new Error('host stopped before the batch was stored'));
    this.pending.clear();
    await Promise.all(stopping);
  }

  onEvent(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const fn of this.listeners) fn(name, payload);
  }

  /** A renderer (re)connected: it gets every batch no renderer has acknowledged yet. */
  clientConnected(): void {
    for (const p of this.pending.values()) this.emit('messagesArrived', p.batch);
    this.emit('statusChanged', this.status());
  }

  /** The single entry for every command from any transport: validates, then runs. */
  async dispatch(name: unknown, rawInput: unknown): Promise<Result<unknown>> {
    if (!isCommandName(name)) return err({ kind: 'invalidInput', detail: 'unknown command' });
    const parsed = commands[name].input.safeParse(rawInput ?? {});
    if (!parsed.success) return err({ kind: 'invalidInput', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500) });
    try {
      return await this.run(name, parsed.data);
    } catch (e) {
      this.log(`command ${name} failed: ${(e as Error).message}`);
      return err({ kind: 'platform', detail: 'internal error' });
    }
  }

  private async run(name: CommandName, input: unknown): Promise<Result<unknown>> {
    switch (name) {
      case 'getStatus':
        return ok(this.status());
      case 'hello':
        return this.hello((input as { storeId: string }).storeId);
      case 'ackBatch':
        return this.ack((input as { batchId: string }).batchId);
      case 'sendReply':
        return this.sendReply(input as SendReplyInput);
      case 'openExternal':
        return this.openExternal((input as { url: string }).url);
      case 'connectX':
        return this.connectX();
      case 'listFacebookPages':
        return this.listFacebookPages((input as { token: string }).token);
      case 'connectFacebookPages': {
        const i = input as { token: string; pageIds: string[] };
        return this.connectFacebookPages(i.token, i.pageIds);
      }
      case 'startFacebookSignIn':
        return this.startFacebookSignIn();
      case 'openFacebookSignIn':
        return this.openFacebookSignIn();
      case 'connectFacebookSignIn':
        return this.connectFacebookSignIn((input as { pageIds: string[] }).pageIds);
      case 'cancelFacebookSignIn':
        this.endFacebookLogin();
        this.fbSignIn = { pending: false };
        this.emitStatus();
        return ok({});
      case 'moderate':
        return this.moderate(input as { accountId: string; channel: Message['channel']; platformId: string; action: 'delete' | 'hide' | 'unhide' });
      case 'saveXSearch':
        return this.saveXSearch(input as { accountId: string; id?: string; query: string; name?: string });
      case 'removeXSearch':
        return this.removeXSearch((input as { searchId: string }).searchId);
      case 'removeAccount':
        return this.removeAccount((input as { accountId: string }).accountId);
      case 'setPlaintextConsent':
        this.settings = { ...this.settings, plaintextAllowed: (input as { allowed: boolean }).allowed };
        await writeJson(this.file('settings.json'), this.settings);
        this.emitStatus();
        return ok({});
      case 'getFullText':
        return getFullText(this.overflow, input as { accountId?: string; key: string });
      default:
        return assertNever(name);
    }
  }

  status(): Status {
    return {
      accounts: [...this.accounts.values()].map((live) => this.describe(live)),
      streams: [...this.runners.values()].map((r) => ({ ...r.status })),
      online: this.online,
      searches: this.searches.map((s) => ({ ...s })),
      sandboxUrl: this.opts.sandbox?.url,
      shell: this.opts.shell,
      vault: { encrypted: this.vault.encrypted, plaintextAllowed: this.settings.plaintextAllowed },
      xSignIn: this.opts.config.xClientId ? 'x' : this.opts.sandbox ? 'sandbox' : 'unavailable',
      signIn: { ...this.signIn },
      fbSignIn: { available: this.fbApp()?.sandbox === false ? 'facebook' : this.fbApp() ? 'sandbox' : 'unavailable', ...this.fbSignIn },
    };
  }

  private describe({ record, state, reason, x }: Live): Account {
    const granted = record.platform === 'x' ? (x?.grantedScopes ?? []) : (record.tasks ?? []);
    const required = record.platform === 'x' ? X_SCOPES : REQUIRED_PAGE_TASKS;
    return {
      id: record.id,
      platform: record.platform,
      platformUserId: record.platformUserId,
      name: record.name,
      handle: record.handle,
      avatarUrl: record.avatarUrl,
      state,
      sandbox: record.sandbox,
      // X access tokens last two hours and are refreshed on use; Page tokens do not expire.
      expiresAt: x?.expiresAt,
      granted,
      missing: required.filter((r) => !granted.includes(r)),
      reason: state === 'reconnect' ? (reason ?? x?.deadReason ?? undefined) : undefined,
    };
  }

  private emitStatus(): void {
    // Coalesce bursts of changes into one event.
    if (this.statusTimer || this.stopped) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.emit('statusChanged', this.status());
    }, 50);
  }

  // ---- accounts -------------------------------------------------------------

  private async connectSandboxAccounts(sb: SandboxEndpoints): Promise<void> {
    const tokens = await signInX({
      clientId: SANDBOX_X_CLIENT_ID,
      apiUrl: sb.xApiUrl,
      callbackPorts: [0],
      openBrowser: sandboxBrowser,
      now: this.now,
    });
    await this.addXAccount(tokens, SANDBOX_X_CLIENT_ID, sb.xApiUrl, true);

    // Business Manager's "generate System User token", as the sandbox offers it.
    const res = await fetch(`${sb.url}/__sandbox/facebook/token`, { method: 'POST' });
    if (!res.ok) throw new Error(`sandbox refused a Facebook token: ${res.status}`);
    const { access_token: userToken } = (await res.json()) as { access_token: string };
    await this.addFacebookPages(userToken, sb.graphApiUrl, true);
  }

  /** Which sandbox process issued the sandbox tokens in the vault (undefined: unknown). */
  private async sandboxInstance(sb: SandboxEndpoints): Promise<string | undefined> {
    try {
      const res = await fetch(`${sb.url}/__sandbox/state`);
      const state = (await res.json()) as { instance?: unknown };
      return typeof state.instance === 'string' ? state.instance : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * A sandbox restarted on the same port (a fixed WEBCARE_SANDBOX_PORT) knows none
   * of the tokens an earlier one issued: sign its accounts in again, through the
   * same OAuth and token paths as the first time, instead of asking the person to
   * reconnect a practice account. Cursors are kept; the upsert absorbs any overlap.
   */
  private async resignSandboxAccounts(sb: SandboxEndpoints, records: AccountRecord[]): Promise<void> {
    const instance = await this.sandboxInstance(sb);
    if (!instance) return;
    const previous = this.settings.sandboxInstance;
    if (previous !== instance) {
      this.settings = { ...this.settings, sandboxInstance: instance };
      await writeJson(this.file('settings.json'), this.settings);
    }
    if (previous === undefined || previous === instance) return;
    const ours = records.filter((r) => r.sandbox);
    try {
      if (ours.some((r) => r.platform === 'x')) {
        const tokens = await signInX({ clientId: SANDBOX_X_CLIENT_ID, apiUrl: sb.xApiUrl, callbackPorts: [0], openBrowser: sandboxBrowser, now: this.now });
        await this.addXAccount(tokens, SANDBOX_X_CLIENT_ID, sb.xApiUrl, true);
      }
      const pages = ours.filter((r) => r.platform === 'facebook').map((r) => r.platformUserId);
      if (pages.length) {
        const res = await fetch(`${sb.url}/__sandbox/facebook/token`, { method: 'POST' });
        if (!res.ok) throw new Error(`sandbox refused a Facebook token: ${res.status}`);
        const { access_token: userToken } = (await res.json()) as { access_token: string };
        await this.addFacebookPages(userToken, sb.graphApiUrl, true, pages);
      }
      this.log('the sandbox restarted: its accounts were signed in again');
    } catch (e) {
      this.log(`signing the sandbox accounts in again failed: ${(e as Error).message}`);
    }
  }

  private async addXAccount(tokens: XTokens, clientId: string, apiUrl: string | undefined, sandbox: boolean): Promise<void> {
    let current = tokens;
    const probe = new XSession({ clientId, apiUrl, tokens: current, save: async (t) => void (current = t), now: this.now });
    const profile = await fetchXProfile(probe);
    const record: AccountRecord = {
      id: `x:${profile.id}`,
      platform: 'x',
      platformUserId: profile.id,
      name: profile.name,
      handle: profile.username,
      avatarUrl: profile.avatarUrl,
      sandbox,
      apiUrl,
    };
    await this.vault.set(record.id, { kind: 'x', clientId, tokens: current }, { sandbox });
    await this.replace(record);
    this.log(`connected X account @${profile.username}${sandbox ? ' (sandbox)' : ''}`);
  }

  private async addFacebookPages(userToken: string, apiUrl: string | undefined, sandbox: boolean, only?: string[]): Promise<string[]> {
    const graph = createGraph({ baseUrl: apiUrl, version: this.opts.config.graphVersion, accessToken: userToken });
    const pages = (await listPages(graph)).filter((p) => !only || only.includes(p.id));
    const connected: string[] = [];
    for (const page of pages) {
      const record: AccountRecord = { id: `fb:${page.id}`, platform: 'facebook', platformUserId: page.id, name: page.name, handle: '', sandbox, apiUrl, tasks: page.tasks };
      await this.vault.set(record.id, { kind: 'facebook', pageToken: page.accessToken }, { sandbox });
      await this.replace(record);
      connected.push(record.id);
      this.log(`connected Facebook Page ${page.name}${sandbox ? ' (sandbox)' : ''}`);
    }
    return connected;
  }

  /** (Re)attaches an account after sign-in: a reconnect replaces the old session and resumes its streams from their cursors. */
  private async replace(record: AccountRecord): Promise<void> {
    await this.detach(record.id);
    this.attach(record);
    for (const r of this.runners.values()) if (r.source.accountId === record.id) r.start();
    await this.saveAccounts();
    this.emitStatus();
  }

  private async detach(accountId: string): Promise<void> {
    const stopping: Promise<void>[] = [];
    for (const [id, r] of this.runners) {
      if (r.source.accountId !== accountId) continue;
      this.runners.delete(id);
      stopping.push(r.stop());
    }
    this.accounts.delete(accountId);
    await Promise.all(stopping);
  }

  private connectX(): Result<{ authorizeUrl: string }> | Promise<Result<{ authorizeUrl: string }>> {
    const { config, sandbox } = this.opts;
    const real = Boolean(config.xClientId);
    if (!real && !sandbox) return err({ kind: 'notConfigured' });
    if (this.signIn.pending) return err({ kind: 'notAllowed' });
    const clientId = config.xClientId ?? SANDBOX_X_CLIENT_ID;
    const apiUrl = real ? config.xApiUrl : sandbox?.xApiUrl;
    return new Promise((resolve) => {
      this.signIn = { pending: true };
      this.emitStatus();
      signInX({
        clientId,
        apiUrl,
        callbackPorts: real ? config.xCallbackPorts : [0],
        now: this.now,
        openBrowser: async (url) => {
          resolve(ok({ authorizeUrl: url }));
          // The sandbox approves by itself; a real sign-in happens in the person's browser.
          if (!real) await sandboxBrowser(url);
          else if (this.opts.openExternal && safeExternalUrl(url)) await this.opts.openExternal(url);
        },
      })
        .then((tokens) => this.addXAccount(tokens, clientId, apiUrl, !real))
        .then(() => {
          this.signIn = { pending: false };
        })
        .catch((e: Error) => {
          this.signIn = { pending: false, error: e instanceof PlaintextRefused ? 'consentNeeded' : e.message };
          this.log(`X sign-in failed: ${e.message}`);
          resolve(err(e instanceof PlaintextRefused ? { kind: 'consentNeeded' } : { kind: 'platform', detail: e.message }));
        })
        .finally(() => this.emitStatus());
    });
  }

  /** Graph bases to try a pasted token against: the configured (or real) one, then the sandbox. */
  private graphBases(): (string | undefined)[] {
    const bases: (string | undefined)[] = [this.opts.config.graphApiUrl];
    if (this.opts.sandbox) bases.push(this.opts.sandbox.graphApiUrl);
    return bases;
  }

  private async listFacebookPages(token: string): Promise<Result<PageChoice[]>> {
    let last: unknown = null;
    for (const base of this.graphBases()) {
      let pages: ManagedPage[];
      try {
        pages = await listPages(createGraph({ baseUrl: base, version: this.opts.config.graphVersion, accessToken: token }));
      } catch (e) {
        last = e;
        continue;
      }
      this.tokenBases.set(token, base);
      return ok(pages.map((p) => ({ id: p.id, name: p.name, tasks: p.tasks, missingTasks: REQUIRED_PAGE_TASKS.filter((t) => !p.tasks.includes(t)) })));
    }
    return err(classify(last, this.now()).error);
  }

  private async connectFacebookPages(token: string, pageIds: string[]): Promise<Result<{ connected: string[] }>> {
    if (!this.tokenBases.has(token)) {
      const listed = await this.listFacebookPages(token);
      if (!listed.ok) return listed;
    }
    const base = this.tokenBases.get(token);
    const sandbox = base !== undefined && base === this.opts.sandbox?.graphApiUrl;
    try {
      const connected = await this.addFacebookPages(token, base, sandbox, pageIds);
      this.tokenBases.delete(token);
      return ok({ connected });
    } catch (e) {
      if (e instanceof PlaintextRefused) return err({ kind: 'consentNeeded' });
      return err(classify(e, this.now()).error);
    }
  }

  // ---- Facebook Login for Devices --------------------------------------------

  /** The real Meta app when configured, else the sandbox's app when attached. */
  private fbApp(): { appId: string; clientToken: string; base: string | undefined; sandbox: boolean } | null {
    const { config, sandbox } = this.opts;
    if (config.fbAppId && config.fbClientToken) return { appId: config.fbAppId, clientToken: config.fbClientToken, base: config.graphApiUrl, sandbox: false };
    if (sandbox) return { appId: SANDBOX_FB_APP_ID, clientToken: SANDBOX_FB_CLIENT_TOKEN, base: sandbox.graphApiUrl, sandbox: true };
    return null;
  }

  private endFacebookLogin(): void {
    if (this.fbLogin?.timer) clearTimeout(this.fbLogin.timer);
    // Dropping the object drops the user token with it.
    this.fbLogin = null;
  }

  private failFacebookLogin(login: FbLogin, reason: string): void {
    if (this.fbLogin !== login) return;
    this.endFacebookLogin();
    this.fbSignIn = { pending: false, error: reason };
    this.log(`Facebook sign-in failed: ${reason}`);
    this.emitStatus();
  }

  private async startFacebookSignIn(): Promise<Result<{ userCode: string; verificationUri: string; expiresAt: number }>> {
    const app = this.fbApp();
    if (!app) return err({ kind: 'notConfigured' });
    this.endFacebookLogin();
    const client: DeviceClientOptions = { baseUrl: app.base, version: this.opts.config.graphVersion, appId: app.appId, clientToken: app.clientToken, timeoutMs: this.opts.requestTimeoutMs };
    let started;
    try {
      started = await startDeviceLogin(client);
    } catch (e) {
      // The command's answer explains the failure; the status only stops saying "waiting".
      this.fbSignIn = { pending: false };
      this.emitStatus();
      return err(classify(e, this.now()).error);
    }
    const login: FbLogin = {
      client,
      code: started.code,
      userCode: started.userCode,
      verificationUri: started.verificationUri,
      expiresAt: this.now() + started.expiresIn * 1000,
      intervalS: started.interval,
      base: app.base,
      sandbox: app.sandbox,
      timer: null,
    };
    this.endFacebookLogin();
    this.fbLogin = login;
    this.fbSignIn = { pending: true, userCode: login.userCode, verificationUri: login.verificationUri, expiresAt: login.expiresAt };
    this.scheduleFacebookPoll(login);
    this.emitStatus();
    return ok({ userCode: login.userCode, verificationUri: login.verificationUri, expiresAt: login.expiresAt });
  }

  private scheduleFacebookPoll(login: FbLogin): void {
    if (this.stopped || this.fbLogin !== login) return;
    login.timer = setTimeout(() => void this.pollFacebookLogin(login), login.intervalS * (this.opts.devicePollMsPerSecond ?? 1000));
  }

  private async pollFacebookLogin(login: FbLogin): Promise<void> {
    login.timer = null;
    if (this.fbLogin !== login || this.stopped) return;
    if (this.now() >= login.expiresAt) return this.failFacebookLogin(login, 'expired');
    let r;
    try {
      r = await pollDeviceLogin(login.client, login.code);
    } catch (e) {
      // A lost answer or a Graph hiccup: try again at the next interval; anything else ends the sign-in.
      const f = e instanceof GraphError ? e.failure : null;
      if (f && (f.type === 'network' || f.type === 'timeout' || (f.type === 'http' && f.status >= 500))) return this.scheduleFacebookPoll(login);
      return this.failFacebookLogin(login, (e as Error).message);
    }
    if (this.fbLogin !== login) return;
    if (r.kind === 'pending') return this.scheduleFacebookPoll(login);
    if (r.kind === 'slowDown') {
      // As RFC 8628 §3.5 asks of slow_down: five seconds more between polls from now on.
      login.intervalS += 5;
      return this.scheduleFacebookPoll(login);
    }
    if (r.kind === 'expired') return this.failFacebookLogin(login, 'expired');
    login.userToken = r.accessToken;
    let pages: ManagedPage[];
    try {
      pages = await listPages(createGraph({ baseUrl: login.base, version: this.opts.config.graphVersion, accessToken: r.accessToken, timeoutMs: this.opts.requestTimeoutMs }));
    } catch (e) {
      return this.failFacebookLogin(login, (e as Error).message);
    }
    if (this.fbLogin !== login) return;
    this.fbSignIn = { pending: false, pages: pages.map((p) => ({ id: p.id, name: p.name, tasks: p.tasks, missingTasks: REQUIRED_PAGE_TASKS.filter((t) => !p.tasks.includes(t)) })) };
    // Unchosen, the token is forgotten after a while.
    login.timer = setTimeout(() => {
      if (this.fbLogin !== login) return;
      this.endFacebookLogin();
      this.fbSignIn = { pending: false };
      this.emitStatus();
    }, FB_CHOOSE_TTL_MS);
    login.timer.unref?.();
    this.log(`Facebook sign-in: ${pages.length} Page(s) to choose from`);
    this.emitStatus();
  }

  private async openFacebookSignIn(): Promise<Result<Record<string, never>>> {
    const login = this.fbLogin;
    if (!login || login.userToken) return err({ kind: 'notAllowed' });
    if (login.sandbox) {
      // The sandbox's verification page approves the code it is given, as the person would in a browser.
      const u = new URL(login.verificationUri);
      u.searchParams.set('user_code', login.userCode);
      const res = await fetch(u);
      await res.body?.cancel();
      return res.ok ? ok({}) : err({ kind: 'platform', detail: `sandbox verification page answered ${res.status}` });
    }
    return this.openExternal(login.verificationUri);
  }

  private async connectFacebookSignIn(pageIds: string[]): Promise<Result<{ connected: string[] }>> {
    const login = this.fbLogin;
    if (!login?.userToken) return err({ kind: 'notAllowed' });
    try {
      const connected = await this.addFacebookPages(login.userToken, login.base, login.sandbox, pageIds);
      if (this.fbLogin === login) this.endFacebookLogin();
      this.fbSignIn = { pending: false };
      this.emitStatus();
      return ok({ connected });
    } catch (e) {
      if (e instanceof PlaintextRefused) return err({ kind: 'consentNeeded' });
      return err(classify(e, this.now()).error);
    }
  }

  // ---- saved X searches ------------------------------------------------------

  private searchStreamId(s: Pick<SavedSearch, 'accountId' | 'id'>): string {
    return `${s.accountId}/search/${s.id}`;
  }

  private async saveXSearch(i: { accountId: string; id?: string; query: string; name?: string }): Promise<Result<SavedSearch>> {
    const live = this.accounts.get(i.accountId);
    if (!live) return err({ kind: 'unknownAccount' });
    if (live.record.platform !== 'x') return err({ kind: 'notAllowed' });
    const before = i.id ? this.searches.find((s) => s.id === i.id) : undefined;
    if (i.id && (!before || before.accountId !== i.accountId)) return err({ kind: 'invalidInput', detail: 'no such search' });
    if (!before && this.searches.filter((s) => s.accountId === i.accountId).length >= 20) return err({ kind: 'invalidInput', detail: 'at most 20 searches per account' });
    const search: SavedSearch = {
      id: before?.id ?? randomUUID(),
      accountId: i.accountId,
      query: i.query,
      name: (i.name ?? '').trim() || i.query.slice(0, 100),
      createdAt: before?.createdAt ?? this.now(),
    };
    const streamId = this.searchStreamId(search);
    if (before) {
      await this.runners.get(streamId)?.stop();
      this.runners.delete(streamId);
      // Another query is another stream: it starts from its own first page.
      if (before.query !== search.query) await this.dropCursor(streamId);
    }
    this.searches = [...this.searches.filter((s) => s.id !== search.id), search];
    await writeJson(this.file('searches.json'), this.searches);
    if (live.x && live.state === 'connected') {
      this.addSearchStream(live, search);
      this.runners.get(streamId)?.start();
    }
    this.emitStatus();
    return ok(search);
  }

  private async removeXSearch(id: string): Promise<Result<Record<string, never>>> {
    const search = this.searches.find((s) => s.id === id);
    if (!search) return err({ kind: 'invalidInput', detail: 'no such search' });
    const streamId = this.searchStreamId(search);
    await this.runners.get(streamId)?.stop();
    this.runners.delete(streamId);
    await this.dropCursor(streamId);
    this.searches = this.searches.filter((s) => s.id !== id);
    await writeJson(this.file('searches.json'), this.searches);
    this.emitStatus();
    return ok({});
  }

  private async dropCursor(streamId: string): Promise<void> {
    if (!(streamId in this.cursors)) return;
    delete this.cursors[streamId];
    await writeJson(this.file('cursors.json'), this.cursors);
  }

  private addSearchStream(live: Live, search: SavedSearch): void {
    const x = live.x;
    if (!x) return;
    const own = { id: live.record.id, platformUserId: live.record.platformUserId, username: live.record.handle };
    this.addStream({
      id: this.searchStreamId(search),
      accountId: live.record.id,
      kind: 'x_search',
      searchId: search.id,
      budgetShare: () => Math.max(1, this.searches.filter((s) => s.accountId === live.record.id).length),
      poll: (c, d) =>
        pollSearch(x, own, search, c, d, this.now, (live.searchRate ??= new RateMemo(this.now)), () => Math.max(1, this.searches.filter((s) => s.accountId === live.record.id).length)),
    });
  }

  private async removeAccount(accountId: string): Promise<Result<Record<string, never>>> {
    if (!this.accounts.has(accountId)) return err({ kind: 'unknownAccount' });
    await this.detach(accountId);
    await this.vault.delete(accountId);
    if (this.searches.some((s) => s.accountId === accountId)) {
      this.searches = this.searches.filter((s) => s.accountId !== accountId);
      await writeJson(this.file('searches.json'), this.searches);
    }
    for (const k of Object.keys(this.cursors)) if (k.startsWith(`${accountId}/`)) delete this.cursors[k];
    await writeJson(this.file('cursors.json'), this.cursors);
    await this.saveAccounts();
    this.emitStatus();
    return ok({});
  }

  private saveAccounts(): Promise<void> {
    return writeJson(
      this.file('accounts.json'),
      [...this.accounts.values()].map((a) => a.record),
    );
  }

  /** Builds the live session and streams of a stored account. */
  private attach(record: AccountRecord): void {
    const live: Live = { record, state: 'connected' };
    this.accounts.set(record.id, live);
    const secret = this.vault.get<{ kind: 'x'; clientId: string; tokens: XTokens } | { kind: 'facebook'; pageToken: string }>(record.id);
    if (!secret) {
      live.state = 'reconnect';
      return;
    }
    const own = { id: record.id, platformUserId: record.platformUserId, username: record.handle };
    if (record.platform === 'x' && secret.kind === 'x') {
      const x = new XSession({
        clientId: secret.clientId,
        apiUrl: record.apiUrl ?? this.opts.config.xApiUrl,
        tokens: secret.tokens,
        save: (t) => this.vault.set(record.id, { ...secret, tokens: t }, { sandbox: record.sandbox }),
        now: this.now,
        timeoutMs: this.opts.requestTimeoutMs,
      });
      live.x = x;
      // Each endpoint's rate window, remembered between polls: it sets how many pages a poll may read.
      const mentions = new RateMemo(this.now);
      const ownPosts = new RateMemo(this.now);
      const dms = new RateMemo(this.now);
      live.searchRate = new RateMemo(this.now);
      this.addStream({ id: `${record.id}/mentions`, accountId: record.id, kind: 'x_mentions', poll: (c, d) => pollMentions(x, own, c, d, this.now, mentions) });
      this.addStream({ id: `${record.id}/own`, accountId: record.id, kind: 'x_own', poll: (c, d) => pollOwnPosts(x, own, c, d, this.now, ownPosts) });
      this.addStream({ id: `${record.id}/dms`, accountId: record.id, kind: 'x_dms', poll: (c, d) => pollDms(x, own, c, d, this.now, dms) });
      for (const s of this.searches) if (s.accountId === record.id) this.addSearchStream(live, s);
    } else if (record.platform === 'facebook' && secret.kind === 'facebook') {
      const graph = createGraph({
        baseUrl: record.apiUrl ?? this.opts.config.graphApiUrl,
        version: this.opts.config.graphVersion,
        accessToken: secret.pageToken,
        timeoutMs: this.opts.requestTimeoutMs,
      });
      live.graph = graph;
      const page: FbAccount = { ...own, name: record.name };
      // Graph budgets are per Page token: the three streams share what its usage headers say.
      const usage = new UsageMemo();
      this.addStream({ id: `${record.id}/comments`, accountId: record.id, kind: 'fb_comments', poll: (c, d) => pollComments(graph, page, c, d, this.now, usage) });
      this.addStream({ id: `${record.id}/visitor_posts`, accountId: record.id, kind: 'fb_visitor_posts', poll: (c, d) => pollVisitorPosts(graph, page, c, d, this.now, usage) });
      this.addStream({ id: `${record.id}/messenger`, accountId: record.id, kind: 'fb_messages', poll: (c, d) => pollMessenger(graph, page, c, d, this.now, usage) });
    } else {
      live.state = 'reconnect';
    }
  }

  private addStream(source: StreamSource): void {
    const runner = new StreamRunner(source, {
      deliver: (batch) => this.deliver(batch),
      loadCursor: (id) => {
        this.cursorEpochAtLoad.set(id, this.cursorEpoch);
        return this.cursors[id];
      },
      saveCursor: async (id, cursor) => {
        // A poll that began before the cursors were reset must not write its old position back.
        if (this.cursorEpochAtLoad.get(id) !== this.cursorEpoch) return;
        if (cursor === undefined || this.cursors[id] === cursor) return;
        this.cursors[id] = cursor;
        await writeJson(this.file('cursors.json'), this.cursors);
      },
      onOutcome: (r, outcome) => {
        if (outcome.ok) {
          this.setOnline(true);
        } else {
          const { classified } = outcome;
          if (classified.error.kind === 'offline') this.setOnline(false);
          if (classified.action === 'reconnect') this.needsReconnect(r.source.accountId, r.status.lastError);
          this.log(`stream ${r.source.id}: ${r.status.lastError}`);
        }
        this.emitStatus();
      },
      now: this.now,
      intervalMs: this.opts.pollIntervalMs,
    });
    this.runners.set(source.id, runner);
  }

  private needsReconnect(accountId: string, reason?: string): void {
    const live = this.accounts.get(accountId);
    if (!live || live.state === 'reconnect') return;
    live.state = 'reconnect';
    live.reason = reason;
    for (const r of this.runners.values()) if (r.source.accountId === accountId) r.park('reconnectNeeded');
    this.log(`account ${accountId} needs to be reconnected`);
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    // The network is back: every waiting stream catches up from its cursor now.
    if (online) for (const r of this.runners.values()) r.poke();
  }

  // ---- delivery --------------------------------------------------------------

  /**
   * Cursors describe what one local store holds. When a different store says
   * hello, the cursors start over (each stream fetches its first page again);
   * the upsert by key makes whatever it already had harmless.
   */
  private async hello(storeId: string): Promise<Result<{ backfill: boolean }>> {
    if (this.settings.storeId === storeId) return ok({ backfill: false });
    const first = this.settings.storeId === undefined;
    this.settings = { ...this.settings, storeId };
    await writeJson(this.file('settings.json'), this.settings);
    if (first) return ok({ backfill: false });
    this.cursors = {};
    this.cursorEpoch++;
    await writeJson(this.file('cursors.json'), this.cursors);
    for (const r of this.runners.values()) r.poke();
    this.log('a new local store connected: fetching history again');
    return ok({ backfill: true });
  }

  private deliver(batch: MessageBatch): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('host stopped'));
    // A message over a limit is shortened (its whole text kept here) or set aside (kept here and
    // counted on its stream's status): the rest of its batch is handed over and the stream goes on.
    const fit = fitBatch(batch);
    const hand = (): Promise<void> => {
      if (this.stopped) return Promise.reject(new Error('host stopped'));
      // Every message was set aside: nothing to store, so the cursor may move on at once.
      if (fit.batch.messages.length === 0 && fit.setAside.length > 0) return Promise.resolve();
      const fitted = this.learnXPosts(fit.batch);
      return new Promise<void>((resolve, reject) => {
        this.pending.set(fitted.batchId, { batch: fitted, resolve, reject });
        this.emit('messagesArrived', fitted);
      });
    };
    if (fit.setAside.length === 0 && fit.fullTexts.length === 0) return hand();
    const last = fit.setAside.at(-1);
    if (last) {
      const status = this.runners.get(batch.streamId)?.status;
      if (status) status.setAside = { count: (status.setAside?.count ?? 0) + fit.setAside.length, lastReason: last.reason, lastAt: this.now() };
      this.log(`stream ${batch.streamId}: ${fit.setAside.length} message(s) set aside (${last.reason})`);
      this.emitStatus();
    }
    return this.overflow
      .keep(batch, fit, this.now())
      .catch((e: unknown) => this.log(`stream ${batch.streamId}: what was set aside or shortened could not be kept: ${(e as Error).message}`))
      .then(hand);
  }

  /**
   * Remembers what the reply rule needs of each X post, and keeps our own replies
   * to search hits (read back from our timeline) in the search's thread.
   */
  private learnXPosts(batch: MessageBatch): MessageBatch {
    let changed = false;
    const messages = batch.messages.map((m) => {
      if (m.channel !== 'x_mention' && m.channel !== 'x_search') return m;
      const known = this.xPosts.get(m.platformId);
      const parent = m.inReplyToId ? this.xPosts.get(m.inReplyToId) : undefined;
      if (m.channel === 'x_mention' && m.fromUs && parent?.searchId && !known?.summoned) {
        changed = true;
        const moved: Message = { ...m, channel: 'x_search', key: messageKey('x_search', m.platformId), searchId: parent.searchId };
        this.rememberXPost(m.platformId, { summoned: true, searchId: parent.searchId });
        return moved;
      }
      this.rememberXPost(m.platformId, { summoned: m.summoned ?? known?.summoned, searchId: m.searchId ?? known?.searchId });
      return m;
    });
    return changed ? { ...batch, messages } : batch;
  }

  private rememberXPost(id: string, info: { summoned?: boolean; searchId?: string }): void {
    this.xPosts.delete(id);
    this.xPosts.set(id, info);
    if (this.xPosts.size > 50_000) {
      const oldest = this.xPosts.keys().next().value;
      if (oldest !== undefined) this.xPosts.delete(oldest);
    }
  }

  private ack(batchId: string): Result<Record<string, never>> {
    const p = this.pending.get(batchId);
    // A second ack (two windows, a resent batch) is harmless.
    if (p) {
      this.pending.delete(batchId);
      p.resolve();
    }
    return ok({});
  }

  // ---- sending ---------------------------------------------------------------

  private sendReply(input: SendReplyInput): Promise<Result<Message>> {
    // The same client id twice at once is one send.
    let p = this.inflightSends.get(input.clientId);
    if (!p) {
      p = this.doSend(input).finally(() => this.inflightSends.delete(input.clientId));
      this.inflightSends.set(input.clientId, p);
    }
    return p;
  }

  private async doSend(input: SendReplyInput): Promise<Result<Message>> {
    const done = this.journal.get(input.clientId);
    if (done?.state === 'sent') return ok(done.message);
    const live = this.accounts.get(input.accountId);
    if (!live) return err({ kind: 'unknownAccount' });
    if (live.state === 'reconnect') return err({ kind: 'reconnectNeeded' });
    const problem = checkMedia(input) ?? (input.media?.length && input.text.trim() === '' ? null : checkText(input.channel, input.text));
    if (problem) return err(problem);
    if ((input.channel === 'x_dm' || input.channel === 'fb_message') && !input.recipientId) {
      return err({ kind: 'invalidInput', detail: 'recipientId is required for a direct message' });
    }
    const ops = this.platformOps(live, input.channel, input);
    if (!ops) return err({ kind: 'notAllowed' });
    if ((input.channel === 'x_mention' || input.channel === 'x_search') && live.x) {
      const restricted = await this.replyRule(live, input.inReplyToId);
      if (restricted) return err(restricted);
    }
    const { result, classified } = await sendOnce(this.journal, input, ops, this.now);
    if (!result.ok && result.error.kind === 'replyRestricted') {
      this.rememberXPost(input.inReplyToId, { ...this.xPosts.get(input.inReplyToId), summoned: false });
      return err({ kind: 'replyRestricted', url: xPostUrl(input.inReplyToId) });
    }
    if (classified?.action === 'reconnect') {
      this.needsReconnect(live.record.id, classified.error.kind);
      this.emitStatus();
    }
    if (classified?.error.kind === 'offline') this.setOnline(false);
    return result;
  }

  /**
   * X's 2026 rule, checked before a doomed send: self-serve apps may reply only to
   * posts that @mention or quote the account. What the poller saw decides; a post
   * it never saw is looked up once. When the lookup fails, X itself decides.
   */
  private async replyRule(live: Live, postId: string): Promise<AppError | null> {
    const x = live.x;
    if (!x) return null;
    let summoned = this.xPosts.get(postId)?.summoned;
    if (summoned === undefined) {
      try {
        const own = { id: live.record.id, platformUserId: live.record.platformUserId, username: live.record.handle };
        summoned = (await checkSummoned(x, own, postId)) ?? undefined;
        if (summoned !== undefined) this.rememberXPost(postId, { ...this.xPosts.get(postId), summoned });
      } catch (e) {
        this.log(`reply rule lookup of ${postId} failed: ${(e as Error).message}`);
      }
    }
    return summoned === false ? { kind: 'replyRestricted', url: xPostUrl(postId) } : null;
  }

  /** How to post and how to look for a post, for one account and channel. */
  private platformOps(live: Live, channel: Message['channel'], input: Pick<SendReplyInput, 'private' | 'humanAgent'>): PlatformOps | null {
    const { record } = live;
    const now = this.now;
    if ((channel === 'x_mention' || channel === 'x_search' || channel === 'x_dm') && live.x) {
      const x = live.x;
      const profile: OwnProfile = { id: record.platformUserId, name: record.name, username: record.handle, avatarUrl: record.avatarUrl };
      const own = { id: record.id, platformUserId: record.platformUserId, username: record.handle, profile };
      const searchId = (i: SendReplyInput) => (channel === 'x_search' ? this.xPosts.get(i.inReplyToId)?.searchId : undefined);
      const asThread = (m: Message | null, i: SendReplyInput): Message | null =>
        m && channel === 'x_search' ? { ...m, channel, key: messageKey(channel, m.platformId), ...(searchId(i) ? { searchId: searchId(i) } : {}) } : m;
      return channel !== 'x_dm'
        ? {
            post: async (i, at) => {
              // Uploads are not posts: an attempt that is tried again simply uploads again.
              const mediaIds: string[] = [];
              for (const m of i.media ?? []) mediaIds.push(await uploadXMedia(x, m, 'tweet_image'));
              return sendXReply(x, own, i.conversationId, i.inReplyToId, i.text, at, { channel, searchId: searchId(i), mediaIds });
            },
            find: async (i, since, exclude) =>
              asThread(await findXReply(x, own, i.inReplyToId, (t) => sameText(t, i.text), since, new Set([...exclude].map((k) => k.replace(/^x_search:/, 'x_mention:'))), now()), i),
          }
        : {
            post: async (i, at) => sendXDm(x, own, i.recipientId as string, i.text, at, i.media?.[0] ? await uploadXMedia(x, i.media[0], 'dm_image') : undefined),
            find: (i, since, exclude) => findXDm(x, own, i.recipientId as string, (t) => sameText(t, i.text), since, exclude, now(), (live.dmCheckRate ??= new RateMemo(now))),
          };
    }
    if ((channel === 'fb_comment' || channel === 'fb_message') && live.graph) {
      const graph = live.graph;
      const page: FbAccount = { id: record.id, platformUserId: record.platformUserId, name: record.name };
      if (channel === 'fb_comment' && input.private) {
        return {
          post: (i, at) => sendPrivateReply(graph, page, i.conversationId, i.inReplyToId, i.text, at),
          find: (i, since, exclude) => findPrivateReply(graph, page, i.conversationId, i.inReplyToId, (t) => sameText(t, i.text), since, exclude, now()),
        };
      }
      return channel === 'fb_comment'
        ? {
            post: (i, at) => replyToComment(graph, page, i.conversationId, i.inReplyToId, i.text, at, i.media?.[0]),
            find: (i, since, exclude) => findCommentReply(graph, page, i.conversationId, (t) => sameText(t, i.text), since, exclude, now()),
          }
        : {
            post: (i, at) =>
              sendMessenger(graph, page, i.conversationId, i.recipientId as string, i.text, at, i.humanAgent === true, i.media?.[0], {
                sent: this.journal.part(i.clientId, 'image'),
                record: (id) => this.journal.setPart(i.clientId, 'image', id),
              }),
            find: (i, since, exclude) => findMessengerReply(graph, page, i.conversationId, (t) => sameText(t, i.text), since, exclude, now()),
          };
    }
    return null;
  }

  private async moderate(i: { accountId: string; channel: Message['channel']; platformId: string; action: 'delete' | 'hide' | 'unhide' }): Promise<Result<Record<string, never>>> {
    const live = this.accounts.get(i.accountId);
    if (!live) return err({ kind: 'unknownAccount' });
    if (live.state === 'reconnect') return err({ kind: 'reconnectNeeded' });
    try {
      if (i.channel === 'x_mention' && i.action === 'delete' && live.x) await deleteXPost(live.x, i.platformId);
      else if (i.channel === 'fb_comment' && live.graph) await moderateComment(live.graph, i.platformId, i.action);
      else return err({ kind: 'notAllowed' });
      return ok({});
    } catch (e) {
      const c = classify(e, this.now());
      if (c.action === 'reconnect') this.needsReconnect(i.accountId, c.error.kind);
      return err(c.error);
    }
  }

  private async openExternal(url: string): Promise<Result<Record<string, never>>> {
    const safe = safeExternalUrl(url);
    if (!safe || !this.opts.openExternal) return err({ kind: 'notAllowed' });
    await this.opts.openExternal(safe);
    return ok({});
  }
}

/** Images per reply: X posts take 4, an X DM, a Facebook comment and a Messenger message 1; no private reply carries one. */
export function checkMedia(input: Pick<SendReplyInput, 'channel' | 'media' | 'private'>): AppError | null {
  const media = input.media ?? [];
  if (media.length === 0) return null;
  const max = input.channel === 'x_mention' || input.channel === 'x_search' ? 4 : 1;
  if (media.length > max) return { kind: 'invalidInput', detail: `at most ${max} image(s) on this channel` };
  if (input.private) return { kind: 'invalidInput', detail: 'a private reply cannot carry an image' };
  for (const m of media) {
    if (Buffer.byteLength(m.dataBase64, 'base64') > MEDIA_MAX_BYTES) return { kind: 'invalidInput', detail: 'an image is larger than 5 MB' };
  }
  return null;
}

/** The platform's own length rule, checked before anything is sent. */
export function checkText(channel: Message['channel'], text: string): AppError | null {
  const c = countText(channel, text);
  if (c.empty) return { kind: 'empty' };
  if (c.length > c.limit) return { kind: 'tooLong', limit: c.limit };
  return c.valid ? null : { kind: 'invalidInput', detail: 'text has characters the platform refuses' };
}

function xPostUrl(id: string): string {
  return `https://x.com/i/status/${encodeURIComponent(id)}`;
}

function assertNever(x: never): never {
  throw new Error(`unhandled command ${String(x)}`);
}
