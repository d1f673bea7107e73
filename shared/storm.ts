import { z } from 'zod';
import { fold } from './text/fold.js';

/**
 * A storm: an account suddenly gets far more negative messages than it usually
 * does at this time of day. The rule compares the negative messages of the last
 * `windowMin` minutes with the same stretch of the day on each of the last
 * `baselineDays` days (their mean is "usual"), so a morning rush that happens
 * every morning is no storm, and a quiet night with a dozen angry messages is. Past `minCount` and `factor` times the usual at once, it is one.
 * Both bounds are the team's settings.
 */
export const StormRuleSchema = z.object({
  windowMin: z.number().int().min(5).max(24 * 60).default(30),
  factor: z.number().min(1).max(100).default(3),
  minCount: z.number().int().min(1).max(100_000).default(10),
  baselineDays: z.number().int().min(1).max(90).default(28),
});
export type StormRule = z.infer<typeof StormRuleSchema>;
export const DEFAULT_STORM_RULE: StormRule = StormRuleSchema.parse({});

export interface StormVerdict {
  /** Negative messages in the window now. */
  count: number;
  /** The mean over the baseline days of the same window (days before the store's first message not counted). */
  usual: number;
  /** The count it takes: max(minCount, factor × usual). */
  threshold: number;
  storm: boolean;
}

/**
 * `baseline` holds the negative count of the same window on each earlier day the
 * store has history for (newest first, at most baselineDays); with no history at
 * all the usual is 0 and only minCount holds.
 */
export function stormVerdict(count: number, baseline: readonly number[], rule: StormRule): StormVerdict {
  const days = baseline.slice(0, rule.baselineDays);
  const usual = days.length ? days.reduce((a, b) => a + b, 0) / days.length : 0;
  const threshold = Math.max(rule.minCount, Math.ceil(rule.factor * usual));
  return { count, usual, threshold, storm: count >= threshold };
}

/** With less than a day of history, at most this many earlier windows of the same day stand in for the baseline. */
export const RECENT_WINDOWS = 12;

/**
 * The windows to count for a verdict at `now`: the current one, then the same
 * stretch on each earlier day the store has history for. A store with less than
 * a day of it (a new console, a new team) has no same-time-yesterday: the windows
 * just before the current one, back to its first message, are the usual instead,
 * so a steady flow of complaints is never a storm just because it is new.
 */
export function stormWindows(now: number, rule: StormRule, since: number): { from: number; to: number }[] {
  const span = rule.windowMin * 60_000;
  const out = [{ from: now - span, to: now }];
  for (let d = 1; d <= rule.baselineDays; d++) {
    const to = now - d * 86_400_000;
    // A day before the store's first message says nothing about what is usual.
    if (to - span < since) break;
    out.push({ from: to - span, to });
  }
  if (out.length > 1) return out;
  for (let k = 1; k <= RECENT_WINDOWS; k++) {
    const to = now - k * span;
    if (to - span < since) break;
    out.push({ from: to - span, to });
  }
  return out;
}

/** Words that say nothing about what a storm is about, in Dutch and English. */
const STOP = new Set(
  (
    'de het een en van ik je jij u uw mijn me mij we wij jullie ze zij hij is zijn was waren ben bent heb hebt heeft hebben had ' +
    'dat die dit deze er op aan in met voor naar om over bij tot uit als maar ook nog al niet geen wel dan toch weer nu wat ' +
    'waar wie hoe waarom wanneer kan kun kunnen moet moeten wil willen zou zal gaat gaan komt komen doe doet doen krijg ' +
    'krijgen zo te of want echt even gewoon hier daar alweer steeds sinds graag hoi hallo beste dag groet groeten ' +
    'the a an and or of to in on at for with from by is are was were be been am i me my you your we our they their he she ' +
    'it its this that these those not no yes do does did have has had will would can could should just still again ' +
    'what where when why how who there here so but if than then too very really please hi hello thanks thank'
  ).split(' '),
);

/**
 * The words most of the storm's messages share: counted once per message, folded
 * (case and accents), without handles, links, codes, short and common words;
 * a word only one message has is no pattern.
 */
export function topWords(texts: readonly string[], n = 5): { word: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const words = new Set<string>();
    // Hashtags stay (they often name the storm); handles and links say who and where, not what.
    const clean = text.replace(/https?:\/\/\S+|www\.\S+/giu, ' ').replace(/@\S+/gu, ' ');
    for (const raw of fold(clean).split(/[^\p{L}\p{N}]+/u)) {
      if (raw.length < 3 || /\p{N}/u.test(raw) || STOP.has(raw)) continue;
      words.add(raw);
    }
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts.entries()]
    .filter(([, c]) => c >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([word, count]) => ({ word, count }));
}
