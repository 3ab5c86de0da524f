// Runs a module worker inside workerd (Cloudflare's Workers runtime) through Miniflare,
// fetches `/` and returns the JSON it answers. Used by workerd.test.mjs and the
// packaging test. Needs Node >= 22 (miniflare).

import { Miniflare } from 'miniflare';

/** Starts Miniflare for a worker, fetches `/` and returns the parsed JSON results. */
export async function runWorker({ scriptPath, modulesRoot, modulesRules }) {
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot,
    modulesRules,
    compatibilityDate: '2026-01-01',
    host: '127.0.0.1',
    port: 0,
  });
  try {
    const response = await mf.dispatchFetch('http://localhost/');
    const body = await response.text();
    if (!response.ok) throw new Error(`worker answered ${response.status}: ${body}`);
    return JSON.parse(body);
  } finally {
    await mf.dispose();
  }
}
