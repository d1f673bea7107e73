import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Status } from '../../shared/contract.js';
import type { ConnectionState, HostApi } from './api/host';
import type { StatusSource } from './api/status';
import type { WebcareDb } from './db/db';

/** What the UI reaches: the host client, the local store and the host's status. Set once at boot. */
export interface Services {
  host: HostApi;
  db: WebcareDb;
  status: StatusSource;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside ServicesContext');
  return s;
}

export function useDb(): WebcareDb {
  return useServices().db;
}

// Each store's value is also its server snapshot: rendered to static markup (tests), a
// component shows what it would first show in the window.
export function useHostStatus(): Status | null {
  const { status } = useServices();
  return useSyncExternalStore(status.subscribe, status.get, status.get);
}

export function useConnection(): ConnectionState {
  const { host } = useServices();
  const get = () => host.connection;
  return useSyncExternalStore((fn) => host.onConnection(fn), get, get);
}
