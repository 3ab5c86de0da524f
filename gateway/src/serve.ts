// Serving the app: @hono/node-server on Node (optionally N node:cluster workers, each
// with its own caches, metrics summed by the primary), Deno.serve on Deno (one process
// per instance).

import cluster from 'node:cluster';
import { AggregatorRegistry, collectDefaultMetrics } from 'prom-client';
import type { Hono } from 'hono';
import { removeUploadsOf } from './files.ts';
import type { Metrics } from './metrics.ts';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

interface DenoServer {
  addr: { port: number; hostname: string };
  shutdown(): Promise<void>;
}
interface DenoLike {
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): DenoServer;
}

export const deno = (globalThis as { Deno?: DenoLike }).Deno;

export interface ServeOptions {
  host: string;
  port: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** Node only: how long an idle keep-alive connection stays open (Node's default: 5000). */
  keepAliveTimeoutMs?: number;
}

// deno-lint-ignore no-explicit-any
type AnyApp = Hono<any>;

export async function listen(app: AnyApp, options: ServeOptions): Promise<Listening> {
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  if (deno) {
    let resolveListen: (port: number) => void = () => {};
    const ready = new Promise<number>((resolve) => (resolveListen = resolve));
    const server = deno.serve(
      { port: options.port, hostname: options.host, onListen: ({ port }) => resolveListen(port) },
      app.fetch,
    );
    const port = await ready;
    return { url: `http://${host}:${port}`, close: () => server.shutdown() };
  }
  const { serve } = await import('@hono/node-server');
  return await new Promise((resolve) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: options.port,
        hostname: options.host,
        serverOptions: {
          requestTimeout: options.requestTimeoutMs,
          headersTimeout: options.headersTimeoutMs,
          keepAliveTimeout: options.keepAliveTimeoutMs ?? 5000,
          maxHeaderSize: 16 * 1024,
          connectionsCheckingInterval: Math.min(
            30_000,
            Math.max(100, Math.floor(options.headersTimeoutMs / 4)),
          ),
        },
      },
      (info) => {
        resolve({
          url: `http://${host}:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      },
    );
  });
}

/** Default process metrics where the host supports them (Node; on Deno they throw). */
export function processMetrics(metrics: Metrics): void {
  if (deno) return;
  collectDefaultMetrics({ register: metrics.registry });
}

interface MetricsRequest {
  type: 'gateway:metrics';
  id: number;
}
interface MetricsReply {
  type: 'gateway:metrics-reply';
  id: number;
  text: string;
  contentType: string;
}

export interface PrimaryOptions {
  /** The served tree: the temporary uploads of a worker that died are removed from it. */
  root: string;
  /** Restarts allowed within `restartWindowMs` before the primary gives up (default 5). */
  maxRestarts?: number;
  restartWindowMs?: number;
  log?: (entry: Record<string, unknown>) => void;
}

/**
 * In the primary: forks `workers` processes and answers their requests for the summed
 * metrics of all workers (a worker receives /metrics and asks the primary over IPC). A worker
 * that dies is replaced after a backoff (100 ms, doubling with each restart in the window, at
 * most 5 s), once its temporary uploads are removed; the other workers go on serving. Past
 * `maxRestarts` within `restartWindowMs` the primary stops every worker and exits with 1.
 */
export function runPrimary(workers: number, onExit: (code: number) => void, options: PrimaryOptions): void {
  const aggregator = new AggregatorRegistry();
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.restartWindowMs ?? 60_000;
  const log = options.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const restarts: number[] = [];
  let alive = 0;
  let stopping = false;
  let exitCode = 0;

  const fork = (id: number) => {
    const worker = cluster.fork({ GATEWAY_WORKER_ID: String(id) });
    alive++;
    const pid = worker.process.pid;
    log({ msg: 'worker started', worker: `worker-${id}`, pid });
    worker.on('message', async (message: MetricsRequest) => {
      if (message?.type !== 'gateway:metrics') return;
      let text = '';
      try {
        text = await aggregator.clusterMetrics();
      } catch (error) {
        text = `# metrics aggregation failed: ${String((error as Error).message)}\n`;
      }
      const reply: MetricsReply = {
        type: 'gateway:metrics-reply',
        id: message.id,
        text,
        contentType: aggregator.contentType,
      };
      worker.send(reply);
    });
    worker.on('exit', (code, signal) => {
      alive--;
      if (stopping) {
        if (alive === 0) onExit(exitCode);
        return;
      }
      const now = Date.now();
      while (restarts.length > 0 && restarts[0]! <= now - windowMs) restarts.shift();
      log({ msg: 'worker exited', worker: `worker-${id}`, pid, code, signal });
      if (restarts.length >= maxRestarts) {
        log({ msg: 'workers keep dying: stopping', restarts: restarts.length, windowMs });
        exitCode = 1;
        stop();
        if (alive === 0) onExit(exitCode);
        return;
      }
      restarts.push(now);
      const delay = Math.min(5000, 100 * 2 ** (restarts.length - 1));
      const cleaned = pid === undefined ? Promise.resolve(0) : removeUploadsOf(options.root, pid);
      cleaned.then((removed) => {
        if (removed > 0) log({ msg: 'removed temporary uploads', worker: `worker-${id}`, pid, removed });
      }).finally(() =>
        setTimeout(() => {
          if (!stopping) fork(id);
          else if (alive === 0) onExit(exitCode);
        }, delay)
      );
    });
  };
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
  };
  for (let i = 0; i < workers; i++) fork(i + 1);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** In a worker: asks the primary for every worker's metrics. */
export function clusterMetricsClient(metrics: Metrics): () => Promise<{ contentType: string; text: string }> {
  // Constructing one is what makes prom-client answer the primary's requests in a worker.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([metrics.registry]);
  let next = 0;
  const pending = new Map<number, (reply: MetricsReply) => void>();
  process.on('message', (message: MetricsReply) => {
    if (message?.type !== 'gateway:metrics-reply') return;
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('metrics aggregation timed out'));
      }, 5000);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve({ contentType: reply.contentType, text: reply.text });
      });
      const request: MetricsRequest = { type: 'gateway:metrics', id };
      process.send?.(request);
    });
}

export const isClusterWorker = !deno && cluster.isWorker;
