// Runs the wasm-bindgen-test suites of the wasm crate: its shared tests compiled to
// wasm32, in Node (tests/node.rs; on the machine's Node and on Node 24) and in headless
// Chromium (tests/browser.rs, with the crate's webdriver.json).
//
// The browser runner silently skips tests not configured for it and still exits 0, so
// every run's libtest `test result:` lines are read: a suite must report more than 0
// passed and 0 failed.
//
//   npm --prefix js run test:wasm                  all suites (scripts/test-wasm.sh)
//   npm --prefix js run test:wasm -- node          Node only
//   npm --prefix js run test:wasm -- browser       Chromium only

import { existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { env, libtestCount, machineNode, node24, requireTools, root, runner, scratch, selectSuites, versionOf } from './suites.mjs';

/** The crate that holds the wasm-bindgen tests: `wasm/`, or the repository root before that crate existed. */
const CRATE = existsSync(join(root, 'wasm/Cargo.toml')) ? join(root, 'wasm') : root;
const CHROMEDRIVER = process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver';

const suites = selectSuites(process.argv.slice(2), ['node', 'browser']);
requireTools([node24]);
const base = { cwd: CRATE, count: libtestCount };
const timeout = { WASM_BINDGEN_TEST_TIMEOUT: process.env.WASM_BINDGEN_TEST_TIMEOUT ?? '120' };

const { suite, finish } = runner('wasm-bindgen-test');
if (suites.includes('node')) {
  const args = ['test', '--node', '--', '--test', 'node'];
  await suite(`node ${await versionOf(machineNode)}`, 'wasm-pack', args, { ...base, env: { ...env, ...timeout } });
  // wasm-bindgen-test-runner starts `node` from PATH: put Node 24 first.
  const shim = join(scratch, 'node24-bin');
  mkdirSync(shim, { recursive: true });
  symlinkSync(realpathSync(node24), join(shim, 'node'));
  await suite(`node ${await versionOf(node24)}`, 'wasm-pack', args, {
    ...base,
    env: { ...env, ...timeout, PATH: `${shim}:${env.PATH}` },
  });
}
if (suites.includes('browser')) {
  await suite('chromium', 'wasm-pack', ['test', '--headless', '--chrome', '--chromedriver', CHROMEDRIVER, '--', '--test', 'browser'], {
    ...base,
    env: { ...env, ...timeout },
  });
}
finish();
