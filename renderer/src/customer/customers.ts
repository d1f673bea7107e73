import { platformOf, type Channel, type Message, type Platform } from '../../../shared/model.js';
import { stripBidiControls } from '../../../shared/text/bidi.js';
import type { CustomerRecord, WebcareDb } from '../db/db';
import { identityOf, messageKeyOfSearchKey } from '../search/searchIndex';

/**
 * A customer is the team's own knowledge that an X handle and a Facebook name
 * are one person: a local `customers` record listing identities
 * (`${platform}:${authorId}`). Linking and unlinking are pure changes to the
 * records involved, so every change can be undone by putting back the
 * records as they were.
 */
export interface CustomerChange {
  put: CustomerRecord[];
  delete: string[];
}

/** Links identity `b` to `a`'s customer: a new customer, an addition, or two customers merged into `a`'s. */
export function linkChange(records: readonly CustomerRecord[], a: string, b: string, newId: string): CustomerChange {
  const ca = records.find((r) => r.identities.includes(a));
  const cb = records.find((r) => r.identities.includes(b));
  if (a === b || (ca && ca === cb)) return { put: [], delete: [] };
  if (ca && cb) return { put: [{ ...ca, identities: union(ca.identities, cb.identities) }], delete: [cb.id] };
  if (ca) return { put: [{ ...ca, identities: union(ca.identities, [b]) }], delete: [] };
  if (cb) return { put: [{ ...cb, identities: union([a], cb.identities) }], delete: [] };
  return { put: [{ id: newId, identities: [a, b] }], delete: [] };
}

/** Takes identity `x` out of its customer; a customer of one identity is no customer at all. */
export function unlinkChange(records: readonly CustomerRecord[], x: string): CustomerChange {
  const c = records.find((r) => r.identities.includes(x));
  if (!c) return { put: [], delete: [] };
  const rest = c.identities.filter((i) => i !== x);
  return rest.length >= 2 ? { put: [{ ...c, identities: rest }], delete: [] } : { put: [], delete: [c.id] };
}

/** Links every identity in `others` to `a`'s customer, as one change (one undo). */
export function linkAllChange(records: readonly CustomerRecord[], a: string, others: readonly string[], newId: string): CustomerChange {
  let current = [...records];
  const put = new Map<string, CustomerRecord>();
  const deleted = new Set<string>();
  for (const b of others) {
    const c = linkChange(current, a, b, newId);
    for (const id of c.delete) {
      deleted.add(id);
      put.delete(id);
    }
    for (const r of c.put) put.set(r.id, r);
    const touched = new Set([...c.delete, ...c.put.map((r) => r.id)]);
    current = [...current.filter((r) => !touched.has(r.id)), ...c.put];
  }
  return { put: [...put.values()], delete: [...deleted].filter((id) => !put.has(id) && records.some((r) => r.id === id)) };
}

/** Takes every identity in `xs` out of its customer, as one change (one undo). */
export function unlinkAllChange(records: readonly CustomerRecord[], xs: readonly string[]): CustomerChange {
  let current = [...records];
  const put = new Map<string, CustomerRecord>();
  const deleted = new Set<string>();
  for (const x of xs) {
    const c = unlinkChange(current, x);
    for (const id of c.delete) {
      deleted.add(id);
      put.delete(id);
    }
    for (const r of c.put) put.set(r.id, r);
    const touched = new Set([...c.delete, ...c.put.map((r) => r.id)]);
    current = [...current.filter((r) => !touched.has(r.id)), ...c.put];
  }
  return { put: [...put.values()], delete: [...deleted].filter((id) => !put.has(id)) };
}

/**
 * One person as the agent sees them, for linking. On X the handle tells people
 * apart, so each X account is its own row. On Facebook a person has no handle,
 * only a name, and a Page sees them by a Page-scoped id, so the same person
 * writing to two of the team's Pages has two ids: every id a name has among the
 * results is that name's one row, linked (and unlinked) together, rather than
 * the same name listed twice with nothing to tell the rows apart. The row says
 * where they wrote, and linking can be undone.
 */
export interface Person {
  key: string;
  platform: Platform;
  name: string;
  handle: string;
  identities: string[];
  /** The channels they wrote on (comments, Messenger…), newest first. */
  channels: Channel[];
}

function nameKey(name: string): string {
  return stripBidiControls(name).normalize('NFKC').replace(/\s+/g, ' ').trim().toLocaleLowerCase();
}

