// The gateway under load: a private MariaDB seeded with a user population and a file tree,
// then for each permission backend (edge-lru, lru-cache, none) a gateway in its own process
// with the same permission budget, driven over loopback by autocannon with Zipf-skewed users
// and a listing-heavy mix. Reports medians of R interleaved repetitions as a Markdown table
// and an SVG chart in gateway/bench-results/.
//
//   node bench/load.ts [--smoke] [--users N] [--max-users N] [--max-bytes N] [--duration S]
//                      [--reps R] [--connections C] [--zipf S] [--tree memo|disk]
//
// Users authenticate with session tokens signed here with the server key (no password
// check on the request path); their stored password hash is one cheap scrypt hash (N=16).
// --smoke runs in seconds and fails on any error or non-2xx answer, never on timings.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { hashPassword, OWASP_SCRYPT } from '../src/passwords.ts';
import { MysqlStore } from '../src/store/mysql.ts';
import { TokenSigner } from '../src/tokens.ts';
import { PERMISSION_BACKENDS } from '../src/permissions.ts';
import { prng, zipfSampler } from '../../js/bench/harness.mjs';
import {
  file,
  fmt,
  type Gateway,
  MAIN,
  percentile,
  positiveOption,
  rulesOf,
  sampleMetrics,
  scrape,
  seed,
  startGateway as spawnGateway,
  startMariadb,
  stopMariadb,
  tree,
  userName,
} from './common.ts';

const here = dirname(fileURLToPath(import.meta.url));

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    users: { type: 'string' },
    'max-users': { type: 'string' },
    'max-bytes': { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    reps: { type: 'string' },
    connections: { type: 'string' },
    zipf: { type: 'string' },
    tree: { type: 'string' },
    mix: { type: 'string' },
    out: { type: 'string' },
  },
});
if (args.help) {
  console.log(`usage: node bench/load.ts [options]
  --smoke            seconds-long run (2,000 users, 2 s per backend, 1 repetition); fails on any error or non-2xx
  --users N          user population (default 200,000)
  --max-users N      --max-users of every gateway (default: the population, so the byte budget binds)
  --max-bytes N      --max-bytes of every gateway (default 2 MiB)
  --warmup S         seconds of load per run before the counters are read, to fill the cache (default 15;
                     at most 5 for the uncached backend; 0: none)
  --duration S       seconds of measured load per run (default 25)
  --reps R           interleaved repetitions, medians reported (default 3)
  --connections C    autocannon connections (default 32)
  --zipf S           Zipf exponent of the users' popularity (default 1)
  --mix full|names   full: the mix, listings with a stat per entry (LIST); names: names-only listings alone
                     (NLST, ?format=names), in the mix's proportions
  --tree memo|disk   memo: each listing read from disk once (bench/listing-memo.ts); disk: every time
                     (default memo for --mix full, disk for --mix names)
  --out DIR          where load.md, load.svg and load.json go (load-names.* for --mix names;
                     default gateway/bench-results)`);
  process.exit(0);
}
const smoke = args.smoke === true;
const num = (name: keyof typeof args & string, fallback: number) => positiveOption(args, name, fallback);
const POPULATION = num('users', smoke ? 2_000 : 200_000);
const MAX_BYTES = num('max-bytes', smoke ? 128 << 10 : 2 << 20);
const MAX_USERS = num('max-users', POPULATION);
const DURATION = num('duration', smoke ? 2 : 25);
const WARMUP = args.warmup === '0' ? 0 : num('warmup', smoke ? 1 : 15);
const REPS = num('reps', smoke ? 1 : 3);
const CONNECTIONS = num('connections', smoke ? 8 : 32);
const ZIPF = num('zipf', 1);
/** `memo`: listings read from disk once per directory (bench/listing-memo.ts); `disk`: as in production. */
/** `full`: LIST, a stat per entry; `names`: NLST, the names and types from the directory read. */
const MIX_KIND = args.mix ?? 'full';
if (MIX_KIND !== 'full' && MIX_KIND !== 'names') throw new RangeError('--mix must be full or names');
const TREE = args.tree ?? (MIX_KIND === 'names' ? 'disk' : 'memo');
/** The report's file names in --out. */
const BASE = MIX_KIND === 'names' ? 'load-names' : 'load';
if (TREE !== 'memo' && TREE !== 'disk') throw new RangeError('--tree must be memo or disk');
const OUT = resolve(args.out ?? join(here, '..', 'bench-results'));
const DIR_SIZES = [10, 100, 1000, 5000] as const;
const UPLOAD_SLOTS = 64;

