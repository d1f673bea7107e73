import { describe, expect as globalExpect, it } from 'vitest';
import type { Result, SendReplyInput } from '../../shared/contract';
import type { Account, Message, StreamKind, StreamStatus } from '../../shared/model';
import type { HostCore } from '../../electron/host/hostCore';
import type { Fault } from '../../electron/sandbox/faults';
import { SANDBOX_BRAND } from '../../electron/sandbox/server';
import { FakeRenderer, until, world, type CoreOptions, type Requests, type World } from './harness';

/**
 * Every fault the sandbox can force, on a request path the host really polls or
 * posts to, with what the host must show for it. Each row runs in a world of its
 * own and checks three things: the fault fired (the sandbox counted a hit on the
 * rule), the host reacted as the row says (a wait, a backoff with the error's
 * kind, a parked stream, an account to reconnect, a send's answer), and once the
 * fault is gone the stream polls again (its lastOkAt moves). Rows run
 * concurrently; each is a few seconds.
 */

const X_ID = SANDBOX_BRAND.xUserId;
const PAGE = SANDBOX_BRAND.fbPageId;
const MENTIONS = `/x/2/users/${X_ID}/mentions`;
const OWN_POSTS = `/x/2/users/${X_ID}/tweets`;
const DM_EVENTS = '/x/2/dm_events';
const X_TOKEN = '/x/2/oauth2/token';
const FEED = `/graph/v25.0/${PAGE}/feed`;
const VISITOR_POSTS = `/graph/v25.0/${PAGE}/visitor_posts`;
const CONVERSATIONS = `/graph/v25.0/${PAGE}/conversations`;
const PAGE_MESSAGES = `/graph/v25.0/${PAGE}/messages`;

/** Every fault type of the sandbox: the compiler insists a new one is added here, and the coverage test below that a row uses it. */
const FAULT_TYPES = {
  status: true,
  rateLimit: true,
  usageCapped: true,
  creditsDepleted: true,
  timeout: true,
  reset: true,
  malformed: true,
  html: true,
  revoked: true,
  commitThen: true,
} as const satisfies Record<Fault['type'], true>;

type Recovery = 'by itself' | 'after a restart' | 'after a reconnect';

interface Ctx {
  /** When the fault was added (epoch ms). */
  at: number;
  /** The host's clock offset for rows that move it (ms). */
  clock: { skewMs: number };
}

interface PollRow {
  name: string;
  fault: Fault;
  /** Default 1; 0 = until cleared. */
  times?: number;
  method?: string;
  path: string;
  stream: StreamKind;
  host?: Partial<CoreOptions>;
  /** Makes the host send the request the fault is on, when polling alone does not. */
  provoke?: (ctx: Ctx) => void;
  /** What the host shows while the fault is on. */
  shows: string;
  reacted: (s: StreamStatus, account: Account | undefined, ctx: Ctx) => boolean;
  recovers: Recovery;
}

type Channel = 'x_mention' | 'x_dm' | 'fb_comment' | 'fb_message';
interface SendRow {
  name: string;
  fault: Fault;
  times?: number;
  channel: Channel;
  /** The request path the reply goes to (a comment's own path is known only once it arrived). */
  path: string | ((target: Message) => string);
  host?: Partial<CoreOptions>;
  shows: string;
  answered: (r: Result<Message>, ctx: Ctx) => boolean;
  /** Replies on the platform right after the failed send: 0 when nothing was carried out, 1 when it was. */
  postedAfterFault: 0 | 1;
  recovers: 'by a retry' | 'after a reconnect';
  /** The stream of the same account whose polling must go on after the fault. */
  stream: StreamKind;
}

const SHORT_TIMEOUT = { requestTimeoutMs: 400 };
/**
 * Only `kind` polls fast. For an offline fault: any other stream's success says the
 * network is back and pokes every stream at once, so "offline" would last only
 * milliseconds; with the others quiet it stays until the stream's own backoff ends.
 */
const onlyFast = (kind: StreamKind): Partial<CoreOptions> => ({
  pollIntervalMs: { x_mentions: 60_000, x_own: 60_000, x_dms: 60_000, x_search: 60_000, fb_comments: 60_000, fb_visitor_posts: 60_000, fb_messages: 60_000, [kind]: 100 },
});
const waiting = (reason: NonNullable<StreamStatus['wait']>['reason'], fromMs: number, toMs: number) => (s: StreamStatus, _a: Account | undefined, { at }: Ctx) =>
  s.wait?.reason === reason && s.wait.until >= at + fromMs && s.wait.until <= Date.now() + toMs && !s.stopped;
