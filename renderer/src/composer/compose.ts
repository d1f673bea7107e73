import { fillTemplate, variantFor, withSignature, type CannedReply, type VariableValues } from '../../../shared/canned.js';
import type { Status } from '../../../shared/contract.js';
import { isXPostChannel, type Channel, type Message } from '../../../shared/model.js';
import { stripBidiControls } from '../../../shared/text/bidi.js';
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

// eslint-disable-next-line no-control-regex -- invisible characters are stripped from a name before it goes into a reply
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;

/** The first word of a display name with letters in it (`Els` of `Els de Vries`), for `{{customer.name}}`. */
export function firstName(name: string): string {
  const clean = stripBidiControls(name).replace(INVISIBLE, '').trim();
  for (const word of clean.split(/\s+/)) {
    const w = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (/\p{L}/u.test(w)) return w;
  }
  return '';
}

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

/** Why Send is disabled, most fundamental first; null when it may be sent. Offline is no reason: the outbox queues. */
export type BlockReason =
  | 'noTarget'
  | 'noAccount'
  | 'reconnect'
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
  /** Images attached, and how many the channel takes; with images the text may be empty (not on Messenger). */
  media?: { count: number; max: number; textRequired: boolean };
}): BlockReason | null {
  const { hasTarget, status, account, composed, window: w } = opts;
  if (!hasTarget) return 'noTarget';
  if (status && !account) return 'noAccount';
  if (account?.state === 'reconnect') return 'reconnect';
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
