// Turning the path of a request URL into a virtual path: decoded exactly once, checked
// segment by segment, and the same string is then both authorized and opened.

export class PathError extends Error {
  readonly status = 400;
}

// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

/**
 * The virtual path (`/a/b`, the root is `/`) of the raw, still percent-encoded path that
 * follows a route prefix. Refuses `.` and `..` segments, backslashes, control characters
 * (NUL among them), encoded slashes and invalid UTF-8 (overlong forms among them).
 */
export function parsePath(raw: string): { path: string; trailingSlash: boolean } {
  if (raw.length > 4096) throw new PathError('path too long');
  const trailingSlash = raw === '' || raw.endsWith('/');
  const parts: string[] = [];
  for (const piece of raw.split('/')) {
    if (piece === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(piece);
    } catch {
      throw new PathError('malformed percent-encoding or UTF-8 in path');
    }
    if (segment === '.' || segment === '..') throw new PathError('dot segments are not allowed');
    if (segment.includes('/')) throw new PathError('encoded slashes are not allowed');
    if (FORBIDDEN.test(segment)) throw new PathError('control characters and backslashes are not allowed');
    if (!segment.isWellFormed()) throw new PathError('malformed UTF-16 in path');
    if (new TextEncoder().encode(segment).length > 255) throw new PathError('path segment too long');
    parts.push(segment);
  }
  return { path: '/' + parts.join('/'), trailingSlash };
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The URL path of a virtual path under a prefix, each segment percent-encoded. */
export function urlOf(prefix: string, path: string, directory: boolean): string {
  const encoded = path.split('/').map((s) => encodeURIComponent(s)).join('/');
  return prefix + encoded + (directory && path !== '/' ? '/' : '');
}
