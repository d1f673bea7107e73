/** A card's priority set by a routing rule, with why (owner: routing). */
export function PriorityBadge({ messageKey }: { messageKey: string }) {
  void messageKey;
  return null;
}
