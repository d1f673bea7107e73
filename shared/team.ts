import { z } from 'zod';
import { MessageMarkSchema } from './filter.js';
import { SentimentSchema } from './model.js';

/**
 * Team mode: several consoles share one PostgreSQL database. Each agent logs in
 * with a database login of their own (a PostgreSQL role), so the database knows
 * who acted; what a role may read and do is enforced there (grants, row-level
 * security), the UI only follows.
 *
 *   agent       answers and marks every department's conversations
 *   specialist  as an agent; work is handed to them (the team workflow builds on it)
 *   lead        as an agent, and reads the audit trail
 *   admin       as a lead, and adds accounts, logins and the team key
 *   department  a department-only employee: reads and answers only the
 *               conversations of their own departments, never receives a token
 */
export const TeamRoleSchema = z.enum(['agent', 'specialist', 'lead', 'admin', 'department']);
export type TeamRole = z.infer<typeof TeamRoleSchema>;

/** Roles that may hold platform tokens, and so poll and send for an account. */
export const POLLING_ROLES: readonly TeamRole[] = ['agent', 'specialist', 'lead', 'admin'];

export const PresenceSchema = z.enum(['online', 'away', 'offline']);
export type Presence = z.infer<typeof PresenceSchema>;

export const TeamMemberSchema = z.object({
  /** The database login. */
  login: z.string().max(63),
  /** As colleagues see it ("Anna"). */
  name: z.string().max(100),
  role: TeamRoleSchema,
  departments: z.array(z.string().max(60)),
  presence: PresenceSchema,
  /** Epoch ms of the last heartbeat of any of their consoles. */
  seenAt: z.number().optional(),
});
export type TeamMember = z.infer<typeof TeamMemberSchema>;

/** An agent is replying in a conversation: a lease renewed while they type. */
export const ClaimSchema = z.object({
  /** `${channel}:${conversationId}` (as the outbox's conversationKey). */
  conversationKey: z.string().min(1).max(300),
  login: z.string().max(63),
  name: z.string().max(100),
  /** Epoch ms (the database's clock). */
  expiresAt: z.number(),
  /** The login of this console holds it. */
  mine: z.boolean(),
});
export type Claim = z.infer<typeof ClaimSchema>;

/** How long a claim lasts without typing; typing renews it. */
export const CLAIM_LEASE_MS = 3 * 60_000;

/** Why the team database cannot be used now; each has an i18n key `team.error.<kind>`. */
export const TeamErrorKindSchema = z.enum([
  /** Not a postgres:// or postgresql:// URL. */
  'badUrl',
  /** No server answers there (down, wrong host or port, network). */
  'unreachable',
  /** Wrong login or password, or the login may not connect. */
  'auth',
  /** The login is not a member of the team (no role), or lacks the rights this needs. */
  'rights',
  /** The database was set up by a newer version of the console. */
  'newerSchema',
  /** The team key is missing or does not decrypt the team's tokens. */
  'key',
  /** TLS was asked for and failed (certificate, or the server does not speak it). */
  'tls',
  /** Anything else; `detail` says what the server said. */
  'other',
]);
export type TeamErrorKind = z.infer<typeof TeamErrorKindSchema>;

export const TeamStatusSchema = z.object({
  /**
   * connecting: first contact or a reconnect under way; online: in sync;
   * offline: the database cannot be reached (the console works locally and
   * replays its queued actions later); error: a setting must change (`error`).
   */
  state: z.enum(['connecting', 'online', 'offline', 'error']),
  /** The URL without its password. */
  url: z.string().max(2000),
  error: z.object({ kind: TeamErrorKindSchema, detail: z.string().max(500).optional() }).optional(),
  /** Who this console is logged in as, once connected. */
  me: TeamMemberSchema.omit({ presence: true, seenAt: true }).optional(),
  members: z.array(TeamMemberSchema),
  claims: z.array(ClaimSchema),
  /** Per account id: the login whose console polls (and sends for) it; absent while nobody does. */
  pollers: z.record(z.string(), z.string()),
  /** Accounts this console polls. */
  leading: z.array(z.string()),
  /** The team key is needed on this console (an admin enters it once). */
  keyNeeded: z.boolean(),
  /** Actions made while the database was out of reach, waiting to be replayed. */
  queued: z.number().int().nonnegative(),
  /** Actions replayed after reconnecting that lost a race (newest last), for the console to show. */
  lostRaces: z.array(z.lazy(() => LostRaceSchema)),
});
export type TeamStatus = z.infer<typeof TeamStatusSchema>;

