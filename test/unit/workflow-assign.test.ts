import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureColumns, ensureMineColumn, loadColumns, deleteColumn } from '../../renderer/src/board/columns';
import { WebcareDb } from '../../renderer/src/db/db';
import { initI18n } from '../../renderer/src/i18n/index';
import { noticeText, showNotices, WorkflowNotices } from '../../renderer/src/workflow/notify';
import type { WorkflowRecord } from '../../shared/workflow';
import { headerClock } from '../../renderer/src/board/useColumnStats';
import {
  askedConversations,
  authorsIn,
  cardSummary,
  concernOf,
  inboxItems,
  mentionsIn,
  openAsks,
  reduceWorkflow,
  responseClock,
  specialistWaitBetween,
  type Me,
} from '../../shared/workflowState';

/**
 * Assignment, notes and the specialist lane as every console derives them
 * from the log: who has a conversation, what waits on a specialist and for how
 * long (the response clock leaves it out), what is "for you", what notifies
 * whom, and which colleagues a note's @words name.
 */
let seq = 0;
const rec = (kind: string, by: string, at: number, data: Record<string, unknown>, conversationKey?: string, id: string = crypto.randomUUID()): WorkflowRecord => ({
  id,
  kind,
  seq: ++seq,
  by,
  byName: by.charAt(0).toUpperCase() + by.slice(1),
  at,
  clientAt: at,
  data,
  ...(conversationKey ? { conversationKey } : {}),
});

const bram: Me = { login: 'bram', departments: [] };
const sara: Me = { login: 'sara', departments: ['billing'] };
const K = 'x_mention:c1';

describe('the log as state', () => {
  it('an assignment replaces the previous one, an unassign takes it off, both stay in the internal thread', () => {
    const s = reduceWorkflow([
      rec('assign', 'lea', 1, { to: { login: 'bram' }, note: 'Jij kent haar' }, K),
      rec('assign', 'bram', 2, { to: { department: 'billing' } }, K),
    ]);
    expect(s.assignments.get(K)).toMatchObject({ to: { department: 'billing' }, by: 'bram' });
    expect(s.notes.get(K)?.map((n) => [n.kind, n.text])).toEqual([
      ['assign', 'Jij kent haar'],
      ['assign', ''],
    ]);
    const after = reduceWorkflow([rec('assign', 'lea', 1, { to: { login: 'bram' } }, K), rec('unassign', 'bram', 2, {}, K)]);
    expect(after.assignments.has(K)).toBe(false);
  });

  it('a question is answered once: a later (or pending) second answer changes nothing', () => {
    const ask = rec('ask', 'bram', 10, { to: { login: 'sara' }, question: 'Klopt dit?' }, K);
    const first = rec('answer', 'sara', 20, { askId: ask.id, text: 'Ja', draft: 'Hoi!' });
    const second = rec('answer', 'lea', 30, { askId: ask.id, text: 'Nee' });
    const s = reduceWorkflow([ask, second, first].map((r, i) => ({ ...r, seq: i === 0 ? 1 : r === first ? 2 : 3 })));
    expect(s.asks.get(ask.id)?.answer).toMatchObject({ by: 'sara', text: 'Ja', draft: 'Hoi!' });
    expect(s.notes.get(K)?.filter((n) => n.kind === 'answer')).toHaveLength(1);
    expect(openAsks(s, K)).toEqual([]);
    expect(openAsks(reduceWorkflow([ask]), K).map((a) => a.id)).toEqual([ask.id]);
  });

  it('a card’s summary: waiting on a specialist, the department it was given to', () => {
    const ask = rec('ask', 'bram', 10, { to: { login: 'sara' }, question: '?' }, K);
    const s = reduceWorkflow([rec('assign', 'lea', 1, { to: { department: 'billing' } }, K), ask]);
    expect(JSON.parse(cardSummary(s, K))).toEqual({ w: 1, d: 'billing' });
    expect(cardSummary(s, 'x_mention:other')).toBe('');
    // The same state answers the same string (cards compare it to skip a redraw).
    expect(cardSummary(s, K)).toBe(cardSummary(s, K));
    const answered = reduceWorkflow([ask, rec('answer', 'sara', 20, { askId: ask.id, text: 'ok' })]);
    expect(cardSummary(answered, K)).toBe('');
  });
});

