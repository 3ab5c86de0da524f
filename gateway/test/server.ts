// Starts a real gateway process (on the runtime running the tests: Node or Deno) on a
// free loopback port, and drives it with curl.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshStore } from './helpers.ts';

const gatewayDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const runtime: 'node' | 'deno' = 'Deno' in globalThis ? 'deno' : 'node';

/** The command that runs src/main.ts on the runtime running the tests (from the gateway directory). */
export function gatewayCommand(): string[] {
  return runtime === 'deno'
    ? [
      (globalThis as unknown as { Deno: { execPath(): string } }).Deno.execPath(),
      'run',
      '-A',
      'src/main.ts',
    ]
    : [process.execPath, 'src/main.ts'];
}

export interface Server {
  url: string;
  dataDir: string;
  root: string;
  storeUrl: string;
  output: () => string;
  /** The process's exit code (null when killed by a signal), once it exits. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startServer(
  kind: 'sqlite' | 'mysql',
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gateway-server-'));
  const store = await freshStore(kind, dataDir);
  await store.store.close();
  const command = gatewayCommand();
  const child: ChildProcess = spawn(
    command[0]!,
    [
      ...command.slice(1),
      'serve',
      '--demo',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--store',
      store.url,
      ...args,
    ],
    {
      cwd: gatewayDir,
      env: {
        ...process.env,
        GATEWAY_SCRYPT_N: '1024',
        GATEWAY_DEMO_SECTIONS: '2',
        DENO_NO_UPDATE_CHECK: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    root: join(dataDir, 'files'),
    storeUrl: store.url,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      await store.drop().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface CurlResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Runs curl; the status, the (last response's) headers and the body. */
export async function curl(args: string[]): Promise<CurlResult> {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-curl-'));
  try {
    const status = await new Promise<string>((resolve, reject) => {
      execFile(
        'curl',
        [
          '-sS',
          '--max-time',
          '20',
          '-D',
          join(dir, 'h'),
          '-o',
          join(dir, 'b'),
          '-w',
          '%{http_code}',
          ...args,
        ],
        (
          error,
          stdout,
          stderr,
        ) => (error && !stdout ? reject(new Error(`curl failed: ${stderr}`)) : resolve(stdout)),
      );
    });
    const rawHeaders = await readFile(join(dir, 'h'), 'utf8').catch(() => '');
    const blocks = rawHeaders.trim().split(/\r?\n\r?\n/);
    const headers: Record<string, string> = {};
    for (const line of (blocks[blocks.length - 1] ?? '').split(/\r?\n/).slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    return { status: Number(status), headers, body: await readFile(join(dir, 'b'), 'utf8').catch(() => '') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
