// The integrity checker of the fault tests: a ledger of what clients were told about their
// uploads, compared with the tree after the fault. Nothing that succeeded may be lost,
// nothing refused may be half there (a refused upload leaves the target as it was), and no
// temporary upload file may remain.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the client saw: a 2xx, a refusal (any other status), or no answer (the connection broke). */
export type Outcome = 'ok' | 'refused' | 'lost';

interface Upload {
  path: string;
  content: Buffer;
  /** The target's content before the upload; undefined when it did not exist. */
  before: Buffer | undefined;
  outcome: Outcome;
}

export class Ledger {
  readonly #uploads: Upload[] = [];
  readonly #untouched = new Map<string, Buffer | undefined>();

  /** Records an upload of `content` to `path` (a path under the root, with `/`). */
  upload(path: string, content: Buffer, before: Buffer | undefined, outcome: Outcome): void {
    this.#uploads.push({ path, content, before, outcome });
  }

  /** A file no client may change: it must still hold `content` (undefined: must not exist). */
  untouched(path: string, content: Buffer | undefined): void {
    this.#untouched.set(path, content);
  }

  get uploads(): readonly Upload[] {
    return this.#uploads;
  }

  /** The problems found under `root` (empty when the tree is consistent with the ledger). */
  async check(root: string): Promise<string[]> {
    const problems: string[] = [];
    for (const temp of await uploadTemps(root)) problems.push(`temporary upload file left: ${temp}`);
    const read = (path: string) => readFile(join(root, path)).catch(() => undefined);
    const describe = (b: Buffer | undefined) => (b === undefined ? 'missing' : `${b.length} bytes`);
    // Uploads to one path are checked against the last one, which is what the client saw last.
    const last = new Map<string, Upload>();
    for (const u of this.#uploads) last.set(u.path, u);
    for (const u of last.values()) {
      const now = await read(u.path);
      const same = (b: Buffer | undefined) =>
        b === undefined ? now === undefined : now !== undefined && now.equals(b);
      if (u.outcome === 'ok' && !same(u.content)) {
        problems.push(`${u.path}: told it succeeded, holds ${describe(now)} not ${u.content.length}`);
      } else if (u.outcome === 'refused' && !same(u.before)) {
        problems.push(`${u.path}: told it failed, changed to ${describe(now)} from ${describe(u.before)}`);
      } else if (u.outcome === 'lost' && !same(u.before) && !same(u.content)) {
        // No answer: the upload may have finished or not, but never half.
        problems.push(`${u.path}: no answer, holds ${describe(now)}: neither before nor after`);
      }
    }
    for (const [path, content] of this.#untouched) {
      const now = await read(path);
      const ok = content === undefined ? now === undefined : now !== undefined && now.equals(content);
      if (!ok) problems.push(`${path}: must be unchanged, holds ${describe(now)}`);
    }
    return problems;
  }
}

/** The temporary upload files under `root`, as paths relative to it. */
export async function uploadTemps(root: string, prefix = ''): Promise<string[]> {
  // Walked by hand: not every host's node:fs has `recursive` for readdir.
  const out: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await uploadTemps(root, path)));
    else if (entry.name.startsWith('.gateway-upload-')) out.push(path);
  }
  return out;
}

/** Every regular file under `dir` with its content, keyed by the relative path. */
export async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(full.slice(dir.length + 1), await readFile(full));
  }
  return files;
}
