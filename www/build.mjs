// Builds the demo page: copies the built npm package (js/dist) into www/vendor/edge-lru/,
// so the page imports ./vendor/edge-lru/browser.mjs like any other user of the package.
// www/ is then a static site: copy it anywhere and serve it at `/`.
//
//   node js/scripts/build.mjs   (first, if js/dist is missing)
//   node www/build.mjs

import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = dirname(fileURLToPath(import.meta.url));
const dist = join(www, '..', 'js', 'dist');
const vendor = join(www, 'vendor', 'edge-lru');

if (!existsSync(join(dist, 'browser.mjs'))) {
  console.error(`${relative(process.cwd(), dist) || dist}/browser.mjs is missing: build the package first with\n  node js/scripts/build.mjs`);
  process.exit(1);
}

rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
for (const name of readdirSync(dist)) cpSync(join(dist, name), join(vendor, name), { recursive: true });

const count = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? count(join(dir, e.name)) : 1), 0);
console.log(`www: copied ${count(vendor)} files from js/dist to www/vendor/edge-lru/`);
