// Errors thrown by edge-lru: built-in error types with a stable `code` property. Every
// code is defined once, in `ERRORS`; the `ErrorCode` type, the README's table
// (scripts/error-table.mjs) and the check of the engine's codes (test/errors.test.mjs)
// are made from it.

/** The error classes edge-lru throws. */
export type ErrorClass = 'TypeError' | 'RangeError';

/** What an error code means and which built-in error classes carry it. */
export interface ErrorInfo {
  readonly thrownAs: readonly ErrorClass[];
  readonly meaning: string;
}

/**
 * Every error code, with the classes that carry it and a one-line meaning. Codes the
 * wasm engine raises (wasm/src/errors.rs) are here too.
 */
export const ERRORS = Object.freeze(
  {
    ERR_LRU_OPTION: {
      thrownAs: ['TypeError'],
      meaning:
        "an option or argument has the wrong type (options not an object, `ttl` not a number, a callback not a function, `oversized` not `'throw'` or `'drop'`)",
    },
    ERR_LRU_MAX: {
      thrownAs: ['RangeError'],
      meaning: '`max` is not a safe integer from 1 to 4294967294, or neither `max` nor `maxSize` was given',
    },
    ERR_LRU_MAX_SIZE: { thrownAs: ['RangeError'], meaning: '`maxSize` is not a positive safe integer' },
    ERR_LRU_MAX_ENTRY_SIZE: { thrownAs: ['RangeError'], meaning: '`maxEntrySize` is not a positive safe integer' },
    ERR_LRU_SIZE_OF: {
      thrownAs: ['TypeError', 'RangeError'],
      meaning:
        'a sized cache with no `sizeOf` was given an entry without a `size` (TypeError), or `sizeOf` or a `size` option gave something other than a positive finite number (RangeError)',
    },
    ERR_LRU_ENTRY_SIZE: {
      thrownAs: ['RangeError'],
      meaning: "an entry is larger than `maxSize` or `maxEntrySize` (with `oversized: 'throw'`); it was not stored",
    },
    ERR_LRU_TTL: {
      thrownAs: ['RangeError'],
      meaning:
        '`ttl` is not a positive finite number of milliseconds, a per-entry `ttl` is not 0 or one, or `staleIfError` is negative or NaN',
    },
    ERR_LRU_KEY_TYPE: { thrownAs: ['TypeError'], meaning: 'a key is neither a string nor a number' },
    ERR_LRU_NO_LOADER: {
      thrownAs: ['TypeError'],
      meaning: '`fetch` was called with no loader argument and no `fetchMethod` option',
    },
    ERR_LRU_FREED: { thrownAs: ['TypeError'], meaning: 'the cache was used after `free()`' },
    ERR_PERM_OPTION: {
      thrownAs: ['TypeError'],
      meaning: 'PermissionCache options have the wrong type (no `load` function, `maxUsers` not a number)',
    },
    ERR_PERM_MAX_USERS: { thrownAs: ['RangeError'], meaning: '`maxUsers` is not a positive safe integer' },
    ERR_PERM_MAX_BYTES: { thrownAs: ['RangeError'], meaning: '`maxBytes` is not a positive safe integer' },
    ERR_PERM_USER: { thrownAs: ['TypeError'], meaning: 'a user name is not a string' },
    ERR_PERM_PATH: {
      thrownAs: ['TypeError'],
      meaning: 'a path is not a string, not absolute, or holds `..`, a backslash, a NUL byte or a lone surrogate',
    },
    ERR_PERM_OP: { thrownAs: ['TypeError'], meaning: 'an operation is not one of `OPERATIONS`' },
    ERR_PERM_NAMES: { thrownAs: ['TypeError'], meaning: 'a listing is not an array of strings' },
    ERR_PERM_RULES: {
      thrownAs: ['TypeError'],
      meaning: '`load` gave rules that are not an array of `{ path, allow }` with valid paths and operations',
    },
    ERR_PERM_TOO_LARGE: {
      thrownAs: ['RangeError'],
      meaning: "a user's compiled rules are larger than `maxBytes`; they were not stored",
    },
  } as const satisfies Record<string, ErrorInfo>,
);

/** Error codes carried by the `code` property of errors edge-lru throws. */
export type ErrorCode = keyof typeof ERRORS;

/** The codes that `class` carries. */
type CodeOf<Class extends ErrorClass> = {
  [Code in ErrorCode]: Class extends (typeof ERRORS)[Code]['thrownAs'][number] ? Code : never;
}[ErrorCode];

/** A `RangeError` with a `code`. */
export function rangeError(code: CodeOf<'RangeError'>, message: string): RangeError & { code: ErrorCode } {
  return Object.assign(new RangeError(message), { code });
}

/** A `TypeError` with a `code`. */
export function typeError(code: CodeOf<'TypeError'>, message: string): TypeError & { code: ErrorCode } {
  return Object.assign(new TypeError(message), { code });
}

export const freed = (): TypeError => typeError('ERR_LRU_FREED', 'the cache was freed and cannot be used');

/** `typeof`, with `null` named as such. */
export const typeName = (value: unknown): string => (value === null ? 'null' : typeof value);

export const badKey = (key: unknown): TypeError =>
  typeError('ERR_LRU_KEY_TYPE', `keys must be strings or numbers, got ${typeName(key)}`);

/**
 * Checks that `value` is a positive safe integer (`max`, `maxSize`, `maxUsers`,
 * `maxBytes`): a `TypeError` with `typeCode` when it is not a number, a `RangeError`
 * with `code` when it is out of range.
 */
export function positiveInteger(
  value: unknown,
  name: string,
  code: CodeOf<'RangeError'>,
  typeCode: CodeOf<'TypeError'> = 'ERR_LRU_OPTION',
): number {
  if (typeof value !== 'number') throw typeError(typeCode, `${name} must be a number, got ${typeName(value)}`);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw rangeError(code, `${name} must be a positive safe integer, got ${String(value)}`);
  }
  return value;
}

/** Checks that `value` is a function or absent. */
export function optionalFunction<F extends (...args: never[]) => unknown>(
  value: F | undefined,
  name: string,
  code: CodeOf<'TypeError'> = 'ERR_LRU_OPTION',
): F | null {
  if (value !== undefined && typeof value !== 'function') {
    throw typeError(code, `${name} must be a function, got ${typeof value}`);
  }
  return value ?? null;
}
