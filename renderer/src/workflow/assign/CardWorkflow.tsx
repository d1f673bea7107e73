/** A card's workflow marks: waiting on a specialist, the department it was given to (owner: assignment). */
export function CardWorkflow({ messageKey, conversationKey }: { messageKey: string; conversationKey: string }) {
  void messageKey;
  void conversationKey;
  return null;
}
