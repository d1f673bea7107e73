import { ruleDoesNothing } from '../../../../shared/routing.js';
import type { Channel, Sentiment } from '../../../../shared/model.js';
import { RoutingRuleSchema, type Priority, type RoutingRule } from '../../../../shared/workflow.js';

/** The rules editor's form, as typed (lists as comma-separated text). */
export interface RuleForm {
  name: string;
  text: string;
  channels: Channel[];
  accounts: string[];
  languages: string;
  sentiments: Sentiment[];
  authors: string;
  department: string;
  who: 'nobody' | 'colleague' | 'roundRobin';
  assignee: string;
  tag: string;
  priority: Priority | '';
  continue: boolean;
  enabled: boolean;
}

export type RuleProblem = 'needName' | 'needEffect' | 'needDepartment' | 'needColleague' | 'invalid';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

export function formOfRule(rule: RoutingRule | undefined): RuleForm {
  const t = rule?.then;
  return {
    name: rule?.name ?? '',
    text: rule?.when.text ?? '',
    channels: [...(rule?.when.channels ?? [])],
    accounts: [...(rule?.when.accounts ?? [])],
    languages: (rule?.when.languages ?? []).join(', '),
    sentiments: [...(rule?.when.sentiments ?? [])],
    authors: (rule?.when.authors ?? []).join(', '),
    department: t?.department ?? '',
    who: t?.assignee ? 'colleague' : t?.roundRobin ? 'roundRobin' : 'nobody',
    assignee: t?.assignee ?? '',
    tag: t?.tag ?? '',
    priority: t?.priority ?? '',
    continue: rule?.continue ?? false,
    enabled: rule?.enabled ?? true,
  };
}

/**
 * The rule the form describes, or what is wrong with it (the host refuses the
 * same: a rule must do something, round-robin needs a department).
 */
export function ruleOfForm(form: RuleForm, id: string, order: number): { rule: RoutingRule; problems: RuleProblem[] } | { rule: null; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const department = form.department.trim();
  if (form.who === 'roundRobin' && !department) problems.push('needDepartment');
  if (form.who === 'colleague' && !form.assignee) problems.push('needColleague');
  const parsed = RoutingRuleSchema.safeParse({
    id,
    // A nameless rule is still previewed; saving asks for a name.
    name: form.name.trim() || '…',
    order,
    enabled: form.enabled,
    continue: form.continue,
    when: { text: form.text.trim(), channels: form.channels, accounts: form.accounts, languages: list(form.languages), sentiments: form.sentiments, authors: list(form.authors) },
    then: {
      ...(department ? { department: department.slice(0, 60) } : {}),
      ...(form.who === 'colleague' && form.assignee ? { assignee: form.assignee } : {}),
      ...(form.who === 'roundRobin' && department ? { roundRobin: true } : {}),
      ...(form.tag.trim() ? { tag: form.tag.trim().slice(0, 60) } : {}),
      ...(form.priority ? { priority: form.priority } : {}),
    },
  });
  if (!form.name.trim()) problems.unshift('needName');
  if (!parsed.success) return { rule: null, problems: [...problems, 'invalid'] };
  if (ruleDoesNothing(parsed.data) && !problems.includes('needDepartment') && !problems.includes('needColleague')) problems.push('needEffect');
  return { rule: parsed.data, problems };
}