const backingOff = (lastError: string | RegExp) => (s: StreamStatus) =>
  (typeof lastError === 'string' ? s.lastError === lastError : lastError.test(s.lastError ?? '')) && !s.wait && !s.stopped && s.nextPollAt !== undefined;
const toReconnect = (s: StreamStatus, a: Account | undefined) => s.lastError === 'reconnectNeeded' && s.stopped === 'reconnectNeeded' && s.nextPollAt === undefined && a?.state === 'reconnect';

const POLL_ROWS: PollRow[] = [
  // X: GET mentions, own posts, DM events, and the token endpoint behind them.
  { name: 'X status 503 on mentions', fault: { type: 'status', status: 503 }, path: MENTIONS, stream: 'x_mentions', shows: 'backoff, lastError platform: Service Unavailable', reacted: backingOff('platform: Service Unavailable'), recovers: 'by itself' },
  { name: 'X rateLimit (15-minute window, reset in 2 s) on mentions', fault: { type: 'rateLimit', resetInSeconds: 2 }, path: MENTIONS, stream: 'x_mentions', shows: 'wait rateLimited until the reset', reacted: waiting('rateLimited', 1000, 5000), recovers: 'by itself' },
  { name: 'X rateLimit day:user (24-hour limit spent, reset in 2 s) on DM events', fault: { type: 'rateLimit', resetInSeconds: 2, day: 'user' }, path: DM_EVENTS, stream: 'x_dms', shows: 'wait rateLimited until the day reset, not the 15-minute one', reacted: waiting('rateLimited', 1000, 5000), recovers: 'by itself' },
  { name: 'X rateLimit day:app (24-hour app limit spent, reset in 2 s) on own posts', fault: { type: 'rateLimit', resetInSeconds: 2, day: 'app' }, path: OWN_POSTS, stream: 'x_own', shows: 'wait rateLimited until the day reset', reacted: waiting('rateLimited', 1000, 5000), recovers: 'by itself' },
  { name: 'X usageCapped on mentions', fault: { type: 'usageCapped' }, times: 0, path: MENTIONS, stream: 'x_mentions', shows: 'parked: stopped rateLimited, no next poll', reacted: (s, a) => s.stopped === 'rateLimited' && s.lastError === 'rateLimited' && s.nextPollAt === undefined && a?.state === 'connected', recovers: 'after a restart' },
  // Credits are retried on a slow schedule (15 minutes at the default intervals, 3 s at FAST's for own posts); one refusal, as after a top-up.
  { name: 'X creditsDepleted on own posts', fault: { type: 'creditsDepleted' }, path: OWN_POSTS, stream: 'x_own', shows: 'wait creditsDepleted, account still connected', reacted: (s, a, ctx) => waiting('creditsDepleted', 2000, 5000)(s, a, ctx) && s.lastError === 'creditsDepleted' && a?.state === 'connected', recovers: 'by itself' },
  { name: 'X timeout on mentions', fault: { type: 'timeout' }, path: MENTIONS, stream: 'x_mentions', host: { ...SHORT_TIMEOUT, ...onlyFast('x_mentions') }, shows: 'backoff, lastError offline', reacted: backingOff('offline'), recovers: 'by itself' },
  { name: 'X reset on DM events', fault: { type: 'reset' }, path: DM_EVENTS, stream: 'x_dms', host: onlyFast('x_dms'), shows: 'backoff, lastError offline', reacted: backingOff('offline'), recovers: 'by itself' },
  { name: 'X malformed (truncated JSON) on mentions', fault: { type: 'malformed' }, path: MENTIONS, stream: 'x_mentions', shows: 'backoff, lastError platform: incomplete response', reacted: backingOff('platform: incomplete response'), recovers: 'by itself' },
  { name: 'X html 502 (proxy page) on own posts', fault: { type: 'html', status: 502 }, path: OWN_POSTS, stream: 'x_own', shows: 'backoff, lastError platform (HTTP 502)', reacted: backingOff(/^platform: .*\b502\b/), recovers: 'by itself' },
  // A 401 is answered by one refresh and one retry; refused again, the account needs the person.
  { name: 'X revoked on mentions', fault: { type: 'revoked' }, times: 0, path: MENTIONS, stream: 'x_mentions', shows: 'account reconnect, streams parked', reacted: toReconnect, recovers: 'after a reconnect' },
  {
    name: 'X revoked on the token endpoint (a refresh refused)',
    fault: { type: 'revoked' },
    times: 0,
    method: 'POST',
    path: X_TOKEN,
    stream: 'x_mentions',
    // The host's clock jumps past the access token's two hours: the next poll refreshes first.
    provoke: ({ clock }) => {
      clock.skewMs = 2 * 3600_000;
    },
    shows: 'account reconnect, streams parked',
    reacted: toReconnect,
    recovers: 'after a reconnect',
  },
  { name: 'X commitThen 503 on mentions (a read carried out, its answer lost)', fault: { type: 'commitThen', then: 'status', status: 503 }, path: MENTIONS, stream: 'x_mentions', shows: 'backoff, lastError platform: Service Unavailable', reacted: backingOff('platform: Service Unavailable'), recovers: 'by itself' },

  // Graph: GET the feed (comments), visitor posts and Messenger conversations.
  { name: 'Graph status 500 on the feed', fault: { type: 'status', status: 500 }, path: FEED, stream: 'fb_comments', shows: 'backoff, lastError platform (Graph code 2, transient)', reacted: backingOff(/^platform: An unexpected error has occurred/), recovers: 'by itself' },
  // Under a minute, Graph names no wait (estimated_time_to_regain_access 0): back off and try again.
  { name: 'Graph rateLimit code 80001, regain in under a minute, on the feed', fault: { type: 'rateLimit', code: 80001, resetInSeconds: 30 }, path: FEED, stream: 'fb_comments', shows: 'backoff, lastError rateLimited, no wait named', reacted: backingOff('rateLimited'), recovers: 'by itself' },
  // Two minutes named: the stream waits them out (a restarted host asks again at once: the wait is not kept).
  {
    name: 'Graph rateLimit code 80006, regain in 2 minutes, on conversations',
    fault: { type: 'rateLimit', code: 80006, resetInSeconds: 120 },
    path: CONVERSATIONS,
    stream: 'fb_messages',
    shows: 'wait throttled for the minutes Graph names',
    reacted: (s, a, ctx) => waiting('throttled', 120_000, 125_000)(s, a, ctx) && s.lastError === 'rateLimited',
    recovers: 'after a restart',
  },
  { name: 'Graph usageCapped (code 4) on conversations', fault: { type: 'usageCapped' }, path: CONVERSATIONS, stream: 'fb_messages', shows: 'backoff, lastError rateLimited (a throttle, not a stop)', reacted: backingOff('rateLimited'), recovers: 'by itself' },
  { name: 'Graph creditsDepleted (plain 402) on visitor posts', fault: { type: 'creditsDepleted' }, path: VISITOR_POSTS, stream: 'fb_visitor_posts', shows: 'backoff, lastError platform (Graph code 1)', reacted: backingOff('platform: An unknown error has occurred.'), recovers: 'by itself' },
  { name: 'Graph timeout on conversations', fault: { type: 'timeout' }, path: CONVERSATIONS, stream: 'fb_messages', host: { ...SHORT_TIMEOUT, ...onlyFast('fb_messages') }, shows: 'backoff, lastError offline', reacted: backingOff('offline'), recovers: 'by itself' },
  { name: 'Graph reset on the feed', fault: { type: 'reset' }, path: FEED, stream: 'fb_comments', host: onlyFast('fb_comments'), shows: 'backoff, lastError offline', reacted: backingOff('offline'), recovers: 'by itself' },
  { name: 'Graph malformed (truncated JSON) on visitor posts', fault: { type: 'malformed' }, path: VISITOR_POSTS, stream: 'fb_visitor_posts', shows: 'backoff, lastError platform: malformed response', reacted: backingOff('platform: malformed response'), recovers: 'by itself' },
  { name: 'Graph html 502 (proxy page) on the feed', fault: { type: 'html', status: 502 }, path: FEED, stream: 'fb_comments', shows: 'backoff, lastError platform: malformed response', reacted: backingOff('platform: malformed response'), recovers: 'by itself' },
  { name: 'Graph revoked (190/460) on the feed', fault: { type: 'revoked' }, times: 0, path: FEED, stream: 'fb_comments', shows: 'account reconnect, streams parked', reacted: toReconnect, recovers: 'after a reconnect' },
];

