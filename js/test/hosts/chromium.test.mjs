// The shared cases in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): serves js/ with the repository's static server on 127.0.0.1 (random
// port), opens test/hosts/browser.html, whose module script imports
// ../../dist/browser.mjs and the cases, and reads the results back, one node:test test
// each. Only loopback traffic is allowed: any other request is aborted and counted as a
// failure.
//
//   js/node_modules/.bin/node --test js/test/hosts/chromium.test.mjs   (CHROMIUM=... to override)

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/chromium.mjs';
import { serve } from '../../scripts/static-server.mjs';
import { reportCases } from './report-cases.mjs';

const js = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TIMEOUT = Number(process.env.EDGE_LRU_BROWSER_TIMEOUT ?? 120_000);

async function runInChromium() {
  const server = await serve({ root: js, headers: { 'cache-control': 'no-store' } });
  const { origin } = server;
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
    console.log(`Chromium ${browser.version()}`);
    const blocked = [];
    const pageErrors = [];
    const context = await browser.newContext({ serviceWorkers: 'block' });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + '/')) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.stack ?? String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
    });
    await page.goto(`${origin}/test/hosts/browser.html`);
    await page.waitForFunction(() => Array.isArray(window.__edgeLruResults), null, { timeout: TIMEOUT });
    const results = await page.evaluate(() => window.__edgeLruResults);
    results.push({ name: 'no page errors', ok: pageErrors.length === 0, error: pageErrors.join('\n') });
    results.push({ name: 'loopback traffic only', ok: blocked.length === 0, error: `blocked: ${blocked.join(', ')}` });
    return results;
  } finally {
    await browser?.close();
    await server.close();
  }
}

await reportCases('chromium', runInChromium);
