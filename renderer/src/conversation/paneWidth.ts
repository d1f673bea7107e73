/** The conversation pane's width, kept per console in the settings table (pixels). */
export const PANE_WIDTH_KEY = 'conversationPaneWidth';
export const MIN_PANE_WIDTH = 320;
export const MAX_PANE_WIDTH = 760;
export const PANE_WIDTH_STEP = 20;
/** app.css `--pane-width`. */
export const DEFAULT_PANE_WIDTH = 420;

/** A width the pane can take; anything else (a stored value from a bigger screen, garbage) is brought in range. */
export function clampPaneWidth(width: number): number {
  if (!Number.isFinite(width)) return DEFAULT_PANE_WIDTH;
  return Math.max(MIN_PANE_WIDTH, Math.min(MAX_PANE_WIDTH, Math.round(width)));
}
