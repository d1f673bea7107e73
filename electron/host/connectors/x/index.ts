import type { AppError, SendReplyInput } from '../../../../shared/contract.js';
import { messageKey, unionFound, type Message, type StreamKind } from '../../../../shared/model.js';
import type { PlatformOps } from '../../sender.js';
import { sameText } from '../../sender.js';
import {
  checkSummoned,
  deleteXPost,
  fetchXProfile,
  findXDm,
  findXReply,
  pollDms,
  pollMentions,
  pollOwnPosts,
  pollSearch,
  RateMemo,
  sendXDm,
  sendXReply,
  uploadXMedia,
  X_SCOPES,
  XSession,
  type OwnProfile,
  type XTokens,
} from './api.js';
import { ownRef, type AccountRecord, type AccountSession, type Connector, type ConnectorContext } from '../types.js';
import { xPostOps } from './posts.js';

/** The vault's secret of an X account. */
export interface XSecret {
  kind: 'x';
  clientId: string;
  tokens: XTokens;
}

export function xPostUrl(id: string): string {
  return `https://x.com/i/status/${encodeURIComponent(id)}`;
}

/** What the host learnt of one X post. */
export interface XPostInfo {
  summoned?: boolean;
  searchId?: string;
  /** The thread it is shown in: a reply of ours to a search hit stays in the search's thread. */
  channel?: 'x_mention' | 'x_search';
  /** Every stream that read it (`Message.foundBy`). */
  foundBy?: string[];
}

/**
 * What the host learnt of X posts it delivered: whether the 2026 rule lets us
 * reply (the post mentions or quotes us), which saved search found it, which
 * streams read it, and its thread. Bounded.
 */
export class XPostMemory {
  private readonly posts = new Map<string, XPostInfo>();

  constructor(private readonly max = 50_000) {}

  get(id: string): XPostInfo | undefined {
    return this.posts.get(id);
  }

  remember(id: string, info: XPostInfo): void {
    this.posts.delete(id);
    this.posts.set(id, info);
    if (this.posts.size > this.max) {
      const oldest = this.posts.keys().next().value;
      if (oldest !== undefined) this.posts.delete(oldest);
    }
  }

  /**
   * Remembers what the reply rule needs of each X post, keeps our own replies to
   * search hits (read back from our timeline) in the search's thread, and gives a
   * post read by a second stream every stream that read it, so the copy that
   * leaves last still says a search found it. Returns null when nothing had to change.
   */
  learn(messages: Message[]): Message[] | null {
    let changed = false;
    const out = messages.map((m) => {
      if (m.channel !== 'x_mention' && m.channel !== 'x_search') return m;
      const known = this.posts.get(m.platformId);
      const parent = m.inReplyToId ? this.posts.get(m.inReplyToId) : undefined;
      let next: Message = m;
      if (m.channel === 'x_mention' && m.fromUs && (known?.channel === 'x_search' || parent?.channel === 'x_search')) {
        const searchId = known?.searchId ?? parent?.searchId;
        next = { ...m, channel: 'x_search', key: messageKey('x_search', m.platformId), ...(searchId ? { searchId } : {}) } satisfies Message;
      }
      const foundBy = unionFound(known?.foundBy, next.foundBy);
      const searchId = next.searchId ?? known?.searchId;
      if ((foundBy?.length ?? 0) !== (next.foundBy?.length ?? 0) || searchId !== next.searchId) {
        next = { ...next, ...(foundBy ? { foundBy } : {}), ...(searchId !== undefined ? { searchId } : {}) };
      }
      if (next !== m) changed = true;
      this.remember(m.platformId, { summoned: m.summoned ?? known?.summoned, searchId, channel: next.channel as XPostInfo['channel'], foundBy });
      return next;
    });
    return changed ? out : null;
  }
}

