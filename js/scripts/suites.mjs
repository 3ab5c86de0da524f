// What the test runners (test-hosts.mjs, test-wasm.mjs, test-www.mjs) share: run one
// suite with its output shown as it comes, read the count of tests it ran from that
// output, and print a summary. A suite fails when its command fails, when no count can
// be read, when a test failed, or when no test ran; the runner then exits 1.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const js = join(dirname(fileURLToPath(import.meta.url)), '..');
export const root = join(js, '..');
export const bin = join(js, 'node_modules/.bin');
/** Node 24 (the LTS), from the `node24` dev dependency. */
export const node24 = join(bin, 'node');

/** The machine's PATH: without the node_modules/.bin that `npm run` puts first (its `node` is Node 24). */
function machinePath() {
  return (process.env.PATH ?? '').split(':').filter((dir) => dir && !dir.endsWith('/node_modules/.bin'));
}

/** The machine's Node (20 here): the first `node` on the machine's PATH. */
export const machineNode =
  machinePath()
    .map((dir) => join(dir, 'node'))
    .find((file) => existsSync(file)) ?? process.execPath;

/**
 * The environment every suite runs in: cargo's tools on PATH, no update checks, no
 * colours, and none of the `npm_*` variables of the `npm run` that started this runner
 * (its npm_config_prefix would send the packaging test's `npm install`s into js/).
 */
export const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD')),
  PATH: [join(homedir(), '.cargo/bin'), ...machinePath()].join(':'),
  DENO_NO_UPDATE_CHECK: '1',
  NO_COLOR: '1',
  npm_config_update_notifier: 'false',
};

/** A scratch folder for the run (TAP files, PATH shims), removed on exit. */
export const scratch = mkdtempSync(join(tmpdir(), 'edge-lru-suites-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** Exits with a message when a runner's tools are not installed. */
export function requireTools(paths) {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) {
    console.error(`missing: ${missing.join(', ')}; run scripts/setup.sh first`);
    process.exit(1);
  }
}

/**
 * Picks the suites named on the command line (all of them when none is), or exits 2 on
 * an unknown name.
 */
export function selectSuites(argv, known) {
  const chosen = argv.length ? argv : known;
  const unknown = chosen.filter((s) => !known.includes(s));
  if (unknown.length) {
    console.error(`unknown suite ${unknown.map((s) => `'${s}'`).join(', ')} (known: ${known.join(', ')})`);
    process.exit(2);
  }
  return [...new Set(chosen)];
}

/** Runs a command with its output shown and kept; resolves with the exit code and output. */
function run(command, args, options) {
  return new Promise((done) => {
    const child = spawn(command, args, { env, ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      output += chunk;
    });
    child.on('error', (error) => done({ code: 127, output: `${output}\n${error.message}` }));
    child.on('close', (code, signal) => done({ code: code ?? `${signal}`, output }));
  });
}

// Counters: each reads `{ passed, failed }` from a suite's output, or null when the
// output has no count.

/** A closing `N passed, M failed` line. */
export function plainCount(output) {
  const lines = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)];
  const last = lines.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : null;
}

