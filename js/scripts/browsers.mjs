// The browser engines every browser job here runs in, all from Debian and crates.io,
// driven over W3C WebDriver by selenium-webdriver:
//
//   chromium  Debian's /usr/bin/chromium with /usr/bin/chromedriver, headless
//   firefox   Debian's /usr/bin/firefox-esr with geckodriver (crates.io), -headless
//   webkit    WebKitGTK's MiniBrowser with /usr/bin/WebKitWebDriver; MiniBrowser has no
//             headless mode, so it runs on a private Xvfb display started here
//
// Each path can be overridden: CHROMIUM, CHROMEDRIVER, FIREFOX, GECKODRIVER, MINIBROWSER,
// WEBKITDRIVER. Shared by the shared cases in the browser (js/test/hosts/browser.test.mjs),
// the wasm-bindgen suites (js/scripts/test-wasm.mjs), the demo page's end-to-end test
// (www/test/e2e.test.mjs) and the benchmark (js/bench/run.mjs).
//
//   const browser = await launch('firefox', { width: 1366, height: 900 });
//   await browser.driver.get(url); ...; await browser.close();

import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

/** The engines, in the order the test command runs them. */
export const ENGINES = Object.freeze(['chromium', 'firefox', 'webkit']);

const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Per engine: the browser binary, its WebDriver server, and how to ask each for its version. */
export const TOOLS = Object.freeze({
  chromium: { browser: CHROMIUM, driver: process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver' },
  firefox: {
    browser: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    driver: process.env.GECKODRIVER ?? join(homedir(), '.cargo/bin/geckodriver'),
  },
  webkit: { browser: MINIBROWSER, driver: process.env.WEBKITDRIVER ?? '/usr/bin/WebKitWebDriver' },
});

/** The X server WebKit's MiniBrowser needs. */
export const XVFB = process.env.XVFB ?? '/usr/bin/Xvfb';

/** The binaries an engine needs that are not installed (empty when it can run). */
export function missingTools(engine) {
  const { browser, driver } = TOOLS[engine];
  return [browser, driver, ...(engine === 'webkit' ? [XVFB] : [])].filter((p) => !existsSync(p));
}

/** Exits with a message when an unknown engine is named; returns the engines chosen (all by default). */
export function chooseEngines(names) {
  const chosen = names.length ? names : [...ENGINES];
  const unknown = chosen.filter((e) => !ENGINES.includes(e));
  if (unknown.length) {
    console.error(`unknown browser engine ${unknown.join(', ')} (known: ${ENGINES.join(', ')})`);
    process.exit(2);
  }
  return chosen;
}

/** The version of an engine's browser as installed, e.g. `Firefox 153.8.0esr`, without starting a session. */
export function installedVersion(engine) {
  if (engine === 'webkit') {
    // MiniBrowser prints no version; WebKitGTK's is that of its library package.
    const out = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' });
    return `WebKitGTK ${out.split('-')[0]}`;
  }
  const out = execFileSync(TOOLS[engine].browser, ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.replace(/^Mozilla /, '').replace(/ built on .*/s, '').trim();
}

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/**
 * Starts a program and resolves once `ready(output)` holds for what it printed (without
 * `ready`, once it has started); rejects if it exits first.
 */
function start(command, args, { env = process.env, ready, stdio = ['ignore', 'pipe', 'pipe'], timeout = 20_000 }) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env, stdio });
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      fail(new Error(`${command} did not start in ${timeout / 1000} s: ${output.trim()}`));
    }, timeout);
    const read = (chunk) => {
      output += chunk;
      if (ready?.(output)) {
        clearTimeout(timer);
        done({ child, output });
      }
    };
    for (const stream of child.stdio.slice(1)) stream?.on('data', read);
    if (!ready) {
      child.once('spawn', () => {
        clearTimeout(timer);
        done({ child, output });
      });
    }
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${command} exited (${code ?? signal}) before it was ready: ${output.trim()}`));
    });
  });
}

/** Stops a child started here and waits for it to go. */
function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill();
  });
}

/**
 * Starts a private Xvfb on the first free display (Xvfb picks it: -displayfd) and
 * resolves with `{ display, close }`.
 */
export async function startXvfb() {
  const { child, output } = await start(XVFB, ['-displayfd', '3', '-screen', '0', '1920x1200x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    ready: (text) => /^\d+\n/.test(text),
  });
  const display = `:${output.trim()}`;
  return { display, close: () => stop(child) };
}

/** The command line that starts an engine's WebDriver server on `port`. */
function driverArgs(engine, port) {
  if (engine === 'firefox') return ['--host', '127.0.0.1', '--port', String(port), '--allow-system-access'];
  return [`--port=${port}`];
}

/**
 * The WebDriver capabilities of a session on `engine` with a `width`×`height` window.
 * `firefoxPrefs` are extra Firefox preferences.
 */
function capabilities(engine, { width, height, firefoxPrefs = {} }) {
  const { browser } = TOOLS[engine];
  switch (engine) {
    case 'chromium':
      return {
        browserName: 'chrome',
        'goog:chromeOptions': {
          binary: browser,
          args: ['--headless=new', ...CHROMIUM_ARGS, `--window-size=${width},${height}`],
        },
      };
    case 'firefox':
      return {
        browserName: 'firefox',
        'moz:firefoxOptions': {
          binary: browser,
          args: ['-headless', `--width=${width}`, `--height=${height}`],
          prefs: { 'app.update.enabled': false, 'browser.shell.checkDefaultBrowser': false, ...firefoxPrefs },
        },
      };
    case 'webkit':
      return {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: browser, args: ['--automation'] },
      };
  }
  throw new RangeError(`unknown browser engine ${engine}`);
}

/**
 * Starts `engine` (its WebDriver server, its browser, and for WebKit an Xvfb) and resolves
 * with `{ engine, driver, version, close }`: `driver` is a selenium-webdriver WebDriver
 * (a chrome.Driver or firefox.Driver for those engines, with their extensions),
 * `version` the browser's own `browserName browserVersion`.
 *
 * @param {string} engine one of ENGINES
 * @param {{ width?: number, height?: number, firefoxPrefs?: Record<string, unknown> }} [options]
 */
export async function launch(engine, { width = 1366, height = 900, firefoxPrefs } = {}) {
  const missing = missingTools(engine);
  if (missing.length) throw new Error(`${engine}: missing ${missing.join(', ')}; run scripts/setup.sh`);
  const { Builder, Capabilities } = await import('selenium-webdriver');
  const cleanup = [];
  const close = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
    cleanup.length = 0;
  };
  try {
    const env = { ...process.env };
    if (engine === 'webkit') {
      const xvfb = await startXvfb();
      cleanup.push(xvfb.close);
      env.DISPLAY = xvfb.display;
    }
    const port = await freePort();
    const server = await start(TOOLS[engine].driver, driverArgs(engine, port), {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    cleanup.push(() => stop(server.child));
    const url = `http://127.0.0.1:${port}`;
    await waitForDriver(url);
    const caps = new Capabilities(capabilities(engine, { width, height, firefoxPrefs }));
    const builder = new Builder().disableEnvironmentOverrides().usingServer(url).withCapabilities(caps);
    if (engine !== 'webkit') builder.forBrowser(engine === 'chromium' ? 'chrome' : 'firefox');
    const driver = await builder.build();
    cleanup.push(() => driver.quit());
    const got = await driver.getCapabilities();
    const version = `${got.get('browserName')} ${got.get('browserVersion')}`;
    if (engine === 'webkit') await driver.manage().window().setRect({ width, height });
    return { engine, driver, version, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Polls a WebDriver server's /status until it answers ready. */
async function waitForDriver(url, timeout = 20_000) {
  const until = Date.now() + timeout;
  let last = '';
  while (Date.now() < until) {
    try {
      const res = await fetch(`${url}/status`);
      const body = await res.json();
      if (body?.value?.ready !== false) return;
      last = JSON.stringify(body);
    } catch (error) {
      last = error.message;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`the WebDriver server at ${url} did not get ready: ${last}`);
}
