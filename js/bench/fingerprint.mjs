// A fingerprint of the edge-lru build in js/dist (its JS and wasm), so a run can tell
// which build each measurement loaded when others rebuild js/dist during a run.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function distFingerprint(dist) {
  const hash = createHash('sha256');
  // The glue is in dist/generated/ (dist/wasm/ in builds before the TypeScript sources).
  for (const dir of [dist, join(dist, 'generated'), join(dist, 'wasm')].filter((d) => existsSync(d))) {
    for (const name of readdirSync(dir).sort()) {
      if (/\.(m?js|wasm)$/.test(name) && name !== 'index.cjs') hash.update(name).update(readFileSync(join(dir, name)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}
