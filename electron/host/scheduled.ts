import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { err, ok, type AppError, type MediaInput, type PostEntry, type QueuePostInput, type Result } from '../../shared/contract.js';
import type { Platform } from '../../shared/model.js';
import { afterPostAttempt, cancellable, checkPost, duePosts, editable, nextWake, POST_KEEP_SENT_MS, SCHEDULE_MAX_AHEAD_MS } from '../../shared/newPost.js';
import type { Accounts } from './accounts.js';
import { readJson, writeJson } from './jsonFile.js';
import { sendOnce, type SendJournal } from './sender.js';

/**
 * New posts, kept by the host until they went out: at once, or at their time.
 * The host, not a window, sends them, so a post scheduled for 07:00 goes out
 * while the console runs in the tray with no window open; a post whose time
 * passed while the console was stopped goes out at the next start.
 *
 * Kept in `posts.json` in the data folder (images apart, in `posts-media/`),
 * written before every send and after it. Each part goes out through the send
 * journal (`sent.json`) under a client id of its own, so a restart at any
 * moment never posts a part twice: a post found "sending" at start is
 * `unknown`, and the journal looks on the platform before it sends again.
 */
export interface ScheduledOptions {
  dataDir: string;
  accounts: Accounts;
  journal: SendJournal;
  now: () => number;
  log(line: string): void;
  /** The platform said the network is gone. */
  offline(): void;
  /** The list changed (for the windows). */
  changed(): void;
}

/** What the host keeps of a post; the images live apart, read only to send or to hand back. */
interface StoredPost extends Omit<PostEntry, 'platform'> {
  platform: Platform;
  /** The send journal's client id of each part; the first is the post's own. */
  partIds: string[];
  /** The platform id of each part sent, so the next part answers the one before. */
  sentIds: string[];
}

/** The longest a timer sleeps before the schedule looks at the wall clock again (a machine that slept, a clock set). */
const MAX_SLEEP_MS = 30_000;

export class ScheduledPosts {
  private posts: StoredPost[] = [];
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private running = false;
  private readonly file: string;
  private readonly mediaDir: string;

  constructor(private readonly opts: ScheduledOptions) {
    this.file = path.join(opts.dataDir, 'posts.json');
    this.mediaDir = path.join(opts.dataDir, 'posts-media');
  }

  async load(): Promise<void> {
    const raw = await readJson<StoredPost[]>(this.file, []);
    this.posts = Array.isArray(raw) ? raw.filter((p) => p && typeof p.clientId === 'string' && Array.isArray(p.parts) && Array.isArray(p.partIds)) : [];
    for (const p of this.posts) {
      // Stopped while a part was on its way: the journal knows whether it left; look before sending again.
      if (p.state === 'sending') {
        p.state = 'unknown';
        p.nextAttemptAt = undefined;
      }
    }
    this.prune();
  }

  /** Sends what is due now (posts whose time passed while the console was stopped) and then each at its time. */
  start(): void {
    this.running = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.draining;
  }

  /** Something changed that a waiting post may wait for (an account reconnected, the network back). */
  poke(): void {
    if (!this.running) return;
    const { accounts } = this.opts;
    let woke = false;
    for (const p of this.posts) {
      if (p.state !== 'scheduled' || p.nextAttemptAt === undefined || !p.error) continue;
      const live = accounts.get(p.accountId);
      const gone =
        (p.error.kind === 'reconnectNeeded' && live?.state === 'connected' && live.session !== undefined) ||
        (p.error.kind === 'offline' && accounts.isOnline());
      if (gone) {
        p.nextAttemptAt = undefined;
        woke = true;
      }
    }
    if (woke) this.kick();
  }

  list(): PostEntry[] {
    return this.posts.map(view).sort((a, b) => a.at - b.at || a.createdAt - b.createdAt);
  }

