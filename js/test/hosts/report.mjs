// Prints a host's case results, one line each, then the closing line
// `N passed, M failed`; returns the exit code: 1 on any failure or when nothing ran.

/**
 * @param {string} host
 * @param {{ name: string, ok: boolean, ms?: number, error?: string }[]} results
 */
export function report(host, results) {
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    if (r.ok) {
      passed++;
      console.log(`ok     ${host}: ${r.name}${r.ms === undefined ? '' : ` (${r.ms} ms)`}`);
    } else {
      failed++;
      console.log(`FAILED ${host}: ${r.name}`);
      console.log(String(r.error).replace(/^/gm, '         '));
    }
  }
  if (passed + failed === 0) console.log(`${host}: no cases ran`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

/** Reports a runner's own error (it could not run the cases) as one failure. */
export function reportCrash(host, error) {
  return report(host, [{ name: 'runner', ok: false, error: error?.stack ?? String(error) }]);
}
