// The benchmark driver. For each host and case it starts one fresh process (Node, Deno)
// or one fresh browser context (Chromium; a fresh tab in Firefox and WebKit) per library, lets each prepare the case
// (keys, streams, correctness pass, warm-up), then asks them for timed passes in turn,
// round-robin, so that the repetitions of all libraries interleave in time. Results go
// to bench-results/<host>.json and .md.
//
//   node js/bench/run.mjs [--host all|node|node20|node24|deno|chromium|firefox|webkit[,...]]
//                         [--matrix default|targets|full] [--smoke]
//                         [--filter REGEX] [--libs a,b] [--ops N] [--reps R]
//                         [--warmup W] [--no-memory] [--out DIR] [--quiet-wait S]
//                         [--wait-budget S] [--busy-limit CORES] [--retry-budget N]
//                         [--timeout MS] [--check-ops N] [--memory-entries N]
//                         [--build]   rebuild js/dist first (otherwise built only when missing)
//                         [--baseline DIR]  also measure the build in DIR (a js/dist of another
//                                     commit) as the library edge-lru-baseline (Node and Deno)
//
// Run it with the machine's Node: `npm --prefix js run bench -- ...` (scripts/bench.sh
// does; the npm script names $npm_node_execpath, since `node` in an npm script is
// js/node_modules/.bin/node, Node 24). See BENCHMARKS.md.

import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBS, MATRICES, MEMORY_KEYS, SMOKE, caseKey, libsFor } from './matrix.mjs';
import { renderMarkdown } from './report.mjs';
import { summarize } from './harness.mjs';
import { distFingerprint } from './fingerprint.mjs';
import { installedVersion, launch, missingTools } from '../scripts/browsers.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../scripts/chromium.mjs';
import { serve } from '../scripts/static-server.mjs';

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

if (flag('help') || flag('h')) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n\n')[0].replace(/^\/\/ ?/gm, ''));
  process.exit(0);
}
const build = flag('build');
const smoke = flag('smoke');
const noMemory = flag('no-memory');
const hostArg = option('host', 'all');
const matrixName = option('matrix', 'default');
const filter = option('filter', null);
const libsArg = option('libs', null);
const baselineArg = option('baseline', null);
const outDir = resolve(option('out', join(root, 'bench-results')));
const ops = Number(option('ops', smoke ? 10_000 : 1_000_000));
const reps = Number(option('reps', smoke ? 1 : 5));
const warmup = Number(option('warmup', smoke ? 0 : 1));
const checkOps = Number(option('check-ops', smoke ? 10_000 : 100_000));
const memoryCount = Number(option('memory-entries', smoke ? 1_000 : 100_000));
const timeoutMs = Number(option('timeout', 180_000));
// Contention control (the machines are shared): "other" CPU = machine-wide busy time
// minus our own process tree's, sampled around every timed pass. A pass during which
// other processes used more than --busy-limit cores is redone (up to twice, after
// waiting up to --quiet-wait seconds for the machine to calm down), within per-host
// budgets of redone passes and of seconds spent waiting.
const quietWaitS = Number(option('quiet-wait', smoke ? 0 : 5));
const waitBudgetS = Number(option('wait-budget', 60));
const busyLimit = Number(option('busy-limit', 0.5));
const retryBudget = Number(option('retry-budget', 100));
if (argv.length) {
  console.error(`unknown arguments: ${argv.join(' ')}`);
  process.exit(2);
}
if (!smoke && ops < 1_000_000) console.error(`note: --ops ${ops} is below the 1M operations a measurement should have`);
if (!smoke && reps < 5) console.error(`note: --reps ${reps}: the median of at least 5 is the standard`);

for (const dep of ['node_modules/.bin/esbuild', 'node_modules/lru-cache']) {
  if (!existsSync(join(jsDir, dep))) {
    console.error(`bench: js/${dep} is missing; run scripts/setup.sh first`);
    process.exit(1);
  }
}
if (build || !existsSync(join(jsDir, 'dist/index.mjs')) || !existsSync(join(jsDir, 'dist/browser.mjs'))) {
  execFileSync(process.execPath, [join(jsDir, 'scripts/build.mjs')], { stdio: 'inherit' });
}

