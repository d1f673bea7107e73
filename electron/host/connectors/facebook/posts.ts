import type { MediaInput } from '../../../../shared/contract.js';
import { messageKey, type Message } from '../../../../shared/model.js';
import type { PlatformOps } from '../../sender.js';
import { sameText } from '../../sender.js';
import type { PostPartInput } from '../types.js';
import { fbTime, type FbAccount } from './api.js';
import type { GraphClient } from './graph.js';

/** The Page task a token needs to publish (Meta, Pages API "Posts": CREATE_CONTENT, with pages_manage_posts). */
export const POST_PAGE_TASK = 'CREATE_CONTENT';

const EXT: Record<MediaInput['mimeType'], string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' };

function validId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9_.:-]{1,200}$/.test(id);
}

/**
 * An unpublished Page photo for a post (`POST /{page-id}/photos` with
 * `published=false`), attached to the post by its id (Meta, "Photo uploads":
 * a multi-photo post is unpublished photos plus `attached_media` on the feed).
 */
async function uploadPostPhoto(graph: GraphClient, account: FbAccount, media: MediaInput): Promise<string> {
  const form = new FormData();
  form.set('published', 'false');
  if (media.alt) form.set('alt_text_custom', media.alt);
  form.set('source', new Blob([Buffer.from(media.dataBase64, 'base64')], { type: media.mimeType }), `post.${EXT[media.mimeType]}`);
  const { body } = await graph.postForm<{ id?: string }>(`${account.platformUserId}/photos`, form);
  if (!validId(body.id)) throw new Error('Facebook answered without a photo id');
  return body.id;
}

/**
 * A post on the Page's timeline: `POST /{page-id}/feed` with `message` (and
 * `attached_media`), published at once (Meta, Pages API "Posts": publish posts;
 * the answer is `{id: "{page-id}_{post-id}"}`). Scheduling is the host's, not
 * Graph's `scheduled_publish_time` (10 minutes to 30 days ahead only, and X has
 * nothing like it), so both platforms keep the same rules.
 */
export async function publishPagePost(graph: GraphClient, account: FbAccount, text: string, now: number, media: readonly MediaInput[] = []): Promise<Message> {
  const photos: string[] = [];
  for (const m of media) photos.push(await uploadPostPhoto(graph, account, m));
  const { body } = await graph.post<{ id?: string }>(`${account.platformUserId}/feed`, {
    ...(text ? { message: text } : {}),
    ...(photos.length ? { attached_media: photos.map((id) => ({ media_fbid: id })) } : {}),
  });
  if (!validId(body.id)) throw new Error('Facebook answered without a post id');
  return pagePostMessage(account, body.id, text, now, photos.length);
}

function pagePostMessage(account: FbAccount, id: string, text: string, at: number, mediaCount = 0): Message {
  return {
    ...(mediaCount ? { mediaCount } : {}),
    key: messageKey('fb_comment', id),
    platformId: id,
    channel: 'fb_comment',
    accountId: account.id,
    conversationId: id,
    author: { id: account.platformUserId, name: account.name, handle: '' },
    text,
    createdAt: at,
    url: `https://www.facebook.com/${encodeURIComponent(id)}`,
    fromUs: true,
  };
}

/** Our Page post with this text since `since` (the Page's own posts, newest first), for settling an unclear send. */
export async function findPagePost(graph: GraphClient, account: FbAccount, matches: (text: string) => boolean, since: number, exclude: ReadonlySet<string>): Promise<Message | null> {
  const { body } = await graph.get<{ data?: { id?: string; message?: string; created_time?: string }[] }>(`${account.platformUserId}/posts`, {
    fields: 'id,message,created_time',
    since: Math.floor(since / 1000),
    limit: 100,
  });
  for (const p of body.data ?? []) {
    const at = fbTime(p.created_time);
    if (!validId(p.id) || at === null || at < since) continue;
    const m = pagePostMessage(account, p.id, p.message ?? '', at);
    if (matches(m.text) && !exclude.has(m.key)) return m;
  }
  return null;
}

/** The connector's way to publish a new Page post, exactly once through the send journal. */
export function pagePostOps(graph: GraphClient, account: FbAccount): PlatformOps<PostPartInput> {
  return {
    post: (i, at) => publishPagePost(graph, account, i.text, at, i.media),
    find: (i, since, exclude) => findPagePost(graph, account, (t) => sameText(t, i.text), since, exclude),
  };
}
