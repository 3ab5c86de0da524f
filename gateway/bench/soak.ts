// The gateway under steady load while faults recur, then an integrity check: a private MariaDB
// with a seeded user population behind a TCP proxy (test/helpers.ts's storeProxy), one gateway
// with --workers 2, and client loops sending listings, retrieves and uploads (each upload to
// its own path with its own content, recorded in test/integrity.ts's Ledger). On a schedule,
// rotating: one cluster worker killed with SIGKILL, the store cut off then restored, the store
// delayed beyond the gateway's query timeout then sped up again. Writes soak.{md,json} in
// gateway/bench-results/.
//
//   node bench/soak.ts [--smoke] [--minutes M] [--users N] [--max-users N] [--connections C]
//
// Fails (exit 1) on: a 5xx other than 503, a 503 away from a store fault, any other refusal,
// a wrong listing or file, a connection error away from a worker kill; an acknowledged upload
// missing or different, a refused one present, a temporary upload file left; a fault the
// gateway did not recover from (a request that needs the store answered 200, both workers up)
// within RECOVERY_S; the RSS after the last fault more than RSS_MARGIN above the RSS after the
// first round of faults (a leak check: the margin is generous, timing plays no part).

import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TokenSigner } from '../src/tokens.ts';
import { prng, zipfSampler } from '../../js/bench/harness.mjs';
import { Ledger, type Outcome } from '../test/integrity.ts';
import { storeProxy } from '../test/helpers.ts';
import {
  file,
  fmt,
  type Gateway,
  MAIN,
  positiveOption,
  sampleMetrics,
  scrape,
  seed,
  startGateway,
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
    minutes: { type: 'string' },
    users: { type: 'string' },
    'max-users': { type: 'string' },
    connections: { type: 'string' },
    out: { type: 'string' },
  },
});
if (args.help) {
  console.log(`usage: node bench/soak.ts [options]
  --smoke            about 35 s: a short warm-up, two rounds of the three faults, the same assertions
  --minutes M        minutes of load, warm-up included (default 10)
  --users N          user population the load draws from, Zipf-skewed (default 3,000)
  --max-users N      --max-users of the gateway, per worker (default a third of the population, so that
                     cache misses keep reaching the store)
  --connections C    client loops, one request in flight each (default 16; 8 with --smoke)
  --out DIR          where soak.md and soak.json go (default gateway/bench-results)`);
  process.exit(0);
}
const smoke = args.smoke === true;
const num = (name: keyof typeof args & string, fallback: number) => positiveOption(args, name, fallback);
const MINUTES = num('minutes', 10);
const POPULATION = num('users', 3_000);
const MAX_USERS = num('max-users', Math.ceil(POPULATION / 3));
const CONNECTIONS = num('connections', smoke ? 8 : 16);
const OUT = resolve(args.out ?? join(here, '..', 'bench-results'));
/** Seconds of load before the first fault. */
const WARMUP_S = smoke ? 4 : 20;
/** Seconds of load in all (the last fault's recovery may run past it). */
const TOTAL_S = smoke ? 0 : MINUTES * 60;
/** Seconds between a fault's recovery and the next fault: a range, drawn each time. */
const GAP_S = smoke ? [1.5, 1.5] : [20, 30];
/** How long a cut lasts, and a delay. */
const CUT_S = smoke ? 2 : 5;
const DELAY_S = smoke ? 3 : 10;
/** Rounds of the three faults in a smoke run; a longer run goes on while they fit. */
const SMOKE_ROUNDS = 2;
/** The delay added to every packet: beyond the gateway's store query timeout (5 s). */
const DELAY_MS = 6_500;
/** Seconds after the last fault's recovery before the final RSS reading. */
const TAIL_S = smoke ? 3 : 10;
/** A fault not recovered from within this many seconds fails the run. */
const RECOVERY_S = 30;
/** A 503 is expected from a store fault's start until this many seconds after its restore. */
const GRACE_S = 20;
/**
 * The RSS after the last fault may exceed the RSS after the first round of faults by this share.
 * The baseline is taken after a round, not after warm-up: a store outage makes the workers open
 * connection after connection, and the RSS rises by a high-water mark the allocator keeps; a
 * leak shows as growth on top of it, round after round.
 */
