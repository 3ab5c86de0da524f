// The gateway as one Hono `fetch` app: a pure request handler with the store, the file
// tree, the permission cache and the credential cache injected. Node serves it with
// @hono/node-server, Deno with Deno.serve, and tests call `app.request()` without sockets.

import { Hono } from 'hono';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import type { LRUCache, Operation } from 'edge-lru/permissions';
import { timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { type Entry, FileError, type FileTree } from './files.ts';
import { htmlListing, LISTING_CSP } from './html.ts';
import { Metrics } from './metrics.ts';
import { contentTypeOf } from './mime.ts';
import { openApiDocument } from './openapi.ts';
import {
  dummyHash,
  OWASP_SCRYPT,
  parseHash,
  type ScryptParams,
  type Semaphore,
  verifyHash,
} from './passwords.ts';
import { parsePath, PathError, urlOf } from './paths.ts';
import type { Permissions } from './permissions.ts';
import type { RateLimiter } from './ratelimit.ts';
import { RevocationWatch } from './revocations.ts';
import { type Account, type Store, StoreUnavailableError } from './store/types.ts';
import type { Session, TokenSigner } from './tokens.ts';
import { type StaticFiles } from './static.ts';

export interface Identity {
  user: string;
  admin: boolean;
}

export interface AccessLogEntry {
  time: string;
  user: string | null;
  op: string;
  path: string | null;
  decision: 'allow' | 'deny' | null;
  status: number;
  bytes: number;
  ms: number;
}

export interface GatewayDeps {
  store: Store;
  files: FileTree;
  permissions: Permissions;
  /** Verified Basic credentials, keyed by `TokenSigner.credentialKey`; give it a `ttl`. */
  credentials: LRUCache<string, CachedCredential>;
  /**
   * Users' accounts as their latest rule load found them (the permission loader fills it); an
   * entry stands until its user's sessions are revoked or it is evicted.
   */
  accounts: LRUCache<string, AccountState>;
  /** How often the store is asked for other processes' revocations (default 60000 ms). */
  revocationPollMs?: number;
  signer: TokenSigner;
  kdf: Semaphore;
  /** The parameters of new hashes, which refused logins' dummy hash is made with (default OWASP's). */
  scrypt?: ScryptParams;
  log?: (entry: AccessLogEntry) => void;
  /** Static files served at `/` (the demo page). */
  www?: StaticFiles;
  /** Under node:cluster, the metrics of every worker; otherwise this gateway's. */
  clusterMetrics?: () => Promise<{ contentType: string; text: string }>;
  maxUploadBytes?: number;
  maxJsonBytes?: number;
  maxHeaderBytes?: number;
  secureCookies?: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  worker?: string;
  /** Per-user request limits, taken once a request's user is known (429 with Retry-After). */
  rateLimit?: RateLimiter;
  /** The longest an upload's body may take, in ms (the servers' own timeouts aside: Deno.serve has none). */
  uploadTimeoutMs?: number;
}

/** A verified Basic credential, valid while the user's record is unchanged since `generation`. */
export interface CachedCredential {
  identity: Identity;
  generation: number;
}

/** An account as loaded with the user's rules (`undefined`: no such user). */
export interface AccountState {
  account: Account | undefined;
}

export const COOKIE = 'gateway_session';
const FILES = '/files';
const REALM = 'Basic realm="edge-lru-gateway", charset="UTF-8"';
// Control characters are what the name may not hold.
// deno-lint-ignore no-control-regex
export const USER_NAME = /^[^\u0000-\u001f\u007f:]{1,255}$/u;

class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** A 401 with the Basic challenge. */
function unauthorized(message: string): HttpError {
  return new HttpError(401, message, { 'www-authenticate': REALM });
}

interface Vars {
  identity: Identity | undefined;
  op: string;
  path: string | null;
  decision: 'allow' | 'deny' | null;
  bytes: number;
  /** Milliseconds this request spent in permission checks (cache lookups, and store loads on a miss). */
  checkMs: number;
}

type Ctx = Context<{ Variables: Vars }>;

async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (body === null) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new HttpError(413, 'request body too large');
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

function etagOf(size: number, mtimeMs: number): string {
  return `"${size.toString(16)}-${Math.trunc(mtimeMs).toString(16)}"`;
}

/** A single `bytes=` range of a file of `size` bytes; null for no or an ignored header, 'unsatisfiable' past the end. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || (m[2] !== '' && Number(m[2]) < start)) return 'unsatisfiable';
  return { start, end };
}

export function createGateway(
  deps: GatewayDeps,
): {
  app: Hono<{ Variables: Vars }>;
  metrics: Metrics;
  revocations: RevocationWatch;
  generation: (user: string) => number;
  close: () => void;
} {
  const { store, files, permissions, credentials, accounts, signer, kdf } = deps;
  const metricsToken = deps.metricsToken === undefined
    ? undefined
    : Buffer.from(`Bearer ${deps.metricsToken}`);
  const maxUploadBytes = deps.maxUploadBytes ?? 1 << 30;
  const maxJsonBytes = deps.maxJsonBytes ?? 16 * 1024;
  const maxHeaderBytes = deps.maxHeaderBytes ?? 16 * 1024;
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const scrypt = deps.scrypt ?? OWASP_SCRYPT;
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: deps.secureCookies ?? false,
  } as const;
  // Bumped when a user's sessions are revoked, so that cached credentials stop verifying, and
  // the account and rules are reloaded before the user's next request is accepted: at once for
  // a change through this store, at the next poll of the revocations for other processes'.
  // `epoch` counts for every user (revocations that may have been missed).
  const generations = new Map<string, number>();
  let epoch = 0;
  const generation = (user: string) => epoch + (generations.get(user) ?? 0);
  const revoked = (user: string) => {
    generations.set(user, (generations.get(user) ?? 0) + 1);
    accounts.delete(user);
    permissions.logout(user);
  };
  const unsubscribe = store.onUserChange(revoked);
  let credentialHits = 0;
  let credentialMisses = 0;
  let kdfRunning = 0;
  const metrics = new Metrics({
    permissions,
    credentials: () => ({ hits: credentialHits, misses: credentialMisses, size: credentials.size }),
    kdfWaiting: () => kdf.waiting,
  });
  const revocations = new RevocationWatch({
    source: {
      revocationsAfter: (id, limit) =>
        metrics.timeQuery('revocations', () => store.revocationsAfter(id, limit)),
      lastRevocationId: () => metrics.timeQuery('revocations', () => store.lastRevocationId()),
    },
    intervalMs: deps.revocationPollMs ?? 60_000,
    revoked,
    missed: () => {
      epoch++;
      accounts.clear();
    },
  });

  const app = new Hono<{ Variables: Vars }>();

  /**
   * Checks a password against the store, under the KDF semaphore; the identity, or undefined.
   * Every refusal (malformed name, overlong password, unknown user, malformed stored hash)
   * verifies a dummy hash made with the parameters of new hashes, so that it costs as long as a
   * wrong password.
   */
  async function checkPassword(user: string, password: string): Promise<Identity | undefined> {
    const wellFormed = USER_NAME.test(user) && password.length <= 1024;
    const record = wellFormed ? await metrics.timeQuery('user', () => store.getUser(user)) : undefined;
    const stored = record === undefined ? undefined : parseHash(record.passwordHash);
    const hash = stored ?? parseHash(await dummyHash(scrypt))!;
    const result = await kdf.run(async () => {
      kdfRunning++;
      metrics.kdfInFlight.set(kdfRunning);
      metrics.kdfRuns.inc({ n: String(hash.params.N) });
      try {
        return await verifyHash(password.slice(0, 1024), hash);
      } finally {
        kdfRunning--;
        metrics.kdfInFlight.set(kdfRunning);
      }
    });
    if (result === undefined) {
      metrics.kdfRefused.inc();
      throw new HttpError(503, 'too many logins in progress; retry shortly', { 'retry-after': '1' });
    }
    const ok = record !== undefined && stored !== undefined && result.value;
    metrics.logins.inc({ result: ok ? 'ok' : 'refused' });
    return ok ? { user: record.name, admin: record.admin } : undefined;
  }

  /** A login: verify, then reload the user's rules into the permission cache. */
  async function login(user: string, password: string): Promise<Identity | undefined> {
    const identity = await checkPassword(user, password);
    if (identity) await permissions.login(identity.user);
    return identity;
  }

  async function basic(header: string): Promise<Identity> {
    let decoded: string;
    try {
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(header, 'base64'));
    } catch {
      throw unauthorized('malformed Basic credentials');
    }
    const colon = decoded.indexOf(':');
    if (colon < 0) throw unauthorized('malformed Basic credentials');
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const key = signer.credentialKey(user, password);
    const cached = credentials.get(key);
    if (cached && cached.generation === generation(user)) {
      credentialHits++;
      return cached.identity;
    }
    credentialMisses++;
    const since = generation(user);
    const identity = await login(user, password);
    if (!identity) {
      if (cached) credentials.delete(key);
      throw unauthorized('wrong user name or password');
    }
    credentials.set(key, { identity, generation: since });
    return identity;
  }

  /** The caller, from a bearer token, the session cookie or Basic credentials; throws 401. */
  async function authenticate(c: Ctx): Promise<Identity> {
    const header = c.req.header('authorization');
    let session: Session | undefined;
    if (header !== undefined) {
      const [scheme, value = ''] = header.split(/\s+/, 2) as [string, string?];
      if (/^basic$/i.test(scheme)) return await basic(value);
      if (!/^bearer$/i.test(scheme)) {
        throw unauthorized('unsupported authorization scheme');
      }
      session = signer.verify(value);
      if (!session) throw unauthorized('invalid or expired token');
    } else {
      const cookie = getCookie(c, COOKIE);
      if (cookie === undefined) {
        throw unauthorized('authentication required');
      }
      session = signer.verify(cookie);
      if (!session) throw unauthorized('invalid or expired session');
    }
    return await sessionIdentity(session);
  }

  /**
   * The identity a valid session stands for, checked against the user's account: refused when
   * the user is gone or the session was issued before (or as) the account last changed, with the
   * account's current admin flag. The account comes with the user's rules, so a user whose
   * account is cached costs no query; a revocation drops it, and the next session of its user
   * reloads it with the rules (one query).
   */
  async function sessionIdentity(session: Session): Promise<Identity> {
    let state = accounts.get(session.user);
    if (state === undefined) {
      await permissions.login(session.user);
      state = accounts.get(session.user);
    }
    const account = state?.account;
    if (account === undefined) throw unauthorized('the user of this session no longer exists');
    if (session.iat <= account.sessionsAfter) throw unauthorized('this session was revoked; log in again');
    return { user: session.user, admin: account.admin };
  }

  async function requireIdentity(c: Ctx): Promise<Identity> {
    const identity = await authenticate(c);
    c.set('identity', identity);
    const wait = deps.rateLimit?.take(identity.user) ?? 0;
    if (wait > 0) throw new HttpError(429, 'too many requests; slow down', { 'retry-after': String(wait) });
    return identity;
  }

  /** Runs one permission check (or checks made together) and adds its time to the request's. */
  async function timed<T>(c: Ctx, check: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await check();
    } finally {
      c.set('checkMs', c.get('checkMs') + performance.now() - started);
    }
  }

  async function authorize(c: Ctx, identity: Identity, path: string, op: Operation): Promise<void> {
    const ok = await timed(c, () => permissions.allows(identity.user, path, op));
    c.set('decision', ok ? 'allow' : 'deny');
    if (!ok) throw new HttpError(403, `${op} is not allowed here`);
  }

  function virtualPath(c: Ctx): { path: string; trailingSlash: boolean } {
    // The raw path of the URL, still percent-encoded: decoded exactly once, here.
    const raw = new URL(c.req.url).pathname.slice(FILES.length);
    const parsed = parsePath(raw);
    c.set('path', parsed.path);
    return parsed;
  }

  // Access log and request metrics, around everything.
  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('op', 'other');
    c.set('path', null);
    c.set('decision', null);
    c.set('bytes', 0);
    c.set('checkMs', 0);
    c.set('identity', undefined);
    let headerBytes = 0;
    c.req.raw.headers.forEach((value, name) => (headerBytes += name.length + value.length + 4));
    if (headerBytes > maxHeaderBytes) {
      // Node's server refuses these itself; Deno.serve does not, so the app does too.
      c.res = c.json({ error: 'request headers too large' }, 431);
    } else await next();
    const ms = performance.now() - started;
    const op = c.get('op');
    const status = c.res.status;
    metrics.requests.inc({ op, status: String(status) });
    metrics.requestSeconds.observe({ op }, ms / 1000);
    const checkMs = c.get('checkMs');
    if (checkMs > 0) metrics.permissionCheckSeconds.inc({ op }, checkMs / 1000);
    if (op === 'metrics' || op === 'health' || op === 'static') return;
    const length = Number(c.res.headers.get('content-length') ?? 0);
    log({
      time: new Date().toISOString(),
      user: c.get('identity')?.user ?? null,
      op,
      path: c.get('path'),
      decision: c.get('decision'),
      status,
      bytes: c.get('bytes') || (Number.isFinite(length) ? length : 0),
      ms: Math.round(ms * 100) / 100,
    });
  });

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      // Scripts that say so get no WWW-Authenticate, so that browsers show no password prompt.
      const quiet = c.req.header('x-requested-with') !== undefined;
      for (const [k, v] of Object.entries(error.headers)) {
        if (!(quiet && k === 'www-authenticate')) c.header(k, v);
      }
      return c.json({ error: error.message }, error.status as 400);
    }
    if (error instanceof StoreUnavailableError) {
      // Users already cached keep working; a login or a cache miss waits for the store.
      c.header('retry-after', '5');
      return c.json({ error: error.message }, 503);
    }
    if (error instanceof PathError) return c.json({ error: error.message }, 400);
    if (error instanceof FileError) return c.json({ error: error.message }, error.status);
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return c.json({ error: 'not found' }, 404);
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      return c.json({ error: 'not enough space on the server' }, 507);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      return c.json({ error: 'the server may not access that file' }, 403);
    }
    // Anything else is a fault of ours: logged in full, answered without details.
    console.error(JSON.stringify({ time: new Date().toISOString(), error: String(error?.stack ?? error) }));
    return c.json({ error: 'internal error' }, 500);
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));

  app.get('/healthz', (c) => {
    c.set('op', 'health');
    return c.text('ok\n');
  });

  app.get('/readyz', async (c) => {
    c.set('op', 'health');
    try {
      await metrics.timeQuery('ping', () => store.ping());
      return c.text('ready\n');
    } catch {
      return c.text('store unavailable\n', 503);
    }
  });

  app.get('/metrics', async (c) => {
    c.set('op', 'metrics');
    if (metricsToken !== undefined) {
      const given = Buffer.from(c.req.header('authorization') ?? '');
      if (given.length !== metricsToken.length || !timingSafeEqual(given, metricsToken)) {
        throw new HttpError(401, 'the metrics need "Authorization: Bearer" with the metrics token', {
          'www-authenticate': 'Bearer realm="metrics"',
        });
      }
    }
    if (deps.clusterMetrics) {
      const { contentType, text } = await deps.clusterMetrics();
      return c.body(text, 200, { 'content-type': contentType });
    }
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
  });

  app.get('/openapi.json', (c) => {
    c.set('op', 'openapi');
    return c.json(openApiDocument);
  });

  app.post('/api/login', async (c) => {
    c.set('op', 'login');
    const type = c.req.header('content-type') ?? '';
    const text = await readLimited(c.req.raw.body, maxJsonBytes);
    let user: unknown;
    let password: unknown;
    if (/^application\/x-www-form-urlencoded/i.test(type)) {
      const form = new URLSearchParams(text);
      user = form.get('user');
      password = form.get('password');
    } else {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new HttpError(400, 'the body must be JSON: {"user": "...", "password": "..."}');
      }
      if (typeof body !== 'object' || body === null) {
        throw new HttpError(400, 'the body must be a JSON object');
      }
      ({ user, password } = body as Record<string, unknown>);
    }
    if (typeof user !== 'string' || typeof password !== 'string') {
      throw new HttpError(400, 'user and password must be strings');
    }
    const identity = await login(user, password);
    if (!identity) {
      c.set('identity', undefined);
      throw new HttpError(401, 'wrong user name or password');
    }
    c.set('identity', identity);
    const { token, session } = signer.sign(identity.user, identity.admin);
    setCookie(c, COOKIE, token, { ...cookieOptions, maxAge: signer.ttlSeconds });
    return c.json({
      user: identity.user,
      admin: identity.admin,
      token,
      expires: new Date(session.exp * 1000).toISOString(),
    });
  });

  app.post('/api/logout', (c) => {
    c.set('op', 'logout');
    setCookie(c, COOKIE, '', { ...cookieOptions, maxAge: 0 });
    return c.body(null, 204);
  });

  app.get('/api/me', async (c) => {
    c.set('op', 'me');
    const identity = await requireIdentity(c);
    return c.json(identity);
  });

  function cacheSnapshot() {
    return {
      worker: deps.worker ?? 'main',
      users: permissions.users(),
      evictions: permissions.evictions(),
      stats: permissions.stats(),
    };
  }

  async function requireAdmin(c: Ctx): Promise<void> {
    const identity = await requireIdentity(c);
    if (!identity.admin) {
      c.set('decision', 'deny');
      throw new HttpError(403, 'admin only');
    }
    c.set('decision', 'allow');
  }

  app.get('/api/admin/cache', async (c) => {
    c.set('op', 'cache');
    await requireAdmin(c);
    return c.json(cacheSnapshot());
  });

  app.get('/api/admin/cache/events', async (c) => {
    c.set('op', 'cache-events');
    await requireAdmin(c);
    return streamSSE(c, async (stream) => {
      let pending = true;
      let wake: (() => void) | undefined;
      const unsubscribe = permissions.onChange(() => {
        pending = true;
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        wake?.();
      });
      let id = 0;
      while (open) {
        if (pending) {
          pending = false;
          await stream.writeSSE({ event: 'cache', data: JSON.stringify(cacheSnapshot()), id: String(id++) });
        }
        // Coalesce bursts: at most ten snapshots a second; a comment every 15 s keeps proxies open.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pending ? 100 : 15_000);
          wake = () => {
            clearTimeout(timer);
            setTimeout(resolve, 100);
          };
        });
        wake = undefined;
        if (!pending && open) await stream.write(': keep-alive\n\n');
      }
    });
  });

  // The file operations, each mapped to one permission as the FTP commands are.
  app.on(['GET', 'HEAD'], `${FILES}/*`, async (c) => {
    const { path, trailingSlash } = virtualPath(c);
    const identity = await requireIdentity(c);
    if (trailingSlash) return list(c, identity, path);
    c.set('op', 'retrieve');
    const [mayRead, mayList] = await timed(c, () =>
      Promise.all([
        permissions.allows(identity.user, path, 'read'),
        permissions.allows(identity.user, path, 'list'),
      ]));
    if (!mayRead && !mayList) {
      c.set('decision', 'deny');
      throw new HttpError(403, 'read is not allowed here');
    }
    const info = await files.info(path);
    if (info === undefined) {
      c.set('decision', 'allow');
      throw new HttpError(404, 'not found');
    }
    if (info.type === 'directory') {
      if (!mayList) {
        c.set('decision', 'deny');
        throw new HttpError(403, 'list is not allowed here');
      }
      c.set('decision', 'allow');
      return c.redirect(urlOf(FILES, path, true), 301);
    }
    if (!mayRead) {
      c.set('decision', 'deny');
      throw new HttpError(403, 'read is not allowed here');
    }
    c.set('decision', 'allow');
    return retrieve(c, path);
  });
  app.get(FILES, (c) => c.redirect(`${FILES}/`, 301));

  async function list(c: Ctx, identity: Identity, path: string): Promise<Response> {
    c.set('op', 'list');
    await authorize(c, identity, path, 'list');
    const format = c.req.query('format');
    if (format === 'names') {
      // NLST: names and types, no stat per entry.
      const named = await files.names(path);
      const visible = new Set(
        await timed(c, () => permissions.filter(identity.user, path, named.map((e) => e.name), 'list')),
      );
      const json = JSON.stringify({ path, entries: named.filter((e) => visible.has(e.name)) });
      c.set('bytes', Buffer.byteLength(json));
      return c.body(json, 200, { 'content-type': 'application/json' });
    }
    if (format !== undefined && format !== 'json') {
      throw new HttpError(400, 'format must be json or names');
    }
    const entries = await files.list(path);
    const visible = new Set(
      await timed(c, () => permissions.filter(identity.user, path, entries.map((e) => e.name), 'list')),
    );
    const shown: Entry[] = entries.filter((e) => visible.has(e.name));
    const accept = c.req.header('accept') ?? '';
    const wantsHtml = format !== 'json' && /text\/html/i.test(accept);
    // The body is made here so that the access log reports the bytes sent.
    if (wantsHtml) {
      const html = htmlListing(path, shown, identity.user, FILES);
      c.set('bytes', Buffer.byteLength(html));
      c.header('content-security-policy', LISTING_CSP);
      return c.html(html);
    }
    const json = JSON.stringify({ path, entries: shown });
    c.set('bytes', Buffer.byteLength(json));
    return c.body(json, 200, { 'content-type': 'application/json' });
  }

  async function retrieve(c: Ctx, path: string): Promise<Response> {
    const { handle, info } = await files.openRead(path);
    let handed = false;
    try {
      const etag = etagOf(info.size, info.mtimeMs);
      const headers: Record<string, string> = {
        'content-type': contentTypeOf(path),
        etag,
        'last-modified': new Date(info.mtimeMs).toUTCString(),
        'accept-ranges': 'bytes',
        'x-content-type-options': 'nosniff',
      };
      const ifNoneMatch = c.req.header('if-none-match');
      if (
        ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')
      ) {
        return c.body(null, 304, headers);
      }
      let range = parseRange(c.req.header('range'), info.size);
      const ifRange = c.req.header('if-range');
      if (
        range !== null && ifRange !== undefined && ifRange !== etag && ifRange !== headers['last-modified']
      ) range = null;
      if (range === 'unsatisfiable') {
        return c.body(JSON.stringify({ error: 'range not satisfiable' }), 416, {
          'content-range': `bytes */${info.size}`,
          'content-type': 'application/json',
        });
      }
      const start = range?.start ?? 0;
      const end = range?.end ?? info.size - 1;
      const length = info.size === 0 ? 0 : end - start + 1;
      headers['content-length'] = String(length);
      if (range) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
      const status = range ? 206 : 200;
      c.set('bytes', length);
      if (c.req.method === 'HEAD' || length === 0) return c.body(null, status, headers);
      const stream = handle.createReadStream({ start, end, autoClose: true });
      handed = true;
      return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, status, headers);
    } finally {
      if (!handed) await handle.close();
    }
  }

  app.put(`${FILES}/*`, async (c) => {
    const { path, trailingSlash } = virtualPath(c);
    const append = c.req.query('append') !== undefined;
    c.set('op', append ? 'append' : 'store');
    const identity = await requireIdentity(c);
    if (trailingSlash || path === '/') throw new HttpError(400, 'a file path is needed (no trailing slash)');
    await authorize(c, identity, path, 'write');
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > maxUploadBytes) {
      throw new HttpError(413, `uploads are limited to ${maxUploadBytes} bytes`);
    }
    const existed = (await files.info(path)) !== undefined;
    const bytes = await files.write(path, c.req.raw.body, {
      limit: maxUploadBytes,
      append,
      ...(deps.uploadTimeoutMs === undefined ? {} : { timeoutMs: deps.uploadTimeoutMs }),
    });
    c.set('bytes', bytes);
    return c.json({ path, size: bytes }, existed ? 200 : 201);
  });

  app.delete(`${FILES}/*`, async (c) => {
    const { path } = virtualPath(c);
    c.set('op', 'delete');
    const identity = await requireIdentity(c);
    if (path === '/') throw new HttpError(409, 'the root cannot be deleted');
    await authorize(c, identity, path, 'delete');
    await files.remove(path);
    return c.body(null, 204);
  });

  app.on('MKCOL', `${FILES}/*`, async (c) => {
    const { path } = virtualPath(c);
    c.set('op', 'mkdir');
    const identity = await requireIdentity(c);
    if (path === '/') throw new HttpError(409, 'the root exists');
    await authorize(c, identity, path, 'mkdir');
    await files.mkdir(path);
    return c.json({ path }, 201);
  });

  app.on('MOVE', `${FILES}/*`, async (c) => {
    const { path: from } = virtualPath(c);
    c.set('op', 'rename');
    const identity = await requireIdentity(c);
    const destination = c.req.header('destination');
    if (destination === undefined) throw new HttpError(400, 'a Destination header is needed');
    let target: URL;
    try {
      target = new URL(destination, c.req.url);
    } catch {
      throw new HttpError(400, 'malformed Destination header');
    }
    // RFC 4918 (9.9.4): a Destination on another server is answered 502.
    if (target.origin !== new URL(c.req.url).origin) {
      throw new HttpError(502, 'the Destination lies on another server');
    }
    const destPath = target.pathname;
    if (!destPath.startsWith(`${FILES}/`)) {
      throw new HttpError(400, `the Destination must lie under ${FILES}/`);
    }
    const { path: to } = parsePath(destPath.slice(FILES.length));
    if (from === '/' || to === '/') throw new HttpError(409, 'the root cannot be renamed');
    c.set('path', `${from} -> ${to}`);
    await authorize(c, identity, from, 'rename');
    await authorize(c, identity, to, 'write');
    const info = await files.info(from);
    if (info === undefined) throw new HttpError(404, 'not found');
    if (info.type === 'directory') {
      // Moving a directory moves everything below it: refused when a rule lies below the
      // source or the target, since files under those rules would change hands.
      const [below, belowTarget] = await timed(c, () =>
        Promise.all([
          permissions.hasRulesBelow(identity.user, from),
          permissions.hasRulesBelow(identity.user, to),
        ]));
      if (below || belowTarget) {
        c.set('decision', 'deny');
        throw new HttpError(403, 'rules apply below this directory: move its contents one by one');
      }
    }
    await files.rename(from, to);
    return c.json({ from, to }, 201);
  });

  // Anything else under /files: say what is allowed.
  app.all(`${FILES}/*`, (c) => {
    c.header('allow', 'GET, HEAD, PUT, DELETE, MKCOL, MOVE');
    return c.json({ error: 'method not allowed' }, 405);
  });

  if (deps.www) {
    const www = deps.www;
    app.get('*', async (c) => {
      c.set('op', 'static');
      const found = await www.get(new URL(c.req.url).pathname);
      if (!found) return c.json({ error: 'not found' }, 404);
      return c.body(found.body, 200, {
        'content-type': found.type,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
    });
  }

  return {
    app,
    metrics,
    revocations,
    generation,
    close() {
      unsubscribe();
      revocations.close();
    },
  };
}
