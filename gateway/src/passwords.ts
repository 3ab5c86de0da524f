// Password hashes: scrypt from node:crypto, stored as `scrypt$N$r$p$salt$hash` (base64)
// so that each hash carries its own parameters and cheaper test hashes verify beside
// production ones. Compared in constant time.

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's recommendation: N=2^17, r=8, p=1 (128 MiB, about half a second here). */
export const OWASP_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 32;

/** scrypt needs 128 * N * r * p bytes and a little more; the default `maxmem` (32 MiB) refuses OWASP's. */
function maxmem({ N, r, p }: ScryptParams): number {
  return 128 * N * r * p + 2 * 1024 * 1024;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: maxmem(params) }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

export function checkParams(params: ScryptParams): void {
  const { N, r, p } = params;
  const ok = Number.isInteger(N) && N >= 2 && (N & (N - 1)) === 0 && N <= 2 ** 20 && Number.isInteger(r) &&
    r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16;
  if (!ok) throw Object.assign(new RangeError('invalid scrypt parameters'), { code: 'ERR_GATEWAY_SCRYPT' });
}

export async function hashPassword(password: string, params: ScryptParams = OWASP_SCRYPT): Promise<string> {
  checkParams(params);
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

/** A stored hash's parts, or undefined when it is malformed or its parameters are out of bounds. */
export function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const params = { N: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  try {
    checkParams(params);
  } catch {
    return undefined;
  }
  const key = Buffer.from(parts[5] ?? '', 'base64');
  if (key.length !== KEY_LENGTH) return undefined;
  return { params, salt: Buffer.from(parts[4] ?? '', 'base64'), key };
}

/** Whether `password` matches `stored`; false (never a throw) for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const hash = parseHash(stored);
  return hash !== undefined && (await verifyHash(password, hash));
}

/** Whether `password` matches a parsed hash. */
export async function verifyHash(password: string, hash: ParsedHash): Promise<boolean> {
  return timingSafeEqual(await derive(password, hash.salt, hash.params), hash.key);
}

const dummies = new Map<string, Promise<string>>();

/**
 * A hash of no one's password with `params`, made once per parameters: what a refused
 * login (unknown user, malformed name or stored hash) is verified against, so that it
 * costs as long as a wrong password.
 */
export function dummyHash(params: ScryptParams): Promise<string> {
  const id = `${params.N}$${params.r}$${params.p}`;
  let hash = dummies.get(id);
  if (hash === undefined) {
    hash = hashPassword('not a password', params);
    dummies.set(id, hash);
  }
  return hash;
}

/** Bounds how many KDF runs are in flight; a queue past `maxQueue` is refused at once. */
export class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];
  readonly maxQueue: number;

  constructor(permits: number, maxQueue: number) {
    this.#free = permits;
    this.maxQueue = maxQueue;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `fn` under a permit; returns undefined when the queue is full. */
  async run<T>(fn: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.#free > 0) this.#free--;
    else {
      if (this.#waiting.length >= this.maxQueue) return undefined;
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    try {
      return { value: await fn() };
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
