import { useSyncExternalStore } from 'react';
import { z } from 'zod';
import { create } from 'zustand';
import type { PostEntry } from '../../../shared/contract.js';
import type { HostApi } from '../api/host';
import type { WebcareDb } from '../db/db';
import { useServices } from '../services';

/** What `n` (the board's keymap) and the top bar's button send to open the new-post box. */
export const NEW_POST_EVENT = 'webcare:newpost';

export const useNewPostUi = create<{ open: boolean; setOpen(open: boolean): void }>((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));

/**
 * The new posts the host keeps, as the host last said: asked once, then
 * followed through `postsChanged`, and asked again whenever the connection
 * to the host opens (a host restarted meanwhile may have sent some).
 */
class PostsSource {
  private posts: readonly PostEntry[] | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly host: HostApi) {
    host.on('postsChanged', (p) => this.set(p.posts));
    host.onConnection((s) => {
      if (s === 'open') void this.refresh();
    });
    if (host.connection === 'open') void this.refresh();
  }

  async refresh(): Promise<void> {
    const r = await this.host.call('listPosts', {});
    if (r.ok) this.set(r.value.posts);
  }

  private set(posts: readonly PostEntry[]): void {
    this.posts = posts;
    for (const fn of this.listeners) fn();
  }

  readonly get = (): readonly PostEntry[] | null => this.posts;

  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
}

const sources = new WeakMap<HostApi, PostsSource>();

function sourceOf(host: HostApi): PostsSource {
  let s = sources.get(host);
  if (!s) sources.set(host, (s = new PostsSource(host)));
  return s;
}

/** The kept posts (null until the host answered). */
export function usePosts(): readonly PostEntry[] | null {
  const s = sourceOf(useServices().host);
  return useSyncExternalStore(s.subscribe, s.get, s.get);
}

/** The new-post box's draft, kept in this window's settings so it survives a reload. */
export const NewPostDraftSchema = z.object({
  text: z.string().max(100_000),
  /** The id the post gets, once a hand-over was tried: the same post if that hand-over got cut off. */
  clientId: z.string().uuid().optional(),
  accountId: z.string().max(200).optional(),
  split: z.boolean().optional(),
  schedule: z.boolean().optional(),
  date: z.string().max(20).optional(),
  time: z.string().max(20).optional(),
});
export type NewPostDraft = z.infer<typeof NewPostDraftSchema>;

export const NEW_POST_DRAFT_KEY = 'newpost.draft';
/** The draft's images, in the composer's image table under this key. */
export const NEW_POST_MEDIA_KEY = 'newpost';

export async function loadPostDraft(db: WebcareDb): Promise<NewPostDraft> {
  const parsed = NewPostDraftSchema.safeParse((await db.settings.get(NEW_POST_DRAFT_KEY))?.value);
  return parsed.success ? parsed.data : { text: '' };
}

export function savePostDraft(db: WebcareDb, draft: NewPostDraft): Promise<unknown> {
  return db.settings.put({ key: NEW_POST_DRAFT_KEY, value: NewPostDraftSchema.parse(draft) }).catch((e: unknown) => console.warn('post draft not saved', e));
}
