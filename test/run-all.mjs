// `npm test`: typecheck, lint, unit + integration (vitest), build, e2e (Playwright in
// Debian's Chromium). CI reads only a plain closing line, so this prints one:
// "N passed, N failed" over every check and test that ran.
//
// Two pairs run side by side, each of a long job and one that needs little of the
// machine next to it: the typecheck next to the lint, the build next to vitest (the
// e2e tests need the build, vitest does not). The second of a pair keeps its output
// and shows it once both ended, so no two outputs interleave.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'webcare-test-'));
const began = Date.now();
let passed = 0;
let failed = 0;
const lines = [];

/**
 * Runs a command. `live`: its output as it comes; else kept, and shown by `show()`.
 * Resolves to { ok, secs, show }.
 */
function run(label, cmd, args, { env = {}, live = true } = {}) {
  const started = Date.now();
  const header = `\n── ${label}: ${cmd} ${args.join(' ')}`;
  if (live) console.log(header);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const out = [];
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr?.on('data', (d) => out.push(d));
    const done = (ok) => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const show = () => {
        if (live) return;
        console.log(`${header} (ran beside the one above)`);
        process.stdout.write(Buffer.concat(out));
      };
      resolve({ ok, secs, show });
    };
    child.on('error', (e) => {
      out.push(Buffer.from(`${e.message}\n`));
      done(false);
    });
    child.on('close', (code) => done(code === 0));
  });
}

/** A check counts once: passed or failed. */
function count(label, r) {
  if (r.ok) passed++;
  else failed++;
  lines.push(`${label}: ${r.ok ? 'ok' : 'FAILED'} (${r.secs} s)`);
  return r.ok;
}

const [typecheck, lint] = await Promise.all([
  run('typecheck', 'npx', ['tsc', '-b']),
  run('lint', 'npx', ['eslint', '.', '--max-warnings=0'], { live: false }),
]);
lint.show();
count('typecheck', typecheck);
count('lint', lint);

const vitestJson = path.join(tmp, 'vitest.json');
const [v, build] = await Promise.all([
  run('unit + integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]),
  run('build', 'npm', ['run', 'build', '--silent'], { live: false }),
]);
build.show();
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numFailedTestSuites ?? 0) - 0;
  lines.push(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numFailedTestSuites ?? 0} suites failed (${v.secs} s)`);
  if (!v.ok && r.numFailedTests === 0 && !r.numFailedTestSuites) failed++;
} else {
  failed++;
  lines.push('vitest: did not report');
}

if (count('build', build)) {
  const pwJson = path.join(tmp, 'pw.json');
  const p = await run('e2e', 'npx', ['playwright', 'test', '--reporter=list,json'], { env: { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson } });
  if (existsSync(pwJson)) {
    const s = JSON.parse(readFileSync(pwJson, 'utf8')).stats;
    passed += s.expected;
    failed += s.unexpected + s.flaky;
    lines.push(`playwright: ${s.expected} passed, ${s.unexpected + s.flaky} failed, ${s.skipped} skipped (${p.secs} s)`);
    if (!p.ok && s.unexpected + s.flaky === 0) failed++;
  } else {
    failed++;
    lines.push('playwright: did not report');
  }
} else {
  lines.push('playwright: not run (build failed)');
}

lines.push(`total: ${((Date.now() - began) / 1000).toFixed(1)} s`);
console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
