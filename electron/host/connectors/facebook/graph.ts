/**
 * A small Graph API client on global fetch. It replaces the `fb` package, which
 * is unmaintained since 2017, hard-codes https://graph.facebook.com and Graph
 * v2.3, and hides the response headers (X-App-Usage,
 * X-Business-Use-Case-Usage) that rate-aware polling needs. See README.
 */
export interface GraphUsage {
  app?: string;
  page?: string;
  businessUseCase?: string;
}

export type GraphFailure =
  | { type: 'network'; message: string } // nothing reached the server, or no answer came back
  | { type: 'timeout' }
  | { type: 'http'; status: number; code?: number; subcode?: number; message: string; body: unknown }
  | { type: 'malformed'; status: number; snippet: string };

export class GraphError extends Error {
  constructor(
    readonly failure: GraphFailure,
    readonly usage: GraphUsage,
  ) {
    super(
      failure.type === 'http'
        ? `Graph ${failure.status} code ${failure.code ?? '?'}: ${failure.message}`
        : `Graph ${failure.type}`,
    );
  }
}

export interface GraphClient {
  get<T>(path: string, params?: Record<string, string | number>): Promise<{ body: T; usage: GraphUsage }>;
  post<T>(path: string, body?: Record<string, unknown>): Promise<{ body: T; usage: GraphUsage }>;
  /** multipart/form-data (uploads). */
  postForm<T>(path: string, form: FormData): Promise<{ body: T; usage: GraphUsage }>;
  del<T>(path: string): Promise<{ body: T; usage: GraphUsage }>;
}

export interface GraphOptions {
  baseUrl?: string;
  version: string;
  accessToken: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export function createGraph(opts: GraphOptions): GraphClient {
  const base = (opts.baseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const doFetch = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 20_000;

  async function call<T>(method: string, p: string, params: Record<string, unknown> | FormData = {}) {
    const url = new URL(`${base}/${opts.version}/${p.replace(/^\/+/, '')}`);
    const headers: Record<string, string> = { Authorization: `Bearer ${opts.accessToken}` };
    const init: RequestInit = { method, headers, signal: AbortSignal.timeout(timeoutMs) };
    if (params instanceof FormData) {
      // fetch sets the multipart boundary itself.
      init.body = params;
    } else if (method === 'GET' || method === 'DELETE') {
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    } else {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(params);
    }
    let res: Response;
    try {
      res = await doFetch(url, init);
    } catch (e) {
      const name = (e as Error).name;
      throw new GraphError(
        name === 'TimeoutError' || name === 'AbortError' ? { type: 'timeout' } : { type: 'network', message: String((e as Error).message) },
        {},
      );
    }
    const usage: GraphUsage = {
      app: res.headers.get('x-app-usage') ?? undefined,
      page: res.headers.get('x-page-usage') ?? undefined,
      businessUseCase: res.headers.get('x-business-use-case-usage') ?? undefined,
    };
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      const name = (e as Error).name;
      throw new GraphError(name === 'TimeoutError' ? { type: 'timeout' } : { type: 'network', message: 'body lost' }, usage);
    }
    let body: unknown;
    try {
      body = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw new GraphError({ type: 'malformed', status: res.status, snippet: text.slice(0, 120) }, usage);
    }
    const error = (body as { error?: { message?: string; code?: number; error_subcode?: number } } | null)?.error;
    if (!res.ok || error) {
      throw new GraphError(
        { type: 'http', status: res.status, code: error?.code, subcode: error?.error_subcode, message: error?.message ?? `HTTP ${res.status}`, body },
        usage,
      );
    }
    if (body === null || typeof body !== 'object') {
      throw new GraphError({ type: 'malformed', status: res.status, snippet: text.slice(0, 120) }, usage);
    }
    return { body: body as T, usage };
  }

  return {
    get: (p, q) => call('GET', p, q),
    post: (p, b) => call('POST', p, b),
    postForm: (p, f) => call('POST', p, f),
    del: (p) => call('DELETE', p),
  };
}

/**
 * The highest percentage in the usage headers (call_count, total_time,
 * total_cputime), or undefined when none was sent. Graph sends them only
 * "once enough calls have been made".
 */
export function usagePercent(usage: GraphUsage): number | undefined {
  const values: number[] = [];
  const collect = (v: unknown) => {
    if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (k !== 'estimated_time_to_regain_access' && k !== 'type') collect(x);
    }
  };
  for (const raw of [usage.app, usage.page, usage.businessUseCase]) {
    if (!raw) continue;
    try {
      collect(JSON.parse(raw));
    } catch {
      // a malformed header says nothing
    }
  }
  return values.length ? Math.max(...values) : undefined;
}

/** The longest wait Graph can name: its usage windows are rolling 24 hours at most. */
const MAX_REGAIN_MS = 24 * 3600_000;

/**
 * How long Graph says a throttled caller must wait (ms): the largest
 * `estimated_time_to_regain_access` (minutes) in the usage headers, or
 * undefined when none is above 0. X-Business-Use-Case-Usage carries it per
 * business object and use case (`{"<page-id>":[{"type":"messenger",…,
 * "estimated_time_to_regain_access":12}]}`); it is read wherever a header has
 * it (Meta, "Rate Limits": https://developers.facebook.com/docs/graph-api/overview/rate-limiting).
 */
export function regainAccessMs(usage: GraphUsage): number | undefined {
  let minutes = 0;
  const collect = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'estimated_time_to_regain_access') {
          if (typeof x === 'number' && Number.isFinite(x) && x > minutes) minutes = x;
        } else collect(x);
      }
    }
  };
  for (const raw of [usage.app, usage.page, usage.businessUseCase]) {
    if (!raw) continue;
    try {
      collect(JSON.parse(raw));
    } catch {
      // a malformed header says nothing
    }
  }
  return minutes > 0 ? Math.min(minutes * 60_000, MAX_REGAIN_MS) : undefined;
}
