import type { Tweet, World } from './world.js';

/**
 * The subset of X's search syntax the console uses (operators.mdx): keywords
 * (AND by space), OR, "exact phrases", -negation, ( ) grouping, @user, #tag,
 * $cashtag, from:, to:, lang:, conversation_id:, in_reply_to_tweet_id:,
 * is:retweet|reply|quote|verified, has:links|mentions|hashtags|media.
 */
type Node =
  | { k: 'and'; items: Node[] }
  | { k: 'or'; items: Node[] }
  | { k: 'not'; item: Node }
  | { k: 'word'; re: RegExp }
  | { k: 'op'; name: string; value: string };

export class QueryError extends Error {}

const OPERATORS = new Set(['from', 'to', 'lang', 'conversation_id', 'in_reply_to_tweet_id', 'is', 'has', 'url']);
/** Operators X refuses on their own: a query needs at least one standalone term. */
const CONJUNCTION_ONLY = new Set(['is', 'has', 'lang']);

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function wordRe(term: string): RegExp {
  // Keywords match whole tokens, not substrings (X tokenises text).
  const body = escapeRe(term.normalize('NFC')).replace(/\s+/g, '\\s+');
  return new RegExp(`(?:^|[^\\p{L}\\p{N}_])${body}(?=$|[^\\p{L}\\p{N}_])`, 'iu');
}

type Tok = { t: 'lp' | 'rp' | 'or' } | { t: 'term'; neg: boolean; phrase: boolean; value: string };

function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      out.push({ t: 'lp' });
      i++;
      continue;
    }
    if (c === ')') {
      out.push({ t: 'rp' });
      i++;
      continue;
    }
    let neg = false;
    if (c === '-' && i + 1 < q.length && !/\s/.test(q[i + 1] as string)) {
      neg = true;
      i++;
    }
    if (q[i] === '"') {
      const end = q.indexOf('"', i + 1);
      if (end < 0) throw new QueryError('There were errors processing your request: unterminated quoted phrase');
      out.push({ t: 'term', neg, phrase: true, value: q.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (neg && q[i] === '(') {
      // -( ... ): negated group; represented as a negative marker before the group.
      out.push({ t: 'term', neg: true, phrase: false, value: '\u0000group' });
      continue;
    }
    let j = i;
    while (j < q.length && !/[\s()]/.test(q[j] as string)) j++;
    const value = q.slice(i, j);
    i = j;
    if (!neg && value === 'OR') out.push({ t: 'or' });
    else out.push({ t: 'term', neg, phrase: false, value });
  }
  return out;
}

class Parser {
  private i = 0;
  standalone = 0;

  constructor(private readonly toks: Tok[]) {}

  parse(): Node {
    const n = this.or();
    if (this.i < this.toks.length) throw new QueryError('There were errors processing your request: unbalanced parentheses');
    return n;
  }

  private or(): Node {
    const items = [this.and()];
    while (this.toks[this.i]?.t === 'or') {
      this.i++;
      items.push(this.and());
    }
    return items.length === 1 ? (items[0] as Node) : { k: 'or', items };
  }

  private and(): Node {
    const items: Node[] = [];
    for (;;) {
      const tok = this.toks[this.i];
      if (!tok || tok.t === 'or' || tok.t === 'rp') break;
      items.push(this.unary());
    }
    if (items.length === 0) throw new QueryError('There were errors processing your request: empty clause');
    return items.length === 1 ? (items[0] as Node) : { k: 'and', items };
  }

  private unary(): Node {
    const tok = this.toks[this.i] as Tok;
    if (tok.t === 'term' && tok.value === '\u0000group') {
      this.i++;
      return { k: 'not', item: this.group() };
    }
    if (tok.t === 'lp') return this.group();
    if (tok.t !== 'term') throw new QueryError('There were errors processing your request: unexpected token');
    this.i++;
    const node = this.term(tok.value, tok.phrase, tok.neg);
    return tok.neg ? { k: 'not', item: node } : node;
  }

  private group(): Node {
    if (this.toks[this.i]?.t !== 'lp') throw new QueryError('There were errors processing your request: expected (');
    this.i++;
    const n = this.or();
    if (this.toks[this.i]?.t !== 'rp') throw new QueryError('There were errors processing your request: unbalanced parentheses');
    this.i++;
    return n;
  }

  private term(value: string, phrase: boolean, neg: boolean): Node {
    if (!phrase) {
      const m = /^([a-z_]+):(.+)$/i.exec(value);
      if (m && OPERATORS.has((m[1] as string).toLowerCase())) {
        const name = (m[1] as string).toLowerCase();
        if (!neg && !CONJUNCTION_ONLY.has(name)) this.standalone++;
        return { k: 'op', name, value: (m[2] as string).replace(/^"|"$/g, '') };
      }
    }
    if (!neg) this.standalone++;
    // @user matches the post's mention entities, as X's operator does, not the characters in the text.
    if (!phrase && /^@\w{1,15}$/.test(value)) return { k: 'op', name: 'mention', value: value.slice(1) };
    return { k: 'word', re: wordRe(value) };
  }
}

export function parseQuery(q: string): Node {
  const p = new Parser(tokenize(q));
  const node = p.parse();
  if (p.standalone === 0) throw new QueryError('There were errors processing your request: Reference to invalid operator. Operators like is:, has: and lang: cannot be used alone or only negated');
  return node;
}

export function matches(node: Node, t: Tweet, world: World): boolean {
  switch (node.k) {
    case 'and':
      return node.items.every((n) => matches(n, t, world));
    case 'or':
      return node.items.some((n) => matches(n, t, world));
    case 'not':
      return !matches(node.item, t, world);
    case 'word':
      return node.re.test(t.text.normalize('NFC'));
    case 'op': {
      const v = node.value.toLowerCase();
      switch (node.name) {
        case 'from':
          return world.xUsers.get(t.authorId)?.username.toLowerCase() === v.replace(/^@/, '') || t.authorId === v;
        case 'to': {
          const u = t.inReplyToUserId ? world.xUsers.get(t.inReplyToUserId) : undefined;
          return !!u && (u.username.toLowerCase() === v.replace(/^@/, '') || u.id === v);
        }
        case 'lang':
          return t.lang.toLowerCase() === v;
        case 'mention':
          return (t.entities?.mentions ?? []).some((m) => m.username.toLowerCase() === v);
        case 'conversation_id':
          return t.conversationId === node.value;
        case 'in_reply_to_tweet_id':
          return t.refs?.some((r) => r.type === 'replied_to' && r.id === node.value) ?? false;
        case 'url':
          return (t.entities?.urls ?? []).some((u) => u.expanded_url.toLowerCase().includes(v) || u.url.toLowerCase().includes(v));
        case 'is':
          if (v === 'retweet') return false;
          if (v === 'reply') return t.refs?.some((r) => r.type === 'replied_to') ?? false;
          if (v === 'quote') return t.refs?.some((r) => r.type === 'quoted') ?? false;
          if (v === 'verified') return world.xUsers.get(t.authorId)?.verified ?? false;
          return false;
        case 'has':
          if (v === 'links') return (t.entities?.urls?.length ?? 0) > 0;
          if (v === 'mentions') return (t.entities?.mentions?.length ?? 0) > 0;
          if (v === 'hashtags') return (t.entities?.hashtags?.length ?? 0) > 0;
          if (v === 'cashtags') return (t.entities?.cashtags?.length ?? 0) > 0;
          if (v === 'media') return (t.mediaKeys?.length ?? 0) > 0;
          return false;
        default:
          return false;
      }
    }
  }
}
