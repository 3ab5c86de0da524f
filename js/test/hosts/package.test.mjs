// Packaging test: `npm pack` js/ into a temp dir, install the tarball into fresh temp
// projects and use it the way each host's users do:
//
//   - Node ESM   `import { LRUCache } from 'edge-lru'`   (resolves dist/index.mjs) and
//                `import { PermissionCache } from 'edge-lru/permissions'`
//                (dist/permissions/permissions-index.mjs)
//   - Node CJS   `require('edge-lru')` and `require('edge-lru/permissions')` (the .cjs bundles)
//   - Deno       a package.json + node_modules project, run with no permissions
//   - workerd    a worker bundled by esbuild with --conditions=workerd,worker,browser and
//                each entry's .wasm copied beside it as an external module (as wrangler
//                does), run in Miniflare with a CompiledWasm rule
//   - browser    esbuild bundles with named imports: of both entries (each must still
//                instantiate its module), and of `edge-lru` alone (no permission engine)
//   - TypeScript a consumer of the generics type-checked (and run) under
//                `module: nodenext`, as ESM and as CJS
//
// Each runtime consumer uses both entries in one program and runs every shared case:
// LRUCache's on `edge-lru`, PermissionCache's on `edge-lru/permissions`.
// The tarball must hold dist/ files plus package.json and docs only. A node:test suite,
// one test per check, in order (each after `npm pack` needs the tarball). Needs Node >= 22
// (miniflare); npm, deno, esbuild and tsc come from PATH / js/node_modules/.bin.
//
//   js/node_modules/.bin/node --test js/test/hosts/package.test.mjs
//   KEEP_PACKAGE_TEST=1 ...    keeps the temp projects (their folder is printed)

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { runWorker } from './run-worker.mjs';

const js = join(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(js, 'node_modules/.bin');
const runCasesPath = join(js, 'test/hosts/run-cases.js');
const runCasesUrl = pathToFileURL(runCasesPath).href;
const keep = process.env.KEEP_PACKAGE_TEST === '1';
const tmp = mkdtempSync(join(tmpdir(), 'edge-lru-package-'));
after(() => {
  if (keep) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
});
// Not the npm_* variables of an `npm run` above this process: its npm_config_prefix would
// send the projects' `npm install` into js/.
const inherited = Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name));
const env = { ...Object.fromEntries(inherited), NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', npm_config_update_notifier: 'false' };

/**
 * A check: a node:test test whose function may return a detail, shown as a diagnostic.
 * Every check after the first needs the tarball.
 */
function check(name, fn) {
  test(name, async (t) => {
    if (!tarball && name !== 'npm pack') throw new Error('no tarball: npm pack failed');
    const detail = await fn();
    if (detail) t.diagnostic(detail);
  });
}

/** Runs a command; returns stdout, or throws with its output when it fails. */
function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** A fresh project with `files`, and the tarball installed with npm. */
function project(name, packageJson, files) {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, ...packageJson }, null, 2));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', '--loglevel=error', tarball], dir);
  return dir;
}

/** Parses the JSON results a consumer printed as its last line and checks them. */
function casesPassed(stdout) {
  const lines = stdout.trim().split('\n');
  const cases = JSON.parse(lines[lines.length - 1]);
  const failed = cases.filter((c) => !c.ok);
  if (cases.length === 0) throw new Error('no cases ran');
  if (failed.length) throw new Error(failed.map((c) => `${c.name}\n${c.error}`).join('\n'));
  return `${cases.length} shared cases passed`;
}

// A consumer body shared by the ESM and Deno projects: resolve, smoke test, run cases.
const esmConsumer = (expectEntry, expectPermissionsEntry) => `
import * as lib from 'edge-lru';
import * as permissionsLib from 'edge-lru/permissions';
import { runAll } from ${JSON.stringify(runCasesUrl)};

if (globalThis.Deno) {
  for (const name of ['read', 'write', 'net', 'env', 'run', 'ffi', 'sys']) {
    if ((await Deno.permissions.query({ name })).state === 'granted') throw new Error(name + ' permission is granted');
  }
}
const { LRUCache, wasmMemorySize } = lib;
const resolved = import.meta.resolve('edge-lru');
if (!resolved.endsWith(${JSON.stringify(expectEntry)})) throw new Error('edge-lru resolved to ' + resolved);
const permissionsResolved = import.meta.resolve('edge-lru/permissions');
if (!permissionsResolved.endsWith(${JSON.stringify(expectPermissionsEntry)})) {
  throw new Error('edge-lru/permissions resolved to ' + permissionsResolved);
}
if ('PermissionCache' in lib || typeof permissionsLib.PermissionCache !== 'function') throw new Error('entries');
const cache = new LRUCache({ max: 2 });
cache.set('a', 1).set('b', 2).get('a');
cache.set('c', 3);
if ([...cache.keys()].join() !== 'c,a' || !(wasmMemorySize() > 0)) throw new Error('smoke test failed');
console.log(JSON.stringify(await runAll(lib, permissionsLib)));
`;

