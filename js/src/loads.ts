// Loads shared by concurrent callers: LRUCache.fetch and PermissionCache's user loads.

/**
 * Calls `loader(key)` as an async function would (a synchronous throw becomes a
 * rejection) and settles with `onValue` or `onError`, which get the load itself, to ask
 * a `SharedLoads` whether it is still the current load of its key.
 */
export function startLoad<K, R, T>(
  key: K,
  loader: (key: K) => R | PromiseLike<R>,
  onValue: (value: R, load: Promise<T>) => T | PromiseLike<T>,
  onError: (error: unknown, load: Promise<T>) => T | PromiseLike<T>,
): Promise<T> {
  const load: Promise<T> = (async () => loader(key))().then(
    (value) => onValue(value, load),
    (error: unknown) => onError(error, load),
  );
  return load;
}

/**
 * The load running for each key. A load is current while it is the one registered for
 * its key: a cancelled (or superseded) load finds out when it settles and stores nothing.
 * A load may come with an AbortController, which `cancel` and `clear` hand back so that
 * the caller can abort it once its own state is consistent.
 */
export class SharedLoads<K, T> {
  readonly #running = new Map<K, Promise<T>>();
  readonly #controllers = new Map<K, AbortController>();

  /** The number of keys with a load running. */
  get size(): number {
    return this.#running.size;
  }

  /** The load running for `key`, to share. */
  running(key: K): Promise<T> | undefined {
    return this.#running.get(key);
  }

  /** Whether `load` is still the load of `key`. */
  isCurrent(key: K, load: Promise<T>): boolean {
    return this.#running.get(key) === load;
  }

  /** Registers `load` (with the controller that aborts it, if any) as the load of `key`, replacing any other. */
  add(key: K, load: Promise<T>, controller?: AbortController): void {
    this.#running.set(key, load);
    if (controller === undefined) this.#controllers.delete(key);
    else this.#controllers.set(key, controller);
  }

  /** Forgets the load of `key`: it will not be stored. Returns its controller, if any. */
  cancel(key: K): AbortController | undefined {
    this.#running.delete(key);
    const controller = this.#controllers.get(key);
    if (controller !== undefined) this.#controllers.delete(key);
    return controller;
  }

  /** Forgets every load; returns their controllers. */
  clear(): AbortController[] {
    const controllers = [...this.#controllers.values()];
    this.#running.clear();
    this.#controllers.clear();
    return controllers;
  }
}
