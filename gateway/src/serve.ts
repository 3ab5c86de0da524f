// Serving the app: @hono/node-server on Node (optionally N node:cluster workers, each
// with its own caches, metrics summed by the primary), Deno.serve on Deno (one process
// per instance).

import cluster from 'node:cluster';
import { AggregatorRegistry, collectDefaultMetrics } from 'prom-client';
import type { Hono } from 'hono';
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

/**
 * In the primary: forks `workers` processes and answers their requests for the summed
 * metrics of all workers (a worker receives /metrics and asks the primary over IPC).
 */
export function runPrimary(workers: number, onExit: (code: number) => void): void {
  const aggregator = new AggregatorRegistry();
  let alive = 0;
  for (let i = 0; i < workers; i++) {
    const worker = cluster.fork({ GATEWAY_WORKER_ID: String(i + 1) });
    alive++;
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
  }
  let stopping = false;
  cluster.on('exit', (_worker, code) => {
    alive--;
    if (!stopping) {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    }
    if (alive === 0) onExit(code ?? 1);
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
  };
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
