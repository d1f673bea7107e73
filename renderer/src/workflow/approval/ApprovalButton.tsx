/** The team bar's approval entry (leads): the approval queue, reviews and who needs approval (owner: approval). */
export function ApprovalButton() {
  return null;
}
