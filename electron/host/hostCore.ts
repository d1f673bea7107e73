import { randomUUID } from 'node:crypto';
import { commands, err, isCommandName, ok, type CommandName, type EventName, type EventPayload, type Result, type SendReplyInput, type Status } from '../../shared/contract.js';
import type { Message, StreamKind } from '../../shared/model.js';
import type { z } from 'zod';
import { Accounts } from './accounts.js';
import type { HostConfig } from './config.js';
import { createFacebookConnector, facebookPagesFromToken } from './connectors/facebook/index.js';
import { createXConnector, xAccountFromTokens } from './connectors/x/index.js';
import type { Connector, ConnectorContext } from './connectors/types.js';
import { BATCHES_AHEAD, type RunnerHooks } from './poller.js';
import { Delivery } from './delivery.js';
import { FacebookSignIn } from './connectors/facebook/signIn.js';
import { prepareInsight } from './insight/index.js';
import { getFullText } from './overflow.js';
import { safeExternalUrl } from './safeUrl.js';
import { signInSandboxAccounts, type SandboxEndpoints } from './sandboxAccounts.js';
import { ScheduledPosts } from './scheduled.js';
import { SavedSearches } from './searches.js';
import { Sending } from './sending.js';
import { Settings } from './settings.js';
import { Spending } from './spending.js';
import { PlaintextRefused, Vault, type Cipher } from './vault.js';
import { teamErr } from './team/actions.js';
import { TeamJournal } from './team/journal.js';
import { parseTeamUrl, TeamDbError } from './team/pgErrors.js';
import { probeTeam, TeamSession, type TeamTiming } from './team/session.js';
import { XSignIn } from './connectors/x/signIn.js';
import type { XTokens } from './connectors/x/api.js';

export type { SandboxEndpoints } from './sandboxAccounts.js';
export { checkMedia, checkText } from '../../shared/replyChecks.js';
export { REQUIRED_PAGE_TASKS } from './connectors/facebook/index.js';

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
  /** Team mode's intervals and timeouts (test knob; defaults as a console uses them). */
  teamTiming?: TeamTiming;
}

/** Vault entries of team mode: the URL holds the login's password, the key opens the team's tokens. */
const TEAM_URL = 'team:url';
const TEAM_KEY = 'team:key';

type Listener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** A command's validated input, and the value its success carries. */
type Input<C extends CommandName> = z.output<(typeof commands)[C]['input']>;
type Value<C extends CommandName> = Extract<z.output<(typeof commands)[C]['output']>, { ok: true }>['value'];
/** One handler per command, checked by the compiler against the contract. */
type Handlers = { [C in CommandName]: (input: Input<C>) => Result<Value<C>> | Promise<Result<Value<C>>> };

/**
 * The host core, as a composition root: it builds the parts (accounts and
 * their connectors, delivery, saved searches, sign-in, sending) and routes
 * the contract's commands to them. Plain Node; the Electron main process and
 * the browser host are thin shells that carry `dispatch` and the events to a renderer.
 */
export class HostCore {
  private readonly listeners = new Set<Listener>();
  private readonly now: () => number;
  private readonly settings: Settings;
  private readonly vault: Vault;
  private readonly journal: TeamJournal;
  private readonly spending: Spending;
  private readonly connectors: Connector[];
  private readonly delivery: Delivery;
  private readonly accounts: Accounts;
  private readonly searches: SavedSearches;
  private readonly xSignIn: XSignIn;
  private readonly fbSignIn: FacebookSignIn;
  private readonly sending: Sending;
  /** New posts, now or at their time, sent by the host even with no window open. */
  private readonly posts: ScheduledPosts;
  private readonly handlers: Handlers;
  private statusTimer: NodeJS.Timeout | null = null;
  private publishTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Team mode: the session with the team database (null: solo). */
  private team: TeamSession | null = null;
  /** This console among the team's consoles, new each start (presence rows of earlier runs go stale by themselves). */
  private readonly consoleId = randomUUID();