export function personKey(platform: Platform, identity: string, name: string): string {
  const folded = nameKey(name);
  return platform === 'facebook' && folded !== '' ? `facebook~${folded}` : identity;
}

/** The people behind these messages (newest first), one row each, leaving out `exclude`d identities and our own messages. */
export function peopleOf(messages: readonly Message[], exclude: ReadonlySet<string>, limit = 8): Person[] {
  const byKey = new Map<string, Person>();
  for (const m of messages) {
    if (m.fromUs) continue;
    const identity = identityOf(m);
    if (exclude.has(identity)) continue;
    const platform = platformOf(m.channel);
    const key = personKey(platform, identity, m.author.name);
    let p = byKey.get(key);
    if (!p) {
      if (byKey.size >= limit) continue;
      byKey.set(key, (p = { key, platform, name: m.author.name, handle: m.author.handle, identities: [], channels: [] }));
    }
    if (!p.identities.includes(identity)) p.identities.push(identity);
    if (!p.channels.includes(m.channel)) p.channels.push(m.channel);
  }
  return [...byKey.values()];
}

/** A customer's linked identities as rows: one per person as in `peopleOf`, in the order the identities were linked. */
export function groupIdentities(labels: ReadonlyArray<{ identity: string; name: string; handle: string }>): Array<{ key: string; platform: Platform; name: string; handle: string; identities: string[] }> {
  const rows = new Map<string, { key: string; platform: Platform; name: string; handle: string; identities: string[] }>();
  for (const l of labels) {
    const platform: Platform = l.identity.startsWith('x:') ? 'x' : 'facebook';
    const key = personKey(platform, l.identity, l.name);
    const row = rows.get(key);
    if (row) row.identities.push(l.identity);
    else rows.set(key, { key, platform, name: l.name, handle: l.handle, identities: [l.identity] });
  }
  return [...rows.values()];
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** Applies a change and answers the change that undoes it. */
export async function applyCustomerChange(db: WebcareDb, change: CustomerChange): Promise<CustomerChange> {
  return db.transaction('rw', db.customers, async () => {
    const ids = [...change.put.map((r) => r.id), ...change.delete];
    const before = await db.customers.bulkGet(ids);
    const undo: CustomerChange = { put: [], delete: [] };
    ids.forEach((id, i) => {
      const prev = before[i];
      if (prev) undo.put.push(prev);
      else undo.delete.push(id);
    });
    if (change.delete.length > 0) await db.customers.bulkDelete(change.delete);
    if (change.put.length > 0) await db.customers.bulkPut(change.put);
    return undo;
  });
}

/** Every customer record that holds one of these identities. */
export function customersOf(db: WebcareDb, identities: readonly string[]): Promise<CustomerRecord[]> {
  return db.customers.where('identities').anyOf([...identities]).distinct().toArray();
}

export interface EarlierConversation {
  /** `${channel}:${conversationId}` */
  id: string;
  /** The newest message of this person in it: what opens. */
  latest: Message;
  count: number;
}

/** At most this many of a person's messages are read for their history; the newest come first. */
export const HISTORY_LIMIT = 300;

/**
 * Every conversation in the cache with any of these identities, newest first,
 * except `exceptThread`. Read through the search index's author field (newest
 * first by key), not by scanning messages.
 */
export async function earlierConversations(
  db: WebcareDb,
  identities: readonly string[],
  exceptThread: string,
): Promise<{ conversations: EarlierConversation[]; truncated: boolean }> {
  // One read per identity: each comes newest first, so each limit keeps that person's newest.
  const lists = await Promise.all(identities.map((who) => db.searchIndex.where('who').equals(who).limit(HISTORY_LIMIT + 1).primaryKeys()));
  const sks = lists.flat().sort();
  const truncated = sks.length > HISTORY_LIMIT;
  const messages = await db.messages.bulkGet(sks.slice(0, HISTORY_LIMIT).map(messageKeyOfSearchKey));
  const byThread = new Map<string, EarlierConversation>();
  for (const m of messages) {
    if (!m) continue;
    const id = `${m.channel}:${m.conversationId}`;
    if (id === exceptThread) continue;
    const c = byThread.get(id);
    if (c) c.count++;
    else byThread.set(id, { id, latest: m, count: 1 });
  }
  return { conversations: [...byThread.values()], truncated };
}

export { identityOf };
