import type { HostApi } from '../api/host';
import type { StatusSource } from '../api/status';
import type { WebcareDb } from '../db/db';
import { OutboxDrain } from './outbox';

/** The window's one drain, started at boot (main.tsx); components nudge it after queueing. */
let drain: OutboxDrain | null = null;

export function startOutbox(host: HostApi, db: WebcareDb, status: StatusSource): OutboxDrain {
  if (drain) return drain;
  drain = new OutboxDrain(host, db, status);
  void drain.start();
  return drain;
}

export function kickOutbox(): void {
  drain?.kick();
}
