import path from 'node:path';
import { err, ok, type Result, type SendReplyInput } from '../../shared/contract.js';
import type { Message } from '../../shared/model.js';
import { classify, type Classified } from './errors.js';
import { readJson, writeJson } from './jsonFile.js';

/**
 * Exactly-once replies on platforms that have no idempotency key.
 *
 * Every attempt is written to a durable journal before the request leaves
 * ("sending", with its start time). A success records the remote id ("sent").
 * A failure that may have been carried out (timeout after the request left, a
 * reset, a 5xx on a POST, a 403 "duplicate" after such a failure) leaves the
 * entry "unknown": before any new attempt under that client id, the platform is
 * searched for the reply; only when it is not there is it sent again. An entry
 * still "sending" after a crash is treated the same way. Blind retries after a
 * 504 once gave one Mastodon user 11 copies of a post
 * (github.com/tuskyapp/Tusky/issues/2951).
 */
export interface PlatformOps<I extends { clientId: string } = SendReplyInput> {
  post(input: I, startedAt: number): Promise<Message>;
  /** Our reply to that target with that text, posted at or after `since`, not one of `exclude`. */
  find(input: I, since: number, exclude: ReadonlySet<string>): Promise<Message | null>;
}

type Entry =
  | { state: 'sending'; at: number; startedAt: number; attempts: number }
  | { state: 'unknown'; at: number; startedAt: number; attempts: number; reason: string }
  | { state: 'sent'; at: number; message: Message };

const LIMIT = 5000;
/** Our clock may be ahead of the platform's: look this far back for our own reply. */
export const RECONCILE_SKEW_MS = 2 * 3600_000;
/** How long the finished steps of a two-step reply are remembered. */
const PART_KEEP_MS = 30 * 24 * 3600_000;

export class SendJournal {
  private entries: Record<string, Entry> = {};
  /**
   * Finished steps of a reply that takes two platform calls (a Messenger image, then its
   * text), by client id. Kept apart from the entries, which a clean failure removes: the
   * image is on the platform even when the text then failed, and a retry must not repeat it.
   */
  private parts: Record<string, { at: number; steps: Record<string, string> }> = {};
  private readonly file: string;
  private readonly partsFile: string;

  constructor(
    dataDir: string,
    private readonly now: () => number,
  ) {
    this.file = path.join(dataDir, 'sent.json');
    this.partsFile = path.join(dataDir, 'sent-parts.json');
  }

  async load(): Promise<void> {
    this.entries = await readJson<Record<string, Entry>>(this.file, {});
    this.parts = await readJson<Record<string, { at: number; steps: Record<string, string> }>>(this.partsFile, {});
  }

  /** The platform id of a step of this reply that already went out, if it did. */
  part(clientId: string, step: string): string | undefined {
    return this.parts[clientId]?.steps[step];
  }

  /** Notes, durably, that a step went out, so a retry of the reply never repeats it. */
  async setPart(clientId: string, step: string, platformId: string): Promise<void> {
    const at = this.now();
    this.parts[clientId] = { at, steps: { ...this.parts[clientId]?.steps, [step]: platformId } };
    // A reply is retried within days, not months.
    for (const [id, p] of Object.entries(this.parts)) if (at - p.at > PART_KEEP_MS) delete this.parts[id];
    await writeJson(this.partsFile, this.parts);
  }

  get(clientId: string): Entry | undefined {
    return this.entries[clientId];
  }

  /** Remote ids already claimed by an entry, so one remote reply never settles two entries. */
  claimed(except: string): Set<string> {
    const ids = new Set<string>();
    for (const [id, e] of Object.entries(this.entries)) if (id !== except && e.state === 'sent') ids.add(e.message.key);
    return ids;
  }

