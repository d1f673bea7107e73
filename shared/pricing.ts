import type { StreamKind } from './model.js';

/**
 * X API pay-per-use prices per resource returned (docs.x.com, "X API
 * pay-per-usage pricing", 2026): Posts: Read $0.005, DM Event: Read $0.010, and
 * "Owned Reads" $0.001 a post where the path's {id} is the signed-in account that
 * owns the app (GET /2/users/{id}/mentions and /tweets). "All resources are
 * deduplicated within a 24-hour UTC day window": a resource read again the same
 * UTC day is not billed again. The poller counts each resource a stream read once
 * per UTC day, new or not (a DM poll's probe of the newest event is billed once a
 * day). Whether expanded users are billed too is unverified, so they are left out
 * of the estimate. Graph API reads are free (rate-limited, not billed).
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
