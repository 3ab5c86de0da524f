// The shared cases in a headless browser, one engine per run: EDGE_LRU_BROWSER=chromium,
// firefox or webkit (js/scripts/browsers.mjs starts it and its WebDriver server). Serves
// js/ with the repository's static server on 127.0.0.1 (random port), opens
// test/hosts/browser.html, whose module script imports ../../dist/browser.mjs and the
// cases, and reads the results back, one node:test test each. The page may reach its own
// origin only: the server's Content-Security-Policy makes the browser refuse anything
// else, and the page counts each refusal (and each error it saw) as a failure.
//
//   EDGE_LRU_BROWSER=firefox js/node_modules/.bin/node --test js/test/hosts/browser.test.mjs

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, launch } from '../../scripts/browsers.mjs';
import { serve } from '../../scripts/static-server.mjs';
import { reportCases } from './report-cases.mjs';

const js = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TIMEOUT = Number(process.env.EDGE_LRU_BROWSER_TIMEOUT ?? 120_000);
const engine = process.env.EDGE_LRU_BROWSER ?? 'chromium';
if (!ENGINES.includes(engine)) throw new RangeError(`EDGE_LRU_BROWSER=${engine}: not one of ${ENGINES.join(', ')}`);

/** Own origin only; wasm compiled from bytes and the page's inline module allowed. */
const CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; connect-src 'self'";

async function runInBrowser() {
  const server = await serve({ root: js, headers: { 'cache-control': 'no-store', 'content-security-policy': CSP } });
  let browser;
  try {
    browser = await launch(engine);
    console.log(`${engine}: ${browser.version}`);
    const { driver } = browser;
    await driver.get(`${server.origin}/test/hosts/browser.html`);
    await driver.wait(() => driver.executeScript('return Array.isArray(window.__edgeLruResults)'), TIMEOUT, `${engine}: no results in ${TIMEOUT} ms`);
    const { results, errors, refused } = await driver.executeScript(
      'return { results: window.__edgeLruResults, errors: window.__edgeLruErrors, refused: window.__edgeLruRefused }',
    );
    results.push({ name: 'no page errors', ok: errors.length === 0, error: errors.join('\n') });
    results.push({ name: 'own origin traffic only', ok: refused.length === 0, error: `refused: ${refused.join(', ')}` });
    return results;
  } finally {
    await browser?.close();
    await server.close();
  }
}

await reportCases(engine, runInBrowser);
