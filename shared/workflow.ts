import { z } from 'zod';
import { CannedReplySchema } from './canned.js';
import { ChannelSchema, SentimentSchema } from './model.js';
import { PriorityListsSchema } from './priority.js';
import { BusinessHoursSchema, TargetsSchema } from './sla.js';
import { StormRuleSchema } from './storm.js';

/**
 * The team workflow as named actions. Everything an agent does together with
 * colleagues (assign, ask a specialist, write an internal note, approve or
 * return a reply, review one, set a routing rule, start or end a shift) is a
 * record with an id made where it was done, an actor and a time:
 *
 *   the renderer makes an action (WorkflowActionSchema), keeps it in its own
 *   queue until the host answered (so it survives a closed window or a lost
 *   database) and sends it with the `act` command; the host applies it in one
 *   transaction of the team database, which appends it to webcare.actions
 *   (the log) and keeps what it enforces (one approval, one route a message,
 *   who is on duty) in tables of its own; every console then copies the log
 *   into its local store (like messages and marks) and derives what it shows
 *   from it with `reduceWorkflow` below, so the state is the same everywhere
 *   and works offline from the local copy.
 *
 * Replaying an action (the same id) is harmless: the database applies an id once.
 * An action that lost a race (a reply a colleague approved first, a question
 * already answered) is not appended; `act` says who won.
 */

const Id = z.string().uuid();
const Login = z.string().min(1).max(63);
/** The longest department name the team database takes. */
export const DEPARTMENT_MAX = 60;
const Department = z.string().trim().min(1).max(DEPARTMENT_MAX);
const ConversationKey = z.string().min(1).max(300);
const MessageKey = z.string().min(1).max(300);
const Text = z.string().trim().min(1).max(4000);

/** Work given to a colleague, a specialist or a whole department. */
export const WorkTargetSchema = z.union([z.object({ login: Login }), z.object({ department: Department })]);
export type WorkTarget = z.infer<typeof WorkTargetSchema>;

export const PrioritySchema = z.enum(['high', 'normal', 'low']);
export type Priority = z.infer<typeof PrioritySchema>;

/** A routing rule: when a new message matches, what it gets. Leads edit them. */
export const RoutingRuleSchema = z.object({
  id: Id,
  name: z.string().trim().min(1).max(100),
  /** Lower first. */
  order: z.number().int().min(0).max(10_000),
  enabled: z.boolean(),
  /** false: the first matching rule decides (later rules are not tried); true: this rule applies and later rules are tried too. */
  continue: z.boolean(),
  when: z.object({
    /** The column filters' query language (words, "phrases", OR, -exclusions). */
    text: z.string().max(2000).default(''),
    channels: z.array(ChannelSchema).max(20).default([]),
    accounts: z.array(z.string().min(1).max(200)).max(50).default([]),
    languages: z.array(z.string().min(1).max(20)).max(20).default([]),
    /** How the message sounds as the host read it on arrival (a new message has no agent's reading yet). */
    sentiments: z.array(SentimentSchema).max(3).default([]),
    /** X handles (with or without @) or parts of a display name. */
    authors: z.array(z.string().min(1).max(200)).max(500).default([]),
  }),
  then: z.object({
    department: Department.optional(),
    /** A login; `roundRobin` instead picks the on-duty agent of the department with the least recent assignment under the cap. */
    assignee: Login.optional(),
    roundRobin: z.boolean().optional(),
    tag: z.string().trim().min(1).max(60).optional(),
    priority: PrioritySchema.optional(),
  }),
});
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;
export type RoutingRuleInput = z.input<typeof RoutingRuleSchema>;

/** Something an agent leaves behind at the end of a shift. */
export const HandoverItemSchema = z.object({
  conversationKey: ConversationKey,
  reason: z.enum(['claim', 'followUp', 'assigned', 'late', 'draft']),
  /** A short excerpt, as the agent saw it. */
  text: z.string().max(300).optional(),
});
export type HandoverItem = z.infer<typeof HandoverItemSchema>;

const base = { id: Id, at: z.number() };

/**
 * A setting the whole team shares, as one named value (always whole: the newest
 * record wins, so a console that missed a change never merges half of one):
 * business hours and holidays, response targets per channel, the VIP list and
 * urgent words, and the storm alert's bounds. Leads set them.
 */
