import { err, ok, type Result, type SendReplyInput } from '../../shared/contract.js';
import type { Channel, Message } from '../../shared/model.js';
import { checkMedia, checkText } from '../../shared/replyChecks.js';
import type { Accounts } from './accounts.js';
import type { ModerateAction } from './connectors/types.js';
import { classify } from './errors.js';
import { sendOnce, type SendJournal } from './sender.js';

export interface SendingOptions {
  accounts: Accounts;
  journal: SendJournal;
  now: () => number;
  /** The platform said the network is gone. */
  offline(): void;
  changed(): void;
}

/** Replies and moderation, exactly once, through the account's connector. */
export class Sending {
  private readonly inflight = new Map<string, Promise<Result<Message>>>();

  constructor(private readonly opts: SendingOptions) {}

  sendReply(input: SendReplyInput): Promise<Result<Message>> {
    // The same client id twice at once is one send.
    let p = this.inflight.get(input.clientId);
    if (!p) {
      p = this.send(input).finally(() => this.inflight.delete(input.clientId));
      this.inflight.set(input.clientId, p);
    }
    return p;
  }

  private async send(input: SendReplyInput): Promise<Result<Message>> {
    const { accounts, journal, now } = this.opts;
    const done = journal.get(input.clientId);
    if (done?.state === 'sent') return ok(done.message);
    const live = accounts.get(input.accountId);
    if (!live) return err({ kind: 'unknownAccount' });
    if (live.state === 'reconnect' || !live.session) return err({ kind: 'reconnectNeeded' });
    const problem = checkMedia(input) ?? (input.media?.length && input.text.trim() === '' ? null : checkText(input.channel, input.text));
    if (problem) return err(problem);
    if ((input.channel === 'x_dm' || input.channel === 'fb_message') && !input.recipientId) {
      return err({ kind: 'invalidInput', detail: 'recipientId is required for a direct message' });
    }
    const session = live.session;
    const ops = session.sendOps(input.channel, input);
    if (!ops) return err({ kind: 'notAllowed' });
    const known = (await session.checkBeforeSend?.(input)) ?? null;
    if (known) return err(known);
    const { result, classified } = await sendOnce(journal, input, ops, now);
    if (!result.ok && session.refused) {
      const error = session.refused(input, result.error);
      if (error !== result.error) return err(error);
    }
    if (classified?.action === 'reconnect') {
      accounts.needsReconnect(live.record.id, classified.error.kind);
      this.opts.changed();
    }
    if (classified?.error.kind === 'offline') this.opts.offline();
    return result;
  }

  async moderate(i: { accountId: string; channel: Channel; platformId: string; action: ModerateAction }): Promise<Result<Record<string, never>>> {
    const live = this.opts.accounts.get(i.accountId);
    if (!live) return err({ kind: 'unknownAccount' });
    // Team mode: this login holds no token for the account (a department login); it is not broken.
    if (live.remote) return err({ kind: 'notAllowed' });
    if (live.state === 'reconnect' || !live.session) return err({ kind: 'reconnectNeeded' });
    try {
      if (!(await live.session.moderate(i.channel, i.platformId, i.action))) return err({ kind: 'notAllowed' });
      return ok({});
    } catch (e) {
      const c = classify(e, this.opts.now());
      if (c.action === 'reconnect') this.opts.accounts.needsReconnect(i.accountId, c.error.kind);
      return err(c.error);
    }
  }
}
