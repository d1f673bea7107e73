import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/model';
import type { WorkflowRecord } from '../../shared/workflow';
import { draftsHandedTo, handoversSince, handoversToRead, HANDOVER_SHOWN_MS, reduceWorkflow } from '../../shared/workflowState';
import { openDb, type WebcareDb } from '../../renderer/src/db/db';
import { useUi } from '../../renderer/src/store';
import { canTakeDraft, handoverOf } from '../../renderer/src/workflow/shifts/EndShiftDialog';
import { handoversShown } from '../../renderer/src/workflow/shifts/HandoverBanner';
import { joinDraft, takeHandedDraft, takenId, takenSet, TAKEN_KEY } from '../../renderer/src/workflow/shifts/handed';
import { collectLeftBehind, factsOf, LATE_MAX, loadLeftBehind, type CollectInput, type ConversationFacts } from '../../renderer/src/workflow/shifts/leftBehind';
import { assigneesByConversation, openLoad } from '../../renderer/src/workflow/shifts/load';

const T0 = Date.UTC(2026, 11, 1, 8, 0);
const MIN = 60_000;
let seq = 0;

function rec(kind: string, by: string, at: number, data: Record<string, unknown> = {}, extra: Partial<WorkflowRecord> = {}): WorkflowRecord {
  seq++;
  return { id: extra.id ?? crypto.randomUUID(), kind, seq, by, byName: by.charAt(0).toUpperCase() + by.slice(1), at, clientAt: at, data, ...extra };
}

function msg(conv: string, n: number, createdAt: number, patch: Partial<Message> = {}): Message {
  return {
    key: `x_mention:${conv}-${n}`,
    platformId: `${conv}-${n}`,
    channel: 'x_mention',
    accountId: 'x:1',
    conversationId: conv,
    author: { id: 'u1', name: 'Fleur' },
    text: `bericht ${n} in ${conv}`,
    createdAt,
    fromUs: false,
    ...patch,
  } as Message;
}

describe('the shifts records (reducer)', () => {
  it('start, end and acknowledge: who is on duty, the handover and who read it', () => {
    const endId = crypto.randomUUID();
    const s = reduceWorkflow([
      rec('shiftStart', 'bram', T0),
      rec('shiftStart', 'sara', T0 + MIN),
      rec('shiftEnd', 'bram', T0 + 480 * MIN, { note: 'Zie notities', items: [{ conversationKey: 'x_mention:c1', reason: 'claim', text: 'waar is mijn pakket' }], drafts: [{ conversationKey: 'x_mention:c1', to: 'sara', text: 'Hoi!' }] }, { id: endId }),
      rec('handoverAck', 'sara', T0 + 481 * MIN, { handoverId: endId }),
      // A second acknowledgement by the same colleague (two consoles) counts once.
      rec('handoverAck', 'sara', T0 + 482 * MIN, { handoverId: endId }),
      rec('handoverAck', 'lea', T0 + 483 * MIN, { handoverId: crypto.randomUUID() }),
    ]);
    expect([...s.onDuty.keys()]).toEqual(['sara']);
    expect(s.onDuty.get('sara')).toEqual({ login: 'sara', name: 'Sara', since: T0 + MIN });
    expect(s.handovers).toHaveLength(1);
    expect(s.handovers[0]).toMatchObject({
      id: endId,
      by: 'bram',
      note: 'Zie notities',
      items: [{ conversationKey: 'x_mention:c1', reason: 'claim', text: 'waar is mijn pakket' }],
      drafts: [{ conversationKey: 'x_mention:c1', to: 'sara', text: 'Hoi!' }],
    });
    expect(s.handovers[0]!.acks.map((a) => [a.by, a.at])).toEqual([['sara', T0 + 481 * MIN]]);
  });

  it('a handover record from another version keeps only well-formed items and drafts', () => {
    const s = reduceWorkflow([
      rec('shiftEnd', 'bram', T0, {
        note: 42,
        items: [{ conversationKey: 'x_mention:c1', reason: 'claim' }, { conversationKey: 'x_mention:c2', reason: 'snoozed' }, null, { reason: 'late' }, 'x'],
        drafts: [{ conversationKey: 'x_mention:c1', to: 'sara', text: 'ok' }, { conversationKey: 'x_mention:c1', to: 'sara' }, 7],
      }),
      rec('shiftEnd', 'lea', T0, { items: 'nope', drafts: {} }),
    ]);
    expect(s.handovers[0]).toMatchObject({ note: '', items: [{ conversationKey: 'x_mention:c1', reason: 'claim' }], drafts: [{ conversationKey: 'x_mention:c1', to: 'sara', text: 'ok' }] });
    expect(s.handovers[1]).toMatchObject({ items: [], drafts: [] });
  });

  it('a restarted shift starts from its new start', () => {
    const s = reduceWorkflow([rec('shiftStart', 'bram', T0), rec('shiftEnd', 'bram', T0 + MIN), rec('shiftStart', 'bram', T0 + 2 * MIN)]);
    expect(s.onDuty.get('bram')?.since).toBe(T0 + 2 * MIN);
  });
});

