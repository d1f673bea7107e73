import { useSyncExternalStore } from 'react';

/**
 * One shared clock for every relative time on screen ("3 min ago"): one
 * timer for the whole board instead of one per card, ticking only while
 * something listens.
 */
const TICK_MS = 30_000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const getNow = () => now;

/** Rendered to static markup (tests), a component reads the same clock as in the window. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getNow, getNow);
}
