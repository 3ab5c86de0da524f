// Helpers shared by LRUCache and PermissionCache for the user's callbacks.

/**
 * Calls `fn` on every item, all of them even if some throw; then throws the first
 * error. Callbacks run once the cache's state is consistent, so they may re-enter it.
 */
export function callEach<T>(items: Iterable<T>, fn: (item: T) => void): void {
  let failure: { error: unknown } | null = null;
  for (const item of items) {
    try {
      fn(item);
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== null) throw failure.error;
}

declare global {
  interface SymbolConstructor {
    /**
     * `Symbol.dispose` (explicit resource management), declared here as TypeScript's
     * `esnext.disposable` lib and @types/node declare it, so that these types also load
     * in projects whose `lib` predates it.
     */
    readonly dispose: unique symbol;
  }
}

/**
 * `Symbol.dispose`, or the registered symbol that TypeScript's `using` falls back to in
 * hosts that predate it.
 */
export const dispose: typeof Symbol.dispose = Symbol.dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);
