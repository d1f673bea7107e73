import {
  findCommentReply,
  findMessengerReply,
  findPrivateReply,
  listPages,
  moderateComment,
  pollComments,
  pollMessenger,
  pollVisitorPosts,
  replyToComment,
  sendMessenger,
  sendPrivateReply,
  UsageMemo,
  type FbAccount,
  type ManagedPage,
} from './api.js';
import { createGraph } from './graph.js';
import { pagePostOps, POST_PAGE_TASK } from './posts.js';
import { sameText } from '../../sender.js';
import { ownRef, type AccountRecord, type AccountSession, type Connector, type ConnectorContext } from '../types.js';

/** The vault's secret of a Facebook Page. */
export interface FacebookSecret {
  kind: 'facebook';
  pageToken: string;
}

/** Page tasks the console needs: moderate comments and answer Messenger. */
export const REQUIRED_PAGE_TASKS = ['MODERATE', 'MESSAGING'];

/** Facebook Pages (Graph API): comments, visitor posts and Messenger. */
export function createFacebookConnector(ctx: ConnectorContext): Connector {
  const { now } = ctx;

  function open(record: AccountRecord, raw: unknown): AccountSession | null {
    const secret = raw as Partial<FacebookSecret> | undefined;
    if (secret?.kind !== 'facebook' || !secret.pageToken) return null;
    const graph = createGraph({
      baseUrl: record.apiUrl ?? ctx.config.graphApiUrl,
      version: ctx.config.graphVersion,
      accessToken: secret.pageToken,
      timeoutMs: ctx.requestTimeoutMs,
    });
    const page: FbAccount = { ...ownRef(record), name: record.name };
    // Graph budgets are per Page token: the three streams share what its usage headers say.
    const usage = new UsageMemo();
    return {
      granted: () => record.tasks ?? [],
      // Page tokens do not expire.
      expiresAt: () => undefined,
      deadReason: () => undefined,
      streams: () => [
        { id: `${record.id}/comments`, accountId: record.id, kind: 'fb_comments', poll: (c, d) => pollComments(graph, page, c, d, now, usage) },
        { id: `${record.id}/visitor_posts`, accountId: record.id, kind: 'fb_visitor_posts', poll: (c, d) => pollVisitorPosts(graph, page, c, d, now, usage) },
        { id: `${record.id}/messenger`, accountId: record.id, kind: 'fb_messages', poll: (c, d) => pollMessenger(graph, page, c, d, now, usage) },
      ],
      sendOps: (channel, input) => {
        if (channel === 'fb_comment' && input.private) {
          return {
            post: (i, at) => sendPrivateReply(graph, page, i.conversationId, i.inReplyToId, i.text, at),
            find: (i, since, exclude) => findPrivateReply(graph, page, i.conversationId, i.inReplyToId, (t) => sameText(t, i.text), since, exclude, now()),
          };
        }
        if (channel === 'fb_comment') {
          return {
            post: (i, at) => replyToComment(graph, page, i.conversationId, i.inReplyToId, i.text, at, i.media?.[0]),
            find: (i, since, exclude) => findCommentReply(graph, page, i.conversationId, (t) => sameText(t, i.text), since, exclude, now()),
          };
        }
        if (channel !== 'fb_message') return null;
        return {
          post: (i, at) =>
            sendMessenger(graph, page, i.conversationId, i.recipientId as string, i.text, at, i.humanAgent === true, i.media?.[0], {
              sent: ctx.journal.part(i.clientId, 'image'),
              record: (id) => ctx.journal.setPart(i.clientId, 'image', id),
            }),
          find: (i, since, exclude) => findMessengerReply(graph, page, i.conversationId, (t) => sameText(t, i.text), since, exclude, now()),
        };
      },
      // A token whose Page tasks are known and lack CREATE_CONTENT cannot publish; Graph would refuse it.
      postOps: () => (record.tasks && !record.tasks.includes(POST_PAGE_TASK) ? null : pagePostOps(graph, page)),
      moderate: async (channel, platformId, action) => {
        if (channel !== 'fb_comment') return false;
        await moderateComment(graph, platformId, action);
        return true;
      },
    };
  }

  return { platform: 'facebook', required: REQUIRED_PAGE_TASKS, open };
}

/** The records and vault secrets of the Pages a user or System User token manages (all, or `only` those). */
export async function facebookPagesFromToken(
  userToken: string,
  apiUrl: string | undefined,
  sandbox: boolean,
  config: Pick<ConnectorContext['config'], 'graphVersion'>,
  only?: readonly string[],
): Promise<Array<{ record: AccountRecord; secret: FacebookSecret }>> {
  const graph = createGraph({ baseUrl: apiUrl, version: config.graphVersion, accessToken: userToken });
  const pages = (await listPages(graph)).filter((p) => !only || only.includes(p.id));
  return pages.map((page) => ({
    record: { id: `fb:${page.id}`, platform: 'facebook', platformUserId: page.id, name: page.name, handle: '', sandbox, apiUrl, tasks: page.tasks },
    secret: { kind: 'facebook', pageToken: page.accessToken },
  }));
}

/** A Page as the person chooses it: its tasks, and which of the required ones the token lacks. */
export function pageChoice(p: ManagedPage): { id: string; name: string; tasks: string[]; missingTasks: string[] } {
  return { id: p.id, name: p.name, tasks: p.tasks, missingTasks: REQUIRED_PAGE_TASKS.filter((t) => !p.tasks.includes(t)) };
}
