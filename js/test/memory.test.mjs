import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LRUCache, wasmMemorySize } from 'edge-lru';

test('creating and freeing 100k caches leaves wasm memory bounded', () => {
  const churn = (n) => {
    for (let i = 0; i < n; i++) {
      const cache = new LRUCache({ max: 8 });
      cache.set('a', i).set(i, 'b').get('a');
      cache.free();
    }
  };
  churn(1_000);
  const settled = wasmMemorySize();
  churn(100_000);
  assert.ok(settled > 0);
  assert.ok(
    wasmMemorySize() <= settled + 256 * 1024,
    `wasm memory grew from ${settled} to ${wasmMemorySize()} bytes`,
  );
});

test('a filled and freed cache returns its memory for reuse', () => {
  const fill = () => {
    const cache = new LRUCache({ max: 50_000 });
    for (let i = 0; i < 50_000; i++) cache.set(i, i);
    cache.free();
  };
  fill();
  const settled = wasmMemorySize();
  for (let round = 0; round < 20; round++) fill();
  assert.equal(wasmMemorySize(), settled);
});
