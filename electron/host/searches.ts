import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { err, ok, type Result } from '../../shared/contract.js';
import type { SavedSearch } from '../../shared/model.js';
import type { Accounts } from './accounts.js';
import type { Delivery } from './delivery.js';
import { readJson, writeJson } from './jsonFile.js';

/** An account's saved searches: at most this many, each one a stream with its own cursor. */
export const SEARCHES_PER_ACCOUNT = 20;

export function searchStreamId(s: Pick<SavedSearch, 'accountId' | 'id'>): string {
  return `${s.accountId}/search/${s.id}`;
}

/** Saved keyword searches (searches.json), each polled as a stream of its own. */
export class SavedSearches {
  private list: SavedSearch[] = [];
  private accounts!: Accounts;
  private delivery!: Delivery;

  constructor(
    private readonly dataDir: string,
    private readonly now: () => number,
    private readonly changed: () => void,
  ) {}

  /** The accounts and delivery exist after the searches (an account's streams include its searches). */
  wire(accounts: Accounts, delivery: Delivery): void {
    this.accounts = accounts;
    this.delivery = delivery;
  }

  private get file(): string {
    return path.join(this.dataDir, 'searches.json');
  }

  async load(): Promise<void> {
    this.list = await readJson<SavedSearch[]>(this.file, []);
  }

  all(): SavedSearch[] {
    return this.list.map((s) => ({ ...s }));
  }

  of(accountId: string): SavedSearch[] {
    return this.list.filter((s) => s.accountId === accountId);
  }

  /** Forgets the searches of accounts that are gone (saved only if something changed). */
  async dropAccounts(accountIds: readonly string[]): Promise<void> {
    const kept = this.list.filter((s) => !accountIds.includes(s.accountId));
    if (kept.length === this.list.length) return;
    this.list = kept;
    await writeJson(this.file, this.list);
  }

  /** Filters without saving: for sandbox accounts of an earlier sandbox process, at start. */
  forget(accountIds: readonly string[]): void {
    this.list = this.list.filter((s) => !accountIds.includes(s.accountId));
  }

  async save(i: { accountId: string; id?: string; query: string; name?: string }): Promise<Result<SavedSearch>> {
    const live = this.accounts.get(i.accountId);
    if (!live) return err({ kind: 'unknownAccount' });
    if (live.record.platform !== 'x') return err({ kind: 'notAllowed' });
    const before = i.id ? this.list.find((s) => s.id === i.id) : undefined;
    if (i.id && (!before || before.accountId !== i.accountId)) return err({ kind: 'invalidInput', detail: 'no such search' });
    if (!before && this.of(i.accountId).length >= SEARCHES_PER_ACCOUNT) return err({ kind: 'invalidInput', detail: `at most ${SEARCHES_PER_ACCOUNT} searches per account` });
    const search: SavedSearch = {
      id: before?.id ?? randomUUID(),
      accountId: i.accountId,
      query: i.query,
      name: (i.name ?? '').trim() || i.query.slice(0, 100),
      createdAt: before?.createdAt ?? this.now(),
    };
    const streamId = searchStreamId(search);
    if (before) {
      await this.accounts.removeStream(streamId);
      // Another query is another stream: it starts from its own first page.
      if (before.query !== search.query) await this.delivery.dropCursor(streamId);
    }
    this.list = [...this.list.filter((s) => s.id !== search.id), search];
    await writeJson(this.file, this.list);
    if (this.accounts.addSearchStream(i.accountId, search)) this.accounts.startStream(streamId);
    this.changed();
    return ok(search);
  }

  async remove(id: string): Promise<Result<Record<string, never>>> {
    const search = this.list.find((s) => s.id === id);
    if (!search) return err({ kind: 'invalidInput', detail: 'no such search' });
    const streamId = searchStreamId(search);
    await this.accounts.removeStream(streamId);
    await this.delivery.dropCursor(streamId);
    this.list = this.list.filter((s) => s.id !== id);
    await writeJson(this.file, this.list);
    this.changed();
    return ok({});
  }
}
