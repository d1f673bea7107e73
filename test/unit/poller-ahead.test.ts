import { describe, expect, it } from 'vitest';
import type { MessageBatch } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { Deliver, PollResult } from '../../electron/host/connectors/types';
import { nextDelay, StreamRunner, type RunnerHooks, type StreamSource } from '../../electron/host/poller';

/**
 * The poller reads a backlog's next page while earlier batches are being stored
 * (a bounded number of them unacknowledged), moves the cursor only once every
 * batch of the poll was acknowledged, and reads on at once while a backlog waits
 * and the rate window has room.
 */

const NOW = Date.UTC(2026, 11, 3, 12);

function message(id: number): Message {
  return {
    key: `x_mention:${id}`,
    platformId: String(id),
    channel: 'x_mention',
    accountId: 'x:1',
    conversationId: String(id),
    author: { id: 'u1', name: 'Els', handle: 'els' },
    text: `bericht ${id}`,
    createdAt: NOW - id,
    fromUs: false,
  };
}

/** A deferred acknowledgement per batch, settled by the test. */
class Acks {
  readonly batches: MessageBatch[] = [];
  private readonly settle = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  deliver = (batch: MessageBatch): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      this.batches.push(batch);
      this.settle.set(batch.batchId, { resolve, reject });
    });
  ack(i: number): void {
    this.settle.get(this.batches[i]!.batchId)!.resolve();
  }
  fail(i: number): void {
    this.settle.get(this.batches[i]!.batchId)!.reject(new Error('host stopped before the batch was stored'));
  }
}

