// The browser counterpart of worker.mjs: run.mjs opens page.html in a fresh browser
// context and calls runBench(). Each library's adapter is an esbuild bundle served
// under /bundles/ (edge-lru resolves to dist/browser.mjs there).

import { caseId, clockName, measure, memory } from './harness.mjs';

const hooks = {
  gc: () => {
    if (typeof globalThis.gc !== 'function') throw new Error('launch Chromium with --js-flags=--expose-gc');
    globalThis.gc();
  },
  // Tells the driver when the timed passes start and end (it samples /proc/stat then);
  // the binding call only posts a message, it does not wait for an answer.
  mark: (label) => {
    if (typeof globalThis.__benchMark === 'function') globalThis.__benchMark(label);
  },
  heapUsed: () => {
    if (!performance.memory) throw new Error('launch Chromium with --enable-precise-memory-info');
    return performance.memory.usedJSHeapSize;
  },
};

globalThis.runBench = async ({ lib, cases = [], memoryCase = null, ops, reps, warmup, checkOps }) => {
  const adapter = await import(`/bundles/${lib}.mjs`);
  const out = {
    runtime: { host: 'chromium', userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated },
    clock: clockName,
    results: [],
  };
  if (memoryCase) {
    out.results.push(memory(adapter, memoryCase.keys, memoryCase.count, hooks));
    return out;
  }
  for (const c of cases) {
    try {
      out.results.push(measure(adapter, { ...c, ops, reps, warmup, checkOps }, hooks));
    } catch (error) {
      out.results.push({ lib, ...c, id: caseId(c), error: String(error?.stack ?? error) });
    }
  }
  return out;
};
globalThis.benchReady = true;
