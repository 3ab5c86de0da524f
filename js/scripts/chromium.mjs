// The headless Chromium every browser job here uses: Debian's /usr/bin/chromium (or
// $CHROMIUM), driven by playwright-core, with the flags it needs in a container.
// Shared by the browser tests (js/test/hosts/browser.test.mjs), the benchmark
// (js/bench/run.mjs) and the demo page's end-to-end test (www/test/e2e.test.mjs).

/** The Chromium binary. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a headless run without a sandbox, GPU, shared memory or background traffic. */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);