/** A source whose one poll hands over `pages` pages, recording how far it got. */
function pagedSource(pages: number, onPage: (n: number) => void): StreamSource {
  return {
    id: 'x:1/mentions',
    accountId: 'x:1',
    kind: 'x_mentions',
    async poll(_cursor: string | undefined, deliver: Deliver): Promise<PollResult> {
      for (let p = 0; p < pages; p++) {
        onPage(p);
        await deliver([message(p * 2), message(p * 2 + 1)]);
      }
      return { cursor: 'after-the-poll', skipped: 0 };
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

/** Waits for `fn` (at most 15 s: room for a loaded machine, not a timing assertion). */
async function until(fn: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick();
  }
}

function hooks(acks: Acks, saved: Array<string | undefined>, ahead: number | undefined, extra: Partial<RunnerHooks> = {}): RunnerHooks {
  return {
    deliver: acks.deliver,
    ...(ahead !== undefined ? { ahead: () => ahead } : {}),
    loadCursor: () => undefined,
    saveCursor: async (_id, cursor) => {
      saved.push(cursor);
    },
    onOutcome: () => undefined,
    now: () => NOW,
    ...extra,
  };
}

describe('the poller hands pages over ahead of their acknowledgement', () => {
  it('reads on while up to `ahead` batches wait, and saves the cursor only after every one was acknowledged', async () => {
    const acks = new Acks();
    const saved: Array<string | undefined> = [];
    let fetched = 0;
    const runner = new StreamRunner(
      pagedSource(5, (n) => (fetched = n + 1)),
      hooks(acks, saved, 3),
    );
    runner.start();
    await until(() => acks.batches.length === 3, 'three batches handed over');
    await tick();
    // Three wait for their acknowledgement: the fourth page is not read yet.
    expect(acks.batches).toHaveLength(3);
    expect(fetched).toBe(3);
    acks.ack(0);
    await until(() => acks.batches.length === 4, 'the fourth batch');
    acks.ack(2);
    acks.ack(1);
    await until(() => acks.batches.length === 5, 'the fifth batch');
    acks.ack(4);
    await tick();
    // The poll has read its last page, but batch 4 still waits: the cursor stays.
    expect(saved).toEqual([]);
    acks.ack(3);
    await until(() => saved.length === 1, 'the cursor saved');
    expect(saved).toEqual(['after-the-poll']);
    expect(runner.status.delivered).toBe(10);
    await runner.stop();
  });

  it('without `ahead` (team mode), each batch is acknowledged before the next page is read', async () => {
    const acks = new Acks();
    const saved: Array<string | undefined> = [];
    const runner = new StreamRunner(pagedSource(3, () => undefined), hooks(acks, saved, undefined));
    runner.start();
    await until(() => acks.batches.length === 1, 'a batch');
    await tick();
    expect(acks.batches).toHaveLength(1);
    acks.ack(0);
    await until(() => acks.batches.length === 2, 'the second batch');
    await tick();
    expect(acks.batches).toHaveLength(2);
    acks.ack(1);
    await until(() => acks.batches.length === 3, 'the third batch');
    acks.ack(2);
    await until(() => saved.length === 1, 'the cursor saved');
    await runner.stop();
  });

  it('a batch that is never stored fails the poll: the cursor stays, even when the batches after it were acknowledged', async () => {
    const acks = new Acks();
    const saved: Array<string | undefined> = [];
    const outcomes: boolean[] = [];
    const runner = new StreamRunner(
      pagedSource(3, () => undefined),
      hooks(acks, saved, 4, { onOutcome: (_r, o) => outcomes.push(o.ok) }),
    );
    runner.start();
    await until(() => acks.batches.length === 3, 'three batches ahead');
    acks.ack(2);
    acks.fail(0);
    acks.ack(1);
    await until(() => outcomes.length === 1, 'the poll’s outcome');
    expect(outcomes).toEqual([false]);
    expect(saved).toEqual([]);
    expect(runner.status.lastError).toBeDefined();
    await runner.stop();
  });
});

describe('a backlog is read on at once while the rate window has room', () => {
  const rate = (remaining: number, inMs: number, limit = 300) => ({ cursor: undefined, skipped: 0, rate: { limit, remaining, resetAt: NOW + inMs } });

  it.each([
    ['a backlog with most of the window left: at once', rate(289, 890_000), true, 0],
    ['no backlog: the even spread', rate(289, 890_000), false, Math.ceil(890_000 / 289)],
    ['a backlog, but only what polling at the base interval needs is left: the even spread', rate(89, 890_000), true, Math.ceil(890_000 / 89)],
    ['a backlog and a spent window: wait for the reset', rate(0, 400_000), true, 401_000],
  ])('%s', (_label, result, backlog, expected) => {
    expect(nextDelay(10_000, result, NOW, true, 0, 1, backlog)).toBe(expected);
  });

  it('a 100-page backlog read 10 pages a poll comes in one go, and the window is never overspent', () => {
    let t = NOW;
    const reset = NOW + 900_000;
    let remaining = 300;
    let backlog = 100;
    let calls = 0;
    let waited = 0;
    while (t < reset && remaining > 0) {
      const pages = Math.min(10, remaining, Math.max(1, backlog));
      remaining -= pages;
      calls += pages;
      backlog = Math.max(0, backlog - pages);
      const delay = nextDelay(10_000, { cursor: undefined, skipped: 0, rate: { limit: 300, remaining, resetAt: reset } }, t, true, 0, 1, backlog > 0);
      if (backlog > 0) waited += delay;
      t += delay;
    }
    expect(waited).toBe(0);
    expect(calls).toBeLessThanOrEqual(300);
  });

  it('the runner polls again at once after a poll that left a filling gap', async () => {
    const saved: Array<string | undefined> = [];
    let polls = 0;
    const source: StreamSource = {
      id: 'x:1/mentions',
      accountId: 'x:1',
      kind: 'x_mentions',
      async poll(): Promise<PollResult> {
        polls++;
        const filling = polls < 3;
        return {
          cursor: `c${polls}`,
          skipped: 0,
          rate: { limit: 300, remaining: 300 - polls * 10, resetAt: NOW + 900_000 },
          ...(filling ? { gaps: [{ to: NOW - 1000, estimate: 100, state: 'filling' as const, reason: 'budget' as const }] } : {}),
        };
      },
    };
    const runner = new StreamRunner(source, hooks(new Acks(), saved, 8));
    runner.start();
    await until(() => polls >= 3, 'three polls');
    // The third poll left no gap: the stream waits its (quiet) interval again.
    await tick();
    expect(polls).toBe(3);
    expect(runner.status.nextPollAt).toBeGreaterThanOrEqual(NOW + 10_000);
    await runner.stop();
  });
});
