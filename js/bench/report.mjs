// Renders one host's record (bench-results/<host>.json) as markdown.
//
//   node js/bench/report.mjs bench-results/node20.json   re-render a saved run

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { INT_ORIGINS, LIBS, PEERS, TARGETS, caseKey } from './matrix.mjs';
import { WORKLOADS } from './harness.mjs';
import { ENGINES as BROWSERS } from '../scripts/browsers.mjs';

const fmtNs = (x) => (x == null ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fmtRatio = (x) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(2));
const size = (n) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const label = (c) => `${c.workload} · ${c.keys} · ${size(c.size)}`;

function spread(xs) {
  if (!xs || xs.length < 2) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return (s[s.length - 1] - s[0]) / s[(s.length - 1) >> 1];
}

/** Groups measurements by case: Map(caseKey -> { case, byLib: Map(lib -> result) }). */
export function byCase(measurements) {
  const out = new Map();
  for (const m of measurements) {
    const k = caseKey(m);
    if (!out.has(k)) out.set(k, { case: { workload: m.workload, keys: m.keys, size: m.size }, byLib: new Map() });
    out.get(k).byLib.set(m.lib, m);
  }
  return out;
}

/** The fastest of `peers` in a case: { lib, ns } or null. */
export function fastest(group, peers = PEERS) {
  let best = null;
  for (const lib of peers) {
    const r = group.byLib.get(lib);
    if (r && !r.error && r.ns != null && (!best || r.ns < best.ns)) best = { lib, ns: r.ns };
  }
  return best;
}

