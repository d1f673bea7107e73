import { z } from 'zod';
import { ChannelSchema, searchStream, SentimentSchema, type Message, type Sentiment } from './model.js';
import { fold } from './text/fold.js';

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
 * A word is found in the message's text and in its author's name and handle
 * (a phrase never runs from one into the next). Nothing typed ever becomes a
 * regular expression, and a match costs a small multiple of the text whatever
 * the query (see matchesQuery).
 *
 * This one language serves the board's columns, routing rules and the search
 * panel: the search index only narrows the candidates, matchesMessage decides,
 * so a search saved as a column finds exactly what the search found.
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
  /** How it sounds (the agent's override first, else the host's reading): any of them. */
  sentiments: z.array(SentimentSchema).max(3).default([]),
  hasLink: z.boolean().optional(),
  hasMedia: z.boolean().optional(),
  minFollowers: z.number().int().nonnegative().optional(),
  statuses: z.array(MessageStatusSchema).max(3).default(['open']),
  /** Department tags (any of them). */
  tags: z.array(z.string().min(1).max(60)).max(20).default([]),
  assignee: AssigneeFilterSchema.optional(),
  /** Only messages written from this moment on (epoch ms): an incident column starts where its storm did. */
  since: z.number().int().nonnegative().optional(),
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
  /** An agent's reading of how it sounds, over the host's (sarcasm is a human's call). */
  sentiment: SentimentSchema.optional(),
  at: z.number(),
});
export type MessageMark = z.infer<typeof MessageMarkSchema>;

/** How a message sounds: the agent's override when there is one, else the host's reading. */
export function sentimentOf(m: Pick<Message, 'sentiment'>, mark: Pick<MessageMark, 'sentiment'> | undefined): Sentiment | undefined {
  return mark?.sentiment ?? m.sentiment;
}

/** Fields a message may gain (media, a search stream's id) that the filter reads when they are there. */
export type FilterableMessage = Message & { media?: readonly unknown[]; searchId?: string };

export interface FilterContext {
  /** The agent's name at this console, for "mine"; null when not set (then "mine" matches nothing). */
  me: string | null;
}

/**
 * Case- and diacritics-insensitive form (NFKD, combining marks dropped, lower
 * case, ß as ss): the same folding as the search index, so a column and a search
 * mean the same by a word.
 */
export const foldText = fold;

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

/**
 * A filter reads the first 25,000 characters of a text (X's longest posts; a
 * Facebook comment or a DM is shorter), and at most twice that once folded:
 * a character can fold into many (ﷺ into 18), and a hostile text of them must
 * not cost more than a long ordinary one.
 */
export const MATCH_TEXT_MAX = 25_000;

const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** The folded words of a text joined by single spaces and framed by them, so a term is a substring search. */
function haystackOf(text: string): string {
  let folded = foldText(text.length > MATCH_TEXT_MAX ? text.slice(0, MATCH_TEXT_MAX) : text);
  if (folded.length > 2 * MATCH_TEXT_MAX) folded = folded.slice(0, 2 * MATCH_TEXT_MAX);
  // The same as joining foldedWords(), without an array of every word.
  return ` ${folded.replace(NOT_WORD, ' ').trim()}`;
}

/** A term as the substring it is in a haystack: ` w1 w2 … wk` (the last word open-ended, so a prefix). */
function needleOf(term: Term): string {
  return ` ${term.join(' ')}`;
}

/**
 * All of a query's terms found in one pass over a haystack (Aho-Corasick over
 * the needles), so the work per message grows with the text plus the query,
 * never with the text times the number of terms (a column of 500 ORed words
 * over a 100,000-character message). Built once per parsed query.
 */
