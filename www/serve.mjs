// A tiny static file server for the demo page (node:http, no dependencies).
//
//   node www/serve.mjs            serves www/ on http://127.0.0.1:8080/
//   PORT=9000 node www/serve.mjs
//
// It listens on loopback only. Import `startServer` to run it inside a test (port 0 picks
// a free port).

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const www = dirname(fileURLToPath(import.meta.url));

export const MIME_TYPES = {
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
};

function send(res, status, message) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(`${status} ${message}\n`);
}

/** A request handler serving the files under `root`; directories serve their index.html. */
export function staticHandler(root = www) {
  const base = resolve(root);
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'Method Not Allowed');
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'Bad Request');
    }
    // No NUL bytes, no dot-files or dot-directories (.git, ..), nothing outside root.
    if (pathname.includes('\0') || pathname.split('/').some((part) => part.startsWith('.'))) {
      return send(res, 404, 'Not Found');
    }
    let file = resolve(base, '.' + pathname);
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
        'content-type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
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

/** Starts the server on 127.0.0.1; resolves with `{ server, url }`. */
export function startServer({ root = www, port = 8080, host = '127.0.0.1' } = {}) {
  const server = createServer(staticHandler(root));
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolvePromise({ server, url: `http://${host}:${actual}/` });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got ${process.env.PORT}`);
    process.exit(1);
  }
  try {
    const { url } = await startServer({ port });
    console.log(`Serving www/ at ${url}  (Ctrl-C to stop)`);
  } catch (error) {
    console.error(`Could not listen on 127.0.0.1:${port}: ${error.message}`);
    process.exit(1);
  }
}
