import type { Channel } from './model.js';

/**
 * Text limits per channel. X counts weighted characters (twitter-text v3 rules,
 * docs.x.com/fundamentals/counting-characters); the others count UTF-16 code
 * units as the Graph API does.
 */
export const TEXT_LIMITS: Record<Channel, number> = {
  x_mention: 280,
  x_dm: 10_000,
  fb_comment: 8_000,
  fb_message: 2_000,
  x_search: 280,
};
