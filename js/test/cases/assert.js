// A tiny assertion kit that runs in every host (Node, Deno, browsers, workerd).

export class AssertionError extends Error {
  name = 'AssertionError';
}

function show(value) {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(Object.is(value, -0) ? '-0' : inspect(value));
  } catch {
    return String(value);
  }
}

function inspect(value) {
  if (Array.isArray(value)) return `[${value.map(inspect).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Deep equality over primitives (SameValueZero), arrays and plain objects. */
function same(a, b) {
  if (a === b || (a !== a && b !== b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => same(a[k], b[k]));
  }
  return false;
}

export function eq(actual, expected, message = '') {
  if (!same(actual, expected)) {
    throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function ok(value, message = 'expected a truthy value') {
  if (!value) throw new AssertionError(message);
}

/** Asserts `fn` throws an error of `type` whose `code` is `code`; returns the error. */
export function throws(fn, type, code) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new AssertionError(`expected ${type.name} ${code} to be thrown`);
  if (!(error instanceof type)) {
    throw new AssertionError(`expected ${type.name}, got ${error?.name}: ${error?.message}`);
  }
  if (error.code !== code) throw new AssertionError(`expected code ${code}, got ${error.code}`);
  return error;
}

/** Asserts the promise rejects with `expected` (an error object, compared by identity) or an error of that type. */
export async function rejects(promise, check) {
  try {
    await promise;
  } catch (error) {
    check(error);
    return error;
  }
  throw new AssertionError('expected the promise to reject');
}
