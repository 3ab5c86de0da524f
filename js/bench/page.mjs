// The browser counterpart of worker.mjs: run.mjs opens page.html in a fresh browser
// context (its own renderer process) and calls these functions. Each library's adapter
// is an esbuild bundle served under /bundles/ (edge-lru resolves to dist/browser.mjs).

import { caseId, clockName, measure, memory, prepare } from './harness.mjs';

const hooks = {
  gc: () => {
    if (typeof globalThis.gc !== 'function') throw new Error('launch Chromium with --js-flags=--expose-gc');
    globalThis.gc();
  },
  heapUsed: () => {
    if (!performance.memory) throw new Error('launch Chromium with --enable-precise-memory-info');
    return performance.memory.usedJSHeapSize;
  },
};

const runtime = () => ({
  host: new URL(location.href).searchParams.get('host') ?? 'chromium',
  userAgent: navigator.userAgent,
  crossOriginIsolated: globalThis.crossOriginIsolated,
});

let prepared = null;

/** Served mode, step 1: prepare one case (keys, streams, correctness pass, warm-up). */
globalThis.prepareBench = async ({ lib, spec }) => {
  const adapter = await import(`/bundles/${lib}.mjs`);
  try {
    prepared = prepare(adapter, spec);
  } catch (error) {
    prepared = { result: { lib, ...spec, id: caseId(spec), error: String(error?.stack ?? error) } };
  }
  return { runtime: runtime(), clock: clockName, results: [prepared.result] };
};
/** Step 2, repeated: one timed pass; returns ns/op. */
globalThis.repBench = () => prepared.rep();
/** Step 3: checksum and final size. */
globalThis.finishBench = () => prepared.finish();

/** Standalone mode (smoke runs, memory): everything in one call. */
globalThis.runBench = async ({ lib, cases = [], memoryCase = null, ops, reps, warmup, checkOps }) => {
  const adapter = await import(`/bundles/${lib}.mjs`);
  const out = { runtime: runtime(), clock: clockName, results: [] };
  if (memoryCase) {
    out.results.push(memory(adapter, memoryCase.keys, memoryCase.count, hooks));
    return out;
  }
  for (const c of cases) {
    try {
      out.results.push(measure(adapter, { ...c, ops, reps, warmup, checkOps }));
    } catch (error) {
      out.results.push({ lib, ...c, id: caseId(c), error: String(error?.stack ?? error) });
    }
  }
  return out;
};
globalThis.benchReady = true;