describe('the response clock without the wait on specialists', () => {
  const s = reduceWorkflow([
    rec('ask', 'bram', 100, { to: { login: 'sara' }, question: 'a' }, K, 'a1'),
    rec('ask', 'bram', 150, { to: { department: 'billing' }, question: 'b' }, K, 'a2'),
    rec('answer', 'sara', 200, { askId: 'a1', text: 'x' }),
    rec('answer', 'sara', 260, { askId: 'a2', text: 'y' }),
    rec('ask', 'bram', 400, { to: { login: 'sara' }, question: 'c' }, K, 'a3'),
    rec('ask', 'bram', 0, { to: { login: 'sara' }, question: 'elsewhere' }, 'x_mention:c2', 'a4'),
  ]);
  it.each([
    // from, to, specialist time: overlapping asks count once, clipped to the window, open ones until `to`
    [0, 1000, 160 + 600],
    [120, 1000, 140 + 600],
    [0, 250, 150],
    [300, 390, 0],
    [450, 500, 50],
  ])('between %i and %i: %i ms on specialists', (from, to, expected) => {
    expect(specialistWaitBetween(s, K, from, to)).toBe(expected);
  });
  it('the column header shows the longest running clock, not the oldest conversation’s paused one', () => {
    expect(askedConversations(s)).toBe(`${K}\nx_mention:c2`);
    const base = { unread: 0, unreadMore: false };
    // c2 waits longest (since 0) but its specialist still has it: 0 counted. K since 50: 190. c9, never asked, since 300: 700.
    const paused = [
      { conversation: 'x_mention:c2', since: 0 },
      { conversation: K, since: 50 },
    ];
    expect(headerClock({ ...base, oldest: 300, oldestConversation: 'x_mention:c9', paused }, s, 1000)).toEqual({ ms: 700, since: 300 });
    expect(headerClock({ ...base, oldest: null, oldestConversation: null, paused }, s, 1000)).toEqual({ ms: 190, since: 50 });
    expect(headerClock({ ...base, oldest: 900, oldestConversation: 'x_mention:c9', paused }, s, 1000)).toEqual({ ms: 190, since: 50 });
    expect(headerClock({ ...base, oldest: null, oldestConversation: null }, s, 1000)).toBeNull();
    expect(headerClock(null, s, 1000)).toBeNull();
  });
  it('keeps both figures: the whole wait and the part that counts', () => {
    expect(responseClock(s, K, 50, 1000)).toEqual({ elapsed: 950, specialist: 760, counted: 190 });
    expect(responseClock(s, 'x_mention:none', 50, 1000)).toEqual({ elapsed: 950, specialist: 0, counted: 950 });
  });
});

describe('for you', () => {
  it('lists what is for this agent, newest first, never their own doing', () => {
    const askSara = rec('ask', 'bram', 10, { to: { login: 'sara' }, question: 'Klopt dit?' }, K);
    const askBilling = rec('ask', 'bram', 11, { to: { department: 'billing' }, question: 'Wie?' }, 'x_mention:c2');
    const askBram = rec('ask', 'bram', 12, { to: { login: 'bram' }, question: 'Zelf?' }, 'x_mention:c3');
    const s = reduceWorkflow([
      askSara,
      askBilling,
      askBram,
      rec('answer', 'sara', 20, { askId: askBilling.id, text: 'Ik', draft: 'Hoi' }),
      rec('assign', 'lea', 30, { to: { login: 'sara' }, note: 'graag' }, 'x_mention:c4'),
      rec('assign', 'sara', 31, { to: { department: 'billing' } }, 'x_mention:c5'),
      rec('note', 'bram', 40, { text: '@sara kijk even', mentions: ['sara'] }, K),
      rec('note', 'sara', 41, { text: 'notitie voor mezelf @sara', mentions: ['sara'] }, K),
      rec('shiftEnd', 'lea', 50, { note: '', items: [], drafts: [{ conversationKey: 'x_mention:c6', to: 'sara', text: 'Concept' }] }),
    ]);
    expect(inboxItems(s, sara).map((i) => [i.kind, i.conversationKey])).toEqual([
      ['draft', 'x_mention:c6'],
      ['mention', K],
      ['assigned', 'x_mention:c4'],
      ['ask', K],
    ]);
    expect(inboxItems(s, bram).map((i) => [i.kind, i.by, i.draft])).toEqual([['answer', 'sara', 'Hoi']]);
  });
});