const errorKind = (r: Result<Message>) => (r.ok ? 'ok' : r.error.kind);
const SEND_ROWS: SendRow[] = [
  { name: 'X creditsDepleted on a reply', fault: { type: 'creditsDepleted' }, channel: 'x_mention', path: '/x/2/tweets', stream: 'x_mentions', shows: 'creditsDepleted, nothing posted', answered: (r) => errorKind(r) === 'creditsDepleted', postedAfterFault: 0, recovers: 'by a retry' },
  {
    name: 'X rateLimit day:app (posts per day spent, reset in 30 s) on a reply',
    fault: { type: 'rateLimit', day: 'app', resetInSeconds: 30 },
    channel: 'x_mention',
    path: '/x/2/tweets',
    stream: 'x_mentions',
    shows: 'rateLimited with the day reset, nothing posted',
    answered: (r, { at }) => !r.ok && r.error.kind === 'rateLimited' && (r.error.resetAt ?? 0) >= at + 30_000 && (r.error.resetAt ?? 0) <= Date.now() + 35_000,
    postedAfterFault: 0,
    recovers: 'by a retry',
  },
  { name: 'X usageCapped on a DM', fault: { type: 'usageCapped' }, channel: 'x_dm', path: '/x/2/dm_conversations', stream: 'x_dms', shows: 'rateLimited, nothing posted', answered: (r) => errorKind(r) === 'rateLimited', postedAfterFault: 0, recovers: 'by a retry' },
  { name: 'X revoked on a reply', fault: { type: 'revoked' }, times: 0, channel: 'x_mention', path: '/x/2/tweets', stream: 'x_mentions', shows: 'reconnectNeeded, nothing posted', answered: (r) => errorKind(r) === 'reconnectNeeded', postedAfterFault: 0, recovers: 'after a reconnect' },
  { name: 'X status 503 on a DM (maybe carried out)', fault: { type: 'status', status: 503 }, channel: 'x_dm', path: '/x/2/dm_conversations', stream: 'x_dms', shows: 'sendUnknown: looked, not there', answered: (r) => errorKind(r) === 'sendUnknown', postedAfterFault: 0, recovers: 'by a retry' },
  {
    name: 'X commitThen reset on a reply',
    fault: { type: 'commitThen', then: 'reset' },
    channel: 'x_mention',
    path: '/x/2/tweets',
    stream: 'x_mentions',
    shows: 'found by looking (ok) or sendUnknown, posted once',
    answered: (r) => r.ok || r.error.kind === 'sendUnknown',
    postedAfterFault: 1,
    recovers: 'by a retry',
  },
  {
    name: 'Graph rateLimit code 80006 (regain in 2 minutes) on a Messenger reply',
    fault: { type: 'rateLimit', code: 80006, resetInSeconds: 120 },
    channel: 'fb_message',
    path: PAGE_MESSAGES,
    stream: 'fb_messages',
    shows: 'rateLimited (throttled) with the regain time, nothing posted',
    answered: (r, { at }) => !r.ok && r.error.kind === 'rateLimited' && r.error.throttled === true && (r.error.resetAt ?? 0) >= at + 120_000 && (r.error.resetAt ?? 0) <= Date.now() + 125_000,
    postedAfterFault: 0,
    recovers: 'by a retry',
  },
  {
    name: 'Graph commitThen timeout on a comment reply',
    fault: { type: 'commitThen', then: 'timeout' },
    channel: 'fb_comment',
    path: (m) => `/graph/v25.0/${m.conversationId}/comments`,
    host: SHORT_TIMEOUT,
    stream: 'fb_comments',
    shows: 'found by looking (ok) or sendUnknown, posted once',
    answered: (r) => r.ok || r.error.kind === 'sendUnknown',
    postedAfterFault: 1,
    recovers: 'by a retry',
  },
  { name: 'Graph revoked (190/460) on a Messenger reply', fault: { type: 'revoked' }, times: 0, channel: 'fb_message', path: PAGE_MESSAGES, stream: 'fb_messages', shows: 'reconnectNeeded, nothing posted', answered: (r) => errorKind(r) === 'reconnectNeeded', postedAfterFault: 0, recovers: 'after a reconnect' },
];

