// Configuration from flags and environment variables (flags win), with util.parseArgs.

import { parseArgs } from 'node:util';

export const OPTIONS = {
  store: {
    type: 'string',
    env: 'GATEWAY_STORE',
    help: 'mysql://user:pass@host:port/db, or sqlite:FILE (default: DATA_DIR/gateway.sqlite)',
  },
  'data-dir': { type: 'string', env: 'GATEWAY_DATA_DIR', help: 'data directory (default ./gateway-data)' },
  root: { type: 'string', env: 'GATEWAY_ROOT', help: 'the served tree (default DATA_DIR/files)' },
  host: { type: 'string', env: 'GATEWAY_HOST', help: 'address to listen on (default 127.0.0.1)' },
  port: { type: 'string', env: 'GATEWAY_PORT', help: 'port (default 8080; 0 picks a free one)' },
  workers: {
    type: 'string',
    env: 'GATEWAY_WORKERS',
    help: 'node:cluster worker processes (Node only; default 1)',
  },
  'max-users': {
    type: 'string',
    env: 'GATEWAY_MAX_USERS',
    help: 'users whose rules are cached, per process (default 10000)',
  },
  'max-bytes': {
    type: 'string',
    env: 'GATEWAY_MAX_BYTES',
    help: 'byte budget of the compiled rules, per process (default 64 MiB)',
  },
  'permission-cache': {
    type: 'string',
    env: 'GATEWAY_PERMISSION_CACHE',
    help: 'edge-lru (default), lru-cache (JS objects, for comparison) or none',
  },
  'max-upload': {
    type: 'string',
    env: 'GATEWAY_MAX_UPLOAD',
    help: 'largest upload in bytes (default 1 GiB)',
  },
  'credential-ttl': {
    type: 'string',
    env: 'GATEWAY_CREDENTIAL_TTL',
    help:
      'ms a verified Basic credential stays cached, and between polls of the store for revocations made by other processes (default 60000)',
  },
  'session-ttl': {
    type: 'string',
    env: 'GATEWAY_SESSION_TTL',
    help: 'seconds a session token is valid (default 43200)',
  },
  'kdf-concurrency': {
    type: 'string',
    env: 'GATEWAY_KDF_CONCURRENCY',
    help: 'scrypt runs at once, per process (default 2)',
  },
  'request-timeout': {
    type: 'string',
    env: 'GATEWAY_REQUEST_TIMEOUT',
    help: 'ms to receive a whole request (default 300000)',
  },
  'headers-timeout': {
    type: 'string',
    env: 'GATEWAY_HEADERS_TIMEOUT',
    help: 'ms to receive the headers (default 20000)',
  },
  'secure-cookies': {
    type: 'boolean',
    env: 'GATEWAY_SECURE_COOKIES',
    help: 'mark the session cookie Secure (behind a TLS-terminating proxy)',
  },
  'metrics-token': {
    type: 'string',
    env: 'GATEWAY_METRICS_TOKEN',
    help: '/metrics requires "Authorization: Bearer TOKEN" (default: open)',
  },
  'key-file': {
    type: 'string',
    env: 'GATEWAY_KEY_FILE',
    help: 'session signing key file (default DATA_DIR/session.key; GATEWAY_SECRET overrides)',
  },
  'scrypt-n': {
    type: 'string',
    env: 'GATEWAY_SCRYPT_N',
    help: 'scrypt cost N for new hashes (default 131072, OWASP)',
  },
  www: { type: 'string', env: 'GATEWAY_WWW', help: 'the demo page served at / (default ../www)' },
  demo: { type: 'boolean', env: 'GATEWAY_DEMO', help: 'serve: seed the demo users and tree on first run' },
  'demo-sections': {
    type: 'string',
    env: 'GATEWAY_DEMO_SECTIONS',
    help: 'demo tree: sections of 100 files in /public/docs (default 30)',
  },
  admin: { type: 'boolean', help: 'user add: make the user an admin' },
  password: {
    type: 'string',
    env: 'GATEWAY_PASSWORD',
    help: 'user add|passwd: the password (else read from stdin)',
  },
  quiet: { type: 'boolean', env: 'GATEWAY_QUIET', help: 'no access log' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
  'max-restarts': {
    type: 'string',
    env: 'GATEWAY_MAX_RESTARTS',
    help: 'with --workers: worker restarts allowed per minute before the gateway exits (default 5)',
  },
  'rate-limit': {
    type: 'string',
    env: 'GATEWAY_RATE_LIMIT',
    help: 'requests a second per user, per process, then 429 (default 0: no limit)',
  },
  'rate-burst': {
    type: 'string',
    env: 'GATEWAY_RATE_BURST',
    help: 'requests a user may send at once under --rate-limit (default twice the rate)',
  },
  'keep-alive-timeout': {
    type: 'string',
    env: 'GATEWAY_KEEP_ALIVE_TIMEOUT',
    help: 'ms an idle keep-alive connection stays open (Node only; default 5000)',
  },
} as const;

type Spec = typeof OPTIONS;
export type Flags = { [K in keyof Spec]?: Spec[K]['type'] extends 'boolean' ? boolean : string };

export function parseCli(
  argv: string[],
  env: Record<string, string | undefined>,
): { flags: Flags; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(OPTIONS).map((
      [name, o],
    ) => [name, { type: o.type, ...('short' in o ? { short: o.short } : {}) }]),
  );
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const flags: Record<string, string | boolean> = {};
  for (const [name, o] of Object.entries(OPTIONS)) {
    const value = (values as Record<string, string | boolean | undefined>)[name];
    if (value !== undefined) flags[name] = value;
    else if ('env' in o && env[o.env] !== undefined && env[o.env] !== '') {
      flags[name] = o.type === 'boolean'
        ? env[o.env] !== '0' && env[o.env] !== 'false'
        : env[o.env] as string;
    }
  }
  return { flags: flags as Flags, positionals };
}

export function intFlag(flags: Flags, name: keyof Flags, fallback: number, min = 0): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) {
    throw Object.assign(
      new RangeError(`--${name} must be an integer >= ${min}, not ${JSON.stringify(raw)}`),
      {
        code: 'ERR_GATEWAY_OPTION',
      },
    );
  }
  return n;
}

export function usage(): string {
  const lines = [
    'edge-lru-gateway: FTP over HTTP with permissions cached in edge-lru',
    '',
    'usage: node src/main.ts COMMAND [options]     (or: deno run -A src/main.ts COMMAND ...)',
    '',
    'commands:',
    '  serve                         run the gateway (--demo seeds the demo on first run)',
    '  migrate                       create or upgrade the store schema',
    '  seed                          add the demo users and tree',
    '  user add NAME [--admin]       add a user (password from --password, GATEWAY_PASSWORD or stdin)',
    '  user passwd NAME              set a password',
    "  user remove NAME              remove a user and the user's rules",
    '  user logout NAME              revoke every session issued to the user so far',
    '  user list                     list users',
    '  grant USER PATH OPS           set the rule on PATH: OPS is a comma list of list,read,write,delete,mkdir,rename (or "none")',
    '  revoke USER PATH              remove the rule on PATH',
    '  rules [USER]                  list rules',
    '',
    'options (flag, environment variable):',
  ];
  for (const [name, o] of Object.entries(OPTIONS)) {
    lines.push(`  --${name.padEnd(18)}${('env' in o ? o.env : '').padEnd(26)}${o.help}`);
  }
  return lines.join('\n');
}
