/**
 * X rate limits (per endpoint and token user, 15-minute windows;
 * docs.x.com/x-api/fundamentals/rate-limits) and Graph usage accounting
 * (X-App-Usage, X-Business-Use-Case-Usage).
 */

const WINDOW_MS = 15 * 60_000;
const DAY_MS = 24 * 3_600_000;

export interface XLimitSpec {
  per15: number;
  /** Optional 24-hour caps, reported the way twitter-api-v2 parses them. */
  userDay?: number;
  appDay?: number;
}

export const X_LIMITS: Record<string, XLimitSpec> = {
  'GET /2/users/:id/mentions': { per15: 300 },
  'GET /2/tweets/search/recent': { per15: 300 },
  'GET /2/users/me': { per15: 75 },
  'POST /2/tweets': { per15: 100, appDay: 10_000 },
  'DELETE /2/tweets/:id': { per15: 50 },
  // Media (docs.x.com rate-limit table): per user per 15 minutes, per app per 24 hours.
  'POST /2/media/upload': { per15: 500, appDay: 50_000 },
  'GET /2/media/upload': { per15: 1_000, appDay: 100_000 },
  'POST /2/media/upload/initialize': { per15: 1_875, appDay: 180_000 },
  'POST /2/media/upload/:id/append': { per15: 1_875, appDay: 180_000 },
  'POST /2/media/upload/:id/finalize': { per15: 1_875, appDay: 180_000 },
  'POST /2/media/metadata': { per15: 500, appDay: 50_000 },
  'GET /2/dm_events': { per15: 15 },
  'GET /2/dm_conversations/with/:participant_id/dm_events': { per15: 15 },
  'GET /2/dm_conversations/:dm_conversation_id/dm_events': { per15: 15 },
  'POST /2/dm_conversations/with/:participant_id/messages': { per15: 15, userDay: 1_440 },
  'GET /2/users/:id/tweets': { per15: 900 },
  'GET /2/tweets': { per15: 5_000 },
  'GET /2/tweets/:id': { per15: 900 },
  'GET /2/users/:id': { per15: 900 },
  'GET /2/users/by/username/:username': { per15: 900 },
};

interface Window {
  start: number;
  count: number;
}

export interface XLimitResult {
  allowed: boolean;
  headers: Record<string, string>;
}

export class XRateLimiter {
  private readonly windows = new Map<string, Window>();
  /** Test knob (/__sandbox/limits): every limit times this factor; 1 is X's real table. */
  scale = 1;

  private scaled(n: number): number {
    return Math.max(1, Math.round(n * this.scale));
  }

  private take(key: string, limit: number, span: number, now: number): { allowed: boolean; remaining: number; reset: number } {
    let w = this.windows.get(key);
    if (!w || now >= w.start + span || now < w.start - span) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const allowed = w.count < limit;
    if (allowed) w.count++;
    return { allowed, remaining: Math.max(0, limit - w.count), reset: Math.ceil((w.start + span) / 1000) };
  }

  hit(endpoint: string, userId: string, now: number): XLimitResult {
    const spec = X_LIMITS[endpoint];
    if (!spec) return { allowed: true, headers: {} };
    const per15 = this.scaled(spec.per15);
    const main = this.take(`${endpoint}|${userId}`, per15, WINDOW_MS, now);
    const headers: Record<string, string> = {
      'x-rate-limit-limit': String(per15),
      'x-rate-limit-remaining': String(main.remaining),
      'x-rate-limit-reset': String(main.reset),
    };
    let allowed = main.allowed;
    if (allowed && spec.userDay) {
      const userDay = this.scaled(spec.userDay);
      const d = this.take(`day|${endpoint}|${userId}`, userDay, DAY_MS, now);
      Object.assign(headers, { 'x-user-limit-24hour-limit': String(userDay), 'x-user-limit-24hour-remaining': String(d.remaining), 'x-user-limit-24hour-reset': String(d.reset) });
      allowed = d.allowed;
    }
    if (allowed && spec.appDay) {
      const appDay = this.scaled(spec.appDay);
      const d = this.take(`app|${endpoint}`, appDay, DAY_MS, now);
      Object.assign(headers, { 'x-app-limit-24hour-limit': String(appDay), 'x-app-limit-24hour-remaining': String(d.remaining), 'x-app-limit-24hour-reset': String(d.reset) });
      allowed = d.allowed;
    }
    return { allowed, headers };
  }

  clear(): void {
    this.windows.clear();
    this.scale = 1;
  }
}

