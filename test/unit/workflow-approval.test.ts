import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError, CommandOutput } from '../../shared/contract';
import { fnv1a, reviewSample, sampleRank, type SentReply } from '../../shared/reviewSample';
import type { WorkflowRecord } from '../../shared/workflow';
import { pendingApprovals, reduceWorkflow, replyNeedsApproval } from '../../shared/workflowState';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { afterAttempt, APPROVAL_ASK_MS, approvalNews, awaitingApproval, discard, enqueue, nextToSend, type OutboxEntry } from '../../renderer/src/outbox/outbox';

/**
 * Approval and review, without a database: the reducer's cases (submit, approve,
 * return, sent, review, approvalPolicy) in log order; the renderer outbox's
 * handling of a reply waiting for approval; the review sampler.
 */

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
let seq = 0;
let clock = 1_000;

function rec(kind: string, data: Record<string, unknown>, by = 'anna', extra: Partial<WorkflowRecord> = {}): WorkflowRecord {
  seq++;
  clock += 1000;
  return { id: crypto.randomUUID(), kind, seq, by, byName: by[0]!.toUpperCase() + by.slice(1), at: clock, clientAt: clock, data, ...extra };
}

const submit = (id: string, text = 'Hallo, we kijken ernaar', by = 'anna') =>
  rec('submit', { approvalId: id, input: { accountId: 'x:1', channel: 'x_mention', conversationId: 'c1', inReplyToId: 'm1', text, mediaCount: 0 } }, by, { conversationKey: 'x_mention:c1' });

describe('the reducer: approvals', () => {
  const table: Array<{ name: string; records: () => WorkflowRecord[]; expect: Record<string, unknown>; absent?: string[] }> = [
    { name: 'a submitted reply waits', records: () => [submit(A)], expect: { state: 'pending', by: 'anna', text: 'Hallo, we kijken ernaar', conversationKey: 'x_mention:c1' } },
    {
      name: 'approved as it was',
      records: () => [submit(A), rec('approve', { approvalId: A }, 'lena')],
      expect: { state: 'approved', decided: expect.objectContaining({ by: 'lena' }) },
      absent: ['editedText'],
    },
    {
      name: 'approved with an edit keeps both texts',
      records: () => [submit(A), rec('approve', { approvalId: A, text: 'Beter antwoord' }, 'lena')],
      expect: { state: 'approved', text: 'Hallo, we kijken ernaar', editedText: 'Beter antwoord' },
    },
    {
      name: 'approved with the same text is no edit',
      records: () => [submit(A), rec('approve', { approvalId: A, text: 'Hallo, we kijken ernaar' }, 'lena')],
      expect: { state: 'approved' },
      absent: ['editedText'],
    },
    {
      name: 'returned with a comment',
      records: () => [submit(A), rec('return', { approvalId: A, comment: 'Noem het ordernummer' }, 'lena')],
      expect: { state: 'returned', comment: 'Noem het ordernummer', decided: expect.objectContaining({ by: 'lena' }) },
    },
    {
      name: 'the first decision counts (a second lead\'s record cannot change it)',
      records: () => [submit(A), rec('approve', { approvalId: A }, 'lena'), rec('return', { approvalId: A, comment: 'Te laat' }, 'lars')],
      expect: { state: 'approved', decided: expect.objectContaining({ by: 'lena' }) },
      absent: ['comment'],
    },
    {
      name: 'sent, with the posted message',
      records: () => [submit(A), rec('approve', { approvalId: A }, 'lena'), rec('sent', { approvalId: A, messageKey: 'x_mention:999' }, 'pia')],
      expect: { state: 'sent', messageKey: 'x_mention:999', decided: expect.objectContaining({ by: 'lena' }) },
    },
    {
      name: 'a submit seen again never reopens a decided reply',
      records: () => {
        const s = submit(A);
        return [s, rec('return', { approvalId: A, comment: 'Nee' }, 'lena'), { ...s, seq: ++seq }];
      },
      expect: { state: 'returned' },
    },
  ];
  for (const c of table) {
    it(c.name, () => {
      const state = reduceWorkflow(c.records());
      expect(state.approvals.get(A)).toMatchObject(c.expect);
      for (const k of c.absent ?? []) expect(state.approvals.get(A)).not.toHaveProperty(k);
    });
  }

  it('decisions on unknown replies are ignored; a return is a note to the author on the conversation', () => {
    const state = reduceWorkflow([rec('approve', { approvalId: B }, 'lena'), submit(A), rec('return', { approvalId: A, comment: 'Kortér' }, 'lena')]);
    expect(state.approvals.has(B)).toBe(false);
    expect(state.notes.get('x_mention:c1')).toEqual([expect.objectContaining({ kind: 'return', text: 'Kortér', mentions: ['anna'], by: 'lena' })]);
  });

  it('lists what waits, oldest first', () => {
    const state = reduceWorkflow([submit(B, 'tweede'), submit(A, 'eerste'), rec('approve', { approvalId: B }, 'lena'), submit('33333333-3333-4333-8333-333333333333', 'derde')]);
    expect(pendingApprovals(state).map((a) => a.text)).toEqual(['eerste', 'derde']);
  });
});