const ROW_TIMEOUT_MS = 30_000;

/** A world of its own for one row: its host started on FAST intervals against a hundred times the platforms' budgets. */
async function rowWorld(host: Partial<CoreOptions> | undefined, onFinished: (fn: () => Promise<void>) => void) {
  const w = await world({ historyPerChannel: 1, seed: 13, limits: { scale: 100 } });
  onFinished(() => w.close());
  const clock = { skewMs: 0 };
  const r = new FakeRenderer();
  const core = await w.core({ now: () => Date.now() + clock.skewMs, renderer: r, ...host });
  return { w, core, r, clock };
}

/** Every stream polled once: no first poll still under way can land on the fault or end it early. */
const firstPolls = (core: HostCore) => until(() => core.status().streams.length >= 6 && core.status().streams.every((s) => s.lastOkAt), 'the first poll of every stream');
const streamOf = (core: HostCore, kind: StreamKind) => core.status().streams.find((s) => s.kind === kind);
const accountOf = (core: HostCore, s: StreamStatus | undefined): Account | undefined => core.status().accounts.find((a) => a.id === s?.accountId);
const describeStream = (core: HostCore, kind: StreamKind) => () => {
  const s = streamOf(core, kind);
  return `${kind}: ${JSON.stringify({ lastError: s?.lastError, wait: s?.wait, stopped: s?.stopped, lastOkAt: s?.lastOkAt, nextPollAt: s?.nextPollAt, account: accountOf(core, s)?.state, now: Date.now() })}`;
};

