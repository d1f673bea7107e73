/** The team bar's "For you" button: asks, mentions, assignments and handed drafts for this agent (owner: assignment). */
export function InboxButton() {
  return null;
}
