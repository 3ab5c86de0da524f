// The one static file server of the repository (node:http, no dependencies), used by
// the demo page (www/serve.mjs), its end-to-end test, the Chromium host tests and the
// browser benchmark. Loopback only; GET and HEAD only; nothing outside its root.
//
//   const { origin, close } = await serve({ root: 'www', port: 0 });
//
// `mounts` serves other folders under URL prefixes (`{ '/bundles/': dir }`), `headers`
// adds response headers (the benchmark's cross-origin isolation).

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { isIP } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

export const CONTENT_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.cts': 'text/plain; charset=utf-8',
});

/** Whether `host` names this machine only: localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(host) {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  return host === '::1';
}

function send(res, status, message, extra = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...extra });
  res.end(`${status} ${message}\n`);
}

/**
 * A request handler serving the files under `root` (and `mounts`); a directory serves
 * its index.html. Paths with a dot segment (`..`, `.git`) or a NUL byte are not found.
 *
 * @param {{ root: string, mounts?: Record<string, string>, headers?: Record<string, string> }} options
 */
export function staticHandler({ root, mounts = {}, headers = {} }) {
  if (typeof root !== 'string' || root === '') throw new TypeError('serve: root must be a folder path');
  const bases = Object.entries(mounts)
    .map(([prefix, dir]) => {
      if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
        throw new TypeError(`serve: a mount prefix starts and ends with "/", got ${JSON.stringify(prefix)}`);
      }
      return [prefix, resolve(dir)];
    })
    .sort((a, b) => b[0].length - a[0].length)
    .concat([['/', resolve(root)]]);

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'Bad Request');
    }
    if (pathname.includes('\0') || pathname.split(/[/\\]/).some((part) => part.startsWith('.'))) {
      return send(res, 404, 'Not Found');
    }
    const [prefix, base] = bases.find(([p]) => pathname.startsWith(p));
    let file = resolve(base, '.' + pathname.slice(prefix.length - 1));
    if (file !== base && !file.startsWith(base + sep)) return send(res, 404, 'Not Found');
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { location: pathname + '/' });
          return res.end();
        }
        file = join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile()) return send(res, 404, 'Not Found');
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        ...headers,
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      send(res, 404, 'Not Found');
    }
  };
}

/**
 * Serves `root` on a loopback address (port 0 picks a free port).
 *
 * @param {{ root: string, port?: number, host?: string, mounts?: Record<string, string>, headers?: Record<string, string> }} options
 * @returns {Promise<{ server: import('node:http').Server, origin: string, url: string, close: () => Promise<void> }>}
 */
export async function serve({ root, port = 0, host = '127.0.0.1', mounts, headers } = {}) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw Object.assign(new RangeError(`serve: port must be an integer from 0 to 65535, got ${port}`), { code: 'ERR_SERVE_PORT' });
  }
  if (!isLoopback(host)) {
    throw Object.assign(new RangeError(`serve: listens on loopback only, not ${host}`), { code: 'ERR_SERVE_HOST' });
  }
  const server = createServer(staticHandler({ root, mounts, headers }));
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, done);
  });
  const address = server.address();
  const origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    server,
    origin,
    url: `${origin}/`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections?.();
        server.close(() => done());
      }),
  };
}