describe('which handovers an agent reads', () => {
  const endA = crypto.randomUUID();
  const endB = crypto.randomUUID();
  const records = [
    rec('shiftStart', 'sara', T0),
    rec('shiftEnd', 'bram', T0 + 60 * MIN, { note: 'a', drafts: [{ conversationKey: 'k1', to: 'lea', text: 'concept' }] }, { id: endA }),
    rec('shiftEnd', 'kim', T0 + 120 * MIN, { note: 'b' }, { id: endB }),
  ];
  const now = T0 + 130 * MIN;

  it.each([
    // who, extra records, now, expected handover ids (newest first)
    ['an agent on duty reads every colleague’s handover, newest first', 'sara', [], now, [endB, endA]],
    ['not what they acknowledged', 'sara', [rec('handoverAck', 'sara', now, { handoverId: endB })], now, [endA]],
    ['one off duty only the handovers that hand them a draft', 'lea', [], now, [endA]],
    ['nobody reads their own', 'bram', [rec('shiftStart', 'bram', now)], now, [endB]],
    ['a handover older than a day no longer asks to be read', 'sara', [], T0 + 60 * MIN + HANDOVER_SHOWN_MS + 1, [endB]],
  ] as const)('%s', (_name, who, extra, at, ids) => {
    const s = reduceWorkflow([...records, ...extra]);
    expect(handoversToRead(s, who, at).map((h) => h.id)).toEqual(ids);
  });

  it('a draft handed over stays on screen until taken, also once acknowledged', () => {
    const s = reduceWorkflow([...records, rec('handoverAck', 'lea', now, { handoverId: endA })]);
    expect(handoversToRead(s, 'lea', now)).toEqual([]);
    expect(handoversShown(s, 'lea', now, new Set()).map((h) => h.id)).toEqual([endA]);
    expect(handoversShown(s, 'lea', now, new Set([takenId(endA, 0)]))).toEqual([]);
    expect(draftsHandedTo(s, 'lea')).toEqual([{ conversationKey: 'k1', to: 'lea', text: 'concept', handoverId: endA, index: 0, from: { by: 'bram', byName: 'Bram', at: T0 + 60 * MIN } }]);
  });

  it('the lead’s handovers of the day: from midnight on, newest first', () => {
    const s = reduceWorkflow(records);
    expect(handoversSince(s, T0 + 90 * MIN).map((h) => h.id)).toEqual([endB]);
    expect(handoversSince(s, T0).map((h) => h.id)).toEqual([endB, endA]);
  });
});

