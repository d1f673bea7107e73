/**
 * Bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069). In a
 * display name they reorder what the agent reads: `Klantenservice\u202Emoc.mlk`
 * shows as "Klantenserviceklm.com" (U+202E reverses what follows). Names are shown
 * without them, in their logical order, and flagged. The marks LRM, RLM and
 * ALM stay: names in Arabic or Hebrew use them and they cannot reverse a run.
 */
const CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
const ANY_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

export function hasBidiControls(s: string): boolean {
  return ANY_CONTROL.test(s);
}

export function stripBidiControls(s: string): string {
  return s.replace(CONTROLS, '');
}