describe('the reducer: policy and reviews', () => {
  it('puts agents and channels on approval and takes them off, in log order', () => {
    const state = reduceWorkflow([
      rec('approvalPolicy', { target: { login: 'bram' }, required: true }, 'lena'),
      rec('approvalPolicy', { target: { login: 'anna' }, required: true }, 'lena'),
      rec('approvalPolicy', { target: { channel: 'fb_comment' }, required: true }, 'lena'),
      rec('approvalPolicy', { target: { login: 'anna' }, required: false }, 'lena'),
    ]);
    expect([...state.policy.logins]).toEqual(['bram']);
    expect([...state.policy.channels]).toEqual(['fb_comment']);
    // As the database decides: a named login always; a channel for everyone but leads.
    expect(replyNeedsApproval(state, 'bram', 'agent', 'x_mention')).toBe(true);
    expect(replyNeedsApproval(state, 'anna', 'agent', 'x_mention')).toBe(false);
    expect(replyNeedsApproval(state, 'anna', 'agent', 'fb_comment')).toBe(true);
    expect(replyNeedsApproval(state, 'lena', 'lead', 'fb_comment')).toBe(false);
    expect(replyNeedsApproval(state, 'lea', 'admin', 'fb_comment')).toBe(false);
  });

  it('keeps the newest review of a reply', () => {
    const state = reduceWorkflow([
      rec('review', { messageKey: 'x_mention:9', author: 'anna', score: 2 }, 'lena'),
      rec('review', { messageKey: 'x_mention:9', author: 'anna', score: 4, comment: 'Beter' }, 'lars'),
      rec('review', { messageKey: 'x_mention:8', author: 'bram', score: 'vijf' }, 'lena'),
    ]);
    expect(state.reviews.get('x_mention:9')).toMatchObject({ score: 4, comment: 'Beter', by: 'lars', author: 'anna' });
    expect(state.reviews.has('x_mention:8')).toBe(false);
  });
});

describe('the outbox: a reply waiting for approval', () => {
  const err = (error: AppError): CommandOutput<'sendReply'> => ({ ok: false, error });
  let db: WebcareDb;
  beforeEach(async () => {
    db = openDb(`approval-${Math.random()}`);
    await db.open();
  });
  afterEach(async () => {
    db.close();
    await db.delete();
  });

  it('pending stays queued and is asked after later; returned fails for the agent to edit', () => {
    const pending = afterAttempt({ attempts: 7 }, err({ kind: 'approval', state: 'pending' }), 5_000);
    expect(pending).toMatchObject({ state: 'queued', nextAttemptAt: 5_000 + APPROVAL_ASK_MS });
    expect(awaitingApproval(pending)).toBe(true);
    const returned = afterAttempt({ attempts: 7 }, err({ kind: 'approval', state: 'returned', comment: 'Nee', by: 'Lena' }), 5_000);
    expect(returned).toMatchObject({ state: 'failed', nextAttemptAt: undefined, error: { kind: 'approval', state: 'returned', comment: 'Nee' } });
    expect(awaitingApproval(returned)).toBe(false);
  });

  it('a waiting reply holds its conversation, cannot be discarded, and is asked after at once when the log shows a decision', async () => {
    const [first] = await enqueue(db, { conversationKey: 'x_mention:c1', messageKey: 'x_mention:c1', request: { accountId: 'x:1', channel: 'x_mention', conversationId: 'c1', inReplyToId: 'c1', text: 'eerste' } }, ['eerste'], null, 100);
    const [second] = await enqueue(db, { conversationKey: 'x_mention:c1', messageKey: 'x_mention:c1', request: { accountId: 'x:1', channel: 'x_mention', conversationId: 'c1', inReplyToId: 'c1', text: 'tweede' } }, ['tweede'], null, 200);
    await db.outbox.update(first!.clientId, afterAttempt({ attempts: 1 }, err({ kind: 'approval', state: 'pending' }), 1_000));
    const all = async () => (await db.outbox.toArray()) as OutboxEntry[];
    expect(nextToSend(await all(), 2_000), 'the later reply waits behind it; the waiting one is not due').toEqual([]);
    expect(await discard(db, first!.clientId), 'a lead may send it any moment').toBeNull();
    expect(await db.outbox.count()).toBe(2);

    expect(await approvalNews(db, [B, second!.clientId])).toBe(0);
    expect(await approvalNews(db, [first!.clientId])).toBe(1);
    expect(nextToSend(await all(), 2_000).map((e) => e.clientId)).toEqual([first!.clientId]);

    // Returned: the agent may take it back into the draft or discard it.
    await db.outbox.update(first!.clientId, afterAttempt({ attempts: 2 }, err({ kind: 'approval', state: 'returned', comment: 'Nee' }), 3_000));
    expect(await approvalNews(db, [first!.clientId]), 'no longer waiting').toBe(0);
    expect(await discard(db, first!.clientId)).toEqual(['eerste']);
  });
});