/** The person reconnects the platform of `kind`'s account: X signs in again (the sandbox approves), a Facebook token is pasted and the Page chosen. */
async function reconnect(w: World, core: HostCore, kind: StreamKind): Promise<void> {
  if (kind.startsWith('x_')) {
    const started = await core.dispatch('connectX', {});
    if (!started.ok) throw new Error(`connectX: ${JSON.stringify(started.error)}`);
    return;
  }
  const { access_token: token } = (await w.api('/__sandbox/facebook/token', {})) as { access_token: string };
  const connected = await core.dispatch('connectFacebookPages', { token, pageIds: [PAGE] });
  if (!connected.ok) throw new Error(`connectFacebookPages: ${JSON.stringify(connected.error)}`);
}

/** After the fault is gone: the stream polls again (lastOkAt after `since`, no error, not parked), on the core given. */
async function recovered(core: HostCore, kind: StreamKind, since: number) {
  return until(
    () => {
      const s = streamOf(core, kind);
      return s?.lastOkAt !== undefined && s.lastOkAt > since && !s.lastError && !s.stopped && accountOf(core, s)?.state === 'connected' ? s : null;
    },
    describeStream(core, kind),
    15_000,
  );
}

const postedWith = async (w: World, text: string) => ((await w.api('/__sandbox/posted')) as { posted: { text?: string }[] }).posted.filter((p) => p.text === text).length;

describe.concurrent('fault table: polling', () => {
  for (const row of POLL_ROWS) {
    it(`${row.name} → ${row.shows}; recovers ${row.recovers}`, { timeout: ROW_TIMEOUT_MS }, async ({ expect, onTestFinished }) => {
      const { w, core: first, clock } = await rowWorld(row.host, onTestFinished);
      let core = first;
      await firstPolls(core);
      const ctx: Ctx = { at: Date.now(), clock };
      const id = await w.fault({ method: row.method ?? 'GET', path: row.path, times: row.times ?? 1, fault: row.fault });
      row.provoke?.(ctx);

      const shown = await until(() => {
        const s = streamOf(core, row.stream);
        return s && row.reacted(s, accountOf(core, s), ctx) ? s : null;
      }, () => `${row.shows}; seen ${describeStream(core, row.stream)()}`).catch(async (e: Error) => {
        throw new Error(`${e.message}; the fault fired ${await w.faultHits(id)} time(s)`);
      });
      expect(await w.faultHits(id), 'the fault fired').toBeGreaterThanOrEqual(1);
      expect(shown.lastError, 'the stream says what went wrong').toBeTruthy();
      // A fault on one account's requests leaves the other account alone.
      const others = core.status().accounts.filter((a) => a.id !== shown.accountId);
      expect(others.length).toBe(1);
      expect(others.map((a) => a.state)).toEqual(['connected']);

      const hits = await w.clearFault(id);
      expect(hits).toBeGreaterThanOrEqual(1);
      const cleared = Date.now();
      if (row.recovers === 'after a restart') core = await w.restart(core);
      if (row.recovers === 'after a reconnect') await reconnect(w, core, row.stream);
      await recovered(core, row.stream, cleared);

      // A stream that was told to wait asked nothing until then.
      if (shown.wait && row.recovers === 'by itself') {
        const log = ((await w.api('/__sandbox/requests')) as Requests).requests.filter((q) => q.path === row.path && q.method === (row.method ?? 'GET') && q.at >= ctx.at);
        const refused = log.findIndex((q) => q.status !== 200);
        expect(refused, 'the refused request is in the log').toBeGreaterThanOrEqual(0);
        expect(log[refused + 1]?.at ?? 0, 'the next request came after the wait').toBeGreaterThanOrEqual(shown.wait.until - 50);
      }
    });
  }
});

