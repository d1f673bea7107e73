import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload, Status } from '../../shared/contract';
import type { Message } from '../../shared/model';
import type { Claim, TeamStatus } from '../../shared/team';
import type { ConnectionState, HostApi } from '../../renderer/src/api/host';
import type { StatusSource } from '../../renderer/src/api/status';
import { Card } from '../../renderer/src/board/Card';
import { Composer } from '../../renderer/src/composer/Composer';
import { ThreadMessage } from '../../renderer/src/conversation/ThreadMessage';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { initI18n } from '../../renderer/src/i18n/index';
import { ServicesContext } from '../../renderer/src/services';
import { ReplyingBadge } from '../../renderer/src/team/Badges';
import { ClaimKeeper, CLAIM_RENEW_MS } from '../../renderer/src/team/claims';
import { AWAY_AFTER_MS, PresenceReporter } from '../../renderer/src/team/presence';
import { othersClaims } from '../../renderer/src/team/useTeam';

type Handler = (input: unknown) => unknown;

/** A host that answers commands from handlers and records every call. */
class FakeHost implements HostApi {
  connection: ConnectionState = 'open';
  readonly calls: Array<{ name: CommandName; input: unknown }> = [];
  readonly handlers: Partial<Record<CommandName, Handler>> = {};
  async call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    this.calls.push({ name, input });
    const h = this.handlers[name];
    return (h ? await h(input) : { ok: true, value: {} }) as CommandOutput<C>;
  }
  on<E extends EventName>(_n: E, _fn: (p: EventPayload<E>) => void): () => void {
    return () => undefined;
  }
  onConnection(): () => void {
    return () => undefined;
  }
  named(name: CommandName) {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }
}

class FakeStatus implements StatusSource {
  constructor(public value: Status | null) {}
  subscribe = () => () => undefined;
  get = () => this.value;
}

const claim = (conversationKey: string, name: string, mine = false): Claim => ({ conversationKey, login: name.toLowerCase(), name, expiresAt: Date.now() + 60_000, mine });

function teamStatus(patch: Partial<TeamStatus> = {}): Status {
  return {
    accounts: [],
    streams: [],
    online: true,
    shell: 'browser',
    vault: { encrypted: true, plaintextAllowed: false },
    xSignIn: 'sandbox',
    signIn: { pending: false },
    team: {
      state: 'online',
      url: 'postgres://bram@db/webcare',
      me: { login: 'bram', name: 'Bram', role: 'agent', departments: [] },
      members: [],
      claims: [],
      pollers: {},
      leading: [],
      keyNeeded: false,
      queued: 0,
      lostRaces: [],
      ...patch,
    },
  };
}

function message(id: string, conversationId = id): Message {
  return {
    key: `x_mention:${id}`,
    platformId: id,
    channel: 'x_mention',
    accountId: 'acc-1',
    conversationId,
    author: { id: `u-${id}`, name: 'Els de Vries', handle: 'elsdv' },
    text: `Waar blijft mijn pakket? ${id}`,
    createdAt: Date.now() - 60_000,
    fromUs: false,
  };
}

const dbs: WebcareDb[] = [];
function withServices(status: Status | null, node: ReactNode, host = new FakeHost()): string {
  const db = openDb(`team-claims-${crypto.randomUUID()}`);
  dbs.push(db);
  return renderToStaticMarkup(<ServicesContext value={{ host, db, status: new FakeStatus(status) }}>{node}</ServicesContext>);
}

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  vi.useRealTimers();
});

