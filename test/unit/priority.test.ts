import { describe, expect, it } from 'vitest';
import { compileLists, DEFAULT_PRIORITY_LISTS, PriorityListsSchema, priorityOf } from '../../shared/priority';
import type { Message, Sentiment } from '../../shared/model';
import { openDb } from '../../renderer/src/db/db';
import { parsePriorityLists, PRIORITY_LISTS_KEY, savePriorityLists } from '../../renderer/src/insight/prioritySettings';

const lists = compileLists(PriorityListsSchema.parse({ vip: ['@ElsDV', 'Jan de Boer'], urgent: ['opzeg', 'advocaat'], reach: 10_000 }));
const m = (over: { text?: string; handle?: string; name?: string; followers?: number; verified?: boolean; fromUs?: boolean } = {}): Pick<Message, 'author' | 'text' | 'fromUs'> => ({
  author: { id: 'u', name: over.name ?? 'Piet', handle: over.handle ?? 'piet', ...(over.followers !== undefined ? { followers: over.followers } : {}), ...(over.verified ? { verified: true } : {}) },
  text: over.text ?? 'Waar blijft mijn pakket?',
  fromUs: over.fromUs ?? false,
});

describe('priority', () => {
  it.each<[string, ReturnType<typeof m>, Sentiment | undefined, { level: string; score: number; reasons: string[]; word?: string }]>([
    ['an ordinary question', m(), 'neutral', { level: 'normal', score: 0, reasons: [] }],
    ['thanks can wait', m({ text: 'Top, dank je!' }), 'positive', { level: 'low', score: 0, reasons: [] }],
    ['a VIP by handle, any case, with or without @', m({ handle: 'elsdv' }), 'neutral', { level: 'high', score: 3, reasons: ['vip'] }],
    ['a VIP by name, accents and case aside', m({ name: 'JAN DE BOER', handle: '' }), undefined, { level: 'high', score: 3, reasons: ['vip'] }],
    ['negative alone is not high', m(), 'negative', { level: 'normal', score: 2, reasons: ['negative'] }],
    ['negative and an urgent word start', m({ text: 'Ik ga mijn abonnement OPZEGGEN' }), 'negative', { level: 'high', score: 4, reasons: ['urgent', 'negative'], word: 'opzeggen' }],
    ['negative from someone with many followers', m({ followers: 12_000 }), 'negative', { level: 'high', score: 3, reasons: ['negative', 'reach'] }],
    ['many followers and verified, neutral: not yet', m({ followers: 50_000, verified: true }), 'neutral', { level: 'normal', score: 2, reasons: ['reach', 'verified'] }],
    ['a word inside another word is no hit', m({ text: 'mijn schoonadvocaatje' }), 'neutral', { level: 'normal', score: 0, reasons: [] }],
    ['our own messages have no priority', m({ handle: 'elsdv', fromUs: true }), 'negative', { level: 'normal', score: 0, reasons: [] }],
  ])('%s', (_n, msg, sentiment, want) => expect(priorityOf(msg, sentiment, lists)).toEqual(want));

  it('with no lists, only sentiment and reach count', () => {
    const none = compileLists(DEFAULT_PRIORITY_LISTS);
    expect(priorityOf(m({ handle: 'elsdv', followers: 10_000 }), 'negative', none)).toMatchObject({ level: 'high', reasons: ['negative', 'reach'] });
  });
});

describe('the lists as a setting', () => {
  it('two fields left in quick succession both stay: each save changes only its own part of what is stored', async () => {
    const db = openDb(`priority-${crypto.randomUUID()}`);
    try {
      await Promise.all([savePriorityLists(db, { vip: ['@vip_vera'] }), savePriorityLists(db, { urgent: ['ombudsman'] })]);
      expect(parsePriorityLists((await db.settings.get(PRIORITY_LISTS_KEY))?.value)).toEqual({ vip: ['@vip_vera'], urgent: ['ombudsman'], reach: 10_000 });
      expect(await savePriorityLists(db, { reach: -1 })).toBe(false);
    } finally {
      await db.delete();
    }
  });
});
