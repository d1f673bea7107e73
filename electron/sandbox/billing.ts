/**
 * What X would bill the app for reads under pay-per-use (docs.x.com, "X API
 * pay-per-usage pricing", 2026): every resource returned costs its unit price
 * (Posts: Read $0.005, DM Event: Read $0.010, User: Read $0.010; "Owned Reads"
 * $0.001 a post when the path's {id} is the authenticated user who owns the app,
 * as on GET /2/users/{id}/mentions and /tweets), and "all resources are
 * deduplicated within a 24-hour UTC day window": the same resource read again
 * the same UTC day is not billed again; the window resets at midnight UTC.
 *
 * Counted here: the `data` of 200 answers. Whether expanded objects (includes)
 * are billed is unverified, so they are not.
 */

export const X_READ_USD = { post: 0.005, ownedPost: 0.001, dmEvent: 0.01, user: 0.01 } as const;

type Resource = 'post' | 'dm_event' | 'user';

export interface BillDay {
  /** The day's bill in US dollars. */
  usd: number;
  /** Resources billed that day, per kind (each once). */
  post: number;
  dm_event: number;
  user: number;
}

/** Which endpoints return which resource at which price; the sandbox app is owned by the brand. */
function priceOf(endpoint: string, tokenUserId: string, path: string): { kind: Resource; usd: number } | null {
  switch (endpoint) {
    case 'GET /2/users/:id/mentions':
    case 'GET /2/users/:id/tweets': {
      const id = decodeURIComponent(/^\/2\/users\/([^/]+)\//.exec(path)?.[1] ?? '');
      return { kind: 'post', usd: id === tokenUserId ? X_READ_USD.ownedPost : X_READ_USD.post };
    }
    case 'GET /2/tweets/search/recent':
    case 'GET /2/tweets':
    case 'GET /2/tweets/:id':
      return { kind: 'post', usd: X_READ_USD.post };
    case 'GET /2/dm_events':
    case 'GET /2/dm_conversations/with/:participant_id/dm_events':
    case 'GET /2/dm_conversations/:dm_conversation_id/dm_events':
      return { kind: 'dm_event', usd: X_READ_USD.dmEvent };
    case 'GET /2/users/me':
    case 'GET /2/users/:id':
    case 'GET /2/users/by/username/:username':
      return { kind: 'user', usd: X_READ_USD.user };
    default:
      return null;
  }
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class XBilling {
  /** Per UTC day: resource key → what it was billed. */
  private readonly days = new Map<string, Map<string, number>>();

  /** Bills what a 200 answer of `endpoint` returned (its JSON `data`, one object or a list). */
  charge(endpoint: string, tokenUserId: string, path: string, body: string, now: number): void {
    const price = priceOf(endpoint, tokenUserId, path);
    if (!price) return;
    let data: unknown;
    try {
      data = (JSON.parse(body) as { data?: unknown }).data;
    } catch {
      return;
    }
    const items = Array.isArray(data) ? data : data === undefined ? [] : [data];
    const day = utcDay(now);
    let billed = this.days.get(day);
    if (!billed) this.days.set(day, (billed = new Map()));
    for (const item of items) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') continue;
      const key = `${price.kind}:${id}`;
      if (!billed.has(key)) billed.set(key, price.usd);
    }
  }

  /** Every day with reads, oldest first. */
  summary(): Record<string, BillDay> {
    const out: Record<string, BillDay> = {};
    for (const [day, billed] of [...this.days].sort(([a], [b]) => a.localeCompare(b))) {
      const d: BillDay = { usd: 0, post: 0, dm_event: 0, user: 0 };
      for (const [key, usd] of billed) {
        d[key.slice(0, key.indexOf(':')) as Resource]++;
        d.usd += usd;
      }
      d.usd = Math.round(d.usd * 10_000) / 10_000;
      out[day] = d;
    }
    return out;
  }

  clear(): void {
    this.days.clear();
  }
}
