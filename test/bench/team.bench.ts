// `npm run bench:team` (chained into `npm run bench`; not part of `npm test`).
//
// Team-mode figures against a throwaway PostgreSQL (startPg, via the integration
// tests' team fixture) and the sandbox. Every console is an in-process HostCore
// with a fake renderer that stores and acknowledges batches as the renderer does;
// all of them, the sandbox and the bench run in ONE Node process (PostgreSQL is
// its own process). Team timing is the production default; the sandbox streams
// are polled every 100 ms (teamVisible, teamClaim) or 1 s (teamStorm).
//
// teamVisible: inject one message (POST /__sandbox/inject), wait for it in the
//   other console's store. Timed from webcare.messages.stored_at (clock_timestamp()
//   of the poller's insert, same machine clock) to the moment the other console
//   emits the batch holding it to its renderer. Injection → renderer is printed too
//   (that includes the wait for the next poll).
// teamClaim: console A dispatches `claim` on a fresh conversation; timed from the
//   dispatch call to the first statusChanged event of console B whose
//   team.claims holds it. Each claim is released (and the release seen) before the next.
// teamStorm: N consoles (one login each) on one database and one sandbox; a burst
//   (POST /__sandbox/burst) → every console's store holds every burst message.
//   Poll requests (sandbox GETs of polled streams, counted per console by an HTTP
//   relay) from the burst until the poller's database held the whole burst, compared
//   with ONE solo console (no team) polling the same burst on a fresh sandbox until its
//   store held it.
//
// BENCH_QUICK=1: 20 samples, 5 consoles, a 1,000-message burst.
import { mkdir, writeFile } from 'node:fs/promises';
import { test } from '@playwright/test';
import type { MessageBatch, Status } from '../../shared/contract';
import type { StreamKind } from '../../shared/model';
import type { HostCore } from '../../electron/host/hostCore';
import { FakeRenderer, until, world, type World } from '../integration/harness';
import { sandboxRelay, stopTeamCluster, teamConsole, teamDbFixture, type SandboxRelay, type TeamDbFixture } from '../integration/teamSupport';

const QUICK = process.env.BENCH_QUICK === '1';
const SAMPLES = Number(process.env.BENCH_TEAM_SAMPLES ?? (QUICK ? 20 : 50));
const CONSOLES = Number(process.env.BENCH_TEAM_CONSOLES ?? (QUICK ? 5 : 20));
const BURST = Number(process.env.BENCH_TEAM_BURST ?? (QUICK ? 1_000 : 10_000));

const KINDS: StreamKind[] = ['x_mentions', 'x_own', 'x_dms', 'x_search', 'fb_comments', 'fb_visitor_posts', 'fb_messages'];
const every = (ms: number) => Object.fromEntries(KINDS.map((k) => [k, ms])) as Record<StreamKind, number>;
const CHANNELS = ['x_mention', 'x_dm', 'fb_comment', 'fb_message'] as const;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN) : NaN;
}
const summary = (xs: number[]) => ({ n: xs.length, p50: Math.round(pct(xs, 50)), p95: Math.round(pct(xs, 95)), max: Math.round(Math.max(...xs)) });
/** A poll that follows a page (X pagination_token, Graph after cursor), not the first page of a round. */
const isPaging = (query: string) => /(^|&)(pagination_token|after)=/.test(query);

/** Records when each message key first reached a console's renderer. */
function arrivals(core: HostCore): Map<string, number> {
  const at = new Map<string, number>();
  core.onEvent((name, payload) => {
    if (name !== 'messagesArrived') return;
    const now = Date.now();
    for (const m of (payload as MessageBatch).messages) if (!at.has(m.key)) at.set(m.key, now);
  });
  return at;
}

async function storedAt(db: TeamDbFixture, key: string): Promise<number | null> {
  const r = await db.admin.query<{ ms: number }>('SELECT extract(epoch FROM stored_at) * 1000 AS ms FROM webcare.messages WHERE key = $1', [key]);
  return r.rows[0] ? Number(r.rows[0].ms) : null;
}

