// The sizes of the package's two wasm modules, as built in js/dist (raw and gzip level 9):
// `edge-lru` loads the one without the permission engine, `edge-lru/permissions` the full one.
// The summary line it prints last is the one README.md and BENCHMARKS.md quote.
//
//   node js/scripts/sizes.mjs           print them (build first: node js/scripts/build.mjs)
//   node js/scripts/sizes.mjs --check   also fail unless README.md and BENCHMARKS.md quote the summary

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const js = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(js, '..');

/** Each entry's module: its file in dist/, raw and gzipped bytes. */
export function moduleSizes() {
  return [
    { entry: 'edge-lru', file: 'dist/edge_lru_bg.wasm' },
    { entry: 'edge-lru/permissions', file: 'dist/permissions/edge_lru_bg.wasm' },
  ].map(({ entry, file }) => {
    const path = join(js, file);
    if (!existsSync(path)) throw new Error(`${file} is missing: build the package first (node js/scripts/build.mjs)`);
    const bytes = readFileSync(path);
    return { entry, file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** The line the docs quote, e.g. `edge-lru 48.6 KiB raw, 21.6 KiB gzip; ...`. */
export function summary(sizes) {
  return sizes.map((s) => `\`${s.entry}\` ${kib(s.raw)} raw, ${kib(s.gzip)} gzip`).join('; ');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = moduleSizes();
  const bytes = (n) => `${n.toLocaleString('en-US').padStart(8)} B`;
  for (const s of sizes) {
    console.log(`${s.entry.padEnd(22)} ${s.file.padEnd(36)} ${bytes(s.raw)} raw ${bytes(s.gzip)} gzip`);
  }
  const line = summary(sizes);
  console.log(line);
  if (process.argv.includes('--check')) {
    const stale = ['README.md', 'BENCHMARKS.md'].filter((doc) => !readFileSync(join(root, doc), 'utf8').includes(line));
    if (stale.length) {
      console.error(`${stale.join(' and ')} must quote the sizes of this (release) build:\n  ${line}`);
      process.exit(1);
    }
    console.log('README.md and BENCHMARKS.md quote these sizes');
  }
}
