// A module worker that runs the shared cases inside workerd against the package's
// workerd entry (which imports the .wasm as a compiled module) and answers with JSON.

import * as lib from '../../dist/workerd.mjs';
import * as permissionsLib from '../../dist/permissions/permissions-workerd.mjs';
import { runAll } from './run-cases.js';

/** Checks that this is workerd and that it refuses what the workerd entry avoids. */
function hostCheck() {
  if (navigator.userAgent !== 'Cloudflare-Workers') throw new Error(`not workerd: ${navigator.userAgent}`);
  // The smallest valid module: workers refuse to compile wasm from bytes at run time.
  const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  let refused = false;
  try {
    new WebAssembly.Module(empty);
  } catch {
    refused = true;
  }
  if (!refused) throw new Error('workerd compiled wasm from bytes; the host check is not realistic');
}

export default {
  async fetch() {
    let check = { name: 'host is workerd and refuses wasm from bytes', ok: true, ms: 0 };
    try {
      hostCheck();
    } catch (error) {
      check = { ...check, ok: false, error: String(error?.stack ?? error) };
    }
    return Response.json([check, ...(await runAll(lib, permissionsLib))]);
  },
};
