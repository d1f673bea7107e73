import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/model';
import { applyRules, compileRules, outcomeOf, pickRoundRobin, previewRule, ruleDoesNothing, takeTurn, type RoundRobinCandidate } from '../../shared/routing';
import { RoutingRuleSchema, type RoutingRule, type RoutingRuleInput } from '../../shared/workflow';

/**
 * Routing rules, pure: a rule's conditions mean what a column filter's mean,
 * first match stops unless a rule says continue, each field goes to the first
 * rule that sets it, and round-robin never gives work to someone off duty or at
 * the cap.
 */

let n = 0;
function msg(over: Partial<Message> & { handle?: string; name?: string } = {}): Message {
  const { handle = 'klant', name = 'Klant Een', ...rest } = over;
  n++;
  return {
    key: `x_mention:${n}`,
    platformId: String(n),
    channel: 'x_mention',
    accountId: 'x:1',
    conversationId: `c${n}`,
    author: { id: `u${n}`, name, handle },
    text: '',
    createdAt: 1_700_000_000_000 + n,
    fromUs: false,
    ...rest,
  };
}

let ids = 0;
function rule(over: Partial<Omit<RoutingRuleInput, 'when' | 'then'>> & { when?: Partial<RoutingRuleInput['when']>; then?: RoutingRuleInput['then'] } = {}): RoutingRule {
  ids++;
  return RoutingRuleSchema.parse({
    id: `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`,
    name: `rule ${ids}`,
    order: ids,
    enabled: true,
    continue: false,
    ...over,
    when: { ...over.when },
    then: over.then ?? { tag: 'x' },
  });
}

const matches = (r: RoutingRule, m: Message) => applyRules(compileRules([r]), m).length === 1;

describe('a rule matches as a column filter would', () => {
  const cases: Array<[string, Partial<RoutingRuleInput['when']>, Partial<Message> & { handle?: string; name?: string }, boolean]> = [
    ['a word, as a prefix', { text: 'pakket' }, { text: 'Waar is mijn pakketje?' }, true],
    ['a word absent', { text: 'factuur' }, { text: 'Waar is mijn pakketje?' }, false],
    ['all words', { text: 'pakket kwijt' }, { text: 'mijn pakket is kwijt' }, true],
    ['all words, one missing', { text: 'pakket kwijt' }, { text: 'mijn pakket is er' }, false],
    ['a phrase in order', { text: '"niet bezorgd"' }, { text: 'Het is NIET bezorgd!' }, true],
    ['a phrase out of order', { text: '"niet bezorgd"' }, { text: 'bezorgd? niet dus' }, false],
    ['OR', { text: 'factuur OR rekening' }, { text: 'de rekening klopt niet' }, true],
    ['OR, neither', { text: 'factuur OR rekening' }, { text: 'het pakket' }, false],
    ['an exclusion', { text: 'pakket -retour' }, { text: 'pakket retour sturen' }, false],
    ['an excluded phrase', { text: 'pakket -"te laat"' }, { text: 'pakket kwam te laat' }, false],
    ['accents and case ignored', { text: 'cafe' }, { text: 'Het CAFÉ was dicht' }, true],
    ['channel listed', { channels: ['x_dm'] }, { channel: 'x_dm' }, true],
    ['channel not listed', { channels: ['x_dm'] }, { channel: 'x_mention' }, false],
    ['account listed', { accounts: ['x:2'] }, { accountId: 'x:2' }, true],
    ['account not listed', { accounts: ['x:2'] }, { accountId: 'x:1' }, false],
    ['language with region', { languages: ['nl'] }, { lang: 'nl-BE' }, true],
    ['language other', { languages: ['nl'] }, { lang: 'en' }, false],
    ['language unknown', { languages: ['nl'] }, {}, false],
    ['author by handle with @', { authors: ['@Jan_V'] }, { handle: 'jan_v' }, true],
    ['author by part of the name', { authors: ['Visser'] }, { name: 'Jan Visser' }, true],
    ['author not listed', { authors: ['@piet'] }, { handle: 'jan_v' }, false],
    ['no conditions: every message', {}, { text: 'wat dan ook' }, true],
    ['all conditions together', { text: 'pakket', channels: ['x_dm'], languages: ['nl'] }, { text: 'pakket', channel: 'x_dm', lang: 'nl' }, true],
    ['all conditions, one fails', { text: 'pakket', channels: ['x_dm'], languages: ['nl'] }, { text: 'pakket', channel: 'x_dm', lang: 'de' }, false],
  ];
  it.each(cases)('%s', (_name, when, m, expected) => {
    expect(matches(rule({ when }), msg(m))).toBe(expected);
  });

  it('never routes our own messages, and skips disabled rules', () => {
    expect(matches(rule(), msg({ fromUs: true }))).toBe(false);
    expect(matches(rule({ enabled: false }), msg())).toBe(false);
  });
});

