// One measurement process for Node and Deno: loads one library's adapter and runs it.
//
// Served (what run.mjs uses): prepare one case (keys, streams, correctness pass,
// warm-up), print "@@READY <json>", then run one timed pass per "rep" line read from
// stdin ("@@REP <ns/op>") until "end" ("@@DONE <json>").
//
//   node --expose-gc js/bench/worker.mjs <lib> <workload> <size> <keys> --serve [--ops N] [--warmup W]
//
// Standalone: prepare and time each case back to back, print "@@RESULT <json>".
//
//   node --expose-gc js/bench/worker.mjs <lib> <workload> <size> <keys> [--ops N] [--reps R]
//   node --expose-gc js/bench/worker.mjs <lib> --cases get-hit:10000:str,update:1000:int [...]
//   node --expose-gc js/bench/worker.mjs <lib> --memory str:100000
//   deno run --allow-read --allow-env --v8-flags=--expose-gc js/bench/worker.mjs ...

import { caseId, clockName, measure, memory, prepare } from './harness.mjs';

const isDeno = typeof globalThis.Deno === 'object';
const argv = isDeno ? [...globalThis.Deno.args] : process.argv.slice(2);

function option(name, fallback) {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = argv[i + 1];
  argv.splice(i, 2);
  return value;
}
function flag(name) {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) argv.splice(i, 1);
  return i >= 0;
}

const ops = Number(option('ops', 1_000_000));
const reps = Number(option('reps', 5));
const warmup = Number(option('warmup', 1));
const checkOps = Number(option('check-ops', 100_000));
const casesArg = option('cases', null);
const memoryArg = option('memory', null);
const serve = flag('serve');
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
  // ArrayBuffer backing stores, wasm memory excluded (it is counted on its own): Node's
  // `arrayBuffers`; Deno's `external`, which holds them and not wasm memory.
  bufferBytes: () => (isDeno ? globalThis.Deno.memoryUsage().external : process.memoryUsage().arrayBuffers),
};

const adapter = await import(`./adapters/${lib}.mjs`);
const out = { runtime, clock: clockName, results: [] };
if (lib === 'edge-lru') {
  // Others may rebuild js/dist during a run: fingerprint the build this process loaded.
  const { distFingerprint } = await import('./fingerprint.mjs');
  out.dist = distFingerprint(new URL('../dist', import.meta.url).pathname);
}
const emit = (tag, value) => console.log(`@@${tag} ${JSON.stringify(value)}`);

if (serve) {
  const spec = { workload: rest[0], size: Number(rest[1]), keys: rest[2], ops, warmup, checkOps };
  let prepared;
  try {
    prepared = prepare(adapter, spec);
  } catch (error) {
    prepared = { result: { lib, ...spec, id: caseId(spec), error: String(error?.stack ?? error) } };
  }
  emit('READY', { ...out, results: [prepared.result] });
  if (prepared.rep) {
    const { createInterface } = await import('node:readline');
    for await (const line of createInterface({ input: process.stdin })) {
      if (line === 'rep') {
        emit('REP', prepared.rep());
      } else if (line === 'end') {
        emit('DONE', prepared.finish());
        break;
      }
    }
  }
  if (isDeno) globalThis.Deno.exit(0);
  else process.exit(0);
} else if (memoryArg) {
  const [keys, count] = memoryArg.split(':');
  out.results.push(memory(adapter, keys, Number(count), hooks));
  emit('RESULT', out);
} else {
  const cases = casesArg
    ? casesArg.split(',').map((c) => {
        const [workload, size, keys] = c.split(':');
        return { workload, size: Number(size), keys };
      })
    : [{ workload: rest[0], size: Number(rest[1]), keys: rest[2] }];
  for (const c of cases) {
    try {
      out.results.push(measure(adapter, { ...c, ops, reps, warmup, checkOps }));
    } catch (error) {
      out.results.push({ lib, ...c, id: caseId(c), error: String(error?.stack ?? error) });
    }
  }
  emit('RESULT', out);
}