/** X (API v2, OAuth 2.0 PKCE): mentions, our own posts, DMs and saved keyword searches. */
export function createXConnector(ctx: ConnectorContext): Connector & { posts: XPostMemory } {
  const posts = new XPostMemory();
  const { now } = ctx;

  function open(record: AccountRecord, raw: unknown): AccountSession | null {
    const secret = raw as Partial<XSecret> | undefined;
    if (secret?.kind !== 'x' || !secret.tokens || !secret.clientId) return null;
    const x = new XSession({
      clientId: secret.clientId,
      apiUrl: record.apiUrl ?? ctx.config.xApiUrl,
      tokens: secret.tokens,
      save: (t) => ctx.vault.set(record.id, { ...secret, tokens: t }, { sandbox: record.sandbox }),
      refreshGuard: ctx.xRefreshGuard?.(record),
      now,
      timeoutMs: ctx.requestTimeoutMs,
    });
    const own = ownRef(record);
    // Each endpoint's rate window, remembered between polls: it sets how many pages a poll may read.
    const mentions = new RateMemo(now);
    const ownPosts = new RateMemo(now);
    const dms = new RateMemo(now);
    // The recent-search window, shared by the account's saved searches.
    const searchRate = new RateMemo(now);
    // The window of the per-person DM lookup that checks whether an unanswered DM went out.
    const dmCheckRate = new RateMemo(now);
    const profile: OwnProfile = { id: record.platformUserId, name: record.name, username: record.handle, avatarUrl: record.avatarUrl };
    const sender = { ...own, profile };
    // Every X read is billed: the account's price, its daily budget and its page cap apply to each stream.
    const paid = (kind: StreamKind) => ({ priceUsd: () => ctx.spending.priceUsd(record.id, kind), pausedUntil: () => ctx.spending.pausedUntil(record.id) });
    const pages = (kind: StreamKind) => () => ctx.spending.pagesAllowed(record.id, kind);

    /** X's 2026 rule: self-serve apps may reply only to posts that @mention or quote the account. */
    async function replyRule(postId: string): Promise<AppError | null> {
      let summoned = posts.get(postId)?.summoned;
      if (summoned === undefined) {
        try {
          summoned = (await checkSummoned(x, own, postId)) ?? undefined;
          if (summoned !== undefined) posts.remember(postId, { ...posts.get(postId), summoned });
        } catch (e) {
          // The lookup failed: X itself decides when the reply is sent.
          ctx.log(`reply rule lookup of ${postId} failed: ${(e as Error).message}`);
        }
      }
      return summoned === false ? { kind: 'replyRestricted', url: xPostUrl(postId) } : null;
    }

    function postOps(channel: 'x_mention' | 'x_search'): PlatformOps {
      const searchId = (i: SendReplyInput) => (channel === 'x_search' ? posts.get(i.inReplyToId)?.searchId : undefined);
      const asThread = (m: Message | null, i: SendReplyInput): Message | null =>
        m && channel === 'x_search' ? { ...m, channel, key: messageKey(channel, m.platformId), ...(searchId(i) ? { searchId: searchId(i) } : {}) } : m;
      return {
        post: async (i, at) => {
          // Uploads are not posts: an attempt that is tried again simply uploads again.
          const mediaIds: string[] = [];
          for (const m of i.media ?? []) mediaIds.push(await uploadXMedia(x, m, 'tweet_image'));
          const sent = await sendXReply(x, sender, i.conversationId, i.inReplyToId, i.text, at, { channel, searchId: searchId(i), mediaIds });
          // Read back from our timeline later, it stays in the thread it was sent in.
          posts.remember(sent.platformId, { summoned: true, channel, searchId: sent.searchId });
          return sent;
        },
        find: async (i, since, exclude) =>
          asThread(await findXReply(x, sender, i.inReplyToId, (t) => sameText(t, i.text), since, new Set([...exclude].map((k) => k.replace(/^x_search:/, 'x_mention:'))), now()), i),
      };
    }

    return {
      granted: () => x.grantedScopes ?? [],
      expiresAt: () => x.expiresAt,
      deadReason: () => x.deadReason ?? undefined,
      streams: () => [
        { id: `${record.id}/mentions`, accountId: record.id, kind: 'x_mentions', ...paid('x_mentions'), poll: (c, d) => pollMentions(x, own, c, d, now, mentions, pages('x_mentions')) },
        { id: `${record.id}/own`, accountId: record.id, kind: 'x_own', ...paid('x_own'), poll: (c, d) => pollOwnPosts(x, own, c, d, now, ownPosts, pages('x_own')) },
        { id: `${record.id}/dms`, accountId: record.id, kind: 'x_dms', ...paid('x_dms'), poll: (c, d) => pollDms(x, own, c, d, now, dms, pages('x_dms')) },
      ],
      searchStream: (search, share) => ({
        id: `${record.id}/search/${search.id}`,
        accountId: record.id,
        kind: 'x_search',
        searchId: search.id,
        budgetShare: share,
        ...paid('x_search'),
        poll: (c, d) => pollSearch(x, own, search, c, d, now, searchRate, share, pages('x_search')),
      }),
      sendOps: (channel) => {
        if (channel === 'x_mention' || channel === 'x_search') return postOps(channel);
        if (channel !== 'x_dm') return null;
        return {
          post: async (i, at) => sendXDm(x, sender, i.recipientId as string, i.text, at, i.media?.[0] ? await uploadXMedia(x, i.media[0], 'dm_image') : undefined),
          find: (i, since, exclude) => findXDm(x, sender, i.recipientId as string, (t) => sameText(t, i.text), since, exclude, now(), dmCheckRate),
        };
      },
      postOps: () => xPostOps(x, sender, now),
      checkBeforeSend: (input) => (input.channel === 'x_mention' || input.channel === 'x_search' ? replyRule(input.inReplyToId) : Promise.resolve(null)),
      refused: (input, error) => {
        if (error.kind !== 'replyRestricted') return error;
        posts.remember(input.inReplyToId, { ...posts.get(input.inReplyToId), summoned: false });
        return { kind: 'replyRestricted', url: xPostUrl(input.inReplyToId) };
      },
      moderate: async (channel, platformId, action) => {
        if (channel !== 'x_mention' || action !== 'delete') return false;
        await deleteXPost(x, platformId);
        return true;
      },
    };
  }

  return { platform: 'x', required: X_SCOPES, open, onBatch: (messages) => posts.learn(messages), posts };
}

/** The account record and vault secret of freshly signed-in X tokens (asks X who they belong to). */
export async function xAccountFromTokens(tokens: XTokens, clientId: string, apiUrl: string | undefined, sandbox: boolean, now: () => number): Promise<{ record: AccountRecord; secret: XSecret }> {
  let current = tokens;
  const probe = new XSession({ clientId, apiUrl, tokens: current, save: async (t) => void (current = t), now });
  const profile = await fetchXProfile(probe);
  const record: AccountRecord = {
    id: `x:${profile.id}`,
    platform: 'x',
    platformUserId: profile.id,
    name: profile.name,
    handle: profile.username,
    avatarUrl: profile.avatarUrl,
    sandbox,
    apiUrl,
  };
  return { record, secret: { kind: 'x', clientId, tokens: current } };
}
