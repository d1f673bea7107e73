import type { IncomingMessage } from 'node:http';

/**
 * Handlers build a response value instead of writing to the socket, so a
 * fault such as commitThen can run the real side effect and still decide how
 * (or whether) the answer reaches the client.
 */
export interface Resp {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Resp {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

export function html(status: number, page: string, headers: Record<string, string> = {}): Resp {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: page };
}

export type BodyKind = 'none' | 'json' | 'form' | 'multipart' | 'other';

/** A part of a multipart/form-data body: a text field, or a file (its bytes kept as a Buffer). */
export type Part = { name: string; value: string } | { name: string; filename: string; contentType: string; data: Buffer };

export interface Body {
  kind: BodyKind;
  /** Parsed JSON value, or the form fields as an object. */
  value: unknown;
  raw: string;
  contentType: string;
  /** Set when the declared JSON did not parse. */
  invalid?: string;
  /** multipart/form-data: every part, files with their bytes. */
  parts?: Part[];
}

/** A small multipart/form-data parser (RFC 7578), enough for uploads; null when malformed. */
export function parseMultipart(body: Buffer, boundary: string): Part[] | null {
  const delim = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delim);
  if (pos < 0) return null;
  for (;;) {
    pos += delim.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') return null;
    pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) return null;
    const head = body.subarray(pos, headEnd).toString('utf8');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headEnd + 4);
    if (next < 0) return null;
    const data = body.subarray(headEnd + 4, next);
    const disp = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disp)?.[1];
    if (name === undefined) return null;
    const filename = /\bfilename="([^"]*)"/i.exec(disp)?.[1];
    const declared = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim().toLowerCase();
    const contentType = declared ?? 'application/octet-stream';
    // Bytes may come without a filename, typed only (twitter-api-v2 sends `Content-Type: application/octet-stream`).
    const isFile = filename !== undefined || (declared !== undefined && !declared.startsWith('text/'));
    parts.push(isFile ? { name, filename: filename ?? '', contentType, data: Buffer.from(data) } : { name, value: data.toString('utf8') });
    pos = next + 2;
  }
}

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLarge(`body over ${limit} bytes`);
    chunks.push(buf);
  }
  // Decode once over the whole buffer: a multi-byte character may straddle two chunks.
  const buffer = Buffer.concat(chunks);
  const raw = buffer.toString('utf8');
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('multipart/form-data')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(String(req.headers['content-type']))?.[1];
    const parts = boundary ? parseMultipart(buffer, boundary) : null;
    if (!parts) return { kind: 'multipart', value: undefined, raw, contentType, invalid: 'malformed multipart body' };
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const p of parts) if ('value' in p) fields[p.name] = p.value;
    return { kind: 'multipart', value: fields, raw, contentType, parts };
  }
  if (raw.length === 0) return { kind: 'none', value: undefined, raw, contentType };
  if (contentType.includes('json')) {
    try {
      return { kind: 'json', value: JSON.parse(raw), raw, contentType };
    } catch (e) {
      return { kind: 'json', value: undefined, raw, contentType, invalid: (e as Error).message };
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return { kind: 'form', value: formObject(new URLSearchParams(raw)), raw, contentType };
  }
  return { kind: 'other', value: undefined, raw, contentType };
}

export function formObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of params) out[k] = v;
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Request fields as one flat lookup: for OAuth and Graph, which take JSON, forms or query alike. */
export function bodyFields(body: Body): Record<string, unknown> {
  if (isRecord(body.value)) return body.value;
  return {};
}

export function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

/** X writes created_at with whole seconds and a literal .000Z. */
export function xTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

/** Graph writes 2026-11-22T10:00:00+0000. */
export function fbTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, '+0000');
}

/** Graph accepts `since`/`until` as unix seconds or anything strtotime reads; ISO covers what clients send. */
export function parseGraphTime(v: string): number | null {
  if (/^\d{1,12}$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(t) ? t : null;
}