  async queue(input: QueuePostInput): Promise<Result<PostEntry>> {
    const known = this.find(input.clientId);
    if (known) return ok(view(known));
    const now = this.opts.now();
    const live = this.opts.accounts.get(input.accountId);
    if (!live) return err({ kind: 'unknownAccount' });
    const platform = live.record.platform;
    const media = input.media ?? [];
    const problem = checkPost(platform, input.parts, media) ?? this.timeProblem(input.at, now);
    if (problem) return err(problem);
    // The token cannot publish at all (a Page without CREATE_CONTENT): said now, not at 07:00.
    if (live.session?.postOps && live.session.postOps() === null) return err({ kind: 'permissionMissing' });
    const scheduled = input.at !== undefined && input.at > now;
    const p: StoredPost = {
      clientId: input.clientId,
      accountId: input.accountId,
      platform,
      parts: [...input.parts],
      partIds: input.parts.map((_, i) => (i === 0 ? input.clientId : randomUUID())),
      sentIds: [],
      mediaCount: media.length,
      mediaAlts: media.map((m) => m.alt ?? ''),
      at: scheduled ? (input.at as number) : now,
      scheduled,
      createdAt: now,
      ...(input.by ? { by: input.by } : {}),
      state: 'scheduled',
      sentParts: 0,
      attempts: 0,
    };
    // The images first: a kept post never points at images that are not there.
    if (media.length) await writeJson(this.mediaFile(p.clientId), media);
    this.posts.push(p);
    await this.save();
    this.opts.log(`post ${p.clientId} on ${p.accountId} ${scheduled ? `scheduled for ${new Date(p.at).toISOString()}` : 'queued'}`);
    this.kick();
    return ok(view(p));
  }

  async update(i: { clientId: string; parts?: string[]; at?: number; dropMedia?: boolean }): Promise<Result<PostEntry>> {
    const p = this.find(i.clientId);
    if (!p) return err({ kind: 'invalidInput', detail: 'no such post' });
    if (!editable(p)) return err({ kind: 'notAllowed' });
    const now = this.opts.now();
    const media = i.dropMedia ? [] : await this.media(p);
    const problem = checkPost(p.platform, i.parts ?? p.parts, media) ?? (i.at !== undefined ? this.timeProblem(i.at, now) : null);
    if (problem) return err(problem);
    if (i.parts) {
      p.parts = [...i.parts];
      // New parts get ids of their own; the first keeps the post's.
      p.partIds = i.parts.map((_, n) => p.partIds[n] ?? randomUUID());
    }
    if (i.at !== undefined) {
      p.scheduled = i.at > now;
      p.at = p.scheduled ? i.at : now;
    }
    if (i.dropMedia && p.mediaCount) {
      p.mediaCount = 0;
      p.mediaAlts = [];
      await rm(this.mediaFile(p.clientId), { force: true });
    }
    // An edited failed post is the agent's answer to the failure: it goes out again at its time.
    if (p.state === 'failed') {
      p.state = 'scheduled';
      p.error = undefined;
      p.nextAttemptAt = undefined;
    }
    await this.save();
    this.kick();
    return ok(view(p));
  }

  async cancel(clientId: string): Promise<Result<{ parts: string[]; accountId: string; media: MediaInput[] }>> {
    const p = this.find(clientId);
    if (!p) return err({ kind: 'invalidInput', detail: 'no such post' });
    // On its way or maybe out already: it can no longer be taken back.
    if (!cancellable(p)) return err({ kind: 'notAllowed' });
    const media = await this.media(p);
    this.posts = this.posts.filter((x) => x !== p);
    await this.save();
    await rm(this.mediaFile(p.clientId), { force: true });
    this.opts.log(`post ${p.clientId} cancelled`);
    return ok({ parts: p.parts.slice(p.sentParts), accountId: p.accountId, media: p.sentParts === 0 ? media : [] });
  }

  async retry(clientId: string): Promise<Result<PostEntry>> {
    const p = this.find(clientId);
    if (!p) return err({ kind: 'invalidInput', detail: 'no such post' });
    if (p.state !== 'failed') return ok(view(p));
    p.state = 'scheduled';
    p.error = undefined;
    p.nextAttemptAt = undefined;
    p.attempts = 0;
    await this.save();
    this.kick();
    return ok(view(p));
  }

  private timeProblem(at: number | undefined, now: number): AppError | null {
    if (at !== undefined && at > now + SCHEDULE_MAX_AHEAD_MS) return { kind: 'invalidInput', detail: 'at most a year ahead' };
    return null;
  }

  private find(clientId: string): StoredPost | undefined {
    return this.posts.find((p) => p.clientId === clientId);
  }

  private mediaFile(clientId: string): string {
    return path.join(this.mediaDir, `${clientId}.json`);
  }

  private async media(p: StoredPost): Promise<MediaInput[]> {
    if (!p.mediaCount) return [];
    const list = await readJson<MediaInput[]>(this.mediaFile(p.clientId), []);
    return Array.isArray(list) ? list : [];
  }

