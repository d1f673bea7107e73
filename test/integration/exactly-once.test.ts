import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result, SendReplyInput } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { HostCore } from '../../electron/host/hostCore';
import { FakeRenderer, until, world, type CoreOptions, type World } from './harness';

/**
 * A reply is never posted twice and never silently dropped: the sandbox commits a
 * reply and then times out, answers 504 or resets the connection; the host is
 * stopped and restarted at every journal state. Each schedule must end with
 * exactly one reply in the sandbox's posted list.
 */
let w: World;
let core: HostCore | null = null;
let r: FakeRenderer;

const api = (p: string, body?: unknown, method?: string) => w.api(p, body, method);

/** The renderer listens before the core starts and stays across restarts, keeping what it stored. */
const coreOptions = (): CoreOptions => ({
  pollIntervalMs: { x_mentions: 100, x_own: 100, x_dms: 100, fb_comments: 100, fb_messages: 100 },
  requestTimeoutMs: 400,
  renderer: r,
});

async function restart(): Promise<HostCore> {
  core = await w.restart(core!);
  return core;
}

const postedWith = async (text: string) => (await api('/__sandbox/posted')).posted.filter((p: { text?: string }) => p.text === text);

async function target(channel: 'x_mention' | 'x_dm' | 'fb_comment' | 'fb_message') {
  const injected = await api('/__sandbox/inject', { channel, text: `Vraag ${Math.random()}` });
  return until(() => [...r.stored.values()].find((m) => m.platformId === injected.id), 'the injected message');
}

function replyTo(m: Message, text: string): SendReplyInput {
  return { clientId: crypto.randomUUID(), accountId: m.accountId, channel: m.channel, conversationId: m.conversationId, inReplyToId: m.platformId, recipientId: m.author.id, text };
}

const POST_PATH = { x_mention: '/x/2/tweets', x_dm: '/x/2/dm_conversations', fb_comment: '/graph/', fb_message: '/graph/' } as const;

beforeEach(async () => {
  // DM events allow 15 reads per 15 minutes; these tests need a DM to arrive within seconds.
  w = await world({ historyPerChannel: 2, seed: 3, limits: { scale: 100 } });
  r = new FakeRenderer();
  core = await w.core(coreOptions());
});
afterEach(async () => {
  core = null;
  await w.close();
});

