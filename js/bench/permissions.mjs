// The gateway pattern, side by side: one user's 1,000-entry directory listing checked
// with edge-lru's PermissionCache, and with lru-cache holding the same rules as JS
// objects and a JS matcher of the same semantics written the way a competent JS
// developer would (the directory's rules resolved once per listing, a Map of the
// rules directly below it). Also the memory of 100k cached users with 20 rules each.
//
//   node js/bench/permissions.mjs            full run, writes bench-results/permissions.{md,json}
//   node js/bench/permissions.mjs --smoke    seconds; proves both sides work and agree
//
// Every measurement runs in a fresh process. The listing is timed in PAIRS pairs of
// processes, edge-lru and the baseline alternating; each process reports the median of
// its repetitions, and the table shows the median of those per-process medians.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const OPS = ['list', 'read', 'write', 'delete', 'mkdir', 'rename'];
const BIT = Object.fromEntries(OPS.map((op, i) => [op, 1 << i]));
/** Entry names that are never allowed: empty, `.`, `..`, or holding `/`, `\` or NUL. */
const badName = (name) =>
  name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || name.includes('\0');

/** A user's 20 rules, as they would come from MySQL. */
export function rulesOf(user) {
  const home = `/home/${user}`;
  return [
    { path: '/', allow: ['list'] },
    { path: '/pub', allow: ['list', 'read'] },
    { path: '/pub/incoming', allow: ['list', 'write', 'mkdir'] },
    { path: home, allow: OPS },
    { path: `${home}/private`, allow: [] },
    { path: `${home}/shared`, allow: ['list', 'read'] },
    ...Array.from({ length: 10 }, (_, i) => ({ path: `/projects/p${i}-${user}`, allow: ['list', 'read', 'write'] })),
    { path: `${home}/projects/archive`, allow: ['list', 'read'] },
    { path: `${home}/projects/secret`, allow: [] },
    { path: '/tmp', allow: ['list', 'read', 'write', 'delete', 'mkdir'] },
    { path: '/etc', allow: [] },
  ];
}

/** The listing: 1,000 names, two of which (directories) have rules of their own. */
export function listing() {
  const names = Array.from({ length: 1000 }, (_, i) => `file-${String(i).padStart(4, '0')}.dat`);
  names[10] = 'archive';
  names[500] = 'secret';
  return names;
}

/**
 * The listing as the gateway gets it: written to a temporary directory and read back
 * with `readdirSync`, so the names are the strings a directory reader makes.
 */
function readListing() {
  const dir = mkdtempSync(join(tmpdir(), 'edge-lru-listing-'));
  try {
    for (const name of listing()) {
      if (name === 'archive' || name === 'secret') mkdirSync(join(dir, name));
      else writeFileSync(join(dir, name), '');
    }
    return readdirSync(dir).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the JS baseline: rules as objects in lru-cache, a longest-segment matcher ----

function normalize(path) {
  if (typeof path !== 'string' || path[0] !== '/' || path.includes('\0') || path.includes('\\')) {
    throw new TypeError(`bad path ${path}`);
  }
  const segments = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') throw new TypeError(`bad path ${path}`);
    segments.push(segment);
  }
  return '/' + segments.join('/');
}

/** Compiles a user's rules the way a careful JS service would: normalized, in a Map. */
export function compileJs(rules) {
  const byPath = new Map();
  for (const { path, allow } of rules) {
    let ops = 0;
    for (const op of allow) ops |= BIT[op];
    byPath.set(normalize(path), ops);
  }
  return byPath;
}

function decide(byPath, path) {
  for (let p = path; ; p = p.slice(0, Math.max(1, p.lastIndexOf('/')))) {
    const ops = byPath.get(p);
    if (ops !== undefined) return ops;
    if (p === '/') return 0;
  }
}

/** Filters a listing: the directory decided once, then one Map lookup per name. */
export function filterJs(byPath, dir, names, op) {
  const base = normalize(dir);
  const bit = BIT[op];
  const dirOps = decide(byPath, base);
  const prefix = base === '/' ? '/' : base + '/';
  const children = new Map();
  for (const [path, ops] of byPath) {
    if (path.startsWith(prefix) && path.indexOf('/', prefix.length) === -1 && path.length > prefix.length) {
      children.set(path.slice(prefix.length), ops);
    }
  }
  const out = [];
  for (const name of names) {
    if (badName(name)) continue;
    const ops = children.size === 0 ? dirOps : (children.get(name) ?? dirOps);
    if ((ops & bit) !== 0) out.push(name);
  }
  return out;
}

// ---- one measurement, in this process ----

async function measure(impl, workload, smoke) {
  const { LRUCache: JsLRU } = await import('lru-cache');
  const edge = await import('edge-lru');
  const user = 'alice';
  const dir = `/home/${user}/projects`;
  if (workload === 'listing') {
    const names = readListing();
    let filter;
    if (impl === 'edge-lru') {
      const perms = new edge.PermissionCache({ maxUsers: 1000, load: async (u) => rulesOf(u) });
      await perms.login(user);
      filter = () => perms.filterCached(user, dir, names, 'read');
    } else {
      const cache = new JsLRU({ max: 1000 });
      cache.set(user, compileJs(rulesOf(user)));
      filter = () => filterJs(cache.get(user), dir, names, 'read');
    }
    const expected = filterJs(compileJs(rulesOf(user)), dir, names, 'read');
    // The workload must exercise a rule below the directory: 'secret' is denied.
    if (expected.length !== names.length - 1 || expected.includes('secret')) throw new Error('unexpected reference listing');
    const got = filter();
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`${impl} disagrees with the reference`);
    const rounds = smoke ? 20 : 4000;
    const times = [];
    let sink = 0;
    for (let rep = 0; rep < (smoke ? 1 : 7); rep++) {
      for (let i = 0; i < rounds / 4; i++) sink += filter().length; // warm-up
      const start = performance.now();
      for (let i = 0; i < rounds; i++) sink += filter().length;
      times.push(((performance.now() - start) * 1e3) / rounds);
    }
    return { times, sink };
  }
  // memory: 100k users with 20 rules each, heap (after GC) plus wasm memory
  const users = smoke ? 1000 : 100_000;
  globalThis.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const wasmBefore = edge.wasmMemorySize();
  let keep;
  if (impl === 'edge-lru') {
    keep = new edge.PermissionCache({ maxUsers: users, load: async (u) => rulesOf(u) });
    for (let i = 0; i < users; i++) await keep.login(`user${i}`);
    if (keep.size !== users) throw new Error('not every user was cached');
  } else {
    keep = new JsLRU({ max: users });
    for (let i = 0; i < users; i++) keep.set(`user${i}`, compileJs(rulesOf(`user${i}`)));
    if (keep.size !== users) throw new Error('not every user was cached');
  }
  globalThis.gc();
  const heap = process.memoryUsage().heapUsed - heapBefore;
  const wasm = edge.wasmMemorySize() - wasmBefore;
  return { heap, wasm, total: heap + wasm, users, sink: keep.size };
}

