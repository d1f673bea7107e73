import type pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { TeamErrorKind } from '../../../shared/team.js';

/** A team database failure the console can explain (an i18n key `team.error.<kind>`). */
export class TeamDbError extends Error {
  readonly kind: TeamErrorKind;
  readonly detail?: string;
  constructor(kind: TeamErrorKind, detail?: string) {
    super(detail ? `${kind}: ${detail}` : kind);
    this.name = 'TeamDbError';
    this.kind = kind;
    this.detail = detail;
  }
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED']);
const TLS_CODES = /^(?:ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(?:VERIFY|GET)_|CERT_|HOSTNAME_MISMATCH)/;
const TLS_MESSAGE = /self[- ]signed|\bSSL\b|\bTLS\b|certificate|does not support SSL/i;
const UNREACHABLE_MESSAGE = /Connection terminated|connection timeout|timeout expired|Client has encountered a connection error/i;

/** Details reach the renderer: never more than the schema allows, never a password. */
function clip(s: string): string {
  const clean = s.replace(/(postgres(?:ql)?:\/\/[^\s]*)/gi, (u) => redactUrl(u));
  return clean.length > 500 ? `${clean.slice(0, 497)}…` : clean;
}

function codeOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : undefined;
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : String(e);
}

/** What went wrong, as a kind the console can explain, and the server's words when they help. */
export function teamError(e: unknown): { kind: TeamErrorKind; detail?: string } {
  if (e instanceof TeamDbError) return e.detail === undefined ? { kind: e.kind } : { kind: e.kind, detail: clip(e.detail) };
  // Node tries every address of a name (IPv6 and IPv4) and reports all failures at once.
  if (e instanceof AggregateError && e.errors.length > 0 && codeOf(e) === undefined) return teamError(e.errors[0]);
  const code = codeOf(e);
  const message = messageOf(e);
  if (code && UNREACHABLE_CODES.has(code)) return { kind: 'unreachable', detail: clip(message || code) };
  if ((code && TLS_CODES.test(code)) || TLS_MESSAGE.test(message)) return { kind: 'tls', detail: clip(message) };
  if (code === '28P01' || code === '28000') return { kind: 'auth', detail: clip(message) };
  if (code === '42501') return { kind: 'rights', detail: clip(message) };
  // The database named in the URL is not there: the server's words name it.
  if (code === '3D000') return { kind: 'other', detail: clip(message) };
  // Class 08 (connection exception), and a server starting up or shutting down.
  if (code && (/^08/.test(code) || code === '57P01' || code === '57P02' || code === '57P03')) return { kind: 'unreachable', detail: clip(message) };
  if (UNREACHABLE_MESSAGE.test(message)) return { kind: 'unreachable', detail: clip(message) };
  if (e instanceof TypeError && /Invalid URL/i.test(message)) return { kind: 'badUrl' };
  return { kind: 'other', detail: clip(message || 'unknown error') };
}

/**
 * The URL as the renderer may show it: the password (in the user info or a
 * `password` parameter) removed, everything else as typed.
 */
export function redactUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/i.exec(url.trim());
  if (!m) return url.replace(/password=[^&\s]*/gi, 'password=***');
  const scheme = m[1]!;
  let rest = m[2]!;
  // Passwords pasted unencoded may hold '/', '?' or '@': the user info ends at the last '@'
  // before the query, and contains no ':' of a host:port.
  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const at = beforeQuery.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = beforeQuery.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    rest = `${user}${user ? '@' : ''}${rest.slice(at + 1)}`;
  }
  rest = rest.replace(/([?&])password=[^&]*/gi, '$1password=***');
  return scheme + rest;
}

const SSLMODES = new Set(['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify']);

/**
 * A team URL as node-pg's connection settings. Only postgres:// and
 * postgresql:// URLs; sslmode means what it means to node-pg (which verifies the
 * certificate for every mode but disable and no-verify).
 */
export function parseTeamUrl(url: string): pg.ClientConfig {
  const trimmed = url.trim();
  if (!/^postgres(?:ql)?:\/\//i.test(trimmed)) throw new TeamDbError('badUrl', 'the URL must start with postgres:// or postgresql://');
  let parsed: URL;
  try {
    // A server on a Unix socket has no host part: postgres://anna@/webcare?host=/run/postgresql
    parsed = new URL(trimmed.replace('@/', '@socket/'));
  } catch {
    throw new TeamDbError('badUrl', 'not a valid URL');
  }
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null && !SSLMODES.has(sslmode)) throw new TeamDbError('badUrl', `unknown sslmode "${sslmode}"`);
  if ((!parsed.hostname || parsed.hostname === 'socket') && !parsed.searchParams.get('host')) throw new TeamDbError('badUrl', 'the URL names no server');
  let config: pg.ClientConfig;
  try {
    config = parseIntoClientConfig(trimmed);
  } catch (e) {
    throw new TeamDbError('badUrl', clip(messageOf(e)));
  }
  if (config.port !== undefined && (!Number.isInteger(config.port) || config.port < 1 || config.port > 65535)) {
    throw new TeamDbError('badUrl', 'the port must be 1 to 65535');
  }
  return config;
}
