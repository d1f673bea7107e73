import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { TeamRole } from '../../shared/team';
import type { Message } from '../../shared/model';
import { TeamLink } from '../../electron/host/team/link';
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
