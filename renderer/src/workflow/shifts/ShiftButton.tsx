/** Start / end shift in the team bar, the handover banner and the lead's duty overview (owner: shifts). */
export function ShiftButton() {
  return null;
}
