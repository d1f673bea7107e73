import type { Channel } from './model.js';
import { TeamSettingSchema, type HandoverItem, type Priority, type RoutingRule, type TeamSettingName, type TeamSettingValue, type WorkflowRecord, type WorkTarget } from './workflow.js';

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
  /** The team's shared settings, each as the newest valid record left it (absent: never set by a lead). */
  settings: { [N in TeamSettingName]?: TeamSettingView<N> };
}

export interface TeamSettingView<N extends TeamSettingName> extends Actor {
  /** The record's id: the same while the setting is unchanged. */
  id: string;
  value: TeamSettingValue<N>;
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
    settings: {},
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
      // A client id enters the approval queue once; a record seen again never reopens a decided reply.
      if (!id || !input || state.approvals.has(id)) return;
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
    case 'teamSetting': {
      // Checked again here: a record is data (a newer console may write a value this one reads differently).
      const s = TeamSettingSchema.safeParse(d.setting);
      if (s.success) (state.settings as Record<string, unknown>)[s.data.name] = { id: r.id, value: s.data.value, ...actor };
      return;
    }
    case 'route': {
      // One record per rule that applied (and conversation); the poller gives each field to one rule
      // only, so records of one message complete each other. The rule named is the one that set the
      // priority (what a card shows), else the first.
      const fields: Partial<RoutedView> = {};
      for (const f of ['department', 'assignee', 'tag', 'priority'] as const) {
        const v = str(d[f]);
        if (v) (fields as D)[f] = v;
      }
      const own: RoutedView = { ruleId: str(d.ruleId) ?? '', ruleName: str(d.ruleName) ?? '', at: r.at };
      for (const k of strs(d.keys)) {
        const prev = state.routed.get(k);
        const named = !prev || (fields.priority !== undefined && prev.priority === undefined) ? own : prev;
        state.routed.set(k, { ...fields, ...prev, ruleId: named.ruleId, ruleName: named.ruleName, at: named.at });
      }
      // The assignment the poller made (a conversation already assigned keeps its assignee: the record then names none).
      const assignee = str(d.assignee);
      const department = str(d.department);
      const to: WorkTarget | undefined = assignee ? { login: assignee } : department && !(key && state.assignments.has(key)) ? { department } : undefined;
      if (key && to) state.assignments.set(key, { conversationKey: key, to, ...actor });
      if (key) addNote(state, { id: r.id, conversationKey: key, kind: 'route', text: str(d.ruleName) ?? '', mentions: [], ...(to ? { to } : {}), ...actor });
      return;
    }
    case 'shiftStart':
      state.onDuty.set(r.by, { login: r.by, name: r.byName, since: r.at });
      return;
    case 'shiftEnd': {
      state.onDuty.delete(r.by);
      if (state.handovers.some((h) => h.id === r.id)) return;
      // Only well-formed entries: a record is shown as data, never trusted to be complete.
      const items = (Array.isArray(d.items) ? (d.items as D[]) : []).flatMap((i): HandoverItem[] => {
        const conversationKey = str(i?.conversationKey);
        const reason = str(i?.reason);
        if (!conversationKey || !isHandoverReason(reason)) return [];
        const text = str(i.text);
        return [{ conversationKey, reason, ...(text ? { text } : {}) }];
      });
      const drafts = (Array.isArray(d.drafts) ? (d.drafts as D[]) : []).flatMap((x): HandoverView['drafts'] => {
        const conversationKey = str(x?.conversationKey);
        const to = str(x?.to);
        const text = str(x?.text);
        return conversationKey && to && text ? [{ conversationKey, to, text }] : [];
      });
      state.handovers.push({ id: r.id, note: str(d.note) ?? '', items, drafts, acks: [], ...actor });
      return;
    }
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

// ── shifts and handover ─────────────────────────────────────────────────────

const HANDOVER_REASONS: ReadonlySet<string> = new Set<HandoverItem['reason']>(['claim', 'followUp', 'assigned', 'late', 'draft']);

function isHandoverReason(v: string | undefined): v is HandoverItem['reason'] {
  return v !== undefined && HANDOVER_REASONS.has(v);
}

/** How far back a handover still asks the agents on duty to read it. */
export const HANDOVER_SHOWN_MS = 24 * 60 * 60_000;

/**
 * The handovers `login` should read now: by a colleague, not yet acknowledged
 * by them, published within HANDOVER_SHOWN_MS; to an agent on duty all of
 * those, to one off duty only those that hand them a draft. Newest first.
 */
export function handoversToRead(state: WorkflowState, login: string, now: number): HandoverView[] {
  const onDuty = state.onDuty.has(login);
  return state.handovers
    .filter((h) => h.by !== login && now - h.at <= HANDOVER_SHOWN_MS && !h.acks.some((a) => a.by === login))
    .filter((h) => onDuty || h.drafts.some((d) => d.to === login))
    .reverse();
}

/** Drafts colleagues handed to `login`, newest handover first, with where each came from. */
export function draftsHandedTo(state: WorkflowState, login: string): Array<HandoverView['drafts'][number] & { handoverId: string; index: number; from: Actor }> {
  const out: Array<HandoverView['drafts'][number] & { handoverId: string; index: number; from: Actor }> = [];
  for (let i = state.handovers.length - 1; i >= 0; i--) {
    const h = state.handovers[i]!;
    h.drafts.forEach((d, index) => {
      if (d.to === login) out.push({ ...d, handoverId: h.id, index, from: { by: h.by, byName: h.byName, at: h.at } });
    });
  }
  return out;
}

/** Handovers published at or after `since` (the start of the day, for the lead), newest first. */
export function handoversSince(state: WorkflowState, since: number): HandoverView[] {
  return state.handovers.filter((h) => h.at >= since).reverse();
}

// ── assignment, notes and the specialist lane ───────────────────────────────

/** Who a console is, as the workflow asks it: their login, name and departments. */
export interface Me {
  login: string;
  departments: readonly string[];
}

/** Whether work given to `to` is this agent's: theirs by login, or their department's. */
export function isForMe(to: WorkTarget | undefined, me: Me): boolean {
  if (!to) return false;
  return 'login' in to ? to.login === me.login : me.departments.includes(to.department);
}

/**
 * The time between `from` and `to` a conversation waited on specialists (the
 * union of its asks' open spans clipped to the window, so two asks at once
 * count once): what the response-time clock leaves out.
 */
/** How long a stretch of time is, as the response target counts it (business hours: shared/sla.ts). */
export type Measure = (from: number, to: number) => number;
const wallClock: Measure = (from, to) => Math.max(0, to - from);

export function specialistWaitBetween(state: WorkflowState, conversationKey: string, from: number, to: number, measure: Measure = wallClock): number {
  const spans = [...state.asks.values()]
    .filter((a) => a.conversationKey === conversationKey)
    .map((a) => [Math.max(from, a.at), Math.min(to, a.answer ? a.answer.at : to)] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of spans) {
    if (e <= end) continue;
    total += measure(Math.max(s, end), e);
    end = e;
  }
  return total;
}

/**
 * The conversations a specialist was asked about (whose clocks may have stood still), sorted,
 * one per line: a string a component can select, re-rendering only when it changes.
 */
const askedKeys = new WeakMap<WorkflowState, string>();
export function askedConversations(state: WorkflowState): string {
  let key = askedKeys.get(state);
  if (key === undefined) {
    key = [...new Set([...state.asks.values()].map((a) => a.conversationKey))].sort().join('\n');
    askedKeys.set(state, key);
  }
  return key;
}

/**
 * A conversation's response clock since the customer's oldest unanswered
 * message (`waitingSince`): the whole time, the part spent waiting on a
 * specialist, and the time that counts against the response target (the
 * whole less the specialist's part), each in business hours when `measure`
 * counts only those. Reports keep both figures.
 */
export function responseClock(state: WorkflowState, conversationKey: string, waitingSince: number, now: number, measure: Measure = wallClock): { elapsed: number; specialist: number; counted: number } {
  const elapsed = measure(waitingSince, now);
  const specialist = specialistWaitBetween(state, conversationKey, waitingSince, now, measure);
  return { elapsed, specialist, counted: Math.max(0, elapsed - specialist) };
}

/**
 * What a card shows of the workflow, per conversation: waiting on a specialist
 * (`w`) and the department it was given to (`d`), as one short string a card
 * can select (cards re-render only when their own string changes). Computed
 * once per state for every card.
 */
const summaries = new WeakMap<WorkflowState, Map<string, string>>();
export function cardSummary(state: WorkflowState, conversationKey: string): string {
  let map = summaries.get(state);
  if (!map) {
    const parts = new Map<string, { w?: 1; d?: string; l?: string }>();
    const at = (k: string) => {
      let p = parts.get(k);
      if (!p) parts.set(k, (p = {}));
      return p;
    };
    for (const a of state.asks.values()) if (!a.answer) at(a.conversationKey).w = 1;
    for (const [k, a] of state.assignments) {
      if ('department' in a.to) at(k).d = a.to.department;
      else at(k).l = a.to.login;
    }
    map = new Map([...parts].map(([k, p]) => [k, JSON.stringify(p)]));
    summaries.set(state, map);
  }
  return map.get(conversationKey) ?? '';
}

export type InboxKind = 'ask' | 'answer' | 'assigned' | 'mention' | 'draft';

/** Something in the team workflow for this agent ("For you"). */
export interface InboxItem {
  /** The record it comes from (a handed draft: the handover's id and the conversation). */
  id: string;
  kind: InboxKind;
  conversationKey: string;
  by: string;
  byName: string;
  at: number;
  text: string;
  /** A draft of the customer reply (an answer's, or one handed over). */
  draft?: string;
}

/**
 * What is for this agent, newest first: open questions to them or their
 * department, answers to their questions, conversations given to them or their
 * department, notes that mention them, and drafts handed to them. Their own
 * doings are never in it.
 */
export function inboxItems(state: WorkflowState, me: Me): InboxItem[] {
  const items: InboxItem[] = [];
  for (const a of state.asks.values()) {
    if (!a.answer && a.by !== me.login && isForMe(a.to, me)) {
      items.push({ id: a.id, kind: 'ask', conversationKey: a.conversationKey, by: a.by, byName: a.byName, at: a.at, text: a.question });
    }
    if (a.answer && a.by === me.login && a.answer.by !== me.login) {
      const { by, byName, at, text, draft } = a.answer;
      items.push({ id: `${a.id}:answer`, kind: 'answer', conversationKey: a.conversationKey, by, byName, at, text, ...(draft ? { draft } : {}) });
    }
  }
  for (const a of state.assignments.values()) {
    if (a.by !== me.login && isForMe(a.to, me)) items.push({ id: `${a.conversationKey}:${a.at}`, kind: 'assigned', conversationKey: a.conversationKey, by: a.by, byName: a.byName, at: a.at, text: a.note ?? '' });
  }
  for (const list of state.notes.values()) {
    for (const n of list) {
      if (n.kind === 'note' && n.by !== me.login && n.mentions.includes(me.login)) {
        items.push({ id: n.id, kind: 'mention', conversationKey: n.conversationKey, by: n.by, byName: n.byName, at: n.at, text: n.text });
      }
    }
  }
  for (const h of state.handovers) {
    if (h.by === me.login) continue;
    for (const d of h.drafts) {
      if (d.to === me.login) items.push({ id: `${h.id}:${d.conversationKey}`, kind: 'draft', conversationKey: d.conversationKey, by: h.by, byName: h.byName, at: h.at, text: '', draft: d.text });
    }
  }
  return items.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
}

export type Concern = 'assigned' | 'asked' | 'answered' | 'mentioned' | 'draft' | 'returned';

/** Who asked a question and who wrote a reply waiting for approval, by id (a state, or an index of the log). */
export interface AuthorLookup {
  askedBy(askId: string): string | undefined;
  approvalBy(approvalId: string): string | undefined;
}

export function authorsIn(state: WorkflowState): AuthorLookup {
  return { askedBy: (id) => state.asks.get(id)?.by, approvalBy: (id) => state.approvals.get(id)?.by };
}

/**
 * Why a new record of the log concerns this agent (a desktop notification
 * says so), or null: given to them or their department, a question to them or
 * their department, an answer to their question, a note mentioning them, a
 * draft handed to them, a reply of theirs returned. Never their own doing.
 * (An answer that came second is never in the log: the first one won.)
 */
export function concernOf(r: WorkflowRecord, authors: AuthorLookup, me: Me): Concern | null {
  if (r.by === me.login) return null;
  const d = r.data as D;
  switch (r.kind) {
    case 'assign':
      return isForMe(target(d.to), me) ? 'assigned' : null;
    case 'route':
      return str(d.assignee) === me.login ? 'assigned' : null;
    case 'ask':
      return isForMe(target(d.to), me) ? 'asked' : null;
    case 'answer':
      return authors.askedBy(str(d.askId) ?? '') === me.login ? 'answered' : null;
    case 'note':
      return strs(d.mentions).includes(me.login) ? 'mentioned' : null;
    case 'shiftEnd':
      return Array.isArray(d.drafts) && (d.drafts as D[]).some((x) => x?.to === me.login) ? 'draft' : null;
    case 'return':
      return authors.approvalBy(str(d.approvalId) ?? '') === me.login ? 'returned' : null;
    default:
      return null;
  }
}

/** A colleague as @mentions name them: their login and display name. */
export interface Mentionable {
  login: string;
  name: string;
}

const MENTION = /(^|[^\p{L}\p{N}_@])@([\p{L}\p{N}][\p{L}\p{N}._-]*)/gu;
const squash = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/**
 * The colleagues an internal note mentions (logins, once each, in order):
 * `@login`, `@Name` (the display name without spaces, "@AnnaDeVries") or its
 * first word when only one colleague has it ("@Anna"). Case never matters.
 */
export function mentionsIn(text: string, members: readonly Mentionable[]): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(MENTION)) {
    const word = squash(m[2] ?? '').replace(/[._-]+$/, '');
    if (!word) continue;
    let hit = members.find((x) => x.login.toLowerCase() === word) ?? members.find((x) => squash(x.name) === word);
    if (!hit) {
      const byFirst = members.filter((x) => squash(x.name.trim().split(/\s+/)[0] ?? '') === word);
      if (byFirst.length === 1) hit = byFirst[0];
    }
    if (hit && !found.includes(hit.login)) found.push(hit.login);
  }
  return found;
}

// ── approval and review ─────────────────────────────────────────────────────

/** Replies waiting for a lead, oldest first. */
export function pendingApprovals(state: WorkflowState): ApprovalView[] {
  return [...state.approvals.values()].filter((a) => a.state === 'pending').sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

/**
 * Whether a reply by `login` (of `role`) on `channel` goes to the approval queue,
 * as the database decides it: a login named needs approval whatever its role; a
 * channel's policy passes leads by (they are the ones approving).
 */
export function replyNeedsApproval(state: WorkflowState, login: string, role: string | undefined, channel: Channel): boolean {
  if (state.policy.logins.has(login)) return true;
  return state.policy.channels.has(channel) && role !== 'lead' && role !== 'admin';
}
