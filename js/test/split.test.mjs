// `edge-lru` and `edge-lru/permissions` load different wasm modules: the main entry's has
// no permission engine and stays small; the subpath's has both engines; a program may use
// both entries at once, each on its own module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as main from 'edge-lru';
import * as full from 'edge-lru/permissions';
import { moduleSizes } from '../scripts/sizes.mjs';
import * as lruGlue from '../dist/generated/edge_lru.js';
import * as fullGlue from '../dist/permissions/generated/edge_lru.js';

const js = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The names a wasm file exports. */
function wasmExports(file) {
  return WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(js, file)))).map((e) => e.name);
}

/** The module an entry inlines (base64 in generated/inline.js), as bytes. */
function inlined(dir) {
  const text = readFileSync(join(js, dir, 'generated/inline.js'), 'utf8');
  const start = text.indexOf('export default "') + 'export default '.length;
  return Buffer.from(JSON.parse(text.slice(start, text.lastIndexOf('"') + 1)), 'base64');
}

const lruWasm = 'dist/edge_lru_bg.wasm';
const fullWasm = 'dist/permissions/edge_lru_bg.wasm';

test("the main entry's module has the LRU engine and no permission engine", () => {
  const names = wasmExports(lruWasm);
  assert.ok(names.includes('engine_new') && names.includes('engine_insert'), names.join());
  assert.deepEqual(names.filter((name) => name.startsWith('permissionengine_')), []);
  assert.ok(!('PermissionEngine' in lruGlue), 'the glue of the main entry declares no PermissionEngine');
  assert.ok(!readFileSync(join(js, 'dist/index.cjs'), 'utf8').includes('PermissionEngine'), 'index.cjs');
});

test("the subpath's module has both engines", () => {
  const names = wasmExports(fullWasm);
  assert.ok(names.includes('engine_new') && names.includes('permissionengine_new'), names.join());
  // The LRU engine is the same in both: same exports, same glue methods.
  assert.deepEqual(wasmExports(lruWasm).filter((name) => !names.includes(name)), []);
  const methods = (glue) => Object.getOwnPropertyNames(glue.Engine.prototype).sort();
  assert.deepEqual(methods(lruGlue), methods(fullGlue));
  assert.ok(readFileSync(join(js, 'dist/permissions/permissions-index.cjs'), 'utf8').includes('PermissionEngine'));
});

test('each entry inlines its own module', () => {
  assert.ok(inlined('dist').equals(readFileSync(join(js, lruWasm))), 'dist/generated/inline.js');
  assert.ok(
    inlined('dist/permissions').equals(readFileSync(join(js, fullWasm))),
    'dist/permissions/generated/inline.js',
  );
});

test('the main module is below the bound stated from its measurement; the full one is above it', () => {
  // Measured: 49,781 B raw, 22,158 B gzip without the permission engine; 84,662 / 37,743 B with it.
  const [lru, withPermissions] = moduleSizes();
  assert.ok(lru.raw < 56_000 && lru.gzip < 25_000, `edge-lru: ${lru.raw} B raw, ${lru.gzip} B gzip`);
  assert.ok(withPermissions.gzip > lru.gzip + 10_000, `edge-lru/permissions: ${withPermissions.gzip} B gzip`);
});

test('the entries export what they document', () => {
  assert.deepEqual(Object.keys(main).sort(), ['LRUCache', 'wasmMemorySize']);
  assert.deepEqual(Object.keys(full).sort(), ['LRUCache', 'OPERATIONS', 'PermissionCache', 'wasmMemorySize']);
  assert.deepEqual(Object.keys(require('edge-lru')).sort(), Object.keys(main).sort());
  assert.deepEqual(Object.keys(require('edge-lru/permissions')).sort(), Object.keys(full).sort());
});

test('both entries in one program: each works on its own module', async () => {
  const small = new main.LRUCache({ max: 2 });
  const large = new full.LRUCache({ max: 2 });
  const perms = new full.PermissionCache({ maxUsers: 1, load: () => [{ path: '/pub', allow: ['read'] }] });
  small.set('a', 1).set('b', 2).get('a');
  small.set('c', 3);
  large.set('x', 1).set('y', 2).set('z', 3);
  await perms.login('alice');
  assert.deepEqual([...small.keys()], ['c', 'a']);
  assert.deepEqual([...large.keys()], ['z', 'y']);
  assert.equal(perms.allowsCached('alice', '/pub/file', 'read'), true);
  assert.equal(perms.allowsCached('alice', '/home', 'read'), false);
  // Two modules, two classes: an instance of one LRUCache is not an instance of the other.
  assert.notEqual(main.LRUCache, full.LRUCache);
  assert.ok(!(small instanceof full.LRUCache) && !(large instanceof main.LRUCache));
  // Each entry reports its own module's memory: growing one leaves the other's as it was.
  const before = main.wasmMemorySize();
  const grown = full.wasmMemorySize();
  const big = new full.LRUCache({ max: 1 << 20 });
  for (let i = 0; i < 1 << 20; i++) big.set(i, i);
  assert.ok(full.wasmMemorySize() > grown, 'the full module grew');
  assert.equal(main.wasmMemorySize(), before);
  assert.deepEqual([...small.keys()], ['c', 'a']);
  for (const cache of [small, large, perms, big]) cache.free();
});