class TermScanner {
  /** Transitions, keyed state * 0x10000 + UTF-16 code unit. */
  private readonly next = new Map<number, number>();
  private readonly fail: number[] = [0];
  /** The nearest state down the failure chain (itself excluded) where a needle ends, or -1. */
  private readonly out: number[] = [-1];
  /** Which terms end at each state. */
  private readonly ends: (number[] | undefined)[] = [undefined];
  /** Per state, the scan that last reported its chain of ends. */
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(needles: readonly string[]) {
    needles.forEach((needle, term) => {
      let s = 0;
      for (let i = 0; i < needle.length; i++) {
        const key = s * 0x10000 + needle.charCodeAt(i);
        let n = this.next.get(key);
        if (n === undefined) {
          n = this.fail.length;
          this.fail.push(0);
          this.out.push(-1);
          this.ends.push(undefined);
          this.next.set(key, n);
        }
        s = n;
      }
      (this.ends[s] ??= []).push(term);
    });
    // Failure links breadth first: children of each state in the order they were made.
    const children: [number, number][][] = this.fail.map(() => []);
    for (const [key, n] of this.next) children[Math.floor(key / 0x10000)]?.push([key % 0x10000, n]);
    const queue: number[] = [];
    for (const [, n] of children[0] ?? []) queue.push(n);
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi] as number;
      for (const [c, n] of children[s] ?? []) {
        let f = this.fail[s] as number;
        let to = this.next.get(f * 0x10000 + c);
        while (to === undefined && f !== 0) {
          f = this.fail[f] as number;
          to = this.next.get(f * 0x10000 + c);
        }
        const target = to ?? 0;
        this.fail[n] = target;
        this.out[n] = this.ends[target] ? target : (this.out[target] as number);
        queue.push(n);
      }
    }
    this.seen = new Uint32Array(this.fail.length);
  }

  /**
   * Calls `found` once for each term in `hay`. Returns the steps taken: at most
   * twice the haystack's length (each failure step undoes an earlier forward
   * one) plus the number of states where a needle ends (each reported once).
   */
  scan(hay: string, found: (term: number) => void): number {
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    let steps = 0;
    let s = 0;
    for (let i = 0; i < hay.length; i++) {
      const c = hay.charCodeAt(i);
      let n = this.next.get(s * 0x10000 + c);
      steps++;
      while (n === undefined && s !== 0) {
        s = this.fail[s] as number;
        n = this.next.get(s * 0x10000 + c);
        steps++;
      }
      s = n ?? 0;
      // Each state's chain of ends is walked once per scan: below a state seen before, all was reported.
      for (let o = this.ends[s] ? s : (this.out[s] as number); o !== -1 && this.seen[o] !== stamp; o = this.out[o] as number) {
        this.seen[o] = stamp;
        for (const t of this.ends[o] ?? []) found(t);
        steps++;
      }
    }
    return steps;
  }
}

/**
 * Up to this many distinct terms each is looked up on its own (String#includes,
 * linear in the haystack, faster than the scanner for a handful); more go
 * through one TermScanner pass. Either way a match costs at most a small
 * constant times the haystack.
 */
const DIRECT_TERMS = 8;

interface CompiledQuery {
  needles: string[];
  scanner: TermScanner | null;
  /** Each group of `all` as term numbers. */
  groups: number[][];
  none: number[];
  hits: Uint8Array;
}

const compiled = new WeakMap<ParsedQuery, CompiledQuery>();

function compileQuery(q: ParsedQuery): CompiledQuery {
  let c = compiled.get(q);
  if (c) return c;
  const needles: string[] = [];
  const index = new Map<string, number>();
  const numberOf = (t: Term) => {
    const needle = needleOf(t);
    let n = index.get(needle);
    if (n === undefined) {
      n = needles.length;
      needles.push(needle);
      index.set(needle, n);
    }
    return n;
  };
  const groups = q.all.map((g) => g.map(numberOf));
  const none = q.none.map(numberOf);
  c = { needles, scanner: needles.length > DIRECT_TERMS ? new TermScanner(needles) : null, groups, none, hits: new Uint8Array(needles.length) };
  compiled.set(q, c);
  return c;
}

/** What query matches cost, for tests that hold it to a bound. */
export interface MatchWork {
  /** Characters of the folded haystacks. */
  chars: number;
  /** Haystack characters looked at: by each direct lookup (counted as the whole haystack), or scanner steps (see TermScanner.scan). */
  steps: number;
}

/** Whether a query has anything to look for (an empty one takes everything). */
export function isEmptyQuery(q: ParsedQuery): boolean {
  return q.all.length === 0 && q.none.length === 0;
}