// ---------------------------------------------------------------------------------
// Pack and list the tarball.

let tarball;
let packedFiles = [];
check('npm pack', () => {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tmp, '--loglevel=error'], js));
  tarball = join(tmp, packed.filename);
  packedFiles = packed.files.map((f) => f.path).sort();
  console.log(`tarball ${packed.filename}: ${packed.files.length} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
  for (const f of packed.files) console.log(`  ${String(f.size).padStart(8)}  ${f.path}`);
  return `${packed.files.length} files`;
});

check('tarball holds dist/ files, package.json and docs only', () => {
  const allowed = /^(dist\/.+|package\.json|README(\.md)?|CHANGELOG\.md|LICEN[CS]E[^/]*)$/i;
  const stray = packedFiles.filter((f) => !allowed.test(f) || f.includes('node_modules/'));
  if (stray.length) throw new Error(`unexpected files in the tarball: ${stray.join(', ')}`);
  for (const doc of ['README.md', 'CHANGELOG.md', 'LICENSE-MIT', 'LICENSE-APACHE']) {
    if (!packedFiles.includes(doc)) throw new Error(`the tarball has no ${doc}`);
  }
});

/** The files package.json's `exports` (and `main`, `types`, ...) point to, relative to js/. */
function exportTargets() {
  const pkg = JSON.parse(readFileSync(join(js, 'package.json'), 'utf8'));
  const targets = new Set();
  const walk = (v) => (typeof v === 'string' ? targets.add(v.replace(/^\.\//, '')) : Object.values(v ?? {}).forEach(walk));
  walk(pkg.exports);
  for (const field of ['main', 'types', 'module', 'browser']) if (typeof pkg[field] === 'string') walk(pkg[field]);
  return targets;
}

/** The relative imports of a packed file, each resolved to a path relative to js/. */
function relativeImports(file) {
  const text = readFileSync(join(js, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)].map(([, spec]) =>
    relative(js, join(js, dirname(file), spec)).split('\\').join('/'));
}

check('every exports target and relative import in dist/ is in the tarball', () => {
  const targets = exportTargets();
  const missing = [...targets].filter((t) => !packedFiles.includes(t));
  for (const file of packedFiles.filter((f) => /\.(m?js|d\.c?ts)$/.test(f))) {
    for (const resolved of relativeImports(file)) {
      // A declaration file's `./x.js` / `./x.cjs` is resolved by TypeScript to `./x.d.ts` / `./x.d.cts`.
      const target = /\.d\.c?ts$/.test(file) ? resolved.replace(/\.(c?)js$/, '.d.$1ts') : resolved;
      if (!packedFiles.includes(target)) missing.push(`${target} (imported by ${file})`);
    }
  }
  if (missing.length) throw new Error(`missing: ${missing.join(', ')}`);
  return `${targets.size} exports targets`;
});

check('every module and .wasm in the tarball is reachable from an exports target', () => {
  const queue = [...exportTargets()];
  const reached = new Set();
  while (queue.length) {
    const file = queue.pop();
    if (reached.has(file)) continue;
    reached.add(file);
    if (/\.(m?js|cjs)$/.test(file)) queue.push(...relativeImports(file));
  }
  const unused = packedFiles.filter((f) => /\.(m?js|cjs|wasm)$/.test(f) && !reached.has(f));
  if (unused.length) throw new Error(`in the tarball but used by no entry: ${unused.join(', ')}`);
  return `${[...reached].filter((f) => packedFiles.includes(f)).length} files reached`;
});

// ---------------------------------------------------------------------------------
// Node: ESM and CommonJS consumers.

const nodeEntry = '/node_modules/edge-lru/dist/index.mjs';
const nodePermissionsEntry = '/node_modules/edge-lru/dist/permissions/permissions-index.mjs';

check('Node ESM: import { LRUCache } from "edge-lru", { PermissionCache } from "edge-lru/permissions"', () => {
  const dir = project('esm-consumer', { type: 'module' }, { 'main.js': esmConsumer(nodeEntry, nodePermissionsEntry) });
  return casesPassed(run(process.execPath, ['main.js'], dir));
});

check('Node CJS: require("edge-lru") and require("edge-lru/permissions")', () => {
  const dir = project('cjs-consumer', { type: 'commonjs' }, {
    'main.js': `
const { LRUCache, wasmMemorySize } = require('edge-lru');
const resolved = require.resolve('edge-lru');
if (!resolved.endsWith('/node_modules/edge-lru/dist/index.cjs')) throw new Error('edge-lru resolved to ' + resolved);
if (require('edge-lru/package.json').name !== 'edge-lru') throw new Error('edge-lru/package.json');
require.resolve('edge-lru/edge_lru_bg.wasm');
require.resolve('edge-lru/permissions_bg.wasm');
const permissionsResolved = require.resolve('edge-lru/permissions');
if (!permissionsResolved.endsWith('/node_modules/edge-lru/dist/permissions/permissions-index.cjs')) {
  throw new Error('edge-lru/permissions resolved to ' + permissionsResolved);
}
if ('PermissionCache' in require('edge-lru')) throw new Error('edge-lru exports PermissionCache');
const cache = new LRUCache({ max: 2 });
cache.set('a', 1).set('b', 2).get('a');
cache.set('c', 3);
if ([...cache.keys()].join() !== 'c,a' || !(wasmMemorySize() > 0)) throw new Error('smoke test failed');
import(${JSON.stringify(runCasesUrl)})
  .then(({ runAll }) => runAll(require('edge-lru'), require('edge-lru/permissions')))
  .then((results) => console.log(JSON.stringify(results)));
`,
  });
  return casesPassed(run(process.execPath, ['main.js'], dir));
});

// ---------------------------------------------------------------------------------
// Deno: bare `edge-lru` from package.json + node_modules, no permissions at all.

check('Deno: import "edge-lru" from node_modules with no permissions', () => {
  const dir = project('deno-consumer', { type: 'module' }, { 'main.js': esmConsumer(nodeEntry, nodePermissionsEntry) });
  return casesPassed(run(join(bin, 'deno'), ['run', '--no-prompt', 'main.js'], dir));
});

// ---------------------------------------------------------------------------------
// workerd: bundle like wrangler (the .wasm stays a separate module), run in Miniflare.

check('workerd: esbuild bundle with the workerd condition, run in Miniflare', async () => {
  const dir = project('workerd-consumer', { type: 'module' }, {
    'src/worker.js': `
import * as lib from 'edge-lru';
import * as permissionsLib from 'edge-lru/permissions';
import { runAll } from ${JSON.stringify(runCasesPath)};
export default {
  async fetch() {
    return Response.json(await runAll(lib, permissionsLib));
  },
};
`,
  });
  run(join(bin, 'esbuild'), [
    'src/worker.js',
    '--bundle',
    '--format=esm',
    '--platform=neutral',
    '--conditions=workerd,worker,browser',
    '--loader:.wasm=copy',
    '--outdir=out',
    '--metafile=out/meta.json',
    '--log-level=warning',
  ], dir);
  const inputs = Object.keys(JSON.parse(readFileSync(join(dir, 'out/meta.json'), 'utf8')).inputs);
  for (const entry of ['dist/workerd.mjs', 'dist/permissions/permissions-workerd.mjs']) {
    if (!inputs.includes(`node_modules/edge-lru/${entry}`)) throw new Error(`${entry} not bundled: ${inputs.join(', ')}`);
  }
  const inlined = inputs.filter((i) => i.endsWith('/inline.js'));
  if (inlined.length) throw new Error(`the base64 module was bundled: ${inlined}`);
  const wasm = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.wasm'));
  if (wasm.length !== 2) throw new Error(`expected each entry's .wasm beside the bundle, got ${wasm}`);
  const bundle = readFileSync(join(dir, 'out/worker.js'), 'utf8');
  if (!wasm.every((file) => bundle.includes(`./${file}`))) throw new Error(`the bundle does not import ${wasm}`);
  const cases = await runWorker({
    scriptPath: join(dir, 'out/worker.js'),
    modulesRoot: join(dir, 'out'),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  });
  return casesPassed(JSON.stringify(cases));
});

