import twitter from 'twitter-text';
import { TEXT_LIMITS } from './limits.js';
import type { Channel } from './model.js';

/**
 * How long a text is by the platform's own rule, shared by the composer (the
 * live counter) and the host (the check before sending), so they can never
 * disagree. X counts weighted characters with the official twitter-text v3
 * rules (URLs 23, emoji 2, CJK 2, NFC); the Graph API counts UTF-16 units.
 */
export interface TextCount {
  length: number;
  limit: number;
  remaining: number;
  /** Within the limit, not blank, and (on X) no characters X refuses. */
  valid: boolean;
  empty: boolean;
}

export function countText(channel: Channel, text: string): TextCount {
  const limit = TEXT_LIMITS[channel];
  const empty = text.trim().length === 0;
  if (channel === 'x_mention' || channel === 'x_search') {
    const parsed = twitter.parseTweet(text);
    return { length: parsed.weightedLength, limit, remaining: limit - parsed.weightedLength, valid: parsed.valid && !empty, empty };
  }
  return { length: text.length, limit, remaining: limit - text.length, valid: text.length <= limit && !empty, empty };
}

/** twitter-text's parseTweet under a given config; the conformance suite runs against this. */
export function parseX(text: string, config?: twitter.ParseTweetOptions): twitter.ParsedTweet {
  return config ? twitter.parseTweet(text, config) : twitter.parseTweet(text);
}
