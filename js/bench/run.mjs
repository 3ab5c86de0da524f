// The benchmark driver: for each host, each case and each library, one fresh process
// (Node, Deno) or one fresh browser context (Chromium) runs worker.mjs / page.mjs and
// reports back; results go to bench-results/<host>.json and .md.
//
//   node js/bench/run.mjs [--host all|node|node20|node24|deno|chromium[,...]]
//                         [--matrix default|targets|full] [--smoke]
//                         [--filter REGEX] [--libs a,b] [--ops N] [--reps R]
//                         [--warmup W] [--no-memory] [--out DIR] [--quiet-wait S]
//                         [--wait-budget S] [--busy-limit CORES] [--retry-budget N]
//
// Run it with the machine's Node (scripts/bench.sh does). See js/bench/README.md.

import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBS, MATRICES, SMOKE, caseKey, libsFor } from './matrix.mjs';
import { renderMarkdown } from './report.mjs';
import { distFingerprint } from './fingerprint.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const jsDir = resolve(benchDir, '..');
const root = resolve(jsDir, '..');

/* ----------------------------------------------------------------- options ---- */

const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) argv.splice(i, 1);
  return i >= 0;
};
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};

const smoke = flag('smoke');
const noMemory = flag('no-memory');
const hostArg = option('host', 'all');
const matrixName = option('matrix', 'default');
const filter = option('filter', null);
const libsArg = option('libs', null);
const outDir = resolve(option('out', join(root, 'bench-results')));
const ops = Number(option('ops', smoke ? 10_000 : 1_000_000));
const reps = Number(option('reps', smoke ? 1 : 5));
const warmup = Number(option('warmup', smoke ? 0 : 1));
const checkOps = Number(option('check-ops', smoke ? 10_000 : 100_000));
const memoryCount = Number(option('memory-entries', smoke ? 1_000 : 100_000));
const timeoutMs = Number(option('timeout', 180_000));
// Contention control (the machines are shared): "other" CPU = machine-wide busy time
// minus our own process tree's. Before each measurement wait up to --quiet-wait seconds
// for other processes to use under --busy-limit cores, and redo a measurement once if
// they used more during its timed passes, keeping the less contended run; both within
// per-host budgets.
const quietWaitS = Number(option('quiet-wait', smoke ? 0 : 10));
const waitBudgetS = Number(option('wait-budget', 120));
const busyLimit = Number(option('busy-limit', 0.5));
const retryBudget = Number(option('retry-budget', 40));
if (argv.length) {
  console.error(`unknown arguments: ${argv.join(' ')}`);
  process.exit(2);
}
if (!smoke && ops < 1_000_000) console.error(`note: --ops ${ops} is below the 1M operations a measurement should have`);
if (!smoke && reps < 5) console.error(`note: --reps ${reps}: the median of at least 5 is the standard`);

const libs = libsArg ? libsArg.split(',') : LIBS;
for (const lib of libs) if (!LIBS.includes(lib)) throw new Error(`unknown library ${lib}; known: ${LIBS.join(', ')}`);

const re = filter ? new RegExp(filter) : null;
const matrix = smoke ? SMOKE : MATRICES[matrixName];
if (!matrix) throw new Error(`unknown matrix ${matrixName}; known: ${Object.keys(MATRICES).join(', ')}`);
const cases = matrix.filter((c) => !re || re.test(caseKey(c)));

/* ------------------------------------------------------------------- hosts ---- */

const which = (cmd) => {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};
const machineNode = which('node');
const node24 = join(jsDir, 'node_modules/.bin/node');
const deno = join(jsDir, 'node_modules/.bin/deno');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const version = (bin, args = ['--version']) => {
  try {
    return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
  } catch {
    return null;
  }
};
const machineNodeVersion = machineNode ? version(machineNode) : null;
const machineNodeId = machineNodeVersion ? `node${machineNodeVersion.replace(/^v(\d+).*/, '$1')}` : 'node';

const HOSTS = {
  [machineNodeId]: { kind: 'process', bin: machineNode, args: ['--expose-gc'], version: machineNodeVersion },
  node24: { kind: 'process', bin: node24, args: ['--expose-gc'], version: existsSync(node24) ? version(node24) : null },
  deno: {
    kind: 'process',
    bin: deno,
    args: ['run', '--quiet', '--allow-read', '--allow-env', '--v8-flags=--expose-gc'],
    version: existsSync(deno) ? version(deno) : null,
    env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  },
  chromium: { kind: 'browser', version: existsSync(chromiumPath) ? version(chromiumPath) : null },
};
const expandHost = (h) => {
  if (h === 'all') return [machineNodeId, 'node24', 'deno', 'chromium'];
  if (h === 'node') return [machineNodeId, 'node24'];
  if (h === 'node20' && machineNodeId !== 'node20') return [machineNodeId];
  return [h];
};
const hosts = [...new Set(hostArg.split(',').flatMap(expandHost))];
for (const h of hosts) {
  if (!HOSTS[h]) throw new Error(`unknown host ${h}; known: all, node, ${Object.keys(HOSTS).join(', ')}`);
  if (!HOSTS[h].version) throw new Error(`host ${h} is not installed (run scripts/setup.sh)`);
}