  async set(clientId: string, entry: Entry): Promise<void> {
    this.entries[clientId] = entry;
    const ids = Object.keys(this.entries);
    if (ids.length > LIMIT) {
      // Forget the oldest finished entries only; an open question is never dropped.
      const finished = ids.filter((id) => this.entries[id]?.state === 'sent').sort((a, b) => (this.entries[a]?.at ?? 0) - (this.entries[b]?.at ?? 0));
      for (const id of finished.slice(0, ids.length - LIMIT)) delete this.entries[id];
    }
    await writeJson(this.file, this.entries);
  }

  async delete(clientId: string): Promise<void> {
    delete this.entries[clientId];
    await writeJson(this.file, this.entries);
  }
}

export interface SendOutcome {
  result: Result<Message>;
  classified?: Classified;
}

export async function sendOnce<I extends { clientId: string } = SendReplyInput>(journal: SendJournal, input: I, ops: PlatformOps<I>, now: () => number): Promise<SendOutcome> {
  const prior = journal.get(input.clientId);
  if (prior?.state === 'sent') return { result: ok(prior.message) };
  let attempts = 0;
  if (prior) {
    // A previous attempt may have been carried out: look before posting again.
    attempts = prior.attempts;
    let found: Message | null;
    try {
      found = await ops.find(input, prior.startedAt - RECONCILE_SKEW_MS, journal.claimed(input.clientId));
    } catch (e) {
      const c = classify(e, now());
      // The look itself was rate limited: try again when the platform's window resets, not before.
      const resetAt = c.error.kind === 'rateLimited' ? (c.retryAt ?? c.error.resetAt) : undefined;
      return { result: err({ kind: 'sendUnknown', ...(resetAt ? { resetAt } : {}) }), classified: c };
    }
    if (found) {
      await journal.set(input.clientId, { state: 'sent', at: now(), message: found });
      return { result: ok(found) };
    }
  }
  const startedAt = now();
  await journal.set(input.clientId, { state: 'sending', at: startedAt, startedAt, attempts: attempts + 1 });
  try {
    const message = await ops.post(input, startedAt);
    await journal.set(input.clientId, { state: 'sent', at: now(), message });
    return { result: ok(message) };
  } catch (e) {
    const c = classify(e, now());
    const afterAmbiguous = prior !== undefined;
    if (c.ambiguous || (c.error.kind === 'duplicate' && afterAmbiguous)) {
      await journal.set(input.clientId, { state: 'unknown', at: now(), startedAt: prior?.startedAt ?? startedAt, attempts: attempts + 1, reason: c.error.kind });
      // Often the answer is already visible: settle it now rather than leave the agent wondering.
      try {
        const found = await ops.find(input, (prior?.startedAt ?? startedAt) - RECONCILE_SKEW_MS, journal.claimed(input.clientId));
        if (found) {
          await journal.set(input.clientId, { state: 'sent', at: now(), message: found });
          return { result: ok(found) };
        }
      } catch (lookErr) {
        // Still unknown; the next attempt looks again first, after the look's own rate limit if it hit one.
        const l = classify(lookErr, now());
        if (l.error.kind === 'rateLimited') {
          const resetAt = l.retryAt ?? l.error.resetAt;
          if (resetAt) return { result: err({ kind: 'sendUnknown', resetAt }), classified: c };
        }
      }
      return { result: err({ kind: 'sendUnknown' }), classified: c };
    }
    // Definitely not carried out: forget the attempt, so a retry is a clean first attempt.
    if (prior) await journal.set(input.clientId, prior);
    else await journal.delete(input.clientId);
    return { result: err(c.error), classified: c };
  }
}

/**
 * Text as the platform may echo it: X puts the reply's @handles in front and
 * shortens links (t.co); NFC; spacing folded.
 */
export function sameText(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFC')
      .replace(/^(\s*@\w{1,15})+\s+/, '')
      .replace(/https?:\/\/\S+/g, 'URL')
      .replace(/\s+/g, ' ')
      .trim();
  return norm(a) === norm(b);
}
