import type { z } from 'zod';
import { AuthorSchema, ChannelSchema, MessageSchema, type Message } from './model.js';

/**
 * One message that breaks a limit must never cost the others of its batch.
 * `fitMessage` takes whatever a connector produced and either makes it a valid
 * `Message` (a text, name or handle over its limit is cut to exactly that
 * limit and the message marked `shortened`; an optional field that is broken
 * is left out) or says why it cannot be one: a message without a valid key,
 * id, channel, thread, author id, time or text is set aside, never guessed at.
 *
 * A set-aside reason reads `${field}:${problem}`, e.g. `key:missing`,
 * `author.id:tooLong`; the health view explains it in the agent's language.
 */
export type SetAsideProblem = 'missing' | 'tooLong' | 'invalid';

export interface Shortened {
  field: 'text' | 'author.name' | 'author.handle';
  /** Its length before the cut, in code points (what the schema's limits count). */
  fullLength: number;
}

export type Fitted =
  | {
      message: Message;
      /** Fields cut to their limit; when not empty, `message.shortened` is true. */
      shortened: Shortened[];
      /** Optional fields left out because they were broken (too long, wrong type). */
      dropped: string[];
    }
  | { setAside: string };

const M = MessageSchema.shape;
const A = AuthorSchema.shape;
const limit = (s: { maxLength: number | null }) => s.maxLength ?? Number.POSITIVE_INFINITY;

/** The longest reason kept (StreamStatus.setAside.lastReason allows 200). */
const REASON_MAX = 200;

const isHigh = (c: number) => (c & 0xfc00) === 0xd800;
const isLow = (c: number) => (c & 0xfc00) === 0xdc00;

/**
 * Length as the schema measures it: in code points, a surrogate pair one, a
 * lone surrogate one too.
 */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) {
      n--;
      i++;
    }
  }
  return n;
}

/**
 * `s` cut to at most `max` code points (as the schema counts them): a
 * surrogate pair is never split, and a lone high surrogate is not left at the
 * end, where it would wait for a partner.
 */
export function cutAt(s: string, max: number): string {
  // A code point is one or two units: a string no longer than `max` units fits.
  if (s.length <= max) return s;
  let i = 0;
  for (let n = 0; n < max && i < s.length; n++) i += isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
  if (i >= s.length) return s;
  // Pairs are taken whole, so a high surrogate just before the cut is a lone one.
  if (i > 0 && isHigh(s.charCodeAt(i - 1))) i--;
  return s.slice(0, i);
}

