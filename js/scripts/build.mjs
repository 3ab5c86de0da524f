// Builds the npm package into js/dist: the wasm core, its glue, one entry per host,
// the CommonJS bundle and the type declarations. Prints the wasm size (raw and gzip).
//
//   node js/scripts/build.mjs            release build
//   node js/scripts/build.mjs --dev      skip wasm-opt (faster, larger)

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const js = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(js, '..');
const dist = join(js, 'dist');
const dev = process.argv.includes('--dev');

// Everything the build prints goes to stderr, so that `npm pack --json` (which runs this
// as prepack) keeps a clean stdout.
function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: ['ignore', 2, 2], cwd: root, ...options });
}

run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'edge-lru-wasm']);

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'wasm'), { recursive: true });
run('wasm-bindgen', [
  '--target', 'web',
  '--out-dir', join(dist, 'wasm'),
  '--out-name', 'edge_lru',
  join(root, 'target/wasm32-unknown-unknown/release/edge_lru_wasm.wasm'),
]);

const wasmPath = join(dist, 'edge_lru_bg.wasm');
if (dev) {
  copyFileSync(join(dist, 'wasm/edge_lru_bg.wasm'), wasmPath);
} else {
  run(join(js, 'node_modules/.bin/wasm-opt'), ['-O3', join(dist, 'wasm/edge_lru_bg.wasm'), '-o', wasmPath]);
}
rmSync(join(dist, 'wasm/edge_lru_bg.wasm'));

const wasm = readFileSync(wasmPath);
writeFileSync(
  join(dist, 'wasm/inline.js'),
  '// The wasm module as base64, so hosts need no file access to load it.\n' +
    '/** @type {string} */\n' +
    `export default ${JSON.stringify(wasm.toString('base64'))};\n`,
);

for (const file of readdirSync(join(js, 'src'))) {
  if (file.endsWith('.js') || file.endsWith('.d.ts')) copyFileSync(join(js, 'src', file), join(dist, file));
}
copyFileSync(join(js, 'src/index.d.ts'), join(dist, 'index.d.cts'));

// ESM entries are the sources as they are; CommonJS is one bundle of the Node entry.
for (const [entry, out] of [
  ['index.js', 'index.mjs'],
  ['browser.js', 'browser.mjs'],
  ['workerd.js', 'workerd.mjs'],
]) {
  copyFileSync(join(dist, entry), join(dist, out));
  rmSync(join(dist, entry));
}
run(join(js, 'node_modules/.bin/esbuild'), [
  join(dist, 'index.mjs'),
  '--bundle',
  '--format=cjs',
  '--platform=neutral',
  '--log-level=warning',
  '--log-override:empty-import-meta=silent',
  `--outfile=${join(dist, 'index.cjs')}`,
]);

const gzip = gzipSync(wasm, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.error(`edge_lru_bg.wasm: ${kib(wasm.length)} raw, ${kib(gzip)} gzip${dev ? ' (dev, no wasm-opt)' : ''}`);

// npm pack takes the README, changelog and licences from the package folder.
for (const doc of ['README.md', 'CHANGELOG.md', 'LICENSE-MIT', 'LICENSE-APACHE']) copyFileSync(join(root, doc), join(js, doc));
