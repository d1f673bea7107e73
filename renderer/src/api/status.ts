import type { Status } from '../../../shared/contract.js';
import type { HostApi } from './host';

/**
 * The host's status (accounts, streams, online) as the window last heard it:
 * fetched whenever the connection opens, then kept fresh by `statusChanged`.
 * Host state, not UI state and not stored data, so neither zustand nor Dexie.
 */
export interface StatusSource {
  subscribe(fn: () => void): () => void;
  get(): Status | null;
}

export function watchStatus(host: HostApi): StatusSource & { stop(): void } {
  let current: Status | null = null;
  const listeners = new Set<() => void>();
  const set = (s: Status) => {
    current = s;
    for (const fn of listeners) fn();
  };
  const refresh = () => {
    host
      .call('getStatus', {})
      .then((r) => {
        if (r.ok) set(r.value);
      })
      .catch(() => undefined);
  };
  const offStatus = host.on('statusChanged', set);
  const offConnection = host.onConnection((state) => {
    if (state === 'open') refresh();
  });
  if (host.connection === 'open') refresh();
  return {
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    get: () => current,
    stop() {
      offStatus();
      offConnection();
    },
  };
}