/* ----------------------------------------------------------------- context ---- */

function libraryVersions() {
  const out = {};
  for (const pkg of ['lru-cache', 'lru.min', 'mnemonist', 'quick-lru', 'tiny-lru']) {
    out[pkg] = JSON.parse(readFileSync(join(jsDir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  }
  const own = JSON.parse(readFileSync(join(jsDir, 'package.json'), 'utf8'));
  const wasmPath = join(jsDir, 'dist/edge_lru_bg.wasm');
  const git = (...a) => {
    try {
      return execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  out['edge-lru'] = {
    version: own.version,
    commit: git('rev-parse', 'HEAD'),
    // Others may be editing src/ and js/src/: the dist actually measured is identified
    // by its wasm hash and build time.
    dirty: git('status', '--porcelain', '--', 'src', 'js/src', 'Cargo.toml') !== '',
    distWasmSha256: existsSync(wasmPath) ? createHash('sha256').update(readFileSync(wasmPath)).digest('hex') : null,
    dist: existsSync(wasmPath) ? distFingerprint(join(jsDir, 'dist')) : null,
    distBuilt: existsSync(wasmPath) ? statSync(wasmPath).mtime.toISOString() : null,
  };
  return out;
}

function machine() {
  const cpu = cpus();
  return { cpu: cpu[0]?.model, cores: cpu.length, memGiB: Math.round(totalmem() / 2 ** 30), loadavg: loadavg() };
}

/* -------------------------------------------------------------- contention ---- */

/** utime + stime + cutime + cstime of a /proc/<pid>/stat, in ms, and its parent pid. */
function procTimes(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10 };
}

/**
 * CPU time, machine-wide and of our own process tree (this driver, its live
 * descendants, and the children it has reaped), in ms; null without /proc.
 * USER_HZ is 100 on Linux.
 */
function cpuSample() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const procs = new Map();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        procs.set(Number(name), procTimes(name));
      } catch {
        // exited meanwhile
      }
    }
    let ours = 0;
    for (const [pid, p] of procs) {
      for (let q = pid, hops = 0; q > 1 && hops < 32; q = procs.get(q)?.ppid ?? 0, hops++) {
        if (q === process.pid) {
          ours += p.ms;
          break;
        }
      }
    }
    return { busyMs: (total - f[3] - (f[4] || 0)) * 10, oursMs: ours, ms: performance.now() };
  } catch {
    return null;
  }
}
/** Cores that processes other than ours kept busy between two samples. */
const otherCores = (a, b) =>
  a && b && b.ms > a.ms ? Math.max(0, (b.busyMs - a.busyMs - (b.oursMs - a.oursMs)) / (b.ms - a.ms)) : null;
const round2 = (x) => Math.round(x * 100) / 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits (at most maxS seconds) until other processes use under --busy-limit cores; returns seconds waited. */
async function waitQuiet(maxS) {
  const start = performance.now();
  for (let first = true; ; first = false) {
    const a = cpuSample();
    await sleep(300);
    const busy = otherCores(a, cpuSample());
    if (busy === null || busy < busyLimit) return first ? 0 : (performance.now() - start) / 1000;
    if ((performance.now() - start) / 1000 >= maxS) return (performance.now() - start) / 1000;
  }
}

/* ----------------------------------------------------------- process hosts ---- */