/** The request mix: weights out of 100. Listings are 60 % of the requests. */
const FULL_MIX = [
  { op: 'list-10', weight: 25 },
  { op: 'list-100', weight: 20 },
  { op: 'list-1000', weight: 10 },
  { op: 'list-5000', weight: 5 },
  { op: 'retrieve', weight: 30 },
  { op: 'store', weight: 10 },
] as const;
type MixOp = typeof FULL_MIX[number]['op'];
/**
 * `--mix names` measures the names-only listing itself: the listings alone, in the same
 * proportions (retrieves and stores cost the same with any cache and would only dilute it).
 */
const MIX: readonly (typeof FULL_MIX)[number][] = MIX_KIND === 'names'
  ? FULL_MIX.filter((m) => m.op.startsWith('list-'))
  : FULL_MIX;

/** What runs side by side: each permission backend in one process, and edge-lru on two cluster workers. */
interface Config {
  name: string;
  backend: string;
  workers: number;
}
const TWO_WORKERS = 'edge-lru, 2 workers';
const CONFIGS: Config[] = [
  ...PERMISSION_BACKENDS.map((backend) => ({ name: backend, backend, workers: 1 })),
  { name: TWO_WORKERS, backend: 'edge-lru', workers: 2 },
];

function log(message: string): void {
  console.error(`[load] ${message}`);
}

// ---------------------------------------------------------------- setup

// ---------------------------------------------------------------- one gateway

function startGateway(
  config: Config,
  store: string,
  root: string,
  data: string,
  secret: string,
): Promise<Gateway> {
  return spawnGateway(config.name, TREE === 'memo' ? join(here, 'listing-memo.ts') : MAIN, [
    '--store',
    store,
    '--root',
    root,
    '--data-dir',
    data,
    '--port',
    '0',
    '--permission-cache',
    config.backend,
    '--workers',
    String(config.workers),
    '--max-users',
    String(MAX_USERS),
    '--max-bytes',
    String(MAX_BYTES),
    '--quiet',
  ], secret);
}

// ---------------------------------------------------------------- one run

interface Point {
  t: number;
  users: number;
  rps: number;
  rssMiB: number;
  heapMiB: number;
}

interface RunResult {
  backend: string;
  rps: number;
  requests: number;
  latency: Record<MixOp, { p50: number; p99: number; p999: number }>;
  queriesPerRequest: number;
  loadsPerRequest: number;
  /** Loads of users seen before in this run (capacity misses): the loads minus the first visits. */
  reloadsPerRequest: number;
  /** Share of request time spent in permission checks: listings, and every file operation. */
  checkShareList: number;
  checkShareAll: number;
  /** Requests still unanswered after autocannon's timeout (10 s), measured phase. */
  timeouts: number;
  hitRate: number;
  usersCached: number;
  cacheBytes: number;
  distinctUsers: number;
  rssWarmMiB: number;
  rssEndMiB: number;
  heapEndMiB: number;
  points: Point[];
  failures: string[];
}

