import { z } from 'zod';
import { ChannelSchema, type Message } from './model.js';

/**
 * A column is a saved filter over the local store. Every part is optional and
 * the parts combine with AND; an empty list means "any". The text query is a
 * small language an agent types without reading a manual:
 *
 *   pakket zending          both words (each a word prefix: "pakket" finds "pakketje")
 *   "niet bezorgd"          the words in this order
 *   pakket OR zending       either (also `|`); binds tighter than the space
 *   -koers  -"aandeel"      not this word or phrase
 *
 * Case and diacritics never matter: "cafe" finds "Café", "CAFÉ" finds "cafe".
 */
export const MessageStatusSchema = z.enum(['open', 'done', 'archived']);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;
export const MESSAGE_STATUSES: readonly MessageStatus[] = MessageStatusSchema.options;

/** Who a message is assigned to, as a column asks it: the agent at this console, nobody, or a named colleague. */
export const AssigneeFilterSchema = z.union([z.enum(['mine', 'unassigned']), z.object({ name: z.string().min(1).max(100) })]);
export type AssigneeFilter = z.infer<typeof AssigneeFilterSchema>;

export const ColumnFilterSchema = z.object({
  channels: z.array(ChannelSchema).max(20).default([]),
  /** Our connected accounts (Message.accountId). */
  accounts: z.array(z.string().min(1).max(200)).max(50).default([]),
  /** The query language above; free text from a search saved as a column works as is. */
  text: z.string().max(2000).default(''),
  /** X handles (with or without @) or parts of a display name. */
  authors: z.array(z.string().min(1).max(200)).max(50).default([]),
  /** Language codes; "nl" also takes "nl-NL". */
  languages: z.array(z.string().min(1).max(20)).max(20).default([]),
  hasLink: z.boolean().optional(),
  hasMedia: z.boolean().optional(),
  minFollowers: z.number().int().nonnegative().optional(),
  statuses: z.array(MessageStatusSchema).max(3).default(['open']),
  /** Department tags (any of them). */
  tags: z.array(z.string().min(1).max(60)).max(20).default([]),
  assignee: AssigneeFilterSchema.optional(),
  /** A platform stream of its own (an X keyword search), when the message carries its id. */
  searchId: z.string().min(1).max(200).optional(),
});
export type ColumnFilter = z.infer<typeof ColumnFilterSchema>;
export type ColumnFilterInput = z.input<typeof ColumnFilterSchema>;

/** What the team did with a message, kept apart from the message so a re-sent batch never undoes it. */
export const MessageMarkSchema = z.object({
  key: z.string().min(1).max(300),
  status: MessageStatusSchema,
  tag: z.string().min(1).max(60).optional(),
  /** An agent's name. */
  assignee: z.string().min(1).max(100).optional(),
  /** Deleted from the local view: never shown, even when the host sends the message again. */
  hidden: z.boolean().optional(),
  at: z.number(),
});
export type MessageMark = z.infer<typeof MessageMarkSchema>;

/** Fields a message may gain (media, a search stream's id) that the filter reads when they are there. */
export type FilterableMessage = Message & { media?: readonly unknown[]; searchId?: string };

export interface FilterContext {
  /** The agent's name at this console, for "mine"; null when not set (then "mine" matches nothing). */
  me: string | null;
}

/** Case- and diacritics-insensitive form: NFKD, combining marks dropped, lower case, ß as ss. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/ß/g, 'ss');
}

const WORD = /[\p{L}\p{N}]+/gu;

function foldedWords(text: string): string[] {
  return [...foldText(text).matchAll(WORD)].map((m) => m[0]);
}

/** One term: its folded words in order. The last word is a prefix, the others whole words. */
type Term = readonly string[];

export interface ParsedQuery {
  /** Every group must match; a group matches when any of its terms does. */
  all: Term[][];
  /** No term may match. */
  none: Term[];
}

const TOKEN = /(-?)"([^"]*)"?|(\S+)/g;

