// End-to-end test of the demo page: serves www/ on a random loopback port with the
// repository's static handler, drives the page in a headless browser over WebDriver
// (EDGE_LRU_BROWSER=chromium or firefox; www/test/webdriver-page.mjs), and checks what
// the page shows against the package's own view of the cache (window.demo.cache). A
// node:test suite: the checks run in order on one page.
//
// What the page loads is read from the server's log; errors and warnings it logs, and
// loads from anywhere but the server (the server's Content-Security-Policy-Report-Only
// reports them without blocking), from a probe script the server adds to index.html.
//
//   node www/build.mjs && EDGE_LRU_BROWSER=firefox node --test www/test/e2e.test.mjs
//   (or npm --prefix js run test:www)
//
// Screenshots go to www/test-results/<engine>/.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, relative } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { staticHandler } from '../../js/scripts/static-server.mjs';
import { E2E_ENGINES, openPage } from './webdriver-page.mjs';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(www, '..');
const engine = process.env.EDGE_LRU_BROWSER ?? 'chromium';
if (!E2E_ENGINES.includes(engine)) throw new RangeError(`EDGE_LRU_BROWSER=${engine}: not one of ${E2E_ENGINES.join(', ')}`);
const results = join(www, 'test-results', engine);

const DESKTOP = { width: 1366, height: 900 };
// Firefox keeps a window at least 500 CSS px wide: there the phone checks run at 500 px,
// still inside the phone layout (style.css: max-width 560px).
const PHONE = { width: engine === 'firefox' ? 500 : 390, height: 844 };

const percent = (ratio) => `${Math.round(ratio * 100)}%`;

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** JSON with each object's keys in order: objects that come back from the page over WebDriver have theirs sorted. */
const canonical = (value) =>
  JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));

