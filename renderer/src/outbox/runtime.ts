import { liveQuery } from 'dexie';
import type { HostApi } from '../api/host';
import type { StatusSource } from '../api/status';
import type { WebcareDb } from '../db/db';
import { approvalNews, OutboxDrain } from './outbox';

/** The window's one drain, started at boot (main.tsx); components nudge it after queueing. */
let drain: OutboxDrain | null = null;

/** Records of the team's log that settle a reply waiting for approval. */
const DECISIONS = new Set(['approve', 'return', 'sent']);
/** The newest records looked at for decisions each time the log changes (a sync brings a few at a time). */
const NEWEST = 50;

export function startOutbox(host: HostApi, db: WebcareDb, status: StatusSource): OutboxDrain {
  if (drain) return drain;
  const started = new OutboxDrain(host, db, status);
  drain = started;
  void started.start();
  // Team mode: a lead decided on a reply of ours waiting for approval: ask after it now, not at the next round.
  liveQuery(() => db.workflow.orderBy('seq').reverse().limit(NEWEST).toArray()).subscribe({
    next: (records) => {
      const ids = records.flatMap((r) => (DECISIONS.has(r.kind) && typeof r.data.approvalId === 'string' ? [r.data.approvalId] : []));
      approvalNews(db, ids)
        .then((n) => {
          if (n > 0) started.kick();
        })
        .catch((e: unknown) => console.warn('approval news not read', e));
    },
    error: (e: unknown) => console.warn('approval news not read', e),
  });
  return started;
}

export function kickOutbox(): void {
  drain?.kick();
}
