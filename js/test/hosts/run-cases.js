// Runs every shared case (behaviour and differential) against a host's LRUCache and
// returns plain, JSON-safe results. Host-agnostic: imported by the workerd worker, the
// Chromium page and the packaging test's consumers.

import { cases } from '../cases/behaviour.js';
import { differential } from '../cases/differential.js';
import { permissions } from '../cases/permissions.js';

/** Every shared case as [name, fn(LRUCache, lib)], fn possibly async. */
export const allCases = [...cases, ...differential, ...permissions];

/**
 * @param {{ LRUCache: unknown }} lib the host's `edge-lru` module
 * @param {{ LRUCache: unknown, PermissionCache: unknown }} [permissionsLib] its `edge-lru/permissions`
 *   module, which the PermissionCache cases get (default: `lib`)
 * @returns {Promise<{ name: string, ok: boolean, ms: number, error?: string }[]>}
 */
export async function runAll(lib, permissionsLib = lib) {
  const now = typeof performance === 'object' ? () => performance.now() : () => Date.now();
  const results = [];
  for (const [name, fn] of allCases) {
    const start = now();
    const host = permissions.some(([permissionCase]) => permissionCase === name) ? permissionsLib : lib;
    try {
      await fn(host.LRUCache, host);
      results.push({ name, ok: true, ms: Math.round(now() - start) });
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
      results.push({ name, ok: false, ms: Math.round(now() - start), error: text });
    }
  }
  return results;
}
