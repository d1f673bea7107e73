import { z } from 'zod';
import { TEXT_LIMITS } from './limits.js';
import { platformOf, type Channel } from './model.js';
import { countText } from './textLength.js';

/**
 * Canned replies: the team's ready answers. A reply has a body and optional
 * variants per channel (X short, Facebook lighter, formal); its text may hold
 * variables, `{{customer.name}}` or with a fallback `{{customer.name|there}}`,
 * filled from the conversation when it is inserted. Each variable has a longest
 * allowed value (a filled value is shortened to it, between graphemes), so a
 * reply validated on save with every variable at its longest and the signature
 * added is certain to fit when it is used.
 */
export const VARIABLES = {
  'customer.name': { max: 50 },
  'agent.name': { max: 40 },
  'agent.initials': { max: 5 },
  department: { max: 40 },
  ticket: { max: 20 },
} as const;
export type VariableName = keyof typeof VARIABLES;
export const VARIABLE_NAMES = Object.keys(VARIABLES) as VariableName[];
export type VariableValues = Partial<Record<VariableName, string>>;

export const VARIANTS = ['x', 'facebook', 'formal'] as const;
export type VariantKey = (typeof VARIANTS)[number];

const TextSchema = z.string().max(10_000);

export const CannedReplySchema = z.object({
  id: z.string().min(1).max(100),
  title: z.string().trim().min(1).max(200),
  /** Typed after `/` in the composer; letters, digits, `-` and `_`. */
  shortcut: z
    .string()
    .max(40)
    .regex(/^[\p{L}\p{N}_-]*$/u),
  body: TextSchema.refine((s) => s.trim().length > 0),
  category: z.string().max(100),
  language: z.enum(['nl', 'en']),
  variants: z.object({ x: TextSchema.optional(), facebook: TextSchema.optional(), formal: TextSchema.optional() }),
  usage: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
});
export type CannedReply = z.infer<typeof CannedReplySchema>;

/** The file `Export` writes and `Import` reads. */
export const CannedExportSchema = z.object({
  format: z.literal('webcare-canned'),
  version: z.literal(1),
  replies: z.array(z.unknown()).max(5000),
});

const VARIABLE_RE = /\{\{\s*([a-zA-Z.]+)\s*(?:\|([^}]*))?\}\}/g;

export function isVariable(name: string): name is VariableName {
  return Object.hasOwn(VARIABLES, name);
}

/** Names in `{{…}}` that are not variables, so a typo is refused on save rather than sent. */
export function unknownVariables(text: string): string[] {
  const bad = new Set<string>();
  for (const m of text.matchAll(VARIABLE_RE)) if (!isVariable(m[1] ?? '')) bad.add(m[1] ?? '');
  return [...bad];
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** At most `max` in the channel's own count, cut between graphemes. */
export function clampValue(value: string, max: number, channel: Channel): string {
  const clean = value.replace(/\s+/g, ' ').trim();
  if (countText(channel, clean).length <= max) return clean;
  let out = '';
  for (const { segment } of graphemes.segment(clean)) {
    if (countText(channel, out + segment).length > max) break;
    out += segment;
  }
  return out.trimEnd();
}

/**
 * Variables replaced by their values (shortened to their longest allowed
 * length), else by their fallback, else by nothing. Fallbacks are clamped too.
 * A variable that comes out empty takes one neighbouring space with it, so
 * `Hi {{customer.name}}, thanks` reads `Hi, thanks`, not `Hi , thanks`, and
 * `Hi {{customer.name}} thanks` has no double space; line breaks stay.
 */
export function fillTemplate(text: string, values: VariableValues, channel: Channel): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(VARIABLE_RE)) {
    const name = m[1] ?? '';
    const at = m.index;
    out += text.slice(last, at);
    last = at + m[0].length;
    if (!isVariable(name)) {
      out += m[0];
      continue;
    }
    const v = values[name]?.trim();
    const filled = clampValue(v ? v : (m[2] ?? ''), VARIABLES[name].max, channel);
    if (filled) {
      out += filled;
      continue;
    }
    const rest = text.slice(last);
    if (/[ \t]$/.test(out) && /^(?:[ \t]|[,.!?;:)\]…]|\r?\n|$)/.test(rest)) out = out.replace(/[ \t]+$/, '');
    else if (/(?:^|\n)$/.test(out)) last += /^[ \t]*/.exec(rest)?.[0].length ?? 0;
  }
  return out + text.slice(last);
}

/** Every variable at its longest: what validation measures. Weighted 1 per character on every channel. */
export function longestValues(): Required<VariableValues> {
  const out = {} as Record<VariableName, string>;
  for (const name of VARIABLE_NAMES) out[name] = 'W'.repeat(VARIABLES[name].max);
  return out;
}

/** The signature appended to a reply (`^GvA`), from the team's template such as `^{{agent.initials}}`. */
export function withSignature(text: string, signature: string): string {
  const sig = signature.trim();
  if (!sig) return text;
  return `${text.trimEnd()} ${sig}`;
}