function assertEqual(actual, expected, message) {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

// ---- setup ----

if (!existsSync(join(www, 'vendor', 'edge-lru', 'browser.mjs'))) {
  throw new Error('www/vendor/edge-lru/browser.mjs is missing: run `node www/build.mjs` (or npm --prefix js run test:www)');
}

/** Collects, from before the page's first script runs, what it logs and what it loads from elsewhere. */
const PROBE = `(() => {
  const seen = (window.__e2e = { console: [], foreign: [] });
  for (const [level, type] of [['error', 'error'], ['warn', 'warning']]) {
    const original = console[level];
    console[level] = (...args) => {
      seen.console.push(type + ': ' + args.map(String).join(' '));
      original.apply(console, args);
    };
  }
  addEventListener('error', (event) => {
    const src = event.target?.src ?? event.target?.href;
    seen.console.push(src ? 'error: failed to load ' + src : 'pageerror: ' + event.message);
  }, true);
  addEventListener('unhandledrejection', (event) => seen.console.push('pageerror: ' + (event.reason?.message ?? event.reason)));
  addEventListener('securitypolicyviolation', (event) => seen.foreign.push(event.blockedURI));
})();`;
const PROBE_PATH = '/e2e-probe.js';
const REPORT_ONLY = "default-src 'self' data: blob:; script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob:; style-src 'self' 'unsafe-inline' data:";

mkdirSync(results, { recursive: true });
const serveFile = staticHandler({ root: www, headers: { 'content-security-policy-report-only': REPORT_ONLY } });
/** Every request the browser made, `{ path, status }` (the test's own fetches, from Node, are left out). */
const served = [];
const server = createServer((req, res) => {
  if (!/^node$|undici/.test(req.headers['user-agent'] ?? '')) {
    res.on('finish', () => served.push({ path: req.url, status: res.statusCode }));
  }
  if (req.url === PROBE_PATH) {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
    return res.end(PROBE);
  }
  if (req.url === '/' || req.url === '/index.html') {
    const html = readFileSync(join(www, 'index.html'), 'utf8').replace('<head>', `<head><script src="${PROBE_PATH}"></script>`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy-report-only': REPORT_ONLY });
    return res.end(req.method === 'HEAD' ? undefined : html);
  }
  return serveFile(req, res);
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const base = `http://127.0.0.1:${server.address().port}/`;
let opened;
try {
  opened = await openPage(engine, DESKTOP);
} catch (error) {
  server.closeAllConnections();
  server.close();
  throw new Error(`could not start ${engine}: ${error.message.split('\n')[0]}`);
}
console.log(`${engine}: ${opened.version}`);
const { page } = opened;
after(async () => {
  await opened.close();
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  console.log(`screenshots: ${['desktop.png', 'desktop-viewport.png', 'desktop-dark.png', 'eviction.png', 'phone.png', 'phone-viewport.png'].map((f) => relative(root, join(results, f))).join(', ')}`);
});

const requests = () => served.map((r) => base + r.path.slice(1));
const failedRequests = () => served.filter((r) => r.status >= 400).map((r) => `${base}${r.path.slice(1)}: HTTP ${r.status}`);

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

/** Ids of the visible live regions: explicit aria-live other than off, or an implicit one. */
const liveRegions = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('[aria-live], output, [role="status"], [role="log"], [role="alert"], [role="marquee"], [role="timer"]')]
      .filter((el) => (el.getAttribute('aria-live') ?? 'implicit') !== 'off' && el.checkVisibility())
      .map((el) => el.id || el.outerHTML.slice(0, 60)),
  );

/**
 * Text below WCAG AA contrast (4.5:1, or 3:1 for large text) against what is painted
 * behind it, with the opacity of its ancestors: one line per failing style.
 */
const lowContrast = () =>
  page.evaluate(() => {
    const canvas = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    const parse = (color) => {
      canvas.clearRect(0, 0, 1, 1);
      canvas.fillStyle = '#000';
      canvas.fillStyle = color;
      canvas.fillRect(0, 0, 1, 1);
      const d = canvas.getImageData(0, 0, 1, 1).data;
      return [d[0], d[1], d[2], d[3] / 255];
    };
    const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
    const lum = (rgb) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]);
    };
    const ratio = (a, b) => {
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const backdrop = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] === 1) break;
      }
      let bg = parse(getComputedStyle(document.body).backgroundColor);
      for (const layer of layers.reverse()) bg = over(layer, bg);
      return bg;
    };
    const failures = new Set();
    for (const el of document.querySelectorAll('body *')) {
      if (!el.checkVisibility() || el.closest('.sr-only, .ghost, svg, :disabled')) continue;
      if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
      const style = getComputedStyle(el);
      let opacity = 1;
      for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      const bg = backdrop(el);
      const fg = parse(style.color);
      const r = ratio(over([fg[0], fg[1], fg[2], fg[3] * opacity], bg), bg);
      const size = parseFloat(style.fontSize);
      const need = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66) ? 3 : 4.5;
      if (r < need) failures.add(`${r.toFixed(2)}:1 ${el.tagName.toLowerCase()}.${[...el.classList].join('.')} in ${el.parentElement.className}`);
    }
    return [...failures];
  });

// ---- the checks (in order: each goes on from the page the one before left) ----