const libs = libsArg ? libsArg.split(',') : LIBS.filter((lib) => lib !== 'edge-lru-baseline');
for (const lib of libs) if (!LIBS.includes(lib)) throw new Error(`unknown library ${lib}; known: ${LIBS.join(', ')}`);
// A previous build measured beside this one: its dist directory reaches the workers through the environment.
if (baselineArg) {
  const dir = resolve(baselineArg);
  if (!existsSync(join(dir, 'index.mjs'))) {
    console.error(`bench: --baseline ${dir} has no index.mjs (give a built js/dist directory)`);
    process.exit(2);
  }
  process.env.EDGE_LRU_BASELINE = dir;
  if (!libs.includes('edge-lru-baseline')) libs.splice(1, 0, 'edge-lru-baseline');
} else if (libs.includes('edge-lru-baseline')) {
  console.error('bench: edge-lru-baseline needs --baseline DIR');
  process.exit(2);
}

const re = filter ? new RegExp(filter) : null;
const matrix = smoke ? SMOKE : MATRICES[matrixName];
if (!matrix) throw new Error(`unknown matrix ${matrixName}; known: ${Object.keys(MATRICES).join(', ')}`);
const cases = matrix.filter((c) => !re || re.test(caseKey(c)));

/* ------------------------------------------------------------------- hosts ---- */

// The machine's PATH: without the node_modules/.bin that `npm run` puts first (its
// `node` is Node 24).
const machinePath = (process.env.PATH ?? '')
  .split(':')
  .filter((dir) => !dir.endsWith('/node_modules/.bin'))
  .join(':');
const which = (cmd) => {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8', env: { ...process.env, PATH: machinePath } }).trim();
  } catch {
    return null;
  }
};
const machineNode = which('node');
const node24 = join(jsDir, 'node_modules/.bin/node');
const deno = join(jsDir, 'node_modules/.bin/deno');
const chromiumPath = CHROMIUM;
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
  firefox: { kind: 'browser', version: missingTools('firefox').length ? null : installedVersion('firefox') },
  webkit: { kind: 'browser', version: missingTools('webkit').length ? null : installedVersion('webkit') },
};
const expandHost = (h) => {
  if (h === 'all') return [machineNodeId, 'node24', 'deno', 'chromium', 'firefox', 'webkit'];
  if (h === 'node') return [machineNodeId, 'node24'];
  if (h === 'node20' && machineNodeId !== 'node20') return [machineNodeId];
  return [h];
};
const hosts = [...new Set(hostArg.split(',').flatMap(expandHost))];
for (const h of hosts) {
  if (!HOSTS[h]) throw new Error(`unknown host ${h}; known: all, node, ${Object.keys(HOSTS).join(', ')}`);
  if (!HOSTS[h].version) throw new Error(`host ${h} is not installed (run scripts/setup.sh)`);
}
if (baselineArg && hosts.some((host) => HOSTS[host].kind === 'browser')) {
  console.error('bench: --baseline runs on Node and Deno hosts only');
  process.exit(2);
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
/** CPU ms that processes other than ours used between two samples. */
const otherMs = (a, b) => (a && b && b.ms > a.ms ? Math.max(0, b.busyMs - a.busyMs - (b.oursMs - a.oursMs)) : null);
/** Cores that processes other than ours kept busy between two samples. */
const otherCores = (a, b) => (a && b && b.ms > a.ms ? otherMs(a, b) / (b.ms - a.ms) : null);
/**
 * Whether others competed: above the limit, and by at least 3 clock ticks (30 ms), as
 * /proc counts in 10 ms ticks and a 20 ms pass would otherwise flag on one stray tick.
 */
const contendedBetween = (a, b) => {
  const cores = otherCores(a, b);
  return cores !== null && cores > busyLimit && otherMs(a, b) >= 30;
};
const round2 = (x) => Math.round(x * 100) / 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits (at most maxS seconds) until other processes use under --busy-limit cores; returns seconds waited. */
async function waitQuiet(maxS) {
  const start = performance.now();
  for (let first = true; ; first = false) {
    const a = cpuSample();
    await sleep(300);
    if (!contendedBetween(a, cpuSample())) return first ? 0 : (performance.now() - start) / 1000;
    if ((performance.now() - start) / 1000 >= maxS) return (performance.now() - start) / 1000;
  }
}

/* ----------------------------------------------------------- browser host ---- */

/**
 * The browser of a host, as `{ version, memory, open(url), close() }`: `open` resolves with
 * a page `{ evaluate(fn, arg), close() }` of its own. Chromium (playwright-core) gives each
 * page a fresh context, its own renderer process; Firefox and WebKit (WebDriver, through
 * js/scripts/browsers.mjs) a fresh tab. Only Chromium exposes the heap size the memory
 * measurement reads.
 */
async function startBrowser(host) {
  if (host !== 'chromium') {
    const { driver, version: v, close } = await launch(host);
    await driver.manage().setTimeouts({ script: timeoutMs, pageLoad: timeoutMs });
    const first = await driver.getWindowHandle();
    const call = async (handle, fn, arg) => {
      await driver.switchTo().window(handle);
      return driver.executeScript(`return (${fn})(arguments[0]);`, arg);
    };
    return {
      version: v,
      memory: false,
      async open(url) {
        await driver.switchTo().window(first);
        await driver.switchTo().newWindow('tab');
        const handle = await driver.getWindowHandle();
        const page = {
          evaluate: (fn, arg) => call(handle, fn, arg),
          close: async () => {
            await driver.switchTo().window(handle);
            await driver.close();
            await driver.switchTo().window(first);
          },
        };
        try {
          await driver.get(url);
          await driver.wait(() => call(handle, () => globalThis.benchReady === true), timeoutMs);
        } catch (error) {
          await page.close().catch(() => {});
          throw error;
        }
        return page;
      },
      close,
    };
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      '--disable-renderer-backgrounding',
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
    ],
  });
  return {
    version: browser.version(),
    memory: true,
    async open(url) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(timeoutMs);
        await page.goto(url);
        await page.waitForFunction(() => globalThis.benchReady === true);
        return { evaluate: (fn, arg) => page.evaluate(fn, arg), close: () => context.close() };
      } catch (error) {
        await context.close().catch(() => {});
        throw error;
      }
    },
    close: () => browser.close(),
  };
}

