// The file tree the gateway serves, confined to one root directory. Paths come in as
// virtual absolute paths (`/home/alice/a.txt`) already decoded once and checked segment
// by segment (see paths.ts); here they are joined under the root, resolved to real paths,
// and refused when a symlink leads out of the root. Opened files are checked again after
// the open (the handle's inode must be the inode at a real path inside the root), so a
// symlink swapped in between the check and the open is caught.

import { randomBytes } from 'node:crypto';
import {
  type FileHandle,
  lstat,
  mkdir,
  open,
  readdir,
  realpath,
  rename,
  rmdir,
  stat,
  unlink,
} from 'node:fs/promises';
import { join, sep } from 'node:path';

export type EntryType = 'file' | 'directory';

export interface Entry {
  name: string;
  type: EntryType;
  size: number;
  mtime: string;
}

/** An entry of a names-only listing (NLST). */
export interface NamedEntry {
  name: string;
  type: EntryType;
}

export interface FileInfo {
  type: EntryType;
  size: number;
  mtimeMs: number;
}

/** A file-system failure the HTTP layer turns into a status; the message names no real path. */
export class FileError extends Error {
  readonly status: 400 | 403 | 404 | 408 | 409 | 413 | 500 | 507;
  constructor(status: FileError['status'], message: string) {
    super(message);
    this.status = status;
  }
}

const UPLOAD_PREFIX = '.gateway-upload-';
/** The gateway's own files (uploads in progress, the demo's marker): never listed. */
const HIDDEN_PREFIX = '.gateway-';
const STAT_BATCH = 64;

function code(error: unknown): string | undefined {
  return (error as { code?: unknown })?.code as string | undefined;
}

/** Whether a file-system error says the disk (or the user's quota) is full. */
export function isNoSpace(error: unknown): boolean {
  return code(error) === 'ENOSPC' || code(error) === 'EDQUOT';
}

const NO_SPACE = 'not enough space on the server for this upload';

/** Writes all of `data`: a write may take fewer bytes (a full disk takes what fits, then fails). */
async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  for (let done = 0; done < data.byteLength;) {
    done += (await handle.write(data, done, data.byteLength - done)).bytesWritten;
  }
}

/**
 * Removes the temporary upload files a process left when it died (they carry its pid), anywhere
 * under `root`; the number removed. Symlinks are not followed.
 */
export async function removeUploadsOf(root: string, pid: number): Promise<number> {
  const mine = `${UPLOAD_PREFIX}${pid}-`;
  let removed = 0;
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.name.startsWith(mine) || !entry.isFile()) continue;
    if (await unlink(join(entry.parentPath, entry.name)).then(() => true, () => false)) removed++;
  }
  return removed;
}

/** Segments of a virtual path; the root is `[]`. Callers pass only paths built by paths.ts. */
function segments(vpath: string): string[] {
  return vpath.split('/').filter((s) => s !== '');
}

export interface FileTree {
  readonly root: string;
  info(vpath: string): Promise<FileInfo | undefined>;
  list(vpath: string): Promise<Entry[]>;
  names(vpath: string): Promise<NamedEntry[]>;
  openRead(vpath: string): Promise<{ handle: FileHandle; info: FileInfo }>;
  /**
   * Streams `body` to a temporary file beside the target, then renames it into place; a body
   * that takes longer than `timeoutMs` is refused (408).
   */
  write(
    vpath: string,
    body: ReadableStream<Uint8Array> | null,
    options: { limit: number; append: boolean; timeoutMs?: number },
  ): Promise<
    number
  >;
  mkdir(vpath: string): Promise<void>;
  remove(vpath: string): Promise<EntryType>;
  rename(from: string, to: string): Promise<void>;
}

export class LocalFileTree implements FileTree {
  readonly root: string;

  /** `root` must exist; it is resolved to its real path once. */
  constructor(root: string) {
    this.root = root;
  }

  static async open(root: string): Promise<LocalFileTree> {
    await mkdir(root, { recursive: true });
    return new LocalFileTree(await realpath(root));
  }

