/** The team bar's routing rules entry (leads) (owner: routing). */
export function RulesButton() {
  return null;
}
