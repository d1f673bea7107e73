import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUse, LOCK_FILE, lockDataDir } from '../../electron/host/dataDirLock';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function dataDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'webcare-lock-'));
  dirs.push(d);
  return d;
}

describe('one browser host per data folder', () => {
  it('a second host on the same folder is refused while the first runs (naming its process and the lock), and may start once it stopped', async () => {
    const dir = await dataDir();
    const release = await lockDataDir(dir, 1111, () => true);
    expect((await readFile(path.join(dir, LOCK_FILE), 'utf8')).trim()).toBe('1111');
    const second = lockDataDir(dir, 2222, () => true);
    await expect(second).rejects.toBeInstanceOf(DataDirInUse);
    await expect(second).rejects.toMatchObject({ pid: 1111, file: path.join(dir, LOCK_FILE) });
    await release();
    const again = await lockDataDir(dir, 2222, () => true);
    expect((await readFile(path.join(dir, LOCK_FILE), 'utf8')).trim()).toBe('2222');
    await again();
  });

  it('a lock left by a host that crashed (its process gone) is taken over', async () => {
    const dir = await dataDir();
    await writeFile(path.join(dir, LOCK_FILE), '1111');
    const release = await lockDataDir(dir, 2222, (pid) => pid !== 1111);
    expect((await readFile(path.join(dir, LOCK_FILE), 'utf8')).trim()).toBe('2222');
    await release();
    await expect(readFile(path.join(dir, LOCK_FILE), 'utf8')).rejects.toThrow();
  });

  it('a release leaves a lock another host took over alone', async () => {
    const dir = await dataDir();
    const release = await lockDataDir(dir, 1111, () => true);
    await writeFile(path.join(dir, LOCK_FILE), '3333');
    await release();
    expect((await readFile(path.join(dir, LOCK_FILE), 'utf8')).trim()).toBe('3333');
  });

  it('with this process itself (a live pid)', async () => {
    const dir = await dataDir();
    const release = await lockDataDir(dir);
    await expect(lockDataDir(dir, process.pid + 1_000_000)).rejects.toBeInstanceOf(DataDirInUse);
    await release();
  });
});
