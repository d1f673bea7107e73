import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserHost } from './browserHost.js';
import { boot } from './bootstrap.js';
import { cliText } from './cliText.js';
import { configFromEnv } from './host/config.js';
import { DataDirInUse, lockDataDir } from './host/dataDirLock.js';
import { plaintextCipher } from './host/vault.js';

/**
 * `npm start`: the Electron app where its runtime is installed; otherwise (an
 * offline machine, CI) the browser host, which serves the same renderer and
 * contract on 127.0.0.1.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..', '..');
const text = cliText();

/** The Electron binary's path, without letting the electron package try a download. */
async function electronBinary(): Promise<string | null> {
  try {
    const pkg = createRequire(import.meta.url).resolve('electron/package.json');
    const dir = path.dirname(pkg);
    const rel = (await readFile(path.join(dir, 'path.txt'), 'utf8')).trim();
    const bin = path.join(dir, 'dist', rel);
    await access(bin);
    return bin;
  } catch {
    return null;
  }
}

async function runElectron(bin: string): Promise<void> {
  const child = spawn(bin, [path.join(projectRoot, 'dist-electron', 'electron', 'main.js')], { stdio: 'inherit' });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function runBrowserHost(): Promise<void> {
  // One host per data folder (Electron has its single-instance lock): a second one would poll and post twice.
  const unlock = await lockDataDir(configFromEnv(process.env).dataDir);
  let booted: Awaited<ReturnType<typeof boot>>;
  try {
    booted = await boot({ cipher: plaintextCipher, shell: 'browser', log: (l) => console.log(l) });
  } catch (e) {
    await unlock();
    throw e;
  }
  const port = process.env.WEBCARE_PORT ? Number(process.env.WEBCARE_PORT) : 0;
  const host = await startBrowserHost({ core: booted.core, staticDir: path.join(projectRoot, 'dist', 'renderer'), port });
  console.log(text.data(booted.config.dataDir));
  console.log(text.console(host.url));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log(text.stopping);
    await host.close();
    await booted.stop();
    await unlock();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const bin = process.env.WEBCARE_SHELL === 'browser' ? null : await electronBinary();
if (bin) {
  await runElectron(bin);
} else {
  if (process.env.WEBCARE_SHELL !== 'browser') console.log(text.noElectron);
  try {
    await runBrowserHost();
  } catch (e) {
    console.error(text.couldNotStart(e instanceof DataDirInUse ? text.dataDirInUse(e.pid, e.file) : (e as Error).message));
    process.exit(1);
  }
}