describe('claims shown to colleagues', () => {
  it('only colleagues’ claims, never this login’s own', () => {
    const map = othersClaims(teamStatus({ claims: [claim('x_mention:1', 'Anna'), claim('x_mention:2', 'Bram', true)] }).team);
    expect([...map]).toEqual([['x_mention:1', 'Anna']]);
    expect(othersClaims(undefined).size).toBe(0);
  });

  it('the same Map while the claims stay the same, so cards redraw only when a claim changes', () => {
    const a = othersClaims(teamStatus({ claims: [claim('x_mention:1', 'Anna')] }).team);
    const b = othersClaims(teamStatus({ claims: [{ ...claim('x_mention:1', 'Anna'), expiresAt: 1 }] }).team);
    expect(b).toBe(a);
    const c = othersClaims(teamStatus({ claims: [claim('x_mention:1', 'Cees')] }).team);
    expect(c).not.toBe(a);
    expect(c.get('x_mention:1')).toBe('Cees');
  });

  it('a card shows who is replying in its conversation (en, nl), and nothing without a claim', async () => {
    const card = (replying?: string) =>
      renderToStaticMarkup(
        <Card message={message('1')} mark={undefined} replying={replying} selected={false} picked={false} lineChars={40} onActivate={() => undefined} onFocusCard={() => undefined} onDone={() => undefined} />,
      );
    expect(card('Anna')).toMatch(/data-testid="card-replying">Anna is replying</);
    await i18next.changeLanguage('nl');
    try {
      expect(card('Anna')).toMatch(/data-testid="card-replying">Anna is aan het antwoorden</);
    } finally {
      await i18next.changeLanguage('en');
    }
    expect(card()).not.toContain('card-replying');
  });

  it('the conversation header shows a colleague’s claim and not mine; solo shows nothing', () => {
    const other = withServices(teamStatus({ claims: [claim('x_mention:1', 'Anna')] }), <ReplyingBadge conversationKey="x_mention:1" />);
    expect(other).toMatch(/data-testid="conversation-replying">Anna is replying</);
    const mine = withServices(teamStatus({ claims: [claim('x_mention:1', 'Bram', true)] }), <ReplyingBadge conversationKey="x_mention:1" />);
    expect(mine).toBe('');
    const solo = withServices({ ...teamStatus(), team: undefined }, <ReplyingBadge conversationKey="x_mention:1" />);
    expect(solo).toBe('');
  });

  it('the composer says who holds the claim, and still lets the agent write', () => {
    const m = message('7');
    const html = withServices(teamStatus({ claims: [claim('x_mention:7', 'Anna')] }), <Composer thread={[m]} fallback={m} />);
    expect(html).toMatch(/data-testid="reply-claimed">Anna is replying to this conversation\. You can still write;/);
    expect(html).toMatch(/<textarea[^>]*data-testid="reply-input"/);
    expect(html).not.toMatch(/<textarea[^>]*disabled/);
    const solo = withServices({ ...teamStatus(), team: undefined }, <Composer thread={[m]} fallback={m} />);
    expect(solo).not.toContain('reply-claimed');
  });
});

describe('our reply in the thread', () => {
  it('names the colleague who wrote it (en, nl); solo replies stay as they were', async () => {
    const ours: Message = { ...message('9'), fromUs: true, by: 'Anna', author: { id: 'us', name: 'Polderpost', handle: 'polderpost' } };
    const html = () => withServices(teamStatus(), <ThreadMessage message={ours} selected={false} />);
    expect(html()).toMatch(/data-testid="thread-by">by Anna</);
    await i18next.changeLanguage('nl');
    try {
      expect(html()).toMatch(/data-testid="thread-by">door Anna</);
    } finally {
      await i18next.changeLanguage('en');
    }
    const { by: _by, ...solo } = ours;
    expect(withServices(null, <ThreadMessage message={solo} selected={false} />)).not.toContain('thread-by');
  });
});

