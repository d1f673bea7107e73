import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { freePort, startPg, SUPERUSER_PASSWORD, type PgServer } from '../support/pgServer';

/**
 * The terminal tools, run as an admin runs them (the built scripts, a real
 * PostgreSQL), in the terminal's language.
 */
const run = promisify(execFile);

interface Ran {
  code: number;
  out: string;
}

async function tool(script: string, args: string[], lang: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const clean = { ...process.env };
  for (const k of ['WEBCARE_LANG', 'LC_ALL', 'LC_MESSAGES', 'LANG', 'WEBCARE_TEAM_DB']) delete clean[k];
  try {
    const r = await run(process.execPath, [path.join('dist-electron', 'electron', script), ...args], {
      env: { ...clean, LANG: lang, ...env },
      timeout: 30_000,
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const f = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof f.code === 'number' ? f.code : -1, out: (f.stdout ?? '') + (f.stderr ?? '') };
  }
}

test.describe('the terminal tools speak the terminal’s language', () => {
  let server: PgServer;
  test.beforeAll(async () => {
    server = await startPg({ passwordAuth: true });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('team:add-agent adds a login and says so in Dutch under a Dutch locale, in English otherwise', async () => {
    const admin = server.urlFor('postgres', SUPERUSER_PASSWORD);
    const nl = await tool('teamCli.js', ['add-agent', '--db', admin, '--login', 'anna', '--name', 'Anna', '--role', 'agent'], 'nl_NL.UTF-8');
    expect(nl.out).toContain('anna (Anna) toegevoegd als agent.');
    expect(nl.out).toContain('Wachtwoord (alleen nu getoond):');
    expect(nl.code).toBe(0);
    // The URL it prints is a working login of its own.
    const url = /^ {2}(postgres:\/\/anna:\S+)$/m.exec(nl.out)?.[1];
    expect(url).toBeTruthy();
    const anna = new pg.Client({ connectionString: url });
    await anna.connect();
    expect((await anna.query<{ u: string }>('SELECT current_user AS u')).rows[0]?.u).toBe('anna');
    await anna.end();

    const en = await tool('teamCli.js', ['add-agent', '--db', admin, '--login', 'anna', '--name', 'Anna', '--role', 'lead'], 'C.UTF-8');
    expect(en.out).toContain('Updated anna (Anna) as lead.');
    // WEBCARE_LANG chooses without changing the locale.
    const chosen = await tool('teamCli.js', ['add-agent', '--db', admin, '--login', 'bram', '--role', 'agent'], 'en_US.UTF-8', { WEBCARE_LANG: 'nl' });
    expect(chosen.out).toContain('bram (bram) toegevoegd als agent.');
  });

  test('team:add-agent refuses bad input with a clear message, in Dutch', async () => {
    const admin = server.urlFor('postgres', SUPERUSER_PASSWORD);
    const noDb = await tool('teamCli.js', ['add-agent', '--login', 'anna'], 'nl_BE.UTF-8');
    expect(noDb).toEqual({ code: 1, out: expect.stringContaining('Welke database?') });
    const reserved = await tool('teamCli.js', ['add-agent', '--db', admin, '--login', 'postgres'], 'nl_NL.UTF-8');
    expect(reserved).toEqual({ code: 1, out: expect.stringContaining('de login "postgres" is gereserveerd') });
    const role = await tool('teamCli.js', ['add-agent', '--db', admin, '--login', 'cas', '--role', 'boss'], 'nl_NL.UTF-8');
    expect(role).toEqual({ code: 1, out: expect.stringContaining('--role moet een van deze zijn: agent') });
    const typo = await tool('teamCli.js', ['add-agent', '--dbb', admin], 'nl_NL.UTF-8');
    expect(typo.code).toBe(1);
    expect(typo.out).toContain("'--dbb'");
    expect(typo.out).toContain('Gebruik: teamCli.js');
    const wrongPassword = await tool('teamCli.js', ['add-agent', '--db', server.urlFor('postgres', 'wrong'), '--login', 'cas'], 'nl_NL.UTF-8');
    expect(wrongPassword).toEqual({ code: 1, out: expect.stringContaining('De server weigerde die login of dat wachtwoord') });
    // The password never reaches the terminal.
    expect(wrongPassword.out).not.toContain('wrong@');
    const closed = await freePort();
    const down = await tool('teamCli.js', ['add-agent', '--db', `postgres://x:y@127.0.0.1:${closed}/webcare`, '--login', 'cas'], 'nl_NL.UTF-8');
    expect(down).toEqual({ code: 1, out: expect.stringContaining(`Geen PostgreSQL-server antwoordt op postgres://x@127.0.0.1:${closed}/webcare`) });
  });
});

test('npm start refuses a data folder another console uses, in Dutch', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'webcare-cli-'));
  try {
    // This test's own process is alive: the lock is held.
    writeFileSync(path.join(dir, 'host.lock'), String(process.pid));
    const r = await tool('start.js', [], 'nl_NL.UTF-8', { WEBCARE_SHELL: 'browser', WEBCARE_DATA_DIR: dir, WEBCARE_PORT: '0' });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`Kon niet starten: Een andere console (proces ${process.pid}) gebruikt deze gegevensmap`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm run sandbox refuses a port that is not one, in Dutch', async () => {
  const r = await tool('sandboxCli.js', [], 'nl_NL.UTF-8', { WEBCARE_SANDBOX_PORT: 'abc' });
  expect(r).toEqual({ code: 1, out: expect.stringContaining('WEBCARE_SANDBOX_PORT moet een poortnummer zijn') });
});
