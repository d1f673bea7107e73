import { contextBridge, ipcRenderer } from 'electron';
import { commandNames, eventNames, IPC_EVENT_CHANNEL, ipcCommandChannel, type EventName } from '../shared/contract.js';

/**
 * Exposes the contract's named methods and one event subscription, never
 * ipcRenderer itself; listeners get the payload only, never the IPC event.
 * Bundled to CommonJS (vite.preload.config.ts) because a sandboxed preload can
 * neither be an ES module nor require files.
 */
export function buildBridge(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  for (const name of commandNames) api[name] = (input: unknown) => ipc.invoke(ipcCommandChannel(name), input);
  api.onEvent = (fn: (event: string, payload: unknown) => void) => {
    const listener = (_e: unknown, msg: { event?: unknown; payload?: unknown } | undefined) => {
      if (msg && eventNames.includes(msg.event as EventName)) fn(msg.event as string, msg.payload);
    };
    ipc.on(IPC_EVENT_CHANNEL, listener);
    return () => {
      ipc.removeListener(IPC_EVENT_CHANNEL, listener);
    };
  };
  return Object.freeze(api);
}

contextBridge.exposeInMainWorld('webcare', buildBridge(ipcRenderer));