describe('ClaimKeeper: claim while typing, renew at most every 30 s, release on leaving', () => {
  const setup = (active = true) => {
    const host = new FakeHost();
    let now = 1_000_000;
    const results: Array<[boolean, Claim | null]> = [];
    host.handlers.claim = (input) => {
      const i = input as { conversationKey: string; release?: boolean };
      return { ok: true, value: { won: true, claim: i.release ? null : claim(i.conversationKey, 'Bram', true) } };
    };
    const keeper = new ClaimKeeper(host, 'x_mention:1', { active: () => active, now: () => now, onResult: (won, c) => results.push([won, c]) });
    return { host, keeper, results, tick: (ms: number) => (now += ms) };
  };

  it('typing claims once, then renews only after 30 s', async () => {
    const { host, keeper, tick } = setup();
    keeper.touch();
    for (let i = 0; i < 20; i++) {
      tick(1000);
      keeper.touch();
    }
    await keeper.settled();
    expect(host.named('claim')).toEqual([{ conversationKey: 'x_mention:1' }]);
    tick(CLAIM_RENEW_MS);
    keeper.touch();
    await keeper.settled();
    expect(host.named('claim')).toHaveLength(2);
  });

  it('leaving releases the claim it holds, after the claim was answered', async () => {
    const { host, keeper } = setup();
    let answer: (v: unknown) => void = () => undefined;
    host.handlers.claim = (input) =>
      (input as { release?: boolean }).release ? { ok: true, value: { won: true, claim: null } } : new Promise((r) => (answer = r));
    keeper.touch();
    keeper.release();
    // The release waits for the claim's answer: it never overtakes it.
    await new Promise((r) => setTimeout(r, 5));
    expect(host.named('claim')).toHaveLength(1);
    answer({ ok: true, value: { won: true, claim: claim('x_mention:1', 'Bram', true) } });
    await keeper.settled();
    expect(host.named('claim')).toEqual([{ conversationKey: 'x_mention:1' }, { conversationKey: 'x_mention:1', release: true }]);
  });

  it('nothing to release without a claim, and nothing at all in solo mode', async () => {
    const solo = setup(false);
    solo.keeper.touch();
    solo.keeper.release();
    await solo.keeper.settled();
    expect(solo.host.calls).toEqual([]);
    const idle = setup();
    idle.keeper.release();
    await idle.keeper.settled();
    expect(idle.host.calls).toEqual([]);
  });

  it('a claim someone else holds is reported with who holds it (and nothing is released)', async () => {
    const { host, keeper, results } = setup();
    host.handlers.claim = () => ({ ok: true, value: { won: false, claim: claim('x_mention:1', 'Anna') } });
    keeper.touch();
    keeper.release();
    await keeper.settled();
    expect(results).toEqual([[false, expect.objectContaining({ name: 'Anna', mine: false })]]);
    expect(host.named('claim')).toEqual([{ conversationKey: 'x_mention:1' }]);
  });

  it('after the reply is queued (released), typing again claims again at once', async () => {
    const { host, keeper, tick } = setup();
    keeper.touch();
    keeper.release();
    tick(1000);
    keeper.touch();
    await keeper.settled();
    expect(host.named('claim')).toEqual([{ conversationKey: 'x_mention:1' }, { conversationKey: 'x_mention:1', release: true }, { conversationKey: 'x_mention:1' }]);
  });
});

describe('presence: away after five minutes without input, online on input again', () => {
  it('reports each change once', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const reports: string[] = [];
    const p = new PresenceReporter((s) => reports.push(s), { target, now: () => Date.now() });
    p.start();
    vi.advanceTimersByTime(AWAY_AFTER_MS - 1000);
    target.dispatchEvent(new Event('mousemove'));
    vi.advanceTimersByTime(AWAY_AFTER_MS - 1000);
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(reports).toEqual(['away']);
    vi.advanceTimersByTime(AWAY_AFTER_MS * 3);
    expect(reports).toEqual(['away']);
    target.dispatchEvent(new Event('keydown'));
    target.dispatchEvent(new Event('keydown'));
    expect(reports).toEqual(['away', 'online']);
    vi.advanceTimersByTime(AWAY_AFTER_MS);
    expect(reports).toEqual(['away', 'online', 'away']);
    p.stop();
    target.dispatchEvent(new Event('keydown'));
    expect(reports).toEqual(['away', 'online', 'away']);
  });
});
