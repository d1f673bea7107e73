import { withSignature } from './canned.js';
import { MEDIA_MAX_BYTES, POST_PARTS_MAX, type AppError, type MediaInput, type PostEntry } from './contract.js';
import type { Platform } from './model.js';
import { base64Bytes } from './replyChecks.js';
import { splitThread, type SplitRefusal } from './text/split.js';
import { countText, type TextCount } from './textLength.js';

/**
 * New posts (not replies) on an X account or a Facebook Page: how long a post
 * may be, how it is split, which images it takes, and when a kept post is due.
 * The new-post box counts with these, the host checks with the same, and the
 * host's schedule decides with `isDue` and `afterPostAttempt`.
 */

/**
 * A Page post's text: Facebook takes 63,206 characters in a post (the limit its
 * composer enforces; the Graph reference of `/{page-id}/feed` names none).
 */
export const FB_POST_LIMIT = 63_206;

/** A post's text counted by its platform's rule: X's weighted 280, a Page post's UTF-16 units. */
export function countPost(platform: Platform, text: string): TextCount {
  if (platform === 'x') return countText('x_mention', text);
  const empty = text.trim().length === 0;
  return { length: text.length, limit: FB_POST_LIMIT, remaining: FB_POST_LIMIT - text.length, valid: text.length <= FB_POST_LIMIT && !empty, empty };
}

/** Images a new post takes: an X post up to 4 (or one animated GIF alone), a Page post 1, as on replies. */
export function postMediaLimit(platform: Platform, attached: readonly Pick<MediaInput, 'mimeType'>[] = []): number {
  return platform === 'x' && !attached.some((m) => m.mimeType === 'image/gif') ? 4 : 1;
}

export interface ComposedPost {
  /** What goes out: the text with the signature, one post or the parts of a thread. */
  parts: string[];
  full: string;
  count: TextCount;
  /** Over the limit and going out as a thread instead (X only). */
  threaded: boolean;
  /** Why the thread cannot be made; `parts` is then empty. */
  splitRefused?: SplitRefusal;
}

/** The post as it will go out, with the signature counted inside the limit (as on a reply). */
export function composePost(text: string, platform: Platform, signature: string, split: boolean): ComposedPost {
  const full = text.trim() ? withSignature(text, signature) : text;
  const count = countPost(platform, full);
  if (platform === 'x' && split && count.length > count.limit && !count.empty) {
    const thread = splitThread(full);
    if (!thread.ok) return { parts: [], full, count, threaded: true, splitRefused: thread.refusal };
    // A new post's thread is kept by the host as one entry: a few parts, not a book.
    if (thread.parts.length > POST_PARTS_MAX) return { parts: [], full, count, threaded: true, splitRefused: { reason: 'tooManyParts' } };
    return { parts: thread.parts, full, count, threaded: true };
  }
  return { parts: count.empty ? [] : [full], full, count, threaded: false };
}

/** The platform's rules for a new post, checked by the host before it keeps one (the box shows the same). */
export function checkPost(platform: Platform, parts: readonly string[], media: readonly MediaInput[] = []): AppError | null {
  if (parts.length === 0) return { kind: 'empty' };
  if (parts.length > 1 && platform !== 'x') return { kind: 'invalidInput', detail: 'only an X post goes out as a thread' };
  if (parts.length > POST_PARTS_MAX) return { kind: 'invalidInput', detail: `at most ${POST_PARTS_MAX} parts` };
  const max = postMediaLimit(platform, media);
  if (media.length > max) return { kind: 'invalidInput', detail: `at most ${max} image(s) on this post` };
  for (const m of media) if (base64Bytes(m.dataBase64) > MEDIA_MAX_BYTES) return { kind: 'invalidInput', detail: 'an image is larger than 5 MB' };
  for (const [i, part] of parts.entries()) {
    const c = countPost(platform, part);
    // With images the first part may be without words.
    if (c.empty) {
      if (i === 0 && media.length > 0) continue;
      return { kind: 'empty' };
    }
    if (c.length > c.limit) return { kind: 'tooLong', limit: c.limit };
    if (!c.valid) return { kind: 'invalidInput', detail: 'text has characters the platform refuses' };
  }
  return null;
}

