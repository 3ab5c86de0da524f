// Every error code is defined once, in src/errors.ts (ERRORS): the codes the wasm engine
// raises must be there too, with the class the engine throws them as.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LRUCache } from 'edge-lru';
import { PermissionCache } from 'edge-lru/permissions';
import { ERRORS } from '../dist/errors.js';
// The glue modules the package entries instantiated (the same files, so the same instances).
import { Engine } from '../dist/generated/edge_lru.js';
import { PermissionEngine } from '../dist/permissions/generated/edge_lru.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const NIL = 0xffffffff;

/** Calls `fn`, which must throw an error with a code from the table, of a class the table names. */
function raise(fn) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error, 'expected an error');
  assert.ok(Object.hasOwn(ERRORS, error.code), `${error.code} (${error.message}) is not in ERRORS`);
  assert.ok(
    ERRORS[error.code].thrownAs.includes(error.name),
    `${error.code} thrown as ${error.name}`,
  );
  return error.code;
}

test('every code the wasm engine raises is in the table, with its class', async () => {
  const codes = new Set([
    raise(() => new Engine(0, 0)),
    raise(() => new Engine(1.5, 0)),
    raise(() => new Engine(2 ** 40, 0)),
    raise(() => new Engine(4, 10).checkWeight(11)),
    raise(() => new Engine(4, 0).resize(0, 0)),
    raise(() => new PermissionEngine(0.5, 0)),
    raise(() => PermissionEngine.checkPath('relative/path')),
    raise(() => new PermissionEngine(4, 0).store(NIL, new Uint8Array([1]))),
    raise(() => {
      const engine = new PermissionEngine(4, 0);
      const slot = engine.store(NIL, new TextEncoder().encode('\u0001/\0'));
      engine.check(slot, '/a', 99);
    }),
    raise(() => new PermissionEngine(4, 8).store(NIL, new TextEncoder().encode(`\u0001/${'x'.repeat(100)}\0`))),
  ]);
  assert.deepEqual(
    [...codes].sort(),
    [
      'ERR_LRU_ENTRY_SIZE',
      'ERR_LRU_MAX',
      'ERR_PERM_MAX_USERS',
      'ERR_PERM_OP',
      'ERR_PERM_PATH',
      'ERR_PERM_RULES',
      'ERR_PERM_TOO_LARGE',
    ],
  );
  // Through the public API too: the engine's errors reach callers as they are.
  assert.equal(
    raise(() => new LRUCache({ max: 2, maxSize: 3, sizeOf: () => 4 }).set('a', 1)),
    'ERR_LRU_ENTRY_SIZE',
  );
  const perms = new PermissionCache({
    maxUsers: 2,
    maxBytes: 8,
    load: () => [{ path: `/${'x'.repeat(100)}`, allow: ['read'] }],
  });
  await assert.rejects(perms.login('a'), (error) =>
    raise(() => {
      throw error;
    }) === 'ERR_PERM_TOO_LARGE');
});

test('every code string in the engine sources is in the table', () => {
  const dirs = [join(root, 'wasm/src'), join(root, 'src/wasm')].filter((dir) => existsSync(dir));
  assert.ok(dirs.length > 0, 'no engine sources found');
  const found = new Set();
  for (const dir of dirs) {
    for (
      const file of readdirSync(dir, { recursive: true }).filter((name) => String(name).endsWith('.rs'))
    ) {
      for (const [code] of readFileSync(join(dir, String(file)), 'utf8').matchAll(/ERR_[A-Z_]+/g)) {
        found.add(code);
      }
    }
  }
  assert.ok(found.size >= 5, `only ${found.size} codes found`);
  for (const code of found) {
    assert.ok(Object.hasOwn(ERRORS, code), `${code} is raised by the engine but not in ERRORS`);
  }
});

test('the table is frozen and every entry has a class and a meaning', () => {
  assert.ok(Object.isFrozen(ERRORS));
  for (const [code, { thrownAs, meaning }] of Object.entries(ERRORS)) {
    assert.match(code, /^ERR_(LRU|PERM)_[A-Z_]+$/);
    assert.ok(
      thrownAs.length > 0 &&
        thrownAs.every((name) => name === 'TypeError' || name === 'RangeError'),
      code,
    );
    assert.ok(meaning.length > 10 && !meaning.includes('\n'), code);
  }
});
