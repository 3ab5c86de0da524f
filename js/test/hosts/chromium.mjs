// Runs the shared cases in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): serves js/ from a tiny static server on 127.0.0.1 (random port),
// opens test/hosts/browser.html, whose module script imports ../../dist/browser.mjs
// and the cases, and reads the results back. Only loopback traffic is allowed: any
// other request is aborted and counted as a failure.
//
//   node js/test/hosts/chromium.mjs          (CHROMIUM=/path/to/chrome to override)

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/chromium.mjs';
import { report, reportCrash } from './report.mjs';

const js = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TIMEOUT = Number(process.env.EDGE_LRU_BROWSER_TIMEOUT ?? 120_000);
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Serves the files under `root`, GET only, on 127.0.0.1 at a random port. */
async function serve(root) {
  const server = createServer(async (req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (req.method !== 'GET' || !path.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function main() {
  const server = await serve(js);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  const blocked = [];
  const pageErrors = [];
  try {
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
    if (pageErrors.length) results.push({ name: 'chromium: no page errors', ok: false, error: pageErrors.join('\n') });
    if (blocked.length) {
      results.push({ name: 'chromium: loopback traffic only', ok: false, error: `blocked: ${blocked.join(', ')}` });
    }
    return { results, version: browser.version() };
  } finally {
    await browser.close();
    server.close();
  }
}

let code;
try {
  const { results, version } = await main();
  console.log(`Chromium ${version}`);
  code = report('chromium', results);
} catch (error) {
  code = reportCrash('chromium', error);
}
process.exit(code);