describe('what notifies whom', () => {
  const ask = rec('ask', 'bram', 10, { to: { department: 'billing' }, question: '?' }, K);
  const s = reduceWorkflow([ask, rec('submit', 'bram', 11, { approvalId: 'ap1', input: { channel: 'x_mention', accountId: 'a', conversationId: 'c1', inReplyToId: '1', text: 'hoi' } }, K)]);
  it.each<[string, WorkflowRecord, Me, string | null]>([
    ['assigned to me', rec('assign', 'lea', 1, { to: { login: 'sara' } }, K), sara, 'assigned'],
    ['assigned to my department', rec('assign', 'lea', 1, { to: { department: 'billing' } }, K), sara, 'assigned'],
    ['assigned to someone else', rec('assign', 'lea', 1, { to: { login: 'bram' } }, K), sara, null],
    ['assigned by myself', rec('assign', 'sara', 1, { to: { login: 'sara' } }, K), sara, null],
    ['routed to me', rec('route', 'lea', 1, { ruleId: 'r', ruleName: 'R', keys: [], assignee: 'sara' }, K), sara, 'assigned'],
    ['asked my department', ask, sara, 'asked'],
    ['an answer to my question', rec('answer', 'sara', 2, { askId: ask.id, text: 'ja' }), bram, 'answered'],
    ['an answer to another’s question', rec('answer', 'sara', 2, { askId: ask.id, text: 'ja' }), { login: 'lea', departments: [] }, null],
    ['a mention', rec('note', 'bram', 3, { text: '@sara', mentions: ['sara'] }, K), sara, 'mentioned'],
    ['a note without me', rec('note', 'bram', 3, { text: 'x', mentions: ['lea'] }, K), sara, null],
    ['a draft handed to me', rec('shiftEnd', 'lea', 4, { drafts: [{ conversationKey: K, to: 'bram', text: 'x' }] }), bram, 'draft'],
    ['my reply returned', rec('return', 'lea', 5, { approvalId: 'ap1', comment: 'Iets vriendelijker' }), bram, 'returned'],
    ['someone’s reply returned', rec('return', 'lea', 5, { approvalId: 'ap1', comment: 'x' }), sara, null],
  ])('%s', (_name, r, me, expected) => {
    expect(concernOf(r, authorsIn(s), me)).toBe(expected);
  });

  it('notifies only of records that arrive after start, not older than a day; a burst is one notification', () => {
    initI18n('en');
    const n = new WorkflowNotices();
    const now = Date.now();
    const old = rec('assign', 'lea', now - 1000, { to: { login: 'bram' } }, K);
    expect(n.take([old], bram, now)).toEqual([]);
    const askOfBram = rec('ask', 'bram', now, { to: { login: 'sara' }, question: 'Klopt dit?' }, K);
    const answer = rec('answer', 'sara', now, { askId: askOfBram.id, text: 'Ja hoor' });
    const stale = rec('assign', 'lea', now - 2 * 86_400_000, { to: { login: 'bram' } }, K);
    // Arriving together, out of order: the question is known by the time its answer is read.
    const got = n.take([answer, stale, askOfBram, old], bram, now);
    expect(got.map((x) => [x.concern, x.record.id])).toEqual([['answered', answer.id]]);
    expect(noticeText(got[0]!)).toEqual({ title: 'Sara answered your question', body: 'Ja hoor' });
    // Nobody signed in: nothing is news, but the log is followed.
    expect(n.take([rec('assign', 'lea', now, { to: { login: 'bram' } }, K)], null, now)).toEqual([]);

    const shown: string[] = [];
    const show = (title: string, body: string) => shown.push(`${title} | ${body}`);
    showNotices(n.take([rec('note', 'lea', now, { text: '@bram zie je dit?', mentions: ['bram'] }, K)], bram, now), show);
    expect(shown).toEqual(['Lea mentioned you | @bram zie je dit?']);
    shown.length = 0;
    const burst = Array.from({ length: 5 }, () => rec('assign', 'lea', now, { to: { login: 'bram' }, note: 'x' }, K));
    showNotices(n.take(burst, bram, now), show);
    expect(shown).toEqual(['5 new items for you | Open “For you” to see them.']);
  });

  it('speaks Dutch to a Dutch agent', async () => {
    initI18n('en');
    await i18next.changeLanguage('nl');
    const r = rec('ask', 'bram', 1, { to: { login: 'sara' }, question: 'Klopt dit?' }, K);
    expect(noticeText({ concern: 'asked', record: r })).toEqual({ title: 'Bram heeft een vraag voor je', body: 'Klopt dit?' });
    await i18next.changeLanguage('en');
  });
});