/** Calls per rolling hour for user and system-user tokens (platform rate limit, 200 × one daily user). */
export const GRAPH_APP_CALLS_PER_HOUR = 200;
/** Pages: 4,800 calls × engaged users per rolling 24 h (Meta, "page-level rate limits"). */
export const GRAPH_PAGE_CALLS_PER_ENGAGED_USER = 4_800;

class Rolling {
  private times: number[] = [];

  add(now: number): void {
    this.times.push(now);
  }

  count(now: number, span: number): number {
    const from = now - span;
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] as number) < from) drop++;
    if (drop) this.times = this.times.slice(drop);
    return this.times.length;
  }

  /** When the window will hold fewer than `limit` calls again. */
  regainAt(limit: number, span: number): number {
    const idx = this.times.length - limit;
    return idx >= 0 ? (this.times[idx] as number) + span : 0;
  }
}

export interface GraphUsageResult {
  headers: Record<string, string>;
  throttled?: { code: number; message: string };
}

/**
 * Messenger API calls (Conversations API and Send API) per rolling 24 h:
 * 200 × the people the Page can message through Messenger (Meta, "Messenger
 * Platform rate limits",
 * https://developers.facebook.com/documentation/business-messaging/messenger-platform/overview/rate-limiting).
 */
export const GRAPH_MESSENGER_CALLS_PER_PERSON = 200;

/** A Business Use Case of a Page token: which budget a call counts against. */
export type GraphUseCase = 'pages' | 'messenger';

/**
 * The errors Graph answers once a use case's budget is spent, as Meta's Graph
 * reference pages word them (error tables of the Page and User nodes).
 */
export const GRAPH_BUC_ERRORS: Record<number, { type: string; message: string }> = {
  80001: { type: 'pages', message: '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.' },
  80006: { type: 'messenger', message: '(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.' },
};
const BUC_CODE: Record<GraphUseCase, number> = { pages: 80001, messenger: 80006 };

const pct = (n: number, of: number) => Math.min(100, Math.round((n / of) * 100));

export class GraphUsage {
  private app = new Rolling();
  private readonly pages = new Map<string, Rolling>();
  /** Test knob (/__sandbox/limits): budgets times this factor. */
  scale = 1;

  /**
   * One call. A Page token's call counts against its use case: Messenger calls
   * against 200 × `messengerPeople`, everything else against 4,800 × `engagedUsers`.
   */
  hit(kind: 'user' | 'page', pageId: string | undefined, engagedUsers: number, now: number, useCase: GraphUseCase = 'pages', messengerPeople = 0): GraphUsageResult {
    if (kind === 'user') this.app.add(now);
    const appCalls = this.app.count(now, 3_600_000);
    const appBudget = Math.max(1, Math.round(GRAPH_APP_CALLS_PER_HOUR * this.scale));
    const headers: Record<string, string> = {
      'x-app-usage': JSON.stringify({ call_count: pct(appCalls, appBudget), total_cputime: pct(appCalls, appBudget * 2), total_time: pct(appCalls, appBudget * 2) }),
    };
    if (kind === 'user') {
      if (appCalls > appBudget) return { headers, throttled: { code: 4, message: '(#4) Application request limit reached' } };
      return { headers };
    }
    const id = pageId ?? '';
    const key = useCase === 'pages' ? id : `${useCase}|${id}`;
    let window = this.pages.get(key);
    if (!window) {
      window = new Rolling();
      this.pages.set(key, window);
    }
    window.add(now);
    const perUnit = useCase === 'messenger' ? GRAPH_MESSENGER_CALLS_PER_PERSON * Math.max(1, messengerPeople) : GRAPH_PAGE_CALLS_PER_ENGAGED_USER * Math.max(1, engagedUsers);
    const budget = Math.max(1, Math.round(perUnit * this.scale));
    const calls = window.count(now, DAY_MS);
    const over = calls > budget;
    const regainMin = over ? Math.max(1, Math.ceil((window.regainAt(budget, DAY_MS) - now) / 60_000)) : 0;
    headers['x-business-use-case-usage'] = JSON.stringify({
      [id]: [{ type: useCase, call_count: pct(calls, budget), total_cputime: pct(calls, budget * 2), total_time: pct(calls, budget * 2), estimated_time_to_regain_access: regainMin }],
    });
    if (over) {
      const code = BUC_CODE[useCase];
      return { headers, throttled: { code, message: (GRAPH_BUC_ERRORS[code] as { message: string }).message } };
    }
    return { headers };
  }

  clear(): void {
    this.pages.clear();
    this.app = new Rolling();
    this.scale = 1;
  }
}
