import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * One host per data folder. Two would poll the same accounts twice, post from one
 * outbox journal and write the same cursors. Electron lets one app instance run;
 * the browser host takes this lock: `host.lock` in the data folder holds the
 * process id of the host using it. A lock whose process is gone (a crash) is taken
 * over.
 */
export const LOCK_FILE = 'host.lock';

export class DataDirInUse extends Error {
  constructor(
    readonly file: string,
    readonly pid: number,
  ) {
    // `npm start` says it in the terminal's language (cliText's dataDirInUse).
    super(`Another console (process ${pid}) is using this data folder (${file}).`);
    this.name = 'DataDirInUse';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, as another user's process.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holder(file: string): Promise<number | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  const pid = Number(text?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Takes the data folder's lock; returns its release. Throws DataDirInUse while a live process holds it. */
export async function lockDataDir(dir: string, pid = process.pid, alive: (pid: number) => boolean = isAlive): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(String(pid));
      } finally {
        await fh.close();
      }
      return async () => {
        // Only our own: a lock taken over meanwhile (ours looked stale to someone) is theirs.
        if ((await holder(file)) === pid) await unlink(file).catch(() => undefined);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const other = await holder(file);
      if (other !== null && other !== pid && alive(other)) throw new DataDirInUse(file, other);
      if (attempt >= 2) throw new DataDirInUse(file, other ?? 0);
      // Stale (its process is gone) or unreadable: removed, and taken on the next attempt.
      await unlink(file).catch(() => undefined);
    }
  }
}