/** TAP's closing `# pass N` and `# fail N` (node:test's tap reporter). */
export function tapCount(tap) {
  const pass = [...tap.matchAll(/^# pass (\d+)$/gm)].at(-1);
  const fail = [...tap.matchAll(/^# fail (\d+)$/gm)].at(-1);
  return pass ? { passed: Number(pass[1]), failed: Number(fail?.[1] ?? 0) } : null;
}

/** Deno's closing `ok | 27 passed | 0 failed (1s)` (or `FAILED | ...`). */
export function denoCount(output) {
  const last = [...output.matchAll(/^(?:ok|FAILED) \| (\d+) passed.*? \| (\d+) failed/gm)].at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : null;
}

/** Every libtest `test result: ok. 12 passed; 0 failed; ...` line, added up. */
export function libtestCount(output) {
  const lines = [...output.matchAll(/^test result: \S+ (\d+) passed; (\d+) failed;/gm)];
  if (!lines.length) return null;
  return lines.reduce((sum, [, p, f]) => ({ passed: sum.passed + Number(p), failed: sum.failed + Number(f) }), {
    passed: 0,
    failed: 0,
  });
}

/**
 * A suite runner: `await suite(label, command, args, { count, cwd, env })` runs one
 * suite, prints its `label: N passed, M failed` and records it for `finish()`.
 * `count(output)` reads the count; it defaults to the plain closing line.
 */
export function runner(title) {
  const results = [];

  async function suite(label, command, args, { count = plainCount, shown = args, ...options } = {}) {
    console.log(`\n==> ${label}: ${[command, ...shown].map((a) => a.replace(`${root}/`, '')).join(' ')}`);
    const { code, output } = await run(command, args, options);
    const counted = count(output);
    const { passed, failed } = counted ?? { passed: 0, failed: 0 };
    let verdict = 'ok';
    if (!counted) verdict = 'FAILED (no count of tests in its output)';
    else if (code !== 0) verdict = `FAILED (exit ${code})`;
    else if (failed > 0) verdict = 'FAILED';
    else if (passed === 0) verdict = 'FAILED (0 tests ran)';
    console.log(`${label}: ${passed} passed, ${failed} failed${verdict === 'ok' ? '' : `: ${verdict}`}`);
    results.push({ label, passed, failed, verdict });
  }

  /** Prints the summary and the total line; exits 1 when any suite failed. */
  function finish() {
    if (!results.length) {
      console.error(`${title}: no suite ran`);
      process.exit(1);
    }
    console.log(`\n==> ${title} summary`);
    for (const r of results) console.log(`${r.label.padEnd(24)} ${r.passed} passed, ${r.failed} failed: ${r.verdict}`);
    const total = results.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed }), {
      passed: 0,
      failed: 0,
    });
    console.log(`total: ${total.passed} passed, ${total.failed} failed`);
    process.exit(results.every((r) => r.verdict === 'ok') ? 0 : 1);
  }

  return { suite, finish };
}

/**
 * Runs node:test files on `node`: the spec reporter for the reader, TAP to a file for
 * the count. `extraEnv` adds environment variables.
 */
export function nodeTests(suite, label, node, files, { cwd = js, flags = [], extraEnv = {} } = {}) {
  const tap = join(scratch, `${label.replace(/[^\w.-]+/g, '_')}.tap`);
  const args = [
    '--test',
    ...flags,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ];
  const count = () => {
    if (!existsSync(tap)) return null;
    const text = readFileSync(tap, 'utf8');
    const counted = tapCount(text);
    // node:test reports a file that registered no test as one passing test named after
    // the file: that is a file that ran nothing, so it counts as a failure.
    const empty = [...text.matchAll(/^ok \d+ - (.+)$/gm)].filter(([, name]) => files.some((f) => name.endsWith(f)));
    for (const [, name] of empty) console.log(`FAILED: ${name} ran no tests`);
    return counted && { passed: counted.passed - empty.length, failed: counted.failed + empty.length };
  };
  return suite(label, node, args, { cwd, count, env: { ...env, ...extraEnv }, shown: ['--test', ...flags, ...files] });
}

/** The version a binary prints, e.g. `v24.21.0`. */
export async function versionOf(command) {
  const { execFileSync } = await import('node:child_process');
  return execFileSync(command, ['--version'], { encoding: 'utf8', env }).split('\n')[0].trim();
}

const DIST_FILES = ['index.mjs', 'index.cjs', 'browser.mjs', 'workerd.mjs', 'edge_lru_bg.wasm', 'index.d.ts', 'permissions/permissions-index.mjs'];

/** Builds js/dist (node js/scripts/build.mjs) when a file of it is missing, or always with `rebuild`. */
export async function ensureDist({ rebuild = false } = {}) {
  if (!rebuild && DIST_FILES.every((f) => existsSync(join(js, 'dist', f)))) return;
  console.log(`\n==> ${rebuild ? 'rebuilding' : 'js/dist is missing:'} node js/scripts/build.mjs`);
  const { code } = await run(machineNode, [join(js, 'scripts/build.mjs')], { cwd: root });
  if (code !== 0) {
    console.error(`the package build failed (exit ${code})`);
    process.exit(1);
  }
}
