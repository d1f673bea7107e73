import type { Claim } from '../../../shared/team.js';
import type { HostApi } from '../api/host';

/**
 * Typing renews the claim at most this often. The lease (CLAIM_LEASE_MS, minutes)
 * is much longer, so an agent who keeps typing never loses it, and one who stops
 * lets it run out on its own.
 */
export const CLAIM_RENEW_MS = 30_000;

export interface ClaimKeeperOptions {
  /** Claims are only made in team mode while the team database is online. */
  active(): boolean;
  now?: () => number;
  /** The host's answer to a claim: `won` false with the colleague who holds it. */
  onResult?(won: boolean, claim: Claim | null): void;
}

/**
 * This composer's claim on its conversation: taken when the agent starts on a
 * reply (focus, typing), renewed while they type, given up when they leave the
 * conversation or the reply is queued. Calls go out one after another, so a
 * release never overtakes the claim it gives up.
 */
export class ClaimKeeper {
  private lastAt = Number.NEGATIVE_INFINITY;
  private held = false;
  private asked = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(
    private readonly host: HostApi,
    readonly conversationKey: string,
    private readonly opts: ClaimKeeperOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** The agent is at the reply box: claim, or renew a claim older than CLAIM_RENEW_MS. */
  touch(): void {
    if (!this.opts.active()) return;
    const now = this.now();
    if (now - this.lastAt < CLAIM_RENEW_MS) return;
    this.lastAt = now;
    this.asked = true;
    this.enqueue(async () => {
      const r = await this.host.call('claim', { conversationKey: this.conversationKey });
      if (!r.ok) return;
      this.held = r.value.won;
      this.opts.onResult?.(r.value.won, r.value.claim);
    });
  }

  /** The agent left the conversation or queued the reply: colleagues see at once that nobody is replying. */
  release(): void {
    this.lastAt = Number.NEGATIVE_INFINITY;
    if (!this.asked) return;
    this.asked = false;
    this.enqueue(async () => {
      if (!this.held) return;
      this.held = false;
      await this.host.call('claim', { conversationKey: this.conversationKey, release: true });
    });
  }

  /** Resolves when every call made so far has been answered (tests). */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch(() => undefined);
  }
}
