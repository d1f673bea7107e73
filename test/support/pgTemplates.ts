import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Global setup of a test run (vitest, Playwright): one folder for the run where
 * startPg keeps the output of initdb, once per set of options, for every
 * cluster to copy (WEBCARE_PG_TEMPLATES; see pgServer.ts). Removed at the end.
 */
export default function pgTemplates(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'webcare-pg-templates-'));
  // The server's user (postgres, when the tests run as root) reaches its own folders in it.
  chmodSync(dir, 0o755);
  process.env.WEBCARE_PG_TEMPLATES = dir;
  return () => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.WEBCARE_PG_TEMPLATES;
  };
}
