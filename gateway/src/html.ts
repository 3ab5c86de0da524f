// The HTML listing for browsers: a plain table, every name escaped, with forms to upload,
// make a directory, rename and delete. A small script sends them to the HTTP API (PUT,
// MKCOL, MOVE, DELETE) with the session cookie; the page's CSP allows that script alone,
// by its hash.

import { createHash } from 'node:crypto';
import type { Entry } from './files.ts';
import { joinPath, parentOf, urlOf } from './paths.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

// The forms' script: each action is one request; a refusal shows the server's message.
const SCRIPT = `
const { prefix, dir } = document.body.dataset;
const status = document.getElementById('status');
const urlOf = (path, directory) =>
  prefix + path.split('/').map(encodeURIComponent).join('/') + (directory && path !== '/' ? '/' : '');
const join = (name) => (name.startsWith('/') ? name : (dir === '/' ? '/' : dir + '/') + name);
async function send(method, url, init, done) {
  status.textContent = '';
  try {
    const res = await fetch(url, { method, ...init, headers: { 'x-requested-with': 'fetch', ...init.headers } });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      throw new Error(body.error ?? res.status + ' ' + res.statusText);
    }
    status.textContent = done;
    location.reload();
  } catch (error) {
    status.textContent = method + ' failed: ' + error.message;
    status.dataset.error = '';
  }
}
document.getElementById('upload').addEventListener('submit', async (event) => {
  event.preventDefault();
  for (const file of event.target.file.files) {
    await send('PUT', urlOf(join(file.name), false), { body: file }, 'uploaded ' + file.name);
  }
});
document.getElementById('mkdir').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = event.target.dir.value.trim();
  if (name) send('MKCOL', urlOf(join(name), true), {}, 'made ' + name);
});
for (const form of document.querySelectorAll('form.rename')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const to = form.to.value.trim();
    if (!to || to === form.dataset.name) return;
    const directory = form.dataset.type === 'directory';
    send('MOVE', urlOf(join(form.dataset.name), directory), {
      headers: { destination: location.origin + urlOf(join(to), directory) },
    }, 'renamed ' + form.dataset.name);
  });
}
for (const button of document.querySelectorAll('button.delete')) {
  button.addEventListener('click', () => {
    if (!confirm('Delete ' + button.dataset.name + '?')) return;
    send('DELETE', urlOf(join(button.dataset.name), button.dataset.type === 'directory'), {}, 'deleted');
  });
}
`;

/** The listing's Content-Security-Policy: its inline style, its one script, requests to this origin. */
export const LISTING_CSP =
  `default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; connect-src 'self'; ` +
  `script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'; form-action 'none'`;

export function htmlListing(path: string, entries: Entry[], user: string, prefix: string): string {
  const rows = entries.map((e) => {
    const href = urlOf(prefix, joinPath(path, e.name), e.type === 'directory');
    const name = escapeHtml(e.name) + (e.type === 'directory' ? '/' : '');
    const data = `data-name="${escapeHtml(e.name)}" data-type="${e.type}"`;
    return `<tr><td><a href="${escapeHtml(href)}">${name}</a></td><td>${e.type}</td><td>${
      e.type === 'file' ? size(e.size) : ''
    }</td><td><time>${e.mtime}</time></td><td><form class="rename" ${data}><input name="to" value="${
      escapeHtml(e.name)
    }" aria-label="New name of ${
      escapeHtml(e.name)
    }"><button>Rename</button></form> <button class="delete" ${data}>Delete</button></td></tr>`;
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
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;width:100%}td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #ddd}form{display:inline}#status[data-error]{color:#b00}</style>
</head>
<body data-prefix="${escapeHtml(prefix)}" data-dir="${escapeHtml(path)}">
<h1>Index of ${escapeHtml(path)}</h1>
<p>Signed in as <strong id="user">${
    escapeHtml(user)
  }</strong> &middot; ${entries.length} entries you may see</p>
${up}
<form id="upload"><input type="file" name="file" multiple aria-label="Files to upload"> <button>Upload</button></form>
<form id="mkdir"><input name="dir" placeholder="new directory" aria-label="New directory"> <button>Make directory</button></form>
<p id="status" role="status"></p>
<table>
<thead><tr><th>Name</th><th>Type</th><th>Size</th><th>Modified</th><th>Actions</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