describe('what an agent leaves behind', () => {
  const target = 60 * MIN;
  const now = T0 + 8 * 60 * MIN;
  const facts = (f: Partial<ConversationFacts> & { key: string }): ConversationFacts => ({ messageKey: `${f.key}-m`, open: true, ...f });

  function collect(patch: Partial<CollectInput> & { records?: WorkflowRecord[] }): ReturnType<typeof collectLeftBehind> {
    const { records = [], ...rest } = patch;
    return collectLeftBehind({ login: 'bram', now, shiftSince: T0, responseTargetMs: target, claims: [], state: reduceWorkflow(records), facts: new Map(), recent: [], drafts: [], ...rest });
  }
  const reasons = (l: ReturnType<typeof collectLeftBehind>) => l.items.map((i) => `${i.reason}:${i.conversationKey}`);

  it('claims, with the text of the conversation where this console holds it', () => {
    const l = collect({ claims: ['a', 'b'], facts: new Map([['a', facts({ key: 'a', excerpt: 'waar blijft het' })]]) });
    expect(l.items).toEqual([
      { conversationKey: 'a', reason: 'claim', text: 'waar blijft het', messageKey: 'a-m' },
      { conversationKey: 'b', reason: 'claim' },
    ]);
  });

  it.each([
    ['an open question to a specialist', [], undefined, ['followUp:a']],
    ['answered, and no reply of ours since', [['answer', 100]], 50, ['followUp:a']],
    ['answered, and we replied after it: done', [['answer', 100]], 150, []],
  ] as const)('follow-up: %s', (_name, answers, lastOurs, expected) => {
    const askId = crypto.randomUUID();
    const records = [rec('ask', 'bram', T0 + 10 * MIN, { to: { login: 'sara' }, question: 'klopt dit?' }, { id: askId, conversationKey: 'a' })];
    for (const [, at] of answers) records.push(rec('answer', 'sara', T0 + at * MIN, { askId, text: 'ja' }));
    // Someone else's question is not Bram's follow-up.
    records.push(rec('ask', 'lea', T0, { to: { login: 'sara' }, question: '?' }, { conversationKey: 'z' }));
    const f = facts({ key: 'a', ...(lastOurs !== undefined ? { lastOursAt: T0 + lastOurs * MIN } : {}) });
    expect(reasons(collect({ records, facts: new Map([['a', f]]) }))).toEqual(expected);
  });

  it('assigned to me and still open; done ones and others’ are not listed; one not on this console is', () => {
    const records = [
      rec('assign', 'lea', T0, { to: { login: 'bram' }, keys: [] }, { conversationKey: 'open' }),
      rec('assign', 'lea', T0, { to: { login: 'bram' }, keys: [] }, { conversationKey: 'done' }),
      rec('assign', 'lea', T0, { to: { login: 'bram' }, keys: [] }, { conversationKey: 'elsewhere' }),
      rec('assign', 'lea', T0, { to: { login: 'sara' }, keys: [] }, { conversationKey: 'saras' }),
      rec('assign', 'lea', T0, { to: { department: 'billing' }, keys: [] }, { conversationKey: 'dept' }),
    ];
    const f = new Map([
      ['open', facts({ key: 'open' })],
      ['done', facts({ key: 'done', open: false })],
    ]);
    expect(reasons(collect({ records, facts: f }))).toEqual(['assigned:open', 'assigned:elsewhere']);
  });

  it('late: arrived during the shift, still waiting, near or past the target; oldest first; not listed twice', () => {
    const recent = [
      facts({ key: 'past', waitingSince: now - 2 * target }),
      facts({ key: 'near', waitingSince: now - 0.8 * target }),
      facts({ key: 'fresh', waitingSince: now - 0.5 * target }),
      facts({ key: 'answered' }),
      facts({ key: 'beforeShift', waitingSince: T0 - MIN }),
      facts({ key: 'claimed', waitingSince: now - 3 * target }),
    ];
    const l = collect({ claims: ['claimed'], recent });
    expect(reasons(l)).toEqual(['claim:claimed', 'late:past', 'late:near']);
    expect(l.items.find((i) => i.conversationKey === 'past')?.waitingSince).toBe(now - 2 * target);
  });

  it(`late: at most ${LATE_MAX}`, () => {
    const recent = Array.from({ length: LATE_MAX + 10 }, (_, i) => facts({ key: `k${i}`, waitingSince: now - 2 * target - i }));
    expect(collect({ recent }).items).toHaveLength(LATE_MAX);
  });

  it('drafts with text, never empty ones', () => {
    const l = collect({
      drafts: [
        { threadKey: 'a', text: 'Hoi Fleur', messageKey: 'a-1' },
        { threadKey: 'b', text: '   ', messageKey: 'b-1' },
      ],
      facts: new Map([['a', facts({ key: 'a', department: 'billing' })]]),
    });
    expect(l.drafts).toEqual([{ conversationKey: 'a', messageKey: 'a-1', text: 'Hoi Fleur', department: 'billing' }]);
  });

  it('a conversation’s facts: open and waiting since the first customer message after our last reply', () => {
    const msgs = [msg('c', 1, T0), msg('c', 2, T0 + MIN, { fromUs: true }), msg('c', 3, T0 + 2 * MIN), msg('c', 4, T0 + 3 * MIN)];
    expect(factsOf('x_mention:c', msgs, new Map())).toMatchObject({ open: true, waitingSince: T0 + 2 * MIN, lastOursAt: T0 + MIN, messageKey: 'x_mention:c-4', excerpt: 'bericht 4 in c' });
    const done = new Map([msgs[0]!, msgs[2]!, msgs[3]!].map((m) => [m.key, { key: m.key, status: 'done' as const, at: 1 }]));
    const f = factsOf('x_mention:c', msgs, done)!;
    expect(f.open).toBe(false);
    expect(f.waitingSince).toBeUndefined();
    const hidden = new Map([[msgs[2]!.key, { key: msgs[2]!.key, status: 'open' as const, hidden: true, at: 1 }]]);
    expect(factsOf('x_mention:c', msgs, hidden)?.waitingSince).toBe(T0 + 3 * MIN);
  });
});