test('page loads and runs the real package (browser entry + wasm)', async () => {
  await page.goto(base);
  const index = served.find((r) => r.path === '/');
  assert(index?.status === 200, `GET / returned ${index?.status}`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
  const info = await page.evaluate(() => ({
    isCache: window.demo.cache instanceof window.demo.LRUCache,
    tag: Object.prototype.toString.call(window.demo.cache),
    memory: window.demo.wasmMemorySize(),
  }));
  assert(info.isCache && info.tag === '[object LRUCache]', `window.demo.cache is not an LRUCache: ${info.tag}`);
  assert(info.memory > 0, 'wasmMemorySize() is 0: no wasm instance');
  for (const path of ['vendor/edge-lru/browser.mjs', 'vendor/edge-lru/lru.js', 'vendor/edge-lru/generated/edge_lru.js', 'vendor/edge-lru/generated/inline.js']) {
    assert(requests().includes(base + path), `the page did not load ${path}`);
  }
  assertEqual(await page.title(), 'Watch LRU eviction happen · edge-lru', 'title');
});

test('server: MIME types, index, 404 and no escape from www/', async () => {
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

test('capacity shown equals cache.max; the page starts empty', async () => {
  const max = await page.evaluate(() => window.demo.cache.max);
  assertEqual(Number(await page.inputValue('#capacity')), max, 'capacity slider vs cache.max');
  assertEqual(await page.textContent('#count-out'), `0 / ${max}`, 'entries meter');
  await expectShownMatchesCache([]);
});

test('setting keys past capacity evicts the least recently used, with its reason', async () => {
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

test('a get hit moves the entry to the front', async () => {
  await byHand('get', 'b');
  await expectShownMatchesCache(['b', 'e', 'd', 'c']);
  assertEqual((await stats()).hits, 1, 'stats.hits');
  assertEqual(await page.textContent('#stat-hits'), '1', 'hits shown');
  const first = page.locator('#cache-list > li[data-key]').first();
  assert(await first.evaluate((li) => li.classList.contains('just-hit')), 'the hit entry is not highlighted');
  assertEqual((await logItems('[data-kind="hit"]'))[0]?.subject, 'b', 'hit logged');
});

test('a get miss counts a miss and changes nothing', async () => {
  await byHand('get', 'zz');
  await expectShownMatchesCache(['b', 'e', 'd', 'c']);
  assertEqual((await stats()).misses, 1, 'stats.misses');
  assertEqual(await page.textContent('#stat-misses'), '1', 'misses shown');
  assertEqual(await page.textContent('#stat-ratio'), '50%', 'hit ratio shown');
});

test('delete removes the entry (reason delete)', async () => {
  await byHand('delete', 'd');
  await expectShownMatchesCache(['b', 'e', 'c']);
  const removed = await logItems('[data-kind="removed"]');
  assertEqual([removed[0]?.subject, removed[0]?.reason], ['d', 'delete'], 'delete logged');
});

test('shrinking the capacity evicts the least recently used entries (reason resize)', async () => {
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

test('pop removes the least recently used; clear empties the cache', async () => {
  await byHand('set', 'x', '1');
  await byHand('set', 'y', '2');
  await byHand('get', 'b'); // b was set first, but is now the most recently used
  const before = await cacheKeys();
  assertEqual(await page.textContent('#pop'), 'Pop least recently used', 'pop button label');
  await page.click('#pop');
  assertEqual(await cacheKeys(), before.slice(0, -1), 'pop removed the last of keys()');
  await expectShownMatchesCache();
  assertEqual(await page.textContent('#form-msg'), `Popped ${before.at(-1)}, the least recently used entry.`, 'pop message');
  // LRU, not FIFO: nothing on the page calls the entry that leaves next the oldest.
  const oldest = await page.evaluate(() => document.body.innerText.match(/.{0,40}\boldest\b.{0,40}/gi));
  assertEqual(oldest, null, 'the word "oldest" on the page');
  await page.click('#clear');
  await expectShownMatchesCache([]);
  assert(await page.isVisible('#empty'), 'the empty-cache hint is shown');
  const cleared = await logItems('[data-reason="clear"]');
  assert(cleared.length === 1 && /2 entries/.test(cleared[0].text), `clear logged: ${JSON.stringify(cleared)}`);
  await byHand('set', 'b', 'value b');
});

test('the byte budget recreates the cache with maxSize and shows totalSize', async () => {
  assert((await stats()).sets > 0, 'the old cache has counted sets');
  await page.check('#budget-on');
  const info = await page.evaluate(() => ({ maxSize: window.demo.cache.maxSize, totalSize: window.demo.cache.totalSize }));
  assertEqual(info.maxSize, Number(await page.inputValue('#budget')), 'cache.maxSize vs the budget slider');
  await expectShownMatchesCache(['b']); // the entry moved across
  // The log says the new cache's counters start at zero: moving the entries is not counted.
  const { hits, misses, sets, deletes, evictions } = await stats();
  assertEqual({ hits, misses, sets, deletes, evictions }, { hits: 0, misses: 0, sets: 0, deletes: 0, evictions: 0 }, 'counters of the new cache');
  assertEqual(
    await page.$$eval('.stat dd', (dds) => dds.map((dd) => dd.textContent)),
    ['0', '0', '0', '–', '0', '0'],
    'counters shown',
  );
  const made = (await logItems('[data-kind="info"]'))[0].text;
  assert(/a new cache with a \d+ B budget; 1 entry moved across; its counters start at zero/.test(made), `log: ${made}`);
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
  // The budget slider makes a new cache with the new maxSize (keyboard: one step up),
  // once the slider settles.
  const budget = Number(await page.inputValue('#budget'));
  await page.locator('#budget').focus();
  await page.keyboard.press('ArrowRight');
  const step = Number(await page.getAttribute('#budget', 'step'));
  await page.waitForFunction((n) => window.demo.cache.maxSize === n, budget + step, { timeout: 3_000 });
  await expectShownMatchesCache();
  await page.uncheck('#budget-on');
  assertEqual(await page.evaluate(() => window.demo.cache.maxSize), 0, 'maxSize after turning the budget off');
  await expectShownMatchesCache();
});

test('the budget slider waits until it settles; an entry that cannot move is named', async () => {
  await page.check('#budget-on');
  await page.click('#clear');
  await byHand('set', 'big', 'x'.repeat(150)); // 153 B
  await byHand('set', 'a', '1'); // 2 B
  await byHand('get', 'a');
  const budget = await page.evaluate(() => window.demo.cache.maxSize);
  const recreations = async () => (await logItems('[data-kind="info"]')).filter((e) => /a new cache/.test(e.text)).length;
  const made = await recreations();
  // Arrow keys fire a change event each; there and back again makes no new cache.
  await page.locator('#budget').focus();
  for (const key of ['ArrowLeft', 'ArrowLeft', 'ArrowRight', 'ArrowRight']) await page.keyboard.press(key);
  await page.waitForTimeout(1_000);
  assertEqual(await page.evaluate(() => window.demo.cache.maxSize), budget, 'maxSize after going back and forth');
  assertEqual(await recreations(), made, 'caches made while the slider moved');
  assertEqual(await cacheKeys(), ['a', 'big'], 'entries after going back and forth');
  assertEqual((await stats()).hits, 1, 'counters kept');
  // Down to the smallest budget: one new cache, and the entry too big for it is named,
  // in the log and in the picture, where it falls away like an eviction.
  await page.keyboard.press('Home');
  const smallest = Number(await page.getAttribute('#budget', 'min'));
  await page.waitForFunction((n) => window.demo.cache.maxSize === n, smallest, { timeout: 3_000 });
  const ghost = await page.$eval('#stage .ghost[data-ghost-key="big"] .entry-tag', (tag) => tag.textContent).catch(() => null);
  assertEqual(ghost, 'too big', 'the ghost of the entry that could not move');
  assertEqual(await recreations(), made + 1, 'caches made');
  await expectShownMatchesCache(['a']);
  const refused = (await logItems('[data-kind="refused"]'))[0];
  assertEqual([refused?.subject, refused?.reason], ['big', 'refused'], 'the refusal names the entry');
  assert(/153 B .*bigger than the whole 64 B budget/.test(refused.text), `refusal: ${refused.text}`);
  assert(/1 entry moved across, 1 did not fit/.test((await logItems('[data-kind="info"]'))[0].text), 'summary line');
});

test('with a byte budget, the free room is drawn in bytes', async () => {
  // Continues from the 64 B budget above: 'a' (2 B) in a cache with room for 4 entries.
  const room = () =>
    page.$$eval('#cache-list > li.slot', (slots) => slots.map((s) => ({ room: s.classList.contains('room'), bytes: s.dataset.freeBytes, text: s.textContent })));
  const max = await page.evaluate(() => window.demo.cache.max);
  assertEqual(await room(), [{ room: true, bytes: '62', text: `62 Bfree of 64 B${max - 1} slots left` }], 'room with 62 B free');
  await byHand('set', 'b', 'y'.repeat(61)); // 62 B: the budget is full, the count is not
  assertEqual(await page.evaluate(() => [window.demo.cache.totalSize, window.demo.cache.size]), [64, 2], 'totalSize, size');
  assertEqual(await room(), [], 'free room drawn with the budget full');
  await byHand('set', 'c', 'z'); // 2 B more: the least recently used goes
  await expectShownMatchesCache(['c', 'b']);
  assertEqual(await page.textContent('#form-msg'), 'Set c. Evicted a.', 'message');
  assertEqual(await room(), [], 'free room drawn with the budget full again');
  await page.uncheck('#budget-on');
  assertEqual((await room()).length, max - 2, 'a free slot per entry without a budget');
  assert((await room()).every((r) => !r.room && r.text === 'free'), 'plain free slots');
});

test('simulation: single steps fetch through the cache and move the stats', async () => {
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

test('simulation is deterministic for a seed', async () => {
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

test('run and pause', async () => {
  await page.click('#sim-reset');
  await page.locator('#sim-speed').focus();
  await page.keyboard.press('End'); // the fastest speed
  assertEqual(await page.inputValue('#sim-speed'), '30', 'speed slider');
  await page.click('#sim-run');
  assertEqual(await page.textContent('#sim-run'), 'Pause', 'run button label while running');
  assertEqual(await page.getAttribute('#log', 'aria-live'), 'off', 'log is quiet while running');
  assertEqual(await liveRegions(), [], 'live regions while running');
  await page.waitForFunction(() => window.demo.sim.steps >= 40, null, { timeout: 20_000 });
  assertEqual(await liveRegions(), [], 'live regions while running');
  await page.click('#sim-run');
  assertEqual(await page.textContent('#sim-run'), 'Run', 'run button label when paused');
  assertEqual(await page.getAttribute('#log', 'aria-live'), 'polite', 'log announces again when paused');
  assertEqual(await liveRegions(), ['log'], 'live regions when paused');
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

test('busy users stay cached, idle ones are evicted', async () => {
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

test('an entry is labelled by where it came from, not by the current population', async () => {
  await page.click('#sim-reset');
  for (let i = 1; i <= 12; i++) {
    await page.click('#sim-step');
    await page.waitForFunction((n) => window.demo.sim.steps === n, i);
  }
  const labels = () =>
    page.$$eval('#cache-list > li[data-key]', (items) =>
      Object.fromEntries(
        items.map((li) => {
          const rank = li.querySelector('.entry-rank');
          return [li.dataset.key, { origin: li.dataset.origin, badge: rank.hidden ? '' : rank.textContent, value: li.querySelector('.entry-value').textContent }];
        }),
      ),
    );
  // By hand, under the name of a user the simulation has not loaded yet: no rank badge.
  const population = await page.$$eval('#population li', (items) => items.map((li) => li.dataset.user));
  const cached = await cacheKeys();
  const name = population.findLast((user) => !cached.includes(user));
  await byHand('set', name, 'my own value');
  const before = await labels();
  assertEqual(before[name], { origin: 'hand', badge: '', value: 'my own value' }, `label of ${name}, set by hand`);
  const loaded = Object.entries(before).filter(([key]) => key !== name);
  assert(loaded.length > 0 && loaded.every(([, l]) => l.origin === 'sim' && /^rank \d+$/.test(l.badge)), `simulation entries: ${JSON.stringify(loaded)}`);
  // Fewer users: the entries the simulation loaded keep their rank; nothing else changes.
  await page.locator('#sim-users').focus();
  await page.keyboard.press('Home');
  assertEqual(await page.evaluate(() => window.demo.sim.population().length), 2, 'users');
  assertEqual(await labels(), before, 'labels after changing Users');
  await page.keyboard.press('End');
  await page.fill('#sim-users', '24');
  await page.dispatchEvent('#sim-users', 'input');
  assertEqual(await page.evaluate(() => window.demo.sim.population().length), 24, 'users restored');
});

test('text contrast is at least 4.5:1 in both schemes, highlights included', async () => {
  // The simulation above left users cached (accent chips); add each entry highlight.
  const settle = async () => {
    await page.mouse.move(0, 0);
    await page.waitForFunction(() => document.getAnimations().length === 0);
  };
  const check = async (state) => {
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      await settle();
      assertEqual(await lowContrast(), [], `low contrast, ${state}, ${colorScheme}`);
    }
    await page.emulateMedia({ colorScheme: null });
  };
  await byHand('get', (await cacheKeys()).at(-1));
  await check('after a hit');
  await byHand('set', 'fresh', 'new entry');
  await check('after a new entry');
  await byHand('set', 'fresh', 'updated');
  await check('after an update');
});

test('accessibility: labels, live log, keyboard focus visible', async () => {
  const report = await page.evaluate(() => {
    const unlabeled = [...document.querySelectorAll('input')].filter((i) => i.labels.length === 0 && !i.getAttribute('aria-label')).map((i) => i.id);
    const nameless = [...document.querySelectorAll('button')].filter((b) => b.textContent.trim() === '' && !b.getAttribute('aria-label')).length;
    const log = document.querySelector('#log');
    return { unlabeled, nameless, live: log.getAttribute('aria-live'), role: log.getAttribute('role') };
  });
  assertEqual(report.unlabeled, [], 'inputs without a label');
  assertEqual(report.nameless, 0, 'buttons without a name');
  assertEqual([report.role, report.live], ['log', 'polite'], 'event log live region');
  // One announcement per action: the log is the only live region (the form's message
  // and the <output>s are not), and every manual action writes to it.
  assertEqual(await liveRegions(), ['log'], 'live regions');
  // (The log keeps its last 80 lines, so mark the newest one rather than count them.)
  const markNewest = () => page.$eval('#log .log-item', (p) => (p.dataset.seen = 'true'));
  const newLine = () => page.$eval('#log .log-item', (p) => p.dataset.seen !== 'true');
  const actions = {
    set: () => byHand('set', 'kb', 'v'),
    hit: () => byHand('get', 'kb'),
    miss: () => byHand('get', 'nope'),
    'delete nothing': () => byHand('delete', 'nope'),
    'no key': () => byHand('set', ''),
    clear: () => page.click('#clear'),
    'pop nothing': () => page.click('#pop'),
  };
  for (const [name, action] of Object.entries(actions)) {
    await markNewest();
    await action();
    assert(await newLine(), `no log line for ${name} (message: ${await page.textContent('#form-msg')})`);
  }
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

test('a long value without spaces does not widen the page', async () => {
  await page.uncheck('#budget-on'); // so that the value fits
  await byHand('set', 'long', 'Z'.repeat(200));
  await byHand('get', 'long');
  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    const size = await page.evaluate(() => {
      const msg = document.querySelector('#form-msg');
      return { page: [document.documentElement.scrollWidth, document.documentElement.clientWidth], msg: [msg.scrollWidth, msg.clientWidth] };
    });
    assertEqual(size.page[0], size.page[1], `page scrollWidth vs clientWidth at ${viewport.width}px`);
    assert(size.msg[0] <= size.msg[1], `the message overflows its box at ${viewport.width}px: ${size.msg}`);
  }
  await page.setViewportSize(DESKTOP);
  assertEqual(await page.textContent('#form-msg'), `Hit: long = “${'Z'.repeat(31)}…”, now the most recently used.`, 'message');
});

test('Tab order follows the layout at phone, tablet and desktop widths', async () => {
  for (const viewport of [PHONE, { width: 800, height: 900 }, DESKTOP]) {
    await page.setViewportSize(viewport);
    // The panels with something to focus, in reading order: row by row, left to right.
    const panels = await page.$$eval('main > .panel', (list) =>
      list
        .filter((p) => p.querySelector('a[href], button, input:not(:disabled), summary, [tabindex="0"]'))
        .map((p) => ({ id: p.getAttribute('aria-labelledby'), top: Math.round(p.getBoundingClientRect().top + scrollY), left: Math.round(p.getBoundingClientRect().left) }))
        .sort((a, b) => a.top - b.top || a.left - b.left)
        .map((p) => p.id),
    );
    // Walk every stop from the top of the page and note the panel each one is in.
    await page.evaluate(() => document.activeElement?.blur());
    await page.focus('.skip-link');
    const visited = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate(() => document.activeElement?.closest('main > .panel')?.getAttribute('aria-labelledby') ?? null);
      // Stops before the first panel (the header's links) are not panels; after the
      // last panel the walk is done.
      if (where === null) {
        if (visited.length) break;
        continue;
      }
      if (visited.at(-1) !== where) visited.push(where);
    }
    assertEqual(visited, panels, `panels in Tab order vs on screen at ${viewport.width}px`);
  }
  await page.setViewportSize(DESKTOP);
});

test('desktop screenshot', async () => {
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

test('reduced motion: no movement, the page still works', async () => {
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

test('phone width: no horizontal scrolling; screenshot', async () => {
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

test('no console errors or warnings', async () => {
  assertEqual(await page.evaluate(() => window.__e2e.console), [], 'console');
});

test('no failed requests, and none beyond the local server', async () => {
  assertEqual(failedRequests(), [], 'failed requests');
  // Loads the page reported itself, and the ones the browser reported against the policy.
  const foreign = await page.evaluate(
    (origin) => [
      ...performance.getEntriesByType('resource').map((e) => e.name).filter((url) => !url.startsWith(origin) && !/^(data|blob):/.test(url)),
      ...window.__e2e.foreign,
    ],
    base,
  );
  assertEqual(foreign, [], 'requests to other hosts');
});