/** The text of a reply for a channel: the channel's variant, else the body; `formal` when asked and present. */
export function variantFor(reply: Pick<CannedReply, 'body' | 'variants'>, channel: Channel, formal = false): { key: VariantKey | 'body'; text: string } {
  if (formal && reply.variants.formal?.trim()) return { key: 'formal', text: reply.variants.formal };
  const key: VariantKey = platformOf(channel) === 'x' ? 'x' : 'facebook';
  const v = reply.variants[key];
  return v?.trim() ? { key, text: v } : { key: 'body', text: reply.body };
}

export interface Overflow {
  variant: VariantKey | 'body';
  channel: Channel;
  limit: number;
  /** Length with every variable at its longest and the signature added. */
  length: number;
  /** How far over the limit (positive). */
  over: number;
}

export type CannedProblem =
  | { kind: 'unknownVariable'; variant: VariantKey | 'body'; name: string }
  | ({ kind: 'tooLong' } & Overflow);

/** Where each text may be used: a platform variant on that platform's channels; formal and body on any channel. */
function channelsOf(reply: Pick<CannedReply, 'variants'>, key: VariantKey | 'body'): Channel[] {
  const x: Channel[] = ['x_mention', 'x_dm'];
  const fb: Channel[] = ['fb_comment', 'fb_message'];
  if (key === 'x') return x;
  if (key === 'facebook') return fb;
  if (key === 'formal') return [...x, ...fb];
  // The body is what a channel without its own variant gets.
  return [...(reply.variants.x?.trim() ? [] : x), ...(reply.variants.facebook?.trim() ? [] : fb)];
}

/**
 * What keeps a reply from being saved: unknown variables, and every text that
 * would not fit a channel it may be used on with each variable at its longest
 * allowed value and the signature (itself at its longest) appended.
 */
export function validateCanned(reply: Pick<CannedReply, 'body' | 'variants'>, signatureTemplate = ''): CannedProblem[] {
  const problems: CannedProblem[] = [];
  const longest = longestValues();
  const texts: Array<[VariantKey | 'body', string]> = [['body', reply.body]];
  for (const key of VARIANTS) {
    const v = reply.variants[key];
    if (v?.trim()) texts.push([key, v]);
  }
  for (const [key, text] of texts) {
    for (const name of unknownVariables(text)) problems.push({ kind: 'unknownVariable', variant: key, name });
    for (const channel of channelsOf(reply, key)) {
      const signature = fillTemplate(signatureTemplate, longest, channel);
      const full = withSignature(fillTemplate(text, longest, channel), signature);
      const length = countText(channel, full).length;
      const limit = TEXT_LIMITS[channel];
      if (length > limit) problems.push({ kind: 'tooLong', variant: key, channel, limit, length, over: length - limit });
    }
  }
  return problems;
}

/**
 * Fuzzy match for `/` search: every character of the query in order in the
 * shortcut, title or body; a shortcut prefix first, then tighter matches.
 * Higher is better; null when it does not match.
 */
export function fuzzyScore(query: string, reply: Pick<CannedReply, 'shortcut' | 'title' | 'body' | 'category'>): number | null {
  const q = query.trim().toLowerCase();
  if (!q) return 1;
  const shortcut = reply.shortcut.toLowerCase();
  if (shortcut === q) return 1000;
  if (shortcut.startsWith(q)) return 900 - shortcut.length;
  let best: number | null = null;
  const fields: Array<[string, number]> = [
    [shortcut, 600],
    [reply.title.toLowerCase(), 500],
    [reply.category.toLowerCase(), 300],
    [reply.body.toLowerCase().slice(0, 2000), 200],
  ];
  for (const [field, base] of fields) {
    const idx = field.indexOf(q);
    if (idx >= 0) {
      const s = base + 50 - Math.min(idx, 50);
      best = Math.max(best ?? 0, s);
      continue;
    }
    // Subsequence: a gap costs a point.
    let pos = -1;
    let gaps = 0;
    let ok = true;
    for (const ch of q) {
      const next = field.indexOf(ch, pos + 1);
      if (next < 0) {
        ok = false;
        break;
      }
      if (pos >= 0) gaps += next - pos - 1;
      pos = next;
    }
    if (ok) best = Math.max(best ?? 0, base / 2 - Math.min(gaps, base / 2 - 1));
  }
  return best;
}

export function searchCanned<T extends Pick<CannedReply, 'shortcut' | 'title' | 'body' | 'category' | 'usage' | 'language'>>(
  replies: readonly T[],
  query: string,
  language?: string,
): T[] {
  const scored: Array<[T, number]> = [];
  for (const r of replies) {
    const s = fuzzyScore(query, r);
    if (s === null) continue;
    // Same language as the conversation first; usage breaks ties.
    scored.push([r, s + (language && r.language === language ? 5 : 0) + Math.min(r.usage, 100) / 100]);
  }
  return scored.sort((a, b) => b[1] - a[1]).map(([r]) => r);
}