describe('the review sample', () => {
  const replies = (author: string, count: number, from = 0): SentReply[] =>
    Array.from({ length: count }, (_, i) => ({ key: `x_mention:${author}-${from + i}`, author, createdAt: 1_000 + from + i }));

  it('takes N per agent, fewer when an agent sent fewer, oldest first', () => {
    const s = reviewSample([...replies('anna', 10), ...replies('bram', 2), ...replies('cees', 3)], { perAgent: 3, day: '2026-12-04' });
    expect([...s.keys()]).toEqual(['anna', 'bram', 'cees']);
    expect(s.get('anna')).toHaveLength(3);
    expect(s.get('bram')).toHaveLength(2);
    expect(s.get('cees')).toHaveLength(3);
    const anna = s.get('anna')!;
    expect(anna.map((r) => r.createdAt)).toEqual([...anna.map((r) => r.createdAt)].sort((a, b) => a - b));
  });

  it('is the same for the same replies in any order, and differs between days', () => {
    const all = replies('anna', 40);
    const a = reviewSample(all, { perAgent: 5, day: '2026-12-04' });
    const b = reviewSample([...all].reverse(), { perAgent: 5, day: '2026-12-04' });
    expect(b).toEqual(a);
    // The lowest ranks of the day, not the first replies.
    const expected = [...all].sort((x, y) => sampleRank('2026-12-04', x.key) - sampleRank('2026-12-04', y.key)).slice(0, 5).map((r) => r.key).sort();
    expect(a.get('anna')!.map((r) => r.key).sort()).toEqual(expected);
    const other = reviewSample(all, { perAgent: 5, day: '2026-12-05' });
    expect(other.get('anna')!.map((r) => r.key)).not.toEqual(a.get('anna')!.map((r) => r.key));
  });

  it('keeps reviewed replies in the sample and fills up to N with the rest', () => {
    const all = replies('anna', 20);
    const byRank = [...all].sort((x, y) => sampleRank('d', x.key) - sampleRank('d', y.key)).map((r) => r.key);
    const base = reviewSample(all, { perAgent: 2, day: 'd' }).get('anna')!.map((r) => r.key);
    expect(base.sort()).toEqual(byRank.slice(0, 2).sort());
    const outside = byRank[10]!;
    const withReviewed = reviewSample(all, { perAgent: 2, day: 'd', reviewed: new Set([outside]) }).get('anna')!.map((r) => r.key);
    // The reviewed one, and the best ranked of the rest.
    expect(withReviewed.sort()).toEqual([outside, byRank[0]!].sort());
    // More reviewed than N: all of them stay.
    const many = new Set(all.slice(0, 4).map((r) => r.key));
    expect(reviewSample(all, { perAgent: 2, day: 'd', reviewed: many }).get('anna')!.map((r) => r.key).sort()).toEqual([...many].sort());
  });

  it('skips replies without an author and counts a reply once', () => {
    const one = replies('anna', 1);
    const s = reviewSample([...one, ...one, { key: 'x_mention:nobody', author: '', createdAt: 1 }], { perAgent: 0, day: 'd' });
    expect([...s.keys()]).toEqual(['anna']);
    expect(s.get('anna')).toHaveLength(1);
  });

  it('hashes as FNV-1a', () => {
    // Reference values of 32-bit FNV-1a.
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
});