describe('the handover as sent', () => {
  const left = {
    items: [{ conversationKey: 'a', reason: 'claim' as const, text: 'x'.repeat(400), messageKey: 'a-1', waitingSince: 5 }],
    drafts: [
      { conversationKey: 'a', messageKey: 'a-1', text: 'Hoi Fleur' },
      { conversationKey: 'b', messageKey: 'b-1', text: 'Dag Jan' },
    ],
  };

  it('drafts handed to a colleague carry their text; kept ones are named only; local fields stay out', () => {
    const h = handoverOf(left, '  Let op Fleur  ', { a: 'sara', b: '' });
    expect(h.note).toBe('Let op Fleur');
    expect(h.drafts).toEqual([{ conversationKey: 'a', to: 'sara', text: 'Hoi Fleur' }]);
    expect(h.items).toEqual([
      { conversationKey: 'a', reason: 'claim', text: 'x'.repeat(300) },
      { conversationKey: 'b', reason: 'draft' },
    ]);
  });

  it.each([
    ['an agent', { role: 'agent' as const, departments: [] }, {}, true],
    ['a department employee, their department', { role: 'department' as const, departments: ['billing'] }, { department: 'billing' }, true],
    ['a department employee, another department', { role: 'department' as const, departments: ['sales'] }, { department: 'billing' }, false],
    ['a department employee, no department', { role: 'department' as const, departments: ['sales'] }, {}, false],
  ])('a draft can be handed to %s: %#', (_n, member, draft, ok) => {
    expect(canTakeDraft(member, draft)).toBe(ok);
  });
});

describe('open load', () => {
  it('the newest of an assignment and a routing rule decides who has a conversation', () => {
    const s = reduceWorkflow([
      rec('route', 'lea', T0, { ruleId: 'r', ruleName: 'R', keys: ['m1', 'm2', 'm3'], assignee: 'sara' }),
      rec('assign', 'lea', T0 + MIN, { to: { login: 'bram' }, keys: [] }, { conversationKey: 'c2' }),
      rec('assign', 'lea', T0 - MIN, { to: { login: 'bram' }, keys: [] }, { conversationKey: 'c3' }),
      rec('assign', 'lea', T0 + MIN, { to: { department: 'billing' }, keys: [] }, { conversationKey: 'c4' }),
      rec('route', 'lea', T0, { ruleId: 'r', ruleName: 'R', keys: ['m4'], assignee: 'sara' }),
    ]);
    const conv: Record<string, string> = { m1: 'c1', m2: 'c2', m3: 'c3', m4: 'c4' };
    expect(Object.fromEntries(assigneesByConversation(s, (k) => conv[k]))).toEqual({ c1: 'sara', c2: 'bram', c3: 'sara' });
  });
});

