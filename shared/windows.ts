/**
 * The answer windows Facebook enforces, as pure functions of time so the
 * conversation can show a countdown and the composer can offer only what the
 * platform will accept. Sources: Meta's Send API reference
 * (developers.facebook.com/docs/messenger-platform/reference/send-api) and its
 * private replies guide
 * (developers.facebook.com/documentation/business-messaging/messenger-platform/discovery/private-replies).
 */
const HOUR = 3600_000;
const DAY = 24 * HOUR;

export type MessengerWindow =
  | { state: 'open'; closesAt: number }
  /** Past 24 hours: only a person's reply with the HUMAN_AGENT tag, until `closesAt`. */
  | { state: 'humanAgent'; closesAt: number }
  | { state: 'closed' };

/** From the person's last message in the conversation. */
export function messengerWindow(lastCustomerMessageAt: number, now: number): MessengerWindow {
  if (now < lastCustomerMessageAt + DAY) return { state: 'open', closesAt: lastCustomerMessageAt + DAY };
  if (now < lastCustomerMessageAt + 7 * DAY) return { state: 'humanAgent', closesAt: lastCustomerMessageAt + 7 * DAY };
  return { state: 'closed' };
}

/** A private reply: one per comment, within 7 days of the comment. */
export function privateReplyWindow(commentAt: number, now: number, alreadySent: boolean): { open: boolean; closesAt?: number } {
  if (alreadySent || now >= commentAt + 7 * DAY) return { open: false };
  return { open: true, closesAt: commentAt + 7 * DAY };
}
