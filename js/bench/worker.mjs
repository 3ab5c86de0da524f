// One measurement process for Node and Deno: loads one library's adapter, runs the
// given cases (normally one) and prints one JSON line prefixed with "@@RESULT ".
//
//   node --expose-gc js/bench/worker.mjs <lib> <workload> <size> <keys> [--ops N] [--reps R] [--warmup W]
//   node --expose-gc js/bench/worker.mjs <lib> --cases get-hit:10000:str,update:1000:int [...]
//   node --expose-gc js/bench/worker.mjs <lib> --memory str:100000
//   deno run --allow-read --allow-env --v8-flags=--expose-gc js/bench/worker.mjs ...

import { caseId, clockName, measure, memory } from './harness.mjs';

const isDeno = typeof globalThis.Deno === 'object';
const argv = isDeno ? [...globalThis.Deno.args] : process.argv.slice(2);

function option(name, fallback) {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = argv[i + 1];
  argv.splice(i, 2);
  return value;
}

const ops = Number(option('ops', 1_000_000));
const reps = Number(option('reps', 5));
const warmup = Number(option('warmup', 1));
const checkOps = Number(option('check-ops', 100_000));
const casesArg = option('cases', null);
const memoryArg = option('memory', null);
const [lib, ...rest] = argv;

const runtime = isDeno
  ? { host: 'deno', version: globalThis.Deno.version.deno, v8: globalThis.Deno.version.v8 }
  : { host: 'node', version: process.version, v8: process.versions.v8 };

const hooks = {
  gc: () => {
    if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
    globalThis.gc();
  },
  heapUsed: () => (isDeno ? globalThis.Deno.memoryUsage().heapUsed : process.memoryUsage().heapUsed),
};

// Machine-wide and own CPU time from /proc (Linux), to flag measurements that other
// processes competed with. USER_HZ is 100.
try {
  const { readFileSync } = await import('node:fs');
  const sample = () => {
    const f = readFileSync('/proc/stat', 'utf8').slice(0, 200).split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const own = readFileSync('/proc/self/stat', 'utf8');
    const g = own.slice(own.lastIndexOf(')') + 2).split(' ');
    return { busyMs: (total - f[3] - (f[4] || 0)) * 10, selfMs: (Number(g[11]) + Number(g[12])) * 10, ms: performance.now() };
  };
  sample();
  hooks.cpu = sample;
} catch {
  // no /proc: no contention figure
}

const adapter = await import(`./adapters/${lib}.mjs`);
const out = { runtime, clock: clockName, results: [] };
if (lib === 'edge-lru') {
  // Others may rebuild js/dist during a run: fingerprint the build this process loaded.
  const { distFingerprint } = await import('./fingerprint.mjs');
  out.dist = distFingerprint(new URL('../dist', import.meta.url).pathname);
}
if (memoryArg) {
  const [keys, count] = memoryArg.split(':');
  out.results.push(memory(adapter, keys, Number(count), hooks));
} else {
  const cases = casesArg
    ? casesArg.split(',').map((c) => {
        const [workload, size, keys] = c.split(':');
        return { workload, size: Number(size), keys };
      })
    : [{ workload: rest[0], size: Number(rest[1]), keys: rest[2] }];
  for (const c of cases) {
    try {
      out.results.push(measure(adapter, { ...c, ops, reps, warmup, checkOps }, hooks));
    } catch (error) {
      out.results.push({ lib, ...c, id: caseId(c), error: String(error?.stack ?? error) });
    }
  }
}
console.log('@@RESULT ' + JSON.stringify(out));
