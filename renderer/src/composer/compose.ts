import { fillTemplate, variantFor, withSignature, type CannedReply, type VariableValues } from '../../../shared/canned.js';
import type { Status } from '../../../shared/contract.js';
import { isXPostChannel, type Channel, type Message } from '../../../shared/model.js';
import { firstNameOf } from '../../../shared/text/initials.js';
import { splitThread, type SplitRefusal } from '../../../shared/text/split.js';
import { countText, type TextCount } from '../../../shared/textLength.js';
import { messengerWindow, privateReplyWindow } from '../../../shared/windows.js';
import type { ReplyTarget } from '../conversation/thread';

/**
 * The pure part of the composer: what the reply is (text + signature, split or
 * not), where it goes (channel, account, public or private), which answer
 * window applies, and why it cannot be sent yet. The component only renders it.
 */
type Account = Status['accounts'][number];

/** The first word of a display name with letters in it (`Els` of `Els de Vries`), for `{{customer.name}}`; empty for an initial (`K. Evans`), so the fallback is used. */
export const firstName = firstNameOf;

export function customerValues(target: ReplyTarget | null): VariableValues {
  return target ? { 'customer.name': firstName(target.message.author.name) } : {};
}

export function fillCanned(reply: Pick<CannedReply, 'body' | 'variants'>, channel: Channel, values: VariableValues, formal = false): string {
  return fillTemplate(variantFor(reply, channel, formal).text, values, channel);
}

/** Public/private where the channel offers both: X mention → DM to the author; Facebook comment → private reply. */
export function modesOf(channel: Channel): Array<'public' | 'private'> {
  return isXPostChannel(channel) || channel === 'fb_comment' ? ['public', 'private'] : ['private'];
}

/** The channel the reply goes out on: an X mention answered privately is a DM. */
export function sendChannel(channel: Channel, mode: 'public' | 'private'): Channel {
  return isXPostChannel(channel) && mode === 'private' ? 'x_dm' : channel;
}

export type AnswerWindow =
  | { kind: 'none' }
  | { kind: 'messenger'; state: 'open' | 'humanAgent'; closesAt: number }
  | { kind: 'messenger'; state: 'closed' }
  | { kind: 'privateReply'; open: true; closesAt: number }
  | { kind: 'privateReply'; open: false };

export function answerWindow(channel: Channel, mode: 'public' | 'private', thread: readonly Message[], target: ReplyTarget | null, now: number): AnswerWindow {
  if (!target) return { kind: 'none' };
  if (channel === 'fb_message') {
    const w = messengerWindow(target.message.createdAt, now);
    return w.state === 'closed' ? { kind: 'messenger', state: 'closed' } : { kind: 'messenger', state: w.state, closesAt: w.closesAt };
  }
  if (channel === 'fb_comment' && mode === 'private') {
    const already = thread.some((m) => m.fromUs && m.privately === true && m.inReplyToId === target.inReplyToId);
    const w = privateReplyWindow(target.message.createdAt, now, already);
    return w.open && w.closesAt !== undefined ? { kind: 'privateReply', open: true, closesAt: w.closesAt } : { kind: 'privateReply', open: false };
  }
  return { kind: 'none' };
}

export interface Composed {
  /** What goes out: the text with the signature, as one post or the parts of a thread. */
  parts: string[];
  full: string;
  count: TextCount;
  /** Over the limit and going out as a thread instead. */
  threaded: boolean;
  /** Why the thread cannot be made (a link would have to be cut); `parts` is then empty. */
  splitRefused?: SplitRefusal;
}

export function compose(text: string, channel: Channel, signature: string, split: boolean): Composed {
  const full = text.trim() ? withSignature(text, signature) : text;
  const count = countText(channel, full);
  const over = count.length > count.limit;
  if (isXPostChannel(channel) && split && over && !count.empty) {
    const thread = splitThread(full);
    return thread.ok ? { parts: thread.parts, full, count, threaded: true } : { parts: [], full, count, threaded: true, splitRefused: thread.refusal };
  }
  return { parts: count.empty ? [] : [full], full, count, threaded: false };
}

/**
 * X's 2026 rule for self-serve apps: a public reply only to a post that @mentions
 * or quotes the account (the host reads this off each post as `summoned`). A
 * search hit that does neither can be answered on X itself or privately, never
 * from here: Send says so before anything is queued. `refusedBefore`: the host
 * already refused a reply to this post (a post stored before `summoned` was known).
 */
export function replyRestricted(channel: Channel, mode: 'public' | 'private', target: ReplyTarget | null, refusedBefore = false): boolean {
  if (!target || !isXPostChannel(channel) || mode !== 'public') return false;
  return target.message.summoned === false || refusedBefore;
}

/** Why Send is disabled, most fundamental first; null when it may be sent. Offline is no reason: the outbox queues. */
export type BlockReason =
  | 'noTarget'
  | 'noAccount'
  | 'reconnect'
  | 'replyRestricted'
  | 'empty'
  | 'tooLong'
  | 'splitRefused'
  | 'invalid'
  | 'windowClosed'
  | 'privateReplyClosed'
  | 'humanAgentNeeded'
  | 'noRecipient'
  | 'tooManyMedia';

export function blockReason(opts: {
  hasTarget: boolean;
  status: Status | null;
  account: Account | undefined;
  composed: Composed;
  window: AnswerWindow;
  humanAgent: boolean;
  needsRecipient: boolean;
  /** The platform does not let this account reply here at all (see replyRestricted). */
  restricted?: boolean;
  /** Images attached, and how many the channel takes; with images the text may be empty (not on Messenger). */
  media?: { count: number; max: number; textRequired: boolean };
}): BlockReason | null {
  const { hasTarget, status, account, composed, window: w } = opts;
  if (!hasTarget) return 'noTarget';
  if (status && !account) return 'noAccount';
  if (account?.state === 'reconnect') return 'reconnect';
  if (opts.restricted) return 'replyRestricted';
  if (opts.needsRecipient) return 'noRecipient';
  if (w.kind === 'messenger' && w.state === 'closed') return 'windowClosed';
  if (w.kind === 'privateReply' && !w.open) return 'privateReplyClosed';
  if (w.kind === 'messenger' && w.state === 'humanAgent' && !opts.humanAgent) return 'humanAgentNeeded';
  const { count, threaded } = composed;
  const media = opts.media ?? { count: 0, max: 0, textRequired: true };
  if (media.count > media.max) return 'tooManyMedia';
  if (count.empty) return media.count > 0 && !media.textRequired ? null : 'empty';
  if (composed.splitRefused) return 'splitRefused';
  if (!threaded && count.length > count.limit) return 'tooLong';
  if (!threaded && !count.valid) return 'invalid';
  return null;
}
