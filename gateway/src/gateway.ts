// Wires a gateway from its configuration: the store, the file tree, the permission cache
// (loading from the store, counted in metrics) and the credential cache.

import { LRUCache } from 'edge-lru/permissions';
import { type AccessLogEntry, type AccountState, type CachedCredential, createGateway } from './app.ts';
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
  /** How long a verified Basic credential stays cached, and the pause between polls of the revocations (ms). */
  credentialTtlMs?: number;
  credentialMax?: number;
  sessionTtlSeconds?: number;
  kdfConcurrency?: number;
  kdfQueue?: number;
  /** The parameters of new hashes (default OWASP's); refused logins cost as much. */
  scrypt?: ScryptParams;
  secureCookies?: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
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
  // Each rule load brings the user's account along (same query), for checking sessions.
  // Accounts are small: more of them are kept than rules, so that a user whose rules were
  // evicted still has an account, and reloads only on the rule cache's miss.
  const accounts = new LRUCache<string, AccountState>({
    max: Math.max(1024, 4 * (config.maxUsers ?? 10_000)),
  });
  // The query is bound late so that it is counted in this gateway's metrics, and the
  // revocations are the app's.
  let loadUser = (user: string) => config.store.loadUser(user);
  let generation = (_user: string) => 0;
  const rules: RuleLoader = async (user) => {
    // A revocation that arrives during the query may postdate what the query read: load again.
    for (;;) {
      const since = generation(user);
      const { account, rules } = await loadUser(user);
      if (generation(user) !== since) continue;
      accounts.set(user, { account });
      return rules;
    }
  };
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
  const { app, metrics, revocations, close, ...gateway } = createGateway({
    store: config.store,
    files,
    permissions,
    credentials,
    accounts,
    ...(config.credentialTtlMs === undefined ? {} : { revocationPollMs: config.credentialTtlMs }),
    signer,
    kdf,
    ...(config.scrypt ? { scrypt: config.scrypt } : {}),
    ...(config.secureCookies === undefined ? {} : { secureCookies: config.secureCookies }),
    ...(config.metricsToken === undefined ? {} : { metricsToken: config.metricsToken }),
    ...(config.log ? { log: config.log } : {}),
    ...(config.wwwDir ? { www: staticFiles(config.wwwDir, config.vendorDir) } : {}),
    ...(config.maxUploadBytes === undefined ? {} : { maxUploadBytes: config.maxUploadBytes }),
    ...(config.worker ? { worker: config.worker } : {}),
    ...(config.clusterMetrics ? { clusterMetrics: config.clusterMetrics } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    ...(config.uploadTimeoutMs === undefined ? {} : { uploadTimeoutMs: config.uploadTimeoutMs }),
  });
  loadUser = (user) => metrics.timeQuery('rules', () => config.store.loadUser(user));
  generation = gateway.generation;
  await revocations.start();
  return {
    app,
    metrics,
    revocations,
    permissions,
    credentials,
    signer,
    files,
    close() {
      close();
      permissions.close();
      credentials.free();
      accounts.free();
      rateLimit?.free();
    },
  };
}

export type Gateway = Awaited<ReturnType<typeof buildGateway>>;
