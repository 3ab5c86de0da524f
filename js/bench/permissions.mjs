// The gateway pattern, side by side: one user's 1,000-entry directory listing checked
// with edge-lru's PermissionCache, and with lru-cache holding the same rules as JS
// objects and a JS matcher of the same semantics written the way a competent JS
// developer would (the directory's rules resolved once per listing, a Map of the
// rules directly below it). Also the memory of 100k cached users with 20 rules each.
//
//   node js/bench/permissions.mjs            full run, writes bench-results/permissions.{md,json}
//   node js/bench/permissions.mjs --smoke    seconds; proves both sides work and agree
//
// The listing is a real directory read with `readdirSync`. The gateway reads it again
// for every listing it serves, so each check gets new strings; that is the headline
// row. The second row checks one array again and again, where V8 has already hashed
// every name, which spares the baseline's Map lookups their hashing.
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
 * A temporary directory holding the listing, so that every listing checked is a fresh
 * `readdirSync` result: the strings a directory reader makes, new for every listing,
 * as the gateway gets them (a JS `Map` has not hashed them yet).
 */
function listingDir() {
  const dir = mkdtempSync(join(tmpdir(), 'edge-lru-listing-'));
  for (const name of listing()) {
    if (name === 'archive' || name === 'secret') mkdirSync(join(dir, name));
    else writeFileSync(join(dir, name), '');
  }
  return dir;
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

/** Checks one path: normalized, then its rule found by walking up its ancestors. */
export function allowsJs(byPath, path, op) {
  return (decide(byPath, normalize(path)) & BIT[op]) !== 0;
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
  const edge = await import('edge-lru/permissions');
  const user = 'alice';
  const dir = `/home/${user}/projects`;
  if (workload === 'listing') {
    const path = listingDir();
    try {
      const names = readdirSync(path);
      let filter;
      let allows;
      if (impl === 'edge-lru') {
        const perms = new edge.PermissionCache({ maxUsers: 1000, load: async (u) => rulesOf(u) });
        await perms.login(user);
        filter = (listed) => perms.filterCached(user, dir, listed, 'read');
        allows = (path) => perms.allowsCached(user, path, 'read');
      } else {
        const cache = new JsLRU({ max: 1000 });
        cache.set(user, compileJs(rulesOf(user)));
        filter = (listed) => filterJs(cache.get(user), dir, listed, 'read');
        allows = (path) => allowsJs(cache.get(user), path, 'read');
      }
      const expected = filterJs(compileJs(rulesOf(user)), dir, names, 'read');
      // The workload must exercise a rule below the directory: 'secret' is denied.
      if (expected.length !== names.length - 1 || expected.includes('secret')) throw new Error('unexpected reference listing');
      const got = filter(readdirSync(path));
      if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`${impl} disagrees with the reference`);
      const checked = names.filter((name) => allows(`${dir}/${name}`));
      if (JSON.stringify(checked) !== JSON.stringify(expected)) throw new Error(`${impl}'s checks disagree with the reference`);
      // Each listing is timed alone, right after it is read, as the gateway reads and
      // filters; `same` checks one array again and again (its names already hashed).
      const listings = smoke ? 20 : 1000;
      let sink = 0;
      const time = (next) => {
        let total = 0;
        for (let i = 0; i < listings; i++) {
          const listed = next();
          const start = performance.now();
          sink += filter(listed).length;
          total += performance.now() - start;
        }
        return (total * 1e3) / listings;
      };
      // Single checks, as the gateway makes for every other operation: each path built
      // from a fresh listing's names (new strings), ns per check.
      const timeChecks = () => {
        const listed = readdirSync(path);
        const paths = listed.map((name) => `${dir}/${name}`);
        const start = performance.now();
        for (let i = 0; i < paths.length; i++) if (allows(paths[i])) sink++;
        return ((performance.now() - start) * 1e6) / paths.length;
      };
      const fresh = [];
      const same = [];
      const checks = [];
      const reps = smoke ? 1 : 7;
      time(() => readdirSync(path)); // warm-up
      time(() => names);
      for (let rep = 0; rep < reps; rep++) {
        fresh.push(time(() => readdirSync(path)));
        same.push(time(() => names));
      }
      for (let i = 0; i < 20; i++) timeChecks(); // warm-up
      for (let rep = 0; rep < reps; rep++) checks.push(median(Array.from({ length: smoke ? 2 : 50 }, timeChecks)));
      return { fresh, same, checks, sink };
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
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
const listingRow = (what, { edge, js, speedup, pairRatios }) =>
  `| ${what} | ${edge.toFixed(2)} | ${js.toFixed(2)} | ${speedup.toFixed(2)}x faster (pairs: ${Math.min(...pairRatios).toFixed(2)}x to ${Math.max(...pairRatios).toFixed(2)}x) |`;
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
    edgeRuns.push(run('edge-lru', 'listing', smoke));
    jsRuns.push(run('lru-cache', 'listing', smoke));
  }
  /** Per-process medians of one kind of listing, both sides, and their ratios. */
  const summarize = (kind) => {
    const edge = edgeRuns.map((r) => median(r[kind]));
    const js = jsRuns.map((r) => median(r[kind]));
    const pairRatios = js.map((t, i) => t / edge[i]);
    return { edge: median(edge), js: median(js), speedup: median(js) / median(edge), pairRatios, runs: { edge: edgeRuns.map((r) => r[kind]), js: jsRuns.map((r) => r[kind]) } };
  };
  const fresh = summarize('fresh');
  const same = summarize('same');
  const checks = summarize('checks');
  const memoryEdge = run('edge-lru', 'memory', smoke);
  const memoryJs = run('lru-cache', 'memory', smoke);
  const memoryRatio = memoryEdge.total / memoryJs.total;
  const version = (name) => JSON.parse(readFileSync(join(here, '../node_modules', name, 'package.json'), 'utf8')).version;
  const md = [
    `Gateway pattern on Node ${process.version}${smoke ? ' (smoke run: not a measurement)' : ''}`,
    '',
    '| measurement | edge-lru PermissionCache | lru-cache + JS matcher | edge-lru advantage |',
    '|---|---|---|---|',
    listingRow(`1 user, listing of 1,000 names read fresh for each check, µs per listing (median of ${pairs} processes x ${edgeRuns[0].fresh.length} repetitions)`, fresh),
    listingRow('the same, one listing array checked again and again (its names already hashed)', same),
    listingRow('1 user, one path checked (`allowsCached` vs the JS matcher), ns per check', checks),
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
        listing: { fresh, same },
        checks,
        memory: { edge: memoryEdge, js: memoryJs, ratio: memoryRatio },
      },
      null,
      2,
    ) + '\n',
  );
}

await main();
