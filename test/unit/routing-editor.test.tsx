import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../../renderer/src/i18n/index';
import { formOfRule, ruleOfForm, type RuleForm } from '../../renderer/src/workflow/routing/ruleForm';
import { PriorityBadgeView } from '../../renderer/src/workflow/routing/PriorityBadge';
import { RuleEditor } from '../../renderer/src/workflow/routing/RuleEditor';
import { ruleSummary } from '../../renderer/src/workflow/routing/RulesDialog';
import { ServicesContext, type Services } from '../../renderer/src/services';
import { wfT } from '../../renderer/src/i18n/wf';

/** The rules editor's form ↔ rule, and the card's priority badge with why. */
beforeAll(async () => {
  initI18n('en');
  await i18next.changeLanguage('en');
});

const ID = '00000000-0000-4000-8000-00000000000a';
const base = (over: Partial<RuleForm>): RuleForm => ({ ...formOfRule(undefined), name: 'Facturen', ...over });

describe('the rule form', () => {
  const cases: Array<[string, Partial<RuleForm>, string[]]> = [
    ['a department', { department: 'billing' }, []],
    ['nothing to do', {}, ['needEffect']],
    ['no name', { name: ' ', priority: 'high' }, ['needName']],
    ['round-robin without a department', { who: 'roundRobin' }, ['needDepartment']],
    ['a colleague not chosen', { who: 'colleague' }, ['needColleague']],
    ['a colleague', { who: 'colleague', assignee: 'bram' }, []],
    ['a language too long', { languages: 'x'.repeat(30), tag: 't' }, ['invalid']],
  ];
  it.each(cases)('%s', (_name, over, problems) => {
    expect(ruleOfForm(base(over), ID, 10).problems).toEqual(problems);
  });

  it('round-trips a rule, lists split on commas', () => {
    const built = ruleOfForm(base({ text: 'factuur -spam', languages: 'nl, en', authors: '@jan, Visser', department: 'billing', who: 'roundRobin', priority: 'high', continue: true }), ID, 20);
    expect(built.rule).toMatchObject({ id: ID, order: 20, continue: true, when: { text: 'factuur -spam', languages: ['nl', 'en'], authors: ['@jan', 'Visser'] }, then: { department: 'billing', roundRobin: true, priority: 'high' } });
    if (!built.rule) throw new Error('no rule');
    expect(ruleOfForm(formOfRule(built.rule), ID, 20).rule).toEqual(built.rule);
  });
});

describe('the priority badge', () => {
  it('names the priority and, in its title, the rule that set it', async () => {
    const html = renderToStaticMarkup(<PriorityBadgeView priority="high" rule="Facturen" />);
    expect(html).toContain('data-priority="high"');
    expect(html).toContain('title="Priority High: set by the routing rule “Facturen”"');
    await i18next.changeLanguage('nl');
    try {
      expect(renderToStaticMarkup(<PriorityBadgeView priority="low" rule="Alles" />)).toContain('Prioriteit Laag: gezet door de routeringsregel ‘Alles’');
    } finally {
      await i18next.changeLanguage('en');
    }
    expect(renderToStaticMarkup(<PriorityBadgeView priority="urgent" rule="x" />)).toBe('');
  });
});

describe('the rules editor', () => {
  it('shows a saved rule as it is, and sums it up in words', () => {
    const built = ruleOfForm(base({ text: 'factuur', department: 'billing', who: 'colleague', assignee: 'bram', priority: 'high' }), ID, 10);
    if (!built.rule) throw new Error('no rule');
    const services = { host: {}, db: {}, status: { get: () => null, subscribe: () => () => undefined } } as unknown as Services;
    const members = [{ login: 'bram', name: 'Bram', role: 'agent' as const, departments: ['billing'], presence: 'online' as const }];
    const html = renderToStaticMarkup(
      <ServicesContext.Provider value={services}>
        <RuleEditor editing={built.rule} rules={[built.rule]} order={10} members={members} onSave={() => undefined} onCancel={() => undefined} />
      </ServicesContext.Provider>,
    );
    expect(html).toContain('value="factuur"');
    expect(html).toContain('value="billing"');
    expect(html).toContain('Test against the last 1,000 messages on this console');
    expect(ruleSummary(wfT(i18next.t), built.rule, members)).toEqual({ when: 'When: factuur', then: 'Then: department billing, to Bram, priority High, stops here' });
  });
});
