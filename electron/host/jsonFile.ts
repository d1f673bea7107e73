import { mkdir, readFile, rename, writeFile, open } from 'node:fs/promises';
import path from 'node:path';

/**
 * Small JSON documents in the data folder (accounts, cursors, the send journal).
 * Writes go to a temp file that is fsynced and renamed over the old one, so a
 * crash leaves either the old or the new document, never half of one.
 */
export async function readJson<T>(file: string, fallback: T): Promise<T> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw e;
  }
  try {
    return JSON.parse(raw) as T;
  } catch {
    // A corrupt file is kept aside for inspection rather than silently overwritten.
    await rename(file, `${file}.corrupt-${Date.now()}`).catch(() => undefined);
    return fallback;
  }
}

const chains = new Map<string, Promise<void>>();

export function writeJson(file: string, value: unknown): Promise<void> {
  // Serialise writes per file: two overlapping renames must not reorder states.
  const prev = chains.get(file) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(() => writeAtomically(file, JSON.stringify(value, null, 1)));
  chains.set(file, next);
  return next;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, text, { mode: 0o600 });
}
