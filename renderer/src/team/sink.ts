/**
 * How the board's marks reach the team: markMessages asks here whether this
 * console is in team mode, and if so writes a mark action next to the local
 * mark (one transaction) and nudges the drain. Null until team mode is started
 * at boot (and in tests that do not need it), which is solo behaviour.
 */
export interface TeamMarkSink {
  /** In team mode (the host reports a team): marks are shared. */
  active(): boolean;
  /** The team database is out of reach now: an action made now is replayed later. */
  offline(): boolean;
  /** Something was queued: send it if the team can be reached. */
  kick(): void;
}

let current: TeamMarkSink | null = null;

export function setTeamMarkSink(sink: TeamMarkSink | null): void {
  current = sink;
}

export function teamMarkSink(): TeamMarkSink | null {
  return current;
}