describe('first match or all matches', () => {
  const billing = () => rule({ name: 'billing', order: 1, when: { text: 'factuur' }, then: { department: 'billing', priority: 'high' } });

  it('the first matching rule decides; later ones are not tried', () => {
    const a = billing();
    const b = rule({ order: 2, when: { text: 'factuur' }, then: { tag: 'geld' } });
    const applied = applyRules(compileRules([b, a]), msg({ text: 'mijn factuur' }));
    expect(applied.map((x) => x.rule.id)).toEqual([a.id]);
    expect(outcomeOf(applied)).toEqual({ department: 'billing', priority: 'high' });
  });

  it('a rule that continues lets the next matching rule apply too; each field goes to the first that sets it', () => {
    const a = rule({ order: 1, continue: true, when: { text: 'factuur' }, then: { tag: 'geld', priority: 'low' } });
    const skip = rule({ order: 2, when: { text: 'pakket' }, then: { department: 'logistics' } });
    const b = rule({ order: 3, continue: true, when: { text: 'factuur' }, then: { department: 'billing', priority: 'high' } });
    const c = rule({ order: 4, when: {}, then: { department: 'general', assignee: 'anna' } });
    const d = rule({ order: 5, when: {}, then: { tag: 'never' } });
    const applied = applyRules(compileRules([d, c, b, skip, a]), msg({ text: 'factuur graag' }));
    expect(applied.map((x) => x.rule.id)).toEqual([a.id, b.id, c.id]);
    expect(applied.map((x) => x.fields)).toEqual([{ tag: 'geld', priority: 'low' }, { department: 'billing' }, { assignee: 'anna' }]);
    expect(outcomeOf(applied)).toEqual({ tag: 'geld', priority: 'low', department: 'billing', assignee: 'anna' });
  });

  it('round-robin and a named assignee are one field; round-robin needs a department', () => {
    const rr = rule({ order: 1, continue: true, then: { department: 'billing', roundRobin: true } });
    const named = rule({ order: 2, then: { assignee: 'bram' } });
    expect(outcomeOf(applyRules(compileRules([rr, named]), msg()))).toEqual({ department: 'billing', roundRobin: true });
    expect(ruleDoesNothing(rule({ then: { roundRobin: true } }))).toBe(true);
    expect(ruleDoesNothing(rule({ then: { priority: 'low' } }))).toBe(false);
  });

  it('same order: by name, as every console sorts them', () => {
    const z = rule({ name: 'Z', order: 5 });
    const a = rule({ name: 'A', order: 5 });
    expect(applyRules(compileRules([z, a]), msg())[0]?.rule.id).toBe(a.id);
  });
});

describe('round-robin', () => {
  const c = (login: string, onDuty: boolean, open: number, lastAt?: number): RoundRobinCandidate => ({ login, onDuty, open, ...(lastAt === undefined ? {} : { lastAt }) });
  const cases: Array<[string, RoundRobinCandidate[], number, string | null]> = [
    ['nobody in the department', [], 10, null],
    ['only colleagues off duty: nobody', [c('anna', false, 0), c('bram', false, 0)], 10, null],
    ['off duty never gets work, even idle and first in turn', [c('anna', false, 0), c('bram', true, 5, 100)], 10, 'bram'],
    ['at the cap: passed by', [c('anna', true, 3, 1), c('bram', true, 2, 100)], 3, 'bram'],
    ['everyone at the cap: nobody', [c('anna', true, 3), c('bram', true, 4)], 3, null],
    ['the one given work longest ago', [c('anna', true, 0, 300), c('bram', true, 0, 200), c('cas', true, 0, 250)], 10, 'bram'],
    ['never given work comes first', [c('anna', true, 0, 1), c('bram', true, 2)], 10, 'bram'],
    ['same turn: fewer open', [c('anna', true, 2), c('bram', true, 1)], 10, 'bram'],
    ['same turn and load: by login', [c('bram', true, 1), c('anna', true, 1)], 10, 'anna'],
    ['cap 1: only the idle', [c('anna', true, 1), c('bram', true, 0, 999)], 1, 'bram'],
  ];
  it.each(cases)('%s', (_name, candidates, cap, expected) => {
    expect(pickRoundRobin(candidates, cap)).toBe(expected);
  });

  it('a page of conversations is spread in turn and stops at the cap', () => {
    const pool = [c('anna', true, 0), c('bram', true, 1), c('cas', false, 0)];
    const got = [1, 2, 3, 4, 5].map((i) => takeTurn(pool, 2, 1000 + i));
    expect(got).toEqual(['anna', 'bram', 'anna', null, null]);
    expect(pool.map((p) => p.open)).toEqual([2, 2, 0]);
  });
});

describe('preview against cached messages', () => {
  it('counts the messages the draft would have routed, after earlier first-match rules took theirs', () => {
    const early = rule({ order: 1, when: { text: 'spoed' }, then: { priority: 'high' } });
    const draft = rule({ order: 2, when: { text: 'factuur' }, then: { department: 'billing' } });
    const messages = [msg({ text: 'factuur' }), msg({ text: 'spoed factuur' }), msg({ text: 'factuur', fromUs: true }), msg({ text: 'pakket' })];
    const p = previewRule([early], draft, messages);
    expect(p.tested).toBe(3);
    expect(p.routed.map((m) => m.key)).toEqual([messages[0]?.key]);
    // A disabled draft is previewed as if enabled (that is what saving it enabled would do).
    expect(previewRule([early], { ...draft, enabled: false }, messages).routed.length).toBe(1);
  });
});