// ---- the driver ----

function run(impl, workload, smoke) {
  const result = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--worker', impl, workload, smoke ? 'smoke' : 'full'], {
    cwd: join(here, '..'),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${impl} ${workload} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

/** Pairs of listing processes in a full run. */
const PAIRS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--worker') {
    console.log(JSON.stringify(await measure(args[1], args[2], args[3] === 'smoke')));
    return;
  }
  const smoke = args.includes('--smoke');
  const pairs = smoke ? 1 : PAIRS;
  const edgeRuns = [];
  const jsRuns = [];
  for (let i = 0; i < pairs; i++) {
    edgeRuns.push(run('edge-lru', 'listing', smoke).times);
    jsRuns.push(run('lru-cache', 'listing', smoke).times);
  }
  const listingEdge = { times: edgeRuns.map(median), runs: edgeRuns };
  const listingJs = { times: jsRuns.map(median), runs: jsRuns };
  const pairRatios = listingJs.times.map((js, i) => js / listingEdge.times[i]);
  const memoryEdge = run('edge-lru', 'memory', smoke);
  const memoryJs = run('lru-cache', 'memory', smoke);
  const speedup = median(listingJs.times) / median(listingEdge.times);
  const memoryRatio = memoryEdge.total / memoryJs.total;
  const version = (name) => JSON.parse(readFileSync(join(here, '../node_modules', name, 'package.json'), 'utf8')).version;
  const md = [
    `Gateway pattern on Node ${process.version}${smoke ? ' (smoke run: not a measurement)' : ''}`,
    '',
    '| measurement | edge-lru PermissionCache | lru-cache + JS matcher | edge-lru advantage |',
    '|---|---|---|---|',
    `| 1 user, listing of 1,000 names, µs per listing (median of ${pairs} processes x ${edgeRuns[0].length} repetitions) | ${median(listingEdge.times).toFixed(2)} | ${median(listingJs.times).toFixed(2)} | ${speedup.toFixed(2)}x faster (pairs: ${Math.min(...pairRatios).toFixed(2)}x to ${Math.max(...pairRatios).toFixed(2)}x) |`,
    `| ${memoryEdge.users.toLocaleString('en')} users x 20 rules, JS heap + wasm memory | ${mib(memoryEdge.total)} (heap ${mib(memoryEdge.heap)}, wasm ${mib(memoryEdge.wasm)}) | ${mib(memoryJs.total)} | ${(1 / memoryRatio).toFixed(2)}x smaller |`,
  ].join('\n');
  console.log(md);
  const out = join(here, '../../bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, smoke ? 'permissions-smoke.md' : 'permissions.md'), md + '\n');
  writeFileSync(
    join(out, smoke ? 'permissions-smoke.json' : 'permissions.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        host: { node: process.version, platform: process.platform, arch: process.arch },
        versions: {
          'edge-lru': JSON.parse(readFileSync(join(here, '../package.json'), 'utf8')).version,
          'lru-cache': version('lru-cache'),
        },
        listing: { edge: listingEdge.runs, js: listingJs.runs, speedup, pairRatios },
        memory: { edge: memoryEdge, js: memoryJs, ratio: memoryRatio },
      },
      null,
      2,
    ) + '\n',
  );
}

await main();