// ---------------------------------------------------------------------------------
// A browser bundle that imports names (so a bundler may tree-shake what the package
// marks as free of side effects): the entry must still instantiate the module. The
// bundle runs in Node, which has everything the browser entry uses.

const lruOnly = `
import { LRUCache, wasmMemorySize } from 'edge-lru';
const cache = new LRUCache({ max: 2 });
cache.set('a', 1).set('b', 2).get('a');
cache.set('c', 3);
console.log(JSON.stringify({ keys: [...cache.keys()], memory: wasmMemorySize() > 0 }));
`;
const withPermissions = `
import { LRUCache, wasmMemorySize } from 'edge-lru';
import { PermissionCache, wasmMemorySize as permissionsMemorySize } from 'edge-lru/permissions';
const cache = new LRUCache({ max: 2 });
cache.set('a', 1).set('b', 2).get('a');
cache.set('c', 3);
const perms = new PermissionCache({ maxUsers: 1, load: () => [{ path: '/pub', allow: ['read'] }] });
await perms.login('alice');
const allowed = [perms.allowsCached('alice', '/pub/a', 'read'), perms.allowsCached('alice', '/a', 'read')];
const memory = wasmMemorySize() > 0 && permissionsMemorySize() > 0;
console.log(JSON.stringify({ keys: [...cache.keys()], memory, allowed }));
`;

