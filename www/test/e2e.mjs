// End-to-end test of the demo page: serves www/ on a random loopback port, drives the page
// in Debian's /usr/bin/chromium through playwright-core, and checks what the page shows
// against the package's own view of the cache (window.demo.cache).
//
//   node www/build.mjs && node www/test/e2e.mjs        (or scripts/test-www.sh)
//
// Prints one line per check and a closing `N passed, M failed`; exits non-zero on any
// failure or when no check ran. Screenshots go to www/test-results/.

import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS } from '../../js/scripts/chromium.mjs';
import { startServer } from '../serve.mjs';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(www, '..');
const results = join(www, 'test-results');
const require = createRequire(join(root, 'js', 'package.json'));
const { chromium } = require('playwright-core');

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

// ---- a tiny test runner: each check is a test; failures do not stop the run ----

let passed = 0;
let failed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(error?.stack ?? error).split('\n').slice(0, 4).join('\n     ')}`);
  }
}

const percent = (ratio) => `${Math.round(ratio * 100)}%`;

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function assertEqual(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

// ---- setup ----

if (!existsSync(join(www, 'vendor', 'edge-lru', 'browser.mjs'))) {
  console.error('www/vendor/edge-lru/browser.mjs is missing: run `node www/build.mjs` (or scripts/test-www.sh)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: install Debian's chromium (scripts/setup.sh)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

mkdirSync(results, { recursive: true });
const { server, url: base } = await startServer({ port: 0 });
const profile = mkdtempSync(join(tmpdir(), 'edge-lru-www-'));
const context = await chromium
  .launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: DESKTOP,
    args: [...CHROMIUM_ARGS],
  })
  .catch((error) => {
    console.error(`could not start ${CHROMIUM}: ${error.message.split('\n')[0]}`);
    console.log('0 passed, 1 failed');
    server.close();
    rmSync(profile, { recursive: true, force: true });
    process.exit(1);
  });
// A hard stop, so a hung browser cannot hang the caller.
const watchdog = setTimeout(() => {
  console.error('e2e: timed out after 180 s');
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, 180_000);

const consoleErrors = [];
const failedRequests = [];
const foreignRequests = [];
const requests = [];
function watch(page) {
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') consoleErrors.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on('request', (request) => {
    requests.push(request.url());
    const url = request.url();
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  page.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
  });
}

const page = await context.newPage();
watch(page);

// ---- helpers that use the page as a user would, and read the cache through the package ----

const shown = () => page.$$eval('#cache-list > li[data-key]', (items) => items.map((li) => li.dataset.key));
const cacheKeys = () => page.evaluate(() => [...window.demo.cache.keys()]);
const stats = () => page.evaluate(() => window.demo.cache.stats);

async function expectShownMatchesCache(expected) {
  const [onPage, inCache] = [await shown(), await cacheKeys()];
  assertEqual(onPage, inCache, 'order on the page vs cache.keys()');
  if (expected) assertEqual(inCache, expected, 'cache.keys()');
  // The layout keeps that order on screen: left to right, then top to bottom. (offsetTop
  // and offsetLeft ignore the transforms of entries still sliding into place.)
  const onScreen = await page.$$eval('#cache-list > li[data-key]', (items) =>
    items
      .map((li) => ({ key: li.dataset.key, top: li.offsetTop, left: li.offsetLeft }))
      .sort((a, b) => a.top - b.top || a.left - b.left)
      .map((e) => e.key),
  );
  assertEqual(onScreen, onPage, 'reading order on screen vs DOM order');
}

async function byHand(op, key, value) {
  await page.fill('#key', key);
  if (value !== undefined) await page.fill('#value', value);
  await page.click(`#hand-form button[value="${op}"]`);
}

async function setCapacity(target) {
  // The capacity is a range input: drive it with the keyboard, one step per key press.
  const slider = page.locator('#capacity');
  await slider.focus();
  let current = Number(await slider.inputValue());
  for (let presses = 0; current !== target; presses++) {
    if (presses > 40) throw new Error(`the capacity slider is stuck at ${current}, wanted ${target}`);
    await page.keyboard.press(current > target ? 'ArrowLeft' : 'ArrowRight');
    current = Number(await slider.inputValue());
  }
}

const logItems = (selector) =>
  page.$$eval(`#log .log-item${selector}`, (items) =>
    items.map((p) => ({ kind: p.dataset.kind, subject: p.dataset.subject, reason: p.dataset.reason, text: p.textContent })),
  );

// ---- the checks ----

