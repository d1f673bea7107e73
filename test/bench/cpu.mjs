// CPU time by process (Linux /proc): what a phase of the bench cost the machine, not only how long
// it took. On a machine with few cores the host (with its embedded sandbox, which stands in for the
// platforms' servers), Chromium's browser process (where IndexedDB runs) and the page's renderer
// share the cores; a phase that keeps them all busy is bound by the sum of their work.
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';

const TICK_S = 0.01; // USER_HZ is 100 on Linux

async function stat(pid) {
  const raw = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The command name is in parentheses and may hold spaces: fields are read after its last ')'.
  const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  return f.length > 13 ? { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * TICK_S } : null;
}

/** pid → kind, for the host and the Chromium of `profileDir`. */
async function processKinds(profileDir, hostPid) {
  const procs = new Map();
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const s = await stat(pid);
    if (s) procs.set(Number(pid), s);
  }
  const kindOf = new Map();
  if (procs.has(hostPid)) kindOf.set(hostPid, 'host');
  for (const pid of procs.keys()) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(`--user-data-dir=${profileDir}\0`) && !cmd.includes('--type=')) kindOf.set(pid, 'browser');
  }
  // Every descendant of a browser process, by its --type (zygotes count as utility).
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, s] of procs) {
      if (kindOf.has(pid) || !kindOf.has(s.ppid)) continue;
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'utility';
      kindOf.set(pid, type === 'renderer' ? 'renderer' : type === 'gpu-process' ? 'gpu' : type === 'browser' ? 'browser' : 'utility');
      grew = true;
    }
  }
  return kindOf;
}

/**
 * A reader of the CPU seconds used so far by the host process (`hostPid`) and by the Chromium of
 * `profileDir` (its browser process and every process below it), by kind: `host`, `browser`,
 * `renderer`, `gpu`, `utility`. Cheap enough to sample: the processes are looked up again at most
 * once a second, and in between only their counters are read. Processes that ended are not
 * counted: compare readings taken close together.
 */
export function cpuReader(profileDir, hostPid) {
  let kinds = null;
  let found = 0;
  return async () => {
    if (!kinds || performance.now() - found > 1000) {
      kinds = await processKinds(profileDir, hostPid);
      found = performance.now();
    }
    const out = { host: 0, browser: 0, renderer: 0, gpu: 0, utility: 0 };
    for (const [pid, kind] of kinds) out[kind] += (await stat(pid))?.cpu ?? 0;
    return out;
  };
}

/**
 * Samples `read` every `everyMs` until `stop()`; `between(t0, t1)` then gives the CPU spent from
 * t0 to t1 (performance.now() of this process), each end read between the samples around it.
 */
export function cpuSampler(read, everyMs = 100) {
  const samples = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      samples.push({ t: performance.now(), c: await read() });
      await new Promise((r) => setTimeout(r, everyMs));
    }
    samples.push({ t: performance.now(), c: await read() });
  })();
  const at = (t) => {
    let i = samples.findIndex((s) => s.t >= t);
    if (i === -1) i = samples.length - 1;
    const b = samples[i];
    const a = samples[Math.max(0, i - 1)];
    const f = b.t === a.t ? 1 : Math.min(1, Math.max(0, (t - a.t) / (b.t - a.t)));
    return Object.fromEntries(Object.keys(b.c).map((k) => [k, a.c[k] + f * (b.c[k] - a.c[k])]));
  };
  return {
    async stop() {
      running = false;
      await loop;
    },
    between: (t0, t1) => cpuSpent(at(t0), at(t1), t1 - t0),
  };
}

/** `b - a`, per kind, in seconds (one decimal), with their sum and the cores they kept busy over `wallMs`. */
export function cpuSpent(a, b, wallMs) {
  const spent = {};
  let total = 0;
  for (const k of Object.keys(b)) {
    const d = Math.max(0, b[k] - (a[k] ?? 0));
    spent[k] = Number(d.toFixed(2));
    total += d;
  }
  return { ...spent, total: Number(total.toFixed(2)), cores_busy: wallMs > 0 ? Number((total / (wallMs / 1000)).toFixed(2)) : null, cores: os.cpus().length };
}
