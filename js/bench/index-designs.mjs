// The string index alone, for each design and each key origin: a dictionary-mode object
// (null prototype) against a Map, as LRUCache would use it (key -> slot number).
//
//   node --expose-gc js/bench/index-designs.mjs [--reps R]
//
// Per origin (see makeKeys in harness.mjs) and design, the median of R runs of:
// - hit: 1M lookups of random present keys, 10k entries;
// - churn: 1M rounds of lookup-miss, insert, delete-the-oldest over 100k keys with 1k live
//   (what an insert into a full cache does to its index);
// - bytes per entry: the heap the index adds holding 100k keys (keys allocated before).
// Each design runs in its own child process, so each call site sees one design.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FRESH, makeKeys, now, prng } from './harness.mjs';

const ORIGINS = ['str', 'tpl', 'fresh', 'path'];
const DESIGNS = {
  object: () => {
    const index = Object.create(null);
    index.x = 0;
    delete index.x;
    return {
      get: (k) => index[k],
      set: (k, v) => {
        index[k] = v;
      },
      delete: (k) => delete index[k],
    };
  },
  map: () => {
    const index = new Map();
    return { get: (k) => index.get(k), set: (k, v) => index.set(k, v), delete: (k) => index.delete(k) };
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >>> 1];

function hit(design, origin) {
  const keys = makeKeys(origin, 10_000);
  const index = DESIGNS[design]();
  keys.forEach((k, i) => index.set(k, i));
  const rand = prng(1);
  const n = 1_000_000;
  const probe = new Array(n);
  // A fresh origin looks up new string objects (decoded anew for every 10k lookups, so
  // each is looked up about once); the others reuse theirs.
  let copies = keys;
  for (let i = 0; i < n; i++) {
    if (FRESH.has(origin) && i % 10_000 === 0) copies = makeKeys(origin, 10_000);
    probe[i] = copies[rand.below(keys.length)];
  }
  let sum = 0;
  const t = now();
  for (let i = 0; i < n; i++) sum += index.get(probe[i]) ?? 0;
  return [((now() - t) * 1e6) / n, sum];
}

function churn(design, origin) {
  const universe = 100_000;
  const live = 1_000;
  const rounds = 1_000_000;
  const stream = new Array(rounds);
  const base = makeKeys(origin, universe);
  for (let i = 0; i < rounds; i += universe) {
    const batch = FRESH.has(origin) && i > 0 ? makeKeys(origin, universe) : base;
    for (let j = 0; j < universe && i + j < rounds; j++) stream[i + j] = batch[j];
  }
  const index = DESIGNS[design]();
  let sum = 0;
  const t = now();
  for (let i = 0; i < rounds; i++) {
    const k = stream[i];
    if (index.get(k) === undefined) {
      index.set(k, i);
      if (i >= live) index.delete(stream[i - live]);
    }
    sum += i;
  }
  return [((now() - t) * 1e6) / rounds, sum];
}

function bytes(design, origin) {
  const keys = makeKeys(origin, 100_000);
  globalThis.gc();
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const index = DESIGNS[design]();
  keys.forEach((k, i) => index.set(k, i));
  globalThis.gc();
  globalThis.gc();
  const after = process.memoryUsage().heapUsed;
  if (index.get(keys[99_999]) !== 99_999) throw new Error('lost a key');
  return (after - before) / keys.length;
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  const [, design, origin, what] = args;
  const out = what === 'bytes' ? bytes(design, origin) : (what === 'hit' ? hit : churn)(design, origin)[0];
  console.log(JSON.stringify(out));
} else {
  const reps = Number(args[args.indexOf('--reps') + 1] || 5);
  const self = fileURLToPath(import.meta.url);
  const run = (design, origin, what) => {
    const r = spawnSync(process.execPath, ['--expose-gc', self, '--child', design, origin, what], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  };
  console.log(`| origin | design | hit ns | churn ns | bytes/entry |`);
  console.log(`|---|---|---:|---:|---:|`);
  for (const origin of ORIGINS) {
    const rows = Object.keys(DESIGNS).map((design) => ({ design, hit: [], churn: [] }));
    // Repetitions of both designs interleave, so a burst of load hits both alike.
    for (let r = 0; r < reps; r++) {
      for (const row of rows) {
        row.hit.push(run(row.design, origin, 'hit'));
        row.churn.push(run(row.design, origin, 'churn'));
      }
    }
    for (const row of rows) {
      const b = run(row.design, origin, 'bytes');
      console.log(
        `| ${origin} | ${row.design} | ${median(row.hit).toFixed(1)} | ${median(row.churn).toFixed(1)} | ${b.toFixed(1)} |`,
      );
    }
  }
}