describe('with the local store', () => {
  let db: WebcareDb;
  beforeEach(() => {
    db = openDb(`shifts-${crypto.randomUUID()}`);
    useUi.setState({ drafts: {}, selection: { messageKey: null } });
  });
  afterEach(async () => {
    db.close();
    await db.delete();
  });

  it('reads what is left behind from messages, marks and drafts', async () => {
    const now = T0 + 8 * 60 * MIN;
    await db.messages.bulkPut([
      msg('late', 1, now - 90 * MIN),
      msg('answered', 1, now - 90 * MIN),
      msg('answered', 2, now - 80 * MIN, { fromUs: true }),
      msg('done', 1, now - 90 * MIN),
      msg('claimed', 1, now - 5 * MIN),
      msg('old', 1, T0 - 60 * MIN),
    ]);
    await db.marks.put({ key: 'x_mention:done-1', status: 'done', at: 1 });
    await db.drafts.put({ threadKey: 'x_mention:claimed', updatedAt: now, text: 'Hoi Fleur, ik kijk het na', messageKey: 'x_mention:claimed-1', channel: 'x_mention' });
    const l = await loadLeftBehind(db, { login: 'bram', now, shiftSince: T0, responseTargetMs: 60 * MIN, claims: ['x_mention:claimed'], state: reduceWorkflow([]) });
    expect(l.items.map((i) => `${i.reason}:${i.conversationKey}`)).toEqual(['claim:x_mention:claimed', 'late:x_mention:late']);
    expect(l.items[0]).toMatchObject({ text: 'bericht 1 in claimed', messageKey: 'x_mention:claimed-1' });
    expect(l.drafts).toEqual([{ conversationKey: 'x_mention:claimed', messageKey: 'x_mention:claimed-1', text: 'Hoi Fleur, ik kijk het na' }]);
  });

  it('counts open assigned conversations per agent', async () => {
    await db.messages.bulkPut([msg('a', 1, T0), msg('b', 1, T0), msg('c', 1, T0)]);
    await db.marks.put({ key: 'x_mention:b-1', status: 'done', at: 1 });
    const s = reduceWorkflow([
      rec('assign', 'lea', T0, { to: { login: 'bram' }, keys: [] }, { conversationKey: 'x_mention:a' }),
      rec('assign', 'lea', T0, { to: { login: 'bram' }, keys: [] }, { conversationKey: 'x_mention:b' }),
      rec('route', 'lea', T0, { ruleId: 'r', ruleName: 'R', keys: ['x_mention:c-1'], assignee: 'sara' }),
    ]);
    expect(Object.fromEntries(await openLoad(db, s))).toEqual({ bram: 1, sara: 1 });
  });

  it('takes a handed draft into the reply of that conversation, after what the agent typed, and opens it', async () => {
    await db.messages.bulkPut([msg('c', 1, T0), msg('c', 2, T0 + MIN)]);
    useUi.getState().setDraftText('x_mention:c', 'Mijn eigen begin');
    const handoverId = crypto.randomUUID();
    expect(await takeHandedDraft(db, { conversationKey: 'x_mention:c', text: 'Hoi Fleur, het pakket komt morgen.', handoverId, index: 0 })).toBe(true);
    const want = 'Mijn eigen begin\n\nHoi Fleur, het pakket komt morgen.';
    expect(useUi.getState().drafts['x_mention:c']?.text).toBe(want);
    expect((await db.drafts.get('x_mention:c'))?.text).toBe(want);
    expect(useUi.getState().selection.messageKey).toBe('x_mention:c-2');
    expect(takenSet((await db.settings.get(TAKEN_KEY))?.value).has(takenId(handoverId, 0))).toBe(true);
    // A conversation this console does not hold: nothing changes.
    expect(await takeHandedDraft(db, { conversationKey: 'x_mention:elders', text: 'x', handoverId, index: 1 })).toBe(false);
  });

  it.each([
    ['', 'Hoi', 'Hoi'],
    ['Hoi', 'Hoi', 'Hoi'],
    ['Al getypt  ', 'Hoi', 'Al getypt\n\nHoi'],
  ])('joins %j and %j', (current, handed, want) => {
    expect(joinDraft(current, handed)).toBe(want);
  });
});
