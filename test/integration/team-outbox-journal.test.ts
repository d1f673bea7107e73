import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendReplyInput } from '../../shared/contract';
import type { Message } from '../../shared/model';
import { RateLimitedUntil } from '../../electron/host/connectors/x/api';
import { sendOnce, type PlatformOps } from '../../electron/host/sender';
import { TeamJournal } from '../../electron/host/team/journal';
import type { TeamLink } from '../../electron/host/team/link';
import { teamDb, type TeamDb } from '../support/teamConn';

/**
 * The team journal under sender.ts's sendOnce, against a real PostgreSQL: an
 * attempt is in the database before its request leaves, so another console
 * (the next leader) looks before posting; steps of a two-step reply outlive a
 * clean failure; replies that were never prefetched stay in the local file.
 */
let db: TeamDb;
let dir: string;
let one: TeamLink;
let two: TeamLink;

beforeAll(async () => {
  db = await teamDb();
  await db.addMember('anna', 'Anna');
  await db.addMember('carl', 'Carl');
  one = await db.link('anna');
  two = await db.link('carl');
  dir = await mkdtemp(path.join(os.tmpdir(), 'webcare-journal-'));
}, 60_000);
afterAll(async () => {
  await db?.stop();
  await rm(dir, { recursive: true, force: true });
});

const input = (text: string): SendReplyInput => ({ clientId: crypto.randomUUID(), accountId: 'x:1', channel: 'x_mention', conversationId: 'c1', inReplyToId: 'p1', text });
const message = (id: string, text: string): Message => ({
  key: `x_mention:${id}`,
  platformId: id,
  channel: 'x_mention',
  accountId: 'x:1',
  conversationId: 'c1',
  author: { id: '1', name: 'Us', handle: 'us' },
  text,
  createdAt: Date.now(),
  fromUs: true,
});
const entryOf = async (clientId: string) =>
  (await db.admin.query<{ entry: { state?: string } | null; parts: Record<string, string> | null }>('SELECT entry, parts FROM webcare.journal WHERE client_id = $1', [clientId])).rows[0];

describe('team journal', () => {
  it('journals the attempt in the database before posting; a second console finds the reply instead of posting again', async () => {
    const first = new TeamJournal(dir, Date.now, one);
    const i = input(`Eén keer ${Date.now()}`);
    await first.prefetch(i.clientId, i.accountId);
    let stateWhilePosting: string | undefined;
    const lost: PlatformOps = {
      post: async () => {
        stateWhilePosting = (await entryOf(i.clientId))?.entry?.state;
        // The request went out and its answer is lost (the reply is on the platform).
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      },
      find: async () => {
        throw Object.assign(new Error('lookup timed out'), { name: 'TimeoutError' });
      },
    };
    expect((await sendOnce(first, i, lost, Date.now)).result).toEqual({ ok: false, error: { kind: 'sendUnknown' } });
    expect(stateWhilePosting).toBe('sending');
    expect((await entryOf(i.clientId))?.entry?.state).toBe('unknown');
    first.forget(i.clientId);

    // Another reply of the account, sent meanwhile, already settled a remote post with the same text.
    const other = input(i.text);
    const posted = message('111', i.text);
    await first.prefetch(other.clientId, other.accountId);
    await sendOnce(first, other, { post: async () => posted, find: async () => null }, Date.now);
    first.forget(other.clientId);

    const next = new TeamJournal(dir, Date.now, two);
    await next.prefetch(i.clientId, i.accountId);
    const found = message('222', i.text);
    let excluded: string[] = [];
    let posts = 0;
    const ops: PlatformOps = {
      post: async () => {
        posts++;
        return message('333', i.text);
      },
      find: async (_i, _since, exclude) => {
        excluded = [...exclude];
        return found;
      },
    };
    expect((await sendOnce(next, i, ops, Date.now)).result).toEqual({ ok: true, value: found });
    expect(posts).toBe(0);
    expect(excluded, 'a remote reply settles one entry only').toContain(posted.key);
    expect((await entryOf(i.clientId))?.entry?.state).toBe('sent');

    // Sent: asked again, the journal answers.
    await next.prefetch(i.clientId, i.accountId);
    expect(next.get(i.clientId)).toMatchObject({ state: 'sent', message: found });
  });

  it('a clean failure forgets the attempt but keeps the steps that went out; the next console sees them', async () => {
    const first = new TeamJournal(dir, Date.now, one);
    const i = input(`Met plaatje ${Date.now()}`);
    await first.prefetch(i.clientId, i.accountId);
    // The image went out, then the text was refused for certain (here: rate limited before it left).
    const ops: PlatformOps = {
      post: async () => {
        await first.setPart(i.clientId, 'image', 'img-1');
        throw new RateLimitedUntil(Date.now() + 60_000);
      },
      find: async () => null,
    };
    expect((await sendOnce(first, i, ops, Date.now)).result).toMatchObject({ ok: false, error: { kind: 'rateLimited' } });
    expect(await entryOf(i.clientId)).toEqual({ entry: null, parts: { image: 'img-1' } });
    expect(first.get(i.clientId)).toBeUndefined();

    const next = new TeamJournal(dir, Date.now, two);
    await next.prefetch(i.clientId, i.accountId);
    expect(next.get(i.clientId)).toBeUndefined();
    expect(next.part(i.clientId, 'image'), 'a retry never repeats the image').toBe('img-1');
  });

  it('replies that were not prefetched are solo replies: the local file journal, nothing in the database', async () => {
    const journal = new TeamJournal(dir, Date.now, one);
    await journal.load();
    const i = input(`Solo ${Date.now()}`);
    const m = message('444', i.text);
    expect((await sendOnce(journal, i, { post: async () => m, find: async () => null }, Date.now)).result).toEqual({ ok: true, value: m });
    expect(await entryOf(i.clientId)).toBeUndefined();
    const file = JSON.parse(await readFile(path.join(dir, 'sent.json'), 'utf8')) as Record<string, { state: string }>;
    expect(file[i.clientId]?.state).toBe('sent');
    expect(journal.isTeam(i.clientId)).toBe(false);
  });

  it('the database out of reach: the attempt cannot be journaled, so nothing is posted', async () => {
    const link = await db.link('anna');
    const journal = new TeamJournal(dir, Date.now, link);
    const i = input(`Geen database ${Date.now()}`);
    await journal.prefetch(i.clientId, i.accountId);
    await link.stop();
    let posts = 0;
    await expect(sendOnce(journal, i, { post: async () => (posts++, message('555', i.text)), find: async () => null }, Date.now)).rejects.toThrow(/unreachable|out of reach/);
    expect(posts).toBe(0);
  });
});