  private prune(): void {
    const now = this.opts.now();
    this.posts = this.posts.filter((p) => p.state !== 'sent' || now - (p.sent?.at ?? p.at) < POST_KEEP_SENT_MS);
  }

  private async save(): Promise<void> {
    this.prune();
    await writeJson(this.file, this.posts);
    this.opts.changed();
  }

  /** Sends what is due, or sleeps until the next post is (a bounded sleep: the wall clock decides). */
  private kick(): void {
    if (!this.running) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = nextWake(this.posts);
    if (next === null) return;
    const delay = Math.max(0, Math.min(MAX_SLEEP_MS, next - this.opts.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, delay);
    this.timer.unref?.();
  }

  private drain(): void {
    if (!this.running || this.draining) return;
    this.again = false;
    this.draining = (async () => {
      // One post at a time, the earliest first; each post's parts in order.
      for (;;) {
        const due = duePosts(this.posts, this.opts.now());
        const p = due[0];
        if (!p || !this.running) break;
        try {
          await this.send(p);
        } catch (e) {
          // Not a platform answer (a full disk, a bug): the post waits and is tried again, never dropped.
          this.opts.log(`post ${p.clientId}: ${(e as Error).message}`);
          const wasSending = p.state === 'sending';
          Object.assign(p, afterPostAttempt(p, { kind: 'offline' }, this.opts.now()));
          // A part may have left before the failure: look on the platform before sending again.
          if (wasSending) p.state = 'unknown';
          await this.save().catch(() => undefined);
        }
      }
    })().finally(() => {
      this.draining = null;
      this.kick();
    });
  }

  private async send(p: StoredPost): Promise<void> {
    const { accounts, journal, now } = this.opts;
    const wait = async (error: AppError) => {
      Object.assign(p, afterPostAttempt(p, error, now()));
      await this.save();
    };
    const live = accounts.get(p.accountId);
    // The account was removed: the agent decides (another account, or discard).
    if (!live) return wait({ kind: 'unknownAccount' });
    if (live.remote) return wait({ kind: 'notAllowed' });
    if (live.state === 'reconnect' || !live.session) return wait({ kind: 'reconnectNeeded' });
    const ops = live.session.postOps?.() ?? null;
    if (!ops) return wait({ kind: 'permissionMissing' });
    const media = await this.media(p);
    p.state = 'sending';
    p.attempts += 1;
    await this.save();
    for (let i = p.sentParts; i < p.parts.length; i++) {
      const input = {
        clientId: p.partIds[i] as string,
        accountId: p.accountId,
        text: p.parts[i] as string,
        ...(i === 0 && media.length ? { media } : {}),
        ...(i > 0 && p.sentIds[i - 1] ? { replyTo: p.sentIds[i - 1] } : {}),
      };
      const { result, classified } = await sendOnce(journal, input, ops, now);
      if (!result.ok) {
        if (classified?.action === 'reconnect') accounts.needsReconnect(p.accountId, classified.error.kind);
        if (result.error.kind === 'offline') this.opts.offline();
        this.opts.log(`post ${p.clientId} part ${i + 1}: ${result.error.kind}`);
        return wait(result.error);
      }
      p.sentIds[i] = result.value.platformId;
      p.sentParts = i + 1;
      if (i === 0) p.sent = { platformId: result.value.platformId, ...(result.value.url ? { url: result.value.url } : {}), at: now() };
      await this.save();
    }
    p.state = 'sent';
    p.error = undefined;
    p.nextAttemptAt = undefined;
    await this.save();
    if (p.mediaCount) await rm(this.mediaFile(p.clientId), { force: true });
    this.opts.log(`post ${p.clientId} sent (${p.parts.length} part${p.parts.length === 1 ? '' : 's'})`);
  }
}

function view(p: StoredPost): PostEntry {
  return {
    clientId: p.clientId,
    accountId: p.accountId,
    platform: p.platform,
    parts: p.parts,
    mediaCount: p.mediaCount,
    mediaAlts: p.mediaAlts,
    at: p.at,
    scheduled: p.scheduled,
    createdAt: p.createdAt,
    ...(p.by ? { by: p.by } : {}),
    state: p.state,
    sentParts: p.sentParts,
    ...(p.nextAttemptAt !== undefined ? { nextAttemptAt: p.nextAttemptAt } : {}),
    attempts: p.attempts,
    ...(p.error ? { error: p.error } : {}),
    ...(p.sent ? { sent: p.sent } : {}),
  };
}
