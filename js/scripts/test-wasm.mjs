// Runs the wasm-bindgen-test suites of the wasm crate: its shared tests compiled to
// wasm32, in Node (tests/node.rs; on the machine's Node and on Node 24) and in headless
// Chromium, Firefox and WebKit (tests/browser.rs, with the crate's webdriver.json; the
// engines of js/scripts/browsers.mjs). wasm-pack drives Chromium and Firefox; WebKit
// goes through wasm-bindgen-test-runner's Safari path (SAFARIDRIVER=WebKitWebDriver),
// its MiniBrowser on a private Xvfb display.
//
// The browser runner silently skips tests not configured for it and still exits 0, so
// every run's libtest `test result:` lines are read: a suite must report more than 0
// passed and 0 failed.
//
//   npm --prefix js run test:wasm                  all suites (scripts/test-wasm.sh)
//   npm --prefix js run test:wasm -- node          Node only
//   npm --prefix js run test:wasm -- browser       every browser engine
//   npm --prefix js run test:wasm -- firefox       one engine (chromium, firefox, webkit)

import { existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINES, installedVersion, missingTools, startXvfb, TOOLS } from './browsers.mjs';
import { env, libtestCount, machineNode, node24, requireTools, root, runner, scratch, selectSuites, versionOf } from './suites.mjs';

/** The crate that holds the wasm-bindgen tests: `wasm/`, or the repository root before that crate existed. */
const CRATE = existsSync(join(root, 'wasm/Cargo.toml')) ? join(root, 'wasm') : root;

const argv = process.argv.slice(2).flatMap((a) => (a === 'browser' ? ENGINES : [a]));
const suites = selectSuites(argv, ['node', ...ENGINES]);
requireTools([node24, ...suites.filter((s) => ENGINES.includes(s)).flatMap(missingTools)]);
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

// The runner takes the first of GECKODRIVER, SAFARIDRIVER, CHROMEDRIVER it finds set:
// each run sets its own and none of the others.
const drivers = Object.fromEntries(Object.entries(env).filter(([name]) => !/^(GECKO|SAFARI|CHROME)DRIVER$/.test(name)));
const browserTest = ['--', '--test', 'browser'];
for (const engine of ENGINES.filter((e) => suites.includes(e))) {
  const label = `${engine} (${installedVersion(engine)})`;
  const { driver } = TOOLS[engine];
  if (engine === 'chromium') {
    await suite(label, 'wasm-pack', ['test', '--headless', '--chrome', '--chromedriver', driver, ...browserTest], {
      ...base,
      env: { ...drivers, ...timeout },
    });
  } else if (engine === 'firefox') {
    await suite(label, 'wasm-pack', ['test', '--headless', '--firefox', '--geckodriver', driver, ...browserTest], {
      ...base,
      env: { ...drivers, ...timeout },
    });
  } else {
    const xvfb = await startXvfb();
    await suite(label, 'cargo', ['test', '--target', 'wasm32-unknown-unknown', '--locked', '--test', 'browser'], {
      ...base,
      env: {
        ...drivers,
        ...timeout,
        DISPLAY: xvfb.display,
        SAFARIDRIVER: driver,
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: 'wasm-bindgen-test-runner',
      },
    });
    await xvfb.close();
  }
}
finish();