test('team figures', async () => {
  const started = Date.now();
  const result: Record<string, unknown> = {
    bench: 'team',
    at: new Date().toISOString(),
    quick: QUICK,
    note: 'consoles are in-process HostCores with fake renderers, all in one Node process; PostgreSQL is a throwaway local cluster (fsync off)',
  };
  const relays: SandboxRelay[] = [];
  let w: World | null = null;
  let db: TeamDbFixture | null = null;
  const cleanup = async () => {
    await w?.close();
    for (const r of relays.splice(0)) await r.close();
    await db?.stop();
    w = null;
    db = null;
  };

  try {
    // ---- teamVisible and teamClaim: two consoles, anna polls, bert watches.
    {
      const t0 = Date.now();
      db = await teamDbFixture();
      await db.addMember('anna', 'Anna');
      await db.addMember('bert', 'Bert');
      await db.setKey();
      w = await world({ historyPerChannel: 1, seed: 21, limits: { scale: 100 } });
      const ra = new FakeRenderer();
      const rb = new FakeRenderer();
      const a = await teamConsole(w, db.url('anna'), ra, relays, { teamTiming: undefined, pollIntervalMs: every(100) });
      await until(() => a.core.status().team?.leading.length === 2, 'anna to poll both accounts', 30_000);
      const b = await teamConsole(w, db.url('bert'), rb, relays, { teamTiming: undefined, pollIntervalMs: every(100) });
      await until(() => b.core.status().team?.state === 'online' && Object.keys(b.core.status().team?.pollers ?? {}).length === 2, "bert's console online", 30_000);
      const bAt = arrivals(b.core);

      const fromStore: number[] = [];
      const fromInject: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const channel = CHANNELS[i % CHANNELS.length] ?? 'x_mention';
        const injectedAt = Date.now();
        const r = (await w.api('/__sandbox/inject', { channel, text: `Bench ${i}: pakket 3SBENCH${i}` })) as { id: string };
        const key = `${channel}:${r.id}`;
        await until(() => rb.stored.has(key), `${key} in bert's store`, 20_000);
        const seen = bAt.get(key) ?? Date.now();
        const stored = await storedAt(db, key);
        if (stored === null) throw new Error(`${key} not in webcare.messages`);
        fromStore.push(seen - stored);
        fromInject.push(seen - injectedAt);
      }
      result.teamVisible = {
        from: 'webcare.messages.stored_at (poller insert, clock_timestamp) → other console emits the batch to its renderer',
        ms: summary(fromStore),
        injectToOtherRendererMs: summary(fromInject),
        pollEveryMs: 100,
        targetP95Ms: 500,
      };

      // Claims: B's status events, timestamped as they are emitted.
      const claimSeen = new Map<string, number>();
      b.core.onEvent((name, payload) => {
        if (name !== 'statusChanged') return;
        const status = payload as Status;
        const at = Date.now();
        for (const c of status.team?.claims ?? []) if (!claimSeen.has(c.conversationKey)) claimSeen.set(c.conversationKey, at);
      });
      const claimMs: number[] = [];
      const claimCallMs: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const key = `x_mention:bench-claim-${started}-${i}`;
        const t = Date.now();
        const r = await a.core.dispatch('claim', { conversationKey: key });
        claimCallMs.push(Date.now() - t);
        if (!r.ok) throw new Error(`claim refused: ${JSON.stringify(r)}`);
        await until(() => claimSeen.get(key), `the claim ${key} in bert's status`, 10_000);
        claimMs.push((claimSeen.get(key) ?? NaN) - t);
        await a.core.dispatch('claim', { conversationKey: key, release: true });
        await until(() => !(b.core.status().team?.claims ?? []).some((c) => c.conversationKey === key), 'the release seen by bert', 10_000);
      }
      result.teamClaim = {
        from: "console A dispatch('claim') → first statusChanged event of console B listing the claim",
        ms: summary(claimMs),
        claimCallMs: summary(claimCallMs),
        targetP95Ms: 300,
      };
      result.visibleClaimRunS = Math.round((Date.now() - t0) / 100) / 10;
      await cleanup();
    }

    // ---- teamStorm: the solo baseline first (one console, no team), then N team consoles.
    {
      const t0 = Date.now();
      w = await world({ historyPerChannel: 1, seed: 22, limits: { scale: 100 } });
      const solo = await soloBurst(w, relays);
      await cleanup();

      db = await teamDbFixture();
      const logins = Array.from({ length: CONSOLES }, (_, i) => `agent${String(i + 1).padStart(2, '0')}`);
      for (const l of logins) await db.addMember(l, `Agent ${l}`);
      await db.setKey();
      w = await world({ historyPerChannel: 1, seed: 22, limits: { scale: 100 } });
      const consoles: Array<{ core: HostCore; relay: SandboxRelay; r: FakeRenderer }> = [];
      for (const [i, login] of logins.entries()) {
        const r = new FakeRenderer();
        const c = await teamConsole(w, db.url(login), r, relays, { teamTiming: undefined, pollIntervalMs: every(1000) });
        consoles.push({ ...c, r });
        if (i === 0) await until(() => c.core.status().team?.leading.length === 2, 'the first console to poll both accounts', 30_000);
      }
      const total = async () => (await db!.admin.query<{ n: number }>('SELECT count(*)::int AS n FROM webcare.messages')).rows[0]?.n ?? 0;
      const before = await total();
      await until(async () => {
        const st = consoles.map((c) => c.core.status().team);
        return st.every((s) => s?.state === 'online' && Object.keys(s.pollers ?? {}).length === 2) && consoles.every((c) => c.r.stored.size >= before);
      }, 'every console online and caught up', 60_000);
      const settled = await total();
      const sizes = consoles.map((c) => c.r.stored.size);
      const pollers = [...new Set(Object.values(consoles[0]?.core.status().team?.pollers ?? {}))];

      const burstAt = Date.now();
      const burst = (await w.api('/__sandbox/burst', { count: BURST })) as { count: number };
      if (burst.count !== BURST) throw new Error(`burst refused: ${JSON.stringify(burst)}`);
      await until(async () => (await total()) >= settled + BURST, () => `the whole burst in the database`, 300_000);
      const dbDoneAt = Date.now();
      const keys = (await db.admin.query<{ key: string }>('SELECT key FROM webcare.messages WHERE stored_at >= to_timestamp($1::float8 / 1000)', [burstAt - 1000])).rows.map((x) => x.key);
      const doneAt: Array<number | null> = consoles.map(() => null);
      await until(() => {
        for (const [i, c] of consoles.entries()) {
          if (doneAt[i] !== null) continue;
          if (c.r.stored.size - (sizes[i] ?? 0) < BURST) continue;
          if (keys.every((k) => c.r.stored.has(k))) doneAt[i] = Date.now();
        }
        return doneAt.every((d) => d !== null);
      }, () => `every store to hold the burst (${doneAt.filter((d) => d !== null).length}/${consoles.length} done)`, 300_000);
      const allDone = Math.max(...doneAt.map((d) => d ?? NaN));
      const pollsUntil = (until_: number) => {
        const per = consoles.map((c) => c.relay.polls(burstAt).filter((s) => s.at <= until_));
        return { total: per.reduce((n, p) => n + p.length, 0), paging: per.reduce((n, p) => n + p.filter((s) => isPaging(s.query)).length, 0), consolesPolling: per.filter((p) => p.length > 0).length };
      };
      result.teamStorm = {
        consoles: CONSOLES,
        logins: CONSOLES,
        inProcess: true,
        burst: BURST,
        burstKeysInDatabase: keys.length,
        pollers,
        allStoresMs: allDone - burstAt,
        firstStoreMs: Math.min(...doneAt.map((d) => d ?? NaN)) - burstAt,
        databaseHeldBurstMs: dbDoneAt - burstAt,
        pollEveryMs: 1000,
        teamPolls: { until: 'the database held the whole burst', ...pollsUntil(dbDoneAt) },
        teamPollsUntilAllStores: pollsUntil(allDone),
        soloPolls: solo,
        targetMs: 30_000,
      };
      result.stormRunS = Math.round((Date.now() - t0) / 100) / 10;
    }
  } finally {
    await cleanup();
    await stopTeamCluster();
  }
  result.runS = Math.round((Date.now() - started) / 100) / 10;
  await mkdir('bench/results', { recursive: true });
  await writeFile(`bench/results/team-${new Date().toISOString().slice(0, 10)}-${Date.now()}.json`, JSON.stringify(result, null, 2));
  console.log(`BENCH team ${JSON.stringify(result)}`);
});

/** One console alone (no team) on `w`: polls, from the burst until its store held it. */
async function soloBurst(w: World, relays: SandboxRelay[]) {
  const relay = await sandboxRelay(w);
  relays.push(relay);
  const r = new FakeRenderer();
  const core = await w.core({ dataDir: await w.tempDir(), sandbox: relay.endpoints, renderer: r, pollIntervalMs: every(1000) });
  await until(() => core.status().streams.length > 0 && r.stored.size > 0, 'the solo console polling', 30_000);
  await new Promise((res) => setTimeout(res, 2000));
  const before = r.stored.size;
  const burstAt = Date.now();
  await w.api('/__sandbox/burst', { count: BURST });
  await until(() => r.stored.size >= before + BURST, () => `the solo store to hold the burst (${r.stored.size - before}/${BURST})`, 300_000);
  const doneAt = Date.now();
  const polls = relay.polls(burstAt).filter((s) => s.at <= doneAt);
  return { until: 'its store held the whole burst', total: polls.length, paging: polls.filter((s) => isPaging(s.query)).length, ms: doneAt - burstAt };
}
