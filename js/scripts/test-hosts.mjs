// Runs the npm package's tests on every JS host, then the packaging test:
//
//   node      js/test/*.test.{mjs,cjs} with node:test, on the machine's Node and Node 24
//   deno      js/test/hosts/deno.test.js, with no permissions at all
//   workerd   js/test/hosts/workerd.test.mjs (Miniflare; the .wasm as a CompiledWasm module)
//   chromium  js/test/hosts/browser.test.mjs in headless Chromium, Firefox and WebKit
//   firefox   (selenium-webdriver; the engines of js/scripts/browsers.mjs), own origin only
//   webkit
//   package   js/test/hosts/package.test.mjs (npm pack, install into fresh projects, use from
//             Node ESM/CJS, Deno, workerd and TypeScript)
//   scripts   js/scripts/*.test.mjs (the static server the browser suites use)
//
// Each suite prints `label: N passed, M failed`; it fails on any failure, on a missing
// count or when nothing ran, and the runner exits 1 when any suite fails. js/dist is
// built only when missing (scripts/test.sh builds first).
//
//   npm --prefix js run test:hosts                   all suites (scripts/test-hosts.sh)
//   npm --prefix js run test:hosts -- deno firefox   some of them

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINES, installedVersion, missingTools } from './browsers.mjs';
import { bin, denoCount, ensureDist, js, machineNode, node24, nodeTests, requireTools, runner, selectSuites, versionOf } from './suites.mjs';

const SUITES = ['node', 'deno', 'workerd', ...ENGINES, 'package', 'scripts'];
const suites = selectSuites(process.argv.slice(2), SUITES);
requireTools([
  node24,
  ...['deno', 'esbuild', 'tsc', 'miniflare'].map((t) => join(bin, t)),
  join(js, 'node_modules/selenium-webdriver'),
  ...suites.filter((s) => ENGINES.includes(s)).flatMap(missingTools),
]);
await ensureDist();

const testFiles = (dir, pattern) =>
  readdirSync(join(js, dir))
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => join(dir, f));

const { suite, finish } = runner('host tests');
for (const name of suites) {
  switch (name) {
    case 'node': {
      const files = testFiles('test', /\.test\.(mjs|cjs|js)$/);
      for (const node of [machineNode, node24]) {
        await nodeTests(suite, `node ${await versionOf(node)}`, node, files, { flags: ['--expose-gc'] });
      }
      break;
    }
    case 'deno':
      await suite(
        `deno ${(await versionOf(join(bin, 'deno'))).split(' ')[1]}`,
        join(bin, 'deno'),
        ['test', '--no-prompt', 'test/hosts/deno.test.js'],
        { cwd: js, count: denoCount },
      );
      break;
    case 'chromium':
    case 'firefox':
    case 'webkit':
      await nodeTests(suite, `${name} (${installedVersion(name)})`, node24, ['test/hosts/browser.test.mjs'], {
        extraEnv: { EDGE_LRU_BROWSER: name },
      });
      break;
    case 'workerd':
    case 'package':
      // Miniflare needs Node >= 22: these run on Node 24.
      await nodeTests(suite, name, node24, [`test/hosts/${name}.test.mjs`]);
      break;
    case 'scripts':
      await nodeTests(suite, name, machineNode, testFiles('scripts', /\.test\.mjs$/));
      break;
  }
}
finish();
