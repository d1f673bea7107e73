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

/**
 * Counts, per account, the customers' negative messages (the agent's reading over
 * the console's, hidden ones left out) in the storm rule's window and in the same
 * window of each earlier day the store has history for, and judges each account
 * (shared/storm.ts). Every window is one range of the createdAt index: a
 * 28-day baseline reads 29 short ranges, not the history.
 */
export async function readStorms(db: WebcareDb, now: number, rule: StormRule): Promise<AccountStorm[]> {
  const first = await db.messages.orderBy('createdAt').first();
  if (!first) return [];
  const windows = stormWindows(now, rule, first.createdAt);
  const perWindow: Array<Map<string, Message[]>> = [];
  for (const w of windows) {
    const rows = await db.messages.where('createdAt').between(w.from, w.to, true, false).limit(WINDOW_MAX).toArray();
    const theirs = rows.filter((m) => !m.fromUs);
    const marks = await db.marks.bulkGet(theirs.map((m) => m.key));
    const byAccount = new Map<string, Message[]>();
    theirs.forEach((m, i) => {
      const mark = marks[i];
      if (mark?.hidden || sentimentOf(m, mark) !== 'negative') return;
      const list = byAccount.get(m.accountId);
      if (list) list.push(m);
      else byAccount.set(m.accountId, [m]);
    });
    perWindow.push(byAccount);
  }
  const [current, ...earlier] = perWindow;
  const out: AccountStorm[] = [];
  for (const [accountId, messages] of current ?? []) {
    const verdict = stormVerdict(
      messages.length,
      earlier.map((w) => w.get(accountId)?.length ?? 0),
      rule,
    );
    out.push({ accountId, verdict, from: windows[0]!.from, words: verdict.storm ? topWords(messages.map((m) => m.text)) : [] });
  }
  return out.sort((a, b) => b.verdict.count - a.verdict.count);
}
