/**
 * One pass of a drain at a time, across every window of this profile (a Web Lock
 * where the browser has them): a kick while a pass runs asks for one more pass
 * once it ends, so a change made meanwhile is never missed. The outbox and the
 * team's mark actions both drain this way.
 */
export class SerialRun {
  private running = false;
  private again = false;
  private readonly locks: LockManager | null;

  constructor(
    private readonly lockName: string,
    private readonly pass: () => Promise<void>,
    private readonly what: string,
    locks?: LockManager | null,
  ) {
    this.locks = locks === undefined ? ((globalThis.navigator as Navigator | undefined)?.locks ?? null) : locks;
  }

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    const run = () => this.pass();
    const done = this.locks ? this.locks.request(this.lockName, run) : run();
    void Promise.resolve(done)
      .catch((e: unknown) => console.warn(this.what, e))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** A pass starts over from the top: it sees whatever the kicks so far were about. */
  startOver(): void {
    this.again = false;
  }

  /** Resolves once nothing more can be done now (tests). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 5));
  }
}