export function parseQuery(query: string): ParsedQuery {
  const all: Term[][] = [];
  const none: Term[] = [];
  let joinNext = false;
  for (const m of query.matchAll(TOKEN)) {
    const [, minus, phrase, bare] = m;
    if (bare === 'OR' || bare === '|') {
      joinNext = all.length > 0;
      continue;
    }
    let negative = minus === '-';
    let raw = phrase ?? '';
    if (bare !== undefined) {
      negative = bare.startsWith('-') && bare.length > 1;
      raw = negative ? bare.slice(1) : bare;
    }
    const term = foldedWords(raw);
    if (term.length === 0) continue;
    if (negative) {
      none.push(term);
      joinNext = false;
      continue;
    }
    const last = all[all.length - 1];
    if (joinNext && last) last.push(term);
    else all.push([term]);
    joinNext = false;
  }
  return { all, none };
}

/** The folded words of a text joined by single spaces and framed by them, so a term is a substring search. */
function haystackOf(text: string): string {
  return ` ${foldedWords(text).join(' ')}`;
}

function termIn(haystack: string, term: Term): boolean {
  return haystack.includes(` ${term.join(' ')}`);
}

export function matchesQuery(text: string, q: ParsedQuery): boolean {
  if (q.all.length === 0 && q.none.length === 0) return true;
  const hay = haystackOf(text);
  return q.all.every((group) => group.some((t) => termIn(hay, t))) && !q.none.some((t) => termIn(hay, t));
}

const LINK = /\bhttps?:\/\/|\bwww\.[^\s.]/i;

export type Matcher = (m: FilterableMessage, mark: MessageMark | undefined) => boolean;

/**
 * Compiles a filter once (the query parsed, lists folded) into a predicate that
 * a column runs over each candidate message with its mark.
 */
export function compileFilter(filter: ColumnFilter, ctx: FilterContext): Matcher {
  const channels = filter.channels.length > 0 ? new Set<string>(filter.channels) : null;
  const accounts = filter.accounts.length > 0 ? new Set(filter.accounts) : null;
  const query = parseQuery(filter.text);
  const hasQuery = query.all.length > 0 || query.none.length > 0;
  const authors = filter.authors.map((a) => foldText(a.trim().replace(/^@/, ''))).filter((a) => a.length > 0);
  const languages = filter.languages.map((l) => l.trim().toLowerCase()).filter((l) => l.length > 0);
  const statuses = filter.statuses.length > 0 ? new Set<MessageStatus>(filter.statuses) : null;
  const tags = filter.tags.length > 0 ? new Set(filter.tags.map(foldText)) : null;
  const assignee = filter.assignee;
  const assigneeName = assignee === 'mine' ? (ctx.me === null ? null : foldText(ctx.me)) : typeof assignee === 'object' ? foldText(assignee.name) : null;

  return (m, mark) => {
    if (mark?.hidden) return false;
    if (channels && !channels.has(m.channel)) return false;
    if (accounts && !accounts.has(m.accountId)) return false;
    if (filter.searchId !== undefined && m.searchId !== filter.searchId) return false;
    if (statuses && !statuses.has(mark?.status ?? 'open')) return false;
    if (tags && (mark?.tag === undefined || !tags.has(foldText(mark.tag)))) return false;
    if (assignee === 'unassigned' && mark?.assignee !== undefined) return false;
    if (assignee !== undefined && assignee !== 'unassigned') {
      if (assigneeName === null || mark?.assignee === undefined || foldText(mark.assignee) !== assigneeName) return false;
    }
    if (filter.minFollowers !== undefined && (m.author.followers ?? 0) < filter.minFollowers) return false;
    if (languages.length > 0) {
      const lang = m.lang?.toLowerCase();
      if (!lang || !languages.some((l) => lang === l || lang.startsWith(`${l}-`))) return false;
    }
    if (authors.length > 0) {
      const handle = foldText(m.author.handle);
      const name = foldText(m.author.name);
      if (!authors.some((a) => handle === a || name.includes(a))) return false;
    }
    if (filter.hasLink && !LINK.test(m.text)) return false;
    if (filter.hasMedia && !(m.media && m.media.length > 0)) return false;
    if (hasQuery && !matchesQuery(m.text, query)) return false;
    return true;
  };
}

/** A message waits for an answer while it is open and not our own. */
export function isWaiting(m: Pick<Message, 'fromUs'>, mark: MessageMark | undefined): boolean {
  return !m.fromUs && (mark?.status ?? 'open') === 'open';
}
