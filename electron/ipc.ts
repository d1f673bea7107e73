import { commandNames, err, ipcCommandChannel, type CommandName, type Result } from '../shared/contract.js';

/**
 * Main-process IPC, derived from the contract: one handler per command, each
 * checking the sender before the host core validates the input. Takes ipcMain
 * as a parameter so it is unit-tested without the Electron binary.
 */
export interface SenderFrame {
  url: string;
  parent: unknown;
}
export interface IpcMainLike {
  handle(channel: string, fn: (event: { senderFrame: SenderFrame | null }, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}
export interface Dispatcher {
  dispatch(name: CommandName, input: unknown): Promise<Result<unknown>>;
}

export const APP_ORIGIN = { protocol: 'app:', host: 'bundle' } as const;

/** Only our own top-level page may call the host: not an iframe, not another origin, not a frame gone after navigation. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === APP_ORIGIN.protocol && url.host === APP_ORIGIN.host;
  } catch {
    return false;
  }
}

export function registerIpc(ipcMain: IpcMainLike, core: Dispatcher): () => void {
  for (const name of commandNames) {
    ipcMain.handle(ipcCommandChannel(name), async (event, input) => {
      if (!isTrustedSender(event.senderFrame)) return err({ kind: 'notAllowed' });
      return core.dispatch(name, input);
    });
  }
  return () => {
    for (const name of commandNames) ipcMain.removeHandler(ipcCommandChannel(name));
  };
}
