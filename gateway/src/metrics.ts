// Prometheus metrics (prom-client), one registry per gateway so that tests and several
// gateways in one process stay apart. Cache counters are read from the caches at scrape
// time; under node:cluster the primary sums every worker's registry.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Permissions } from './permissions.ts';

export interface CacheCounters {
  hits: number;
  misses: number;
  size: number;
}

export class Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'op' | 'status'>;
  readonly requestSeconds: Histogram<'op'>;
  readonly permissionCheckSeconds: Counter<'op'>;
  readonly storeQueries: Counter<'query'>;
  readonly storeSeconds: Histogram<'query'>;
  readonly kdfInFlight: Gauge;
  readonly kdfRefused: Counter;
  readonly kdfRuns: Counter<'n'>;
  readonly logins: Counter<'result'>;

  constructor(
    sources: { permissions: Permissions; credentials: () => CacheCounters; kdfWaiting: () => number },
  ) {
    const registry = new Registry();
    this.registry = registry;
    const registers = [registry];
    this.requests = new Counter({
      name: 'gateway_requests_total',
      help: 'HTTP requests by operation and status',
      labelNames: ['op', 'status'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'gateway_request_duration_seconds',
      help: 'HTTP request latency by operation',
      labelNames: ['op'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.permissionCheckSeconds = new Counter({
      name: 'gateway_permission_check_seconds_total',
      help: 'Time requests spent in permission checks (store loads on a miss included), by operation',
      labelNames: ['op'],
      registers,
    });
    this.storeQueries = new Counter({
      name: 'gateway_store_queries_total',
      help: 'Queries sent to the store, by query',
      labelNames: ['query'],
      registers,
    });
    this.storeSeconds = new Histogram({
      name: 'gateway_store_query_duration_seconds',
      help: 'Store query latency, by query',
      labelNames: ['query'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    });
    this.kdfInFlight = new Gauge({
      name: 'gateway_kdf_in_flight',
      help: 'scrypt runs in progress',
      registers,
    });
    new Gauge({
      name: 'gateway_kdf_waiting',
      help: 'scrypt runs waiting for a permit',
      registers,
      collect() {
        this.set(sources.kdfWaiting());
      },
    });
    this.kdfRefused = new Counter({
      name: 'gateway_kdf_refused_total',
      help: 'Logins refused with 503 because the KDF queue was full',
      registers,
    });
    this.kdfRuns = new Counter({
      name: 'gateway_kdf_runs_total',
      help:
        'scrypt verifications, by the cost N of the hash verified (refusals verify a dummy of the configured cost)',
      labelNames: ['n'],
      registers,
    });
    this.logins = new Counter({
      name: 'gateway_logins_total',
      help: 'Password verifications (login or uncached Basic), by result',
      labelNames: ['result'],
      registers,
    });

    const counter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    const perms = () => sources.permissions.stats();
    counter(
      'gateway_permission_cache_hits_total',
      'Permission checks answered from the cache',
      () => perms().hits,
    );
    counter(
      'gateway_permission_cache_misses_total',
      'Permission checks of users not cached',
      () => perms().misses,
    );
    counter(
      'gateway_permission_cache_loads_total',
      "Loads of a user's rules from the store",
      () => perms().loads,
    );
    counter(
      'gateway_permission_cache_evictions_total',
      'Users evicted to make room',
      () => perms().evictions,
    );
    gauge('gateway_permission_cache_users', 'Users whose rules are cached', () => perms().users);
    gauge('gateway_permission_cache_bytes', "Bytes of the cached users' compiled rules", () => perms().bytes);
    counter(
      'gateway_credential_cache_hits_total',
      'Basic credentials found verified in the cache',
      () => sources.credentials().hits,
    );
    counter(
      'gateway_credential_cache_misses_total',
      'Basic credentials that needed the KDF',
      () => sources.credentials().misses,
    );
    gauge(
      'gateway_credential_cache_entries',
      'Verified credentials cached',
      () => sources.credentials().size,
    );
  }

  /** Times one store query under `query`. */
  async timeQuery<T>(query: string, fn: () => Promise<T>): Promise<T> {
    this.storeQueries.inc({ query });
    const end = this.storeSeconds.startTimer({ query });
    try {
      return await fn();
    } finally {
      end();
    }
  }
}
