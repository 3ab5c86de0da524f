// Runs the shared cases inside workerd (Cloudflare's Workers runtime) through Miniflare:
// a module worker imports js/dist/workerd.mjs, whose `.wasm` import is loaded by a
// CompiledWasm module rule as wrangler does, runs every case on one request and
// answers with JSON results. Needs Node >= 22 (miniflare):
//
//   js/node_modules/.bin/node js/test/hosts/workerd.mjs

import { Miniflare } from 'miniflare';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, reportCrash } from './report.mjs';

const js = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts Miniflare for a worker, fetches `/` and returns the parsed JSON results. */
export async function runWorker({ scriptPath, modulesRoot, modulesRules }) {
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot,
    modulesRules,
    compatibilityDate: '2026-01-01',
    host: '127.0.0.1',
    port: 0,
  });
  try {
    const response = await mf.dispatchFetch('http://localhost/');
    const body = await response.text();
    if (!response.ok) throw new Error(`worker answered ${response.status}: ${body}`);
    return JSON.parse(body);
  } finally {
    await mf.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let code;
  try {
    const results = await runWorker({
      scriptPath: join(js, 'test/hosts/workerd-worker.js'),
      modulesRoot: js,
      modulesRules: [
        { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
        { type: 'CompiledWasm', include: ['**/*.wasm'] },
      ],
    });
    code = report('workerd', results);
  } catch (error) {
    code = reportCrash('workerd', error);
  }
  process.exit(code);
}
