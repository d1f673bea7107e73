import type { Channel } from './model.js';
import type { HandoverItem, Priority, RoutingRule, WorkflowRecord, WorkTarget } from './workflow.js';

/**
 * What the team's workflow log says now, derived on every console from the
 * same records in the same order (their seq), so every console shows the same.
 * Pure: no clock, no I/O. Records of a kind this version does not know are
 * skipped (a newer colleague's console may write them).
 */

export interface Actor {
  by: string;
  byName: string;
  at: number;
}

export interface AssignmentView extends Actor {
  conversationKey: string;
  to: WorkTarget;
  note?: string;
}

/** An entry of a conversation's internal thread (never sent to the customer). */
export interface NoteView extends Actor {
  id: string;
  conversationKey: string;
  kind: 'note' | 'assign' | 'ask' | 'answer' | 'return' | 'route';
  text: string;
  mentions: string[];
  /** assign / ask: to whom. */
  to?: WorkTarget;
}

export interface AskView extends Actor {
  id: string;
  conversationKey: string;
  to: WorkTarget;
  question: string;
  answer?: Actor & { text: string; draft?: string };
}

export interface ApprovalView extends Actor {
  /** The reply's client id. */
  id: string;
  conversationKey: string;
  channel: Channel;
  accountId: string;
  text: string;
  mediaCount: number;
  state: 'pending' | 'approved' | 'returned' | 'sent';
  /** The lead who approved or returned it. */
  decided?: Actor;
  comment?: string;
  /** The text as the lead approved it, when they edited it. */
  editedText?: string;
  messageKey?: string;
}

export interface ReviewView extends Actor {
  messageKey: string;
  author: string;
  score: number;
  comment?: string;
}

export interface ShiftView {
  login: string;
  name: string;
  since: number;
}

export interface HandoverView extends Actor {
  id: string;
  note: string;
  items: HandoverItem[];
  drafts: Array<{ conversationKey: string; to: string; text: string }>;
  acks: Actor[];
}

export interface RoutedView {
  ruleId: string;
  ruleName: string;
  at: number;
  department?: string;
  assignee?: string;
  tag?: string;
  priority?: Priority;
}

export interface WorkflowState {
  /** By conversation key; absent once unassigned. */
  assignments: Map<string, AssignmentView>;
  /** By conversation key, oldest first. */
  notes: Map<string, NoteView[]>;
  /** By ask id. */
  asks: Map<string, AskView>;
  /** By the reply's client id. */
  approvals: Map<string, ApprovalView>;
  /** By message key (the newest review). */
  reviews: Map<string, ReviewView>;
  policy: { logins: Set<string>; channels: Set<Channel> };
  /** Enabled or not, in their order. */
  rules: RoutingRule[];
  /** Open assigned conversations per agent before round-robin passes them by. */
  cap: number;
  /** Agents on duty, by login. */
  onDuty: Map<string, ShiftView>;
  /** Oldest first. */
  handovers: HandoverView[];
  /** Message key → the rule that routed it. */
  routed: Map<string, RoutedView>;
}

export const DEFAULT_ROUTING_CAP = 10;

export function emptyWorkflow(): WorkflowState {
  return {
    assignments: new Map(),
    notes: new Map(),
    asks: new Map(),
    approvals: new Map(),
    reviews: new Map(),
    policy: { logins: new Set(), channels: new Set() },
    rules: [],
    cap: DEFAULT_ROUTING_CAP,
    onDuty: new Map(),
    handovers: [],
    routed: new Map(),
  };
}

/** The state after all records, in log order (seq; records without one, the local pending ones, last in their order). */
export function reduceWorkflow(records: readonly WorkflowRecord[]): WorkflowState {
  const state = emptyWorkflow();
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  for (const r of sorted) applyRecord(state, r);
  return state;
}

type D = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const target = (v: unknown): WorkTarget | undefined => {
  const t = v as D | undefined;
  if (t && typeof t.login === 'string') return { login: t.login };
  if (t && typeof t.department === 'string') return { department: t.department };
  return undefined;
};

function addNote(state: WorkflowState, n: NoteView): void {
  const list = state.notes.get(n.conversationKey);
  if (list) {
    if (!list.some((x) => x.id === n.id && x.kind === n.kind)) list.push(n);
  } else state.notes.set(n.conversationKey, [n]);
}

