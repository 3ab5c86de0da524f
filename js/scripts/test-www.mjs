// End-to-end test of the demo page (www/test/e2e.test.mjs, node:test) in headless Chromium
// and Firefox, one run per engine (the engines www/test/webdriver-page.mjs can drive).
// Builds the npm package if js/dist is missing (or, with --rebuild, always), copies it
// into www/vendor/ (www/build.mjs), then runs the test. Screenshots land in
// www/test-results/<engine>/.
//
//   npm --prefix js run test:www                 against the current js/dist (scripts/test-www.sh)
//   npm --prefix js run test:www -- --rebuild    rebuild the package first
//   npm --prefix js run test:www -- firefox      one engine

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { E2E_ENGINES } from '../../www/test/webdriver-page.mjs';
import { installedVersion, missingTools } from './browsers.mjs';
import { ensureDist, js, machineNode, nodeTests, requireTools, root, runner, selectSuites } from './suites.mjs';

const args = process.argv.slice(2);
const engines = selectSuites(args.filter((a) => a !== '--rebuild'), [...E2E_ENGINES]);
requireTools([join(js, 'node_modules/selenium-webdriver'), ...engines.flatMap(missingTools)]);
await ensureDist({ rebuild: args.includes('--rebuild') });

// Say so when the package is older than its sources, rather than rebuilding js/dist
// under whoever else is using it.
const newer = execFileSync('find', ['src', 'js/src', 'Cargo.toml', '-newer', 'js/dist/browser.mjs', '-type', 'f'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
}).trim();
if (newer) console.error(`note: js/dist is older than its sources (${newer.split('\n').slice(0, 3).join(', ')}); pass --rebuild to rebuild it`);

execFileSync(machineNode, [join(root, 'www/build.mjs')], { stdio: 'inherit' });
const { suite, finish } = runner('demo page tests');
for (const engine of engines) {
  await nodeTests(suite, `www e2e, ${engine} (${installedVersion(engine)})`, machineNode, ['www/test/e2e.test.mjs'], {
    cwd: root,
    flags: ['--test-timeout=120000'],
    extraEnv: { EDGE_LRU_BROWSER: engine },
  });
}
finish();