export function renderMarkdown(record) {
  const groups = byCase(record.measurements);
  const busyLimit = record.contention?.busyLimit ?? 0.5;
  const libs = LIBS.filter((l) => record.measurements.some((m) => m.lib === l) || record.memory.some((m) => m.lib === l));
  const rt = record.runtimeInfo ?? {};
  const lines = [];
  const p = (s = '') => lines.push(s);
  const v = record.versions;
  const runtime = Object.entries(v.runtime)
    .map(([k, x]) => `${k} ${x}`)
    .join(', ');
  const own = v.libraries['edge-lru'];
  const peers = Object.entries(v.libraries)
    .filter(([k]) => k !== 'edge-lru')
    .map(([k, x]) => `${k} ${x}`)
    .join(', ');

  p(`# edge-lru benchmark: ${record.host}${record.options.smoke ? ' (smoke run: tiny op counts, timings meaningless)' : ''}`);
  p();
  p(`- Host: ${runtime}${rt.v8 ? ` (V8 ${rt.v8})` : ''}; clock: ${rt.clock ?? '?'}${rt.crossOriginIsolated != null ? `, crossOriginIsolated: ${rt.crossOriginIsolated}` : ''}`);
  p(`- Date: ${record.date}; wall time ${record.wallSeconds}s; machine: ${record.machine.cpu}, ${record.machine.cores} cores, load ${record.machine.loadavg.map((x) => x.toFixed(1)).join(' ')} at start, ${(record.machine.loadavgEnd ?? []).map((x) => x.toFixed(1)).join(' ')} at end`);
  p(`- edge-lru ${own.version} at ${own.commit?.slice(0, 10)}${own.dirty ? ' (working tree has uncommitted src changes)' : ''}, dist built ${own.distBuilt} (fingerprint ${own.dist}, wasm sha256 ${own.distWasmSha256?.slice(0, 16)})`);
  const seen = own.distSeen ?? [];
  if (seen.length > 1 || (own.distAtEnd && own.distAtEnd !== own.dist)) {
    p(`- **Warning: js/dist was rebuilt during this run**; edge-lru measurements loaded ${seen.length} different builds (${seen.join(', ')}; ${own.distAtEnd} at the end); see \`dist\` per measurement in the JSON.`);
  }
  p(`- Peers: ${peers}`);
  const o = record.options;
  p(
    o.smoke
      ? `- Method (smoke): each library in one ${BROWSERS.includes(record.host) ? 'browser page' : 'process'} running every case back to back with tiny op counts; it proves the adapters and the host work, nothing more.`
      : `- Method: each library × case in a fresh ${record.host === 'chromium' ? 'browser context (its own renderer process)' : BROWSERS.includes(record.host) ? 'browser tab' : 'process'}: correctness pass (${o.checkOps.toLocaleString('en-US')} ops), ${o.warmup} untimed warm-up pass, then ${o.reps} timed passes of ${o.ops.toLocaleString('en-US')} operations over precomputed key streams, requested round-robin across the libraries of the case so their repetitions interleave in time; ns/op is the median. Shared, noisy machine: read ratios within a row, not absolute ns.`,
  );
  p();

  // ---- targets
  const targetRows = TARGETS.filter((t) => groups.has(caseKey(t)));
  if (targetRows.length) {
    p('## Targets (edge-lru ns/op ÷ fastest peer ns/op)');
    p();
    p('| target | edge-lru ns | fastest peer | ratio | fastest strict peer | strict ratio | goal | met |');
    p('|---|---:|---|---:|---|---:|---:|:-:|');
    const worst = new Map();
    for (const t of targetRows) {
      const g = groups.get(caseKey(t));
      const e = g.byLib.get('edge-lru');
      const f = fastest(g);
      const fs = fastest(g, PEERS.filter((x) => x !== 'quick-lru'));
      const ok = e && !e.error && f;
      const r = ok ? e.ns / f.ns : null;
      const rs = ok && fs ? e.ns / fs.ns : null;
      p(
        `| ${t.label} (${caseKey(t)}) | ${ok ? fmtNs(e.ns) : e?.error ? 'FAIL' : '–'} | ${f ? `${f.lib} ${fmtNs(f.ns)}` : '–'} | ${fmtRatio(r)} | ${fs ? `${fs.lib} ${fmtNs(fs.ns)}` : '–'} | ${fmtRatio(rs)} | ≤ ${t.max} | ${rs == null ? '–' : rs <= t.max ? 'yes' : 'no'} |`,
      );
      if (rs != null) {
        const kind = INT_ORIGINS.includes(t.keys) ? 'integer' : 'string';
        const w = `${t.workload} · ${t.size}|${kind}`;
        const was = worst.get(w);
        if (!was || rs > was.rs) worst.set(w, { t, rs, kind });
      }
    }
    p();
    p('Worst key origin per target workload (strict ratio; the goal must hold for every origin):');
    p();
    p('| workload · size | keys | worst origin | strict ratio | goal | met |');
    p('|---|---|---|---:|---:|:-:|');
    for (const [w, { t, rs, kind }] of worst) {
      p(`| ${w.split('|')[0]} | ${kind} | ${t.keys} | ${fmtRatio(rs)} | ≤ ${t.max} | ${rs <= t.max ? 'yes' : 'no'} |`);
    }
    p();
    p('"Fastest peer" is the best of lru-cache, lru.min, mnemonist (LRUCache or LRUMap), quick-lru and tiny-lru; quick-lru is not a strict LRU (see notes), so the best strict peer is shown too.');
    p();
  }

  // ---- main table
  p('## ns per operation (median), and in parentheses the ratio to the fastest peer');
  p();
  p(`| workload · keys · size | ${libs.join(' | ')} | fastest peer |`);
  p(`|---|${libs.map(() => '---:').join('|')}|---|`);
  for (const g of groups.values()) {
    const f = fastest(g);
    const cells = libs.map((lib) => {
      const r = g.byLib.get(lib);
      if (!r) return '–';
      if (r.error) return r.check && !r.check.ok ? 'WRONG' : 'FAIL';
      const ratio = f ? ` (${fmtRatio(r.ns / f.ns)})` : '';
      const mark = r.contended > 0 ? '†' : '';
      return lib === 'edge-lru' ? `**${fmtNs(r.ns)}**${mark}${ratio}` : `${fmtNs(r.ns)}${mark}${ratio}`;
    });
    p(`| ${label(g.case)} | ${cells.join(' | ')} | ${f ? f.lib : '–'} |`);
  }
  p();
  const contended = record.measurements.filter((m) => m.contended > 0);
  const cn = record.contention;
  p(
    `† contended: other processes kept more than ${busyLimit} cores busy during at least one of its kept timed passes${contended.length ? ` (${contended.length} of ${record.measurements.length} measurements)` : '; none were'}.` +
      (cn ? ` ${cn.redonePasses} contended passes were redone; ${cn.waitedS} s spent waiting for a quiet machine.` : ''),
  );
  p();

  // ---- ratio to raw Map
  const withMap = [...groups.values()].filter((g) => g.byLib.get('map')?.ns != null);
  if (withMap.length) {
    p('## Ratio to raw `Map` (workloads without eviction: Map does the same lookups and stores, no recency)');
    p();
    const others = libs.filter((l) => l !== 'map');
    p(`| workload · keys · size | Map ns | ${others.join(' | ')} |`);
    p(`|---|---:|${others.map(() => '---:').join('|')}|`);
    for (const g of withMap) {
      const m = g.byLib.get('map').ns;
      const cells = others.map((lib) => {
        const r = g.byLib.get(lib);
        return r && r.ns != null ? fmtRatio(r.ns / m) : '–';
      });
      p(`| ${label(g.case)} | ${fmtNs(m)} | ${cells.join(' | ')} |`);
    }
    p();
  }

  // ---- ops/s
  p('## Throughput, million operations per second (median)');
  p();
  p(`| workload · keys · size | ${libs.join(' | ')} |`);
  p(`|---|${libs.map(() => '---:').join('|')}|`);
  for (const g of groups.values()) {
    const cells = libs.map((lib) => {
      const r = g.byLib.get(lib);
      return r && r.opsPerSec ? (r.opsPerSec / 1e6).toFixed(1) : '–';
    });
    p(`| ${label(g.case)} | ${cells.join(' | ')} |`);
  }
  p();

  // ---- memory
  if (record.memory.length) {
    const n = record.memory[0].entries ?? record.options.memoryCount;
    p(`## Memory after loading ${n.toLocaleString('en-US')} entries (bytes per entry; keys pre-allocated, small-integer values)`);
    p();
    const keyTypes = [...new Set(record.memory.map((m) => m.keys))];
    p(`| library | ${keyTypes.join(' | ')} |`);
    p(`|---|${keyTypes.map(() => '---:').join('|')}|`);
    for (const lib of libs) {
      const cells = keyTypes.map((k) => {
        const m = record.memory.find((x) => x.lib === lib && x.keys === k);
        if (!m) return '–';
        if (m.error) return 'FAIL';
        const per = (bytes) => (bytes / m.entries).toFixed(1);
        const parts = [`${per(m.heapBytes)} heap`];
        if (m.bufferBytes != null) parts.push(`${per(m.bufferBytes)} buffers`);
        if (m.wasmBytes) parts.push(`${per(m.wasmBytes)} wasm`);
        return `${m.bytesPerEntry} (${parts.join(' + ')})`;
      });
      p(`| ${lib} | ${cells.join(' | ')} |`);
    }
    p();
    const uncounted = record.memory.some((m) => m.bufferBytes == null);
    p(
      'Each figure is measured after two forced GCs, minus the same before creating the cache. JS heap: `heapUsed` (Node), `Deno.memoryUsage().heapUsed`, `performance.memory.usedJSHeapSize` (Chromium, precise). Buffers: ArrayBuffer backing stores, which live outside the JS heap (typed arrays: lru-cache\'s and mnemonist\'s links, edge-lru\'s integer table): `arrayBuffers` (Node), `Deno.memoryUsage().external` (Deno). wasm: growth of edge-lru\'s `wasmMemorySize()` (whole 64 KiB pages; it never shrinks).' +
        (uncounted
          ? ' **A page cannot see ArrayBuffer memory: here typed arrays are not counted, which flatters every library that keeps its structure in them (edge-lru\'s integer table, lru-cache\'s and mnemonist\'s links); compare memory on Node or Deno.**'
          : ''),
    );
    p();
  }

  // ---- correctness
  p('## Correctness');
  p();
  const checked = record.measurements.filter((m) => m.check);
  const bad = checked.filter((m) => !m.check.ok);
  p(`- Correctness pass: ${checked.length - bad.length}/${checked.length} measurements passed${bad.length ? '; failed (not timed): ' + bad.map((m) => `${m.lib} ${caseKey(m)}: ${m.check.errors[0]}`).join('; ') : ''}.`);
  const crashes = record.failures.filter((f) => !f.check);
  if (crashes.length) p(`- Errors: ${crashes.map((f) => `${f.lib} ${f.case}: ${String(f.error).split('\n')[0]}`).join('; ')}`);
  // Every strict library runs the same passes over the same streams from the same
  // state, so their per-pass checksums (get hits, sum of returned values) must agree,
  // as far as all of them went (a redone pass adds one), and so must the final sizes
  // where the pass counts agree.
  const disagree = [];
  let compared = 0;
  for (const g of groups.values()) {
    const strict = [...g.byLib.values()].filter((r) => r.check?.strict && r.checksums);
    if (strict.length < 2) continue;
    compared++;
    const n = Math.min(...strict.map((r) => r.checksums.length));
    const ref = strict[0];
    for (const r of strict.slice(1)) {
      for (let i = 0; i < n; i++) {
        const [a, b] = [r.checksums[i], ref.checksums[i]];
        if (a[0] !== b[0] || a[1] !== b[1]) {
          disagree.push(`${caseKey(g.case)} pass ${i + 1}: ${r.lib} ${a.join('/')} vs ${ref.lib} ${b.join('/')}`);
          break;
        }
      }
      if (r.passes === ref.passes && r.finalSize !== ref.finalSize) {
        disagree.push(`${caseKey(g.case)}: ${r.lib} final size ${r.finalSize} vs ${ref.lib} ${ref.finalSize}`);
      }
    }
  }
  p(`- Timed-run checksums (per pass: get hits and sum of returned values; final size) of all strict libraries agree in ${compared - new Set(disagree.map((d) => d.split(' ')[0])).size} of ${compared} cases${disagree.length ? ': NO: ' + disagree.join('; ') : ''}.`);
  const q = checked.filter((m) => !m.check.strict && m.check.ok && m.check.hits !== m.check.refHits);
  if (q.length) {
    p(`- quick-lru hits vs a strict LRU of the same size (correctness prefix): ${q.map((m) => `${caseKey(m)} ${m.check.hits} vs ${m.check.refHits}`).join(', ')}.`);
  }
  p();

  // ---- noise
  const noisy = [];
  for (const g of groups.values()) {
    for (const [lib, r] of g.byLib) if (r.nsPerOp && spread(r.nsPerOp) > 0.25) noisy.push(`${lib} ${caseKey(g.case)} (${(spread(r.nsPerOp) * 100).toFixed(0)}%)`);
  }
  if (noisy.length) {
    p(`Noisy measurements (max − min of the repetitions above 25% of the median): ${noisy.join(', ')}.`);
    p();
  }

  // ---- notes
  p('## Workloads');
  p();
  for (const [name, w] of Object.entries(WORKLOADS)) p(`- \`${name}\`: ${w.title}`);
  p('- Keys (origins): `str` = `user10000@example.com`…, flat and pre-hashed; `tpl` = the same built by a template literal (V8 cons strings, not pre-hashed); `fresh` = the same decoded from UTF-8 bytes anew for every operation (decoded before each timed pass); `path` = 30–80 character paths; `unicode` = non-ASCII names (two-byte strings); `int` = distinct integers scattered over [0, 2^30) (Smis); `u32` = over [0, 2^32); `ms` = millisecond timestamps (about 1.77e12); `i53` = over [0, 2^53). Size = capacity (entries).');
  p('- quick-lru is not a strict LRU: it keeps two generations of up to maxSize entries each and drops the old one whole, so it can hold up to 2 × maxSize entries and evicts in bulk (cheap per set). mnemonist\'s LRUCache and tiny-lru key a plain object (`1` and `"1"` collide); mnemonist\'s LRUMap and the others key a `Map`. mnemonist\'s delete workload uses its `…WithDelete` classes.');
  p();
  return lines.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const record = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  process.stdout.write(renderMarkdown(record));
}
