// The shared cases under Deno, with no permissions at all: the Node/Deno entry inlines
// the wasm, so nothing is read from disk at run time.
//
//   DENO_NO_UPDATE_CHECK=1 js/node_modules/.bin/deno test --no-prompt js/test/hosts/deno.test.js

import * as lib from '../../dist/index.mjs';
import * as permissionsLib from '../../dist/permissions/permissions-index.mjs';
import { cases } from '../cases/behaviour.js';
import { differential } from '../cases/differential.js';
import { permissions } from '../cases/permissions.js';

Deno.test('deno: runs without read, net or env permission', async () => {
  for (const name of ['read', 'write', 'net', 'env', 'run', 'ffi', 'sys']) {
    const { state } = await Deno.permissions.query({ name });
    if (state === 'granted') throw new Error(`${name} permission is granted; run with none`);
  }
});

for (const [name, fn] of [...cases, ...differential]) {
  Deno.test(`deno: ${name}`, () => fn(lib.LRUCache, lib));
}
for (const [name, fn] of permissions) {
  Deno.test(`deno: ${name}`, () => fn(permissionsLib.LRUCache, permissionsLib));
}
