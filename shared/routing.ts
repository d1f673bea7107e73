import { compileFilter, type FilterableMessage, type Matcher } from './filter.js';
import type { Message } from './model.js';
import type { Priority, RoutingRule } from './workflow.js';

/**
 * Routing rules, pure: which rules a new message meets, what it gets from them,
 * and whom round-robin picks. The poller (electron/host/team/wf/routing.ts)
 * runs this once per newly stored message inside the transaction that stored
 * it; the rules editor runs the very same code over the local cache to show
 * what a rule would have routed before it is saved.
 *
 * A rule's text means what a column filter's text means (shared/filter.ts:
 * words as prefixes, "phrases", OR, -exclusions, case and accents ignored),
 * and so do its channel, account, language and author lists: a rule is a
 * column filter that acts instead of shows.
 */

/** What a message gets from the rules that applied to it (each field from the first rule that set it). */
export interface RouteOutcome {
  department?: string;
  /** A login named by the rule. */
  assignee?: string;
  /** Pick an on-duty agent of `department` by round-robin (set only with a department). */
  roundRobin?: boolean;
  tag?: string;
  priority?: Priority;
}

export type RouteField = keyof RouteOutcome;

/** One rule's part in a message's routing: the fields it decided (none when earlier rules had decided them all). */
export interface AppliedRule {
  rule: RoutingRule;
  fields: RouteOutcome;
}

export interface CompiledRule {
  rule: RoutingRule;
  matches(m: FilterableMessage): boolean;
}

/** A rule's conditions as a column filter: every status, no tag or assignee condition (a new message has no mark). */
export function ruleMatcher(rule: RoutingRule): Matcher {
  return compileFilter(
    {
      channels: rule.when.channels,
      accounts: rule.when.accounts,
      text: rule.when.text,
      authors: rule.when.authors,
      languages: rule.when.languages,
      sentiments: rule.when.sentiments,
      statuses: [],
      tags: [],
    },
    { me: null },
  );
}

/** Enabled rules in their order (lower `order` first, then by name, as the log's reducer keeps them), compiled once. */
export function compileRules(rules: readonly RoutingRule[]): CompiledRule[] {
  return rules
    .filter((r) => r.enabled)
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name))
    .map((rule) => {
      const m = ruleMatcher(rule);
      return { rule, matches: (msg) => m(msg, undefined) };
    });
}

/** The effect a rule asks for; round-robin only means something with a department, and a named assignee wins over it. */
export function ruleEffect(rule: RoutingRule): RouteOutcome {
  const t = rule.then;
  const out: RouteOutcome = {};
  if (t.department) out.department = t.department;
  if (t.assignee) out.assignee = t.assignee;
  else if (t.roundRobin && t.department) out.roundRobin = true;
  if (t.tag) out.tag = t.tag;
  if (t.priority) out.priority = t.priority;
  return out;
}

/** A rule that would change nothing (the editor refuses to save one, the host too). */
export function ruleDoesNothing(rule: RoutingRule): boolean {
  return Object.keys(ruleEffect(rule)).length === 0;
}

/** Our own messages (replies) are never routed: routing sorts what customers write. */
export function routable(m: Pick<Message, 'fromUs'>): boolean {
  return !m.fromUs;
}

/**
 * The rules that apply to a message, in order. The first matching rule decides
 * unless it says `continue`: then the next matching rule applies too, and so on
 * until a matching rule without `continue`. Each field (department, assignee,
 * tag, priority) is set by the first applying rule that sets it; a later rule
 * only fills in what is still open, so rules never contradict each other in
 * what a message gets. Assignee and round-robin are one field: who gets it
 * (round-robin then picks from the outcome's department, whichever rule set it).
 */
export function applyRules(compiled: readonly CompiledRule[], m: FilterableMessage): AppliedRule[] {
  if (!routable(m)) return [];
  const applied: AppliedRule[] = [];
  const taken = new Set<string>();
  for (const c of compiled) {
    if (!c.matches(m)) continue;
    const effect = ruleEffect(c.rule);
    const fields: RouteOutcome = {};
    for (const [k, v] of Object.entries(effect) as [RouteField, RouteOutcome[RouteField]][]) {
      const slot = k === 'roundRobin' ? 'assignee' : k;
      if (taken.has(slot)) continue;
      taken.add(slot);
      (fields as Record<string, unknown>)[k] = v;
    }
    applied.push({ rule: c.rule, fields });
    if (!c.rule.continue) break;
  }
  return applied;
}

/** The combined outcome of applied rules (the union of their fields, which never overlap). */
export function outcomeOf(applied: readonly AppliedRule[]): RouteOutcome {
  return Object.assign({}, ...applied.map((a) => a.fields)) as RouteOutcome;
}

/** A colleague round-robin may give work to. */
export interface RoundRobinCandidate {
  login: string;
  onDuty: boolean;
  /** Open assigned conversations now. */
  open: number;
  /** When round-robin last gave them work (epoch ms); undefined: never. */
  lastAt?: number;
}

/**
 * Round-robin: among the colleagues on duty with fewer than `cap` open
 * assigned conversations, the one who was given work longest ago (never counts
 * as longest), ties by fewer open conversations, then by login so every
 * console would pick the same. Nobody off duty and nobody at the cap gets work:
 * null when no one may.
 */
export function pickRoundRobin(candidates: readonly RoundRobinCandidate[], cap: number): string | null {
  let best: RoundRobinCandidate | null = null;
  for (const c of candidates) {
    if (!c.onDuty || c.open >= cap) continue;
    if (!best || before(c, best)) best = c;
  }
  return best?.login ?? null;
}

function before(a: RoundRobinCandidate, b: RoundRobinCandidate): boolean {
  const la = a.lastAt ?? -Infinity;
  const lb = b.lastAt ?? -Infinity;
  if (la !== lb) return la < lb;
  if (a.open !== b.open) return a.open < b.open;
  return a.login < b.login;
}

/**
 * Round-robin over several new conversations at once (one stored page): each
 * pick counts for the next (the chosen colleague's load goes up by one and they
 * become the most recent), so a page of ten conversations is spread, not given
 * to one person. `candidates` is updated in place.
 */
export function takeTurn(candidates: RoundRobinCandidate[], cap: number, at: number): string | null {
  const login = pickRoundRobin(candidates, cap);
  const c = candidates.find((x) => x.login === login);
  if (c) {
    c.open += 1;
    c.lastAt = at;
  }
  return login;
}

/** What the rules editor shows before saving: the messages the edited rule would have routed, newest first. */
export interface RulePreview {
  /** Messages looked at (our own replies are not routed, so not counted). */
  tested: number;
  routed: FilterableMessage[];
}

/** How many cached messages the editor tests a rule against. */
export const PREVIEW_MESSAGES = 1000;

/**
 * The messages `draft` would have routed among `messages` (the newest cached
 * ones), as the rule set with `draft` in place (replacing the rule with its id,
 * or added) would have run on them: a message an earlier first-match rule
 * takes is not counted for the draft.
 */
export function previewRule(rules: readonly RoutingRule[], draft: RoutingRule, messages: readonly FilterableMessage[]): RulePreview {
  const set = compileRules([...rules.filter((r) => r.id !== draft.id), { ...draft, enabled: true }]);
  const routed: FilterableMessage[] = [];
  let tested = 0;
  for (const m of messages) {
    if (!routable(m)) continue;
    tested++;
    if (applyRules(set, m).some((a) => a.rule.id === draft.id)) routed.push(m);
  }
  return { tested, routed };
}