export const TeamSettingSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('businessHours'), value: BusinessHoursSchema }),
  z.object({ name: z.literal('targets'), value: TargetsSchema }),
  z.object({ name: z.literal('priorityLists'), value: PriorityListsSchema }),
  z.object({ name: z.literal('stormRule'), value: StormRuleSchema }),
]);
export type TeamSetting = z.infer<typeof TeamSettingSchema>;
export type TeamSettingName = TeamSetting['name'];
export type TeamSettingValue<N extends TeamSettingName> = Extract<TeamSetting, { name: N }>['value'];
export const TEAM_SETTING_NAMES: readonly TeamSettingName[] = ['businessHours', 'targets', 'priorityLists', 'stormRule'];

/** Actions an agent makes (the renderer queues them and sends them with `act`). */
export const WorkflowActionSchema = z.discriminatedUnion('kind', [
  /** Give a conversation to a colleague, a specialist or a department; `keys` are its messages the agent has (their assignee mark follows). */
  z.object({ ...base, kind: z.literal('assign'), conversationKey: ConversationKey, keys: z.array(MessageKey).max(5000), to: WorkTargetSchema, note: Text.optional() }),
  /** Take the assignment off a conversation. */
  z.object({ ...base, kind: z.literal('unassign'), conversationKey: ConversationKey, keys: z.array(MessageKey).max(5000) }),
  /** An internal note; never leaves the team. `mentions` are logins (from @name in the text) who are notified. */
  z.object({ ...base, kind: z.literal('note'), conversationKey: ConversationKey, text: Text, mentions: z.array(Login).max(50).default([]) }),
  /** Ask a specialist (or a department's specialists); the conversation waits on them until answered. */
  z.object({ ...base, kind: z.literal('ask'), conversationKey: ConversationKey, to: WorkTargetSchema, question: Text }),
  /** The specialist's answer to an ask: internal text, and/or a draft of the customer reply for the agent to review and send. */
  z.object({ ...base, kind: z.literal('answer'), askId: Id, text: z.string().trim().max(4000).default(''), draft: z.string().max(20_000).optional() }),
  /** A lead approves a reply waiting for approval (optionally edited): it goes to the team outbox and is sent once. */
  z.object({ ...base, kind: z.literal('approve'), approvalId: Id, text: z.string().max(20_000).optional() }),
  /** A lead returns a reply waiting for approval to its author, with a comment. */
  z.object({ ...base, kind: z.literal('return'), approvalId: Id, comment: Text }),
  /** A lead scores a sent reply afterwards (1 poor … 5 excellent). */
  z.object({ ...base, kind: z.literal('review'), messageKey: MessageKey, author: Login, score: z.number().int().min(1).max(5), comment: z.string().trim().max(2000).optional() }),
  /** A lead puts an agent or a channel on "approval required" (or takes it off). */
  z.object({ ...base, kind: z.literal('approvalPolicy'), target: z.union([z.object({ login: Login }), z.object({ channel: ChannelSchema })]), required: z.boolean() }),
  /** A lead saves a routing rule (new or changed); it applies to messages stored from then on. */
  z.object({ ...base, kind: z.literal('ruleSave'), rule: RoutingRuleSchema }),
  z.object({ ...base, kind: z.literal('ruleDelete'), ruleId: Id }),
  /** A lead sets the cap of open assigned conversations per agent for round-robin. */
  z.object({ ...base, kind: z.literal('routingCap'), cap: z.number().int().min(1).max(1000) }),
  /** A lead changes a setting of the whole team (hours, targets, priority lists, storm bounds). */
  z.object({ ...base, kind: z.literal('teamSetting'), setting: TeamSettingSchema }),
  /**
   * A lead puts an account in a department (null: in none). Its messages belong there from
   * then on, and so do those it had in its old department; a conversation routing or an
   * agent moved elsewhere stays where it is.
   */
  /**
   * The team's canned-reply library: a reply saved (new or changed) or deleted, by anyone in
   * the team, so every console offers the same replies. Each console keeps its own count of
   * uses (`usage`), so a saved reply carries none.
   */
  z.object({ ...base, kind: z.literal('cannedSave'), reply: CannedReplySchema.omit({ usage: true }) }),
  z.object({ ...base, kind: z.literal('cannedDelete'), cannedId: z.string().min(1).max(100) }),
  /** A canned reply was put into a reply: the library's order and the reports count the whole team's uses. */
  z.object({ ...base, kind: z.literal('cannedUse'), cannedId: z.string().min(1).max(100) }),
  z.object({ ...base, kind: z.literal('accountDepartment'), accountId: z.string().min(1).max(200), department: Department.nullable() }),
  z.object({ ...base, kind: z.literal('shiftStart') }),
  /** Ends the agent's shift: their claims are released and the handover is published. */
  z.object({
    ...base,
    kind: z.literal('shiftEnd'),
    note: z.string().trim().max(4000).default(''),
    items: z.array(HandoverItemSchema).max(500).default([]),
    /** Unsent drafts handed to a colleague explicitly. */
    drafts: z.array(z.object({ conversationKey: ConversationKey, to: Login, text: z.string().min(1).max(20_000) })).max(100).default([]),
  }),
  /** The next agent on duty read a handover. */
  z.object({ ...base, kind: z.literal('handoverAck'), handoverId: Id }),
]);
export type WorkflowAction = z.infer<typeof WorkflowActionSchema>;
export type WorkflowActionInput = z.input<typeof WorkflowActionSchema>;
export type WorkflowKind = WorkflowAction['kind'];
export type ActionOf<K extends WorkflowKind> = Extract<WorkflowAction, { kind: K }>;