describe.concurrent('fault table: sending', () => {
  for (const row of SEND_ROWS) {
    it(`${row.name} → ${row.shows}; recovers ${row.recovers}`, { timeout: ROW_TIMEOUT_MS }, async ({ expect, onTestFinished }) => {
      const { w, core, r, clock } = await rowWorld(row.host, onTestFinished);
      await firstPolls(core);
      const injected = (await w.api('/__sandbox/inject', { channel: row.channel, text: `Vraag voor de storingstabel ${row.name}` })) as { id: string };
      const target = await until(() => [...r.stored.values()].find((m) => m.platformId === injected.id), `the ${row.channel} to answer`);
      const input: SendReplyInput = {
        clientId: crypto.randomUUID(),
        accountId: target.accountId,
        channel: target.channel as Channel,
        conversationId: target.conversationId,
        inReplyToId: target.platformId,
        ...(row.channel === 'x_dm' || row.channel === 'fb_message' ? { recipientId: target.author.id } : {}),
        text: `Antwoord na ${row.fault.type} ${Date.now()}`,
      };
      const ctx: Ctx = { at: Date.now(), clock };
      const id = await w.fault({ method: 'POST', path: typeof row.path === 'string' ? row.path : row.path(target), times: row.times ?? 1, fault: row.fault });

      const answer = (await core.dispatch('sendReply', input)) as Result<Message>;
      expect(await w.faultHits(id), 'the fault fired').toBeGreaterThanOrEqual(1);
      expect(row.answered(answer, ctx), `${row.shows}; answered ${JSON.stringify(answer).slice(0, 300)}`).toBe(true);
      expect(await postedWith(w, input.text), 'replies on the platform after the fault').toBe(row.postedAfterFault);

      await w.clearFault(id);
      const cleared = Date.now();
      const account = accountOf(core, streamOf(core, row.stream));
      expect(core.status().accounts.filter((a) => a.id !== account?.id).map((a) => a.state), 'the other account').toEqual(['connected']);
      if (row.recovers === 'after a reconnect') {
        expect(account?.state).toBe('reconnect');
        await reconnect(w, core, row.stream);
        await recovered(core, row.stream, cleared);
      }
      expect(await core.dispatch('sendReply', input), 'the same reply again').toMatchObject({ ok: true });
      expect(await postedWith(w, input.text), 'posted exactly once').toBe(1);
      await recovered(core, row.stream, cleared);
    });
  }
});

describe('fault table: coverage', () => {
  it('has a row for every fault type the sandbox offers, and for the rateLimit code and day options', () => {
    const used = new Set([...POLL_ROWS, ...SEND_ROWS].map((r) => r.fault.type));
    globalExpect([...used].sort()).toEqual(Object.keys(FAULT_TYPES).sort());
    const limits = [...POLL_ROWS, ...SEND_ROWS].map((r) => r.fault).filter((f): f is Extract<Fault, { type: 'rateLimit' }> => f.type === 'rateLimit');
    globalExpect(new Set(limits.map((f) => f.code).filter(Boolean))).toEqual(new Set([80001, 80006]));
    globalExpect(new Set(limits.map((f) => f.day).filter(Boolean))).toEqual(new Set(['user', 'app']));
    // Each way back from a fault is in the table at least once.
    const recoveries = new Set(POLL_ROWS.map((r) => r.recovers));
    globalExpect(recoveries).toEqual(new Set<Recovery>(['by itself', 'after a restart', 'after a reconnect']));
  });

  it('the sandbox refuses a fault type it does not offer, so the table cannot miss one silently', async ({ onTestFinished }) => {
    const w = await world({ historyPerChannel: 0 });
    onTestFinished(() => w.close());
    const refused = (await w.api('/__sandbox/faults', { path: MENTIONS, fault: { type: 'slowloris' } })) as { error?: string };
    globalExpect(refused.error).toMatch(/unknown fault\.type/);
    for (const type of Object.keys(FAULT_TYPES)) {
      const fault = type === 'status' ? { type, status: 500 } : type === 'commitThen' ? { type, then: 'reset' } : { type };
      globalExpect(await w.api('/__sandbox/faults', { path: MENTIONS, fault }), type).toMatchObject({ id: globalExpect.any(String) });
    }
  });
});
