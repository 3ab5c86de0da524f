// Revocations made by other processes (the command line, other workers and hosts), read by
// one cheap poll per interval for the whole process instead of reloading each active user's
// account: the store records each revocation with an increasing id, and the poll asks for
// those after the last id it saw.

import { clearTimeout, setTimeout } from 'node:timers';
import type { Revocation } from './store/types.ts';

export interface RevocationSource {
  revocationsAfter(id: number, limit: number): Promise<Revocation[]>;
  lastRevocationId(): Promise<number>;
}

export interface RevocationWatchOptions {
  source: RevocationSource;
  /** The pause between the end of one poll and the start of the next, in ms. */
  intervalMs: number;
  /** Called for each user whose sessions were revoked. */
  revoked: (user: string) => void;
  /**
   * Called when revocations may have been missed (the last id could not be read at start):
   * everything cached about accounts must go.
   */
  missed: () => void;
  /** The most rows one query reads (default 10,000); a full batch is followed by another. */
  batch?: number;
}

export class RevocationWatch {
  readonly #source: RevocationSource;
  readonly #intervalMs: number;
  readonly #revoked: (user: string) => void;
  readonly #missed: () => void;
  readonly #batch: number;
  /** Every revocation up to this id has been handled; undefined until the last id is known. */
  #from: number | undefined;
  /** The newest id seen. */
  #newest = 0;
  /** Ids above `#from` already handled. */
  #seen = new Set<number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(options: RevocationWatchOptions) {
    this.#source = options.source;
    this.#intervalMs = options.intervalMs;
    this.#revoked = options.revoked;
    this.#missed = options.missed;
    this.#batch = options.batch ?? 10_000;
  }

  /** Reads the last id (nothing before it concerns this process), then polls every interval. */
  async start(): Promise<void> {
    try {
      this.#from = this.#newest = await this.#source.lastRevocationId();
    } catch {
      // The store is down: the first poll that reaches it starts from scratch.
    }
    this.#schedule();
  }

  /**
   * One poll; never rejects. On failure nothing changes and the next poll asks again from the
   * same id. Ids are given out when rows are inserted but become visible when their
   * transactions commit, which may be in another order: an id missing below a newer one is
   * asked for once more at the next poll before it is taken for a rolled-back transaction.
   */
  async poll(): Promise<void> {
    try {
      if (this.#from === undefined) {
        const last = await this.#source.lastRevocationId();
        this.#from = this.#newest = last;
        this.#missed();
        return;
      }
      const rows: Revocation[] = [];
      for (;;) {
        const after = rows.length === 0 ? this.#from : rows[rows.length - 1]!.id;
        const batch = await this.#source.revocationsAfter(after, this.#batch);
        rows.push(...batch);
        if (batch.length < this.#batch || this.#closed) break;
      }
      for (const r of rows) {
        if (!this.#seen.has(r.id)) this.#revoked(r.user);
      }
      const previous = this.#newest;
      const newest = Math.max(previous, rows.at(-1)?.id ?? 0);
      let from = newest;
      let expected = previous + 1;
      for (const r of rows) {
        if (r.id <= previous) continue;
        if (r.id > expected) {
          from = expected - 1;
          break;
        }
        expected = r.id + 1;
      }
      this.#from = from;
      this.#newest = newest;
      this.#seen = new Set(rows.filter((r) => r.id > from).map((r) => r.id));
    } catch {
      // The store is unavailable: what is cached stays in use until the next poll.
    }
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(async () => {
      await this.poll();
      this.#schedule();
    }, this.#intervalMs);
    // The poll never keeps a process alive.
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }
}