try {
  await test('page loads and runs the real package (browser entry + wasm)', async () => {
    const response = await page.goto(base);
    assert(response.ok(), `GET / returned ${response.status()}`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
    const info = await page.evaluate(() => ({
      isCache: window.demo.cache instanceof window.demo.LRUCache,
      tag: Object.prototype.toString.call(window.demo.cache),
      memory: window.demo.wasmMemorySize(),
    }));
    assert(info.isCache && info.tag === '[object LRUCache]', `window.demo.cache is not an LRUCache: ${info.tag}`);
    assert(info.memory > 0, 'wasmMemorySize() is 0: no wasm instance');
    for (const path of ['vendor/edge-lru/browser.mjs', 'vendor/edge-lru/lru.js', 'vendor/edge-lru/wasm/edge_lru.js', 'vendor/edge-lru/wasm/inline.js']) {
      assert(requests.includes(base + path), `the page did not load ${path}`);
    }
    assertEqual(await page.title(), 'Watch LRU eviction happen · edge-lru', 'title');
  });

  await test('server: MIME types, index, 404 and no escape from www/', async () => {
    const check = async (path, status, type) => {
      const res = await fetch(base + path);
      assertEqual(res.status, status, `status of ${path}`);
      if (type) assert(res.headers.get('content-type').startsWith(type), `${path} is ${res.headers.get('content-type')}, want ${type}`);
      await res.arrayBuffer();
    };
    await check('', 200, 'text/html');
    await check('app.js', 200, 'text/javascript');
    await check('vendor/edge-lru/browser.mjs', 200, 'text/javascript');
    await check('vendor/edge-lru/edge_lru_bg.wasm', 200, 'application/wasm');
    await check('style.css', 200, 'text/css');
    await check('favicon.svg', 200, 'image/svg+xml');
    await check('nope.html', 404);
    await check('%2e%2e/js/package.json', 404);
    await check('vendor/..%2f..%2fjs/package.json', 404);
  });

  await test('capacity shown equals cache.max; the page starts empty', async () => {
    const max = await page.evaluate(() => window.demo.cache.max);
    assertEqual(Number(await page.inputValue('#capacity')), max, 'capacity slider vs cache.max');
    assertEqual(await page.textContent('#count-out'), `0 / ${max}`, 'entries meter');
    await expectShownMatchesCache([]);
  });

  await test('setting keys past capacity evicts the least recently used, with its reason', async () => {
    await setCapacity(4);
    assertEqual(await page.evaluate(() => window.demo.cache.max), 4, 'cache.max after the slider');
    for (const key of ['a', 'b', 'c', 'd']) {
      await byHand('set', key, `value ${key}`);
      await expectShownMatchesCache();
    }
    await expectShownMatchesCache(['d', 'c', 'b', 'a']);
    await byHand('set', 'e', 'value e');
    await expectShownMatchesCache(['e', 'd', 'c', 'b']);
    const evicted = await logItems('[data-kind="evicted"]');
    assertEqual(evicted.map((e) => [e.subject, e.reason]), [['a', 'evict']], 'eviction log entries');
    assert(/reason: evict/.test(evicted[0].text), `the log does not show the reason: ${evicted[0].text}`);
    assertEqual((await stats()).evictions, 1, 'stats.evictions');
    assertEqual(await page.textContent('#stat-evictions'), '1', 'evictions shown');
    assert((await page.textContent('#form-msg')).includes('Evicted a'), 'form message names the evicted key');
  });

  await test('a get hit moves the entry to the front', async () => {
    await byHand('get', 'b');
    await expectShownMatchesCache(['b', 'e', 'd', 'c']);
    assertEqual((await stats()).hits, 1, 'stats.hits');
    assertEqual(await page.textContent('#stat-hits'), '1', 'hits shown');
    const first = page.locator('#cache-list > li[data-key]').first();
    assert(await first.evaluate((li) => li.classList.contains('just-hit')), 'the hit entry is not highlighted');
    assertEqual((await logItems('[data-kind="hit"]'))[0]?.subject, 'b', 'hit logged');
  });

  await test('a get miss counts a miss and changes nothing', async () => {
    await byHand('get', 'zz');
    await expectShownMatchesCache(['b', 'e', 'd', 'c']);
    assertEqual((await stats()).misses, 1, 'stats.misses');
    assertEqual(await page.textContent('#stat-misses'), '1', 'misses shown');
    assertEqual(await page.textContent('#stat-ratio'), '50%', 'hit ratio shown');
  });

  await test('delete removes the entry (reason delete)', async () => {
    await byHand('delete', 'd');
    await expectShownMatchesCache(['b', 'e', 'c']);
    const removed = await logItems('[data-kind="removed"]');
    assertEqual([removed[0]?.subject, removed[0]?.reason], ['d', 'delete'], 'delete logged');
  });

  await test('shrinking the capacity evicts the oldest entries (reason resize)', async () => {
    await setCapacity(1);
    assertEqual(await page.evaluate(() => window.demo.cache.max), 1, 'cache.max');
    await expectShownMatchesCache(['b']);
    const resized = (await logItems('[data-reason="resize"]')).map((e) => e.subject);
    assertEqual(resized, ['e', 'c'], 'resize evictions, newest log line first (c went first)');
    assertEqual((await stats()).evictions, 3, 'stats.evictions');
    assertEqual(await page.textContent('#count-out'), '1 / 1', 'entries meter');
    await setCapacity(4);
    await expectShownMatchesCache(['b']);
    assertEqual(await page.$$eval('#cache-list > li.slot', (s) => s.length), 3, 'free slots drawn');
  });

  await test('pop removes the least recently used; clear empties the cache', async () => {
    await byHand('set', 'x', '1');
    await byHand('set', 'y', '2');
    const before = await cacheKeys();
    await page.click('#pop');
    assertEqual(await cacheKeys(), before.slice(0, -1), 'pop removed the last of keys()');
    await expectShownMatchesCache();
    await page.click('#clear');
    await expectShownMatchesCache([]);
    assert(await page.isVisible('#empty'), 'the empty-cache hint is shown');
    const cleared = await logItems('[data-reason="clear"]');
    assert(cleared.length === 1 && /2 entries/.test(cleared[0].text), `clear logged: ${JSON.stringify(cleared)}`);
    await byHand('set', 'b', 'value b');
  });

  await test('the byte budget recreates the cache with maxSize and shows totalSize', async () => {
    await page.check('#budget-on');
    const info = await page.evaluate(() => ({ maxSize: window.demo.cache.maxSize, totalSize: window.demo.cache.totalSize }));
    assertEqual(info.maxSize, Number(await page.inputValue('#budget')), 'cache.maxSize vs the budget slider');
    await expectShownMatchesCache(['b']); // the entry moved across
    for (const key of ['p', 'q', 'r']) await byHand('set', key, 'x'.repeat(60));
    await expectShownMatchesCache();
    const after = await page.evaluate(() => ({ totalSize: window.demo.cache.totalSize, maxSize: window.demo.cache.maxSize }));
    assertEqual(await page.textContent('#bytes-out'), `${after.totalSize} / ${after.maxSize} B`, 'bytes meter');
    assert(after.totalSize <= after.maxSize, 'over budget');
    // An entry bigger than the whole budget is refused; the page says so and does not throw.
    await byHand('set', 'huge', 'y'.repeat(200));
    await expectShownMatchesCache();
    assert(!(await cacheKeys()).includes('huge'), 'the oversized entry was stored');
    assert((await logItems('[data-kind="refused"]')).length === 1, 'the refusal is logged');
    // The budget slider makes a new cache with the new maxSize (keyboard: one step up).
    const budget = Number(await page.inputValue('#budget'));
    await page.locator('#budget').focus();
    await page.keyboard.press('ArrowRight');
    const step = Number(await page.getAttribute('#budget', 'step'));
    assertEqual(await page.evaluate(() => window.demo.cache.maxSize), budget + step, 'maxSize after the budget slider');
    await expectShownMatchesCache();
    await page.uncheck('#budget-on');
    assertEqual(await page.evaluate(() => window.demo.cache.maxSize), 0, 'maxSize after turning the budget off');
    await expectShownMatchesCache();
  });

  await test('simulation: single steps fetch through the cache and move the stats', async () => {
    await page.click('#sim-reset');
    await expectShownMatchesCache([]);
    assertEqual(await stats().then((s) => s.hits + s.misses), 0, 'lookups after reset');
    const steps = 6;
    for (let i = 0; i < steps; i++) {
      await page.click('#sim-step');
      await page.waitForFunction((n) => window.demo.sim.steps === n, i + 1);
      await expectShownMatchesCache();
    }
    const s = await stats();
    assertEqual(s.hits + s.misses, steps, 'lookups counted by the cache');
    assert(s.misses >= 1 && s.sets === s.misses, `every miss loads and sets: ${JSON.stringify(s)}`);
    assertEqual(await page.textContent('#stat-misses'), String(s.misses), 'misses shown');
    const ranks = await page.$$eval('#cache-list > li[data-key]', (items) => items.map((li) => li.dataset.rank));
    assert(ranks.length > 0 && ranks.every((r) => Number(r) >= 1), `every entry shows an activity rank: ${ranks}`);
    const points = await page.$eval('#chart polyline.total', (p) => p.getAttribute('points').trim().split(/\s+/).length);
    assertEqual(points, steps, 'chart points');
    assert((await page.textContent('#sim-status')).startsWith(`Step ${steps}:`), 'status line');
  });

  await test('simulation is deterministic for a seed', async () => {
    const sequence = async () => {
      await page.click('#sim-reset');
      for (let i = 0; i < 5; i++) await page.click('#sim-step');
      await page.waitForFunction(() => window.demo.sim.steps === 5);
      return (await logItems('[data-sim="true"]')).slice(0, 5).map((e) => e.subject);
    };
    const first = await sequence();
    const second = await sequence();
    assertEqual(second, first, 'same seed, same users');
    const seedBefore = await page.inputValue('#sim-seed');
    for (const bad of ['4294967296', '-1', '2.5']) {
      await page.fill('#sim-seed', bad);
      await page.dispatchEvent('#sim-seed', 'change');
      assertEqual(await page.inputValue('#sim-seed'), seedBefore, `seed ${bad} is put back`);
      assertEqual(String(await page.evaluate(() => window.demo.sim.seed)), seedBefore, `seed ${bad} is not used`);
    }
  });

  await test('run and pause', async () => {
    await page.click('#sim-reset');
    await page.locator('#sim-speed').focus();
    await page.keyboard.press('End'); // the fastest speed
    assertEqual(await page.inputValue('#sim-speed'), '30', 'speed slider');
    await page.click('#sim-run');
    assertEqual(await page.textContent('#sim-run'), 'Pause', 'run button label while running');
    assertEqual(await page.getAttribute('#log', 'aria-live'), 'off', 'log is quiet while running');
    await page.waitForFunction(() => window.demo.sim.steps >= 40, null, { timeout: 20_000 });
    await page.click('#sim-run');
    assertEqual(await page.textContent('#sim-run'), 'Run', 'run button label when paused');
    assertEqual(await page.getAttribute('#log', 'aria-live'), 'polite', 'log announces again when paused');
    await page.waitForTimeout(50);
    const steps = await page.evaluate(() => window.demo.sim.steps);
    await page.waitForTimeout(400);
    assertEqual(await page.evaluate(() => window.demo.sim.steps), steps, 'steps after pausing');
    await expectShownMatchesCache();
    const s = await stats();
    assertEqual(s.hits + s.misses, steps, 'every step is one lookup');
    assertEqual(await page.textContent('#stat-hits'), String(s.hits), 'hits shown');
    // Step while running pauses first, then steps once.
    await page.click('#sim-run');
    await page.click('#sim-step');
    assertEqual(await page.textContent('#sim-run'), 'Run', 'Step pauses the run');
  });

  await test('busy users stay cached, idle ones are evicted', async () => {
    await page.click('#sim-reset');
    await setCapacity(6);
    await page.locator('#sim-step').focus();
    // Step by keyboard and, after each step, note who is in the cache (from cache.keys()).
    const steps = 80;
    const settle = 20; // let the cache fill before counting
    const cachedAfter = new Map();
    for (let i = 1; i <= steps; i++) {
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => window.demo.sim.steps === n, i);
      if (i > settle) for (const key of await cacheKeys()) cachedAfter.set(key, (cachedAfter.get(key) ?? 0) + 1);
    }
    await expectShownMatchesCache();
    const s = await stats();
    assertEqual(s.hits + s.misses, steps, 'lookups');
    assert(s.evictions > 0, `no evictions after ${steps} steps`);
    const users = await page.$$eval('#population li', (items) =>
      items.map((li) => ({ user: li.dataset.user, cached: li.classList.contains('cached') })),
    );
    const inCache = await cacheKeys();
    assertEqual(users.filter((u) => u.cached).map((u) => u.user).sort(), [...inCache].sort(), 'population marks vs cache');
    // Time-averaged: the three busiest users are cached most of the time, the idle half rarely.
    const share = (u) => (cachedAfter.get(u.user) ?? 0) / (steps - settle);
    const mean = (list) => list.reduce((a, b) => a + b, 0) / list.length;
    const busy = mean(users.slice(0, 3).map(share));
    const idle = mean(users.slice(users.length / 2).map(share));
    assert(busy > 0.5 && busy > 3 * idle, `busy users cached ${percent(busy)} of the time, idle ones ${percent(idle)}`);
    const badges = await page.$$eval('#cache-list > li[data-key]', (items) =>
      items.map((li) => [li.dataset.key, li.querySelector('.entry-rank').textContent]),
    );
    const rankOf = new Map(users.map((u, i) => [u.user, i + 1]));
    for (const [key, badge] of badges) assertEqual(badge, `rank ${rankOf.get(key)}`, `rank badge of ${key}`);
  });

  await test('accessibility: labels, live log, keyboard focus visible', async () => {
    const report = await page.evaluate(() => {
      const unlabeled = [...document.querySelectorAll('input')].filter((i) => i.labels.length === 0 && !i.getAttribute('aria-label')).map((i) => i.id);
      const nameless = [...document.querySelectorAll('button')].filter((b) => b.textContent.trim() === '' && !b.getAttribute('aria-label')).length;
      const log = document.querySelector('#log');
      return { unlabeled, nameless, live: log.getAttribute('aria-live'), role: log.getAttribute('role') };
    });
    assertEqual(report.unlabeled, [], 'inputs without a label');
    assertEqual(report.nameless, 0, 'buttons without a name');
    assertEqual([report.role, report.live], ['log', 'polite'], 'event log live region');
    // Tab to the form's Set button and check the focus ring.
    await page.focus('#value');
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { text: el.textContent, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    assertEqual(focus.text, 'Set', 'Tab from the value field reaches Set');
    assert(focus.outline !== 'none' && focus.width >= 2, `no visible focus: ${JSON.stringify(focus)}`);
    // Enter in the key field sets.
    await page.fill('#key', 'kb');
    await page.fill('#value', 'typed');
    await page.focus('#key');
    await page.keyboard.press('Enter');
    assertEqual((await cacheKeys())[0], 'kb', 'Enter in the key field sets the key');
    await expectShownMatchesCache();
  });

  await test('desktop screenshot', async () => {
    await page.click('#sim-reset');
    await setCapacity(8);
    for (let i = 0; i < 24; i++) await page.click('#sim-step');
    await page.waitForFunction(() => window.demo.sim.steps === 24);
    await byHand('get', (await cacheKeys())[3]);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(150); // mid-way through the move
    await page.screenshot({ path: join(results, 'desktop.png'), fullPage: true });
    await page.waitForTimeout(700);
    await page.mouse.move(0, 0);
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: join(results, 'desktop-viewport.png') });
    // An eviction caught mid-flight: the ghost of the oldest entry falls away.
    await page.waitForFunction(() => document.getAnimations().length === 0);
    await byHand('set', 'new', 'arriving');
    await page.waitForTimeout(260);
    await page.locator('.area-cache').screenshot({ path: join(results, 'eviction.png') });
    await page.waitForFunction(() => document.getAnimations().length === 0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => scrollTo(0, 0));
    await page.waitForTimeout(400); // colour transitions
    await page.screenshot({ path: join(results, 'desktop-dark.png') });
    await page.emulateMedia({ colorScheme: null });
  });

  await test('reduced motion: no movement, the page still works', async () => {
    await page.waitForFunction(() => document.getAnimations().length === 0);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const last = (await cacheKeys()).at(-1);
    await byHand('get', last);
    await byHand('set', 'rm', 'reduced');
    const moving = await page.evaluate(() =>
      document.getAnimations().filter((a) => a.effect.getKeyframes().some((k) => k.transform && k.transform !== 'none')).length,
    );
    assertEqual(moving, 0, 'animations that move things');
    assertEqual((await cacheKeys()).slice(0, 2), ['rm', last], 'order');
    await expectShownMatchesCache();
    await page.emulateMedia({ reducedMotion: null });
  });

  await test('phone width: no horizontal scrolling; screenshot', async () => {
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'phone.png'), fullPage: true });
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: join(results, 'phone-viewport.png') });
    const overflow = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert(overflow.scroll <= overflow.client, `page is ${overflow.scroll}px wide in a ${overflow.client}px viewport`);
    await expectShownMatchesCache();
    // An action at phone width still animates inside the page.
    await byHand('set', 'phone', 'small screen');
    await expectShownMatchesCache();
    const during = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(during <= overflow.client, `page is ${during}px wide during an animation`);
    await page.setViewportSize(DESKTOP);
  });

  await test('no console errors or warnings', async () => {
    assertEqual(consoleErrors, [], 'console');
  });

  await test('no failed requests, and none beyond the local server', async () => {
    assertEqual(failedRequests, [], 'failed requests');
    assertEqual(foreignRequests, [], 'requests to other hosts');
  });
} finally {
  clearTimeout(watchdog);
  await context.close().catch(() => {});
  server.close();
  rmSync(profile, { recursive: true, force: true });
}

console.log(`screenshots: ${['desktop.png', 'desktop-viewport.png', 'desktop-dark.png', 'eviction.png', 'phone.png', 'phone-viewport.png'].map((f) => relative(root, join(results, f))).join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