async function startBrowserHost(host) {
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
  const server = await serve({
    root: jsDir,
    mounts: { '/bundles/': bundles },
    headers: {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cache-control': 'no-store',
    },
  });
  const { origin } = server;
  const browser = await startBrowser(host);
  // The bundle is made once, here: every measurement in this browser uses this build.
  const bundleDist = libs.includes('edge-lru') ? distFingerprint(join(jsDir, 'dist')) : null;

  /** Opens a fresh page on page.html. */
  const openPage = () => browser.open(`${origin}/bench/page.html?host=${host}`);

  return {
    version: browser.version,
    memory: browser.memory,
    /** Standalone: one call does everything (smoke runs, memory). */
    async run(arg) {
      let page;
      try {
        page = await openPage();
        const out = await page.evaluate((a) => globalThis.runBench(a), arg);
        if (arg.lib === 'edge-lru') out.dist = bundleDist;
        return out;
      } catch (error) {
        return { error: String(error?.message ?? error).slice(0, 2000) };
      } finally {
        await page?.close();
      }
    },
    /** Served: a session that prepares one case, then runs timed passes on request. */
    async session(lib, spec) {
      let page;
      try {
        page = await openPage();
        const out = await page.evaluate((a) => globalThis.prepareBench(a), { lib, spec });
        if (lib === 'edge-lru') out.dist = bundleDist;
        return {
          out,
          rep: () => page.evaluate(() => globalThis.repBench()),
          end: async () => {
            try {
              return await page.evaluate(() => globalThis.finishBench());
            } finally {
              await page.close();
            }
          },
          kill: () => page.close().catch(() => {}),
        };
      } catch (error) {
        await page?.close().catch(() => {});
        return { out: { error: String(error?.message ?? error).slice(0, 2000) } };
      }
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/* ----------------------------------------------------------- process hosts ---- */

function spawnWorker(host, workerArgs) {
  const h = HOSTS[host];
  return spawn(h.bin, [...h.args, join(benchDir, 'worker.mjs'), ...workerArgs], {
    cwd: jsDir,
    env: { ...process.env, ...(h.env ?? {}) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Standalone: runs a worker to completion and returns its "@@RESULT" (smoke runs, memory). */
function runProcess(host, workerArgs) {
  return new Promise((resolvePromise) => {
    const child = spawnWorker(host, workerArgs);
    child.stdin.end();
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

/** Served: a worker that prepares one case, then runs a timed pass per "rep" line. */
async function processSession(host, lib, c) {
  const child = spawnWorker(host, [
    lib, c.workload, String(c.size), c.keys, '--serve',
    '--ops', String(ops), '--warmup', String(warmup), '--check-ops', String(checkOps),
  ]);
  let stderr = '';
  let buffer = '';
  const lines = [];
  let waiter = null;
  let exited = null;
  const wake = () => {
    if (waiter) {
      const w = waiter;
      waiter = null;
      w();
    }
  };
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  child.stdout.on('data', (d) => {
    buffer += d;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (line.startsWith('@@')) lines.push(line);
    }
    wake();
  });
  child.on('close', (code, signal) => {
    exited = `exit ${code ?? signal}: ${(stderr || buffer).trim().slice(-2000)}`;
    wake();
  });
  /** The next "@@TAG" line's JSON, or throws if the worker dies or times out. */
  const next = async (tag) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = lines.shift();
      if (line !== undefined) {
        if (line.startsWith(`@@${tag} `)) return JSON.parse(line.slice(tag.length + 3));
        throw new Error(`expected @@${tag}, got ${line.slice(0, 200)}`);
      }
      if (exited) throw new Error(exited);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`timed out waiting for @@${tag}`);
      }
      await new Promise((r) => {
        waiter = r;
        setTimeout(r, 1000);
      });
    }
  };
  const send = (text) => child.stdin.write(text + '\n');
  try {
    const out = await next('READY');
    if (out.results[0]?.error) child.kill();
    return {
      out,
      rep: async () => {
        send('rep');
        return next('REP');
      },
      end: async () => {
        send('end');
        child.stdin.end();
        return next('DONE');
      },
      kill: () => child.kill('SIGKILL'),
    };
  } catch (error) {
    child.kill('SIGKILL');
    return { out: { error: String(error?.message ?? error) } };
  }
}

/* ---------------------------------------------------------------- running ---- */

const rotate = (xs, n) => xs.map((_, i) => xs[(i + n) % xs.length]);
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >>> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function runHost(host) {
  const h = HOSTS[host];
  const started = Date.now();
  const browser = h.kind === 'browser' ? await startBrowserHost(host) : null;
  const record = {
    host,
    versions: {
      runtime: browser ? { [host]: browser.version, binary: h.version } : { [host.replace(/\d+$/, '')]: h.version },
      orchestrator: process.version,
      libraries: libraryVersions(),
    },
    date: new Date().toISOString(),
    machine: machine(),
    options: { smoke, matrix: smoke ? 'smoke' : matrixName, filter, ops, reps, warmup, checkOps, memoryCount, baseline: baselineArg ? process.env.EDGE_LRU_BASELINE : null },
    runtimeInfo: null,
    measurements: [],
    memory: [],
    failures: [],
  };
  let waited = 0;
  let redone = 0;
  const wait = async () => {
    if (quietWaitS > 0 && waited < waitBudgetS) waited += await waitQuiet(Math.min(quietWaitS, waitBudgetS - waited));
  };
  const noteRuntime = (out) => {
    if (out.runtime && !record.runtimeInfo) record.runtimeInfo = { ...out.runtime, clock: out.clock };
  };
  const progress = (text) => {
    const elapsed = (Date.now() - started) / 1000;
    console.error(`[${host} ${elapsed.toFixed(0)}s] ${text}`);
  };

  /** Starts a prepared session, retrying once if it crashes (js/dist being rebuilt?). */
  const startSession = async (lib, c) => {
    const open = () => (browser ? browser.session(lib, { ...c, ops, warmup, checkOps }) : processSession(host, lib, c));
    let s = await open();
    if (s.out.error) {
      await sleep(5000);
      s = await open();
    }
    return s;
  };

  /** One case: all its libraries prepared side by side, then interleaved timed passes. */
  const runCase = async (c, index) => {
    const order = rotate(libsFor(c, libs), index);
    const live = [];
    for (const lib of order) {
      const s = await startSession(lib, c);
      if (s.out.error) {
        const r = { lib, ...c, error: s.out.error };
        record.measurements.push(r);
        record.failures.push({ lib, case: caseKey(c), error: r.error });
        progress(`${caseKey(c)} ${lib}: FAILED ${r.error.split('\n')[0]}`);
        continue;
      }
      noteRuntime(s.out);
      const r = s.out.results[0];
      if (s.out.dist) r.dist = s.out.dist;
      if (r.error) {
        record.measurements.push(r);
        record.failures.push({ lib, case: caseKey(c), error: r.error, check: r.check });
        progress(`${caseKey(c)} ${lib}: ${r.check && !r.check.ok ? 'WRONG: ' + r.check.errors[0] : 'FAILED ' + r.error.split('\n')[0]}`);
        continue;
      }
      live.push({ lib, s, r, ns: [], other: [], contended: 0, discarded: [] });
    }
    // Let the last one's background GC and compiler threads finish before timing.
    await sleep(200);
    await wait();
    for (let round = 0; round < reps; round++) {
      for (const m of rotate(live, round)) {
        if (m.failed) continue;
        for (let attempt = 0; ; attempt++) {
          const a = cpuSample();
          let ns;
          try {
            ns = await m.s.rep();
          } catch (error) {
            m.failed = String(error?.message ?? error);
            break;
          }
          const b = cpuSample();
          const other = otherCores(a, b);
          if (contendedBetween(a, b) && attempt < 2 && redone < retryBudget) {
            // Other processes competed with this pass: redo it (after they calm down).
            redone++;
            m.discarded.push({ ns, otherCores: round2(other) });
            await wait();
            continue;
          }
          m.ns.push(ns);
          m.other.push(other === null ? null : round2(other));
          if (contendedBetween(a, b)) m.contended++;
          break;
        }
      }
    }
    for (const m of live) {
      let done = null;
      if (!m.failed) {
        try {
          done = await m.s.end();
        } catch (error) {
          m.failed = String(error?.message ?? error);
        }
      }
      if (m.failed) {
        m.s.kill();
        Object.assign(m.r, { error: m.failed });
        record.failures.push({ lib: m.lib, case: caseKey(c), error: m.failed });
      } else {
        summarize(m.r, m.ns);
        Object.assign(m.r, done, {
          otherCores: m.other,
          contended: m.contended,
          discarded: m.discarded,
        });
      }
      record.measurements.push(m.r);
    }
    const line = live
      .filter((m) => !m.failed)
      .sort((x, y) => x.r.ns - y.r.ns)
      .map((m) => `${m.lib} ${fmt(m.r.ns)}`)
      .join(', ');
    const redo = live.reduce((n, m) => n + m.discarded.length, 0);
    progress(`${caseKey(c)} (${index + 1}/${cases.length}): ${line}${redo ? ` [${redo} passes redone]` : ''}`);
  };

  if (smoke) {
    // Smoke: all cases of a library in one process / context, back to back.
    for (const lib of libs) {
      const cs = cases.filter((c) => libsFor(c, [lib]).length);
      const workerArgs = [
        lib, '--cases', cs.map((c) => `${c.workload}:${c.size}:${c.keys}`).join(','),
        '--ops', String(ops), '--reps', String(reps), '--warmup', String(warmup), '--check-ops', String(checkOps),
      ];
      const out = browser
        ? await browser.run({ lib, cases: cs, ops, reps, warmup, checkOps })
        : await runProcess(host, workerArgs);
      noteRuntime(out);
      const results = out.error ? cs.map((c) => ({ lib, ...c, error: out.error })) : out.results;
      for (const r of results) {
        if (out.dist) r.dist = out.dist;
        record.measurements.push(r);
        if (r.error) record.failures.push({ lib, case: caseKey(r), error: r.error, check: r.check });
      }
      const failed = results.filter((r) => r.error);
      progress(`${lib} (${cs.length} cases): ${failed.length ? `FAILED ${failed.map((r) => caseKey(r)).join(', ')}` : 'ok'}`);
    }
  } else {
    for (const [i, c] of cases.entries()) await runCase(c, i);
  }

  if (!noMemory && browser && !browser.memory) progress('memory: not measured (this browser does not expose its heap size)');
  if (!noMemory && (!browser || browser.memory)) {
    for (const keys of smoke ? ['str', 'int'] : MEMORY_KEYS) {
      for (const lib of libs) {
        const attempt = () =>
          browser
            ? browser.run({ lib, memoryCase: { keys, count: memoryCount } })
            : runProcess(host, [lib, '--memory', `${keys}:${memoryCount}`]);
        let out = await attempt();
        if (out.error) {
          await sleep(5000);
          out = await attempt();
        }
        const r = out.error ? { lib, keys, error: out.error } : out.results[0];
        if (!r.error && !r.ok) r.error = 'cache lost entries while loading';
        record.memory.push(r);
        if (r.error) record.failures.push({ lib, case: `memory/${keys}/${memoryCount}`, error: r.error });
        progress(`memory ${keys} ${lib}: ${r.error ? 'FAILED ' + r.error : `${r.bytesPerEntry} B/entry`}`);
      }
    }
  }

  if (browser) await browser.close();
  record.machine.loadavgEnd = loadavg();
  record.contention = { busyLimit, quietWaitS, waitBudgetS, retryBudget, waitedS: Math.round(waited), redonePasses: redone };
  // js/dist may be rebuilt by others during a run: record what the measurements loaded.
  const own = record.versions.libraries['edge-lru'];
  own.distAtEnd = libraryVersions()['edge-lru'].dist;
  own.distSeen = [...new Set(record.measurements.filter((m) => m.lib === 'edge-lru' && m.dist).map((m) => m.dist))];
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