async function run(backend: string, gw: Gateway, tokens: string[], pick: () => number): Promise<RunResult> {
  const seen = new Uint8Array(POPULATION);
  let distinct = 0;
  /** First visits during the measured phase: each must load (the gateway started empty). */
  let firstVisits = 0;
  let recording = false;
  const times = new Map<MixOp, number[]>(MIX.map((m) => [m.op, []]));
  const failures: string[] = [];
  const cumulative: number[] = [];
  let acc = 0;
  for (const m of MIX) cumulative.push(acc += m.weight);
  const total = acc;
  let upload = 0;

  interface Context {
    op?: MixOp;
  }
  const request = {
    setupRequest(req: Record<string, unknown>, context: Context) {
      const user = pick();
      if (seen[user] === 0) {
        seen[user] = 1;
        distinct++;
        if (recording) firstVisits++;
      }
      const r = Math.random() * total;
      const m = MIX[cumulative.findIndex((c) => r < c)]!;
      context.op = m.op;
      const headers = { authorization: `Bearer ${tokens[user]}` };
      if (m.op === 'retrieve') {
        return { ...req, method: 'GET', path: `/files/pub/d100/${file(user % 100)}`, headers };
      }
      if (m.op === 'store') {
        upload = (upload + 1) % UPLOAD_SLOTS;
        return {
          ...req,
          method: 'PUT',
          path: `/files/upload/${upload}.txt`,
          headers: { ...headers, 'content-type': 'application/octet-stream' },
          body: `stored by ${userName(user)}\n`,
        };
      }
      const query = MIX_KIND === 'names' ? '?format=names' : '';
      return { ...req, method: 'GET', path: `/files/pub/d${m.op.slice(5)}/${query}`, headers };
    },
  };

  const points: Point[] = [];
  let answered = 0;
  let lastAnswered = 0;
  let lastT = performance.now();
  const t0 = lastT;
  const stopSampler = sampleMetrics(gw.url, 1000, failures, (s) => {
    const now = performance.now();
    points.push({
      t: (now - t0) / 1000,
      users: distinct,
      rps: (answered - lastAnswered) / ((now - lastT) / 1000),
      rssMiB: (s.get('process_resident_memory_bytes') ?? 0) / 2 ** 20,
      heapMiB: (s.get('nodejs_heap_size_used_bytes') ?? 0) / 2 ** 20,
    });
    lastAnswered = answered;
    lastT = now;
  });

  let timeouts = 0;
  const fire = async (seconds: number, phase: string): Promise<autocannon.Result> => {
    const instance = autocannon({
      url: gw.url,
      connections: CONNECTIONS,
      duration: seconds,
      pipelining: 1,
      timeout: 10,
      // deno-lint-ignore no-explicit-any
      requests: [request as any],
    }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
    instance.on('response', (client: autocannon.Client, status: number, _bytes: number, ms: number) => {
      answered++;
      // With one request per iteration the iterator's context is the answered request's until the next is sent.
      const op = (client as unknown as { requestIterator?: { context?: Context } }).requestIterator?.context
        ?.op;
      if (recording && op !== undefined) times.get(op)!.push(ms);
      if ((status < 200 || status > 299) && failures.length < 20) {
        failures.push(`${phase} ${op ?? '?'}: HTTP ${status}`);
      }
    });
    const result = await instance;
    // autocannon counts each timeout as an error too.
    const errors = result.errors - result.timeouts;
    if (errors > 0) failures.push(`${phase}: ${errors} connection errors`);
    // Without a cache the largest listings can take longer than the timeout: counted and reported
    // for that backend (its latencies leave them out), a failure for the others and in smoke runs.
    if (phase === 'measured') timeouts = result.timeouts;
    if (result.timeouts > 0 && (smoke || backend !== 'none')) {
      failures.push(`${phase}: ${result.timeouts} timeouts`);
    }
    if (result.non2xx > 0) failures.push(`${phase}: ${result.non2xx} non-2xx answers`);
    return result;
  };
  // The warm-up fills the cache; the counters are read after it, so only the measured phase counts.
  // With no cache there is nothing to fill: a few seconds warm the process up.
  const warmup = backend === 'none' ? Math.min(WARMUP, 5) : WARMUP;
  if (warmup > 0) await fire(warmup, 'warm-up');
  const before = await scrape(gw.url);
  recording = true;
  const result = await fire(DURATION, 'measured');
  stopSampler();
  const after = await scrape(gw.url);

  const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  const sumOver = (name: string) =>
    ['list', 'retrieve', 'store'].map((op) => delta(`${name}{op=${op}}`)).reduce((a, b) => a + b, 0);
  const fileRequests = sumOver('gateway_requests_total');
  const share = (check: number, total: number) => (total > 0 ? check / total : NaN);
  const loads = delta('gateway_permission_cache_loads_total');
  const hits = delta('gateway_permission_cache_hits_total');
  const misses = delta('gateway_permission_cache_misses_total');
  const latency = {} as RunResult['latency'];
  for (const [op, list] of times) {
    list.sort((a, b) => a - b);
    latency[op] = { p50: percentile(list, 0.5), p99: percentile(list, 0.99), p999: percentile(list, 0.999) };
  }
  return {
    backend,
    rps: result.requests.total / result.duration,
    requests: result.requests.total,
    latency,
    queriesPerRequest: delta('gateway_store_queries_total') / fileRequests,
    loadsPerRequest: loads / fileRequests,
    reloadsPerRequest: backend === 'none' ? NaN : Math.max(0, loads - firstVisits) / fileRequests,
    checkShareList: share(
      delta('gateway_permission_check_seconds_total{op=list}'),
      delta('gateway_request_duration_seconds_sum{op=list}'),
    ),
    checkShareAll: share(
      sumOver('gateway_permission_check_seconds_total'),
      sumOver('gateway_request_duration_seconds_sum'),
    ),
    timeouts,
    hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
    usersCached: after.get('gateway_permission_cache_users') ?? 0,
    cacheBytes: after.get('gateway_permission_cache_bytes') ?? 0,
    distinctUsers: distinct,
    rssWarmMiB: before.get('process_resident_memory_bytes')! / 2 ** 20,
    rssEndMiB: after.get('process_resident_memory_bytes')! / 2 ** 20,
    heapEndMiB: after.get('nodejs_heap_size_used_bytes')! / 2 ** 20,
    points,
    failures,
  };
}

// ---------------------------------------------------------------- report

function median(xs: number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

type Summary = Omit<RunResult, 'points' | 'failures' | 'latency' | 'backend'> & {
  backend: string;
  latency: Record<string, { p50: number; p99: number; p999: number }>;
};

function summarize(backend: string, runs: RunResult[]): Summary {
  const m = (f: (r: RunResult) => number) => median(runs.map(f));
  const latency: Summary['latency'] = {};
  for (const { op } of MIX) {
    latency[op] = {
      p50: m((r) => r.latency[op].p50),
      p99: m((r) => r.latency[op].p99),
      p999: m((r) => r.latency[op].p999),
    };
  }
  return {
    backend,
    rps: m((r) => r.rps),
    requests: m((r) => r.requests),
    latency,
    queriesPerRequest: m((r) => r.queriesPerRequest),
    loadsPerRequest: m((r) => r.loadsPerRequest),
    reloadsPerRequest: m((r) => r.reloadsPerRequest),
    checkShareList: m((r) => r.checkShareList),
    checkShareAll: m((r) => r.checkShareAll),
    timeouts: m((r) => r.timeouts),
    hitRate: m((r) => r.hitRate),
    usersCached: m((r) => r.usersCached),
    cacheBytes: m((r) => r.cacheBytes),
    distinctUsers: m((r) => r.distinctUsers),
    rssWarmMiB: m((r) => r.rssWarmMiB),
    rssEndMiB: m((r) => r.rssEndMiB),
    heapEndMiB: m((r) => r.heapEndMiB),
  };
}

function table(summaries: Summary[]): string {
  const rows = [
    '| backend | req/s | store queries / request | loads / request | of which reloads (users seen before) | hit rate | users cached | cache bytes | bytes / user | distinct users seen | permission checks: share of listing time / of all | timeouts (> 10 s) | RSS after warm-up → end (MiB) | heap at end (MiB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const pct = (x: number) => (Number.isNaN(x) ? '–' : `${fmt(x * 100, 1)} %`);
  for (const s of summaries) {
    rows.push(
      `| ${s.backend} | ${fmt(s.rps)} | ${fmt(s.queriesPerRequest, 3)} | ${fmt(s.loadsPerRequest, 3)} | ${
        fmt(s.reloadsPerRequest, 3)
      } | ${pct(s.hitRate)} | ${fmt(s.usersCached)} | ${fmt(s.cacheBytes / 2 ** 20, 1)} MiB | ${
        s.usersCached === 0 ? '–' : fmt(s.cacheBytes / s.usersCached)
      } | ${fmt(s.distinctUsers)} | ${pct(s.checkShareList)} / ${pct(s.checkShareAll)} | ${
        fmt(s.timeouts)
      } | ${fmt(s.rssWarmMiB)} → ${fmt(s.rssEndMiB)} | ${fmt(s.heapEndMiB)} |`,
    );
  }
  rows.push('', '| latency p50 / p99 / p99.9 (ms) | ' + summaries.map((s) => s.backend).join(' | ') + ' |');
  rows.push('| --- |' + summaries.map(() => ' ---: |').join(''));
  for (const { op } of MIX) {
    rows.push(
      `| ${op} | ` +
        summaries.map((s) => {
          const l = s.latency[op]!;
          return `${fmt(l.p50, 1)} / ${fmt(l.p99, 1)} / ${fmt(l.p999, 1)}`;
        }).join(' | ') + ' |',
    );
  }
  return rows.join('\n');
}

function targets(summaries: Summary[]): string {
  const by = (b: string) => summaries.find((s) => s.backend === b)!;
  const edge = by('edge-lru');
  const js = by('lru-cache');
  const none = by('none');
  const ratio = (a: number, b: number) => (b === 0 ? Infinity : a / b);
  const rssGrowth = (edge.rssEndMiB - edge.rssWarmMiB) / edge.rssWarmMiB;
  const lines = [
    ['throughput vs no cache', '>= 5x', ratio(edge.rps, none.rps)],
    [
      'store queries per request vs no cache',
      '>= 20x fewer',
      ratio(none.queriesPerRequest, edge.queriesPerRequest),
    ],
    // Users per byte of the budget: the same number whether or not a run fills the cache.
    [
      'users a budget holds vs lru-cache (users per cached byte)',
      '>= 3x',
      ratio(edge.usersCached / edge.cacheBytes, js.usersCached / js.cacheBytes),
    ],
    [
      'store loads per request vs lru-cache',
      '<= 1/2 (>= 2x fewer)',
      ratio(js.loadsPerRequest, edge.loadsPerRequest),
    ],
    // First visits load with any cache; what a bigger cache saves is the reloads.
    [
      'reloads (loads of users seen before) per request vs lru-cache',
      '<= 1/2 (>= 2x fewer)',
      ratio(js.reloadsPerRequest, edge.reloadsPerRequest),
    ],
  ] as const;
  const out = ['| target | wanted | measured (edge-lru) | met |', '| --- | --- | ---: | --- |'];
  const wanted = [5, 20, 3, 2, 2];
  lines.forEach(([name, want, got], i) => {
    out.push(`| ${name} | ${want} | ${fmt(got, 2)}x | ${got >= wanted[i]! ? 'yes' : 'no'} |`);
  });
  if (MIX_KIND === 'names') {
    const throughput = ratio(edge.rps, js.rps);
    out.push(
      `| throughput vs lru-cache, names-only listings | >= 1.3x | ${fmt(throughput, 2)}x | ${
        throughput >= 1.3 ? 'yes' : 'no'
      } |`,
    );
    for (const { op } of MIX) {
      if (!op.startsWith('list-')) continue;
      const p99 = edge.latency[op]!.p99 / js.latency[op]!.p99;
      out.push(
        `| p99 of ${op} (names) vs lru-cache | <= 0.7x | ${fmt(p99, 2)}x | ${p99 <= 0.7 ? 'yes' : 'no'} |`,
      );
    }
  }
  const two = summaries.find((s) => s.backend === TWO_WORKERS);
  if (two) {
    out.push(
      `| store loads per request, 2 workers vs 1 (one user spread over both) | reported | ${
        fmt(ratio(two.loadsPerRequest, edge.loadsPerRequest), 2)
      }x | – |`,
    );
  }
  out.push(
    `| memory flat after warm-up | RSS at end ≈ RSS after warm-up | ${fmt(rssGrowth * 100, 1)} % | ${
      Math.abs(rssGrowth) <= 0.1 ? 'yes (within 10 %)' : 'no'
    } |`,
  );
  return out.join('\n');
}

const COLORS: Record<string, string> = {
  'edge-lru': '#d9480f',
  'lru-cache': '#1971c2',
  none: '#5c940d',
  [TWO_WORKERS]: '#f59f00',
};

/** Two panels: throughput and RSS against distinct users seen, a line per backend (its median run). */
function chart(series: { backend: string; points: Point[] }[]): string {
  const W = 900;
  const H = 360;
  const panel = (x0: number, title: string, value: (p: Point) => number, unit: string) => {
    const pw = 380;
    const ph = 250;
    const top = 50;
    const all = series.flatMap((s) => s.points);
    const maxX = Math.max(1, ...all.map((p) => p.users));
    const maxY = Math.max(1, ...all.map(value)) * 1.1;
    const sx = (x: number) => x0 + (x / maxX) * pw;
    const sy = (y: number) => top + ph - (y / maxY) * ph;
    const parts = [
      `<text x="${x0 + pw / 2}" y="30" text-anchor="middle" font-weight="bold">${title}</text>`,
      `<line x1="${x0}" y1="${top + ph}" x2="${x0 + pw}" y2="${top + ph}" stroke="#333"/>`,
      `<line x1="${x0}" y1="${top}" x2="${x0}" y2="${top + ph}" stroke="#333"/>`,
      `<text x="${x0 + pw / 2}" y="${top + ph + 36}" text-anchor="middle">distinct users seen</text>`,
    ];
    for (let i = 0; i <= 4; i++) {
      const xv = (maxX * i) / 4;
      const yv = (maxY * i) / 4;
      parts.push(
        `<text x="${sx(xv)}" y="${top + ph + 16}" text-anchor="middle" font-size="11">${fmt(xv)}</text>`,
        `<text x="${x0 - 6}" y="${sy(yv) + 4}" text-anchor="end" font-size="11">${fmt(yv)}</text>`,
        `<line x1="${x0}" y1="${sy(yv)}" x2="${x0 + pw}" y2="${sy(yv)}" stroke="#eee"/>`,
      );
    }
    parts.push(
      `<text x="${x0 - 44}" y="${top + ph / 2}" text-anchor="middle" transform="rotate(-90 ${x0 - 44} ${
        top + ph / 2
      })">${unit}</text>`,
    );
    for (const s of series) {
      const pts = s.points.map((p) => `${sx(p.users).toFixed(1)},${sy(value(p)).toFixed(1)}`).join(' ');
      parts.push(
        `<polyline fill="none" stroke="${COLORS[s.backend] ?? '#000'}" stroke-width="2" points="${pts}"/>`,
      );
    }
    return parts.join('\n');
  };
  const legend = series.map((s, i) =>
    `<rect x="${70 + i * 160}" y="${H - 14}" width="14" height="4" fill="${COLORS[s.backend] ?? '#000'}"/>` +
    `<text x="${90 + i * 160}" y="${H - 8}" font-size="12">${s.backend}</text>`
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    panel(70, 'Throughput (requests/s, 1 s samples)', (p) => p.rps, 'requests/s'),
    panel(510, 'Gateway RSS (MiB)', (p) => p.rssMiB, 'MiB'),
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- logins at the real cost

const LOGIN_USER = 'login-bench';
const LOGIN_PASSWORD = 'login-bench-password';

/**
 * Logins with the production KDF (scrypt N=2^17, r=8, p=1): a flood of POST /api/login from
 * CONNECTIONS clients against one edge-lru gateway with the default --kdf-concurrency. What is
 * measured is scrypt under the semaphore: logins per second, latency, the logins refused with
 * 503 when the KDF queue is full, and the RSS it holds. Returns the report's section.
 */
async function loginRun(url: string, root: string, data: string, secret: string): Promise<string> {
  const store = new MysqlStore(url);
  await store.addUser({
    name: LOGIN_USER,
    passwordHash: await hashPassword(LOGIN_PASSWORD, OWASP_SCRYPT),
    admin: false,
  });
  await store.close();
  const gw = await startGateway(
    { name: 'edge-lru', backend: 'edge-lru', workers: 1 },
    url,
    root,
    data,
    secret,
  );
  const seconds = smoke ? 3 : 20;
  const statuses = new Map<number, number>();
  const times: number[] = [];
  let peakRss = 0;
  let peakKdf = 0;
  const failures: string[] = [];
  const stopSampler = sampleMetrics(gw.url, 250, failures, (m) => {
    peakRss = Math.max(peakRss, m.get('process_resident_memory_bytes') ?? 0);
    peakKdf = Math.max(peakKdf, m.get('gateway_kdf_in_flight') ?? 0);
  });
  try {
    const instance = autocannon({
      url: gw.url,
      connections: CONNECTIONS,
      duration: seconds,
      timeout: 30,
      requests: [{
        method: 'POST',
        path: '/api/login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: LOGIN_USER, password: LOGIN_PASSWORD }),
      }],
    }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
    instance.on('response', (_client: autocannon.Client, status: number, _bytes: number, ms: number) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 200) times.push(ms);
    });
    const result = await instance;
    if (result.errors > 0) failures.push(`logins: ${result.errors} connection errors`);
    if (result.timeouts > 0) failures.push(`logins: ${result.timeouts} timeouts`);
  } finally {
    stopSampler();
    await gw.stop();
  }
  const ok = statuses.get(200) ?? 0;
  const refused = statuses.get(503) ?? 0;
  for (const [status, n] of statuses) {
    if (status !== 200 && status !== 503) failures.push(`logins: ${n} answers with HTTP ${status}`);
  }
  if (ok === 0) failures.push('logins: none succeeded');
  loginFailures.push(...failures);
  times.sort((a, b) => a - b);
  return [
    `Logins at the production cost (scrypt N=2^17, r=8, p=1; --kdf-concurrency 2, its queue 64), ${CONNECTIONS} ` +
    `clients posting /api/login for ${seconds} s to one edge-lru gateway:`,
    '',
    '| logins/s | p50 / p99 (ms) | refused with 503 (KDF queue full) | KDF runs at once, peak | RSS peak (MiB) |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${fmt(ok / seconds, 1)} | ${fmt(percentile(times, 0.5), 0)} / ${fmt(percentile(times, 0.99), 0)} | ${
      fmt(refused)
    } | ${fmt(peakKdf)} | ${fmt(peakRss / 2 ** 20)} |`,
  ].join('\n');
}
const loginFailures: string[] = [];

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'gateway-load-'));
  const db = join(work, 'mariadb');
  const gateways: Gateway[] = [];
  try {
    const url = startMariadb(db);
    log(`MariaDB at ${url}`);
    const seconds = await seed(url, POPULATION);
    log(`seeded ${fmt(POPULATION)} users with ${rulesOf(0).length} rules each in ${fmt(seconds, 1)} s`);
    const root = join(work, 'files');
    tree(root, DIR_SIZES);
    const secret = randomBytes(32).toString('base64');
    const signer = new TokenSigner(Buffer.from(secret, 'utf8'), 24 * 3600);
    const tokens = Array.from({ length: POPULATION }, (_, i) => signer.sign(userName(i), false).token);
    const pick = zipfSampler(POPULATION, ZIPF, prng(POPULATION));
    const results = new Map<string, RunResult[]>(CONFIGS.map((c) => [c.name, []]));
    const failures: string[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      // Interleaved: each repetition runs every backend once, in a rotated order.
      const order = CONFIGS.map((_, i) => CONFIGS[(i + rep) % CONFIGS.length]!);
      for (const config of order) {
        const backend = config.name;
        const gw = await startGateway(
          config,
          url,
          root,
          join(work, `data-${CONFIGS.indexOf(config)}`),
          secret,
        );
        gateways.push(gw);
        const r = await run(backend, gw, tokens, pick);
        await gw.stop();
        results.get(backend)!.push(r);
        failures.push(...r.failures.map((f) => `${backend} rep ${rep + 1}: ${f}`));
        log(
          `rep ${rep + 1}/${REPS} ${backend}: ${fmt(r.rps)} req/s, ${
            fmt(r.queriesPerRequest, 3)
          } queries/request, ` +
            `hit rate ${fmt(r.hitRate * 100, 1)} %, ${fmt(r.usersCached)} users cached, RSS ${
              fmt(r.rssEndMiB)
            } MiB` +
            (r.failures.length ? `, FAILURES: ${r.failures.join('; ')}` : ''),
        );
      }
    }
    const summaries = CONFIGS.map((c) => summarize(c.name, results.get(c.name)!));
    const medianRun = (b: string) => {
      const runs = [...results.get(b)!].sort((x, y) => x.rps - y.rps);
      return runs[runs.length >> 1]!;
    };
    const svg = chart(CONFIGS.map((c) => ({ backend: c.name, points: medianRun(c.name).points })));
    const logins = await loginRun(url, root, join(work, 'data-login'), secret);
    const setup = [
      `${fmt(POPULATION)} users (Zipf s=${ZIPF}), ${rulesOf(0).length} rules each, seeded in ${
        fmt(seconds, 1)
      } s; ` +
      `session tokens signed with the server key (no password hashing on the request path; the stored hash is one ` +
      `cheap scrypt hash, N=16).`,
      `Budget per backend: --max-users ${fmt(MAX_USERS)} --max-bytes ${fmt(MAX_BYTES)} (${
        fmt(MAX_BYTES / 2 ** 20, 1)
      } MiB).`,
      `Mix: ${
        MIX.map((m) => `${m.op} ${fmt((100 * m.weight) / MIX.reduce((n, x) => n + x.weight, 0))} %`).join(
          ', ',
        )
      } (directories of ${DIR_SIZES.join(', ')} entries; ` +
      `retrieves of 1 KiB files; stores of ~20 bytes).`,
      `Listings: ${
        MIX_KIND === 'names'
          ? 'names only (NLST, ?format=names: the names and types of the directory read, no stat per entry)'
          : 'full (LIST: a stat per entry)'
      }, ${
        TREE === 'memo'
          ? 'each directory read from disk once, then kept (bench/listing-memo.ts), so the permission path is measured'
          : 'read from disk on every request, as in production'
      }.`,
      "Loads / request counts every load of a user's rules from the store; reloads are those of users already seen " +
      'in the run (the loads minus the first visits of the measured phase, which load with any cache). The share of ' +
      'time is the time requests spent in permission checks (lookups, and store loads on a miss) over the request ' +
      'time measured in the gateway (gateway_permission_check_seconds_total over gateway_request_duration_seconds_sum).',
      `${CONNECTIONS} connections, ${WARMUP} s of warm-up (not counted; ${
        Math.min(WARMUP, 5)
      } s with no cache) then ${DURATION} s measured per run, ${REPS} interleaved repetitions, medians; ` +
      `Node ${process.version}, ${cpus().length} CPUs, load average at the end ${
        loadavg().map((x) => x.toFixed(2)).join(' ')
      }.`,
    ];
    const report = [
      MIX_KIND === 'names' ? '# Gateway under load: names-only listings' : '# Gateway under load',
      '',
      ...setup.map((s) => `- ${s}`),
      '',
      table(summaries),
      '',
      targets(summaries),
      '',
      logins,
      '',
      `![throughput and RSS against distinct users seen](${BASE}.svg)`,
      '',
    ].join('\n');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, `${BASE}.md`), report);
    writeFileSync(join(OUT, `${BASE}.svg`), svg);
    writeFileSync(
      join(OUT, `${BASE}.json`),
      JSON.stringify({ setup, summaries, results: Object.fromEntries(results) }, null, 1),
    );
    console.log(report);
    log(`wrote ${join(OUT, `${BASE}.md`)}, ${BASE}.svg and ${BASE}.json`);
    failures.push(...loginFailures);
    if (failures.length > 0) {
      console.error(`[load] FAILED: ${failures.length} problems\n  ${failures.slice(0, 20).join('\n  ')}`);
      return 1;
    }
    const ran = [...results.values()].reduce((n, rs) => n + rs.length, 0);
    const requests = [...results.values()].flat().reduce((n, r) => n + r.requests, 0);
    if (ran === 0 || requests === 0) {
      console.error('[load] FAILED: no request was made');
      return 1;
    }
    log(`${ran} runs, ${fmt(requests)} requests, all answered 2xx`);
    return 0;
  } finally {
    for (const gw of gateways) if (gw.child.exitCode === null) await gw.stop();
    try {
      stopMariadb(db);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

process.exitCode = await main();
