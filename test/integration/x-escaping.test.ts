import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/model';
import { FakeRenderer, until, world, type World } from './harness';

/**
 * X sends `&`, `<` and `>` in post and DM text as entities; the sandbox does the
 * same and the connector decodes exactly once, so what a customer typed (entities
 * included) is what the console stores.
 */
const TYPED = 'a &amp; b <c> & d';
const ON_THE_WIRE = 'a &amp;amp; b &lt;c&gt; &amp; d';

let w: World;

beforeEach(async () => {
  w = await world({ historyPerChannel: 0 });
});

afterEach(async () => {
  await w.close();
});

async function xGet(path: string): Promise<{ raw: string; body: Record<string, unknown> }> {
  const token = (await w.api('/__sandbox/x/token', {})).access_token as string;
  const res = await fetch(`${w.sandbox.xApiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const raw = await res.text();
  return { raw, body: JSON.parse(raw) };
}

describe('X text escaping', () => {
  it('the sandbox escapes &, < and > in post, DM and create-post text, as X does', async () => {
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: TYPED, authorHandle: 'klant_amp' });
    const one = await xGet(`/2/tweets/${mention.id}`);
    expect((one.body.data as { text: string }).text).toBe(`@polderpost ${ON_THE_WIRE}`);
    expect(one.raw).not.toContain('<c>');

    const list = await xGet(`/2/users/${'1460337282940219394'}/mentions?tweet.fields=text`);
    expect((list.body.data as { id: string; text: string }[]).find((t) => t.id === mention.id)?.text).toBe(`@polderpost ${ON_THE_WIRE}`);

    const dm = await w.api('/__sandbox/inject', { channel: 'x_dm', text: TYPED, authorHandle: 'klant_amp' });
    const events = await xGet('/2/dm_events?dm_event.fields=text,sender_id');
    expect((events.body.data as { id: string; text: string }[]).find((e) => e.id === dm.id)?.text).toBe(ON_THE_WIRE);

    const token = (await w.api('/__sandbox/x/token', {})).access_token as string;
    const created = await fetch(`${w.sandbox.xApiUrl}/2/tweets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: TYPED, reply: { in_reply_to_tweet_id: mention.id } }),
    }).then((r) => r.json() as Promise<{ data: { text: string } }>);
    expect(created.data.text).toBe(`@klant_amp ${ON_THE_WIRE}`);
  });

  it('the console stores and shows exactly what the customer typed', async () => {
    // Injected before the host starts: DM reads are scarce (15 per 15 minutes), the first one picks them up.
    const mention = await w.api('/__sandbox/inject', { channel: 'x_mention', text: TYPED, authorHandle: 'klant_amp' });
    const dm = await w.api('/__sandbox/inject', { channel: 'x_dm', text: TYPED, authorHandle: 'klant_amp' });
    const core = await w.core();
    const r = new FakeRenderer();
    r.attach(core);
    const storedMention = await until(() => r.stored.get(`x_mention:${mention.id}`), 'the mention');
    const storedDm = await until(() => r.stored.get(`x_dm:${dm.id}`), 'the DM');
    expect(storedMention.text).toBe(`@polderpost ${TYPED}`);
    expect(storedDm.text).toBe(TYPED);

    const sent = (await core.dispatch('sendReply', {
      clientId: crypto.randomUUID(),
      accountId: storedMention.accountId,
      channel: 'x_mention',
      conversationId: storedMention.conversationId,
      inReplyToId: storedMention.platformId,
      text: TYPED,
    })) as { ok: boolean; value: Message };
    expect(sent.ok).toBe(true);
    expect(sent.value.text).toBe(`@klant_amp ${TYPED}`);
    const posted = (await w.api('/__sandbox/posted')).posted as { kind: string; text: string }[];
    expect(posted.find((p) => p.kind === 'x_reply')?.text).toBe(TYPED);
  });
});