function runProcess(host, workerArgs) {
  const h = HOSTS[host];
  return new Promise((resolvePromise) => {
    const child = spawn(h.bin, [...h.args, join(benchDir, 'worker.mjs'), ...workerArgs], {
      cwd: jsDir,
      env: { ...process.env, ...(h.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT '));
      if (line) resolvePromise(JSON.parse(line.slice(9)));
      else resolvePromise({ error: `exit ${code ?? signal}: ${(stderr || stdout).trim().slice(-2000)}` });
    });
  });
}

/* ----------------------------------------------------------- browser host ---- */

const MIME = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };

async function startBrowserHost() {
  const bundles = join(outDir, '.bundles');
  mkdirSync(bundles, { recursive: true });
  // One ESM bundle per adapter (the library and the adapter; edge-lru as its browser build).
  execFileSync(
    join(jsDir, 'node_modules/.bin/esbuild'),
    [
      ...libs.map((lib) => join(benchDir, 'adapters', `${lib}.mjs`)),
      '--bundle',
      '--format=esm',
      '--platform=browser',
      '--target=es2022',
      '--log-level=warning',
      '--out-extension:.js=.mjs',
      `--outdir=${bundles}`,
    ],
    { cwd: jsDir, stdio: 'inherit' },
  );
  // Serves js/ at / and the bundles at /bundles/, on loopback only. Cross-origin
  // isolation (COOP + COEP) gives performance.now() its finer resolution.
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let base = jsDir;
    let path = decodeURIComponent(url.pathname);
    if (path.startsWith('/bundles/')) {
      base = bundles;
      path = path.slice('/bundles'.length);
    }
    const file = normalize(join(base, path));
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-renderer-backgrounding',
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
    ],
  });
  // The bundle is made once, here: every Chromium measurement uses this build.
  const bundleDist = libs.includes('edge-lru') ? distFingerprint(join(jsDir, 'dist')) : null;
  const edgeBundle = join(bundles, 'edge-lru.mjs');
  const bundleHash = libs.includes('edge-lru')
    ? createHash('sha256').update(readFileSync(edgeBundle)).digest('hex').slice(0, 16)
    : null;
  return {
    version: browser.version(),
    bundleHash,
    async run(arg) {
      // A new context never shares a renderer process with another: a fresh isolate.
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(timeoutMs);
        // The page marks the start and end of its timed passes; sample /proc/stat then.
        const marks = [];
        await page.exposeFunction('__benchMark', (label) => {
          marks.push({ label, sample: cpuSample() });
        });
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(`${origin}/bench/page.html`);
        await page.waitForFunction(() => globalThis.benchReady === true);
        const out = await page.evaluate((a) => globalThis.runBench(a), arg);
        // One start/end pair per case, in order.
        const starts = marks.filter((m) => m.label === 'start');
        const ends = marks.filter((m) => m.label === 'end');
        (out.results ?? []).forEach((r, i) => {
          const other = starts[i] && ends[i] ? otherCores(starts[i].sample, ends[i].sample) : null;
          if (other != null && r.nsPerOp) r.otherCores = round2(other);
        });
        if (arg.lib === 'edge-lru') out.dist = bundleDist;
        return out;
      } catch (error) {
        return { error: String(error?.message ?? error).slice(0, 2000) };
      } finally {
        await context.close();
      }
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/* ---------------------------------------------------------------- running ---- */

const rotate = (xs, n) => xs.map((_, i) => xs[(i + n) % xs.length]);
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

async function runHost(host) {
  const h = HOSTS[host];
  const started = Date.now();
  const browser = h.kind === 'browser' ? await startBrowserHost() : null;
  const record = {
    host,
    versions: {
      runtime: host === 'chromium' ? { chromium: browser.version, binary: h.version } : { [host.replace(/\d+$/, '')]: h.version },
      orchestrator: process.version,
      libraries: libraryVersions(),
    },
    date: new Date().toISOString(),
    machine: machine(),
    options: { smoke, matrix: smoke ? 'smoke' : matrixName, filter, ops, reps, warmup, checkOps, memoryCount },
    runtimeInfo: null,
    measurements: [],
    memory: [],
    failures: [],
  };

  const measureOne = async (lib, cs) => {
    const workerArgs = [
      lib,
      '--cases',
      cs.map((c) => `${c.workload}:${c.size}:${c.keys}`).join(','),
      '--ops', String(ops), '--reps', String(reps), '--warmup', String(warmup), '--check-ops', String(checkOps),
    ];
    const attempt = async () => {
      if (quietWaitS > 0 && waited < waitBudgetS) waited += await waitQuiet(Math.min(quietWaitS, waitBudgetS - waited));
      const a = cpuSample();
      const out = await (browser
        ? browser.run({ lib, cases: cs, ops, reps, warmup, checkOps })
        : runProcess(host, workerArgs));
      const jobOther = otherCores(a, cpuSample());
      // Node's worker and the Chromium page cover just the timed passes; Deno cannot
      // read /proc without --allow-all, so for it the whole job's window is used.
      for (const r of out.results ?? []) {
        if (r.otherCores == null && r.nsPerOp && jobOther != null) r.otherCores = round2(jobOther);
      }
      return out;
    };
    let out = await attempt();
    if (out.error) {
      // A crash, not a wrong result (those come back as results): most likely js/dist
      // being rebuilt under us by someone else. Wait and try once more.
      await sleep(5000);
      out = await attempt();
    }
    const busy = (o) => Math.max(0, ...(o.results ?? []).map((r) => r.otherCores ?? 0));
    if (!smoke && !out.error && busy(out) > busyLimit && retries < retryBudget) {
      retries++;
      const again = await attempt();
      if (!again.error) {
        const first = busy(out);
        if (busy(again) < first) out = again;
        for (const r of out.results) r.attempts = 2;
      }
    }
    if (out.runtime && !record.runtimeInfo) record.runtimeInfo = { ...out.runtime, clock: out.clock };
    if (out.error) return cs.map((c) => ({ lib, ...c, error: out.error }));
    if (out.dist) for (const r of out.results) r.dist = out.dist;
    return out.results;
  };
  let waited = 0;
  let retries = 0;

  // Each (case, library) in its own process/context; smoke batches all cases per library.
  const jobs = smoke
    ? libs.map((lib) => ({ lib, cs: cases.filter((c) => libsFor(c, [lib]).length) }))
    : cases.flatMap((c, i) => rotate(libsFor(c, libs), i).map((lib) => ({ lib, cs: [c] })));
  let done = 0;
  for (const { lib, cs } of jobs) {
    const results = await measureOne(lib, cs);
    done++;
    for (const r of results) {
      record.measurements.push(r);
      if (r.error) record.failures.push({ lib: r.lib ?? lib, case: caseKey(r), error: r.error, check: r.check });
    }
    const elapsed = (Date.now() - started) / 1000;
    const eta = (elapsed / done) * (jobs.length - done);
    const r = results[0];
    const what = smoke ? `${lib} (${cs.length} cases)` : `${caseKey(cs[0])} ${lib}`;
    const res = results.some((x) => x.error)
      ? `FAILED: ${(results.find((x) => x.error).error + '').split('\n')[0]}`
      : smoke
        ? 'ok'
        : `${fmt(r.ns)} ns/op (others used ${r.otherCores ?? '?'} cores${r.attempts ? ', redone' : ''})`;
    console.error(`[${host} ${done}/${jobs.length} ${elapsed.toFixed(0)}s, eta ${eta.toFixed(0)}s] ${what}: ${res}`);
  }

  if (!noMemory) {
    for (const keys of smoke ? ['str'] : ['str', 'int']) {
      for (const lib of libs) {
        const attempt = () =>
          browser
            ? browser.run({ lib, memoryCase: { keys, count: memoryCount } })
            : runProcess(host, [lib, '--memory', `${keys}:${memoryCount}`]);
        let out = await attempt();
        if (out.error) {
          await new Promise((r) => setTimeout(r, 5000));
          out = await attempt();
        }
        const r = out.error ? { lib, keys, error: out.error } : out.results[0];
        if (!r.error && !r.ok) r.error = 'cache lost entries while loading';
        record.memory.push(r);
        if (r.error) record.failures.push({ lib, case: `memory/${keys}/${memoryCount}`, error: r.error });
        console.error(`[${host} memory ${keys}] ${lib}: ${r.error ? 'FAILED ' + r.error : `${r.bytesPerEntry} B/entry`}`);
      }
    }
  }

  if (browser) await browser.close();
  record.machine.loadavgEnd = loadavg();
  record.contention = { quietWaitS, waitBudgetS, busyLimit, retryBudget, waitedS: Math.round(waited), retries };
  // js/dist may be rebuilt by others during a run: record what the measurements loaded.
  record.versions.libraries['edge-lru'].distAtEnd = libraryVersions()['edge-lru'].dist;
  record.versions.libraries['edge-lru'].distSeen = [
    ...new Set(record.measurements.filter((m) => m.lib === 'edge-lru' && m.dist).map((m) => m.dist)),
  ];
  record.wallSeconds = Math.round((Date.now() - started) / 1000);
  mkdirSync(outDir, { recursive: true });
  const name = smoke ? `${host}.smoke` : host;
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(record, null, 1) + '\n');
  const md = renderMarkdown(record);
  writeFileSync(join(outDir, `${name}.md`), md);
  console.log(md);
  return record;
}

let failed = 0;
for (const host of hosts) {
  const record = await runHost(host);
  failed += record.failures.length;
  if (record.failures.length) {
    console.error(`${host}: ${record.failures.length} failure(s):`);
    for (const f of record.failures) console.error(`  ${f.lib} ${f.case}: ${String(f.error).split('\n')[0]}`);
  }
}
process.exitCode = failed ? 1 : 0;
