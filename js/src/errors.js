// Errors thrown by edge-lru: built-in error types with a stable `code` property.

/** @param {string} code @param {string} message */
export function rangeError(code, message) {
  return Object.assign(new RangeError(message), { code });
}

/** @param {string} code @param {string} message */
export function typeError(code, message) {
  return Object.assign(new TypeError(message), { code });
}

export const freed = () => typeError('ERR_LRU_FREED', 'the cache was freed and cannot be used');

/** `typeof`, with `null` named as such. */
export const typeName = (value) => (value === null ? 'null' : typeof value);

export const badKey = (key) => typeError('ERR_LRU_KEY_TYPE', `keys must be strings or numbers, got ${typeName(key)}`);

/**
 * Checks that `value` is a positive safe integer (`max`, `maxSize`, `maxUsers`,
 * `maxBytes`): a `TypeError` with `typeCode` when it is not a number, a `RangeError`
 * with `code` when it is out of range.
 */
export function positiveInteger(value, name, code, typeCode = 'ERR_LRU_OPTION') {
  if (typeof value !== 'number') throw typeError(typeCode, `${name} must be a number, got ${typeName(value)}`);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw rangeError(code, `${name} must be a positive safe integer, got ${String(value)}`);
  }
  return value;
}

/** Checks that `value` is a function or absent. */
export function optionalFunction(value, name, code = 'ERR_LRU_OPTION') {
  if (value !== undefined && typeof value !== 'function') {
    throw typeError(code, `${name} must be a function, got ${typeof value}`);
  }
  return value ?? null;
}