/** Every folded word a query looks for (not those it excludes), once each, for highlighting a hit. */
export function queryWords(q: ParsedQuery): string[] {
  return [...new Set(q.all.flat(2))];
}

/**
 * Whether a text matches a parsed query. The work is linear: folding the text,
 * then at most DIRECT_TERMS lookups or one scan for all terms together (`work`
 * adds up what it took).
 */
export function matchesQuery(text: string, q: ParsedQuery, work?: MatchWork): boolean {
  if (isEmptyQuery(q)) return true;
  return matchesHaystack(haystackOf(text), q, work);
}

/** What a query reads of a message. */
export interface QueryTarget {
  text: string;
  author: { name: string; handle: string };
}

/**
 * Whether a message matches a parsed query: its text, its author's name and
 * handle. The three are one haystack with a line break between them, which no
 * needle holds, so a phrase matches within one of them only.
 */
export function matchesMessage(m: QueryTarget, q: ParsedQuery, work?: MatchWork): boolean {
  if (isEmptyQuery(q)) return true;
  return matchesHaystack(`${haystackOf(m.text)}\n${haystackOf(m.author.name)}\n${haystackOf(m.author.handle)}`, q, work);
}

function matchesHaystack(hay: string, q: ParsedQuery, work?: MatchWork): boolean {
  const c = compileQuery(q);
  let steps = 0;
  let has: (t: number) => boolean;
  if (c.scanner) {
    c.hits.fill(0);
    steps = c.scanner.scan(hay, (t) => {
      c.hits[t] = 1;
    });
    has = (t) => c.hits[t] === 1;
  } else {
    // Each term looked up at most once, and only while the answer still depends on it.
    c.hits.fill(2);
    has = (t) => {
      if (c.hits[t] === 2) {
        c.hits[t] = hay.includes(c.needles[t] as string) ? 1 : 0;
        steps += hay.length;
      }
      return c.hits[t] === 1;
    };
  }
  const ok = c.groups.every((g) => g.some(has)) && !c.none.some(has);
  if (work) {
    work.chars += hay.length;
    work.steps += steps;
  }
  return ok;
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
  const hasQuery = !isEmptyQuery(query);
  const authors = filter.authors.map((a) => foldText(a.trim().replace(/^@/, ''))).filter((a) => a.length > 0);
  const languages = filter.languages.map((l) => l.trim().toLowerCase()).filter((l) => l.length > 0);
  const statuses = filter.statuses.length > 0 ? new Set<MessageStatus>(filter.statuses) : null;
  const sentiments = filter.sentiments.length > 0 ? new Set<Sentiment>(filter.sentiments) : null;
  const tags = filter.tags.length > 0 ? new Set(filter.tags.map(foldText)) : null;
  const assignee = filter.assignee;
  const assigneeName = assignee === 'mine' ? (ctx.me === null ? null : foldText(ctx.me)) : typeof assignee === 'object' ? foldText(assignee.name) : null;

  return (m, mark) => {
    if (mark?.hidden) return false;
    if (channels && !channels.has(m.channel)) return false;
    if (accounts && !accounts.has(m.accountId)) return false;
    // A post two saved searches found is stored once, under the first search's id: `foundBy` names every stream.
    if (filter.searchId !== undefined && m.searchId !== filter.searchId && !m.foundBy?.includes(searchStream(filter.searchId))) return false;
    if (statuses && !statuses.has(mark?.status ?? 'open')) return false;
    if (tags && (mark?.tag === undefined || !tags.has(foldText(mark.tag)))) return false;
    if (assignee === 'unassigned' && mark?.assignee !== undefined) return false;
    if (assignee !== undefined && assignee !== 'unassigned') {
      if (assigneeName === null || mark?.assignee === undefined || foldText(mark.assignee) !== assigneeName) return false;
    }
    if (sentiments) {
      const s = sentimentOf(m, mark);
      if (s === undefined || !sentiments.has(s)) return false;
    }
    if (filter.since !== undefined && m.createdAt < filter.since) return false;
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
    if (hasQuery && !matchesMessage(m, query)) return false;
    return true;
  };
}

/** Whether a message waits for an answer: one definition, with what answers it, in shared/conversation.ts. */
export { isWaiting } from './conversation.js';