  #inside(real: string): boolean {
    return real === this.root || real.startsWith(this.root + sep);
  }

  /** The real path of an existing entry, or undefined when it is missing; refuses one outside the root. */
  async #real(vpath: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await realpath(join(this.root, ...segments(vpath)));
    } catch (error) {
      if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return undefined;
      if (code(error) === 'ELOOP') throw new FileError(403, 'path leaves the served tree');
      throw error;
    }
    if (!this.#inside(real)) throw new FileError(403, 'path leaves the served tree');
    return real;
  }

  async #existing(vpath: string): Promise<string> {
    const real = await this.#real(vpath);
    if (real === undefined) throw new FileError(404, 'not found');
    return real;
  }

  /** The real parent directory of a (possibly missing) entry and the entry's name. */
  async #parent(vpath: string): Promise<{ dir: string; name: string }> {
    const parts = segments(vpath);
    const name = parts.pop();
    if (name === undefined) throw new FileError(409, 'the root cannot be changed');
    const dir = await this.#real('/' + parts.join('/'));
    if (dir === undefined) throw new FileError(404, 'parent directory not found');
    if (!(await stat(dir)).isDirectory()) throw new FileError(409, 'parent is not a directory');
    return { dir, name };
  }

  async info(vpath: string): Promise<FileInfo | undefined> {
    const real = await this.#real(vpath);
    if (real === undefined) return undefined;
    const s = await stat(real);
    return {
      type: s.isDirectory() ? 'directory' : 'file',
      size: s.isDirectory() ? 0 : s.size,
      mtimeMs: s.mtimeMs,
    };
  }

  async list(vpath: string): Promise<Entry[]> {
    const dir = await this.#directory(vpath);
    const names = (await readdir(dir)).filter((n) => !n.startsWith(HIDDEN_PREFIX)).sort();
    // The stats run a batch at a time: one after another, a 5,000-entry listing waits for
    // 5,000 round trips to the thread pool; all at once, it floods the pool other requests share.
    const entries: Entry[] = [];
    for (let i = 0; i < names.length; i += STAT_BATCH) {
      const batch = await Promise.all(
        names.slice(i, i + STAT_BATCH).map((name) => this.#describe(dir, name)),
      );
      for (const entry of batch) if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }

  /**
   * The names and types of a directory's entries, without a `stat` per entry (NLST): the types
   * come with the directory read; only symlinks are resolved, and listed when they stay inside.
   */
  async names(vpath: string): Promise<NamedEntry[]> {
    const dir = await this.#directory(vpath);
    const dirents = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => !d.name.startsWith(HIDDEN_PREFIX))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const out: NamedEntry[] = [];
    for (const d of dirents) {
      if (d.isFile()) out.push({ name: d.name, type: 'file' });
      else if (d.isDirectory()) out.push({ name: d.name, type: 'directory' });
      else if (d.isSymbolicLink()) {
        const entry = await this.#describe(dir, d.name);
        if (entry !== undefined) out.push({ name: entry.name, type: entry.type });
      }
    }
    return out;
  }

  async #directory(vpath: string): Promise<string> {
    const dir = await this.#existing(vpath);
    if (!(await stat(dir)).isDirectory()) throw new FileError(409, 'not a directory');
    return dir;
  }

  /** A directory entry as listed, or undefined for what is not listed. */
  async #describe(dir: string, name: string): Promise<Entry | undefined> {
    const full = join(dir, name);
    try {
      let s = await lstat(full);
      if (s.isSymbolicLink()) {
        // A link is listed as what it points to, and only when that stays inside the root.
        if (!this.#inside(await realpath(full))) return undefined;
        s = await stat(full);
      }
      if (!s.isFile() && !s.isDirectory()) return undefined;
      return {
        name,
        type: s.isDirectory() ? 'directory' : 'file',
        size: s.isDirectory() ? 0 : s.size,
        mtime: new Date(s.mtimeMs).toISOString(),
      };
    } catch {
      // Gone, dangling or unreadable between readdir and stat: not listed.
      return undefined;
    }
  }

  /** Verifies that an open handle is the entry at a real path inside the root. */
  async #confirm(handle: FileHandle, path: string): Promise<void> {
    const [held, real] = await Promise.all([handle.stat(), realpath(path).catch(() => undefined)]);
    if (real === undefined || !this.#inside(real)) throw new FileError(403, 'path leaves the served tree');
    const there = await stat(real);
    if (held.ino !== there.ino || held.dev !== there.dev) {
      throw new FileError(403, 'path changed during the request');
    }
  }

  async openRead(vpath: string): Promise<{ handle: FileHandle; info: FileInfo }> {
    const real = await this.#existing(vpath);
    const handle = await open(real, 'r');
    try {
      await this.#confirm(handle, real);
      const s = await handle.stat();
      if (!s.isFile()) throw new FileError(409, 'not a file');
      return { handle, info: { type: 'file', size: s.size, mtimeMs: s.mtimeMs } };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async write(
    vpath: string,
    body: ReadableStream<Uint8Array> | null,
    options: { limit: number; append: boolean; timeoutMs?: number },
  ): Promise<number> {
    const { dir, name } = await this.#parent(vpath);
    const target = join(dir, name);
    const existing = await lstat(target).catch(() => undefined);
    if (existing?.isDirectory()) throw new FileError(409, 'a directory has that name');
    if (existing?.isSymbolicLink()) throw new FileError(409, 'a link has that name');
    // The pid names the writer, so that a supervisor can remove what a crashed process left.
    const temp = join(
      dir,
      `${UPLOAD_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}.${name}`.slice(0, 255),
    );
    const handle = await open(temp, 'wx', 0o644).catch((error) => {
      throw isNoSpace(error) ? new FileError(507, NO_SPACE) : error;
    });
    let written = 0;
    let closed = false;
    try {
      await this.#confirm(handle, temp);
      if (options.append && existing?.isFile()) {
        const source = await this.openRead(vpath);
        try {
          for await (const chunk of source.handle.createReadStream({ autoClose: false })) {
            written += (chunk as Buffer).length;
            if (written > options.limit) throw new FileError(413, 'the file would exceed the upload limit');
            await writeAll(handle, chunk as Buffer);
          }
        } finally {
          await source.handle.close();
        }
      }
      if (body !== null) {
        const reader = body.getReader();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<never>((_, reject) => {
          if (options.timeoutMs === undefined) return;
          timer = setTimeout(() => {
            reject(new FileError(408, 'the upload took too long'));
            reader.cancel().catch(() => {});
          }, options.timeoutMs);
        });
        late.catch(() => {});
        try {
          for (;;) {
            const { done, value } = await Promise.race([
              reader.read().catch(() => {
                throw new FileError(400, 'the upload was interrupted');
              }),
              late,
            ]);
            if (done) break;
            written += value.byteLength;
            if (written > options.limit) throw new FileError(413, 'the upload exceeds the size limit');
            await writeAll(handle, value);
          }
        } finally {
          clearTimeout(timer);
          reader.releaseLock();
        }
      }
      await handle.close();
      closed = true;
      await rename(temp, target);
      return written;
    } catch (error) {
      if (!closed) await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw isNoSpace(error) ? new FileError(507, NO_SPACE) : error;
    }
  }

  async mkdir(vpath: string): Promise<void> {
    const { dir, name } = await this.#parent(vpath);
    try {
      await mkdir(join(dir, name));
    } catch (error) {
      if (code(error) === 'EEXIST') throw new FileError(409, 'already exists');
      throw error;
    }
  }

  async remove(vpath: string): Promise<EntryType> {
    const { dir, name } = await this.#parent(vpath);
    const target = join(dir, name);
    const s = await lstat(target).catch(() => undefined);
    if (s === undefined) throw new FileError(404, 'not found');
    try {
      if (s.isDirectory()) {
        await rmdir(target);
        return 'directory';
      }
      // A symlink is removed itself, never what it points to.
      await unlink(target);
      return 'file';
    } catch (error) {
      if (code(error) === 'ENOTEMPTY' || code(error) === 'EEXIST') {
        throw new FileError(409, 'directory not empty');
      }
      throw error;
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const source = await this.#parent(from);
    const target = await this.#parent(to);
    const src = join(source.dir, source.name);
    const dst = join(target.dir, target.name);
    const s = await lstat(src).catch(() => undefined);
    if (s === undefined) throw new FileError(404, 'not found');
    if (await lstat(dst).catch(() => undefined)) throw new FileError(409, 'the destination exists');
    if (s.isDirectory() && (dst === src || dst.startsWith(src + sep))) {
      throw new FileError(409, 'a directory cannot move into itself');
    }
    await rename(src, dst);
  }
}
