// The shared cases inside workerd (Cloudflare's Workers runtime) through Miniflare: a
// module worker imports js/dist/workerd.mjs, whose `.wasm` import is loaded by a
// CompiledWasm module rule as wrangler does, runs every case on one request and
// answers with JSON results, one node:test test each. Needs Node >= 22 (miniflare):
//
//   js/node_modules/.bin/node --test js/test/hosts/workerd.test.mjs

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportCases } from './report-cases.mjs';
import { runWorker } from './run-worker.mjs';

const js = join(dirname(fileURLToPath(import.meta.url)), '../..');

await reportCases('workerd', () =>
  runWorker({
    scriptPath: join(js, 'test/hosts/workerd-worker.js'),
    modulesRoot: js,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
  }),
);
