/** Without keyboard or pointer input this long, the agent shows as away to colleagues. */
export const AWAY_AFTER_MS = 5 * 60_000;

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const;

export type ReportedPresence = 'online' | 'away';

export interface PresenceOptions {
  /** Where input is heard (the window). */
  target: EventTarget;
  now?: () => number;
  awayAfterMs?: number;
}

/**
 * Tells the host when the agent goes away (no input for a while) and comes
 * back (any input). Input only stamps a time: the pointer moves hundreds of
 * times a second, and one timer checks the idle time when it could have run out.
 */
export class PresenceReporter {
  private state: ReportedPresence = 'online';
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly now: () => number;
  private readonly awayAfter: number;

  constructor(
    private readonly report: (presence: ReportedPresence) => void,
    private readonly opts: PresenceOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.awayAfter = opts.awayAfterMs ?? AWAY_AFTER_MS;
  }

  current(): ReportedPresence {
    return this.state;
  }

  start(): void {
    this.last = this.now();
    for (const e of INPUT_EVENTS) this.opts.target.addEventListener(e, this.onInput, { capture: true, passive: true });
    this.arm(this.awayAfter);
  }

  stop(): void {
    for (const e of INPUT_EVENTS) this.opts.target.removeEventListener(e, this.onInput, { capture: true });
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly onInput = () => {
    this.last = this.now();
    if (this.state !== 'away') return;
    this.state = 'online';
    this.report('online');
    this.arm(this.awayAfter);
  };

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.check, ms);
  }

  private readonly check = () => {
    this.timer = null;
    const idle = this.now() - this.last;
    if (idle < this.awayAfter) {
      this.arm(this.awayAfter - idle);
      return;
    }
    // Away until the next input, which re-arms the timer.
    this.state = 'away';
    this.report('away');
  };
}