  constructor(private readonly opts: HostCoreOptions) {
    const { config } = opts;
    const now = (this.now = opts.now ?? Date.now);
    const log = (line: string) => this.log(line);
    const changed = () => this.emitStatus();
    this.settings = new Settings(config.dataDir);
    this.vault = new Vault(config.dataDir, opts.cipher, () => this.settings.get().plaintextAllowed);
    // Solo replies use its local file; a team reply being sent uses the team database (see TeamJournal).
    this.journal = new TeamJournal(config.dataDir, now);
    this.spending = new Spending(config.dataDir, now);
    const ctx: ConnectorContext = {
      config,
      vault: this.vault,
      journal: this.journal,
      spending: this.spending,
      now,
      requestTimeoutMs: opts.requestTimeoutMs,
      log,
      xRefreshGuard: (record) => this.team?.teamAccounts.refreshGuard(record),
    };
    const x = createXConnector(ctx);
    this.connectors = [x, createFacebookConnector(ctx)];
    this.searches = new SavedSearches(config.dataDir, now, changed);
    this.delivery = new Delivery({
      dataDir: config.dataDir,
      settings: this.settings,
      now,
      log,
      send: (batch) => this.emit('messagesArrived', batch),
      statusOf: (id) => this.accounts.statusOf(id),
      changed,
      transforms: this.connectors.flatMap((c) => (c.onBatch ? [c.onBatch.bind(c)] : [])),
      pokeAll: () => this.accounts.pokeAll(),
    });
    this.accounts = new Accounts({
      dataDir: config.dataDir,
      vault: this.vault,
      connectors: this.connectors,
      spending: this.spending,
      abandon: (ids) => this.delivery.abandon(ids),
      delivery: this.runnerHooks(),
      searchesOf: (id) => this.searches.of(id),
      now,
      intervalMs: opts.pollIntervalMs,
      log,
      changed,
    });
    this.searches.wire(this.accounts, this.delivery);
    this.xSignIn = new XSignIn({
      config,
      sandboxXUrl: opts.sandbox?.xApiUrl,
      now,
      log,
      changed,
      addAccount: (tokens, clientId, apiUrl, sandbox) => this.addXAccount(tokens, clientId, apiUrl, sandbox),
      openExternal: opts.openExternal,
    });
    this.fbSignIn = new FacebookSignIn({
      config,
      sandboxGraphUrl: opts.sandbox?.graphApiUrl,
      requestTimeoutMs: opts.requestTimeoutMs,
      devicePollMsPerSecond: opts.devicePollMsPerSecond,
      now,
      log,
      changed,
      addPages: (token, base, sandbox, pageIds) => this.addFacebookPages(token, base, sandbox, pageIds),
      openExternal: (url) => this.openExternal(url),
    });
    this.sending = new Sending({ accounts: this.accounts, journal: this.journal, now, offline: () => this.accounts.setOnline(false), changed });
    this.posts = new ScheduledPosts({
      dataDir: config.dataDir,
      accounts: this.accounts,
      journal: this.journal,
      now,
      log,
      offline: () => this.accounts.setOnline(false),
      changed: () => this.emit('postsChanged', { posts: this.posts.list() }),
    });
    this.handlers = {
      getStatus: () => ok(this.status()),
      hello: async (i) => {
        const r = await this.delivery.hello(i.storeId);
        // A store the team's history was never copied into gets it from the database.
        await this.team?.sync.storeChanged();
        return r;
      },
      ackBatch: (i) => this.delivery.ack(i.batchId),
      sendReply: (i) => this.sendReply(i),
      openExternal: (i) => this.openExternal(i.url),
      connectX: () => this.xSignIn.connect(),
      listFacebookPages: (i) => this.fbSignIn.listPages(i.token),
      connectFacebookPages: (i) => this.fbSignIn.connectPages(i.token, i.pageIds),
      startFacebookSignIn: () => this.fbSignIn.start(),
      openFacebookSignIn: () => this.fbSignIn.open(),
      connectFacebookSignIn: (i) => this.fbSignIn.connect(i.pageIds),
      cancelFacebookSignIn: () => this.fbSignIn.cancel(),
      moderate: (i) => this.sending.moderate(i),
      saveXSearch: (i) => this.searches.save(i),
      removeXSearch: (i) => this.searches.remove(i.searchId),
      removeAccount: (i) => this.removeAccount(i.accountId),
      setAccountSpending: (i) => this.setAccountSpending(i),
      setPlaintextConsent: async (i) => {
        await this.settings.update({ plaintextAllowed: i.allowed });
        this.emitStatus();
        return ok({});
      },
      getFullText: (i) => getFullText(this.delivery.overflow, i),
      setTeam: (i) => this.setTeam(i.url, i.key),
      claim: (i) => (this.team ? this.team.actions.claim(i.conversationKey, i.release) : err({ kind: 'notConfigured' })),
      mark: (i) => (this.team ? this.team.actions.mark(i) : err({ kind: 'notConfigured' })),
      setPresence: (i) => (this.team ? this.team.actions.setPresence(i.presence) : err({ kind: 'notConfigured' })),
      dismissLostRaces: (i) => {
        if (!this.team) return err({ kind: 'notConfigured' });
        this.team.actions.dismiss(i.ids);
        return ok({});
      },
      auditSearch: (i) => (this.team ? this.team.actions.auditSearch(i.q, i.limit) : err({ kind: 'notConfigured' })),
      act: (i) => (this.team ? this.team.workflow.act(i) : err({ kind: 'notConfigured' })),
      listPosts: () => ok({ posts: this.posts.list() }),
      queuePost: (i) => this.posts.queue(i),
      updatePost: (i) => this.posts.update(i),
      cancelPost: (i) => this.posts.cancel(i.clientId),
      retryPost: (i) => this.posts.retry(i.clientId),
    };
  }