/** How far ahead a post may be scheduled. */
export const SCHEDULE_MAX_AHEAD_MS = 366 * 24 * 3600_000;
/** Sent posts stay in the list this long, as confirmation. */
export const POST_KEEP_SENT_MS = 7 * 24 * 3600_000;
/** An account to reconnect or credits to top up: looked at again this often (and at once when the status changes). */
export const POST_WAIT_MS = 60_000;

/** Waits between automatic attempts: 2 s, 4 s, 8 s … at most a minute (as the reply outbox). */
export function postBackoffMs(attempts: number): number {
  return Math.min(60_000, 2000 * 2 ** Math.max(0, attempts - 1));
}

type Timing = Pick<PostEntry, 'state' | 'at' | 'nextAttemptAt'>;

/** When a kept post should next be tried, or null when nothing is left to do by itself (sent, failed). */
export function wakeAt(e: Timing): number | null {
  if (e.state !== 'scheduled' && e.state !== 'unknown') return null;
  return Math.max(e.at, e.nextAttemptAt ?? 0);
}

export function isDue(e: Timing, now: number): boolean {
  const at = wakeAt(e);
  return at !== null && at <= now;
}

/** The earliest wake-up over the kept posts, or null when none waits. */
export function nextWake(entries: readonly Timing[]): number | null {
  let next: number | null = null;
  for (const e of entries) {
    const at = wakeAt(e);
    if (at !== null && (next === null || at < next)) next = at;
  }
  return next;
}

/** Posts due now, the earliest first (an earlier scheduled post never goes after a later one). */
export function duePosts<T extends Timing & { createdAt: number }>(entries: readonly T[], now: number): T[] {
  return entries.filter((e) => isDue(e, now)).sort((a, b) => (wakeAt(a) ?? 0) - (wakeAt(b) ?? 0) || a.createdAt - b.createdAt);
}

/**
 * The state after an attempt that did not send every part. Offline, a rate
 * limit, an account to reconnect and spent credits are waits, not failures: the
 * post goes out by itself once the reason is gone. A send that may have gone out
 * is `unknown`: the host looks on the platform before it ever sends again.
 * Anything else certainly did not post and waits for the agent.
 */
export function afterPostAttempt(entry: Pick<PostEntry, 'attempts'>, error: AppError, now: number): Pick<PostEntry, 'state' | 'error' | 'nextAttemptAt'> {
  const wait = now + postBackoffMs(entry.attempts);
  switch (error.kind) {
    case 'sendUnknown':
      return { state: 'unknown', error, nextAttemptAt: Math.max(wait, error.resetAt ?? 0) };
    case 'offline':
      return { state: 'scheduled', error, nextAttemptAt: wait };
    case 'rateLimited':
      return { state: 'scheduled', error, nextAttemptAt: Math.max(wait, error.resetAt ?? now + 60_000) };
    case 'reconnectNeeded':
    case 'creditsDepleted':
      return { state: 'scheduled', error, nextAttemptAt: now + POST_WAIT_MS };
    default:
      return { state: 'failed', error, nextAttemptAt: undefined };
  }
}

/** Whether the agent may still change or cancel it: nothing of it went out, and it is not on its way. */
export function editable(e: Pick<PostEntry, 'state' | 'sentParts'>): boolean {
  return (e.state === 'scheduled' || e.state === 'failed') && e.sentParts === 0;
}

/** Whether the agent may cancel it (or discard it, failed): it is not on its way and not possibly out. */
export function cancellable(e: Pick<PostEntry, 'state'>): boolean {
  return e.state === 'scheduled' || e.state === 'failed';
}
