// The HTML listing for browsers: a plain table, every name escaped.

import type { Entry } from './files.ts';
import { parentOf, urlOf } from './paths.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function htmlListing(path: string, entries: Entry[], user: string, prefix: string): string {
  const rows = entries.map((e) => {
    const href = urlOf(prefix, path === '/' ? `/${e.name}` : `${path}/${e.name}`, e.type === 'directory');
    const name = escapeHtml(e.name) + (e.type === 'directory' ? '/' : '');
    return `<tr><td><a href="${escapeHtml(href)}">${name}</a></td><td>${e.type}</td><td>${
      e.type === 'file' ? size(e.size) : ''
    }</td><td><time>${e.mtime}</time></td></tr>`;
  });
  const up = path === '/'
    ? ''
    : `<p><a href="${escapeHtml(urlOf(prefix, parentOf(path), true))}" rel="up">..</a></p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Index of ${escapeHtml(path)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;width:100%}td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #ddd}</style>
</head>
<body>
<h1>Index of ${escapeHtml(path)}</h1>
<p>Signed in as <strong id="user">${
    escapeHtml(user)
  }</strong> &middot; ${entries.length} entries you may see</p>
${up}
<table>
<thead><tr><th>Name</th><th>Type</th><th>Size</th><th>Modified</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</body>
</html>
`;
}