/** Bundles src/main.js for the browser; returns its text and what it printed when run. */
function browserBundle(dir) {
  run(join(bin, 'esbuild'), [
    'src/main.js',
    '--bundle',
    '--format=esm',
    '--platform=browser',
    '--outfile=out/main.js',
    '--log-level=warning',
  ], dir);
  return { text: readFileSync(join(dir, 'out/main.js'), 'utf8'), out: JSON.parse(run(process.execPath, ['out/main.js'], dir).trim()) };
}

check('browser: esbuild bundle with named imports keeps the instantiation', async () => {
  const dir = project('browser-consumer', { type: 'module' }, { 'src/main.js': withPermissions });
  const { out } = browserBundle(dir);
  if (out.keys.join() !== 'c,a' || !out.memory || out.allowed.join() !== 'true,false') {
    throw new Error(`bundle gave ${JSON.stringify(out)}`);
  }
  return 'named imports from both browser entries work when bundled';
});

check('browser: a bundle of edge-lru alone holds only the LRU module', async () => {
  const dir = project('browser-lru-consumer', { type: 'module' }, { 'src/main.js': lruOnly });
  const { text, out } = browserBundle(dir);
  if (out.keys.join() !== 'c,a' || !out.memory) throw new Error(`bundle gave ${JSON.stringify(out)}`);
  const lruBase64 = readFileSync(join(js, 'dist/edge_lru_bg.wasm')).toString('base64');
  const fullBase64 = readFileSync(join(js, 'dist/permissions/edge_lru_bg.wasm')).toString('base64');
  if (!text.includes(lruBase64)) throw new Error('the bundle does not inline the LRU module');
  if (text.includes(fullBase64) || text.includes('PermissionEngine')) throw new Error('the bundle holds the permission engine');
  return `${text.length} bytes, the permission engine left out`;
});

// ---------------------------------------------------------------------------------
// TypeScript: the generics, under module nodenext, as ESM and as CJS.

const tsConsumer = `
declare const console: { log(...data: unknown[]): void }; // no @types/node here

import { LRUCache, wasmMemorySize, type ErrorCode, type EvictionReason, type LRUCacheOptions } from 'edge-lru';
import { PermissionCache, type PermissionRule } from 'edge-lru/permissions';

type User = { id: number };
const reasons: EvictionReason[] = [];
const options: LRUCacheOptions<string, User> = {
  max: 2,
  onEvict: (value, key, reason) => {
    const id: number = value.id;
    const name: string = key;
    const known: 'evict' | 'set' | 'delete' | 'clear' | 'expire' | 'resize' | 'oversized' = reason;
    reasons.push(known);
    void id, name;
  },
};
const cache = new LRUCache<string, User>(options);
cache.set('alice', { id: 1 }).set('bob', { id: 2 });
const found: User | undefined = cache.get('alice');
const loaded: Promise<User> = cache.fetch('dave', async (key) => ({ id: key.length }));
const refreshed: Promise<User> = new LRUCache<string, User>({ maxSize: 10 }).fetch('frank', {
  size: 1,
  loader: (key, { signal, staleValue }) => ({ id: signal.aborted ? 0 : staleValue?.id ?? key.length }),
  allowStale: true,
});
const entries: [string, User][] = [...cache];
const bytes: number = wasmMemorySize();
const byNumber = new LRUCache<number, string>({ max: 1 });
byNumber.set(1, 'one');
const codes: ErrorCode[] = ['ERR_LRU_KEY_TYPE', 'ERR_PERM_PATH', 'ERR_PERM_NAMES', 'ERR_PERM_TOO_LARGE'];
void codes;
const rules: PermissionRule[] = [{ path: '/pub', allow: ['read'] }];
const perms = new PermissionCache({ maxUsers: 1, load: () => rules });

/** Never called: each line must fail to type-check (tsc rejects an unused directive). */
function typeErrors(reason: EvictionReason) {
  // @ts-expect-error the value type is { id: number }
  cache.set('carol', { id: 'three' });
  // @ts-expect-error keys are strings in this cache
  cache.set(4, { id: 4 });
  // @ts-expect-error get may miss
  const sure: User = cache.get('alice');
  // @ts-expect-error fetch resolves to the value type
  const wrong: Promise<string> = cache.fetch('erin', () => ({ id: 5 }));
  // @ts-expect-error EvictionReason has no 'expired'
  const typo: EvictionReason = 'expired';
  // @ts-expect-error the reason is a union of known strings, not any one of them
  const evictOnly: 'evict' = reason;
  // @ts-expect-error keys are strings or numbers
  new LRUCache<boolean, string>({ max: 1 });
  // @ts-expect-error max is required
  new LRUCache<string, User>({});
  // @ts-expect-error ErrorCode lists the codes edge-lru throws
  const unknownCode: ErrorCode = 'ERR_PERM_NOPE';
  // @ts-expect-error 'chmod' is not an operation
  perms.allowsCached('alice', '/pub', 'chmod');
  void sure, wrong, typo, evictOnly, unknownCode;
}
void typeErrors;

Promise.all([loaded, perms.allows('alice', '/pub/a', 'read'), refreshed]).then(([user, allowed]) => {
  cache.delete('dave');
  const ok = user.id === 4 && found?.id === 1 && byNumber.get(1) === 'one' && reasons.join() === 'evict,delete' && allowed;
  if (!ok) throw new Error('typed consumer misbehaved: ' + JSON.stringify({ user, found, reasons }));
  console.log(JSON.stringify({ entries: entries.length, bytes: bytes > 0, reasons }));
});
`;

