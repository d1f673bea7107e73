import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TeamRole } from '../../shared/team';
import type { Message } from '../../shared/model';
import { MemberNames } from '../../electron/host/team/actions';
import { TeamLink } from '../../electron/host/team/link';
import { TeamSync } from '../../electron/host/team/sync';
import type { MessageBatch } from '../../shared/contract';
import { workflowHandlers } from '../../electron/host/team/wf/handlers';
import { TeamWorkflow } from '../../electron/host/team/wf/workflow';
import { WorkflowActionSchema, type ActResult, type WorkflowAction, type WorkflowActionInput } from '../../shared/workflow';
import { addMember } from '../../electron/host/team/members';
import { migrate } from '../../electron/host/team/migrate';
import { startPg, type PgServer } from './pgServer';

/**
 * A team database for integration tests: a throwaway cluster, migrated, with
 * logins added as asked, and consoles (TeamLinks, the real link) per login.
 */
export interface TeamDb {
  server: PgServer;
  /** The superuser, for arranging and inspecting rows behind the consoles' backs. */
  admin: pg.Client;
  addMember(login: string, name: string, role?: TeamRole, departments?: string[]): Promise<void>;
  /** A console logged in as `login`, online (its link stopped by `stop`). */
  link(login: string): Promise<TeamLink>;
  /** Stores a message as the account's poller would (webcare.messages). */
  storeMessage(m: Message): Promise<void>;
  stop(): Promise<void>;
}

const PASSWORD = 'throwaway-password';

export async function teamDb(): Promise<TeamDb> {
  const server = await startPg();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await migrate(admin);
  const links: TeamLink[] = [];
  return {
    server,
    admin,
    async addMember(login, name, role = 'agent', departments = []) {
      await addMember(admin, { login, password: PASSWORD, name, role, departments });
    },
    async link(login) {
      const link = new TeamLink({
        url: server.urlFor(login, PASSWORD),
        consoleId: randomUUID(),
        log: process.env.WEBCARE_TEST_LOG ? (l) => console.log(login, l) : () => undefined,
        // Generous answers: fifty logins at once on a busy machine must not look like a dead server.
        timing: { reconnectMinMs: 200, reconnectMaxMs: 1000, pingMs: 1000, answerMs: 10_000 },
      });
      links.push(link);
      await link.start();
      if (!link.online) throw new Error(`console of ${login} did not connect: ${JSON.stringify(link.error)}`);
      return link;
    },
    async storeMessage(m) {
      await admin.query(
        `INSERT INTO webcare.messages (key, account_id, channel, conversation_id, from_us, created_at, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
        [m.key, m.accountId, m.channel, m.conversationId, m.fromUs, m.createdAt, JSON.stringify(m)],
      );
    },
    async stop() {
      await Promise.all(links.map((l) => l.stop().catch(() => undefined)));
      await admin.end().catch(() => undefined);
      await server.stop();
    },
  };
}

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Workflow actions as each login's console applies them (one link per login, made once). */
export interface WorkflowActor {
  linkOf(login: string): Promise<TeamLink>;
  /** The login's console applying `input` (an id and a time are added); throws with the error when refused. */
  act(login: string, input: Without<WorkflowActionInput, 'id' | 'at'>): Promise<{ action: WorkflowAction; result: ActResult }>;
  /** A workflow over the login's link, to apply a given action again (a replay). */
  workflowOf(login: string): Promise<TeamWorkflow>;
}

export function workflowActor(db: () => TeamDb): WorkflowActor {
  const links = new Map<string, TeamLink>();
  const linkOf = async (login: string) => {
    const known = links.get(login);
    if (known) return known;
    const link = await db().link(login);
    links.set(login, link);
    return link;
  };
  const workflowOf = async (login: string) => {
    const link = await linkOf(login);
    return new TeamWorkflow({ conn: link, names: new MemberNames(link), handlers: workflowHandlers });
  };
  return {
    linkOf,
    workflowOf,
    async act(login, input) {
      const action = WorkflowActionSchema.parse({ id: randomUUID(), at: Date.now(), ...input });
      const r = await (await workflowOf(login)).act(action);
      if (!r.ok) throw Object.assign(new Error(`act ${action.kind} failed: ${JSON.stringify(r.error)}`), { error: r.error });
      return { action, result: r.value };
    },
  };
}

let mentionCount = 0;
/** A customer's X mention in conversation `conversationId` of account `x:1` (a new id each call). */
export function customerMention(conversationId: string, over: Partial<Message> = {}): Message {
  const id = `${conversationId}-${++mentionCount}`;
  return {
    key: `x_mention:${id}`,
    accountId: 'x:1',
    channel: 'x_mention',
    platformId: id,
    conversationId,
    author: { id: 'cust', name: 'Fleur', handle: 'fleur' },
    text: 'Waar blijft mijn pakket?',
    createdAt: Date.now(),
    fromUs: false,
    ...over,
  };
}

/**
 * A console's copying of the team's changes (the real TeamSync over `link`), into a list of the
 * batches it hands over instead of a window; `stop` ends it.
 */
export async function copyingConsole(link: TeamLink, team: string): Promise<{ batches: MessageBatch[]; stop: () => Promise<void> }> {
  const batches: MessageBatch[] = [];
  const sync = new TeamSync({
    link,
    team,
    dataDir: await mkdtemp(path.join(os.tmpdir(), 'team-copy-')),
    storeId: () => 'store',
    deliver: async (batch) => {
      batches.push(batch);
    },
    log: () => undefined,
  });
  await sync.load();
  sync.start();
  return { batches, stop: () => sync.stop() };
}