describe('@mentions', () => {
  const members = [
    { login: 'sara', name: 'Sara de Vries' },
    { login: 'bram', name: 'Bram' },
    { login: 'anna.k', name: 'Anna Kok' },
    { login: 'anna2', name: 'Anna Jansen' },
  ];
  it.each<[string, string[]]>([
    ['@sara kijk even', ['sara']],
    ['@Sara, en @BRAM.', ['sara', 'bram']],
    ['@SaraDeVries', ['sara']],
    ['@anna.k of @Anna', ['anna.k']],
    ['@Anna alleen', []],
    ['mail naar info@bram.nl', []],
    ['@piet bestaat niet', []],
    ['@bram @bram', ['bram']],
  ])('%s', (text, expected) => {
    expect(mentionsIn(text, members)).toEqual(expected);
  });
});

describe('the "Assigned to me" column', () => {
  let db: WebcareDb;
  let n = 0;
  afterEach(async () => {
    await db.delete();
  });
  it('a new store in a team gets its channel columns and then "Assigned to me", once; deleted, it stays deleted', async () => {
    db = new WebcareDb(`wf-assign-${n++}`);
    expect(await ensureMineColumn(db, 'Assigned to me')).toBe(true);
    const list = await loadColumns(db);
    expect(list.map((c) => c.id)).toEqual(['x_mention', 'x_dm', 'fb_comment', 'fb_message', 'mine']);
    expect(list[4]).toMatchObject({ title: 'Assigned to me', preset: 'mine', filter: { assignee: 'mine', statuses: ['open'] } });
    await ensureColumns(db);
    expect(await ensureMineColumn(db, 'Assigned to me')).toBe(false);
    await deleteColumn(db, 'mine');
    expect(await ensureMineColumn(db, 'Assigned to me')).toBe(false);
    expect((await loadColumns(db)).map((c) => c.id)).not.toContain('mine');
  });
  it('a layout that already asks for "mine" gets no second one', async () => {
    db = new WebcareDb(`wf-assign-${n++}`);
    await ensureColumns(db);
    const { addColumn } = await import('../../renderer/src/board/columns');
    await addColumn(db, { title: 'Mijn werk', filter: { assignee: 'mine' } });
    expect(await ensureMineColumn(db, 'Aan mij toegewezen')).toBe(false);
    expect((await loadColumns(db)).filter((c) => c.filter.assignee === 'mine')).toHaveLength(1);
  });
});

beforeAll(() => {
  initI18n('en');
});
