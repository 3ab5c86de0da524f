// Wires a gateway from its configuration: the store, the file tree, the permission cache
// (loading from the store, counted in metrics) and the credential cache.

import { LRUCache } from 'edge-lru/permissions';
import { type AccessLogEntry, type CachedCredential, createGateway } from './app.ts';
import { LocalFileTree } from './files.ts';
import { type ScryptParams, Semaphore } from './passwords.ts';
import { EdgePermissions, type Permissions, type RuleLoader } from './permissions.ts';
import { RateLimiter } from './ratelimit.ts';
import { staticFiles } from './static.ts';
import type { Store } from './store/types.ts';
import { TokenSigner } from './tokens.ts';

export interface GatewayConfig {
  store: Store;
  /** The served tree's root directory. */
  root: string;
  /** At least 32 bytes; the same on every worker and host that must accept the same sessions. */
  key: Buffer;
  maxUsers?: number;
  maxBytes?: number;
  credentialTtlMs?: number;
  credentialMax?: number;
  sessionTtlSeconds?: number;
  kdfConcurrency?: number;
  kdfQueue?: number;
  /** The parameters of new hashes (default OWASP's); refused logins cost as much. */
  scrypt?: ScryptParams;
  secureCookies?: boolean;
  maxUploadBytes?: number;
  wwwDir?: string;
  vendorDir?: string;
  log?: (entry: AccessLogEntry) => void;
  worker?: string;
  clusterMetrics?: () => Promise<{ contentType: string; text: string }>;
  /** Replaces the edge-lru permission cache (for benchmarks). */
  permissions?: (load: RuleLoader) => Permissions;
  /** Requests a second per user, and the burst (default twice the rate); none when absent or 0. */
  rateLimit?: { perSecond: number; burst?: number };
  /** The longest an upload's body may take, in ms. */
  uploadTimeoutMs?: number;
}

export async function buildGateway(config: GatewayConfig) {
  const files = await LocalFileTree.open(config.root);
  // The loader is bound late so that its queries are counted in this gateway's metrics.
  let load: RuleLoader = (user) => config.store.getRules(user);
  const rules: RuleLoader = (user) => load(user);
  const permissions = config.permissions?.(rules) ??
    new EdgePermissions({
      maxUsers: config.maxUsers ?? 10_000,
      ...(config.maxBytes === undefined ? {} : { maxBytes: config.maxBytes }),
      load: rules,
    });
  const credentials = new LRUCache<string, CachedCredential>({
    max: config.credentialMax ?? 10_000,
    ttl: config.credentialTtlMs ?? 60_000,
  });
  const signer = new TokenSigner(config.key, config.sessionTtlSeconds ?? 12 * 3600);
  const kdf = new Semaphore(config.kdfConcurrency ?? 2, config.kdfQueue ?? 64);
  const rateLimit = config.rateLimit && config.rateLimit.perSecond > 0
    ? new RateLimiter(config.rateLimit)
    : undefined;
  const { app, metrics, close } = createGateway({
    store: config.store,
    files,
    permissions,
    credentials,
    signer,
    kdf,
    ...(config.scrypt ? { scrypt: config.scrypt } : {}),
    ...(config.secureCookies === undefined ? {} : { secureCookies: config.secureCookies }),
    ...(config.log ? { log: config.log } : {}),
    ...(config.wwwDir ? { www: staticFiles(config.wwwDir, config.vendorDir) } : {}),
    ...(config.maxUploadBytes === undefined ? {} : { maxUploadBytes: config.maxUploadBytes }),
    ...(config.worker ? { worker: config.worker } : {}),
    ...(config.clusterMetrics ? { clusterMetrics: config.clusterMetrics } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    ...(config.uploadTimeoutMs === undefined ? {} : { uploadTimeoutMs: config.uploadTimeoutMs }),
  });
  load = (user) => metrics.timeQuery('rules', () => config.store.getRules(user));
  return {
    app,
    metrics,
    permissions,
    credentials,
    signer,
    files,
    close() {
      close();
      permissions.close();
      credentials.free();
      rateLimit?.free();
    },
  };
}

export type Gateway = Awaited<ReturnType<typeof buildGateway>>;