describe('exactly-once replies', () => {
  for (const channel of ['x_mention', 'x_dm', 'fb_comment', 'fb_message'] as const) {
    for (const then of ['timeout', 'status', 'reset'] as const) {
      it(`${channel}: committed, then ${then === 'status' ? '504' : then}; retried → one reply`, async () => {
        const m = await target(channel);
        const input = replyTo(m, `Antwoord ${channel} ${then} ${Date.now()}`);
        await api('/__sandbox/faults', { method: 'POST', path: POST_PATH[channel], fault: { type: 'commitThen', then, status: 504 } });
        const first = (await core!.dispatch('sendReply', input)) as Result<Message>;
        // Either settled at once by looking on the platform, or honestly unknown.
        if (!first.ok) expect(first.error.kind).toBe('sendUnknown');
        const second = (await core!.dispatch('sendReply', input)) as Result<Message>;
        expect(second.ok).toBe(true);
        expect(await postedWith(input.text)).toHaveLength(1);
      });
    }
  }

  it('a 503 before anything was committed is a clean failure and a clean retry', async () => {
    const m = await target('x_mention');
    const input = replyTo(m, `Antwoord na 503 ${Date.now()}`);
    await api('/__sandbox/faults', { method: 'POST', path: '/x/2/tweets', fault: { type: 'status', status: 429 } });
    const first = (await core!.dispatch('sendReply', input)) as Result<Message>;
    expect(first).toMatchObject({ ok: false, error: { kind: 'rateLimited' } });
    expect(await postedWith(input.text)).toHaveLength(0);
    expect(await core!.dispatch('sendReply', input)).toMatchObject({ ok: true });
    expect(await postedWith(input.text)).toHaveLength(1);
  });

  it('restart with an attempt journaled as "sending" but never sent: posts once', async () => {
    const m = await target('x_mention');
    const input = replyTo(m, `Na crash vóór verzenden ${Date.now()}`);
    await core!.stop();
    const file = path.join(w.dataDir, 'sent.json');
    const journal = JSON.parse(await readFile(file, 'utf8').catch(() => '{}'));
    journal[input.clientId] = { state: 'sending', at: Date.now(), startedAt: Date.now(), attempts: 1 };
    await writeFile(file, JSON.stringify(journal));
    core = await w.core(coreOptions());
    expect(await core!.dispatch('sendReply', input)).toMatchObject({ ok: true });
    expect(await postedWith(input.text)).toHaveLength(1);
  });

  it('restart while the committed request hangs: the restarted host finds the reply instead of posting again', async () => {
    const m = await target('x_mention');
    const input = replyTo(m, `Na crash tijdens verzenden ${Date.now()}`);
    // Also block the lookup, so the first host cannot settle it before it dies.
    await api('/__sandbox/faults', { method: 'POST', path: '/x/2/tweets', fault: { type: 'commitThen', then: 'timeout' } });
    await api('/__sandbox/faults', { method: 'GET', path: `/x/2/users`, times: 5, fault: { type: 'status', status: 503 } });
    expect(await core!.dispatch('sendReply', input)).toEqual({ ok: false, error: { kind: 'sendUnknown' } });
    await restart();
    await api('/__sandbox/faults', undefined, 'DELETE');
    expect(await core!.dispatch('sendReply', input)).toMatchObject({ ok: true });
    expect(await postedWith(input.text)).toHaveLength(1);
  }, 30_000);

  it('checking an unanswered DM uses the person\'s conversation, waits for its rate limit, and never starves the inbox poll', async () => {
    const m = await target('x_dm');
    const input = replyTo(m, `DM zonder antwoord ${Date.now()}`);
    const checkPath = `/x/2/dm_conversations/with/${m.author.id}/dm_events`;
    await api('/__sandbox/faults', { method: 'POST', path: '/x/2/dm_conversations', fault: { type: 'commitThen', then: 'status', status: 503 } });
    await api('/__sandbox/faults', { method: 'GET', path: checkPath, times: 1, fault: { type: 'rateLimit', resetInSeconds: 600 } });
    await api('/__sandbox/requests', undefined, 'DELETE');
    const before = Date.now();
    const first = (await core!.dispatch('sendReply', input)) as Result<Message>;
    expect(first.ok).toBe(false);
    if (first.ok) return;
    // The look after the 503 hit the rate limit: the answer says when to look again.
    expect(first.error).toMatchObject({ kind: 'sendUnknown' });
    expect((first.error as { resetAt?: number }).resetAt ?? 0).toBeGreaterThan(before + 500_000);
    // Asked again at once: no request to the spent window, the same answer.
    const second = (await core!.dispatch('sendReply', input)) as Result<Message>;
    expect(second).toMatchObject({ ok: false, error: { kind: 'sendUnknown' } });
    const log = (await api('/__sandbox/requests')) as { requests: { method: string; path: string; status: number }[] };
    expect(log.requests.filter((r) => r.path === checkPath)).toHaveLength(1);
    expect(log.requests.filter((r) => r.path === '/x/2/dm_events' && r.method === 'GET').length, 'the inbox is never used to check').toBe(0);
    // Nothing was posted twice, and the inbox keeps arriving meanwhile.
    expect(await postedWith(input.text)).toHaveLength(1);
    await target('x_dm');
  }, 30_000);

  it('restart after "sent": the journal answers, nothing is posted', async () => {
    const m = await target('fb_comment');
    const input = replyTo(m, `Al verstuurd ${Date.now()}`);
    const first = await core!.dispatch('sendReply', input);
    await restart();
    expect(await core!.dispatch('sendReply', input)).toEqual(first);
    expect(await postedWith(input.text)).toHaveLength(1);
  });

  it('random schedules of faults and restarts never post twice, and post once when healthy', async () => {
    let seed = 20261122;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const faults = [
      { type: 'commitThen', then: 'timeout' },
      { type: 'commitThen', then: 'status', status: 504 },
      { type: 'commitThen', then: 'reset' },
      { type: 'status', status: 503 },
      { type: 'reset' },
      null,
    ];
    for (let schedule = 0; schedule < 8; schedule++) {
      const m = await target(rnd() < 0.5 ? 'x_mention' : 'fb_comment');
      const input = replyTo(m, `Schema ${schedule} ${Date.now()}`);
      const steps = 2 + Math.floor(rnd() * 3);
      for (let step = 0; step < steps; step++) {
        const fault = faults[Math.floor(rnd() * faults.length)];
        if (fault) await api('/__sandbox/faults', { method: 'POST', path: POST_PATH[m.channel as 'x_mention' | 'fb_comment'], fault });
        await core!.dispatch('sendReply', input);
        await api('/__sandbox/faults', undefined, 'DELETE');
        expect((await postedWith(input.text)).length).toBeLessThanOrEqual(1);
        if (rnd() < 0.4) await restart();
      }
      expect(await core!.dispatch('sendReply', input)).toMatchObject({ ok: true });
      expect(await postedWith(input.text)).toHaveLength(1);
    }
  }, 60_000);
});
