// The three permission backends (edge-lru, lru-cache with a JS matcher, no cache) give
// the same answers on random rule sets, and only the cached ones avoid the store.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Operation, OPERATIONS, type PermissionRule } from 'edge-lru/permissions';
import { createPermissions, type Permissions } from '../src/permissions.ts';

const SEGMENTS = ['a', 'b', 'c', 'docs', 'x y', 'é'];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)] as T;
}

function randomPath(rnd: () => number, depth: number): string {
  const parts: string[] = [];
  for (let i = 0; i < depth; i++) parts.push(pick(rnd, SEGMENTS));
  return '/' + parts.join('/');
}

function randomRules(rnd: () => number): PermissionRule[] {
  const byPath = new Map<string, PermissionRule>();
  const count = 1 + Math.floor(rnd() * 8);
  for (let i = 0; i < count; i++) {
    const path = randomPath(rnd, Math.floor(rnd() * 4));
    byPath.set(path, { path, allow: OPERATIONS.filter(() => rnd() < 0.5) });
  }
  return [...byPath.values()];
}

test('edge-lru, lru-cache and no cache answer alike on random rules', async () => {
  const rnd = random(14);
  const users = Array.from({ length: 40 }, (_, i) => `user${i}`);
  const rules = new Map(users.map((u) => [u, randomRules(rnd)]));
  const backends: [string, Permissions][] = ['edge-lru', 'lru-cache', 'none'].map((name) => [
    name,
    createPermissions(name, {
      maxUsers: 16,
      maxBytes: 1 << 20,
      load: (u) => Promise.resolve(rules.get(u) ?? []),
    }),
  ]);
  let checks = 0;
  for (let round = 0; round < 400; round++) {
    const user = pick(rnd, users);
    const path = randomPath(rnd, Math.floor(rnd() * 5));
    const op: Operation = pick(rnd, OPERATIONS);
    const names = SEGMENTS.filter(() => rnd() < 0.7);
    const answers = await Promise.all(backends.map(async ([, p]) => ({
      allows: await p.allows(user, path, op),
      filter: await p.filter(user, path, names, op),
      below: await p.hasRulesBelow(user, path),
    })));
    for (let i = 1; i < backends.length; i++) {
      assert.deepEqual(answers[i], answers[0], `${backends[i]?.[0]} vs edge-lru: ${user} ${path} ${op}`);
    }
    checks++;
  }
  // Cached backends load once per user per eviction; no cache loads on every check.
  const loads: Record<string, number> = Object.fromEntries(
    backends.map(([name, p]) => [name, p.stats().loads]),
  );
  const [none = 0, js = 0, edge = 0] = [loads['none'], loads['lru-cache'], loads['edge-lru']];
  assert.ok(none >= checks * 3, `none loaded ${none} times`);
  assert.ok(js < none / 2, `lru-cache loaded ${js} times`);
  assert.ok(edge < none / 2, `edge-lru loaded ${edge} times`);
  for (const [, p] of backends) p.close();
});

test('an unknown backend is a RangeError with a code', () => {
  assert.throws(() => createPermissions('redis', { maxUsers: 1, load: () => Promise.resolve([]) }), {
    name: 'RangeError',
    code: 'ERR_GATEWAY_OPTION',
  });
});

test('the lru-cache backend keeps its estimated bytes within the budget', async () => {
  const rules: PermissionRule[] = Array.from(
    { length: 20 },
    (_, i) => ({ path: `/home/u/p${i}`, allow: ['read'] }),
  );
  const p = createPermissions('lru-cache', {
    maxUsers: 10_000,
    maxBytes: 64 << 10,
    load: () => Promise.resolve(rules),
  });
  for (let i = 0; i < 500; i++) await p.allows(`user${i}`, '/home/u/p1', 'read');
  const s = p.stats();
  assert.ok(s.bytes <= 64 << 10 && s.bytes > 0, `bytes ${s.bytes}`);
  assert.ok(s.users < 500 && s.evictions > 0, `users ${s.users}, evictions ${s.evictions}`);
  p.close();
});