  /**
   * Where stream runners hand their pages and keep their cursors: solo, to the
   * renderer and cursors.json; in team mode (only accounts whose lock this
   * console holds have runners), to the team database.
   */
  private runnerHooks(): Pick<RunnerHooks, 'deliver' | 'ahead' | 'loadCursor' | 'saveCursor'> {
    const solo = this.delivery.hooks();
    return {
      deliver: (batch) => (this.team ? this.team.store.deliver(batch) : solo.deliver(batch)),
      // The window stores what waits in one write; the team database takes a poll's pages one at a time.
      ahead: () => (this.team ? 1 : BATCHES_AHEAD),
      loadCursor: (id) => (this.team ? this.team.store.loadCursor(id) : solo.loadCursor(id)),
      saveCursor: (id, cursor) => (this.team ? this.team.store.saveCursor(id, cursor) : solo.saveCursor(id, cursor)),
    };
  }

  private log(line: string): void {
    (this.opts.log ?? ((l: string) => console.log(l)))(line);
  }

  async start(): Promise<void> {
    // The language detector's database loads once the host is serving (the first page waits for it).
    setTimeout(() => void prepareInsight().catch((e: unknown) => this.log(`language detector not loaded: ${String(e)}`)), 0).unref();
    await this.settings.load();
    await this.vault.load();
    await this.delivery.load();
    await this.searches.load();
    await this.journal.load();
    await this.spending.load();
    await this.posts.load();
    const team = this.teamSetting();
    if (team) {
      // Team mode: the accounts are the team's; this console's own (accounts.json) wait for solo.
      await this.enterTeam(team.url, team.key);
      this.posts.start();
      this.emitStatus();
      return;
    }
    let records = await this.accounts.loadRecords();
    const sb = this.opts.sandbox;
    if (sb) {
      // A sandbox lives as long as its process: accounts and cursors of an earlier one mean nothing here.
      const stale = records.filter((r) => r.sandbox && r.apiUrl !== sb.xApiUrl && r.apiUrl !== sb.graphApiUrl);
      for (const r of stale) {
        await this.vault.delete(r.id);
        await this.delivery.dropCursors(`${r.id}/`);
      }
      records = records.filter((r) => !stale.includes(r));
      this.searches.forget(stale.map((r) => r.id));
    }
    for (const r of records) this.accounts.attach(r);
    if (sb) {
      await signInSandboxAccounts(sb, records, {
        settings: this.settings,
        now: this.now,
        log: (l) => this.log(l),
        addX: (tokens, clientId) => this.addXAccount(tokens, clientId, sb.xApiUrl, true),
        addPages: (token, only) => this.addFacebookPages(token, sb.graphApiUrl, true, only),
      });
    }
    await this.accounts.save();
    this.accounts.startAll();
    // Posts whose time passed while the console was stopped go out now, once.
    this.posts.start();
    this.emitStatus();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.posts.stop();
    if (this.statusTimer) clearTimeout(this.statusTimer);
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.fbSignIn.stop();
    this.team?.sync.halt();
    const stopping = this.accounts.stopAll();
    // Unacknowledged batches fail their poll, so their cursors are never advanced:
    // the next start fetches them again.
    this.delivery.stop();
    await stopping;
    // After the streams: the locks are given back only once nothing polls here any more.
    const team = this.team;
    this.team = null;
    await team?.stop();
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
    this.delivery.resend();
    this.emit('statusChanged', this.status());
  }

