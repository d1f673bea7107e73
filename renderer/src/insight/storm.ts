import { sentimentOf } from '../../../shared/filter.js';
import type { Message } from '../../../shared/model.js';
import { stormVerdict, stormWindows, topWords, type StormRule, type StormVerdict } from '../../../shared/storm.js';
import type { WebcareDb } from '../db/db';

export interface AccountStorm {
  accountId: string;
  verdict: StormVerdict;
  /** Where the window began: the incident column shows the negative messages from here. */
  from: number;
  /** What the negative messages of the window share most. */
  words: { word: string; count: number }[];
}

/** At most this many messages of one window are read (a storm of more says so all the same). */
const WINDOW_MAX = 20_000;
/** The words come from at most this many of the window's negative messages, the newest. */
const WORDS_SAMPLE = 400;

/**
 * The customers' negative messages of one window by account: the console's
 * reading, unless an agent read one otherwise (an agent who reads a neutral
 * one as negative is not counted here; reports count it). Read record by
 * record (a cursor), so a window of thousands during a burst is many short
 * tasks between frames, not one long one; marks only for the negative ones.
 */
async function negativesIn(db: WebcareDb, from: number, to: number): Promise<Map<string, Message[]>> {
  const candidates: Message[] = [];
  let seen = 0;
  await db.messages
    .where('createdAt')
    .between(from, to, true, false)
    .until(() => ++seen > WINDOW_MAX)
    .each((m) => {
      if (!m.fromUs && m.sentiment === 'negative') candidates.push(m);
    });
  const marks = candidates.length ? await db.marks.bulkGet(candidates.map((m) => m.key)) : [];
  const byAccount = new Map<string, Message[]>();
  candidates.forEach((m, i) => {
    const mark = marks[i];
    if (mark?.hidden || sentimentOf(m, mark) !== 'negative') return;
    const list = byAccount.get(m.accountId);
    if (list) list.push(m);
    else byAccount.set(m.accountId, [m]);
  });
  return byAccount;
}

/**
 * Counts, per account, the customers' negative messages in the storm rule's
 * window and in the same window of each earlier day the store has history for,
 * and judges each account (shared/storm.ts). A window with fewer messages in
 * all than the rule's minimum (an index count, nothing read) cannot hold a
 * storm: then nothing more is read. Every window is one range of the createdAt
 * index: a 28-day baseline reads 29 short ranges, not the history.
 */
export async function readStorms(db: WebcareDb, now: number, rule: StormRule): Promise<AccountStorm[]> {
  const first = await db.messages.orderBy('createdAt').first();
  if (!first) return [];
  const windows = stormWindows(now, rule, first.createdAt);
  const [head, ...rest] = windows;
  if (!head) return [];
  if ((await db.messages.where('createdAt').between(head.from, head.to, true, false).count()) < rule.minCount) return [];
  const current = await negativesIn(db, head.from, head.to);
  if (current.size === 0) return [];
  const earlier: Array<Map<string, Message[]>> = [];
  for (const w of rest) earlier.push(await negativesIn(db, w.from, w.to));
  const out: AccountStorm[] = [];
  for (const [accountId, messages] of current) {
    const verdict = stormVerdict(
      messages.length,
      earlier.map((w) => w.get(accountId)?.length ?? 0),
      rule,
    );
    const sample = verdict.storm ? messages.slice(-WORDS_SAMPLE).map((m) => m.text) : [];
    out.push({ accountId, verdict, from: head.from, words: verdict.storm ? topWords(sample) : [] });
  }
  return out.sort((a, b) => b.verdict.count - a.verdict.count);
}
