import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload } from '../../shared/contract';
import type { ConnectionState, HostApi } from '../../renderer/src/api/host';

/** An in-memory host for renderer tests: events are emitted by the test, commands are recorded and answered ok. */
export class FakeHost implements HostApi {
  connection: ConnectionState = 'open';
  readonly calls: Array<{ name: CommandName; input: unknown }> = [];
  /** Runs inside `call('ackBatch')`, before it answers. */
  onAck: (batchId: string) => Promise<void> | void = () => undefined;
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();

  async call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    this.calls.push({ name, input });
    if (name === 'ackBatch') await this.onAck((input as { batchId: string }).batchId);
    return { ok: true, value: {} } as CommandOutput<C>;
  }

  on<E extends EventName>(name: E, fn: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const l = fn as (p: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  onConnection(): () => void {
    return () => undefined;
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const fn of this.listeners.get(name) ?? []) fn(payload);
  }

  /** Batch ids acknowledged so far, in order. */
  acks(): string[] {
    return this.calls.filter((c) => c.name === 'ackBatch').map((c) => (c.input as { batchId: string }).batchId);
  }
}