  /** The single entry for every command from any transport: validates, then runs. */
  async dispatch(name: unknown, rawInput: unknown): Promise<Result<unknown>> {
    if (!isCommandName(name)) return err({ kind: 'invalidInput', detail: 'unknown command' });
    const parsed = commands[name].input.safeParse(rawInput ?? {});
    if (!parsed.success) return err({ kind: 'invalidInput', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500) });
    try {
      return await this.run(name, parsed.data as Input<typeof name>);
    } catch (e) {
      // The team database refused or is gone: say so, as every team command does.
      if (e instanceof TeamDbError || (this.team && isSqlState(e))) return err(teamErr(e));
      this.log(`command ${name} failed: ${(e as Error).message}`);
      return err({ kind: 'platform', detail: 'internal error' });
    }
  }

  private run<C extends CommandName>(name: C, input: Input<C>): Result<Value<C>> | Promise<Result<Value<C>>> {
    return (this.handlers[name] as (i: Input<C>) => Result<Value<C>> | Promise<Result<Value<C>>>)(input);
  }

  status(): Status {
    const team = this.team;
    const streams = this.accounts.streamStatuses();
    return {
      accounts: this.accounts.describeAll(),
      // Team mode: the streams colleagues' consoles poll too, as they published them.
      streams: team ? [...streams, ...team.remoteStreams().filter((s) => this.accounts.has(s.accountId))] : streams,
      online: this.accounts.isOnline(),
      searches: this.searches.all(),
      sandboxUrl: this.opts.sandbox?.url,
      shell: this.opts.shell,
      vault: { encrypted: this.vault.encrypted, plaintextAllowed: this.settings.get().plaintextAllowed },
      xSignIn: this.xSignIn.available(),
      signIn: this.xSignIn.status(),
      fbSignIn: this.fbSignIn.status(),
      ...(team ? { team: team.status() } : {}),
    };
  }

  private emitStatus(): void {
    // An account reconnected or the network came back: posts waiting for that go now.
    this.posts.poke();
    this.publishSoon();
    // Coalesce bursts of changes into one event.
    if (this.statusTimer || this.stopped) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.emit('statusChanged', this.status());
    }, 50);
  }

  /** Team mode: the statuses of the streams polled here, for colleagues' health view, at most once a second. */
  private publishSoon(): void {
    if (!this.team || this.publishTimer || this.stopped) return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = null;
      this.team?.publishStatuses(this.accounts.streamStatuses());
    }, 1000);
  }

  /** The team set by the environment (wins) or by the settings screen (kept in the vault). */
  private teamSetting(): { url: string; key: string | undefined } | null {
    const { config } = this.opts;
    const url = config.teamDb ?? this.vault.get<string>(TEAM_URL);
    if (!url) return null;
    return { url, key: config.teamKey ?? this.vault.get<string>(TEAM_KEY) };
  }

  /** Joins the team: this console's own accounts stop (kept on disk for solo), the team's take their place. */
  private async enterTeam(url: string, key: string | undefined): Promise<void> {
    await this.accounts.detachAll();
    const sb = this.opts.sandbox;
    const team = new TeamSession({
      url,
      key,
      consoleId: this.consoleId,
      dataDir: this.opts.config.dataDir,
      accounts: this.accounts,
      delivery: this.delivery,
      journal: this.journal,
      sending: this.sending,
      transforms: this.connectors.flatMap((c) => (c.onBatch ? [c.onBatch.bind(c)] : [])),
      storeId: () => this.settings.get().storeId,
      sandbox: sb,
      apiBase: { x: sb?.xApiUrl ?? this.opts.config.xApiUrl, graph: sb?.graphApiUrl ?? this.opts.config.graphApiUrl },
      signInSandbox: sb
        ? () =>
            signInSandboxAccounts(sb, [], {
              settings: this.settings,
              now: this.now,
              log: (l) => this.log(l),
              addX: (tokens, clientId) => this.addXAccount(tokens, clientId, sb.xApiUrl, true),
              addPages: (token, only) => this.addFacebookPages(token, sb.graphApiUrl, true, only),
            })
        : undefined,
      now: this.now,
      log: (l) => this.log(l),
      changed: () => this.emitStatus(),
      timing: this.opts.teamTiming,
    });
    this.team = team;
    this.accounts.setTeam(team.accountsSeam());
    await team.start();
  }

  /** Solo again: the team's accounts stop here (their locks go to colleagues), this console's own come back. */
  private async leaveTeam(): Promise<void> {
    const team = this.team;
    this.team = null;
    await team?.stop();
    await this.accounts.detachAll();
    this.accounts.setTeam(null);
    for (const r of await this.accounts.loadRecords()) this.accounts.attach(r);
    this.accounts.startAll();
    this.emitStatus();
  }

  /**
   * Joins a team (or with null, leaves it). The URL and key are tried first: a
   * wrong password, a wrong key or a server out of reach is said now and
   * nothing changes. Kept in the vault, never in settings.json.
   */
  private async setTeam(given: string | null | undefined, key: string | undefined): Promise<Result<Record<string, never>>> {
    // A scripted start (WEBCARE_TEAM_DB) decides the team, not the settings screen.
    if (this.opts.config.teamDb) return err({ kind: 'notAllowed' });
    // Only the key changes: the URL (with its password, which the settings screen never shows) stays.
    const url = given === undefined ? this.vault.get<string>(TEAM_URL) : given;
    if (url === undefined) return err({ kind: 'notConfigured' });
    if (given === undefined && !key) return err({ kind: 'invalidInput', detail: 'a key' });
    if (url === null) {
      if (this.team) await this.leaveTeam();
      await this.vault.delete(TEAM_URL);
      await this.vault.delete(TEAM_KEY);
      await this.settings.update({ team: false });
      this.log('left the team: solo again');
      return ok({});
    }
    try {
      parseTeamUrl(url);
    } catch (e) {
      return err(teamErr(e));
    }
    const useKey = key ?? this.vault.get<string>(TEAM_KEY);
    const problem = await probeTeam(url, useKey);
    if (problem) return err({ kind: 'team', team: problem.kind, ...(problem.detail ? { detail: problem.detail } : {}) });
    try {
      await this.vault.set(TEAM_URL, url, { sandbox: false });
      if (key) await this.vault.set(TEAM_KEY, key, { sandbox: false });
    } catch (e) {
      if (e instanceof PlaintextRefused) return err({ kind: 'consentNeeded' });
      throw e;
    }
    await this.settings.update({ team: true });
    if (this.team) {
      const old = this.team;
      this.team = null;
      await old.stop();
    }
    await this.enterTeam(url, useKey);
    this.emitStatus();
    return ok({});
  }

  /** Team mode: the reply goes to the team's outbox, and the console polling the account sends it. */
  private sendReply(input: SendReplyInput): Promise<Result<Message>> {
    if (!this.team) return this.sending.sendReply(input);
    return this.team.outbox.enqueue(input);
  }

  private async addXAccount(tokens: XTokens, clientId: string, apiUrl: string | undefined, sandbox: boolean): Promise<void> {
    const { record, secret } = await xAccountFromTokens(tokens, clientId, apiUrl, sandbox, this.now);
    await this.accounts.add(record, secret);
    this.log(`connected X account @${record.handle}${sandbox ? ' (sandbox)' : ''}`);
  }

  private async addFacebookPages(userToken: string, apiUrl: string | undefined, sandbox: boolean, only?: string[]): Promise<string[]> {
    const pages = await facebookPagesFromToken(userToken, apiUrl, sandbox, this.opts.config, only);
    const connected: string[] = [];
    for (const { record, secret } of pages) {
      await this.accounts.add(record, secret);
      connected.push(record.id);
      this.log(`connected Facebook Page ${record.name}${sandbox ? ' (sandbox)' : ''}`);
    }
    return connected;
  }

  private async removeAccount(accountId: string): Promise<Result<Record<string, never>>> {
    if (!this.accounts.has(accountId)) return err({ kind: 'unknownAccount' });
    // A department login may not change the team's accounts (the database would refuse it too).
    if (this.team && this.team.link.me?.role === 'department') return err({ kind: 'notAllowed' });
    await this.accounts.detach(accountId);
    await this.searches.dropAccounts([accountId]);
    await this.delivery.dropCursors(`${accountId}/`);
    await this.accounts.remove(accountId);
    await this.spending.forget(accountId);
    return ok({});
  }

  private async setAccountSpending(i: { accountId: string; dailyBudgetUsd?: number | null; pagesPerPoll?: number; ownsApp?: boolean }): Promise<Result<Record<string, never>>> {
    const live = this.accounts.get(i.accountId);
    if (!live) return err({ kind: 'unknownAccount' });
    // Only X bills reads; Graph is rate-limited, not billed.
    if (live.record.platform !== 'x') return err({ kind: 'notAllowed' });
    await this.spending.set(i.accountId, i);
    this.log(`spending of ${i.accountId}: ${JSON.stringify({ dailyBudgetUsd: i.dailyBudgetUsd, pagesPerPoll: i.pagesPerPoll, ownsApp: i.ownsApp })}`);
    // A raised budget resumes paused streams now.
    this.accounts.pokeAccount(i.accountId);
    this.emitStatus();
    return ok({});
  }

  private async openExternal(url: string): Promise<Result<Record<string, never>>> {
    const safe = safeExternalUrl(url);
    if (!safe || !this.opts.openExternal) return err({ kind: 'notAllowed' });
    await this.opts.openExternal(safe);
    return ok({});
  }
}

/** A PostgreSQL error (it carries a five-character SQLSTATE). */
function isSqlState(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
