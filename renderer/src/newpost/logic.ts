import type { PostEntry, Status } from '../../../shared/contract.js';
import { SCHEDULE_MAX_AHEAD_MS, type ComposedPost } from '../../../shared/newPost.js';

/**
 * The pure part of the new-post box: which account may post, when a scheduled
 * post goes, and why it cannot be handed to the host yet. The component only
 * renders it.
 */
type Account = Status['accounts'][number];

/** The Page task a token needs to publish (Meta, Pages API "Posts"). */
export const POST_PAGE_TASK = 'CREATE_CONTENT';

/** Whether the account's token may publish: any X account; a Page whose known tasks include CREATE_CONTENT. */
export function mayPublish(account: Pick<Account, 'platform' | 'granted'>): boolean {
  return account.platform === 'x' || account.granted.length === 0 || account.granted.includes(POST_PAGE_TASK);
}

/** `14:05`, `9:5`, `14.05` or `14:05:30` (24-hour) → [h, m, s], or null. */
export function parseClock(text: string): [number, number, number] | null {
  const m = /^\s*(\d{1,2})[:.](\d{1,2})(?:[:.](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || min > 59 || s > 59) return null;
  return [h, min, s];
}

/** The moment of an ISO date and a clock time, in the machine's own time zone; null when either is unreadable. */
export function scheduleMoment(isoDate: string, clock: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const c = parseClock(clock);
  if (!d || !c) return null;
  const at = new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), c[0], c[1], c[2]).getTime();
  return Number.isFinite(at) ? at : null;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A moment as the date (ISO) and clock (`HH:MM`, seconds only when set) the fields show. */
export function momentFields(at: number): { date: string; time: string } {
  const d = new Date(at);
  const secs = d.getSeconds();
  return {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}${secs ? `:${pad(secs)}` : ''}`,
  };
}

/** The fields' first suggestion: the next full quarter of an hour at least 30 minutes ahead. */
export function suggestedMoment(now: number): number {
  const q = 15 * 60_000;
  return Math.ceil((now + 30 * 60_000) / q) * q;
}

export type PostBlock =
  | 'noAccount'
  | 'reconnect'
  | 'cannotPublish'
  | 'empty'
  | 'tooLong'
  | 'splitRefused'
  | 'invalid'
  | 'tooManyMedia'
  | 'timeInvalid'
  | 'timePast'
  | 'timeTooFar';

/**
 * Why the post cannot be handed over yet, most fundamental first; null when it
 * may. An account to reconnect is a reason (as on a reply): the agent sees it
 * before, not after. Offline is none: the host keeps the post and sends it later.
 */
export function postBlockReason(o: {
  account: Pick<Account, 'platform' | 'granted' | 'state'> | undefined;
  composed: ComposedPost;
  media: { count: number; max: number };
  /** Scheduled: the moment, or null when the fields cannot be read; absent: now. */
  schedule?: { at: number | null };
  now: number;
}): PostBlock | null {
  const { account, composed } = o;
  if (!account) return 'noAccount';
  if (account.state === 'reconnect') return 'reconnect';
  if (!mayPublish(account)) return 'cannotPublish';
  if (o.media.count > o.media.max) return 'tooManyMedia';
  if (composed.count.empty) {
    if (o.media.count === 0) return 'empty';
  } else {
    if (composed.splitRefused) return 'splitRefused';
    if (!composed.threaded && composed.count.length > composed.count.limit) return 'tooLong';
    if (!composed.threaded && !composed.count.valid) return 'invalid';
  }
  if (o.schedule) {
    if (o.schedule.at === null) return 'timeInvalid';
    if (o.schedule.at <= o.now) return 'timePast';
    if (o.schedule.at > o.now + SCHEDULE_MAX_AHEAD_MS) return 'timeTooFar';
  }
  return null;
}

/** The posts still to go (or to be decided on), the soonest first; then the sent ones, the newest first. */
export function sortPosts(posts: readonly PostEntry[]): { waiting: PostEntry[]; sent: PostEntry[] } {
  const waiting = posts.filter((p) => p.state !== 'sent').sort((a, b) => a.at - b.at || a.createdAt - b.createdAt);
  const sent = posts.filter((p) => p.state === 'sent').sort((a, b) => (b.sent?.at ?? b.at) - (a.sent?.at ?? a.at));
  return { waiting, sent };
}

/**
 * A post taken back into the box (Edit): the parts of a thread without their
 * numbering, joined again, and without the signature the box adds anew.
 */
export function textOfParts(parts: readonly string[], signature: string): string {
  const joined = parts.length > 1 ? parts.map((p) => p.replace(/\s+\d+\/\d+$/, '')).join(' ') : (parts[0] ?? '');
  const sig = signature.trim();
  return sig && joined.trimEnd().endsWith(` ${sig}`) ? joined.trimEnd().slice(0, -sig.length - 1) : joined;
}