// With `using`: type-checks only where the consumer's lib has esnext.disposable.
const tsDispose = `
import { LRUCache } from 'edge-lru';
import { PermissionCache } from 'edge-lru/permissions';

export function scoped(): number {
  using cache = new LRUCache<number, string>({ max: 2 });
  using permissions = new PermissionCache({ maxUsers: 1, load: async () => [] });
  cache.set(1, 'one');
  return cache.size + permissions.size;
}
`;

// Strict consumers that check the package's declarations too (no skipLibCheck): the ESM
// one with lib es2022 alone (the declarations declare Symbol.dispose themselves, so
// they load without esnext.disposable or @types/node), the CJS one with
// esnext.disposable and a `using` declaration of each class.
const tsconfig = (lib) =>
  JSON.stringify({
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib,
      types: [],
      strict: true,
      skipLibCheck: false,
      outDir: 'out',
    },
    include: ['src'],
  });

for (const type of ['module', 'commonjs']) {
  const kind = type === 'module' ? 'ESM' : 'CJS';
  check(`TypeScript ${kind} consumer: tsc (module nodenext) and run`, () => {
    const files =
      type === 'module'
        ? { 'tsconfig.json': tsconfig(['es2022']), 'src/main.ts': tsConsumer }
        : { 'tsconfig.json': tsconfig(['es2022', 'esnext.disposable']), 'src/main.ts': tsConsumer, 'src/dispose.ts': tsDispose };
    const dir = project(`ts-${kind.toLowerCase()}-consumer`, { type }, files);
    run(process.execPath, [join(js, 'node_modules/typescript/bin/tsc'), '-p', '.'], dir);
    const out = readFileSync(join(dir, 'out/main.js'), 'utf8');
    const emitted = /require\(["']edge-lru["']\)/.test(out) ? 'require' : /from ["']edge-lru["']/.test(out) ? 'import' : '?';
    if (emitted !== (type === 'module' ? 'import' : 'require')) throw new Error(`tsc emitted ${emitted} for ${kind}`);
    const trace = run(process.execPath, [join(js, 'node_modules/typescript/bin/tsc'), '-p', '.', '--traceResolution'], dir)
      .split('\n');
    const declarations = ['index', 'permissions/permissions-index'].map((entry) => {
      const specifier = entry === 'index' ? 'edge-lru' : 'edge-lru/permissions';
      const types = trace.find((l) => l.includes(`'${specifier}' was successfully resolved`));
      const resolved = types?.match(new RegExp(`dist/${entry}\\.d\\.c?ts`))?.[0];
      if (resolved !== `dist/${entry}.d.${type === 'module' ? '' : 'c'}ts`) {
        throw new Error(`${kind} types of ${specifier} resolved to ${resolved ?? '?'}: ${types}`);
      }
      return resolved;
    });
    const printed = run(process.execPath, ['out/main.js'], dir).trim();
    return `${emitted} of ${declarations.join(' and ')}, ran: ${printed}`;
  });
}