/**
 * Records only the host writes (the renderer cannot send them):
 *   submit  a reply that needs approval was put in the approval queue instead of the outbox
 *   sent    an approved reply was posted (the result of the team outbox)
 *   route   a routing rule applied to new messages (by the console that polled them)
 */
export const SystemRecordDataSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('submit'),
    approvalId: Id,
    /** The reply as queued (SendReplyInput without its images, which only the approval queue's row keeps). */
    input: z.object({
      accountId: z.string().max(200),
      channel: ChannelSchema,
      conversationId: z.string().max(200),
      inReplyToId: z.string().max(200),
      text: z.string().max(20_000),
      private: z.boolean().optional(),
      humanAgent: z.boolean().optional(),
      mediaCount: z.number().int().min(0).max(4).default(0),
    }),
  }),
  z.object({ kind: z.literal('sent'), approvalId: Id, messageKey: MessageKey.optional() }),
  z.object({
    kind: z.literal('route'),
    ruleId: Id,
    ruleName: z.string().max(100),
    keys: z.array(MessageKey).max(10_000),
    department: Department.optional(),
    assignee: Login.optional(),
    tag: z.string().max(60).optional(),
    priority: PrioritySchema.optional(),
  }),
]);
export type SystemRecordData = z.infer<typeof SystemRecordDataSchema>;

/**
 * A record of the log as every console receives it. `data` is the action
 * without id, kind and at (or a system record's data without kind).
 */
export const WorkflowRecordSchema = z.object({
  id: Id,
  kind: z.string().max(40),
  /** Order of the log (the team's change sequence). */
  seq: z.number(),
  conversationKey: z.string().max(300).optional(),
  /** The department the conversation belongs to when it was recorded (row-level security hides other departments' records from department employees). */
  department: z.string().max(60).optional(),
  /** Who did it: the database login, and their name as colleagues see it. */
  by: z.string().max(63),
  byName: z.string().max(100),
  /** When the database applied it (epoch ms), and when the agent did it (offline actions are applied later). */
  at: z.number(),
  clientAt: z.number(),
  data: z.record(z.string(), z.unknown()),
});
export type WorkflowRecord = z.infer<typeof WorkflowRecordSchema>;

/** What `act` answers. */
export const ActResultSchema = z.object({
  /** Applied now or before (a replay). */
  applied: z.boolean(),
  record: WorkflowRecordSchema.optional(),
  /** Not applied: a colleague got there first (`by`, their name) and what happened instead. */
  lost: z.object({ by: z.string().max(100).optional(), what: z.string().max(100) }).optional(),
});
export type ActResult = z.infer<typeof ActResultSchema>;

export const WORKFLOW_RECORDS_MAX = 10_000;
export const WorkflowRecordsSchema = z.array(WorkflowRecordSchema).max(WORKFLOW_RECORDS_MAX);
