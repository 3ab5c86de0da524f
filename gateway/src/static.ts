// The demo page's files, served at `/`: only the files found under www/ when the gateway
// starts (no path from a request ever reaches the file system), and the edge-lru
// package's build under /vendor/edge-lru/, as the page imports it.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { contentTypeOf } from './mime.ts';

export interface StaticFiles {
  get(urlPath: string): Promise<{ body: Uint8Array<ArrayBuffer>; type: string } | undefined>;
}

function walk(dir: string, into: Map<string, string>, base: string, prefix: string, skip: Set<string>): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') || skip.has(name) || name === 'node_modules') continue;
    const full = join(dir, name);
    const s = statSync(full);
    if (s.isDirectory()) walk(full, into, base, prefix, skip);
    else if (s.isFile()) into.set(prefix + relative(base, full).split(sep).join('/'), full);
  }
}

export function staticFiles(wwwDir: string, vendorDir: string | undefined): StaticFiles {
  const files = new Map<string, string>();
  walk(wwwDir, files, wwwDir, '/', new Set(['test', 'vendor', 'build.mjs', 'serve.mjs', 'README.md']));
  if (vendorDir !== undefined) walk(vendorDir, files, vendorDir, '/vendor/edge-lru/', new Set());
  return {
    get(urlPath: string) {
      const key = urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath;
      const file = files.get(key);
      if (file === undefined) return Promise.resolve(undefined);
      const body = new Uint8Array(readFileSync(file));
      return Promise.resolve({ body, type: contentTypeOf(key) });
    },
  };
}
