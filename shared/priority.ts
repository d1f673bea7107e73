import { z } from 'zod';
import type { Message, Sentiment } from './model.js';
import { fold } from './text/fold.js';

/**
 * Which messages to answer first, and why. A message is high when enough of
 * these hold: the author is on the team's VIP list (3), it uses a word the team
 * marked urgent (2), it reads negative (2), the author reaches many people
 * (followers at or above the team's bound, 1) or is verified (1). Three points
 * make it high; a positive message with none of them is low (thanks can wait).
 * The reasons are kept, so a card can say why. How long it has waited is the
 * response target's clock, shown beside it (shared/sla.ts), not mixed in here.
 */
export const PriorityListsSchema = z.object({
  /** X handles (with or without @) or names, as the team writes them. */
  vip: z.array(z.string().min(1).max(200)).max(5000).default([]),
  /** Words or word starts ("opzeg" finds "opzeggen"). */
  urgent: z.array(z.string().min(1).max(60)).max(200).default([]),
  /** Followers from which an author counts as reaching many. */
  reach: z.number().int().min(0).max(1_000_000_000).default(10_000),
});
export type PriorityLists = z.infer<typeof PriorityListsSchema>;
export const DEFAULT_PRIORITY_LISTS: PriorityLists = PriorityListsSchema.parse({});

export type PriorityReason = 'vip' | 'urgent' | 'negative' | 'reach' | 'verified';
export type PriorityLevel = 'high' | 'normal' | 'low';
export const PRIORITY_WEIGHTS: Readonly<Record<PriorityReason, number>> = { vip: 3, urgent: 2, negative: 2, reach: 1, verified: 1 };
export const HIGH_FROM = 3;

export interface MessagePriority {
  level: PriorityLevel;
  score: number;
  reasons: PriorityReason[];
  /** The urgent word found, for "why". */
  word?: string;
}

/** The lists compiled once (folded), for many messages. */
export interface CompiledLists {
  vip: ReadonlySet<string>;
  urgent: readonly string[];
  reach: number;
}

export function compileLists(lists: PriorityLists): CompiledLists {
  return {
    vip: new Set(lists.vip.map((v) => fold(v.trim().replace(/^@/, ''))).filter((v) => v !== '')),
    urgent: lists.urgent.map((u) => fold(u.trim())).filter((u) => u.length >= 2),
    reach: lists.reach,
  };
}

const WORD = /[\p{L}\p{N}]+/gu;

export function priorityOf(m: Pick<Message, 'author' | 'text' | 'fromUs'>, sentiment: Sentiment | undefined, lists: CompiledLists): MessagePriority {
  if (m.fromUs) return { level: 'normal', score: 0, reasons: [] };
  const reasons: PriorityReason[] = [];
  let word: string | undefined;
  if (lists.vip.size > 0 && ((m.author.handle && lists.vip.has(fold(m.author.handle))) || lists.vip.has(fold(m.author.name.trim())))) reasons.push('vip');
  if (lists.urgent.length > 0) {
    for (const w of fold(m.text).match(WORD) ?? []) {
      const hit = lists.urgent.find((u) => w.startsWith(u));
      if (hit) {
        word = w;
        reasons.push('urgent');
        break;
      }
    }
  }
  if (sentiment === 'negative') reasons.push('negative');
  if (m.author.followers !== undefined && lists.reach > 0 && m.author.followers >= lists.reach) reasons.push('reach');
  if (m.author.verified) reasons.push('verified');
  const score = reasons.reduce((n, r) => n + PRIORITY_WEIGHTS[r], 0);
  const level: PriorityLevel = score >= HIGH_FROM ? 'high' : score === 0 && sentiment === 'positive' ? 'low' : 'normal';
  return word === undefined ? { level, score, reasons } : { level, score, reasons, word };
}
