import { chromium } from '@playwright/test';
import { spawn, execSync } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
const prof = await mkdtemp(path.join(os.tmpdir(), 'dbgp-'));
const data = await mkdtemp(path.join(os.tmpdir(), 'dbgd-'));
await cp('/tmp/webcare-bench-seeded/250000-16196f67eba0b8a6/profile', prof, { recursive: true, filter: (s) => !/Singleton(Lock|Socket|Cookie)$/.test(s) });
const child = spawn(process.execPath, ['dist-electron/electron/start.js'], { env: { ...process.env, WEBCARE_SHELL: 'browser', WEBCARE_DATA_DIR: data, WEBCARE_PORT: '41731', WEBCARE_SANDBOX_RATE: '0', WEBCARE_POLL_SCALE: '0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
const url = await new Promise((res) => child.stdout.on('data', (d) => { const m = /Console: (\S+)/.exec(String(d)); if (m) res(m[1]); }));
const ctx = await chromium.launchPersistentContext(prof, { executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1600, height: 900 }, args: ['--no-sandbox', '--disable-gpu', '--disable-gpu-vsync', '--disable-frame-rate-limit', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = ctx.pages()[0] ?? (await ctx.newPage());
const t0 = Date.now();
page.on('console', (m) => console.log(`[${Date.now() - t0}] console ${m.type()}: ${m.text()}`.slice(0, 300)));
await page.goto(url);
for (let i = 0; i < 16; i++) {
  await page.waitForTimeout(5000);
  const r = await Promise.race([page.evaluate(async () => {
    const d = await new Promise((res) => { const o = indexedDB.open('webcare'); o.onsuccess = () => res(o.result); });
    const n = await new Promise((res) => { const q = d.transaction('reportFacts').objectStore('reportFacts').count(); q.onsuccess = () => res(q.result); });
    const s = await new Promise((res) => { const q = d.transaction('settings').objectStore('settings').get('reportFactsCompacted'); q.onsuccess = () => res(q.result); });
    const m = await new Promise((res) => { const q = d.transaction('messages').objectStore('messages').count(); q.onsuccess = () => res(q.result); });
    d.close();
    return { chunks: n, compacted: s?.value, messages: m };
  }), new Promise((r) => setTimeout(() => r('eval timeout'), 10000))]);
  const cpu = execSync(`ps -o pcpu=,cputime= -C chromium | sort -rn | head -2 | tr '\\n' ' '`).toString();
  console.log(`[${Date.now() - t0}]`, JSON.stringify(r), 'cpu', cpu);
}
await ctx.close();
child.kill();
process.exit(0);
