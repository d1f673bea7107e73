import type { StreamKind } from './model.js';

/**
 * X API pay-per-use prices per resource returned (PLATFORMS.md §1.9, pricing page
 * 2026-08): own mentions are "owned reads", DM events are billed as such. The
 * same resource twice in one UTC day is billed once; the poller never reads an
 * item twice (since_id), so items delivered is what is billed. Whether expanded
 * users are billed too is unverified, so they are left out of the estimate.
 * Graph API reads are free (rate-limited, not billed).
 */
export const READ_PRICE_USD: Record<StreamKind, number> = {
  x_mentions: 0.001,
  x_own: 0.001,
  x_dms: 0.01,
  /** Recent search results are not owned reads: five times the price of a mention. */
  x_search: 0.005,
  fb_comments: 0,
  fb_visitor_posts: 0,
  fb_messages: 0,
};

export const X_SEARCH_READ_USD = READ_PRICE_USD.x_search;

export function readCostUsd(kind: StreamKind, items: number): number {
  return Math.round(items * READ_PRICE_USD[kind] * 10_000) / 10_000;
}

/** The UTC day of a time, as the billing day. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
