const { test } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('edge-lru');
const permissionsLib = require('edge-lru/permissions');
const { LRUCache } = lib;

test('cjs: require gives a ready LRUCache', () => {
  const cache = new LRUCache({ max: 1 });
  cache.set('a', 1).set('b', 2);
  assert.deepEqual([...cache.entries()], [['b', 2]]);
});

test('cjs: behaviour', async (t) => {
  const { cases } = await import('./cases/behaviour.js');
  const { permissions } = await import('./cases/permissions.js');
  assert.ok(cases.length > 0 && permissions.length > 0);
  for (const [name, fn] of cases) await t.test(name, () => fn(LRUCache, lib));
  for (const [name, fn] of permissions) await t.test(name, () => fn(permissionsLib.LRUCache, permissionsLib));
});
