// `npm test`: typecheck, lint, unit + integration (vitest), build, e2e (Playwright in
// Debian's Chromium). CI reads only a plain closing line, so this prints one:
// "N passed, N failed" over every check and test that ran.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'webcare-test-'));
let passed = 0;
let failed = 0;
const lines = [];

function run(label, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n── ${label}: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: res.status === 0, secs };
}

function check(label, cmd, args) {
  const r = run(label, cmd, args);
  if (r.ok) passed++;
  else failed++;
  lines.push(`${label}: ${r.ok ? 'ok' : 'FAILED'} (${r.secs} s)`);
  return r.ok;
}

check('typecheck', 'npx', ['tsc', '-b']);
check('lint', 'npx', ['eslint', '.', '--max-warnings=0']);

const vitestJson = path.join(tmp, 'vitest.json');
const v = run('unit + integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
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

if (check('build', 'npm', ['run', 'build', '--silent'])) {
  const pwJson = path.join(tmp, 'pw.json');
  const p = run('e2e', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
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

console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