/** A mark patch, as the board makes it (`null` clears a tag or assignee). */
export const MarkPatchSchema = z.object({
  status: z.enum(['open', 'done', 'archived']).optional(),
  tag: z.string().max(60).nullable().optional(),
  assignee: z.string().max(100).nullable().optional(),
  hidden: z.boolean().optional(),
  /** An agent's reading of how the message sounds; null gives the host's reading back. */
  sentiment: SentimentSchema.nullable().optional(),
});

/**
 * A mark action: what the agent did, to which messages, and the version of each
 * mark they saw (`base`, the mark's `at`; 0 when it had none). A mark changed by
 * a colleague since is not overwritten: the action loses that race for that key.
 */
export const MarkActionSchema = z.object({
  id: z.string().uuid(),
  keys: z.array(z.string().min(1).max(300)).min(1).max(5000),
  patch: MarkPatchSchema,
  base: z.record(z.string(), z.number()).optional(),
  /** Epoch ms when the agent did it (offline actions are replayed later). */
  at: z.number(),
});
export type MarkAction = z.infer<typeof MarkActionSchema>;

/** A mark as the team has it: who set it last. */
export const TeamMarkSchema = MessageMarkSchema.extend({ by: z.string().max(100).optional() });
export type TeamMark = z.infer<typeof TeamMarkSchema>;

export const LostRaceSchema = z.object({
  /** The action (mark action id or outbox client id). */
  id: z.string(),
  kind: z.enum(['mark', 'reply']),
  /** The message or conversation it was about. */
  key: z.string(),
  /** Who got there first, as colleagues see them. */
  by: z.string().max(100).optional(),
  /** What happened instead ("done", "answered"). */
  what: z.string().max(60),
  at: z.number(),
});
export type LostRace = z.infer<typeof LostRaceSchema>;

export const AuditRowSchema = z.object({
  id: z.string(),
  at: z.number(),
  /** The database login that did it. */
  login: z.string(),
  /** claim, release, mark, send, reply, account, token, member, key, ... */
  action: z.string(),
  /** What it was about (a conversation, a message key, an account, a login). */
  subject: z.string().optional(),
  detail: z.string().optional(),
});
export type AuditRow = z.infer<typeof AuditRowSchema>;

/** The collision guard: why a send was held back (sending anyway takes `force`). */
export const CollisionSchema = z.object({
  reason: z.enum(['replied', 'queued', 'newMessage']),
  /** The colleague (their name), for replied and queued. */
  by: z.string().max(100).optional(),
  at: z.number().optional(),
});

/** Marks flowing from the team to this console's store, like messages (see MessageBatch). */
export const TeamMarksSchema = z.array(TeamMarkSchema).max(10_000);

/**
 * Team mode, a department login: what moved out of this console's departments, so its
 * store lets go of the copies it holds (the team's database keeps every message; the
 * department it went to sees it there). A conversation given to another department, or
 * an account's messages of one of ours when a lead gave the account to another.
 */
export const TeamLeftSchema = z.union([
  z.object({ conversationKey: z.string().min(1).max(300) }),
  z.object({ accountId: z.string().min(1).max(200), department: z.string().min(1).max(60) }),
]);
export type TeamLeft = z.infer<typeof TeamLeftSchema>;
export const TeamLeftListSchema = z.array(TeamLeftSchema).max(10_000);

/**
 * Of the workflow records a department login copies, what moved out of its departments:
 * an assignment (by an agent, or by a routing rule) to a department not its own of a
 * conversation that was in one of its own (the record's `data.left`, which lets the old
 * department read the record), and an account given to a department not its own whose
 * messages were in one of its own (`data.from`). Records of a staff login move nothing
 * out: staff see every department.
 */
export function leftOf(records: ReadonlyArray<{ kind: string; conversationKey?: string; department?: string; data: Record<string, unknown> }>, me: { role: string; departments: readonly string[] }): TeamLeft[] {
  if (me.role !== 'department') return [];
  const mine = (d: unknown): d is string => typeof d === 'string' && me.departments.includes(d);
  const out: TeamLeft[] = [];
  for (const r of records) {
    if ((r.kind === 'assign' || r.kind === 'route') && r.conversationKey && mine(r.data.left) && !mine(r.department)) out.push({ conversationKey: r.conversationKey });
    else if (r.kind === 'accountDepartment' && typeof r.data.accountId === 'string' && mine(r.data.from) && !mine(r.data.department)) {
      out.push({ accountId: r.data.accountId, department: r.data.from });
    }
  }
  return out;
}