const RSS_MARGIN = 0.5;
const REQUEST_TIMEOUT_MS = 30_000;
const PROBE_TIMEOUT_MS = 10_000;
/** Users never drawn by the load, each used once by a recovery probe: always a cache miss. */
const PROBES = smoke ? 500 : 5_000;

const DIR_SIZES = [10, 100, 1000] as const;
/** The request mix: weights out of 100. */
const MIX = [
  { op: 'list-10', weight: 25 },
  { op: 'list-100', weight: 20 },
  { op: 'list-1000', weight: 10 },
  { op: 'retrieve', weight: 30 },
  { op: 'upload', weight: 15 },
] as const;
type MixOp = typeof MIX[number]['op'];

const FAULTS = ['kill-worker', 'cut-store', 'delay-store'] as const;
type FaultKind = typeof FAULTS[number];

function log(message: string): void {
  console.error(`[soak] ${message}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The cluster workers of the gateway: the primary's children, from /proc. */
function workerPids(primary: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The fields after the command name, which may hold spaces and parentheses: state, ppid, ...
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === primary) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids.sort((x, y) => x - y);
}

interface Fault {
  kind: FaultKind;
  /** Seconds since the load started. */
  start: number;
  /** When the fault was lifted (the store restored, or the worker killed). */
  end: number;
  /** Seconds from `end` until the gateway answered a request that needs the store, both workers up. */
  recoveredAfter: number | null;
  detail: string;
}

interface RssPoint {
  t: number;
  /** The workers' RSS summed, from /metrics. */
  rssMiB: number;
  heapMiB: number;
  /** The same read from /proc for every process of the gateway, the primary included. */
  procMiB: number;
}

/** The resident set of `pid` in MiB, from /proc (0 when it is gone). */
function procRss(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** What the clients saw: answers by status, and the problems. */
class Tally {
  readonly statuses = new Map<number, number>();
  errors = 0;
  timeouts = 0;
  /** 503s, and those away from every store fault. */
  unavailable = 0;
  readonly problems: string[] = [];
  #problemCounts = new Map<string, number>();

  status(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  /** Records a problem; the same kind of problem is listed at most 5 times, then counted. */
  problem(kind: string, detail: string): void {
    const n = (this.#problemCounts.get(kind) ?? 0) + 1;
    this.#problemCounts.set(kind, n);
    if (n <= 5) this.problems.push(`${kind}: ${detail}`);
  }

  counted(): string[] {
    return [...this.#problemCounts].filter(([, n]) => n > 5).map(([k, n]) => `${k}: ${n} in all`);
  }

  byClass(): Record<string, number> {
    const out: Record<string, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '503': 0, 'other 5xx': 0 };
    for (const [status, n] of this.statuses) {
      const key = status === 503 ? '503' : status >= 500 ? 'other 5xx' : `${Math.floor(status / 100)}xx`;
      out[key] = (out[key] ?? 0) + n;
    }
    out['connection errors'] = this.errors;
    out['timeouts'] = this.timeouts;
    return out;
  }
}

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'gateway-soak-'));
  const db = join(work, 'mariadb');
  let gw: Gateway | undefined;
  let proxy: Awaited<ReturnType<typeof storeProxy>> | undefined;
  const began = performance.now();
  try {
    const direct = startMariadb(db);
    const seconds = await seed(direct, POPULATION + PROBES);
    log(`MariaDB at ${direct}; seeded ${fmt(POPULATION + PROBES)} users in ${fmt(seconds, 1)} s`);
    const target = new URL(direct);
    proxy = await storeProxy(Number(target.port));
    target.host = `127.0.0.1:${proxy.port}`;
    const root = join(work, 'files');
    tree(root, DIR_SIZES);
    const secret = randomBytes(32).toString('base64');
    const signer = new TokenSigner(Buffer.from(secret, 'utf8'), 24 * 3600);
    const tokens = Array.from(
      { length: POPULATION + PROBES },
      (_, i) => signer.sign(userName(i), false).token,
    );
    gw = await startGateway('soak', MAIN, [
      '--store',
      target.href,
      '--root',
      root,
      '--data-dir',
      join(work, 'data'),
      '--port',
      '0',
      '--workers',
      '2',
      '--max-users',
      String(MAX_USERS),
      '--quiet',
    ], secret);
    const gateway = gw;
    const primary = gateway.child.pid!;
    const gatewayUrl = gateway.url;
    for (const end = Date.now() + 20_000; workerPids(primary).length < 2 && Date.now() < end;) {
      await sleep(100);
    }
    log(`gateway at ${gatewayUrl}, workers ${workerPids(primary).join(', ')}`);

    const tally = new Tally();
    const ledger = new Ledger();
    const faults: Fault[] = [];
    const t0 = performance.now();
    const now = () => (performance.now() - t0) / 1000;
    /** A 503 at `t` is expected while a store fault is on or within GRACE_S of its restore. */
    const storeFaultAt = (t: number) =>
      faults.some((f) => f.kind !== 'kill-worker' && t >= f.start && t <= f.end + GRACE_S);
    /** Broken connections are expected from a kill until a little after the recovery. */
    const killAt = (t: number) =>
      faults.some((f) =>
        f.kind === 'kill-worker' && t >= f.start && t <= f.end + (f.recoveredAfter ?? RECOVERY_S) + 2
      );
    const pendingChecks: (() => void)[] = [];

    // ------------------------------------------------------------ the load
    const pick = zipfSampler(POPULATION, 1, prng(POPULATION));
    const cumulative: number[] = [];
    let acc = 0;
    for (const m of MIX) cumulative.push(acc += m.weight);
    let uploads = 0;
    let running = true;
    const retrieved = (i: number) => `file ${i} of 100\n`.padEnd(1024, '.');

    const one = async (): Promise<void> => {
      const user = pick();
      const r = Math.random() * acc;
      const op: MixOp = MIX[cumulative.findIndex((c) => r < c)]!.op;
      const headers: Record<string, string> = { authorization: `Bearer ${tokens[user]}` };
      let path: string;
      let body: Buffer | undefined;
      if (op === 'upload') {
        const seq = uploads++;
        path = `upload/soak-${seq}.bin`;
        body = Buffer.concat([
          Buffer.from(`upload ${seq} by ${userName(user)}\n`),
          randomBytes(randomInt(64, 4096)),
        ]);
        headers['content-type'] = 'application/octet-stream';
      } else if (op === 'retrieve') path = `pub/d100/${file(user % 100)}`;
      else path = `pub/d${op.slice(5)}/`;
      let outcome: Outcome;
      try {
        const res = await fetch(`${gatewayUrl}/files/${path}`, {
          method: body ? 'PUT' : 'GET',
          headers,
          ...(body ? { body: new Uint8Array(body) } : {}),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        const t = now();
        tally.status(res.status);
        outcome = res.ok ? 'ok' : 'refused';
        if (res.status === 503) {
          tally.unavailable++;
          // Judged once the fault it belongs to is known (its restore may still be ahead).
          pendingChecks.push(() => {
            if (!storeFaultAt(t)) tally.problem('503 away from a store fault', `${op} at ${fmt(t, 1)} s`);
          });
        } else if (res.status >= 500) tally.problem(`HTTP ${res.status}`, `${op} at ${fmt(t, 1)} s: ${text}`);
        else if (!res.ok) tally.problem(`HTTP ${res.status}`, `${op} at ${fmt(t, 1)} s: ${text}`);
        else if (op === 'retrieve' && text !== retrieved(user % 100)) {
          tally.problem('wrong file content', path);
        } else if (op.startsWith('list-')) {
          // Every entry is visible but the user's hidden file in d1000.
          const n = Number(op.slice(5));
          const entries = (JSON.parse(text) as { entries: unknown[] }).entries.length;
          if (entries !== (n === 1000 ? n - 1 : n)) {
            tally.problem('wrong listing', `${path}: ${entries} entries`);
          }
        }
      } catch (error) {
        const t = now();
        outcome = 'lost';
        const timeout = (error as Error).name === 'TimeoutError';
        if (timeout) tally.timeouts++;
        else tally.errors++;
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const what = timeout
          ? 'timeout'
          : `${(error as Error).message} ${cause?.code ?? cause?.message ?? ''}`;
        pendingChecks.push(() => {
          if (!killAt(t)) {
            tally.problem('no answer away from a worker kill', `${op} at ${fmt(t, 1)} s: ${what}`);
          }
        });
      }
      if (body) ledger.upload(path, body, undefined, outcome);
    };
    const loops = Array.from({ length: CONNECTIONS }, async () => {
      while (running) await one();
    });

    // ------------------------------------------------------------ RSS and recovery probes
    const rss: RssPoint[] = [];
    const scrapeFailures: string[] = [];
    const rssPoint = (s: Map<string, number>): RssPoint | undefined => {
      const bytes = s.get('process_resident_memory_bytes');
      if (bytes === undefined) return undefined;
      return {
        t: now(),
        rssMiB: bytes / 2 ** 20,
        heapMiB: (s.get('nodejs_heap_size_used_bytes') ?? 0) / 2 ** 20,
        procMiB: [primary, ...workerPids(primary)].reduce((sum, pid) => sum + procRss(pid), 0),
      };
    };
    const stopSampler = sampleMetrics(gatewayUrl, smoke ? 1000 : 3000, scrapeFailures, (s) => {
      const p = rssPoint(s);
      if (p) rss.push(p);
      else scrapeFailures.push(`metrics scrape at ${fmt(now(), 1)} s: no RSS`);
    });
    /** Readings of the RSS that /metrics could not give: each fails the run. */
    const rssMissing: string[] = [];
    /**
     * One reading of the RSS, retried for 10 s while /metrics cannot answer (a worker just died);
     * then NaN, and a failure.
     */
    const readRss = async (what: string): Promise<RssPoint> => {
      for (let i = 0;; i++) {
        const p = await scrape(gatewayUrl).then(rssPoint, () => undefined);
        if (p) return (rss.push(p), p);
        if (i >= 20) {
          rssMissing.push(`no RSS from /metrics ${what} (at ${fmt(now(), 1)} s)`);
          return { t: now(), rssMiB: NaN, heapMiB: NaN, procMiB: NaN };
        }
        await sleep(500);
      }
    };

    let probe = POPULATION;
    /** A request that needs the store: a user never seen (a cache miss), on its own connection. */
    const storeProbe = async (): Promise<number | 'no answer'> => {
      const user = probe < POPULATION + PROBES ? probe++ : POPULATION + randomInt(PROBES);
      try {
        const res = await fetch(`${gatewayUrl}/files/pub/d10/`, {
          headers: { authorization: `Bearer ${tokens[user]}`, connection: 'close' },
          // Well past the store's timeout: one probe may not take up the whole recovery window.
          signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        });
        await res.arrayBuffer();
        if (res.status >= 500 && res.status !== 503) {
          tally.problem(`probe HTTP ${res.status}`, `at ${fmt(now(), 1)} s`);
        }
        return res.status;
      } catch {
        return 'no answer';
      }
    };
    /**
     * Seconds from now until three probes in a row answer 200 and `ready` holds, or null with
     * what the probes got meanwhile.
     */
    const recovery = async (
      ready: () => boolean = () => true,
    ): Promise<{ after: number | null; seen: string }> => {
      const from = performance.now();
      const seen = new Map<string, number>();
      let ok = 0;
      while (performance.now() - from < RECOVERY_S * 1000) {
        const status = ready() ? await storeProbe() : 'a worker missing';
        seen.set(String(status), (seen.get(String(status)) ?? 0) + 1);
        if (status === 200) {
          if (++ok === 3) return { after: (performance.now() - from) / 1000, seen: '' };
        } else {
          ok = 0;
          await sleep(200);
        }
      }
      return { after: null, seen: [...seen].map(([k, n]) => `${k} ${n}x`).join(', ') };
    };

    // ------------------------------------------------------------ the faults
    await sleep(WARMUP_S * 1000);
    const warm = await readRss('after warm-up');
    log(
      `warmed up: ${fmt(warm.rssMiB)} MiB RSS (both workers), ${fmt(tally.statuses.get(200) ?? 0)} answers`,
    );
    let victim = 0;
    /** The RSS after the first round of faults, the leak check's baseline. */
    let round: RssPoint | undefined;
    for (let i = 0;; i++) {
      const kind = FAULTS[i % FAULTS.length]!;
      const hold = kind === 'cut-store' ? CUT_S : kind === 'delay-store' ? DELAY_S : 0;
      const gap = i === 0 ? 0 : GAP_S[0]! + Math.random() * (GAP_S[1]! - GAP_S[0]!);
      // The smoke run injects each fault twice; a longer run goes on while a fault and its
      // recovery fit in the time left, then runs out the time under load alone.
      if (
        smoke ? i >= SMOKE_ROUNDS * FAULTS.length : now() + gap + hold + RECOVERY_S / 2 + TAIL_S > TOTAL_S
      ) {
        if (!smoke) await sleep(Math.max(0, TOTAL_S - TAIL_S - now()) * 1000);
        break;
      }
      await sleep(gap * 1000);
      const start = now();
      let detail = '';
      let recoveredAfter: number | null;
      let seen: string;
      const fault: Fault = { kind, start, end: Infinity, recoveredAfter: null, detail };
      faults.push(fault);
      if (kind === 'kill-worker') {
        const pids = workerPids(primary);
        const pid = pids[victim++ % pids.length];
        if (pid === undefined) throw new Error('the gateway has no workers');
        process.kill(pid, 'SIGKILL');
        fault.end = now();
        detail = `pid ${pid} of ${pids.join(', ')}`;
        ({ after: recoveredAfter, seen } = await recovery(() => {
          const alive = workerPids(primary);
          return alive.length === 2 && !alive.includes(pid);
        }));
      } else {
        if (kind === 'cut-store') proxy.cut();
        else proxy.delay(DELAY_MS);
        await sleep(hold * 1000);
        if (kind === 'cut-store') proxy.restore();
        else proxy.delay(0);
        fault.end = now();
        detail = kind === 'cut-store' ? `${hold} s` : `${fmt(DELAY_MS)} ms per packet for ${hold} s`;
        ({ after: recoveredAfter, seen } = await recovery());
      }
      if (recoveredAfter === null) detail += `; probes: ${seen}`;
      Object.assign(fault, { recoveredAfter, detail });
      log(
        `${kind} at ${fmt(start, 1)} s (${detail}): ` +
          (recoveredAfter === null ? 'NOT RECOVERED' : `recovered ${fmt(recoveredAfter, 1)} s after`),
      );
      if (gateway.child.exitCode !== null) break;
      if (i === FAULTS.length - 1) {
        round = await readRss('after the first round of faults');
        log(`first round of faults done: ${fmt(round.rssMiB)} MiB RSS (both workers)`);
      }
    }
    await sleep(TAIL_S * 1000);
    const last = await readRss('after the last fault');
    running = false;
    await Promise.all(loops);
    stopSampler();
    const loadSeconds = now();
    const alive = gateway.child.exitCode === null;
    await gateway.stop();
    for (const check of pendingChecks) check();

    // ------------------------------------------------------------ checks
    const failures: string[] = [...tally.problems, ...tally.counted()];
    if (!alive) failures.push(`the gateway exited:\n${gateway.stderr()}`);
    for (const kind of FAULTS) {
      if (!faults.some((f) => f.kind === kind)) failures.push(`${kind}: never injected`);
    }
    for (const f of faults) {
      if (f.recoveredAfter === null) {
        failures.push(`${f.kind} at ${fmt(f.start, 1)} s: not recovered within ${RECOVERY_S} s`);
      }
    }
    const integrity = await ledger.check(root);
    failures.push(...integrity.slice(0, 20));
    if (integrity.length > 20) failures.push(`${integrity.length} integrity problems in all`);
    const acked = ledger.uploads.filter((u) => u.outcome === 'ok').length;
    const refused = ledger.uploads.filter((u) => u.outcome === 'refused').length;
    const lost = ledger.uploads.filter((u) => u.outcome === 'lost').length;
    if (acked === 0) failures.push('no upload succeeded');
    const peak = rss.reduce((p, x) => (x.rssMiB > p.rssMiB ? x : p), rss[0] ?? warm);
    const baseline = round ?? warm;
    const growth = (last.rssMiB - baseline.rssMiB) / baseline.rssMiB;
    const sinceWarm = (last.rssMiB - warm.rssMiB) / warm.rssMiB;
    failures.push(...rssMissing);
    if (round === undefined) failures.push('too short for a round of faults: no leak check');
    else if (growth > RSS_MARGIN) {
      failures.push(
        `RSS after the last fault ${fmt(last.rssMiB)} MiB, ${fmt(growth * 100)} % above ${
          fmt(round.rssMiB)
        } MiB after the first round of faults (at most ${RSS_MARGIN * 100} %)`,
      );
    }
    const signed = (x: number) => `${x >= 0 ? '+' : ''}${fmt(x * 100, 1)} %`;
    const requests = [...tally.statuses.values()].reduce((a, b) => a + b, 0) + tally.errors + tally.timeouts;

    // ------------------------------------------------------------ report
    const classes = tally.byClass();
    const counts = Object.fromEntries(FAULTS.map((k) => [k, faults.filter((f) => f.kind === k).length]));
    const everyN = Math.max(1, Math.ceil(rss.length / 12));
    const rssRows = rss.filter((_, i) => i % everyN === 0 || i === rss.length - 1);
    const setup = [
      `${
        fmt(loadSeconds)
      } s of load (${WARMUP_S} s of warm-up first), ${CONNECTIONS} client loops with one ` +
      `request in flight each, ${fmt(requests / loadSeconds)} requests/s on average; ${
        fmt(POPULATION)
      } users ` +
      `(Zipf s=1), session tokens; one gateway, --workers 2, --max-users ${
        fmt(MAX_USERS)
      } per worker, its store ` +
      `MariaDB behind a TCP proxy that cuts and delays.`,
      `Mix: ${
        MIX.map((m) => `${m.op} ${m.weight} %`).join(', ')
      }; every upload to its own path with its own ` +
      `content (64 B to 4 KiB), each checked against the tree at the end.`,
      `Faults in turn, ${GAP_S[0]}-${
        GAP_S[1]
      } s apart: a worker killed with SIGKILL; the store cut for ${CUT_S} s; ` +
      `every packet to and from the store delayed by ${
        fmt(DELAY_MS)
      } ms (beyond the 5 s query timeout) for ` +
      `${DELAY_S} s. Recovered: three requests in a row that need the store (users never seen) answered 200, ` +
      `both workers up.`,
      `Node ${process.version}, ${cpus().length} CPUs, load average at the end ${
        loadavg().map((x) => x.toFixed(2)).join(' ')
      }.`,
    ];
    const report = [
      '# Gateway soak',
      '',
      ...setup.map((s) => `- ${s}`),
      '',
      '| answers | count |',
      '| --- | ---: |',
      ...Object.entries(classes).map(([k, n]) => `| ${k} | ${fmt(n)} |`),
      '',
      '| fault | at (s) | lifted (s) | recovered after (s) | detail |',
      '| --- | ---: | ---: | ---: | --- |',
      ...faults.map((f) =>
        `| ${f.kind} | ${fmt(f.start, 1)} | ${fmt(f.end, 1)} | ${
          f.recoveredAfter === null ? 'not recovered' : fmt(f.recoveredAfter, 1)
        } | ${f.detail} |`
      ),
      '',
      `Faults injected: ${FAULTS.map((k) => `${k} ${counts[k]}`).join(', ')}.`,
      '',
      `Uploads: ${fmt(acked)} acknowledged, ${fmt(refused)} refused, ${
        fmt(lost)
      } without an answer; integrity: ${
        integrity.length === 0
          ? 'every acknowledged upload present with its content, no refused one present, no temporary file left'
          : `${integrity.length} problems`
      }.`,
      '',
      `RSS of both workers (from /metrics): ${fmt(rss[0]?.rssMiB ?? NaN)} MiB first, ${
        fmt(warm.rssMiB)
      } MiB after warm-up, ${fmt(round?.rssMiB ?? NaN)} MiB after the first round of faults, ${
        fmt(peak.rssMiB)
      } MiB peak (at ${fmt(peak.t)} s), ${fmt(last.rssMiB)} MiB after the last fault: ${
        signed(growth)
      } since the first round (at most +${RSS_MARGIN * 100} %), ${signed(sinceWarm)} since warm-up.`,
      '',
      '| t (s) | RSS, workers (MiB) | heap used, workers (MiB) | RSS, every process from /proc (MiB) |',
      '| ---: | ---: | ---: | ---: |',
      ...rssRows.map((p) => `| ${fmt(p.t)} | ${fmt(p.rssMiB)} | ${fmt(p.heapMiB)} | ${fmt(p.procMiB)} |`),
      '',
      failures.length === 0 ? 'Result: passed.' : `Result: FAILED (${failures.length} problems).`,
      '',
    ].join('\n');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'soak.md'), report);
    writeFileSync(
      join(OUT, 'soak.json'),
      JSON.stringify(
        {
          setup,
          loadSeconds,
          requests,
          answers: Object.fromEntries(tally.statuses),
          classes,
          faults,
          faultCounts: counts,
          uploads: { acked, refused, lost },
          integrity,
          rss: { warm, round, last, peak, growth, sinceWarm, samples: rss },
          scrapeFailures,
          failures,
        },
        null,
        1,
      ),
    );
    console.log(report);
    log(`wrote ${join(OUT, 'soak.md')} and soak.json in ${fmt((performance.now() - began) / 1000, 1)} s`);
    if (scrapeFailures.length > 0) {
      log(
        `${scrapeFailures.length} metrics scrapes failed (not counted): ${
          scrapeFailures.slice(0, 3).join('; ')
        }`,
      );
    }
    if (failures.length > 0) {
      console.error(`[soak] FAILED: ${failures.length} problems\n  ${failures.slice(0, 40).join('\n  ')}`);
      const stderr = gateway.stderr().trim();
      if (stderr !== '') console.error(`[soak] the gateway's stderr, its end:\n${stderr.slice(-4000)}`);
      return 1;
    }
    log(
      `${fmt(requests)} requests, ${faults.length} faults recovered from, ${
        fmt(acked)
      } acknowledged uploads intact`,
    );
    return 0;
  } finally {
    if (gw && gw.child.exitCode === null) await gw.stop();
    proxy?.close();
    try {
      stopMariadb(db);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

process.exitCode = await main();