/** Applies one record (mutates `state`). */
export function applyRecord(state: WorkflowState, r: WorkflowRecord): void {
  const d = r.data as D;
  const actor: Actor = { by: r.by, byName: r.byName, at: r.at };
  const key = r.conversationKey;
  switch (r.kind) {
    case 'assign': {
      const to = target(d.to);
      if (!key || !to) return;
      const note = str(d.note);
      state.assignments.set(key, { conversationKey: key, to, ...actor, ...(note ? { note } : {}) });
      addNote(state, { id: r.id, conversationKey: key, kind: 'assign', text: note ?? '', mentions: [], to, ...actor });
      return;
    }
    case 'unassign':
      if (key) state.assignments.delete(key);
      return;
    case 'note':
      if (!key) return;
      addNote(state, { id: r.id, conversationKey: key, kind: 'note', text: str(d.text) ?? '', mentions: strs(d.mentions), ...actor });
      return;
    case 'ask': {
      const to = target(d.to);
      if (!key || !to) return;
      const question = str(d.question) ?? '';
      state.asks.set(r.id, { id: r.id, conversationKey: key, to, question, ...actor });
      addNote(state, { id: r.id, conversationKey: key, kind: 'ask', text: question, mentions: [], to, ...actor });
      return;
    }
    case 'answer': {
      const ask = state.asks.get(str(d.askId) ?? '');
      if (!ask || ask.answer) return;
      const text = str(d.text) ?? '';
      const draft = str(d.draft);
      ask.answer = { ...actor, text, ...(draft ? { draft } : {}) };
      addNote(state, { id: r.id, conversationKey: ask.conversationKey, kind: 'answer', text, mentions: [], ...actor });
      return;
    }
    case 'submit': {
      const id = str(d.approvalId);
      const input = d.input as D | undefined;
      if (!id || !input) return;
      const channel = str(input.channel) as Channel | undefined;
      if (!channel) return;
      state.approvals.set(id, {
        id,
        conversationKey: key ?? `${channel}:${str(input.conversationId) ?? ''}`,
        channel,
        accountId: str(input.accountId) ?? '',
        text: str(input.text) ?? '',
        mediaCount: typeof input.mediaCount === 'number' ? input.mediaCount : 0,
        state: 'pending',
        ...actor,
      });
      return;
    }
    case 'approve': {
      const a = state.approvals.get(str(d.approvalId) ?? '');
      if (!a || a.state !== 'pending') return;
      a.state = 'approved';
      a.decided = actor;
      const text = str(d.text);
      if (text !== undefined && text !== a.text) a.editedText = text;
      return;
    }
    case 'return': {
      const a = state.approvals.get(str(d.approvalId) ?? '');
      if (!a || a.state !== 'pending') return;
      a.state = 'returned';
      a.decided = actor;
      a.comment = str(d.comment) ?? '';
      addNote(state, { id: r.id, conversationKey: a.conversationKey, kind: 'return', text: a.comment, mentions: [a.by], ...actor });
      return;
    }
    case 'sent': {
      const a = state.approvals.get(str(d.approvalId) ?? '');
      if (!a) return;
      a.state = 'sent';
      const mk = str(d.messageKey);
      if (mk) a.messageKey = mk;
      return;
    }
    case 'review': {
      const messageKey = str(d.messageKey);
      if (!messageKey || typeof d.score !== 'number') return;
      const comment = str(d.comment);
      state.reviews.set(messageKey, { messageKey, author: str(d.author) ?? '', score: d.score, ...(comment ? { comment } : {}), ...actor });
      return;
    }
    case 'approvalPolicy': {
      const t = d.target as D | undefined;
      const on = d.required === true;
      if (t && typeof t.login === 'string') {
        if (on) state.policy.logins.add(t.login);
        else state.policy.logins.delete(t.login);
      } else if (t && typeof t.channel === 'string') {
        if (on) state.policy.channels.add(t.channel as Channel);
        else state.policy.channels.delete(t.channel as Channel);
      }
      return;
    }
    case 'ruleSave': {
      const rule = d.rule as RoutingRule | undefined;
      if (!rule || typeof rule.id !== 'string') return;
      state.rules = [...state.rules.filter((x) => x.id !== rule.id), rule].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
      return;
    }
    case 'ruleDelete':
      state.rules = state.rules.filter((x) => x.id !== str(d.ruleId));
      return;
    case 'routingCap':
      if (typeof d.cap === 'number') state.cap = d.cap;
      return;
    case 'route': {
      const view: RoutedView = { ruleId: str(d.ruleId) ?? '', ruleName: str(d.ruleName) ?? '', at: r.at };
      for (const f of ['department', 'assignee', 'tag', 'priority'] as const) {
        const v = str(d[f]);
        if (v) (view as unknown as D)[f] = v;
      }
      for (const k of strs(d.keys)) state.routed.set(k, view);
      return;
    }
    case 'shiftStart':
      state.onDuty.set(r.by, { login: r.by, name: r.byName, since: r.at });
      return;
    case 'shiftEnd':
      state.onDuty.delete(r.by);
      state.handovers.push({
        id: r.id,
        note: str(d.note) ?? '',
        items: Array.isArray(d.items) ? (d.items as HandoverItem[]) : [],
        drafts: Array.isArray(d.drafts) ? (d.drafts as HandoverView['drafts']) : [],
        acks: [],
        ...actor,
      });
      return;
    case 'handoverAck': {
      const h = state.handovers.find((x) => x.id === str(d.handoverId));
      if (h && !h.acks.some((a) => a.by === r.by)) h.acks.push(actor);
      return;
    }
    default:
      return;
  }
}

/** Open asks (not answered), by conversation. */
export function openAsks(state: WorkflowState, conversationKey: string): AskView[] {
  return [...state.asks.values()].filter((a) => a.conversationKey === conversationKey && !a.answer);
}

/**
 * How long a conversation waited on specialists until `now` (epoch ms): the
 * union of its asks' open spans, so two asks at once count once. The
 * response-time clock pauses for this time; reports show it apart.
 */
export function specialistWaitMs(state: WorkflowState, conversationKey: string, now: number): number {
  const spans = [...state.asks.values()]
    .filter((a) => a.conversationKey === conversationKey)
    .map((a) => [a.at, a.answer ? a.answer.at : now] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curS = -Infinity;
  let curE = -Infinity;
  for (const [s, e] of spans) {
    if (s > curE) {
      if (curE > curS) total += curE - curS;
      curS = s;
      curE = e;
    } else curE = Math.max(curE, e);
  }
  if (curE > curS && Number.isFinite(curS)) total += curE - curS;
  return total;
}

/** Whether a reply by `login` on `channel` must wait for a lead's approval. */
export function needsApproval(state: WorkflowState, login: string, channel: Channel): boolean {
  return state.policy.logins.has(login) || state.policy.channels.has(channel);
}
