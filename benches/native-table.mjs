// Prints the markdown table of a `cargo bench --bench native` run from criterion's
// results: median time per operation for each workload and size, edge-lru against
// lru and schnellru, with the targets (>= 1.5x lru, >= 1.0x schnellru) checked.
//
//   node benches/native-table.mjs target/criterion
//
// Exits 1 when no result is found, and when a workload misses the targets if
// BENCH_ENFORCE=1 (timings on shared machines are noisy, so not by default).

import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const IMPLS = ['edge-lru', 'lru', 'schnellru', 'schnellru+foldhash'];
const GROUPS = ['get_hit', 'put_evict', 'zipf_mix'];

const root = process.argv[2];
if (root === undefined) {
  console.error('usage: node benches/native-table.mjs CRITERION_DIR');
  process.exit(2);
}

/** Every `new/` directory under `dir` holding a benchmark's latest estimates. */
function* latest(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (basename(dir) === 'new' && entries.some((e) => e.isFile() && e.name === 'estimates.json')) yield dir;
  for (const entry of entries) if (entry.isDirectory()) yield* latest(join(dir, entry.name));
}

/** `group/function/size` -> median ns. */
const results = new Map();
for (const dir of latest(root)) {
  let bench;
  let estimates;
  try {
    bench = JSON.parse(readFileSync(join(dir, 'benchmark.json'), 'utf8'));
    estimates = JSON.parse(readFileSync(join(dir, 'estimates.json'), 'utf8'));
  } catch {
    continue;
  }
  results.set(`${bench.group_id}/${bench.function_id}/${bench.value_str ?? ''}`, estimates.median.point_estimate);
}
if (results.size === 0) {
  console.error(`no criterion results found under ${root}`);
  process.exit(1);
}

const sizes = [...new Set([...results.keys()].map((key) => key.split('/').pop()).filter((v) => /^\d+$/.test(v)))]
  .map(Number)
  .sort((a, b) => a - b);
const ns = (value) => (value === undefined ? '-' : value.toFixed(1));
const ratio = (base, ours) => (base === undefined || ours === undefined ? '-' : `${(base / ours).toFixed(2)}x`);

const lines = [
  '| workload | edge-lru ns | lru ns | schnellru ns | schnellru+foldhash ns ' +
    '| vs lru | vs schnellru | vs schnellru+foldhash | targets |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---|',
];
let misses = 0;
for (const group of GROUPS) {
  for (const size of sizes) {
    const t = Object.fromEntries(IMPLS.map((name) => [name, results.get(`${group}/${name}/${size}`)]));
    if (IMPLS.every((name) => t[name] === undefined)) continue;
    const ours = t['edge-lru'];
    let verdict = '-';
    if (ours !== undefined && t.lru !== undefined && t.schnellru !== undefined) {
      const ok = t.lru / ours >= 1.5 && t.schnellru / ours >= 1.0;
      if (!ok) misses++;
      verdict = ok ? 'ok' : 'MISS';
    }
    lines.push(
      `| ${group}/${size} | ${ns(ours)} | ${ns(t.lru)} | ${ns(t.schnellru)} | ${ns(t['schnellru+foldhash'])} ` +
        `| ${ratio(t.lru, ours)} | ${ratio(t.schnellru, ours)} | ${ratio(t['schnellru+foldhash'], ours)} | ${verdict} |`,
    );
  }
}
lines.push('', 'Median time per operation (criterion). Targets: >= 1.5x lru and >= 1.0x schnellru.');
console.log(lines.join('\n'));
if (misses > 0 && process.env.BENCH_ENFORCE === '1') {
  console.error(`${misses} workload(s) miss the targets`);
  process.exit(1);
}