/** At most `max` characters of `raw` as JSON, for a set-aside record; never throws. */
export function rawPreview(raw: unknown, max: number): string {
  let json: string;
  try {
    json = JSON.stringify(raw) ?? String(raw);
  } catch {
    try {
      json = String(raw);
    } catch {
      json = '(unprintable)';
    }
  }
  return cutAt(json, max);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function problemOf(v: unknown, max = Number.POSITIVE_INFINITY): SetAsideProblem {
  if (v === undefined || v === null || v === '') return 'missing';
  if (typeof v === 'string' && codePointLength(v) > max) return 'tooLong';
  return 'invalid';
}

const reason = (field: string, problem: SetAsideProblem) => cutAt(`${field}:${problem}`, REASON_MAX);

/** The set-aside reason for a value that does not pass MessageSchema as it is (the first problem). */
export function invalidReason(raw: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue || issue.path.length === 0) return reason('message', 'invalid');
  let v: unknown = raw;
  for (const p of issue.path) v = isRecord(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  const problem: SetAsideProblem = issue.code === 'too_big' ? 'tooLong' : v === undefined || v === null ? 'missing' : 'invalid';
  return reason(issue.path.map(String).join('.'), problem);
}

export function fitMessage(raw: unknown): Fitted {
  // Nearly every message is valid as it is: one schema pass (about a sixth of the field-by-field work).
  const valid = MessageSchema.safeParse(raw);
  if (valid.success) return { message: valid.data, shortened: [], dropped: [] };
  if (!isRecord(raw)) return { setAside: reason('message', 'invalid') };
  const shortened: Shortened[] = [];
  const dropped: string[] = [];

  // What identifies a message and places it: never cut, never invented.
  const required = <T>(field: string, schema: z.ZodType<T> & { maxLength?: number | null }, v: unknown): { ok: T } | { setAside: string } => {
    const r = schema.safeParse(v);
    return r.success ? { ok: r.data } : { setAside: reason(field, problemOf(v, schema.maxLength ?? Number.POSITIVE_INFINITY)) };
  };
  // Shown text: cut to its limit, marked.
  const cut = (field: Shortened['field'], v: string, max: number): string => {
    if (v.length <= max) return v;
    const fullLength = codePointLength(v);
    if (fullLength <= max) return v;
    shortened.push({ field, fullLength });
    return cutAt(v, max);
  };
  // Optional extras: kept when valid, else left out.
  const optional = <T>(field: string, schema: z.ZodType<T>, v: unknown): T | undefined => {
    if (v === undefined) return undefined;
    const r = schema.safeParse(v);
    if (r.success) return r.data;
    dropped.push(field);
    return undefined;
  };

  const key = required('key', M.key, raw.key);
  if ('setAside' in key) return key;
  const platformId = required('platformId', M.platformId, raw.platformId);
  if ('setAside' in platformId) return platformId;
  const channel = required('channel', ChannelSchema, raw.channel);
  if ('setAside' in channel) return channel;
  const accountId = required('accountId', M.accountId, raw.accountId);
  if ('setAside' in accountId) return accountId;
  const conversationId = required('conversationId', M.conversationId, raw.conversationId);
  if ('setAside' in conversationId) return conversationId;
  // The saved search decides the column a hit is shown in: a broken one is not left out.
  const searchId = raw.searchId === undefined ? undefined : required('searchId', M.searchId.unwrap(), raw.searchId);
  if (searchId && 'setAside' in searchId) return searchId;

  const a = raw.author;
  if (!isRecord(a)) return { setAside: reason('author', problemOf(a)) };
  const authorId = required('author.id', A.id, a.id);
  if ('setAside' in authorId) return authorId;
  if (typeof a.name !== 'string') return { setAside: reason('author.name', problemOf(a.name)) };
  if (typeof a.handle !== 'string') return { setAside: reason('author.handle', problemOf(a.handle)) };
  if (typeof raw.text !== 'string') return { setAside: reason('text', problemOf(raw.text)) };
  const createdAt = raw.createdAt;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt) || !Number.isSafeInteger(Math.trunc(createdAt))) {
    return { setAside: reason('createdAt', problemOf(createdAt)) };
  }
  if (typeof raw.fromUs !== 'boolean') return { setAside: reason('fromUs', problemOf(raw.fromUs)) };

  const author: Message['author'] = {
    id: authorId.ok,
    name: cut('author.name', a.name, limit(A.name)),
    handle: cut('author.handle', a.handle, limit(A.handle)),
    avatarUrl: optional('author.avatarUrl', A.avatarUrl, a.avatarUrl),
    followers: optional('author.followers', A.followers, a.followers),
    verified: optional('author.verified', A.verified, a.verified),
  };
  const message: Message = {
    key: key.ok,
    platformId: platformId.ok,
    channel: channel.ok,
    accountId: accountId.ok,
    conversationId: conversationId.ok,
    inReplyToId: optional('inReplyToId', M.inReplyToId, raw.inReplyToId),
    author,
    text: cut('text', raw.text, limit(M.text)),
    createdAt: Math.trunc(createdAt),
    lang: optional('lang', M.lang, raw.lang),
    url: optional('url', M.url, raw.url),
    fromUs: raw.fromUs,
    privately: optional('privately', M.privately, raw.privately),
    searchId: searchId?.ok,
    foundBy: optional('foundBy', M.foundBy, raw.foundBy),
    by: optional('by', M.by, raw.by),
    byLogin: optional('byLogin', M.byLogin, raw.byLogin),
    department: optional('department', M.department, raw.department),
    visitorPost: optional('visitorPost', M.visitorPost, raw.visitorPost),
    summoned: optional('summoned', M.summoned, raw.summoned),
    mediaCount: optional('mediaCount', M.mediaCount, raw.mediaCount),
    shortened: shortened.length > 0 || raw.shortened === true ? true : undefined,
  };
  // Absent optionals are left out rather than set to undefined (a structured clone keeps both apart).
  for (const o of [message, author] as Record<string, unknown>[]) for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];

  // The schema has the last word: whatever it still refuses is set aside, not sent.
  const checked = MessageSchema.safeParse(message);
  if (!checked.success) return { setAside: invalidReason(message, checked.error) };
  return { message: checked.data, shortened, dropped };
}
